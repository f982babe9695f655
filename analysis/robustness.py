"""Robustness of the stylised facts over a sweep of the reference's assumptions.

Reads the outcome store of a sweep made from scenarios/sweeps/robustness.yaml (a `policy` factor
crossed with sampled assumptions, paired replicates, and the outcomes the facts need) and prints,
for each stylised fact of tests/model/stylised_facts_test.cpp, the share of sampled points where
it holds, as a Markdown table. With only a few replicates per point, a fact "holds" at a point when the mean over the
paired replicates of each effect points the stated way and reaches the test's effect size (facts
1 and 3, which are rankings, must hold in a majority of replicates). Each fact is judged against
the reference its test uses: facts 1 and 5 against the budget-support counterfactual, the others
against the status quo.

Usage: /usr/bin/python3 analysis/robustness.py SWEEP_DIR
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, Tuple

import pandas as pd

from aidflow_analysis import open_sweep

ASSUMPTIONS = "policy"  # the crossed arm factor; every other parameter is an assumption


def relative(policy: pd.Series, base: pd.Series) -> float:
    return float(((policy - base) / base.where(base != 0)).mean())


def facts_at(arms: Dict[str, pd.DataFrame]) -> Dict[str, bool]:
    """Whether each fact holds at one point, from its arms' runs (indexed by replicate)."""
    b, cf, h, c, x = (arms[a] for a in ("status_quo", "budget_support", "humanitarian_monitored",
                                        "counter_isis_aid", "all_aid_cut"))
    diverted = cf.filter(like="diverted_")
    fact1 = ((diverted.idxmax(axis=1) == "diverted_haqqani")
             & (cf.treasury_haqqani > cf.haqqani_treasury_start)).mean() > 0.5
    fact2 = (relative(c.kabul_attacks, b.kabul_attacks) > 0.10
             and relative(c.treasury_haqqani, b.treasury_haqqani) > 0.10
             and relative(c.haqqani_ops, b.haqqani_ops) > 0
             and relative(c.fighters_isis_khorasan, b.fighters_isis_khorasan) < -0.10)
    attacks = b[b.khorasan_claimed + b.khorasan_executed > 0]
    fact3 = len(attacks) > len(b) / 2 and (attacks.khorasan_claimed > attacks.khorasan_executed).mean() > 0.5
    share = lambda d: d.diverted / d.disbursed  # noqa: E731
    fact5 = relative(share(h), share(cf)) < -0.20 and bool((h.reached > 0.9 * cf.reached).all())
    fact6 = (bool((x.diverted == 0).all())
             and relative(x.need, b.need) > 0.10 and relative(x.abroad, b.abroad) > 0.05
             and relative(x.recruits, b.recruits) > 0.03
             and relative(x.khorasan_recruits, b.khorasan_recruits) > 0)
    return {"1 Haqqanis take the largest share of diverted aid, treasury grows": fact1,
            "2 Counter-ISIS aid via Interior feeds ISIS-Kabul and Haqqanis, weakens ISIS-K": fact2,
            "3 ISIS-K claims more complex Kabul attacks than it executes": fact3,
            "5 Humanitarian-only + monitoring cuts diversion by a fifth, keeps reach": fact5,
            "6 Cutting all aid ends diversion, raises need, flight abroad, recruitment": fact6}


def robustness(directory: Path) -> Tuple[pd.DataFrame, int]:
    """Per fact, at how many sampled points it holds and the share; and how many points."""
    sweep = open_sweep(directory)
    runs = sweep.complete  # the declared outcomes of robustness.yaml, one row per run
    if len(runs) != len(sweep.index):
        raise SystemExit(f"{len(sweep.index) - len(runs)} runs are not complete; finish the sweep first")
    assumptions = [p for p in sweep.parameters if p != ASSUMPTIONS]
    results = []
    for _, point in runs.groupby(assumptions, sort=False):
        arms = {arm: d.set_index("replicate") for arm, d in point.groupby(ASSUMPTIONS)}
        results.append(facts_at(arms))
    table = pd.DataFrame(results)
    return pd.DataFrame({"points where it holds": table.sum(), "share": table.mean().round(2)}), len(table)


def main() -> None:
    directory = Path(sys.argv[1])
    table, points = robustness(directory)
    print(f"Stylised facts over {points} sampled points ({directory}):\n")
    print("| fact | holds at | share |\n|---|---|---|")
    for fact, row in table.iterrows():
        print(f"| {fact} | {int(row['points where it holds'])}/{points} | {row['share']:.2f} |")


if __name__ == "__main__":
    main()
