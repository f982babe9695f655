"""Summary tables: where the money went, in integers until the last division.

All totals come from the `summary` group (the ledger's run totals), so every table agrees with the
ledger to the cent; the root-group indicators are a separate record the tests cross-check. Sinks
are grouped by the file's own `sink_kind`, `sink_faction` and `sink_mechanism` coordinates
(docs/OUTPUT.md), never by parsing their labels.

Each table takes one run (a Run or a path) or several (a list: replicates of one scenario): then
every cell is the mean over the runs with its confidence interval, each column split into
`mean`, `low` and `high` (:func:`aidflow_analysis.replicates.over_replicates`).
"""
from __future__ import annotations

from typing import Callable, Iterable, List, Optional, cast

import numpy as np
import pandas as pd
import xarray as xr

from .event_table import events
from .replicates import RunsLike, as_runs, is_one, over_replicates
from .run_file import Run

DIVERTED = "diverted"  # the sink kind of money an armed group took


def _frame(array: xr.DataArray) -> pd.DataFrame:
    """A 2-D array as a DataFrame (xarray's `to_pandas` is typed for any dimension count)."""
    return cast(pd.DataFrame, array.to_pandas())


def _series(array: xr.DataArray) -> pd.Series:
    return cast(pd.Series, array.to_pandas())


def _one_or_many(table: Callable[[Run], pd.DataFrame], runs: RunsLike,
                 confidence: float) -> pd.DataFrame:
    """`table` of one run, or its summary over several."""
    if is_one(runs):
        return table(as_runs(runs)[0])
    return over_replicates(table, as_runs(runs), confidence)


def ledger_balances(runs: RunsLike) -> pd.Series:
    """Per step (indexed by step number), whether every cent disbursed ended in exactly one sink
    (in every run, when given several).

    Compared in integers, never floats, so a single lost or doubled cent shows as False.
    """
    balanced = [_ledger_balances(run) for run in as_runs(runs)]
    return pd.concat(balanced, axis=1).all(axis=1).rename("balanced")


def _ledger_balances(run: Run) -> pd.Series:
    settled, disbursed = run.ledger["settled"], run.ledger["disbursed"]
    for var in (settled, disbursed):
        if not np.issubdtype(var.dtype, np.integer):
            raise TypeError(f"ledger variable {var.name} is {var.dtype}, expected integer cents")
    balanced = (settled.sum("sink") == disbursed).all(("donor", "channel"))
    return _series(balanced.swap_dims(time="step").drop_vars("time")).rename("balanced")


def sinks(group: xr.Dataset) -> pd.DataFrame:
    """The sinks of a `ledger` or `summary` group as columns: `kind` (delivered, overhead,
    counter_terrorism, diverted), `faction` and `mechanism` (None unless diverted), and
    `outcome`, the faction for diverted money, else the kind. Indexed by sink label."""
    def column(name: str) -> List[Optional[str]]:
        return [value or None for value in group[name].values.tolist()]

    parts = pd.DataFrame({"kind": column("sink_kind"), "faction": column("sink_faction"),
                          "mechanism": column("sink_mechanism")},
                         index=pd.Index(group["sink"].values, name="sink"))
    parts["outcome"] = parts["faction"].fillna(parts["kind"])
    return parts


def sink_parts(labels: Iterable[str]) -> pd.DataFrame:
    """Split sink labels ("delivered", "diverted:<faction>:<mechanism>") into the columns of
    :func:`sinks`, for labels met outside a run file (a file's own coordinates say the same)."""
    rows = [(s, *(s.split(":") + [None, None])[:3]) for s in labels]
    parts = pd.DataFrame(rows, columns=["sink", "kind", "faction", "mechanism"]).set_index("sink")
    parts["outcome"] = parts["faction"].fillna(parts["kind"])
    return parts


