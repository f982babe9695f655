#!/usr/bin/env bash
# Every test: installs what is missing, builds in Release and runs ctest (C++ and end-to-end),
# installs into build/stage, runs mypy on analysis/ and pytest (the installed Python package, the
# README's and docs' examples, bad-input corpus, notebooks), then the ctest suite and the command-line
# pytest (bad-input corpus, output safety) again under AddressSanitizer + UndefinedBehaviorSanitizer,
# ctest under ThreadSanitizer, then fuzz runs of the scenario loader (60 s) and of the path code
# (extends chains, scenario and output file names; 30 s).
# Set AIDFLOW_QUICK=1 to stop after the Release tests.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export MPLBACKEND=Agg

# Each stage's duration, printed as it ends and all together at the end (also when a stage fails),
# so a slow CI run says where its time went.
stage_name="" stage_start=$SECONDS
stage_times=()
corpus=""
end_stage() {
  [[ -n "$stage_name" ]] || return 0
  local took=$((SECONDS - stage_start))
  stage_times+=("$(printf '%6d s  %s' "$took" "$stage_name")")
  printf '=== %s: %d s\n' "$stage_name" "$took"
  stage_name=""
}
finish() {
  local status=$?
  end_stage
  [[ -z "$corpus" ]] || rm -rf "$corpus"
  printf '\n=== stage times ===\n'
  printf '%s\n' "${stage_times[@]}"
  printf '%6d s  total (exit %d)\n' "$SECONDS" "$status"
}
trap finish EXIT
section() {
  end_stage
  stage_name="$*" stage_start=$SECONDS
  printf '\n=== %s ===\n' "$*"
}

section "dependencies"
bash .ci/deps.sh test

section "release build"
cmake --preset release >/dev/null
cmake --build --preset release

section "ctest (release)"
ctest --preset release

section "install into a private stage (what the Python tests use)"
# Never /usr/local: several developers share a machine. A stale copy cannot pass: the stage is
# made anew, and tests/python/conftest.py refuses a package that differs from the source tree.
stage="$root/build/stage"
rm -rf "$stage"
cmake --install build --prefix "$stage" >/dev/null
python_version=$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
stage_site="$stage/lib/python$python_version/site-packages"

section "mypy (analysis/)"
(cd analysis && mypy)

section "pytest"
# Two processes (pytest-xdist): most tests wait on one single-threaded subprocess or Python, so
# one process leaves a core idle. Every test writes under its own temporary directory.
pytest_jobs="-n 2"
PATH="$stage/bin:$PATH" PYTHONPATH="$stage_site${PYTHONPATH:+:$PYTHONPATH}" \
  AIDFLOW_BIN="$stage/bin/aidflow" AIDFLOW_BUILD_DIR="$root/build" \
  /usr/bin/python3 -m pytest tests/python tests/app -q $pytest_jobs

if [[ "${AIDFLOW_QUICK:-0}" == 1 ]]; then
  exit 0
fi

# The sanitizer and fuzz stages (docs/DEVELOPING.md, "How CI is laid out, and why"): one clang tree,
# build-asan, holds AddressSanitizer + UndefinedBehaviorSanitizer builds of every test, the command
# and the two fuzzers; the ThreadSanitizer tree builds only the tests its ctest filter selects.
section "AddressSanitizer + UndefinedBehaviorSanitizer build (clang; also the fuzzers)"
cmake --preset asan >/dev/null
cmake --build --preset asan

section "ctest (AddressSanitizer + UndefinedBehaviorSanitizer; the statistical and end-to-end suites ran in Release)"
ctest --preset asan

section "pytest of the command line on the AddressSanitizer + UndefinedBehaviorSanitizer binary"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions="$root/tests/lsan_hdf5.supp":print_suppressions=0 \
  AIDFLOW_BIN="$root/build-asan/sim/aidflow" /usr/bin/python3 -m pytest tests/app -q $pytest_jobs

section "ThreadSanitizer build (the test executables its ctest filter needs)"
cmake --preset tsan >/dev/null
cmake --build --preset tsan

section "ctest (ThreadSanitizer: the parallel engine, phases, determinism and sweeps)"
ctest --preset tsan

section "fuzz the scenario loader (60 s) and the path code (30 s), side by side"
corpus=$(mktemp -d)
mkdir "$corpus/scenarios" "$corpus/paths" "$corpus/tmp"
cp scenarios/*.yaml tests/bad_scenarios/*.yaml "$corpus/scenarios/"
cp tests/fuzz/paths_corpus/* "$corpus/paths/"
# Each fuzzer is one process on one core, so the two share the machine's two cores and each still
# runs its whole time. The path fuzzer makes its files under TMPDIR, removed with the corpus.
fuzz() {  # FUZZER CORPUS SECONDS; what the fuzzer says goes to $corpus/FUZZER.log
  ./build-asan/"$1" "$corpus/$2" -max_total_time="$3" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 >"$corpus/$1.log" 2>&1
}
fuzz scenario_fuzzer scenarios 60 &
scenario_fuzzer=$!
TMPDIR="$corpus/tmp" fuzz paths_fuzzer paths 30 &
paths_fuzzer=$!
failed=()
wait "$scenario_fuzzer" || failed+=(scenario_fuzzer)
wait "$paths_fuzzer" || failed+=(paths_fuzzer)
tail -n 15 "$corpus/scenario_fuzzer.log" "$corpus/paths_fuzzer.log"
for fuzzer in "${failed[@]}"; do
  printf '\n=== %s failed; all it said:\n' "$fuzzer"
  cat "$corpus/$fuzzer.log"
done
if ((${#failed[@]})); then
  echo "fuzz: ${failed[*]} found a crash, hang or leak (above)"
  exit 1
fi
echo "fuzz: no crash, hang or leak in 60 s and 30 s"
