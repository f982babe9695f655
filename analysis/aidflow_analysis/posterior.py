"""A calibration's posterior ensemble as one netCDF-4 (HDF5) file, DIR/posterior.nc, that
`xarray.open_dataset` opens directly, with the draws also as a small CSV a sweep reads
(`ensemble:`, docs/SWEEPS.md), and its two figures: posterior against prior for every
parameter, and the posterior predictive band against every target.

The ensemble is the set of points not ruled out (NROY) after the last wave of history matching
(:mod:`.calibrate`). Each draw has the same weight: the last wave's Latin hypercube samples its
box uniformly, and history matching keeps or rules out a point, it does not weigh it, so the
draws are a uniform sample of the NROY region inside that box (docs/CALIBRATION.md says what
that is and is not).

Layout (dimensions `draw`, `replicate`, `target`, `wave`, `parameter`):

- one variable per parameter along `draw`, named as in the calibration file (attributes: its
  paths, the range searched, its scale); `weight` (draw), `wave_of_draw` (draw), `point` (the
  draw's point in the last wave's sweep);
- `seed` (replicate): the run seeds every draw ran with (the same at every draw);
- per target (variables along `target`: `series`, `period_start`, `period_end`, `units`, `outcome`,
  `held_out`, `lower_bound`, `observed`, `observation_sd`): `model` (draw, replicate, target),
  each run's value, `model_mean` and `implausibility` (draw, target), and `max_implausibility`
  (draw), over the targets fitted;
- convergence per wave: `points_run`, `points_kept`, `share_kept`, `box_low`, `box_high` and
  `shrinkage` (wave, parameter: the wave's box width over the range searched, on the log scale
  for a log parameter); the stop rule and the weights' meaning as attributes.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from .errors import AidflowError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .calibrate import Calibration, Parameter, Result

POSTERIOR = "posterior.nc"
DRAWS = "posterior_draws.csv"
WEIGHTS = ("equal: every NROY point of the last wave counts once (history matching keeps or "
           "rules out, it does not weigh)")


def _width(p: "Parameter", low: float, high: float) -> float:
    return math.log(high / low) if p.log else high - low


def _paths(p: "Parameter") -> List[Dict[str, Any]]:
    """The keys a parameter sets, each with its transform (value * scale + offset)."""
    entries = p.entry.get("paths") or [p.entry.get("path")]
    return [{"path": e["path"], "scale": float(e.get("scale", 1.0)),
             "offset": float(e.get("offset", 0.0))} if isinstance(e, dict)
            else {"path": str(e), "scale": 1.0, "offset": 0.0} for e in entries]


def _convergence(cal: "Calibration", result: "Result") -> xr.Dataset:
    waves = np.arange(1, len(result.boxes) + 1)
    names = [p.name for p in cal.parameters]
    low = [[box[p.name][0] for p in cal.parameters] for box in result.boxes]
    high = [[box[p.name][1] for p in cal.parameters] for box in result.boxes]
    shrink = [[_width(p, box[p.name][0], box[p.name][1]) / _width(p, p.low, p.high)
               for p in cal.parameters] for box in result.boxes]
    run = [int((result.points.wave == w).sum()) for w in waves]
    kept = [int(((result.points.wave == w) & ~result.points.ruled_out).sum()) for w in waves]
    coords = {"wave": waves, "parameter": names}
    return xr.Dataset({
        "points_run": ("wave", np.array(run, dtype=np.int64), {"long_name": "design points run"}),
        "points_kept": ("wave", np.array(kept, dtype=np.int64),
                        {"long_name": "points not ruled out"}),
        "share_kept": ("wave", np.array(kept) / np.array(run), {"units": "1"}),
        "box_low": (("wave", "parameter"), np.array(low), {"long_name": "lower end searched"}),
        "box_high": (("wave", "parameter"), np.array(high), {"long_name": "upper end searched"}),
        "shrinkage": (("wave", "parameter"), np.array(shrink),
                      {"units": "1", "long_name": "width searched / range of the calibration "
                                                  "file (log scale for a log parameter)"}),
    }, coords=coords)


def dataset(cal: "Calibration", result: "Result") -> xr.Dataset:
    """The posterior ensemble as an xarray Dataset (the module docstring gives its layout)."""
    nroy = result.nroy.sort_values("point").reset_index(drop=True)
    draws = np.arange(len(nroy))
    targets = cal.targets
    replicates = np.arange(cal.replicates)
    model = np.full((len(nroy), cal.replicates, len(targets)), np.nan)
    position = {int(point): i for i, point in enumerate(nroy.point)}
    for row in result.runs.itertuples(index=False):
        for k, t in enumerate(targets):
            model[position[int(row.point)], int(row.replicate), k] = getattr(row, t.name)
    # The targets' descriptions are variables, not coordinates: xarray writes the coordinates
    # of a variable as an attribute in set order, which would change the file's bytes run to run.
    ds = xr.Dataset(coords={"draw": draws, "replicate": replicates,
                            "target": [t.name for t in targets]})
    ds = ds.assign({
        "series": ("target", [t.series for t in targets]),
        "period_start": ("target", np.array([t.start for t in targets], dtype="datetime64[ns]")),
        "period_end": ("target", np.array([t.end for t in targets], dtype="datetime64[ns]")),
        "units": ("target", [t.unit for t in targets]),
        "outcome": ("target", [t.outcome for t in targets]),
        "held_out": ("target", np.array([t.held_out for t in targets], dtype=np.int8)),
        "lower_bound": ("target", np.array([t.lower_bound for t in targets], dtype=np.int8)),
        "observed": ("target", np.array([t.value for t in targets])),
        "observation_sd": ("target", np.array([t.sd for t in targets])),
    })
    for p in cal.parameters:
        paths = _paths(p)
        ds[p.name] = ("draw", nroy[p.name].to_numpy(dtype=float), {
            "long_name": "calibrated parameter",
            "paths": " ".join(e["path"] for e in paths),
            "scales": " ".join(f"{e['scale']:.17g}" for e in paths),
            "offsets": " ".join(f"{e['offset']:.17g}" for e in paths),
            "searched": np.array([p.low, p.high]), "scale": "log" if p.log else "linear"})
    ds["weight"] = ("draw", np.full(len(nroy), 1.0 / max(1, len(nroy))), {"meaning": WEIGHTS})
    ds["wave_of_draw"] = ("draw", nroy.wave.to_numpy(dtype=np.int64))
    ds["point"] = ("draw", nroy.point.to_numpy(dtype=np.int64),
                   {"long_name": "the draw's design point in the last wave's sweep"})
    ds["seed"] = ("replicate", cal.seed + replicates.astype(np.int64),
                  {"long_name": "run.seed of each replicate, at every draw"})
    ds["model"] = (("draw", "replicate", "target"), model, {"long_name": "each run's value"})
    ds["model_mean"] = (("draw", "target"), np.stack(
        [nroy[f"{t.name}_model"].to_numpy(dtype=float) for t in targets], axis=-1).reshape(
        len(nroy), len(targets)))
    ds["implausibility"] = (("draw", "target"), np.stack(
        [nroy[f"{t.name}_I"].to_numpy(dtype=float) for t in targets], axis=-1).reshape(
        len(nroy), len(targets)))
    ds["max_implausibility"] = ("draw", nroy["max_I"].to_numpy(dtype=float),
                                {"long_name": "largest implausibility over the targets fitted"})
    ds = ds.merge(_convergence(cal, result))
    ds.attrs = {"calibration": cal.name, "scenario": cal.scenario.name,
                "settings": " ".join(cal.settings), "cutoff": cal.cutoff,
                "discrepancy": cal.discrepancy, "replicates": cal.replicates,
                "points_per_wave": cal.points, "seed": cal.seed,
                "stop_rule": f"stop after the last of `waves` waves, or at a wave that rules out "
                             f"every point; this calibration: {result.stop}",
                "weights": WEIGHTS, "method": "history matching (docs/CALIBRATION.md)"}
    return ds


def draws_table(cal: "Calibration", result: "Result") -> pd.DataFrame:
    """The draws as a sweep reads them: `draw`, then one column per key path (each parameter's
    value through its path's transform), in the order of the calibration file."""
    nroy = result.nroy.sort_values("point").reset_index(drop=True)
    table = pd.DataFrame({"draw": np.arange(len(nroy))})
    for p in cal.parameters:
        for e in _paths(p):
            table[e["path"]] = nroy[p.name].to_numpy(dtype=float) * e["scale"] + e["offset"]
    return table


def write(cal: "Calibration", result: "Result", out: Path) -> None:
    """DIR/posterior.nc and DIR/posterior_draws.csv (numbers in shortest round-trip form)."""
    partial = out / (POSTERIOR + ".partial")
    dataset(cal, result).to_netcdf(partial, engine="netcdf4", format="NETCDF4")
    partial.replace(out / POSTERIOR)
    write_draws(draws_table(cal, result), out / DRAWS)


def write_draws(table: pd.DataFrame, path: Path) -> None:
    """A draws table as the CSV a sweep's `ensemble:` reads (numbers in shortest round-trip
    form, so a draw's values are the calibration's to the last bit)."""
    lines = [",".join(table.columns)]
    for row in table.itertuples(index=False):
        lines.append(",".join([str(int(row[0])), *(repr(float(v)) for v in row[1:])]))
    path.write_text("\n".join(lines) + "\n")


def select_draws(path: Path, count: int, leave_out: Sequence[str] = ()) -> pd.DataFrame:
    """`count` draws of a posterior_draws.csv, spread evenly over its rows (the first and the
    last among them; every row when it has no more than `count`), keeping their numbers, without
    the columns `leave_out` names (paths a scenario must not take from the ensemble, such as the
    state at another start date). The draws are a uniform sample of the ensemble, so any subset
    is one; spreading them keeps the subset the same for the same count."""
    if count < 1:
        raise AidflowError(f"{path}: the number of draws must be at least 1, got {count}")
    try:
        table = pd.read_csv(path, float_precision="round_trip")
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise AidflowError(f"{path}: cannot read the ensemble's draws: {error}") from error
    if list(table.columns[:1]) != ["draw"] or len(table) == 0:
        raise AidflowError(f"{path}: not a posterior's draws (a header draw,PATH,... and a row "
                           "per draw)")
    unknown = [c for c in leave_out if c not in table.columns[1:]]
    if unknown:
        raise AidflowError(f"{path}: no column {', '.join(unknown)} to leave out (it has: "
                           f"{', '.join(table.columns[1:])})")
    rows = np.unique(np.linspace(0, len(table) - 1, min(count, len(table))).round().astype(int))
    return table.iloc[rows].drop(columns=list(leave_out)).reset_index(drop=True)


def prior_figure(ds: xr.Dataset) -> "Figure":
    """Each parameter's NROY draws (histogram) over the range searched, against the prior
    (uniform over that range, on the log scale for a log parameter), as densities."""
    import matplotlib.pyplot as plt

    names = [str(n) for n, v in ds.data_vars.items() if v.attrs.get("long_name") ==
             "calibrated parameter"]
    cols = 3
    rows = math.ceil(len(names) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(11, 2.3 * rows + 0.6), squeeze=False)
    for ax, name in zip(axes.flat, names):
        var = ds[name]
        low, high = (float(x) for x in var.attrs["searched"])
        log = var.attrs["scale"] == "log"
        edges = np.geomspace(low, high, 21) if log else np.linspace(low, high, 21)
        ax.hist(var.values, bins=edges, density=not log, color="tab:red", alpha=0.8,
                label=f"posterior ({ds.sizes['draw']} draws)", weights=None)
        if log:
            ax.set_xscale("log")
            ax.set_ylabel("draws")
            ax.axhline(ds.sizes["draw"] / 20, color="black", linestyle="--",
                       label="prior (uniform in logs)")
        else:
            ax.axhline(1.0 / (high - low), color="black", linestyle="--", label="prior (uniform)")
            ax.set_ylabel("density")
        ax.set_xlim(low, high)
        ax.set_title(name, fontsize=9)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.suptitle(f"Calibration {ds.attrs['calibration']}: posterior (NROY) against prior, "
                 "over the range searched")
    fig.tight_layout()
    return fig


def predictive_band(ds: xr.Dataset) -> pd.DataFrame:
    """Per target: the observation, the 5%, median and 95% of every run of every draw (draws x
    seeds), whether the observation lies inside that band (for a lower bound: the band's top
    is at or above it), the draws' median implausibility (which adds the observation error and
    the model discrepancy to the runs' spread) and whether it is within the cutoff."""
    rows = []
    for i, name in enumerate(ds.target.values):
        values = ds.model.isel(target=i).values.ravel()
        values = values[~np.isnan(values)]
        q5, q50, q95 = np.quantile(values, [0.05, 0.5, 0.95]) if len(values) else (np.nan,) * 3
        observed = float(ds.observed.values[i])
        lower = bool(ds.lower_bound.values[i])
        inside = q95 >= observed if lower else q5 <= observed <= q95
        score = float(np.median(ds.implausibility.isel(target=i).values))
        rows.append({"target": str(name), "series": str(ds.series.values[i]),
                     "period_start": pd.Timestamp(ds.period_start.values[i]),
                     "period_end": pd.Timestamp(ds.period_end.values[i]),
                     "units": str(ds.units.values[i]), "held_out": bool(ds.held_out.values[i]),
                     "lower_bound": lower, "observed": observed,
                     "observation_sd": float(ds.observation_sd.values[i]),
                     "q05": q5, "median": q50, "q95": q95, "inside": bool(inside),
                     "implausibility": score, "consistent": score <= float(ds.attrs["cutoff"])})
    return pd.DataFrame(rows)


def predictive_figure(ds: xr.Dataset) -> "Figure":
    """One panel per series: each target's period (horizontal) with the posterior predictive
    5-95% band over draws x seeds (red, a held-out target's hatched blue), its median, and the
    observation with its sd (black; a triangle for a lower bound)."""
    import matplotlib.pyplot as plt

    band = predictive_band(ds)
    series = list(dict.fromkeys(band.series))
    fig, axes = plt.subplots(len(series), 1, figsize=(9, 2.2 * len(series) + 0.8), squeeze=False)
    for ax, name in zip(axes[:, 0], series):
        for row in band[band.series == name].itertuples():
            colour = "tab:blue" if row.held_out else "tab:red"
            middle = row.period_start + (row.period_end - row.period_start) / 2
            ax.fill_between([row.period_start, row.period_end], row.q05, row.q95, color=colour,
                            alpha=0.35, hatch="//" if row.held_out else None, linewidth=0)
            ax.plot([row.period_start, row.period_end], [row.median] * 2, color=colour)
            ax.errorbar([middle], [row.observed], yerr=[[row.observation_sd], [row.observation_sd]],
                        fmt="^" if row.lower_bound else "o", color="black", capsize=3)
        ax.set_title(f"{name} ({band[band.series == name].units.iloc[0]})", fontsize=9)
        ax.set_ylim(bottom=0)
    axes[-1, 0].set_xlabel("date (each band spans its target's period; blue hatched: held out, "
                           "not fitted)")
    fig.suptitle(f"Calibration {ds.attrs['calibration']}: posterior predictive 5-95% over "
                 f"{ds.sizes['draw']} draws x {ds.sizes['replicate']} seeds, and the record "
                 "(black, with its sd)", fontsize=10)
    fig.tight_layout()
    return fig


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m aidflow_analysis.posterior",
        description="Draws of a calibrated ensemble for a sweep's ensemble: (docs/SWEEPS.md).")
    commands = parser.add_subparsers(dest="command", required=True)
    draws = commands.add_parser("draws", help="COUNT draws of a posterior_draws.csv, spread evenly")
    draws.add_argument("ensemble", type=Path, help="a calibration's posterior_draws.csv")
    draws.add_argument("--count", type=int, required=True, help="how many draws")
    draws.add_argument("--leave-out", action="append", default=[], metavar="PATH",
                       help="a column (key path) the draws must not set; may be repeated")
    draws.add_argument("-o", "--output", type=Path, required=True, help="the CSV to write")
    args = parser.parse_args(argv)
    try:
        table = select_draws(args.ensemble, args.count, args.leave_out)
    except AidflowError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    partial = args.output.with_name(args.output.name + ".partial")
    write_draws(table, partial)
    partial.replace(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
