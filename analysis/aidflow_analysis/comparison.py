"""Paired comparisons of two sets of runs, with intervals over replicates and, over an
ensemble, over the ensemble's parameter draws too.

Runs of two scenarios with the same seeds share their random draws where the scenarios agree
(common random numbers), so the difference of a pair has far less noise than the difference of
two independent means. Pairs must cover the same weeks: runs whose time axes differ are refused
unless the caller names a common `window`.

- Without draws (runs of one scenario per side, told apart by seed) pairs are matched by seed;
  the interval is Student's t over the pairs' differences: it covers seed noise only.
- Over an ensemble (each run also carries a `draw` coordinate: the parameter set it ran with,
  a posterior draw or a sampled point of the assumptions, the same draws and seeds on both
  sides) pairs are matched by draw and seed. Then the mean effect's interval is a percentile
  bootstrap over the draws (draws resampled with replacement, each with all its seeds;
  BOOTSTRAP resamples, a fixed seed, so the same runs give the same interval): it covers the
  parameter uncertainty the ensemble holds and the seed noise. The *predictive* interval is the
  range of the paired differences themselves over draws x seeds (their percentiles): where the
  effect in one world drawn from the ensemble falls. `p_beats` is the share of the pairs in
  which the policy does better than the reference (ties count half), for indicators that say
  which way is better.

What is compared is an :class:`Indicator`: a series over time per run and one value per run,
made by :func:`flow` (summed over the run), :func:`stock` (the value at the end) or :func:`level`
(the mean over steps), in the file's units with money in dollars.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd
import xarray as xr

from .errors import ComparisonError
from .replicates import mean_interval
from .reader import PathLike
from .run_file import Run, open_runs
from .units import CENTS, SHARE, display_units, format_value

# An `open_runs` Dataset, or paths / Runs to open with it.
Runs = Union[xr.Dataset, Iterable[Union[PathLike, Run]]]
DateLike = Union[str, np.datetime64, pd.Timestamp]
Window = Tuple[DateLike, DateLike]


@dataclass(frozen=True)
class Indicator:
    """A quantity to compare: its series over time per run, and its whole-run value per run.

    `title` and `units` (as a person reads them: "USD", "people") may be None, meaning "from
    the file": the variable's `long_name` and `units` attributes (see :meth:`described`).
    `kind` says what the whole-run value is: the sum of a `flow`, the last value of a `stock`
    (titled "... at the end" in tables, not in figures over time), the mean of a `level`, or a
    `ratio` of sums.
    """

    title: Optional[str]
    units: Optional[str]
    series: Callable[[xr.Dataset], xr.DataArray]  # dims (run, time)
    total: Callable[[xr.Dataset], xr.DataArray]  # dims (run,)
    kind: str = "flow"
    better: Optional[str] = None  # "lower" or "higher": which way a policy beats the reference

    def described(self, ds: xr.Dataset) -> Tuple[str, str]:
        """(title, units) of the series over time for runs `ds`, filling in what the indicator
        left to the file."""
        series = self.series(ds)
        title = self.title or str(series.attrs.get("long_name", series.name or "indicator"))
        units = self.units if self.units is not None else str(series.attrs.get("units", ""))
        return title, units

    def described_total(self, ds: xr.Dataset) -> Tuple[str, str]:
        """(title, units) of the whole-run value: a stock's title says it is the value at the
        end (a stock of the file keeps its own long name, which says so already)."""
        title, units = self.described(ds)
        if self.kind == "stock" and self.title is not None:
            title = f"{title} at the end"
        return title, units


def _summed(ds: xr.Dataset, name: str, **sel: Any) -> xr.DataArray:
    """`name` summed over every dimension but run and time, in dollars if it is money; keeps
    `units` (as shown) and `long_name` (with the selection) for the indicator's description."""
    var = ds[name].sel(sel) if sel else ds[name]
    out = var.sum([d for d in var.dims if d not in ("run", "time")])
    if var.attrs.get("units") == CENTS:
        out = out / 100
    chosen = ", ".join(f"{v}" if not isinstance(v, (list, tuple)) else " and ".join(map(str, v))
                       for v in sel.values())
    long_name = str(var.attrs.get("long_name", name.replace("_", " ")))
    return out.rename(name).assign_attrs(
        units=display_units(str(var.attrs.get("units", ""))),
        long_name=f"{long_name} ({chosen})" if chosen else long_name)


