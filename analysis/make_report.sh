#!/usr/bin/env bash
# The policy report in one command (after bash scenarios/run_baseline.sh, which installs aidflow and
# aidflow_analysis): runs the status quo (the reference), the budget-support counterfactual and the
# article's proposals at coarse resolution over draws of the calibrated ensemble (the same draws
# and seeds for every scenario, so each (draw, seed) is one paired comparison and the intervals
# hold the calibrated values' uncertainty as well as the seeds'), and writes out/report.html.
# Usage: bash analysis/make_report.sh [OUTPUT.html]
# Settings (environment): AIDFLOW_REPORT_DRAWS (default 8; 0 runs each scenario on its own values,
# intervals over seeds only), AIDFLOW_REPORT_SEEDS (default 3, per draw), AIDFLOW_REPORT_HOUSEHOLDS
# (4000), AIDFLOW_REPORT_STEPS (104 weeks), AIDFLOW_REPORT_RUNS (out/report-runs, where the runs go:
# a sweep directory per scenario, or run files with no ensemble), AIDFLOW_REPORT_ROBUSTNESS (none:
# the robustness sweep's directory, which analysis/robustness.py reads, or the file it printed; the
# report says so when none is given). dated_2021_2025 is left out: it simulates another period, so
# it cannot be paired week by week with the status quo.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
output=${1:-out/report.html}
seeds=${AIDFLOW_REPORT_SEEDS:-3}
households=${AIDFLOW_REPORT_HOUSEHOLDS:-4000}
steps=${AIDFLOW_REPORT_STEPS:-104}
scenarios=(status_quo budget_support counter_isis_aid humanitarian_monitoring sanctions_us_only
  sanctions_multilateral conditionality_envoy pakistan_pressure no_concessions all_aid_cut)

# The installed command and package (bash scenarios/run_baseline.sh installs both), or the
# command named by AIDFLOW_BIN.
bin=${AIDFLOW_BIN:-$(command -v aidflow || true)}
if [[ -z "$bin" || ! -x "$bin" ]]; then
  echo "error: aidflow is not on the PATH: run bash scenarios/run_baseline.sh first (it builds and installs it)" >&2
  exit 1
fi
if ! /usr/bin/python3 -c "import aidflow_analysis" 2>/dev/null; then
  echo "error: /usr/bin/python3 cannot import aidflow_analysis: run bash scenarios/run_baseline.sh first (it installs it)" >&2
  exit 1
fi

runs=${AIDFLOW_REPORT_RUNS:-out/report-runs}
draws=${AIDFLOW_REPORT_DRAWS:-8}
mkdir -p "$runs"
runs=$(cd "$runs" && pwd)
inputs=()
if ((draws > 0)); then
  # The ensemble's draws, spread over it. Its preparation of Aug 2021 is the dated run's state at
  # the takeover: the status quo starts in January 2022 with its own.
  /usr/bin/python3 -m aidflow_analysis.posterior draws scenarios/calibration/isis_khorasan.posterior_draws.csv \
    --count "$draws" --leave-out 'factions[isis_khorasan].preparation_usd' -o "$runs/ensemble.csv"
  for scenario in "${scenarios[@]}"; do
    cat >"$runs/$scenario.sweep.yaml" <<EOF
name: report_$scenario
scenario: $root/scenarios/$scenario.yaml
set: [run.households=$households, run.steps=$steps]
ensemble: ensemble.csv
parameters:  # one arm: the scenario itself (an ensemble's parameters are arms)
  - {name: scenario, crossed: true, levels: {$scenario: []}}
replicates: $seeds
seed: 1
EOF
    rm -rf "${runs:?}/$scenario"  # this script's own output, made again
    "$bin" sweep "$runs/$scenario.sweep.yaml" -o "$runs/$scenario" --keep-runs -q
    inputs+=("$runs/$scenario")
    echo "ran $scenario ($draws draws x $seeds seeds)"
  done
else
  for scenario in "${scenarios[@]}"; do
    for ((seed = 1; seed <= seeds; ++seed)); do
      file="$runs/$scenario-seed$seed.h5"
      "$bin" run "scenarios/$scenario.yaml" -o "$file" --force --seed "$seed" --steps "$steps" \
        --set "run.households=$households" >/dev/null
      inputs+=("$file")
    done
    echo "ran $scenario ($seeds seeds)"
  done
fi
robustness=()
if [[ -n "${AIDFLOW_REPORT_ROBUSTNESS:-}" ]]; then
  summary=$AIDFLOW_REPORT_ROBUSTNESS
  if [[ -d "$summary" ]]; then  # a sweep: the facts judged over its points (minutes for 792 runs)
    summary="$runs/robustness.md"
    /usr/bin/python3 analysis/robustness.py "$AIDFLOW_REPORT_ROBUSTNESS" >"$summary"
  fi
  robustness=(--robustness "$summary")
fi
MPLBACKEND=Agg /usr/bin/python3 -m aidflow_analysis.report "${inputs[@]}" -o "$output" --baseline status_quo \
  "${robustness[@]}"
