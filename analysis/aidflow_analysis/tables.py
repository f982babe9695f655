"""Summary tables: where the money went, in integers until the last division.

All totals come from the `summary` group (the ledger's run totals), so every table agrees with the
ledger to the cent; the root-group indicators are a separate record the tests cross-check. Sinks
are grouped by the file's own `sink_kind`, `sink_faction` and `sink_mechanism` coordinates
(docs/OUTPUT.md), never by parsing their labels.
"""
from __future__ import annotations

from typing import Iterable, List, Optional, cast

import numpy as np
import pandas as pd
import xarray as xr

from .run import Run

DIVERTED = "diverted"  # the sink kind of money an armed group took


def _frame(array: xr.DataArray) -> pd.DataFrame:
    """A 2-D array as a DataFrame (xarray's `to_pandas` is typed for any dimension count)."""
    return cast(pd.DataFrame, array.to_pandas())


def _series(array: xr.DataArray) -> pd.Series:
    return cast(pd.Series, array.to_pandas())


def ledger_balances(run: Run) -> pd.Series:
    """Per step (indexed by step number), whether every cent disbursed ended in exactly one sink.

    Compared in integers, never floats, so a single lost or doubled cent shows as False.
    """
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


def settled_by_donor(run: Run) -> pd.DataFrame:
    """Cents of each donor's money delivered, spent on overhead, or held by each faction."""
    return _donor_totals(run, "outcome")


def donor_faction_shares(run: Run) -> pd.DataFrame:
    """Share of each donor's disbursed money that reached each faction (donor x faction).

    This is the question donors ask of their own money; NaN for a donor that disbursed nothing.
    """
    factions = list(run.indicators["faction"].values)
    cents = settled_by_donor(run).reindex(columns=factions, fill_value=0)
    shares = cents.div(_donor_disbursed(run).replace(0, np.nan), axis=0)
    return shares.rename_axis(columns="faction")


def aid_outcomes(run: Run) -> pd.DataFrame:
    """Per donor and for all donors: dollars disbursed and the shares delivered/overhead/diverted.

    The headline of any comparison: what fraction of the aid reaches people.
    """
    cents = _donor_totals(run, "kind")
    disbursed = _donor_disbursed(run)
    cents.loc["all"], disbursed.loc["all"] = cents.sum(), disbursed.sum()
    shares = cents.div(disbursed.replace(0, np.nan), axis=0)
    return shares.assign(disbursed_usd=disbursed / 100)[["disbursed_usd", *shares.columns]]


def diversion_table(run: Run) -> pd.DataFrame:
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


def diverted_by_ministry(run: Run) -> pd.DataFrame:
    """Cents of each donor's money diverted to each faction, by the ministry touchpoint it passed.

    Rows (donor, ministry, faction) for every combination, columns the mechanisms and `total`, in
    integer cents, from `summary/total_settled_by_sector` (every sector names the ministry its money
    passes, `sector_ministry`). `ministry_capture` was taken at that ministry by the faction holding
    it; `local_tax` and `beneficiary_list` took money of that ministry's sectors further down the
    chain, in the districts. Summed over ministries, `total` is exactly the donor x faction cents of
    `settled_by_donor`: the question "how much of donor D's money reached the Haqqanis, and through
    which ministry?" is `diverted_by_ministry(run).loc[(D, slice(None), "haqqani")]`.
    """
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
