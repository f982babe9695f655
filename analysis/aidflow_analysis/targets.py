"""The model against the dated record: every series of data/targets.csv a run can produce.

For each target row whose period lies inside the run, the model's value over the same period
(the mean over runs when several seeds are given, with their range), beside the target, its unit
and source. What each target means in the model is `MAPPINGS` (and docs/MODEL.md, "The dated run
and its targets"); a row is an *outcome* the model produces, or an *input* it was given (aid
volumes, returns), shown to check the scenario follows its sources. Nothing here is fitted.

    /usr/bin/python3 -m aidflow_analysis.targets RUN.h5 [RUN.h5 ...] [--targets data/targets.csv]
                                                 [--figure targets.png]

prints a Markdown table and, with --figure, saves a PNG of model / target for every row.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

from .data_files import data_file
from .errors import AidflowFileError
from .event_table import events
from .run_file import Run, open_run

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# How a target's value is read off a run over [start, end].
ValueOf = Callable[[Run, pd.Timestamp, pd.Timestamp], float]

def default_targets() -> Path:
    """data/targets.csv where the package finds its data tables (:mod:`.data_files`)."""
    try:
        return data_file("targets.csv")
    except AidflowFileError as error:
        raise SystemExit(f"{error}, or give --targets FILE") from error


WEEK = pd.Timedelta(days=7)


def _week_weights(run: Run, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """The share of each step's week that falls in [start, end] (both days included)."""
    weeks = pd.DatetimeIndex(run.indicators["time"].values)
    first = weeks.where(weeks > start, start)
    ends = weeks + WEEK
    after = end + pd.Timedelta(days=1)
    last = ends.where(ends < after, after)
    days = np.clip((last - first) / pd.Timedelta(days=1), 0, 7)
    return pd.Series(np.asarray(days) / 7.0, index=weeks)


def _flow(variable: str, **sel: Any) -> ValueOf:
    """Summed over the period, weeks cut at its ends in proportion to their days."""
    def value(run: Run, start: pd.Timestamp, end: pd.Timestamp) -> float:
        var = run.indicators[variable]
        var = var.sel(sel) if sel else var
        per_step = var.sum([d for d in var.dims if d != "time"]).values.astype(float)
        scale = 0.01 if var.attrs.get("units") == "USD cents" else 1.0
        return float((per_step * _week_weights(run, start, end).values).sum() * scale)
    return value


def _level(variable: str, **sel: Any) -> ValueOf:
    """The mean over the period's weeks."""
    def value(run: Run, start: pd.Timestamp, end: pd.Timestamp) -> float:
        var = run.indicators[variable]
        var = var.sel(sel) if sel else var
        per_step = var.sum([d for d in var.dims if d != "time"]).values.astype(float)
        weights = _week_weights(run, start, end).values
        return float((per_step * weights).sum() / weights.sum())
    return value


def _at_end(variable: str, **sel: Any) -> ValueOf:
    """The level in the week the period ends (a count reported as of that date)."""
    def value(run: Run, start: pd.Timestamp, end: pd.Timestamp) -> float:
        var = run.indicators[variable]
        var = var.sel(sel) if sel else var
        per_step = var.sum([d for d in var.dims if d != "time"])
        weeks = pd.DatetimeIndex(run.indicators["time"].values)
        return float(per_step.values[max(0, weeks.searchsorted(end, side="right") - 1)])
    return value


def _events(claimant: Optional[str] = None, measure: str = "count") -> ValueOf:
    """Attacks in the period (claimed by `claimant`, or all): how many, or their casualties."""
    def value(run: Run, start: pd.Timestamp, end: pd.Timestamp) -> float:
        ev = events(run)
        attacks = ev[(ev.kind == "attack") & (ev.time >= start) & (ev.time <= end)]
        if claimant is not None:
            attacks = attacks[attacks.claimant == claimant]
        return float(len(attacks) if measure == "count" else attacks.casualties.sum())
    return value


def _executed(executor: str) -> ValueOf:
    """Attacks `executor` itself carried out in the period, at home or abroad."""
    def value(run: Run, start: pd.Timestamp, end: pd.Timestamp) -> float:
        ev = events(run)
        mine = ev[ev.kind.isin(["attack", "attack_abroad"]) & (ev.executor == executor)
                  & (ev.time >= start) & (ev.time <= end)]
        return float(len(mine))
    return value


@dataclass(frozen=True)
class Mapping:
    """How one target series is read off a run."""

    kind: str  # "outcome" (the model produces it) or "input" (the scenario was given it)
    means: str  # what the model value is, in words
    value: ValueOf


_RETURNED = "people returned from {} by the host state's policy (the `returned` indicator), summed over the period"
_BOTH = "Iran and Pakistan"

