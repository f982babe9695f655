"""Province maps: choropleths of a run, or of replicates, on the shipped province outlines.

    from aidflow_analysis import maps
    maps.province_map(run, "aid_delivered", start="2022-01-01", end="2022-12-31")
    maps.province_map([run1, run2, run3], "diverted", faction="haqqani")  # mean of replicates
    maps.faction_maps(run, "influence", ["haqqani", "isis_khorasan"])      # one map per faction
    maps.difference_map(status_quo_runs, policy_runs, "diverted")           # policy minus reference

The indicators (`INDICATORS`) are the run's `province_*` outputs (docs/OUTPUT.md, "By
province"), over the weeks that start between `start` and `end` (dates; the whole run by
default): flows (money, attacks) summed over those weeks, levels (people, influence) averaged
over them. Given several runs, each is reduced the same way and the map shows their mean; the
title says so and names the seeds. The outlines are `data/provinces.geojson` (the 34 AGCHO
provinces, simplified; data/README.md), found beside the installed package or in the checkout
(:mod:`.data_files`), drawn on an Albers equal-area conic centred on Afghanistan with north up,
so a province's share of the coloured area is its share of the country's. A run on the synthetic
geography has invented provinces (`P1`, ...) that no outline holds: mapping it raises
:class:`~aidflow_analysis.errors.ProvinceMapError` naming the file and what is missing.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import matplotlib.patheffects as patheffects
import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import transform

from .data_files import data_file
from .errors import AidflowError, ProvinceMapError
from .run_file import Run, open_run
from .units import SHARE, display_units, scale_for, to_usd

RunLike = Union[Run, str, "PathLike[str]"]
Runs = Union[RunLike, Sequence[RunLike]]

OUTLINES = "provinces.geojson"
# Albers equal-area conic with standard parallels a sixth in from Afghanistan's extent
# (29.4-38.5 N) and the central meridian through its middle, so north is up at the centre and
# areas are true everywhere on the map.
PROJECTION = "+proj=aea +lat_1=31 +lat_2=37 +lat_0=34 +lon_0=66 +datum=WGS84 +units=m +no_defs"
WEEK = pd.Timedelta(days=7)


@dataclass(frozen=True)
class MapIndicator:
    """One view a province map can show, read off the run's `province_*` outputs."""

    title: str
    variable: str  # the run's province variable
    how: str  # "flow": summed over the period; "level": mean over its weeks;
    #           "share": variable / province_people each week, then the mean;
    #           "per_person": summed over the period / mean of province_people
    faction: str  # "optional" (all factions by default), "required" or "none"
    cmap: str
    # The colour scale: "zero" starts at 0, for amounts (a pale province got little); "range"
    # spans the values, for a rate that varies little between provinces (aid per person, the
    # share in need), or every province would look the same. The colour bar shows it either way.
    scale: str = "zero"


INDICATORS: Dict[str, MapIndicator] = {
    "aid_delivered": MapIndicator("Aid delivered", "province_aid_delivered", "flow", "none", "YlGn"),
    "aid_per_person": MapIndicator("Aid delivered per person", "province_aid_delivered",
                                   "per_person", "none", "YlGn", scale="range"),
    "diverted": MapIndicator("Aid diverted", "province_diverted", "flow", "optional", "YlOrRd"),
    "influence": MapIndicator("Influence", "province_influence", "level", "required", "Purples"),
    "people_in_need": MapIndicator("People in need", "province_people_in_need", "level", "none",
                                   "Blues"),
    "need_share": MapIndicator("Share of people in need", "province_people_in_need", "share",
                               "none", "Blues", scale="range"),
    "attacks": MapIndicator("Attacks carried out", "province_attacks", "flow", "optional", "Reds"),
}
PEOPLE = "province_people"


@dataclass(frozen=True)
class Outline:
    """One province's outline, projected (metres on PROJECTION)."""

    pcode: str
    name: str
    geometry: BaseGeometry