def flow(name: str, title: Optional[str] = None, units: Optional[str] = None,
         **sel: Any) -> Indicator:
    """Amounts during each step (money, recruits, attacks): the run's value is the sum over steps.

    `sel` selects along the variable's other dimensions (`faction="haqqani"`, or a list to sum);
    the rest are summed. Title and units default to the file's (money in dollars).
    """
    def series(ds: xr.Dataset) -> xr.DataArray:
        return _summed(ds, name, **sel)

    return Indicator(title, units, series, lambda ds: series(ds).sum("time", keep_attrs=True))


def stock(name: str, title: Optional[str] = None, units: Optional[str] = None,
          **sel: Any) -> Indicator:
    """Levels at the end of each step (treasuries, fighters, displaced): the run's value is the
    last step's (of the compared window)."""
    def series(ds: xr.Dataset) -> xr.DataArray:
        return _summed(ds, name, **sel)

    return Indicator(title, units, series, lambda ds: series(ds).isel(time=-1), "stock")


def level(name: str, title: Optional[str] = None, units: Optional[str] = None,
          **sel: Any) -> Indicator:
    """Per-step levels whose run value is the mean over steps (people reached each week)."""
    def series(ds: xr.Dataset) -> xr.DataArray:
        return _summed(ds, name, **sel)

    return Indicator(title, units, series, lambda ds: series(ds).mean("time", keep_attrs=True),
                     "level")


def diverted_share() -> Indicator:
    """Diverted over disbursed: per step, and over the run as a ratio of sums (not a mean of ratios)."""
    def series(ds: xr.Dataset) -> xr.DataArray:
        disbursed = _summed(ds, "aid_disbursed")
        return _summed(ds, "aid_diverted") / disbursed.where(disbursed != 0)

    def total(ds: xr.Dataset) -> xr.DataArray:
        return _summed(ds, "aid_diverted").sum("time") / _summed(ds, "aid_disbursed").sum("time")

    return Indicator("share of aid diverted", SHARE, series, total, "ratio")


def lower_is_better(ind: Indicator) -> Indicator:
    return replace(ind, better="lower")


def higher_is_better(ind: Indicator) -> Indicator:
    return replace(ind, better="higher")


# What a policy reader asks first; the report's table, in this order.
KEY_INDICATORS: Dict[str, Indicator] = {
    "aid_disbursed": flow("aid_disbursed", "aid disbursed", "USD"),
    "aid_delivered": higher_is_better(flow("aid_delivered", "aid delivered to households", "USD")),
    "aid_diverted": lower_is_better(flow("aid_diverted", "aid diverted to armed groups", "USD")),
    "diverted_share": lower_is_better(diverted_share()),
    "diverted_haqqani": lower_is_better(flow("diverted", "aid diverted to the Haqqani network", "USD",
                                             faction="haqqani")),
    "treasury_haqqani": lower_is_better(stock("faction_treasury", "Haqqani treasury", "USD",
                                              faction="haqqani")),
    "fighters": lower_is_better(stock("faction_fighters", "fighters of all groups", "people")),
    "recruits": lower_is_better(flow("faction_recruits", "young men recruited", "people")),
    "attacks": lower_is_better(flow("attacks_executed", "attacks executed", "attacks")),
    "people_reached": higher_is_better(level("people_reached", "people reached per week", "people")),
    "people_in_need": lower_is_better(stock("people_in_need", "people in need", "people")),
    "displaced_abroad": lower_is_better(stock("displaced", "displaced to Iran and Pakistan", "people",
                                              displacement=["iran", "pakistan"])),
    "returned": flow("returned", "returned from Iran and Pakistan (the host states' policy)",
                     "people"),
}


