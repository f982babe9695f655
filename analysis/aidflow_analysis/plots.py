"""Standard figures of runs and comparisons.

Each function draws on `ax` when given one (so figures can share axes or sit in a grid) and
otherwise makes its own Figure; it returns the Figure either way. Figures are built with
`matplotlib.figure.Figure`, not pyplot, so batch scripts do not pile up open figures in pyplot's
registry; in a notebook a returned Figure displays itself. Every figure's title names the run
(label and seed) or the comparison, so a figure cut out of a report still says what it shows.
Legends use the display names stored in the file (`faction_name`, ...). `save` writes PNG and SVG.
"""
from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

import matplotlib.dates as mdates
import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .run import Run, open_run
from .tables import diversion_table, diverted_by_ministry
from .units import COUNTS, USD, format_value, scale_for, scale_label, to_usd

RunLike = Union[Run, str, "PathLike[str]"]


def _run(run: RunLike) -> Run:
    return run if isinstance(run, Run) else open_run(run)


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
    target.set_major_formatter(FuncFormatter(_ticks(decimals)))
    return divisor


def _ticks(decimals: Optional[int]) -> Any:
    def tick(value: float, _position: Any) -> str:
        if decimals is not None:
            return f"{value:,.{decimals}f}"
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
    """One line per label of `dim` over time, with a legend of display names."""
    for i, name in enumerate(_names(data, dim)):
        ax.plot(data["time"].values, data.isel({dim: i}).values, label=name)
    ax.legend(loc="upper left", fontsize="small")
    _dates(ax)


def _usd(run: Run, name: str) -> xr.DataArray:
    return to_usd(run.indicators[name])


def save(fig: Figure, stem: Union[str, "PathLike[str]"]) -> List[Path]:
    """Write `stem`.png and `stem`.svg; returns both paths."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        fig.savefig(path, dpi=110)
    return paths


# --- one run -----------------------------------------------------------------------------------

def aid_flows(run: RunLike, ax: Optional[Axes] = None) -> Figure:
    """Delivered, overhead and diverted aid per week, stacked: the stack's height is disbursed."""
    run = _run(run)
    fig, ax = _axes(ax)
    parts = {k: _usd(run, f"aid_{k}").sum("donor") for k in ("delivered", "overhead", "diverted")}
    divisor = _scale(ax, np.sum([p.values for p in parts.values()], axis=0), USD, "per week")
    ax.stackplot(run.indicators["time"].values, *(p.values / divisor for p in parts.values()),
                 labels=list(parts), alpha=0.85)
    ax.set(title=f"Aid flows per week, all donors: {run.title}")
    ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
    _dates(ax)
    return fig


def diverted_by_faction(run: RunLike) -> Figure:
    """Who receives diverted aid and how: run totals by mechanism, and the take over time."""
    run = _run(run)
    fig = Figure(figsize=(11, 4), layout="constrained")
    bars, lines = fig.subplots(1, 2)
    mechanisms = list(run.indicators["mechanism"].values)
    table = diversion_table(run)[mechanisms]
    divisor = _scale(bars, table.sum(axis=1).values, USD, axis="x")
    table = table / divisor
    table.index = _names(run.indicators, "faction")
    table.plot.barh(stacked=True, ax=bars)
    bars.invert_yaxis()
    bars.set(title="Diverted over the run, by mechanism", ylabel="")
    cumulative = _usd(run, "diverted").sum("mechanism").cumsum("time")
    _lines(lines, cumulative / _scale(lines, cumulative.values, USD), "faction")
    lines.set(title="Cumulative diverted aid")
    fig.suptitle(run.title)
    return fig


