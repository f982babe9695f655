"""Paired comparisons of two sets of runs, with confidence intervals over replicates.

Runs of two scenarios with the same seeds share their random draws where the scenarios agree
(common random numbers), so the difference of a pair has far less noise than the difference of
two independent means. Pairs are matched by seed; the interval is Student's t over the pairs'
differences.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, Union

import numpy as np
import pandas as pd
import xarray as xr
from scipy import stats

from .run import CENTS, open_runs

Runs = Union[xr.Dataset, Iterable]  # an `open_runs` Dataset, or paths / Runs to open with it


@dataclass(frozen=True)
class Indicator:
    """A quantity to compare: its series over time per run, and its whole-run value per run."""

    title: str
    units: str
    series: Callable[[xr.Dataset], xr.DataArray]  # dims (run, time)
    total: Callable[[xr.Dataset], xr.DataArray]  # dims (run,)


def _summed(ds: xr.Dataset, name: str, **sel) -> xr.DataArray:
    """`name` summed over every dimension but run and time, in dollars if it is money."""
    var = ds[name].sel(sel) if sel else ds[name]
    out = var.sum([d for d in var.dims if d not in ("run", "time")])
    return out / 100 if var.attrs.get("units") == CENTS else out


def flow(name: str, title: str, units: str, **sel) -> Indicator:
    """Amounts during each step (money, recruits, attacks): the run's value is the sum."""
    series = lambda ds: _summed(ds, name, **sel)  # noqa: E731
    return Indicator(title, units, series, lambda ds: series(ds).sum("time"))


def stock(name: str, title: str, units: str, **sel) -> Indicator:
    """Levels at the end of each step (treasuries, fighters, displaced): the run's value is the last."""
    series = lambda ds: _summed(ds, name, **sel)  # noqa: E731
    return Indicator(title, units, series, lambda ds: series(ds).isel(time=-1))


def level(name: str, title: str, units: str, **sel) -> Indicator:
    """Per-step levels whose run value is the mean over steps (people reached each week)."""
    series = lambda ds: _summed(ds, name, **sel)  # noqa: E731
    return Indicator(title, units, series, lambda ds: series(ds).mean("time"))


def diverted_share() -> Indicator:
    """Diverted over disbursed: per step, and over the run as a ratio of sums (not a mean of ratios)."""
    def series(ds):
        return _summed(ds, "aid_diverted") / _summed(ds, "aid_disbursed").where(lambda x: x != 0)

    def total(ds):
        return _summed(ds, "aid_diverted").sum("time") / _summed(ds, "aid_disbursed").sum("time")

    return Indicator("share of aid diverted", "1", series, total)


# What a policy reader asks first; the report's table, in this order.
KEY_INDICATORS: Dict[str, Indicator] = {
    "aid_disbursed": flow("aid_disbursed", "aid disbursed", "USD"),
    "aid_delivered": flow("aid_delivered", "aid delivered to households", "USD"),
    "aid_diverted": flow("aid_diverted", "aid diverted to armed groups", "USD"),
    "diverted_share": diverted_share(),
    "diverted_haqqani": flow("diverted", "aid diverted to the Haqqani network", "USD", faction="haqqani"),
    "treasury_haqqani": stock("faction_treasury", "Haqqani treasury at the end", "USD", faction="haqqani"),
    "fighters": stock("faction_fighters", "fighters of all groups at the end", "people"),
    "recruits": flow("faction_recruits", "young men recruited", "people"),
    "attacks": flow("attacks_executed", "attacks executed", "attacks"),
    "people_reached": level("people_reached", "people reached per week", "people"),
    "people_in_need": stock("people_in_need", "people in need at the end", "people"),
    "displaced_abroad": stock("displaced", "displaced to Iran and Pakistan at the end", "people",
                              displacement=["iran", "pakistan"]),
    "returned": flow("returned", "returned from Iran and Pakistan (the host states' policy)", "people"),
}


def _indicator(indicator: Union[str, Indicator]) -> Indicator:
    if isinstance(indicator, Indicator):
        return indicator
    if indicator in KEY_INDICATORS:
        return KEY_INDICATORS[indicator]
    return flow(indicator, indicator.replace("_", " "), "")


def _stacked(runs: Runs) -> xr.Dataset:
    return runs if isinstance(runs, xr.Dataset) else open_runs(list(runs))