# What the article's proposals exist to move (the report judges each proposal on these, beside
# the key indicators); by name for `compare` and `compare_table` too.
POLICY_INDICATORS: Dict[str, Indicator] = {
    "transfers_haqqani_al_qaeda": flow("transfers", "Haqqani transfers to al Qaeda", "USD",
                                       from_faction="haqqani", to_faction="al_qaeda"),
    "transfers_haqqani_isis_kabul": flow("transfers", "Haqqani transfers to ISIS-Kabul", "USD",
                                         from_faction="haqqani", to_faction="isis_kabul"),
    "treasury_al_qaeda": stock("faction_treasury", "al Qaeda's treasury", "USD", faction="al_qaeda"),
    "income_al_qaeda": flow("faction_income", "al Qaeda's income", "USD", faction="al_qaeda"),
    "attacks_isis_kabul": flow("attacks_executed", "attacks by ISIS-Kabul", "attacks",
                               faction="isis_kabul"),
    "attacks_isis_khorasan": flow("attacks_executed", "attacks by ISIS-Khorasan", "attacks",
                                  faction="isis_khorasan"),
    "attacks_haqqani": flow("attacks_executed", "attacks by the Haqqani network", "attacks",
                            faction="haqqani"),
    "hostages": stock("hostages_held", "hostages held", "people"),
    "ransom": flow("faction_income", "ransom paid to armed groups", "USD", income="ransom"),
    "enforcement_damping": level("enforcement_damping",
                                 "enforcement lost to hostage leverage (mean over the weeks)", SHARE),
    "fighters_isis_khorasan": stock("faction_fighters", "ISIS-Khorasan fighters", "people",
                                    faction="isis_khorasan"),
    "fighters_haqqani": stock("faction_fighters", "Haqqani fighters", "people", faction="haqqani"),
    "external_operations_haqqani": stock("external_operations",
                                         "Haqqani complex attacks abroad it could mount", "attacks",
                                         faction="haqqani"),
    "patron_income_haqqani": flow("faction_income", "patron support to the Haqqanis", "USD",
                                  faction="haqqani", income="patron_support"),
    "aid_withheld": flow("aid_withheld", "aid withheld by suspensions", "USD"),
    "aid_substituted": flow("aid_substituted", "aid added by donors outside the condition", "USD"),
    "recruits_isis_khorasan": flow("faction_recruits", "young men recruited by ISIS-Khorasan",
                                   "people", faction="isis_khorasan"),
    "need_mean": stock("need_mean", "mean need severity per person", SHARE),
}


def as_indicator(spec: Union[str, Indicator]) -> Indicator:
    """An Indicator from a `KEY_INDICATORS` or `POLICY_INDICATORS` name, or any variable name
    (a :func:`flow`)."""
    if isinstance(spec, Indicator):
        return spec
    if spec in KEY_INDICATORS:
        return KEY_INDICATORS[spec]
    if spec in POLICY_INDICATORS:
        return POLICY_INDICATORS[spec]
    return flow(spec)


def _stacked(runs: Runs) -> xr.Dataset:
    return runs if isinstance(runs, xr.Dataset) else open_runs(list(runs))


def _spans(ds: xr.Dataset) -> List[Tuple[np.datetime64, np.datetime64, int]]:
    """(first date, last date, steps) each run covers: from `open_runs`' coordinates, else from
    where its data is not missing (runs of other lengths are NaN-padded when stacked)."""
    if "time_start" in ds.coords and "time_end" in ds.coords and "time_steps" in ds.coords:
        return list(zip(ds["time_start"].values, ds["time_end"].values,
                        ds["time_steps"].values.tolist()))
    timed = [v for v in ds.data_vars.values() if "time" in v.dims and "run" in v.dims]
    spans = []
    for run in range(ds.sizes.get("run", 0)):
        covered = np.zeros(ds.sizes["time"], dtype=bool)
        for var in timed:
            covered |= var.isel(run=run).notnull().any([d for d in var.dims
                                                        if d not in ("run", "time")]).values
        times = ds["time"].values[covered]
        spans.append((times[0], times[-1], int(covered.sum())) if times.size else
                     (np.datetime64("NaT"), np.datetime64("NaT"), 0))
    return spans


def _describe_span(span: Tuple[np.datetime64, np.datetime64, int]) -> str:
    start, end, steps = span
    return f"{np.datetime_as_string(start, 'D')} to {np.datetime_as_string(end, 'D')} ({steps} steps)"


