"""Standard figures of runs and comparisons.

Each function draws on `ax` when given one (so figures can share axes or sit in a grid) and
otherwise makes its own Figure; it returns the Figure either way. Figures are built with
`matplotlib.figure.Figure`, not pyplot, so batch scripts do not pile up open figures in pyplot's
registry; in a notebook a returned Figure displays itself. Every figure's title names the run
(label and seed) or the comparison, so a figure cut out of a report still says what it shows.
Legends use the display names stored in the file (`faction_name`, ...). `save` writes PNG and SVG.

Every figure of one run also takes several (a list: replicates of one scenario, covering the same
weeks): lines become the mean over the runs with a shaded confidence interval, bars get error
bars, and Sankey bands are the mean (aidflow_analysis.replicates).
"""
from __future__ import annotations

import textwrap
from os import PathLike
from pathlib import Path
from typing import Any, Iterable, List, Optional, Tuple, Union

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .errors import AidflowError
from .replicates import RunsLike, as_runs, mean_interval, title_of
from .run_file import Run
from .tables import attribution_gap as attribution_table
from .tables import diversion_table, diverted_by_ministry
from .units import COUNTS, SHARE, USD, format_value, scale_for, scale_label, to_usd

CONFIDENCE = 0.95  # of the intervals figures of several runs show


def _indicator(runs: List[Run], name: str, usd: bool = False) -> xr.DataArray:
    """Indicator `name` of one run, or of several stacked along `run` (they must cover the same
    weeks); in dollars with `usd`."""
    data = [to_usd(r.indicators[name]) if usd else r.indicators[name] for r in runs]
    if len(data) == 1:
        return data[0]
    for run, d in zip(runs, data):
        if not np.array_equal(d["time"].values, data[0]["time"].values):
            raise AidflowError(f"{run.path}: covers other weeks than {runs[0].path}; a figure of "
                               "replicates needs runs of the same weeks")
    return xr.concat(data, dim="run")


def _curve(ax: Axes, dates: Any, data: xr.DataArray, label: Optional[str] = None) -> None:
    """One line: the values, or for several runs (a `run` dimension) their mean with a shaded
    confidence interval."""
    if "run" not in data.dims:
        ax.plot(dates, data.values, label=label)
        return
    mean, low, high = mean_interval(data, "run", CONFIDENCE)
    (line,) = ax.plot(dates, mean.values, label=label)
    ax.fill_between(dates, low.values, high.values, color=line.get_color(), alpha=0.2,
                    linewidth=0)


def _mean(data: xr.DataArray) -> xr.DataArray:
    return data.mean("run") if "run" in data.dims else data


def _axes(ax: Optional[Axes], size: Tuple[float, float] = (9, 4)) -> Tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.subplots()


def _scale(ax: Axes, values: Any, units: str, what: str = "", axis: str = "y") -> float:
    """Label `ax`'s axis with `units` in a size chosen by the values' magnitude ("USD millions
    per week", "thousand people") and return the divisor to plot them by. Counts shown unscaled
    get whole-number ticks; no axis ever shows an offset or "1e6" above it."""
    divisor, label = scale_for(values, units)
    text = f"{label} {what}".strip()
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_label_text(text)
    decimals = 0 if (divisor == 1 and units in COUNTS + ("fighters",)) else None
    if decimals == 0:  # whole things at whole ticks: no "0, 0, -0" over a range of ±0.04
        target.set_major_locator(MaxNLocator(integer=True))
    target.set_major_formatter(FuncFormatter(_ticks(decimals)))
    return divisor


def _title(ax: Axes, text: str, width: int = 70) -> None:
    """A title wrapped to the axes' width: titles name the runs, which can be long (labels with
    overrides), and a title wider than its figure is cut off."""
    ax.set_title(textwrap.fill(text, width))


def _ticks(decimals: Optional[int]) -> Any:
    def tick(value: float, _position: Any) -> str:
        if decimals is not None:
            return f"{round(value, decimals) + 0.0:,.{decimals}f}"  # + 0.0: never "-0"
        return f"{value:,.6g}"
    return tick


def _names(data: Union[xr.DataArray, xr.Dataset], dim: str) -> List[str]:
    """Display names along `dim` where the file has them, else the ids."""
    key = f"{dim}_name"
    labels = data.coords[key] if key in data.coords else data.coords[dim]
    return [str(v) for v in labels.values]