@functools.lru_cache(maxsize=4)
def _outlines_at(path: str) -> Tuple[Outline, ...]:
    try:
        features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ProvinceMapError(f"{path}: not a GeoJSON FeatureCollection of province outlines "
                               f"({error})") from error
    project = Transformer.from_crs("EPSG:4326", PROJECTION, always_xy=True).transform
    out = []
    for number, feature in enumerate(features):
        properties = feature.get("properties") or {}
        if "pcode" not in properties:
            raise ProvinceMapError(f"{path}: feature {number} has no `pcode` property (the "
                                   "province code the runs label provinces with)")
        try:
            geometry = transform(project, shape(feature["geometry"]))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ProvinceMapError(f"{path}: feature {number} ({properties['pcode']}): no "
                                   f"polygon geometry ({error!r})") from error
        out.append(Outline(str(properties["pcode"]), str(properties.get("name", "")), geometry))
    return tuple(out)


FileLike = Union[str, "PathLike[str]", None]


def outlines_file(path: FileLike = None) -> Path:
    """`path`, or data/provinces.geojson where the package finds its data (:mod:`.data_files`)."""
    return Path(path) if path is not None else data_file(OUTLINES)


def outlines(path: FileLike = None) -> Dict[str, Outline]:
    """The province outlines by pcode, projected, from `outlines_file(path)`."""
    return {o.pcode: o for o in _outlines_at(str(outlines_file(path)))}


@dataclass(frozen=True)
class ProvinceValues:
    """One map's numbers: a value per province (by pcode) and what they are."""

    values: pd.Series  # float, indexed by pcode, in `units` (dollars for money)
    names: pd.Series  # display names by pcode
    units: str  # "USD", "people", "attacks", "1" (a share), "USD per person"
    title: str  # "Aid diverted to Haqqani network"
    period: str  # "2022-01-03 to 2022-12-25 (52 weeks)"
    runs: str  # "status_quo (seed 1)" or "status_quo, mean of 3 replicates (seeds 1, 2, 3)"
    files: Tuple[str, ...]  # the run files, for messages


def _as_runs(runs: Runs) -> List[Run]:
    items = [runs] if isinstance(runs, (Run, str, PathLike)) else list(runs)
    if not items:
        raise AidflowError("a map needs at least one run")
    return [r if isinstance(r, Run) else open_run(r) for r in items]


def _province_variable(run: Run, name: str) -> xr.DataArray:
    """The run's province variable `name`, money in dollars; ProvinceMapError without it."""
    ds = run.indicators
    if name not in ds.data_vars:
        raise ProvinceMapError(f"{run.path}: no `{name}` (the province outputs maps are drawn from,"
                               " docs/OUTPUT.md \"By province\"): written by aidflow runs on the "
                               "Afghanistan tables; run the scenario again with this aidflow")
    return to_usd(ds[name])


def _weeks(run: Run, start: Any, end: Any) -> np.ndarray:
    """Which steps start within [start, end] (whole weeks; either end open when None)."""
    times = pd.DatetimeIndex(run.indicators["time"].values)
    keep = np.ones(len(times), dtype=bool)
    if start is not None:
        keep &= times >= pd.Timestamp(start)
    if end is not None:
        keep &= times <= pd.Timestamp(end)
    if not keep.any():
        raise AidflowError(f"{run.path}: no week starts between {start or 'the start'} and "
                           f"{end or 'the end'}: the run's weeks start "
                           f"{times[0]:%Y-%m-%d} to {times[-1]:%Y-%m-%d}")
    return keep


def _period(run: Run, keep: np.ndarray) -> str:
    times = pd.DatetimeIndex(run.indicators["time"].values)[keep]
    last_day = times[-1] + WEEK - pd.Timedelta(days=1)
    return f"{times[0]:%Y-%m-%d} to {last_day:%Y-%m-%d} ({len(times)} weeks)"