def _donor_totals(run: Run, sink_key: str) -> pd.DataFrame:
    """Run totals in cents, donors x sinks grouped by a :func:`sinks` column."""
    settled = _frame(run.summary["total_settled"].sum("channel"))
    keys = sinks(run.summary)[sink_key].reindex(settled.columns)
    return settled.T.groupby(keys, sort=False).sum().T.rename_axis(columns=sink_key)


def _donor_disbursed(run: Run) -> pd.Series:
    """Cents each donor disbursed over the run: the denominator of every share."""
    return _series(run.summary["total_disbursed"].sum("channel"))


def _settled_by_donor(run: Run) -> pd.DataFrame:
    """Cents of each donor's money delivered, spent on overhead, or held by each faction."""
    return _donor_totals(run, "outcome")


def _donor_faction_shares(run: Run) -> pd.DataFrame:
    """Share of each donor's disbursed money that reached each faction (donor x faction).

    This is the question donors ask of their own money; NaN for a donor that disbursed nothing.
    """
    factions = list(run.indicators["faction"].values)
    cents = _settled_by_donor(run).reindex(columns=factions, fill_value=0)
    shares = cents.div(_donor_disbursed(run).replace(0, np.nan), axis=0)
    return shares.rename_axis(columns="faction")


def _aid_outcomes(run: Run) -> pd.DataFrame:
    """Per donor and for all donors: dollars disbursed and the shares delivered/overhead/diverted.

    The headline of any comparison: what fraction of the aid reaches people.
    """
    cents = _donor_totals(run, "kind")
    disbursed = _donor_disbursed(run)
    cents.loc["all"], disbursed.loc["all"] = cents.sum(), disbursed.sum()
    shares = cents.div(disbursed.replace(0, np.nan), axis=0)
    return shares.assign(disbursed_usd=disbursed / 100)[["disbursed_usd", *shares.columns]]


def _diversion_table(run: Run) -> pd.DataFrame:
    """Dollars diverted over the run, faction x mechanism, with each faction's total and share.

    `share_of_disbursed` is the faction's take as a share of all money disbursed, so the column
    sums to the run's diverted share. Rows are every faction of the run.
    """
    settled = _series(run.summary["total_settled"].sum(("donor", "channel")))
    parts = sinks(run.summary)
    diverted = parts[parts["kind"] == DIVERTED]
    cents = (
        settled[diverted.index]
        .groupby([diverted["faction"], diverted["mechanism"]], sort=False)
        .sum()
        .unstack("mechanism")
        .reindex(
            index=list(run.indicators["faction"].values),
            columns=list(run.indicators["mechanism"].values),
            fill_value=0,
        )
    )
    total = cents.sum(axis=1)
    table = cents / 100
    table["total"] = total / 100
    table["share_of_disbursed"] = total / int(run.summary["total_disbursed"].sum())
    return table


def _diverted_by_ministry(run: Run) -> pd.DataFrame:
    """One run's table of :func:`diverted_by_ministry`."""
    summary = run.summary
    settled = summary["total_settled_by_sector"].sum("channel")  # donor x sector x sink, cents
    ministry_of = dict(zip(summary["sector"].values, summary["sector_ministry"].values))
    cells = settled.to_series().rename("cents").reset_index()
    cells = cells.join(sinks(summary)[["kind", "faction", "mechanism"]], on="sink")
    cells = cells[cells["kind"] == DIVERTED].assign(ministry=cells["sector"].map(ministry_of))
    index = pd.MultiIndex.from_product(
        [summary["donor"].values, run.indicators["ministry"].values, summary["faction"].values],
        names=["donor", "ministry", "faction"],
    )
    mechanisms = list(run.indicators["mechanism"].values)
    table = (
        cells.groupby(["donor", "ministry", "faction", "mechanism"], sort=False)["cents"]
        .sum()
        .unstack("mechanism", fill_value=0)
        .reindex(index=index, columns=mechanisms, fill_value=0)
        .astype("int64")
    )
    table["total"] = table.sum(axis=1)
    return table.rename_axis(columns="mechanism")


