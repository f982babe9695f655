#!/usr/bin/env bash
# The main job: install what is missing, build aidflow in Release, run the baseline scenario.
# Prints a summary and the path of the HDF5 file (out/baseline.h5, replaced on each run).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash .ci/deps.sh build
cmake --preset release >/dev/null
cmake --build --preset release --target aidflow
mkdir -p out
./build/sim/aidflow run scenarios/status_quo.yaml -o out/baseline.h5 --force "$@"
