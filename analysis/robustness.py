"""Robustness of the stylised facts over a sweep of the reference's assumptions.

Reads a sweep made from scenarios/sweeps/robustness.yaml (a `policy` factor of eleven arms
crossed with sampled assumptions, paired replicates) and prints, for each of the eight stylised
facts of tests/model/stylised_facts_test.cpp, the share of sampled points where it holds, as a
Markdown table; then, for every fact that holds at fewer than 80% of the points, the region of
the assumptions where it fails, found by a shallow decision tree (scikit-learn) and written as
conditions on the assumptions. With only a few replicates per point, a fact "holds" at a point
when the mean over the paired replicates of each effect points the stated way and reaches the
effect size of analysis/stylised_facts.tsv (the table the C++ tests read); facts 1 and 3, which
are rankings, must hold in a majority of replicates. Each fact is judged against the reference
its test uses: facts 1 and 5 against the budget-support counterfactual, the others against the
status quo; fact 2 at each of the three sizes of counter-ISIS aid.

Usage: /usr/bin/python3 analysis/robustness.py SWEEP_DIR (a sweep run with --keep-runs: the
facts' outcomes are read from the run files; 792 runs are more than a sweep keeps by default)
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, Tuple

import pandas as pd

from aidflow_analysis import Sweep, events, open_sweep
from aidflow_analysis.discovery import discover

ASSUMPTIONS = "policy"  # the crossed arm factor; every other parameter column is an assumption
FACTS = Path(__file__).resolve().parent / "stylised_facts.tsv"  # the facts' effect sizes
HOLDS_ENOUGH = 0.8  # a fact holding at fewer points than this gets its failure region described
PRESSURE_START = 26  # the pakistan_pressure arm's start_step
COUNTER_ISIS = {"counter_isis_100m": "$100M", "counter_isis_300m": "$300M", "counter_isis_1b": "$1B"}


def effect_sizes(path: Path = FACTS) -> Dict[Tuple[int, str], float]:
    """(fact, measure) -> effect size, from the table the C++ tests read too."""
    table = pd.read_csv(path, sep="\t", comment="#")
    return {(int(r.fact), str(r.measure)): float(r.size) for r in table.itertuples()}


def outcomes(sweep: Sweep, number: int) -> Dict[str, float]:
    """What the facts need from one run, read from its file."""
    run = sweep.run(number)
    ds = run.indicators
    f = lambda v, faction: ds[v].sel(faction=faction)  # noqa: E731
    patron = ds.faction_income.sel(faction="haqqani", income="patron_support").values
    transfers = ds.transfers.sel(from_faction="haqqani", to_faction=["al_qaeda", "isis_kabul"])
    out = {
        "kabul_attacks": float(f("attacks_executed", "isis_kabul").sum()),
        "haqqani_ops": float(f("external_operations", "haqqani")[-1]),
        "haqqani_treasury_start": float(f("faction_treasury", "haqqani")[0]),
        "reached": float(ds.people_reached.mean()),
        "need": float(ds.need_mean[-1]),
        "abroad": float(ds.displaced.sel(displacement=["iran", "pakistan"]).sum("displacement")[-1]),
        "recruits": float(ds.faction_recruits.sum()),
        "khorasan_recruits": float(f("faction_recruits", "isis_khorasan").sum()),
        "haqqani_transfers": float(transfers.sum()),
        "patron_early": float(patron[PRESSURE_START:PRESSURE_START + 6].sum()),
        "patron_late": float(patron[PRESSURE_START + 52:PRESSURE_START + 78].sum()),
        "enforcement": float(ds.sanction_effective.mean()),
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
    size = effect_sizes()
    b, cf, h, x = (arms[a] for a in ("status_quo", "budget_support", "humanitarian_monitored",
                                     "all_aid_cut"))
    us, wide, refused, pressed = (arms[a] for a in ("sanctions_us", "sanctions_coalition",
                                                   "no_concessions", "pakistan_pressure"))
    diverted = cf.filter(like="diverted_")
    out = {"1 Haqqanis take the largest share of diverted aid, treasury grows":
           bool(((diverted.idxmax(axis=1) == "diverted_haqqani")
                 & (cf.treasury_haqqani > cf.haqqani_treasury_start)).mean() > 0.5)}
    for arm, label in COUNTER_ISIS.items():
        c = arms[arm]
        out[f"2 Counter-ISIS aid ({label}/yr) via Interior feeds ISIS-Kabul and Haqqanis, weakens ISIS-K"] = (
            relative(c.kabul_attacks, b.kabul_attacks) > size[2, "kabul_attacks"]
            and relative(c.treasury_haqqani, b.treasury_haqqani) > size[2, "haqqani_treasury"]
            and relative(c.haqqani_ops, b.haqqani_ops) > size[2, "haqqani_ops"]
            and relative(c.fighters_isis_khorasan, b.fighters_isis_khorasan) < -size[2, "khorasan_fighters"])
    attacks = b[b.khorasan_claimed + b.khorasan_executed > 0]
    gap = (attacks.khorasan_claimed - attacks.khorasan_executed)
    out["3 ISIS-K claims more complex Kabul attacks than it executes"] = bool(
        len(attacks) > len(b) / 2 and (gap > 0).mean() > 0.5
        and gap.mean() >= size[3, "complex_kabul_gap"])
    cut = lambda arm: 1.0 - arm.haqqani_transfers / b.haqqani_transfers.where(b.haqqani_transfers != 0)  # noqa: E731
    out["4 Coalition sanctions cut Haqqani transfers more than US-only"] = bool(
        (cut(wide) - cut(us)).mean() > size[4, "coalition_extra_cut"] and cut(us).mean() > 0)
    share = lambda d: d.diverted / d.disbursed  # noqa: E731
    out["5 Humanitarian-only + monitoring cuts diversion by a fifth, keeps reach"] = bool(
        relative(share(h), share(cf)) < -size[5, "diverted_share"]
        and bool((h.reached > size[5, "reach_kept"] * cf.reached).all()))
    out["6 Cutting all aid ends diversion, raises need, flight abroad, recruitment"] = bool(
        bool((x.diverted == 0).all())
        and relative(x.need, b.need) > size[6, "need"]
        and relative(x.abroad, b.abroad) > size[6, "abroad"]
        and relative(x.recruits, b.recruits) > size[6, "recruits"]
        and relative(x.khorasan_recruits, b.khorasan_recruits) > size[6, "khorasan_recruits"])
    out["7 Pakistan pressure lowers Haqqani patron income with a lag"] = bool(
        abs(relative(pressed.patron_early, b.patron_early)) < size[7, "early_patron_income"]
        and relative(pressed.patron_late, b.patron_late) < -size[7, "late_patron_income"]
        and relative(pressed.treasury_haqqani, b.treasury_haqqani) < -size[7, "haqqani_treasury"])
    out["8 Hostages weaken enforcement unless no concessions"] = bool(
        relative(us.enforcement, refused.enforcement) < -size[8, "enforcement"]
        and relative(us.haqqani_transfers, refused.haqqani_transfers) > size[8, "transfers"])
    return out


def failure_region(points: pd.DataFrame, holds: pd.Series) -> str:
    """Where a fact fails, in words: PRIM's box (aidflow_analysis.discovery: its coverage of the
    failures, its density of failures, its mass) and a depth-2 tree's leaves where most points
    fail (CART), with leaves of at least a tenth of the points (few points: few splits)."""
    found = discover(points, ~holds.to_numpy(dtype=bool), max_depth=2,
                     min_leaf=max(2, len(points) // 10))
    return (f"fails at {int((~holds).sum())} of {len(holds)} points. PRIM: where "
            f"{found.prim_words()}. CART: {found.cart_words()}")


def robustness(directory: Path) -> Tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per point, whether each fact holds; the sampled assumptions of each point; the summary."""
    sweep = open_sweep(directory)
    index = sweep.complete
    if len(index) != len(sweep.index):
        raise SystemExit(f"{len(sweep.index) - len(index)} runs are not complete; finish the sweep first")
    rows = pd.DataFrame([outcomes(sweep, number) for number in index.index], index=index.index)
    runs = index.join(rows)
    assumptions = [name for name in sweep.parameters if name != ASSUMPTIONS]
    results, points = [], []
    for values, point in runs.groupby(assumptions, sort=False):
        arms = {arm: d.set_index("replicate") for arm, d in point.groupby(ASSUMPTIONS)}
        results.append(facts_at(arms))
        points.append(dict(zip(assumptions, values if isinstance(values, tuple) else (values,))))
    table = pd.DataFrame(results)
    summary = pd.DataFrame({"points where it holds": table.sum(), "share": table.mean().round(2)})
    return table, pd.DataFrame(points), summary


def main() -> None:
    directory = Path(sys.argv[1])
    table, points, summary = robustness(directory)
    n = len(table)
    print(f"Stylised facts over {n} sampled points ({directory}):\n")
    print("| fact | holds at | share |\n|---|---|---|")
    for fact, row in summary.iterrows():
        print(f"| {fact} | {int(row['points where it holds'])}/{n} | {row['share']:.2f} |")
    weak = [fact for fact, row in summary.iterrows() if row["share"] < HOLDS_ENOUGH]
    if weak:
        print("\nWhere the facts holding at fewer than 80% of the points fail:\n")
    for fact in weak:
        holds = table[fact].astype(bool)
        region = failure_region(points, holds) if (~holds).any() and holds.any() else (
            "fails at every point")
        print(f"- {fact}: {region}.")


if __name__ == "__main__":
    main()
