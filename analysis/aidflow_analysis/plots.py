"""Standard figures of a run; each returns a matplotlib Figure and draws nothing on screen.

Figures are built with `matplotlib.figure.Figure`, not pyplot, so batch scripts do not pile up
open figures in pyplot's global registry; in a notebook, a returned Figure displays itself.
"""
from __future__ import annotations

import matplotlib.dates as mdates
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .run import Run, to_usd
from .tables import diversion_table

MILLION = 1e6


def _musd(run: Run, name: str) -> xr.DataArray:
    """A money indicator in millions of dollars, indexed by date instead of step number."""
    return (to_usd(run.indicators[name]) / MILLION).assign_coords(step=run.indicators["time"].values)


def _dates(ax: Axes) -> None:
    """Short date labels, so side-by-side panels stay readable."""
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _lines(ax: Axes, data: xr.DataArray, dim: str) -> None:
    """One line per label of `dim` over time, with a legend naming them."""
    for label in data[dim].values:
        ax.plot(data["step"].values, data.sel({dim: label}).values, label=label)
    ax.legend(loc="upper left", fontsize="small")
    _dates(ax)


def aid_flows(run: Run) -> Figure:
    """Delivered, overhead and diverted aid per week, stacked: the stack's height is disbursed."""
    fig = Figure(figsize=(9, 4), layout="constrained")
    ax = fig.subplots()
    parts = {k: _musd(run, f"aid_{k}").sum("donor") for k in ("delivered", "overhead", "diverted")}
    ax.stackplot(run.indicators["time"].values, *parts.values(), labels=list(parts), alpha=0.85)
    ax.set(title="Aid flows per week (all donors)", ylabel="million USD per week")
    ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
    _dates(ax)
    return fig


def diverted_by_faction(run: Run) -> Figure:
    """Who receives diverted aid and how: run totals by mechanism, and the take over time."""
    fig = Figure(figsize=(11, 4), layout="constrained")
    bars, lines = fig.subplots(1, 2)
    mechanisms = list(run.indicators["mechanism"].values)
    (diversion_table(run)[mechanisms] / MILLION).plot.barh(stacked=True, ax=bars)
    bars.invert_yaxis()
    bars.set(title="Diverted over the run, by mechanism", xlabel="million USD", ylabel="")
    _lines(lines, _musd(run, "diverted").sum("mechanism").cumsum("step"), "faction")
    lines.set(title="Cumulative diverted aid", ylabel="million USD")
    return fig


def need(run: Run) -> Figure:
    """Mean need severity, people in need and people reached: does aid keep up with need?"""
    fig = Figure(figsize=(9, 5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    ind, dates = run.indicators, run.indicators["time"].values
    top.plot(dates, ind["need_mean"].values)
    top.set(title="Mean need severity per person", ylabel="severity (0-1)")
    bottom.plot(dates, ind["people_in_need"].values / MILLION, label="in need")
    bottom.plot(dates, ind["people_reached"].values / MILLION, label="reached by aid")
    bottom.set(title="People in need and people reached", ylabel="million people")
    bottom.legend(loc="upper left")
    _dates(bottom)
    return fig


def treasuries(run: Run) -> Figure:
    """Faction treasuries over time: whether diverted aid accumulates as armed groups' cash."""
    fig = Figure(figsize=(9, 4), layout="constrained")
    ax = fig.subplots()
    _lines(ax, _musd(run, "faction_treasury"), "faction")
    ax.set(title="Faction treasuries", ylabel="million USD")
    return fig