def _dates(ax: Axes) -> None:
    """Short date labels, so side-by-side panels stay readable."""
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _lines(ax: Axes, data: xr.DataArray, dim: str) -> None:
    """One line per label of `dim` over time (a mean and its band for several runs), with a
    legend of display names."""
    for i, name in enumerate(_names(data, dim)):
        _curve(ax, data["time"].values, data.isel({dim: i}), name)
    ax.legend(loc="upper left", fontsize="small")
    _dates(ax)


def save(fig: Figure, stem: Union[str, "PathLike[str]"]) -> List[Path]:
    """Write `stem`.png and `stem`.svg; returns both paths."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        fig.savefig(path, dpi=110)
    return paths


# --- one run -----------------------------------------------------------------------------------

def aid_flows(run: RunsLike, ax: Optional[Axes] = None) -> Figure:
    """Delivered, overhead and diverted aid per week, stacked: the stack's height is disbursed
    (for several runs, the means, with the interval of disbursed around the top)."""
    runs = as_runs(run)
    fig, ax = _axes(ax)
    parts = {k: _indicator(runs, f"aid_{k}", usd=True).sum("donor")
             for k in ("delivered", "overhead", "diverted")}
    total = parts["delivered"] + parts["overhead"] + parts["diverted"]
    divisor = _scale(ax, _mean(total).values, USD, "per week")
    dates = total["time"].values
    ax.stackplot(dates, *(_mean(p).values / divisor for p in parts.values()), labels=list(parts),
                 alpha=0.85)
    if "run" in total.dims:
        _, low, high = mean_interval(total / divisor, "run", CONFIDENCE)
        ax.fill_between(dates, low.values, high.values, color="0.2", alpha=0.3, linewidth=0,
                        label="disbursed: interval")
    _title(ax, f"Aid flows per week, all donors: {title_of(runs, CONFIDENCE)}")
    ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
    _dates(ax)
    return fig


def _error_bars(table: pd.DataFrame, column: str) -> Optional[np.ndarray]:
    """The (2, n) distances from the mean to the interval's ends of a summary over replicates."""
    if not isinstance(table.columns, pd.MultiIndex):
        return None
    mean = table[(column, "mean")].to_numpy()
    return np.abs(np.stack([mean - table[(column, "low")].to_numpy(),
                            table[(column, "high")].to_numpy() - mean]))


def diverted_by_faction(run: RunsLike) -> Figure:
    """Who receives diverted aid and how: run totals by mechanism (with the total's interval for
    several runs), and the take over time."""
    runs = as_runs(run)
    fig = Figure(figsize=(11, 4), layout="constrained")
    bars, lines = fig.subplots(1, 2)
    mechanisms = list(runs[0].indicators["mechanism"].values)
    summary = diversion_table(runs if len(runs) > 1 else runs[0], CONFIDENCE)
    means = summary.xs("mean", axis=1, level="stat") if len(runs) > 1 else summary
    table = means[mechanisms]
    divisor = _scale(bars, means["total"].values, USD, axis="x")
    table = table / divisor
    table.index = _names(runs[0].indicators, "faction")
    table.plot.barh(stacked=True, ax=bars)
    errors = _error_bars(summary, "total")
    if errors is not None:
        bars.errorbar(means["total"].values / divisor, np.arange(len(table)), xerr=errors / divisor,
                      fmt="none", ecolor="0.2", capsize=3, label=f"total: {CONFIDENCE:.0%} interval")
    bars.invert_yaxis()
    bars.set(title="Diverted over the run, by mechanism", ylabel="")
    cumulative = _indicator(runs, "diverted", usd=True).sum("mechanism").cumsum("time")
    _lines(lines, cumulative / _scale(lines, _mean(cumulative).values, USD), "faction")
    lines.set(title="Cumulative diverted aid")
    fig.suptitle(title_of(runs, CONFIDENCE))
    return fig