def common_time(runs_a: xr.Dataset, runs_b: xr.Dataset,
                window: Optional[Window] = None) -> Tuple[xr.Dataset, xr.Dataset]:
    """Both sets of runs on the same weeks: refused when their time axes differ, unless
    `window` (first and last date, inclusive) names a period every run covers, which both are
    then cut to. Comparing a 26-week baseline with a 52-week policy would otherwise report the
    longer run's extra weeks as the policy's effect."""
    sides = {"runs_a": runs_a, "runs_b": runs_b}
    spans = {side: _spans(ds) for side, ds in sides.items()}
    if window is None:
        distinct = {(s[0], s[1]) for side in spans.values() for s in side}
        if len(distinct) > 1:
            listed = "; ".join(f"{side}: " + ", ".join(sorted({_describe_span(s) for s in side_spans}))
                               for side, side_spans in spans.items())
            raise ComparisonError(f"the runs cover different weeks ({listed}): pairs must cover "
                                  "the same weeks; pass window=(first_date, last_date) to compare "
                                  "a period every run covers")
        return runs_a, runs_b
    start, end = (np.datetime64(pd.Timestamp(d), "ns") for d in window)
    if start > end:
        raise ComparisonError(f"window {window}: the first date is after the last")
    for side, side_spans in spans.items():
        short = [s for s in side_spans if not (s[0] <= start and s[1] >= end)]
        if short:
            raise ComparisonError(
                f"window {np.datetime_as_string(start, 'D')} to {np.datetime_as_string(end, 'D')}"
                f": {side} has runs that do not cover it ({_describe_span(short[0])})")
    cut = {side: ds.sel(time=slice(start, end)) for side, ds in sides.items()}
    if cut["runs_a"].sizes["time"] == 0:
        raise ComparisonError(f"window {window} holds no step of the runs")
    return cut["runs_a"], cut["runs_b"]


DrawSpec = Union[None, str, Sequence[str]]
DRAW = "draw"       # the coordinate an ensemble sweep gives each run's parameter draw
POINT = "point"     # a sweep's design point: the draw when two sweeps share their design
BOOTSTRAP = 2000    # resamples of the draws for the mean effect's interval
BOOTSTRAP_SEED = 20  # fixed: the same runs give the same interval


def draw_coordinates(a: xr.Dataset, b: xr.Dataset, draw: DrawSpec = None) -> List[str]:
    """The coordinates that name a run's draw: `draw` as given (a name or names; () for none),
    else `draw` when both sides have it, else `point` when both do (two sweeps of one design),
    else none (pairs by seed alone)."""
    if draw is not None:
        names = [draw] if isinstance(draw, str) else list(draw)
        for side, ds in (("runs_a", a), ("runs_b", b)):
            missing = [n for n in names if n not in ds.coords or ds[n].dims != ("run",)]
            if missing:
                raise ComparisonError(f"{side} has no coordinate {', '.join(missing)} along run "
                                      "(the draw each run ran with)")
        return names
    for name in (DRAW, POINT):
        if all(name in ds.coords and ds[name].dims == ("run",) for ds in (a, b)):
            return [name]
    return []


def _keys(x: xr.DataArray, names: List[str]) -> List[Tuple[Any, ...]]:
    return list(zip(*(x[n].values.tolist() for n in names)))