def _faction_pick(data: xr.DataArray, spec: MapIndicator, faction: Optional[str],
                  run: Run) -> xr.DataArray:
    if spec.faction == "none":
        if faction is not None:
            raise AidflowError(f"{spec.title.lower()} is not by faction: leave out faction=")
        return data
    factions = [str(f) for f in data["faction"].values]
    if faction is None:
        if spec.faction == "required":
            raise AidflowError(f"{spec.title.lower()} is by faction: give faction= one of "
                               f"{', '.join(factions)}")
        return data.sum("faction")
    if faction not in factions:
        raise AidflowError(f"{run.path}: no faction {faction!r}; it has {', '.join(factions)}")
    return data.sel(faction=faction)


def _one_run(run: Run, spec: MapIndicator, keep: np.ndarray, faction: Optional[str]) -> pd.Series:
    """The indicator per province for one run over the weeks `keep`."""
    data = _faction_pick(_province_variable(run, spec.variable), spec, faction, run)
    data = data.isel(time=np.flatnonzero(keep)).astype(float)
    if spec.how == "flow":
        reduced = data.sum("time")
    elif spec.how == "level":
        reduced = data.mean("time")
    else:
        people = _province_variable(run, PEOPLE).isel(time=np.flatnonzero(keep)).astype(float)
        if spec.how == "share":
            reduced = (data / people.where(people > 0)).mean("time")
        else:  # per_person
            reduced = data.sum("time") / people.mean("time").where(lambda p: p > 0)
    return reduced.to_series()


def _units(run: Run, spec: MapIndicator) -> str:
    if spec.how == "share":
        return SHARE
    units = display_units(str(run.indicators[spec.variable].attrs.get("units", "")))
    return f"{units} per person" if spec.how == "per_person" else units


def _who(runs: List[Run]) -> str:
    if len(runs) == 1:
        return runs[0].title
    labels = sorted({r.label for r in runs})
    seeds = ", ".join(str(r.seed) for r in runs)
    return f"{' / '.join(labels)}, mean of {len(runs)} replicates (seeds {seeds})"


# How a faction's name joins the indicator's title: "Aid diverted to Haqqani network".
_FACTION_JOINER = {"diverted": " to ", "influence": " of ", "attacks": " by "}


def _title(indicator: str, faction: Optional[str], run: Run) -> str:
    spec = INDICATORS[indicator]
    if faction is None:
        return spec.title + (", all factions" if spec.faction == "optional" else "")
    ds = run.indicators
    name = str(ds["faction_name"].sel(faction=faction).item()) if "faction_name" in ds.coords \
        else faction
    return f"{spec.title}{_FACTION_JOINER[indicator]}{name}"


def province_values(runs: Runs, indicator: str, start: Any = None, end: Any = None,
                    faction: Optional[str] = None) -> ProvinceValues:
    """The indicator per province over the weeks starting in [start, end], as a mean over `runs`.

    `indicator` is a key of INDICATORS; `faction` picks one faction where the indicator is by
    faction (all of them summed by default, except influence, which needs one). Every run must
    have the same provinces and cover the same weeks of the period.
    """
    if indicator not in INDICATORS:
        raise AidflowError(f"no map indicator {indicator!r}: one of {', '.join(INDICATORS)}")
    spec = INDICATORS[indicator]
    opened = _as_runs(runs)
    first = opened[0]
    keep = _weeks(first, start, end)
    period = _period(first, keep)
    per_run = []
    for run in opened:
        run_keep = _weeks(run, start, end)
        if _period(run, run_keep) != period:
            raise AidflowError(f"{run.path}: covers {_period(run, run_keep)} of the period, "
                               f"{first.path} covers {period}: replicates must cover the same weeks")
        per_run.append(_one_run(run, spec, run_keep, faction))
    for run, series in zip(opened, per_run):
        if not series.index.equals(per_run[0].index):
            raise AidflowError(f"{run.path}: other provinces than {first.path}: maps average "
                               "replicates of one country")
    table = pd.concat(per_run, axis=1)
    names = first.indicators["province_name"].to_series() if "province_name" in first.indicators \
        else pd.Series(table.index, index=table.index)
    return ProvinceValues(values=table.mean(axis=1), names=names.astype(str),
                          units=_units(first, spec), title=_title(indicator, faction, first),
                          period=period, runs=_who(opened),
                          files=tuple(r.path for r in opened))