def _paired(a: xr.DataArray, b: xr.DataArray) -> tuple:
    """Align two per-run arrays on seed; refuse when no seed is shared or a seed repeats."""
    for x, side in ((a, "a"), (b, "b")):
        if len(set(x["seed"].values.tolist())) != x.sizes["run"]:
            raise ValueError(f"runs_{side} repeat a seed: pairs are matched by seed")
    a = a.swap_dims(run="seed").drop_vars("run")
    b = b.swap_dims(run="seed").drop_vars("run")
    seeds = sorted(set(a["seed"].values.tolist()) & set(b["seed"].values.tolist()))
    if not seeds:
        raise ValueError("runs_a and runs_b share no seed: a paired comparison needs replicates "
                         "with the same seeds (aidflow run ... --seed N)")
    a, b = a.sel(seed=seeds), b.sel(seed=seeds)
    return a, b, b - a


def _interval(diff: xr.DataArray, confidence: float) -> tuple:
    n = diff.sizes["seed"]
    mean = diff.mean("seed")
    if n < 2:
        nan = xr.full_like(mean, np.nan, dtype=float)
        return mean, nan, nan
    with warnings.catch_warnings():  # all-NaN pairs (a share of nothing disbursed) stay NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = diff.std("seed", ddof=1)
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * spread / np.sqrt(n)
    return mean, mean - half, mean + half


def compare(runs_a: Runs, runs_b: Runs, indicator: Union[str, Indicator], confidence: float = 0.95,
            cumulative: bool = False) -> xr.Dataset:
    """Paired difference b − a over time, with its confidence band.

    `runs_a` is the reference (the baseline) and `runs_b` the alternative (the policy); each is an
    `open_runs` Dataset or a list of paths. `indicator` is a `KEY_INDICATORS` name, any variable
    name (summed over its dimensions other than time), or an :class:`Indicator`. Returns a Dataset
    along `time`: `a`, `b` (means over pairs), `difference`, `low`, `high`; attrs name the
    indicator, units, labels, pairs and confidence. `cumulative` compares running totals.
    """
    ind = _indicator(indicator)
    a_ds, b_ds = _stacked(runs_a), _stacked(runs_b)
    a, b = ind.series(a_ds), ind.series(b_ds)
    if cumulative:
        a, b = a.cumsum("time"), b.cumsum("time")
    a, b, diff = _paired(a, b)
    mean, low, high = _interval(diff, confidence)
    return xr.Dataset(
        {"a": a.mean("seed"), "b": b.mean("seed"), "difference": mean, "low": low, "high": high},
        attrs={"indicator": ind.title, "units": ind.units, "pairs": diff.sizes["seed"],
               "confidence": confidence, "cumulative": int(cumulative),
               "label_a": _label(a_ds), "label_b": _label(b_ds)},
    )


def compare_table(runs_a: Runs, runs_b: Runs, indicators: Iterable = tuple(KEY_INDICATORS),
                  confidence: float = 0.95) -> pd.DataFrame:
    """Whole-run values of several indicators, b against a: one row per indicator.

    Columns: `a`, `b` (means over pairs), `difference` (b − a), `low`, `high` (its confidence
    interval), `relative` (difference / a), `pairs`, `units`. A plain DataFrame: it prints as
    text anywhere.
    """
    a_ds, b_ds = _stacked(runs_a), _stacked(runs_b)
    rows = {}
    for name in indicators:
        ind = _indicator(name)
        a, b, diff = _paired(ind.total(a_ds), ind.total(b_ds))
        mean, low, high = (float(x) for x in _interval(diff, confidence))
        a_mean = float(a.mean())
        rows[ind.title] = {"a": a_mean, "b": float(b.mean()), "difference": mean, "low": low,
                           "high": high, "relative": mean / a_mean if a_mean else np.nan,
                           "pairs": diff.sizes["seed"], "units": ind.units}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "indicator"
    table.attrs.update(label_a=_label(a_ds), label_b=_label(b_ds), confidence=confidence)
    return table


def _label(ds: xr.Dataset) -> str:
    labels = list(dict.fromkeys(ds["label"].values.tolist())) if "label" in ds.coords else []
    return ", ".join(labels) if labels else "runs"