def _paired(a: xr.DataArray, b: xr.DataArray, draws: Sequence[str] = ()
            ) -> Tuple[xr.DataArray, xr.DataArray, xr.DataArray]:
    """Align two per-run arrays along `pair`: by seed, or by draw and seed; refuse when no pair
    is shared or a key repeats. The pairs keep `seed` (and `draw`, the draw's key) as
    coordinates."""
    names = [*draws, "seed"]
    what = "seed" if not draws else f"draw ({', '.join(draws)}) and seed"
    keys = {}
    for x, side in ((a, "a"), (b, "b")):
        keys[side] = _keys(x, names)
        if len(set(keys[side])) != x.sizes["run"]:
            raise ComparisonError(f"runs_{side} repeat a {what}: pairs are matched by {what}")
    shared = sorted(set(keys["a"]) & set(keys["b"]), key=lambda k: tuple(map(str, k)))
    if not shared:
        raise ComparisonError(f"runs_a and runs_b share no {what}: a paired comparison needs "
                              "replicates with the same seeds (aidflow run ... --seed N)"
                              + (" on the same draws" if draws else ""))
    coords = {"seed": ("pair", [k[-1] for k in shared])}
    labels = [str(k[:-1]) if len(k) > 2 else k[0] for k in shared]
    if draws and len(set(labels)) > 1:  # one draw: an interval over seeds alone, as without
        coords[DRAW] = ("pair", labels)

    def along_pairs(x: xr.DataArray, side: str) -> xr.DataArray:
        where = {k: i for i, k in enumerate(keys[side])}
        picked = x.isel(run=[where[k] for k in shared])
        picked = picked.drop_vars([c for c in picked.coords if "run" in picked[c].dims])
        return picked.rename(run="pair").assign_coords(coords)

    a, b = along_pairs(a, "a"), along_pairs(b, "b")
    return a, b, b - a


def _draw_bootstrap(diff: xr.DataArray, confidence: float) -> Tuple[xr.DataArray, xr.DataArray]:
    """Percentile bootstrap of the mean paired difference over the draws: resample the draws
    with replacement (each with all its seeds), the mean over the resampled pairs each time."""
    labels, which = np.unique(diff[DRAW].values.astype(str), return_inverse=True)
    values = np.moveaxis(np.asarray(diff.values, dtype=float), diff.dims.index("pair"), 0)
    sums = np.zeros((len(labels), *values.shape[1:]))
    np.add.at(sums, which, values)
    counts = np.bincount(which, minlength=len(labels)).astype(float)
    picks = np.random.default_rng(BOOTSTRAP_SEED).integers(0, len(labels), (BOOTSTRAP, len(labels)))
    means = sums[picks].sum(1) / counts[picks].sum(1).reshape(-1, *([1] * (values.ndim - 1)))
    tail = (1 - confidence) / 2
    rest = [d for d in diff.dims if d != "pair"]
    low, high = (xr.DataArray(np.quantile(means, q, axis=0), dims=rest,
                              coords={d: diff[d] for d in rest if d in diff.coords})
                 for q in (tail, 1 - tail))
    return low, high


def _interval(diff: xr.DataArray, confidence: float) -> Tuple[xr.DataArray, xr.DataArray, xr.DataArray]:
    """The mean paired difference and its interval: Student's t over the pairs without draws,
    the bootstrap over draws with them."""
    if DRAW not in diff.coords:
        return mean_interval(diff, "pair", confidence)
    low, high = _draw_bootstrap(diff, confidence)
    return diff.mean("pair"), low, high


def mean_over_runs(values: xr.DataArray, confidence: float = 0.95
                   ) -> Tuple[xr.DataArray, xr.DataArray, xr.DataArray]:
    """The mean over `run` of per-run values, with its interval as compare_table gives a
    difference's: Student's t over the runs, or, when the runs carry a `draw` coordinate with
    more than one draw (an ensemble), the percentile bootstrap over the draws."""
    runs = values.rename(run="pair")
    if DRAW in runs.coords and len(set(runs[DRAW].values.tolist())) < 2:
        runs = runs.drop_vars(DRAW)
    return _interval(runs, confidence)


def _predictive(diff: xr.DataArray, confidence: float) -> Tuple[xr.DataArray, xr.DataArray]:
    """Where one pair's difference falls: the percentiles of the differences over the pairs."""
    tail = (1 - confidence) / 2
    return diff.quantile(tail, "pair").drop_vars("quantile"), diff.quantile(1 - tail, "pair").drop_vars("quantile")


def _p_higher(diff: xr.DataArray) -> xr.DataArray:
    """The share of pairs where b is above a (ties count half)."""
    return (diff > 0).mean("pair") + 0.5 * (diff == 0).mean("pair")


def _p_beats(diff: xr.DataArray, better: Optional[str]) -> xr.DataArray:
    higher = _p_higher(diff)
    if better == "higher":
        return higher
    if better == "lower":
        return 1 - higher
    return xr.full_like(higher, np.nan, dtype=float)