def _check_provinces(values: ProvinceValues, shapes: Dict[str, Outline], source: Path) -> None:
    missing = [p for p in values.values.index if p not in shapes]
    if missing:
        shown = ", ".join(missing[:6]) + (" ..." if len(missing) > 6 else "")
        raise ProvinceMapError(
            f"{', '.join(values.files)}: provinces {shown} have no outline in {source}: the run's "
            "country is not Afghanistan's 34 provinces (a run on the synthetic geography, "
            "geography.source: synthetic, invents provinces no map holds)")


def _path_of(geometry: BaseGeometry) -> MplPath:
    """A matplotlib path of a (multi)polygon, holes included."""
    polygons = list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]
    vertices, codes = [], []
    for polygon in polygons:
        assert isinstance(polygon, Polygon)
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)
            vertices.append(xy)
            codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY])
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _map_axes(ax: Optional[Axes]) -> Tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=(9, 7.2), layout="constrained")
    return fig, fig.subplots()


def _north_and_scale(ax: Axes, bounds: Tuple[float, float, float, float]) -> None:
    """A north arrow and a 200 km bar in the map's lower right, off the country (south-east of
    it lies Pakistan), in metres on the projection."""
    west, south, east, north = bounds
    x, y = east - 0.02 * (east - west) - 200_000, south + 0.05 * (north - south)
    ax.plot([x, x + 200_000], [y, y], color="black", lw=2.5, solid_capstyle="butt")
    ax.text(x + 100_000, y + 0.015 * (north - south), "200 km", ha="center", va="bottom",
            fontsize=7)
    ax.annotate("N", xy=(x + 20_000, y + 0.2 * (north - south)),
                xytext=(x + 20_000, y + 0.1 * (north - south)), ha="center", va="center",
                fontsize=9, fontweight="bold", arrowprops={"arrowstyle": "-|>", "color": "black"})


# With labels="largest", the provinces of the highest values are named too, however small:
# where the colour is, is what a reader looks for (ISIS-K's Nangarhar and Kunar are small).
NAMED_HIGHEST = 3


def _label(ax: Axes, values: ProvinceValues, shapes: List[Outline], labels: str,
           fontsize: float) -> None:
    """Province names at a point inside each outline: all of them, or the larger half and the
    NAMED_HIGHEST provinces of the largest values (largest changes, on a difference map)."""
    if labels == "none":
        return
    named = {o.pcode for o in shapes}
    if labels == "largest":
        median = float(np.median([o.geometry.area for o in shapes]))
        magnitude = values.values.abs()
        highest = magnitude[magnitude > 0].nlargest(NAMED_HIGHEST).index  # none on a blank map
        named = {o.pcode for o in shapes if o.geometry.area >= median} | set(highest)
    halo = [patheffects.withStroke(linewidth=2, foreground="white")]
    for outline in shapes:
        if outline.pcode in named:
            point = outline.geometry.representative_point()
            ax.text(point.x, point.y, str(values.names.get(outline.pcode, outline.name)),
                    ha="center", va="center", fontsize=fontsize, path_effects=halo)


def unit_label(values: ProvinceValues) -> Tuple[float, str]:
    """(divisor, label) the map shows `values` by: "USD millions", "thousand people", "%"."""
    if values.units.endswith(" per person"):
        return 1.0, values.units  # dollars a head: small numbers, shown as they are
    return scale_for(values.values.to_numpy(dtype=float), values.units)