def settled_by_donor(runs: RunsLike, confidence: float = 0.95) -> pd.DataFrame:
    """Cents of each donor's money delivered, spent on overhead, or held by each faction."""
    return _one_or_many(_settled_by_donor, runs, confidence)


def donor_faction_shares(runs: RunsLike, confidence: float = 0.95) -> pd.DataFrame:
    """Share of each donor's disbursed money that reached each faction (donor x faction).

    This is the question donors ask of their own money; NaN for a donor that disbursed nothing.
    """
    return _one_or_many(_donor_faction_shares, runs, confidence)


def aid_outcomes(runs: RunsLike, confidence: float = 0.95) -> pd.DataFrame:
    """Per donor and for all donors: dollars disbursed and the shares delivered/overhead/diverted.

    The headline of any comparison: what fraction of the aid reaches people.
    """
    return _one_or_many(_aid_outcomes, runs, confidence)


def diversion_table(runs: RunsLike, confidence: float = 0.95) -> pd.DataFrame:
    """Dollars diverted over the run, faction x mechanism, with each faction's total and share.

    `share_of_disbursed` is the faction's take as a share of all money disbursed, so the column
    sums to the run's diverted share. Rows are every faction of the run.
    """
    return _one_or_many(_diversion_table, runs, confidence)


def diverted_by_ministry(runs: RunsLike, confidence: float = 0.95) -> pd.DataFrame:
    """Cents of each donor's money diverted to each faction, by the ministry touchpoint it passed.

    Rows (donor, ministry, faction) for every combination, columns the mechanisms and `total`, in
    integer cents, from `summary/total_settled_by_sector` (every sector names the ministry its money
    passes, `sector_ministry`). `ministry_capture` was taken at that ministry by the faction holding
    it; `local_tax` and `beneficiary_list` took money of that ministry's sectors further down the
    chain, in the districts. Summed over ministries, `total` is exactly the donor x faction cents of
    `settled_by_donor`: the question "how much of donor D's money reached the Haqqanis, and through
    which ministry?" is `diverted_by_ministry(run).loc[(D, slice(None), "haqqani")]`.
    """
    return _one_or_many(_diverted_by_ministry, runs, confidence)


def attribution_gap(runs: RunsLike, complex_in_capital: bool = False,
                    confidence: float = 0.95) -> pd.DataFrame:
    """Attacks each faction executed and claimed over the run, and the gap (claimed minus
    executed: a group that claims more than it executes takes credit for others' attacks, S16).

    All attacks, from the `attacks_executed` and `attacks_claimed` indicators; with
    `complex_in_capital`, the complex attacks in the capital only, from the event table (the
    stylised fact's measure: ISIS-K claims more complex Kabul attacks than it executes). Rows are
    every faction of the run, columns `executed`, `claimed`, `gap`.
    """
    def table(run: Run) -> pd.DataFrame:
        return _attribution_gap(run, complex_in_capital)

    return _one_or_many(table, runs, confidence)


def _attribution_gap(run: Run, complex_in_capital: bool) -> pd.DataFrame:
    factions = list(run.indicators["faction"].values)
    if complex_in_capital:
        ev = events(run)
        if len(ev) == 0:
            attacks = ev
        else:
            attacks = ev[(ev.kind == "attack") & (ev.complex == 1) & (ev.in_capital == 1)]
        executed = attacks["executor"].value_counts() if len(attacks) else pd.Series(dtype=float)
        claimed = attacks["claimant"].value_counts() if len(attacks) else pd.Series(dtype=float)
    else:
        ind = run.indicators
        executed = _series(ind["attacks_executed"].sum("time"))
        claimed = _series(ind["attacks_claimed"].sum("time"))
    table = pd.DataFrame({"executed": executed.reindex(factions, fill_value=0),
                          "claimed": claimed.reindex(factions, fill_value=0)}).astype("int64")
    table["gap"] = table["claimed"] - table["executed"]
    return table.rename_axis(index="faction")