def _counts(diff: xr.DataArray) -> Tuple[int, int]:
    """(draws, seeds) the pairs cover."""
    draws = len(set(diff[DRAW].values.tolist())) if DRAW in diff.coords else 1
    return draws, len(set(diff["seed"].values.tolist()))


def compare(runs_a: Runs, runs_b: Runs, indicator: Union[str, Indicator], confidence: float = 0.95,
            cumulative: bool = False, window: Optional[Window] = None,
            draw: DrawSpec = None) -> xr.Dataset:
    """Paired difference b − a over time, with its confidence band.

    `runs_a` is the reference (the baseline) and `runs_b` the alternative (the policy); each is an
    `open_runs` Dataset or a list of paths. `indicator` is a `KEY_INDICATORS` name, any variable
    name (a :func:`flow`), or an :class:`Indicator`. Runs must cover the same weeks, or `window`
    (first and last date) must name a period they all cover. Returns a Dataset along `time`:
    `a`, `b` (means over pairs), `difference`, `low`, `high`; attrs name the indicator, units
    (money in USD), labels, pairs and confidence. `cumulative` compares running totals.
    Over an ensemble (`draw`: see :func:`compare_table`) the band is the bootstrap over draws,
    and `predictive_low`, `predictive_high` bound one pair's difference; attrs add `draws`,
    `seeds`.
    """
    ind = as_indicator(indicator)
    a_ds, b_ds = common_time(_stacked(runs_a), _stacked(runs_b), window)
    title, units = ind.described(a_ds)
    a, b = ind.series(a_ds), ind.series(b_ds)
    if cumulative:
        a, b = a.cumsum("time"), b.cumsum("time")
    a, b, diff = _paired(a, b, draw_coordinates(a_ds, b_ds, draw))
    mean, low, high = _interval(diff, confidence)
    out = xr.Dataset(
        {"a": a.mean("pair"), "b": b.mean("pair"), "difference": mean, "low": low, "high": high},
        attrs={"indicator": title, "units": units, "pairs": diff.sizes["pair"],
               "confidence": confidence, "cumulative": int(cumulative),
               "label_a": _label(a_ds), "label_b": _label(b_ds)},
    )
    if DRAW in diff.coords:
        out["predictive_low"], out["predictive_high"] = _predictive(diff, confidence)
        out.attrs["draws"], out.attrs["seeds"] = _counts(diff)
    return out