def _norm(scaled: np.ndarray, scale: str) -> Normalize:
    finite = scaled[np.isfinite(scaled)]
    if not finite.size:
        return Normalize(0.0, 1.0)
    if scale == "diverging":  # centred on no change
        reach = max(float(np.abs(finite).max()), 1e-12)
        return TwoSlopeNorm(vcenter=0.0, vmin=-reach, vmax=reach)
    low, high = float(finite.min()), float(finite.max())
    if scale == "zero":
        low = min(0.0, low)
    return Normalize(vmin=low, vmax=high if high > low else low + 1.0)


def _extent(shapes: Dict[str, Outline]) -> Tuple[float, float, float, float]:
    west, south, east, north = np.array([o.geometry.bounds for o in shapes.values()]).T
    return float(west.min()), float(south.min()), float(east.max()), float(north.max())


def draw(values: ProvinceValues, ax: Optional[Axes] = None, labels: str = "all",
         title: Optional[str] = None, fontsize: float = 6.5, cmap: str = "YlOrRd",
         scale: str = "zero", outlines_from: FileLike = None) -> Figure:
    """A choropleth of `values` on the province outlines, with a colour bar in its units.

    `scale` is "zero" (colours from 0), "range" (from the smallest value) or "diverging"
    (centred on 0, for changes); `labels` names "all" provinces, the "largest" half or "none".
    """
    if labels not in ("all", "largest", "none"):
        raise AidflowError(f"labels must be 'all', 'largest' or 'none', not {labels!r}")
    source = outlines_file(outlines_from)
    shapes = outlines(source)
    _check_provinces(values, shapes, source)
    fig, ax = _map_axes(ax)
    drawn = [shapes[p] for p in values.values.index]
    divisor, units = unit_label(values)
    scaled = values.values.to_numpy(dtype=float) / divisor
    patches = PatchCollection([PathPatch(_path_of(o.geometry)) for o in drawn], cmap=cmap,
                              norm=_norm(scaled, scale), edgecolor="0.35", linewidth=0.5)
    patches.set_array(np.ma.masked_invalid(scaled))
    patches.set_gid("provinces")  # how a test finds the provinces among the map's artists
    ax.add_collection(patches)
    bounds = _extent(shapes)
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect("equal")
    ax.set_axis_off()
    _label(ax, values, drawn, labels, fontsize)
    _north_and_scale(ax, bounds)
    fig.colorbar(patches, ax=ax, shrink=0.75, pad=0.01).set_label(units)
    ax.set_title(title if title is not None else
                 f"{values.title} ({units}), {values.period}\n{values.runs}", fontsize=10)
    return fig


def province_map(runs: Runs, indicator: str, start: Any = None, end: Any = None,
                 faction: Optional[str] = None, ax: Optional[Axes] = None, labels: str = "all",
                 title: Optional[str] = None, outlines_from: FileLike = None) -> Figure:
    """A province map of `indicator` (a key of INDICATORS) over the weeks starting in
    [start, end] (dates; the whole run by default), for one run or the mean of replicates.

    The title names the indicator, its units, the period and the runs; the colour bar carries
    the units; `labels` names `all` provinces, the `largest` half, or `none`; `outlines_from`
    is another outline file than data/provinces.geojson.
    """
    values = province_values(runs, indicator, start, end, faction)
    style = INDICATORS[indicator]
    return draw(values, ax=ax, labels=labels, title=title, cmap=style.cmap, scale=style.scale,
                outlines_from=outlines_from)