MAPPINGS: Dict[str, Mapping] = {
    "people_in_need": Mapping(
        "outcome", "people in the country in households with need above households.need_threshold, "
        "mean over the plan's period", _level("people_in_need")),
    "people_reached": Mapping(
        "outcome", "people reached per week in full weekly rations (a part ration in part), mean over "
        "the period; the plans count people reached at least once, so the model's is a lower figure",
        _level("people_reached")),
    "returns_iran": Mapping("input", _RETURNED.format("Iran"), _flow("returned", host="iran")),
    "returns_pakistan": Mapping("input", _RETURNED.format("Pakistan"), _flow("returned", host="pakistan")),
    "returns_pakistan_since_2023_09_15": Mapping(
        "input", _RETURNED.format("Pakistan"), _flow("returned", host="pakistan")),
    "returns_iran_pakistan": Mapping("input", _RETURNED.format(_BOTH), _flow("returned")),
    "returns_total": Mapping("input", _RETURNED.format(_BOTH), _flow("returned")),
    "returns_since_2023_10": Mapping("input", _RETURNED.format(_BOTH), _flow("returned")),
    "returns_iran_pakistan_undocumented": Mapping(
        "input", _RETURNED.format(_BOTH) + "; all returns, where the target counts undocumented "
        "returnees only", _flow("returned")),
    "returns_iran_undocumented": Mapping(
        "input", _RETURNED.format("Iran") + "; all returns, where the target counts undocumented "
        "returnees only", _flow("returned", host="iran")),
    "civilian_casualties": Mapping(
        "outcome", "casualties of every attack in the period (the event table; the model does not "
        "tell killed from injured)", _events(measure="casualties")),
    "isisk_attacks_claimed": Mapping(
        "outcome", "attacks in Afghanistan claimed under ISIS-Khorasan's name in the period "
        "(claims-based; attacks abroad are apart, so a count that includes them, as SIGAR's for "
        "2024, is above the model's)", _events("isis_khorasan")),
    "isisk_attacks_executed_known": Mapping(
        "outcome", "attacks ISIS-Khorasan itself carried out in the period, at home or abroad (the "
        "target is a lower bound: the attacks known by name)", _executed("isis_khorasan")),
    "isisk_casualties_claimed_attacks": Mapping(
        "outcome", "casualties of the attacks claimed under ISIS-Khorasan's name in the period",
        _events("isis_khorasan", "casualties")),
    "isisk_strength": Mapping(
        "outcome", "fighters of ISIS-Khorasan and ISIS-Kabul (one group for the UN) in the week of "
        "the report", _at_end("faction_fighters", faction=["isis_khorasan", "isis_kabul"])),
    "population_total_nsia": Mapping(
        "outcome", "people in the country (residents and returnees), mean over NSIA's year",
        _level("province_people")),
    "appeal_funding_received": Mapping(
        "input", "aid disbursed from the plan year's start to the date reported", _flow("aid_disbursed")),
    "appeal_funding_new": Mapping(
        "input", "aid disbursed from the plan year's start to the date reported", _flow("aid_disbursed")),
    "appeal_funding_us": Mapping(
        "input", "aid the United States disbursed in the year", _flow("aid_disbursed", donor="usa")),
}


def load_targets(path: Optional[Path] = None) -> pd.DataFrame:
    """targets.csv with dates parsed, a range's `_low` and `_high` rows joined into one row, and a
    "same" source replaced by the one it refers to (the row above's)."""
    table = pd.read_csv(path or default_targets(), parse_dates=["period_start", "period_end"])
    # "same" (or "same IOM report") names the row above's source.
    same = table.source.str.match(r"same\b")
    table["source"] = table.source.where(~same).ffill()
    table["base"] = table.series.str.replace(r"_(low|high)$", "", regex=True)
    rows = []
    for (base, start, end), group in table.groupby(["base", "period_start", "period_end"], sort=False):
        low = group[group.series.str.endswith("_low")]
        high = group[group.series.str.endswith("_high")]
        for _, row in group[~group.series.str.endswith(("_low", "_high"))].iterrows():
            rows.append({**row, "low": row.value, "high": row.value})
        if len(low) and len(high):
            first = low.iloc[0]
            rows.append({**first, "series": base, "value": (low.value.iloc[0] + high.value.iloc[0]) / 2,
                         "low": low.value.iloc[0], "high": high.value.iloc[0],
                         "unit": first.unit})
    out = pd.DataFrame(rows).drop(columns="base")
    return out.reset_index(drop=True)


def _short_source(source: str) -> str:
    """The publisher and document, without links and copies: the text before " (" or ", via"."""
    for cut in (" (", ", via", " via ", ", as reported", " as reported", ", reported"):
        if cut in source:
            source = source.split(cut)[0]
    return source.strip().strip('"')