def compare_table(runs_a: Runs, runs_b: Runs, indicators: Iterable[Union[str, Indicator]] = tuple(KEY_INDICATORS),
                  confidence: float = 0.95, window: Optional[Window] = None,
                  draw: DrawSpec = None) -> "ComparisonTable":
    """Whole-run values of several indicators, b against a: one row per indicator.

    Columns: `a`, `b` (means over pairs), `difference` (b − a), `low`, `high` (its confidence
    interval), `percent_change` (difference as a percentage of a), `pairs`, `units` (money in
    USD, counts in people or attacks, shares as "1"). The numbers are plain floats; printed, the
    table shows dollars ("$3.48 billion"), whole people and percent. Runs must cover the same
    weeks, or `window` must name a period they all cover (see :func:`compare`).

    Over an ensemble the pairs are matched by draw and seed: `draw` names the coordinate(s) of
    `run` that say which parameter draw a run ran with (default: `draw` if both sides have it,
    else `point`, as two sweeps of one design number their points alike; for the arms of one
    crossed sweep, the sampled parameters' names; `()` pairs by seed alone). Then `low`, `high`
    are the bootstrap interval over draws of the mean effect, and the table adds `predictive_low`,
    `predictive_high` (the percentiles of the pairs' differences: one world's effect), `p_beats`
    (the share of pairs where b does better than a, for indicators that say which way is better;
    NaN for the others), `p_higher` (where b is above a), `draws` and `seeds`; `attrs["method"]`
    says so, and the printed table starts with it.
    """
    a_ds, b_ds = common_time(_stacked(runs_a), _stacked(runs_b), window)
    draws = draw_coordinates(a_ds, b_ds, draw)
    rows = {}
    for name in indicators:
        ind = as_indicator(name)
        title, units = ind.described_total(a_ds)
        a, b, diff = _paired(ind.total(a_ds), ind.total(b_ds), draws)
        mean, low, high = (float(x) for x in _interval(diff, confidence))
        a_mean = float(a.mean())
        rows[title] = {"a": a_mean, "b": float(b.mean()), "difference": mean, "low": low,
                       "high": high, "percent_change": 100 * mean / a_mean if a_mean else np.nan,
                       "pairs": diff.sizes["pair"], "units": units}
        if DRAW in diff.coords:
            predictive_low, predictive_high = (float(x) for x in _predictive(diff, confidence))
            n_draws, n_seeds = _counts(diff)
            rows[title].update(predictive_low=predictive_low, predictive_high=predictive_high,
                               p_beats=float(_p_beats(diff, ind.better)),
                               p_higher=float(_p_higher(diff)), draws=n_draws, seeds=n_seeds)
    table = ComparisonTable.from_dict(rows, orient="index")
    table.index.name = "indicator"
    table.attrs.update(label_a=_label(a_ds), label_b=_label(b_ds), confidence=confidence)
    first: Dict[str, Any] = next(iter(rows.values()), {})
    if "draws" in first:
        table.attrs["method"] = (
            f"paired by draw ({', '.join(draws)}) and seed: {first['draws']} draws x "
            f"{first['seeds']} seeds; {confidence:.0%} interval of the mean effect: percentile "
            f"bootstrap over the draws ({BOOTSTRAP} resamples); predictive: the "
            f"{(1 - confidence) / 2:.1%} and {(1 + confidence) / 2:.1%} percentiles of the "
            "pairs' differences; p_beats: the share of pairs where b does better")
    return table


VALUE_COLUMNS = ("a", "b", "difference", "low", "high", "predictive_low", "predictive_high")
SIGNED_COLUMNS = ("difference", "low", "high", "predictive_low", "predictive_high")
PROBABILITY_COLUMNS = ("p_beats", "p_higher")


class ComparisonTable(pd.DataFrame):
    """`compare_table`'s result: a DataFrame of numbers that prints for a person.

    Printed (or shown in a notebook) money reads "$3.48 billion", people and attacks as whole
    numbers, shares and `percent_change` as percent, differences of shares in percentage points;
    the values themselves stay floats for computing (`table.loc[row, "difference"]`).
    """

    @property
    def _constructor(self) -> Callable[..., "ComparisonTable"]:
        return ComparisonTable

    def formatted(self) -> pd.DataFrame:
        """The table as text cells, as it prints."""
        if not {"units", "a", "b", "difference", "low", "high"} <= set(self.columns):
            return pd.DataFrame(self)
        out = pd.DataFrame(index=self.index)
        for column in self.columns:
            if column in VALUE_COLUMNS:
                signed = column in SIGNED_COLUMNS
                out[column] = [format_value(v, _difference_units(u) if signed else u, sign=signed)
                               for v, u in zip(self[column], self["units"])]
            elif column == "percent_change":
                out[column] = [format_value(v, "%", sign=True) for v in self[column]]
            elif column in PROBABILITY_COLUMNS:
                out[column] = [format_value(v, SHARE) for v in self[column]]
            elif column != "units":
                out[column] = self[column]
        return out

    def __repr__(self) -> str:
        text = self.formatted().to_string()  # every column: a cut table would hide the interval
        method = self.attrs.get("method")
        return f"{method}\n{text}" if method else text

    def to_string(self, *args: Any, **kwargs: Any) -> str:
        return self.formatted().to_string(*args, **kwargs)

    def _repr_html_(self) -> Optional[str]:
        return self.formatted()._repr_html_()


def _difference_units(units: str) -> str:
    """A difference of shares is in percentage points, not percent."""
    return "pp" if units == SHARE else units


def _label(ds: xr.Dataset) -> str:
    labels = list(dict.fromkeys(ds["label"].values.tolist())) if "label" in ds.coords else []
    return ", ".join(labels) if labels else "runs"
