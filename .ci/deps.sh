#!/usr/bin/env bash
# Installs the Debian 12 packages aidflow builds, runs and tests with, if any is missing.
# Usage: bash .ci/deps.sh [build|test]   (test adds the sanitizer/fuzzer toolchain)
set -euo pipefail

packages=(
  cmake g++ make git libeigen3-dev libtbb-dev libyaml-cpp-dev libhdf5-dev zlib1g-dev hdf5-tools
  libgtest-dev libgmock-dev libcli11-dev librandom123-dev openmpi-bin libopenmpi-dev
  pybind11-dev python3-pybind11 python3-dev
  python3-h5py python3-numpy python3-pandas python3-xarray python3-h5netcdf python3-netcdf4
  python3-matplotlib python3-pytest python3-pytest-xdist jupyter-nbconvert python3-nbclient python3-ipykernel python3-yaml python3-scipy
  python3-sklearn  # aidflow_analysis.discovery (CART) and analysis/robustness.py: where a stylised fact fails
  python3-deap     # aidflow_analysis.search: the NSGA-II policy search
  python3-shapely python3-pyproj  # the province maps (aidflow_analysis.maps)
)
if [[ "${1:-build}" == test ]]; then
  packages+=(clang-14 libclang-rt-14-dev clang-format chromium)  # chromium: the report test
  # mypy: the type check of analysis/; venv, pip, setuptools, wheel: the tested pip install
  packages+=(mypy python3-venv python3-pip python3-setuptools python3-wheel)
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "installing: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
  >/dev/null