def compare_targets(runs: Sequence[Run], targets: pd.DataFrame) -> pd.DataFrame:
    """One row per target the runs can produce over their period: model (mean over runs, and the
    runs' range), target (and its range), model / target, kind, unit, source, what the model's
    value is."""
    first_week = max(pd.Timestamp(r.indicators["time"].values[0]) for r in runs)
    end_of_run = min(pd.Timestamp(r.indicators["time"].values[-1]) for r in runs) + WEEK
    rows = []
    for _, t in targets.iterrows():
        mapping = MAPPINGS.get(t.series)
        inside = t.period_start >= first_week - pd.Timedelta(days=6) and t.period_end < end_of_run
        if mapping is None or not inside:
            continue
        values = np.array([mapping.value(r, t.period_start, t.period_end) for r in runs])
        rows.append({
            "series": t.series,
            "period": f"{t.period_start:%Y-%m-%d} to {t.period_end:%Y-%m-%d}",
            "model": values.mean(), "model_low": values.min(), "model_high": values.max(),
            "target": t.value, "target_low": t.low, "target_high": t.high,
            "ratio": values.mean() / t.value if t.value else np.nan,
            "kind": mapping.kind, "unit": t.unit, "source": _short_source(str(t.source)),
            "means": mapping.means,
        })
    table = pd.DataFrame(rows)
    # Outcomes first, each series together, in the order the file has them.
    order = {name: i for i, name in enumerate(dict.fromkeys(table.series))} if rows else {}
    if rows:
        table = table.assign(_kind=table.kind != "outcome", _series=table.series.map(order))
        table = table.sort_values(["_kind", "_series"], kind="stable").drop(columns=["_kind", "_series"])
    return table.reset_index(drop=True)


def _number(x: float, unit: str) -> str:
    if unit == "USD":
        return f"${x / 1e9:.2f}B" if abs(x) >= 1e9 else f"${x / 1e6:.0f}M"
    if abs(x) >= 1e6:
        return f"{x / 1e6:.2f}M"
    if abs(x) >= 1e4:
        return f"{x / 1e3:.0f}k"
    return f"{x:.0f}"


def markdown(table: pd.DataFrame, runs: int) -> str:
    """The comparison as a Markdown table (the README's)."""
    spread = f" (range over {runs} runs)" if runs > 1 else ""
    lines = [f"| series | period | model{spread} | target | model / target | kind | source |",
             "|---|---|---|---|---|---|---|"]
    for _, r in table.iterrows():
        model = _number(r.model, r.unit)
        if runs > 1:
            model += f" ({_number(r.model_low, r.unit)}-{_number(r.model_high, r.unit)})"
        target, ratio = _number(r.target, r.unit), f"{r.ratio:.2f}"
        if r.target_low != r.target_high:  # a range: the ratio is to its middle
            target = f"{_number(r.target_low, r.unit)}-{_number(r.target_high, r.unit)}"
            ratio += " (in range)" if r.target_low <= r.model <= r.target_high else " (to the middle)"
        lines.append(f"| {r.series} | {r.period} | {model} | {target} | {ratio} | {r.kind} "
                     f"| {r.source} |")
    return "\n".join(lines)


def figure(table: pd.DataFrame, title: str) -> "Figure":
    """model / target for every row, on a log scale, outcomes and inputs apart."""
    import matplotlib.pyplot as plt

    labels = [f"{r.series}  {r.period}" for _, r in table.iterrows()]
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(table) + 1.4))
    y = np.arange(len(table))[::-1]
    colours = np.where(table.kind == "outcome", "tab:red", "tab:blue")
    low = table.model_low / table.target
    high = table.model_high / table.target
    ax.hlines(y, low, high, color=colours, alpha=0.5)
    for kind, colour in (("outcome", "tab:red"), ("input", "tab:blue")):
        pick = (table.kind == kind).values
        ax.scatter(table.ratio[pick], y[pick], color=colour, zorder=3, label=f"{kind} (model / target)")
    ranged = (table.target_low != table.target_high).values
    ax.hlines(y[ranged], (table.target_low / table.target)[ranged],
              (table.target_high / table.target)[ranged], color="grey", lw=6, alpha=0.3,
              label="the target's range")
    ax.axvline(1.0, color="black", lw=0.8)
    ax.set_xscale("log")
    ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 5, 10)
             if 0.5 * np.nanmin(low) <= t <= 2 * np.nanmax(high)]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlabel("model / target (1 = the model hits the target; log scale)")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", type=Path, help="result files (replicates of one scenario)")
    parser.add_argument("--targets", type=Path, help="the targets table (default: data/targets.csv)")
    parser.add_argument("--figure", type=Path, help="save a PNG of model / target here")
    args = parser.parse_args(argv)
    runs = [open_run(p) for p in args.runs]
    table = compare_targets(runs, load_targets(args.targets))
    if table.empty:
        raise SystemExit("no target of the table falls inside the runs' period")
    print(markdown(table, len(runs)))
    if args.figure:
        title = f"{runs[0].label}: model against data/targets.csv ({len(runs)} run(s))"
        figure(table, title).savefig(args.figure, dpi=100)
        print(f"\nfigure: {args.figure}")


if __name__ == "__main__":
    main()