def need(run: RunsLike) -> Figure:
    """Mean need severity, people in need and people reached: does aid keep up with need?"""
    runs = as_runs(run)
    fig = Figure(figsize=(9, 5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    need_mean = _indicator(runs, "need_mean")
    dates = need_mean["time"].values
    _curve(top, dates, need_mean)
    top.set(title=f"Mean need severity per person: {title_of(runs, CONFIDENCE)}",
            ylabel="severity (0-1)")
    counts = {"in need": _indicator(runs, "people_in_need"),
              "reached by aid": _indicator(runs, "people_reached")}
    divisor = _scale(bottom, np.concatenate([_mean(v).values for v in counts.values()]), "people")
    for label, values in counts.items():
        _curve(bottom, dates, values / divisor, label)
    bottom.set(title="People in need and people reached")
    bottom.legend(loc="upper left")
    _dates(bottom)
    return fig


def people(run: RunsLike, ax: Optional[Axes] = None) -> Figure:
    """People reached by aid, in need, and displaced (inside the country and abroad)."""
    runs = as_runs(run)
    fig, ax = _axes(ax)
    displaced = _indicator(runs, "displaced")
    series = {
        "in need": _indicator(runs, "people_in_need"),
        "reached by aid": _indicator(runs, "people_reached"),
        "displaced inside": displaced.sel(displacement="internal"),
        "displaced abroad": displaced.sel(displacement=["iran", "pakistan"]).sum("displacement"),
    }
    divisor = _scale(ax, np.concatenate([_mean(v).values for v in series.values()]), "people")
    for label, values in series.items():
        _curve(ax, displaced["time"].values, values / divisor, label)
    _title(ax, f"People: {title_of(runs, CONFIDENCE)}")
    ax.legend(loc="upper left", fontsize="small")
    _dates(ax)
    return fig


def treasuries(run: RunsLike, ax: Optional[Axes] = None) -> Figure:
    """Faction treasuries over time: whether diverted aid accumulates as armed groups' cash."""
    runs = as_runs(run)
    fig, ax = _axes(ax)
    treasury = _indicator(runs, "faction_treasury", usd=True)
    _lines(ax, treasury / _scale(ax, _mean(treasury).values, USD), "faction")
    _title(ax, f"Faction treasuries: {title_of(runs, CONFIDENCE)}")
    return fig


def fighters(run: RunsLike, ax: Optional[Axes] = None) -> Figure:
    """Fighters of each faction at the end of each week."""
    runs = as_runs(run)
    fig, ax = _axes(ax)
    fighters = _indicator(runs, "faction_fighters")
    _lines(ax, fighters / _scale(ax, _mean(fighters).values, "fighters"), "faction")
    _title(ax, f"Fighters: {title_of(runs, CONFIDENCE)}")
    return fig


def recruits(run: RunsLike, ax: Optional[Axes] = None) -> Figure:
    """Young men recruited by each faction, cumulated over the run."""
    runs = as_runs(run)
    fig, ax = _axes(ax)
    recruited = _indicator(runs, "faction_recruits").cumsum("time")
    _lines(ax, recruited / _scale(ax, _mean(recruited).values, "people"), "faction")
    _title(ax, f"Recruits since the start: {title_of(runs, CONFIDENCE)}")
    return fig


def factions(run: RunsLike) -> Figure:
    """Treasuries, fighters and recruits side by side, dates shared."""
    runs = as_runs(run)
    fig = Figure(figsize=(15, 4), layout="constrained")
    axes = fig.subplots(1, 3, sharex=True)
    for draw, ax in zip((treasuries, fighters, recruits), axes):
        draw(runs, ax=ax)
        ax.set_title(ax.get_title().split(":")[0])  # the runs are said once, in the suptitle
    fig.suptitle(f"Armed groups: {title_of(runs, CONFIDENCE)}")
    return fig


def attribution_gap(run: RunsLike, ax: Optional[Axes] = None,
                    complex_in_capital: bool = False) -> Figure:
    """Attacks each faction executed against those it claimed, over the run (S16): a group that
    claims more than it executes takes credit for others' attacks (tables.attribution_gap; error
    bars for several runs)."""
    runs = as_runs(run)
    fig, ax = _axes(ax)
    table = attribution_table(runs if len(runs) > 1 else runs[0], complex_in_capital, CONFIDENCE)
    several = isinstance(table.columns, pd.MultiIndex)
    means = table.xs("mean", axis=1, level="stat") if several else table
    y = np.arange(len(means))
    for offset, column in ((-0.2, "executed"), (0.2, "claimed")):
        ax.barh(y + offset, means[column].values, height=0.4, label=column,
                xerr=_error_bars(table, column), capsize=3 if several else 0)
    ax.set_yticks(y, _names(runs[0].indicators, "faction"))
    ax.invert_yaxis()
    which = "complex attacks in the capital" if complex_in_capital else "attacks"
    _scale(ax, np.concatenate([means["executed"].values, means["claimed"].values]), "attacks",
           "over the run", axis="x")
    _title(ax, f"{which.capitalize()} executed and claimed: {title_of(runs, CONFIDENCE)}")
    ax.legend(loc="lower right")
    return fig


def _mean_summary(runs: List[Run]) -> xr.Dataset:
    """The `summary` group of one run, or its mean over several (labels kept)."""
    if len(runs) == 1:
        return runs[0].summary
    return xr.concat([r.summary for r in runs], dim="run").mean("run", keep_attrs=True)


def money_flow(run: RunsLike, ax: Optional[Axes] = None, min_share: float = 0.002) -> Figure:
    """Where the money went over the run, as a Sankey-style figure: donors → channels → sinks.

    Band widths are dollars (from the `summary` group, exact to the cent); sinks are delivered,
    overhead, counter-terrorism and each armed group (all mechanisms). Bands thinner than
    `min_share` of the total are left out so the figure stays readable; the nodes keep their size.
    For several runs, every band is the mean over them.
    """
    runs = as_runs(run)
    fig, ax = _axes(ax, size=(11, 6))
    s = _mean_summary(runs)
    settled = s["total_settled"].sum("donor")  # channel x sink
    outcome = [f if k == "diverted" else k for k, f in
               zip(s["sink_kind"].values, s["sink_faction"].values)]
    by_outcome = settled.groupby(xr.DataArray(outcome, dims="sink", name="outcome")).sum()
    order = ["delivered", "overhead", "counter_terrorism", *s["faction"].values]
    by_outcome = by_outcome.reindex(outcome=[o for o in order if o in by_outcome["outcome"]])
    faction_names = dict(zip(s["faction"].values, _names(s, "faction")))
    sink_names = [faction_names.get(o, o.replace("_", " ")) for o in by_outcome["outcome"].values]
    names = [_names(s, "donor"), _names(s, "channel"), sink_names]
    bands = [s["total_disbursed"].values / 100,                      # donor x channel
             by_outcome.transpose("channel", "outcome").values / 100]  # channel x sink
    total = float(s["total_disbursed"].sum()) / 100
    sizes = [s["total_disbursed"].sum("channel").values / 100, s["total_disbursed"].sum("donor").values / 100,
             by_outcome.sum("channel").values / 100]
    _sankey(ax, names, sizes, bands, total, min_share, ["donors", "channels", "where it ended"])
    _title(ax, f"Money flow over the run, {format_value(total, USD)} disbursed: "
               f"{title_of(runs, CONFIDENCE)}")
    return fig


def diversion_flow(run: RunsLike, ax: Optional[Axes] = None, min_share: float = 0.002) -> Figure:
    """Diverted money over the run as a Sankey-style figure: donors → ministries → factions.

    Each donor's diverted dollars flow to the ministry touchpoint its money passed (the sector's
    ministry: captured there, or taxed or steered further down that ministry's chain) and on to
    the faction that took them; widths are exact cents from `diverted_by_ministry`. Bands thinner
    than `min_share` of all diverted money are left out; the nodes keep their size. For several
    runs, every band is the mean over them.
    """
    runs = as_runs(run)
    fig, ax = _axes(ax, size=(11, 6))
    s, ind = runs[0].summary, runs[0].indicators
    table = diverted_by_ministry(runs if len(runs) > 1 else runs[0], CONFIDENCE)
    total_cents = table[("total", "mean")] if len(runs) > 1 else table["total"]
    usd = (total_cents.to_xarray() / 100).reindex(
        donor=s["donor"].values, ministry=ind["ministry"].values, faction=s["faction"].values)
    names = [_names(s, "donor"), _names(ind, "ministry"), _names(s, "faction")]
    sizes = [usd.sum(("ministry", "faction")).values, usd.sum(("donor", "faction")).values,
             usd.sum(("donor", "ministry")).values]
    bands = [usd.sum("faction").transpose("donor", "ministry").values,
             usd.sum("donor").transpose("ministry", "faction").values]
    total = float(sum(sizes[0]))
    _sankey(ax, names, sizes, bands, total, min_share, ["donors", "ministry touchpoint", "factions"])
    _title(ax, f"Diverted aid over the run, {format_value(total, USD)}: "
               f"{title_of(runs, CONFIDENCE)}")
    return fig


def _sankey(ax: Axes, names: List[List[str]], sizes: List[np.ndarray], bands: List[np.ndarray],
            total: float, min_share: float, columns: List[str]) -> None:
    """Three columns of nodes (`names[col]`, dollars `sizes[col]`) stacked from the top, joined by
    bands of `bands[col - 1][i, j]` dollars from node i of a column to node j of the next, coloured
    by the left node into the middle column and by the right node out of it. Bands at most
    `min_share` of `total` are left out; the first node of each column is on top."""
    tops = [_stack(size, 0.02 * total) for size in sizes]
    width = 0.08
    for col, column in enumerate(names):
        for (bottom, top), name in zip(tops[col], column):
            ax.fill_between([col - width / 2, col + width / 2], bottom, top, color="0.3")
            if top - bottom > 0.004 * total:
                ha, x = {0: ("right", col - width), 1: ("center", col), 2: ("left", col + width)}[col]
                box = dict(facecolor="white", alpha=0.8, edgecolor="none", pad=1) if col == 1 else None
                ax.text(x, (bottom + top) / 2, f"{name}\n{format_value(top - bottom, USD)}",
                        ha=ha, va="center", fontsize=7, bbox=box)
    for col, matrix in enumerate(bands, start=1):
        out_cursor = [b for b, _ in tops[col - 1]]
        in_cursor = [b for b, _ in tops[col]]
        for i, j in np.ndindex(matrix.shape):
            if matrix[i, j] <= min_share * total:
                continue
            _band(ax, col - 1 + width / 2, col - width / 2, out_cursor[i], in_cursor[j], matrix[i, j],
                  f"C{(i if col == 1 else j) % 10}")
            out_cursor[i] += matrix[i, j]
            in_cursor[j] += matrix[i, j]
    ax.invert_yaxis()
    ax.set_xlim(-0.6, 2.6)
    ax.set_xticks([0, 1, 2], columns)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)


def _stack(sizes: Iterable[float], gap: float) -> List[Tuple[float, float]]:
    """(bottom, top) of each node in a column, stacked from the top with `gap` between nodes."""
    out, cursor = [], 0.0
    for size in sizes:
        out.append((cursor, cursor + float(size)))
        cursor += float(size) + gap
    return out


def _band(ax: Axes, x0: float, x1: float, y0: float, y1: float, value: float, color: str) -> None:
    """A smooth band of constant width `value` from (x0, y0) to (x1, y1)."""
    x = np.linspace(x0, x1, 40)
    t = (1 - np.cos(np.linspace(0, np.pi, 40))) / 2
    bottom = y0 + (y1 - y0) * t
    ax.fill_between(x, bottom, bottom + value, color=color, alpha=0.45, linewidth=0)


# --- comparisons ---------------------------------------------------------------------------------

def paired_difference(comparison: xr.Dataset, ax: Optional[Axes] = None,
                      scale: Optional[float] = None) -> Figure:
    """The paired difference b − a of `aidflow_analysis.compare` over time, with its confidence
    band; a band that straddles zero means the replicates cannot tell the two apart.

    The axis shows the comparison's units in a size chosen by magnitude ("USD millions");
    `scale` forces a divisor (1e6 is still labelled "USD millions").
    """
    fig, ax = _axes(ax)
    c = comparison
    dates = c["time"].values
    units = str(c.attrs["units"])
    values = np.concatenate([c[k].values for k in ("low", "high", "difference")])
    if scale is None:
        divisor = _scale(ax, values, units)
    else:
        divisor = scale
        ax.set_ylabel(scale_label(scale, units))
    if units == SHARE:  # a difference of shares: percentage points, not percent
        ax.set_ylabel("percentage points")
    ax.fill_between(dates, c["low"].values / divisor, c["high"].values / divisor, alpha=0.3,
                    label=f"{c.attrs['confidence']:.0%} interval ({c.attrs['pairs']} pairs)")
    ax.plot(dates, c["difference"].values / divisor, label="mean paired difference")
    ax.axhline(0, color="0.4", linewidth=0.8)
    if divisor == 1 and units in COUNTS:  # whole things: at least one step either side of 0
        low, high = ax.get_ylim()
        ax.set_ylim(min(low, -1), max(high, 1))
    kind = "cumulative " if c.attrs.get("cumulative") else ""
    _title(ax, f"{kind}{c.attrs['indicator']}: {c.attrs['label_b']} minus {c.attrs['label_a']}", 60)
    ax.legend(loc="upper left", fontsize="small")
    _dates(ax)
    return fig