def _grid(panels: int, columns: int) -> Tuple[Figure, List[Axes]]:
    """A figure of `panels` map axes, `columns` to a row; axes left over are hidden."""
    columns = max(1, min(columns, panels))
    rows = -(-panels // columns)
    fig = Figure(figsize=(5.2 * columns, 4.2 * rows + 0.6), layout="constrained")
    axes = list(np.atleast_1d(fig.subplots(rows, columns)).ravel())
    for ax in axes[panels:]:
        ax.set_axis_off()
    return fig, axes[:panels]


def _panels(fig: Figure, axes: List[Axes], panels: List[Tuple[str, ProvinceValues]],
            what: str, outlines_from: FileLike) -> Figure:
    """Small maps of a grid, each titled with what it shows and its units; the period and the
    runs, the same for every panel, go in the figure's title."""
    for ax, (indicator, values) in zip(axes, panels):
        style = INDICATORS[indicator]
        draw(values, ax=ax, labels="largest", title=f"{values.title} ({unit_label(values)[1]})",
             fontsize=6, cmap=style.cmap, scale=style.scale, outlines_from=outlines_from)
    first = panels[0][1]
    fig.suptitle(f"{what}, {first.period}\n{first.runs}")
    return fig


def faction_maps(runs: Runs, indicator: str, factions: Optional[Sequence[str]] = None,
                 start: Any = None, end: Any = None, columns: int = 3,
                 outlines_from: FileLike = None) -> Figure:
    """One map per faction (every faction of the run by default) of a by-faction indicator
    (`diverted`, `influence`, `attacks`), each with its own colour bar: the factions' amounts
    differ by orders of magnitude."""
    opened = _as_runs(runs)
    if indicator not in INDICATORS or INDICATORS[indicator].faction == "none":
        raise AidflowError(f"no by-faction map {indicator!r}: one of "
                           f"{', '.join(k for k, v in INDICATORS.items() if v.faction != 'none')}")
    chosen = list(factions) if factions is not None else [
        str(f) for f in opened[0].indicators["faction"].values]
    fig, axes = _grid(len(chosen), columns)
    panels = [(indicator, province_values(opened, indicator, start, end, f)) for f in chosen]
    return _panels(fig, axes, panels, f"{INDICATORS[indicator].title} by faction", outlines_from)


# A view of an overview: an indicator, or (indicator, faction) for one faction's.
View = Union[str, Tuple[str, str]]
OVERVIEW: Tuple[View, ...] = ("aid_delivered", "aid_per_person", "need_share", "diverted",
                              "attacks")


def overview(runs: Runs, views: Sequence[View] = OVERVIEW, start: Any = None, end: Any = None,
             columns: int = 3, outlines_from: FileLike = None) -> Figure:
    """Several views, one map each: an indicator name (all factions together where it is by
    faction) or (indicator, faction), e.g. ("attacks", "isis_khorasan")."""
    opened = _as_runs(runs)
    fig, axes = _grid(len(views), columns)
    pairs = [(view, None) if isinstance(view, str) else view for view in views]
    panels = [(name, province_values(opened, name, start, end, faction)) for name, faction in pairs]
    return _panels(fig, axes, panels, "By province", outlines_from)


def difference_map(reference: Runs, policy: Runs, indicator: str, start: Any = None,
                   end: Any = None, faction: Optional[str] = None, ax: Optional[Axes] = None,
                   labels: str = "all", outlines_from: FileLike = None) -> Figure:
    """The policy's mean minus the reference's, per province, on a colour scale centred on 0
    (blue: less under the policy, red: more). Both sets should share seeds (common random
    numbers), as the report's comparisons do; the title names both."""
    a = province_values(reference, indicator, start, end, faction)
    b = province_values(policy, indicator, start, end, faction)
    if a.period != b.period:
        raise AidflowError(f"the reference covers {a.period}, the policy {b.period}: compare the "
                           "same weeks")
    change = ProvinceValues(values=b.values - a.values, names=a.names, units=a.units,
                            title=f"Change in {a.title[0].lower()}{a.title[1:]}",
                            period=a.period, runs=f"{b.runs}\nminus {a.runs}",
                            files=a.files + b.files)
    return draw(change, ax=ax, labels=labels, cmap="RdBu_r", scale="diverging",
                outlines_from=outlines_from)