def need(run: RunLike) -> Figure:
    """Mean need severity, people in need and people reached: does aid keep up with need?"""
    run = _run(run)
    fig = Figure(figsize=(9, 5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    ind, dates = run.indicators, run.indicators["time"].values
    top.plot(dates, ind["need_mean"].values)
    top.set(title=f"Mean need severity per person: {run.title}", ylabel="severity (0-1)")
    counts = {"in need": ind["people_in_need"].values, "reached by aid": ind["people_reached"].values}
    divisor = _scale(bottom, np.concatenate(list(counts.values())), "people")
    for label, values in counts.items():
        bottom.plot(dates, values / divisor, label=label)
    bottom.set(title="People in need and people reached")
    bottom.legend(loc="upper left")
    _dates(bottom)
    return fig


def people(run: RunLike, ax: Optional[Axes] = None) -> Figure:
    """People reached by aid, in need, and displaced (inside the country and abroad)."""
    run = _run(run)
    fig, ax = _axes(ax)
    ind, dates = run.indicators, run.indicators["time"].values
    displaced = ind["displaced"]
    series = {
        "in need": ind["people_in_need"],
        "reached by aid": ind["people_reached"],
        "displaced inside": displaced.sel(displacement="internal"),
        "displaced abroad": displaced.sel(displacement=["iran", "pakistan"]).sum("displacement"),
    }
    divisor = _scale(ax, np.concatenate([v.values for v in series.values()]), "people")
    for label, values in series.items():
        ax.plot(dates, values.values / divisor, label=label)
    ax.set(title=f"People: {run.title}")
    ax.legend(loc="upper left", fontsize="small")
    _dates(ax)
    return fig


def treasuries(run: RunLike, ax: Optional[Axes] = None) -> Figure:
    """Faction treasuries over time: whether diverted aid accumulates as armed groups' cash."""
    run = _run(run)
    fig, ax = _axes(ax)
    treasury = _usd(run, "faction_treasury")
    _lines(ax, treasury / _scale(ax, treasury.values, USD), "faction")
    ax.set(title=f"Faction treasuries: {run.title}")
    return fig


def fighters(run: RunLike, ax: Optional[Axes] = None) -> Figure:
    """Fighters of each faction at the end of each week."""
    run = _run(run)
    fig, ax = _axes(ax)
    fighters = run.indicators["faction_fighters"]
    _lines(ax, fighters / _scale(ax, fighters.values, "fighters"), "faction")
    ax.set(title=f"Fighters: {run.title}")
    return fig


def recruits(run: RunLike, ax: Optional[Axes] = None) -> Figure:
    """Young men recruited by each faction, cumulated over the run."""
    run = _run(run)
    fig, ax = _axes(ax)
    recruited = run.indicators["faction_recruits"].cumsum("time")
    _lines(ax, recruited / _scale(ax, recruited.values, "people"), "faction")
    ax.set(title=f"Recruits since the start: {run.title}")
    return fig


def factions(run: RunLike) -> Figure:
    """Treasuries, fighters and recruits side by side, dates shared."""
    run = _run(run)
    fig = Figure(figsize=(15, 4), layout="constrained")
    axes = fig.subplots(1, 3, sharex=True)
    for draw, ax in zip((treasuries, fighters, recruits), axes):
        draw(run, ax=ax)
        ax.set_title(ax.get_title().split(":")[0])
    fig.suptitle(f"Armed groups: {run.title}")
    return fig


def attribution_gap(run: RunLike, ax: Optional[Axes] = None) -> Figure:
    """Attacks each faction executed against those it claimed, over the run (S16): a group that
    claims more than it executes takes credit for others' attacks."""
    run = _run(run)
    fig, ax = _axes(ax)
    ind = run.indicators
    executed = ind["attacks_executed"].sum("time").values
    claimed = ind["attacks_claimed"].sum("time").values
    y = np.arange(len(executed))
    ax.barh(y - 0.2, executed, height=0.4, label="executed")
    ax.barh(y + 0.2, claimed, height=0.4, label="claimed")
    ax.set_yticks(y, _names(ind, "faction"))
    ax.invert_yaxis()
    _scale(ax, np.concatenate([executed, claimed]), "attacks", "over the run", axis="x")
    ax.set(title=f"Attacks executed and claimed: {run.title}")
    ax.legend(loc="lower right")
    return fig


def money_flow(run: RunLike, ax: Optional[Axes] = None, min_share: float = 0.002) -> Figure:
    """Where the money went over the run, as a Sankey-style figure: donors → channels → sinks.

    Band widths are dollars (from the `summary` group, exact to the cent); sinks are delivered,
    overhead, counter-terrorism and each armed group (all mechanisms). Bands thinner than
    `min_share` of the total are left out so the figure stays readable; the nodes keep their size.
    """
    run = _run(run)
    fig, ax = _axes(ax, size=(11, 6))
    s = run.summary
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
    ax.set_title(f"Money flow over the run, {format_value(total, USD)} disbursed: {run.title}")
    return fig


def diversion_flow(run: RunLike, ax: Optional[Axes] = None, min_share: float = 0.002) -> Figure:
    """Diverted money over the run as a Sankey-style figure: donors → ministries → factions.

    Each donor's diverted dollars flow to the ministry touchpoint its money passed (the sector's
    ministry: captured there, or taxed or steered further down that ministry's chain) and on to
    the faction that took them; widths are exact cents from `diverted_by_ministry`. Bands thinner
    than `min_share` of all diverted money are left out; the nodes keep their size.
    """
    run = _run(run)
    fig, ax = _axes(ax, size=(11, 6))
    s, ind = run.summary, run.indicators
    usd = (diverted_by_ministry(run)["total"].to_xarray() / 100).reindex(
        donor=s["donor"].values, ministry=ind["ministry"].values, faction=s["faction"].values)
    names = [_names(s, "donor"), _names(ind, "ministry"), _names(s, "faction")]
    sizes = [usd.sum(("ministry", "faction")).values, usd.sum(("donor", "faction")).values,
             usd.sum(("donor", "ministry")).values]
    bands = [usd.sum("faction").transpose("donor", "ministry").values,
             usd.sum("donor").transpose("ministry", "faction").values]
    total = float(sum(sizes[0]))
    _sankey(ax, names, sizes, bands, total, min_share, ["donors", "ministry touchpoint", "factions"])
    ax.set_title(f"Diverted aid over the run, {format_value(total, USD)}: {run.title}")
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
    ax.fill_between(dates, c["low"].values / divisor, c["high"].values / divisor, alpha=0.3,
                    label=f"{c.attrs['confidence']:.0%} interval ({c.attrs['pairs']} pairs)")
    ax.plot(dates, c["difference"].values / divisor, label="mean paired difference")
    ax.axhline(0, color="0.4", linewidth=0.8)
    kind = "cumulative " if c.attrs.get("cumulative") else ""
    ax.set(title=f"{kind}{c.attrs['indicator']}: {c.attrs['label_b']} minus {c.attrs['label_a']}")
    ax.legend(loc="upper left", fontsize="small")
    _dates(ax)
    return fig
