"""Robustness of the stylised facts over a sweep of the reference's assumptions.

Reads a sweep made from scenarios/sweeps/robustness.yaml (a `policy` factor crossed with sampled
assumptions, paired replicates) and prints, for each stylised fact of
tests/model/stylised_facts_test.cpp, the share of sampled points where it holds, as a Markdown
table. With only a few replicates per point, a fact "holds" at a point when the mean over the
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

from aidflow_analysis import Sweep, events, open_sweep

ASSUMPTIONS = "policy"  # the crossed arm factor; every other parameter column is an assumption


def outcomes(sweep: Sweep, number: int) -> Dict[str, float]:
    """What the facts need from one run, read from its file."""
    run = sweep.run(number)
    ds = run.indicators
    f = lambda v, faction: ds[v].sel(faction=faction)  # noqa: E731
    out = {
        "kabul_attacks": float(f("attacks_executed", "isis_kabul").sum()),
        "haqqani_ops": float(f("external_operations", "haqqani")[-1]),
        "haqqani_treasury_start": float(f("faction_treasury", "haqqani")[0]),
        "reached": float(ds.people_reached.mean()),
        "need": float(ds.need_mean[-1]),
        "abroad": float(ds.displaced.sel(displacement=["iran", "pakistan"]).sum("displacement")[-1]),
        "recruits": float(ds.faction_recruits.sum()),
        "khorasan_recruits": float(f("faction_recruits", "isis_khorasan").sum()),
    }
    ev = events(run)
    k = ev[(ev.kind == "attack") & (ev.complex == 1) & (ev.in_capital == 1)]
    out["khorasan_claimed"] = int((k.claimant == "isis_khorasan").sum())
    out["khorasan_executed"] = int((k.executor == "isis_khorasan").sum())
    return out


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
    index = sweep.complete
    if len(index) != len(sweep.index):
        raise SystemExit(f"{len(sweep.index) - len(index)} runs are not complete; finish the sweep first")
    rows = pd.DataFrame([outcomes(sweep, number) for number in index.index], index=index.index)
    runs = index.join(rows)
    assumptions = [c for c in runs.columns if "." in c or c.startswith("factions[")]
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
