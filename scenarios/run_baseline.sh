#!/usr/bin/env bash
# The first command, on a fresh Debian 12 machine as root: installs the Debian packages that are
# missing, builds aidflow (Release), installs it with `cmake --install build` (prefix /usr/local:
# the `aidflow` command in /usr/local/bin, the scenario library and docs in
# /usr/local/share/aidflow, the Python package where /usr/bin/python3 imports it), then runs the
# status quo (the reference) with the installed command. Prints a summary and the result's path (out/baseline.h5,
# replaced on each run). Extra arguments go to `aidflow run`.
# Environment: AIDFLOW_PREFIX (install prefix, default /usr/local; e.g. $HOME/.local without
# root), AIDFLOW_OUT (the result file, default out/baseline.h5).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
prefix=${AIDFLOW_PREFIX:-/usr/local}
output=${AIDFLOW_OUT:-out/baseline.h5}
bash .ci/deps.sh build
cmake --preset release >/dev/null
# The command and the Python package's compiled module: `cmake --install` copies both.
cmake --build --preset release --target aidflow aidflow_python_module
cmake --install build --prefix "$prefix" | grep -v -e '^-- Installing: ' -e '^-- Up-to-date: '
mkdir -p "$(dirname "$output")"
"$prefix/bin/aidflow" run scenarios/status_quo.yaml -o "$output" --force "$@"
