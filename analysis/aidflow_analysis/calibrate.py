"""Calibration against the dated record by history matching: which values of a scenario's
uncertain parameters are *not implausible* given the series of data/targets.csv.

A calibration file names a scenario, the parameters to fit (each with its range, written as in a
sweep file, docs/SWEEPS.md), the targets (a row of data/targets.csv, the declared outcome that
reads the same quantity off a run, docs/OUTCOMES.md, and the observation error) and how to search.
Each wave runs a Latin hypercube over the current ranges through the sweep engine, `replicates`
seeds a point, and scores every point by its implausibility on each target,

    I = |mean of the replicates - target| / sqrt(V_obs + V_disc + V_run (1 + 1/replicates)),

(for a target given as a lower bound, only a mean below it counts), with V_obs the target's
observation variance, V_disc the model discrepancy (`discrepancy` x the target, squared) and
V_run the variance between the point's replicates (reality is one draw of
a stochastic world; the mean of the replicates estimates the model's expectation). A point whose
largest I exceeds `cutoff` (3, Pukelsheim's three-sigma rule) is ruled out; the next wave samples
the box that holds the points not ruled out, widened by a tenth of each side. What remains after
the last wave is the not-ruled-out-yet (NROY) set: the calibrated ensemble, not a single value.

    /usr/bin/python3 -m aidflow_analysis.calibrate CALIBRATION.yaml -o DIR [--resume]
        [--workers N] [--launcher 'mpirun -np K' | --shards N] [--points N] [--waves N]
        [--replicates N] [--set PATH=VALUE]

runs wave N as a sweep in DIR/wave_N (its sweep file and directory, `aidflow sweep`, with
`--workers`, under the launcher with `--mpi`, or as N shard processes merged by `aidflow
sweep-merge`), so a calibration killed in any wave finishes with `--resume` and gives the same
bytes, and any worker, rank or shard count gives the same result.
A target marked `held_out: true` is predicted, not fitted: its implausibility is computed and
reported, never cut on. It writes DIR/points.csv (every point of every wave: parameters, each
target's model mean and implausibility, whether it is ruled out), DIR/nroy.csv (the points not
ruled out after the last wave), DIR/summary.md (each wave's ranges and share ruled out; the best
point; the NROY ranges; the posterior predictive band of every target), DIR/best.txt (the best
point as `--set PATH=VALUE` lines), DIR/calibration.png, and the posterior ensemble
(:mod:`.posterior`: DIR/posterior.nc, posterior_draws.csv, posterior.png, predictive.png). The
method is that of Vernon, Goldstein and Bower (2010) and, for stochastic models, Andrianakis et
al. (2015), without an emulator: aidflow is fast enough to run every point
(docs/CALIBRATION.md).
"""
from __future__ import annotations

import argparse
import math
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
import yaml

from . import posterior
from .errors import AidflowInputError
from .sweep_store import open_sweep
from .study_file import fail, read_mapping, scenario_of
from .targets import default_targets, load_targets

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CUTOFF = 3.0


@dataclass(frozen=True)
class Target:
    """One row of the dated record and how a run reads the same quantity."""

    name: str         # the outcome's name in the sweep store
    series: str       # the row's series in targets.csv
    start: pd.Timestamp
    end: pd.Timestamp
    outcome: str      # declared-outcome expression (docs/OUTCOMES.md)
    value: float      # the target (a range's middle)
    sd: float         # observation error, as a standard deviation
    source: str
    lower_bound: bool = False  # the target is a floor: only a model value below it counts
    held_out: bool = False     # predicted, not fitted: kept out of every implausibility cut
    unit: str = ""


@dataclass(frozen=True)
class Parameter:
    """A parameter fitted: its sweep-file entry and the range searched."""

    name: str
    entry: Dict[str, Any]  # as in a sweep file, without `range`
    low: float
    high: float
    log: bool


@dataclass(frozen=True)
class Calibration:
    """A calibration file, read and checked."""

    path: Path
    name: str
    scenario: Path
    settings: List[str]
    parameters: List[Parameter]
    targets: List[Target]
    points: int
    waves: int
    replicates: int
    seed: int
    cutoff: float
    discrepancy: float



def _number(path: Path, raw: Dict[str, Any], key: str, default: Optional[float], low: float,
            high: float, whole: bool = False, within: str = "") -> float:
    value, where = raw.get(key, default), within + key
    if value is None:
        fail(path, where, "required key is missing")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        fail(path, where, f"expected a number from {low:g} to {high:g}, got {value!r}")
    if whole and value != int(value):
        fail(path, where, f"expected a whole number, got {value!r}")
    return float(value)


def _parameter(path: Path, i: int, raw: Any) -> Parameter:
    key = f"parameters[{i}]"
    if not isinstance(raw, dict):
        fail(path, key, "expected a mapping (a sweep file's parameter, with range:)")
    bounds = raw.get("range")
    if (not isinstance(bounds, list) or len(bounds) != 2
            or not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds)
            or not bounds[0] < bounds[1]):
        fail(path, f"{key}.range", f"expected [low, high] with low < high, got {bounds!r}")
    name = raw.get("name") or (str(raw.get("path", "")).split(".")[-1])
    if not name:
        fail(path, key, "expected path: or name: with paths:")
    log = raw.get("scale", "linear") == "log"
    if log and bounds[0] <= 0:
        fail(path, f"{key}.range", "a log scale needs a range above zero")
    entry = {k: v for k, v in raw.items() if k not in ("range", "scale")}
    return Parameter(str(name), entry, float(bounds[0]), float(bounds[1]), log)


def _target(path: Path, i: int, raw: Any, record: pd.DataFrame) -> Target:
    key = f"targets[{i}]"
    if not isinstance(raw, dict):
        fail(path, key, "expected a mapping with series, period, outcome and error")
    for needed in ("series", "period", "outcome", "error"):
        if needed not in raw:
            fail(path, f"{key}.{needed}", "required key is missing")
    for given in raw:
        if given not in ("name", "series", "period", "outcome", "error", "bound", "held_out"):
            fail(path, f"{key}.{given}", "unknown key (expected name, series, period, outcome, "
                                          "error, bound or held_out)")
    period = raw["period"]
    if not isinstance(period, list) or len(period) != 2:
        fail(path, f"{key}.period", f"expected [first day, last day], got {period!r}")
    start, end = (pd.Timestamp(str(d)) for d in period)
    rows = record[(record.series == raw["series"]) & (record.period_start == start)
                  & (record.period_end == end)]
    if len(rows) != 1:
        fail(path, key, f"data/targets.csv has no row {raw['series']} from {start:%Y-%m-%d} to "
                         f"{end:%Y-%m-%d}")
    row = rows.iloc[0]
    error = _number(path, raw, "error", None, 0.0, 10.0, within=f"{key}.")
    # A range in the record counts as a 95% interval; a value gets `error` x itself as its sd.
    spread = (row.high - row.low) / 4.0
    sd = max(error * abs(row.value), spread)
    if not sd > 0:
        fail(path, f"{key}.error", "the target's observation error must be above zero")
    bound = raw.get("bound", "none")
    if bound not in ("none", "lower"):
        fail(path, f"{key}.bound", f"expected none or lower, got {bound!r}")
    held_out = raw.get("held_out", False)
    if not isinstance(held_out, bool):
        fail(path, f"{key}.held_out", f"expected true or false, got {held_out!r}")
    name = str(raw.get("name", f"target_{i}"))
    return Target(name, str(row.series), start, end, str(raw["outcome"]), float(row.value), sd,
                  str(row.source), lower_bound=bound == "lower", held_out=held_out,
                  unit=str(row.unit))


KEYS = {"name", "scenario", "set", "parameters", "targets", "points", "waves", "replicates", "seed",
        "cutoff", "discrepancy"}


def load_calibration(path: Path, targets_csv: Optional[Path] = None) -> Calibration:
    """Reads and checks a calibration file; errors name the file and the key."""
    path = Path(path)
    raw = read_mapping(path, "calibration", KEYS)
    scenario = scenario_of(path, raw)
    params = raw.get("parameters")
    if not isinstance(params, list) or not params:
        fail(path, "parameters", "expected a list of at least one parameter with range:")
    record = load_targets(targets_csv)
    targets = raw.get("targets")
    if not isinstance(targets, list) or not targets:
        fail(path, "targets", "expected a list of at least one target")
    if all(isinstance(t, dict) and t.get("held_out") is True for t in targets):
        fail(path, "targets", "every target is held out: at least one must be fitted")
    settings = raw.get("set", [])
    if not isinstance(settings, list) or not all(isinstance(s, str) for s in settings):
        fail(path, "set", "expected a list of PATH=VALUE strings")
    return Calibration(
        path=path, name=str(raw.get("name", path.stem)), scenario=scenario,
        settings=list(settings),
        parameters=[_parameter(path, i, p) for i, p in enumerate(params)],
        targets=[_target(path, i, t, record) for i, t in enumerate(targets)],
        points=int(_number(path, raw, "points", 100, 2, 1e5, whole=True)),
        waves=int(_number(path, raw, "waves", 3, 1, 100, whole=True)),
        replicates=int(_number(path, raw, "replicates", 4, 2, 1000, whole=True)),
        seed=int(_number(path, raw, "seed", 1, 0, 2**31, whole=True)),
        cutoff=_number(path, raw, "cutoff", CUTOFF, 0.1, 100.0),
        discrepancy=_number(path, raw, "discrepancy", 0.1, 0.0, 10.0))


Box = Dict[str, Tuple[float, float]]


def wave_sweep(cal: Calibration, wave: int, box: Box) -> Dict[str, Any]:
    """The sweep file of one wave: a Latin hypercube over `box`, the targets as outcomes."""
    parameters = []
    for p in cal.parameters:
        entry = dict(p.entry)
        entry["range"] = list(box[p.name])
        if p.log:
            entry["scale"] = "log"
        if "name" not in entry:
            entry["name"] = p.name
        parameters.append(entry)
    return {"name": f"{cal.name}_wave{wave}", "scenario": str(cal.scenario),
            "set": cal.settings, "parameters": parameters,
            "design": {"kind": "latin_hypercube", "points": cal.points,
                       "seed": cal.seed + 1000 * wave},
            "replicates": cal.replicates, "seed": cal.seed,
            "outcomes": {t.name: t.outcome for t in cal.targets}}


def implausibility(store: pd.DataFrame, cal: Calibration) -> pd.DataFrame:
    """One row per design point: its parameter values, each target's model mean, replicate sd
    and implausibility, the largest implausibility over the targets fitted (a held-out target's
    is computed but not cut on) and whether the point is ruled out. A point with a failed run
    is ruled out (its message is in the sweep store)."""
    names = [p.name for p in cal.parameters]
    grouped = store.groupby("point", sort=True)
    points = grouped[names].first()
    failed = grouped["status"].apply(lambda s: bool((s != "complete").any()))
    out = points.copy()
    worst = pd.Series(0.0, index=points.index)  # the largest implausibility so far
    for t in cal.targets:
        mean = grouped[t.name].mean()
        var = grouped[t.name].var(ddof=1).fillna(0.0)
        denominator = np.sqrt(t.sd ** 2 + (cal.discrepancy * t.value) ** 2
                              + var * (1.0 + 1.0 / cal.replicates))
        miss = (t.value - mean).clip(lower=0.0) if t.lower_bound else (mean - t.value).abs()
        score = miss / denominator
        out[f"{t.name}_model"] = mean
        out[f"{t.name}_sd"] = np.sqrt(var)
        out[f"{t.name}_I"] = score
        if not t.held_out:
            worst = worst.combine(score.fillna(np.inf), max)
    out["max_I"] = worst.where(~failed, np.inf)
    out["ruled_out"] = out["max_I"] > cal.cutoff
    return out.reset_index()


def _scale(p: Parameter, x: float) -> float:
    """A parameter's value where its sampling is uniform: its log for a log-scale parameter."""
    return math.log(x) if p.log else x


def _unscale(p: Parameter, y: float) -> float:
    return math.exp(y) if p.log else y


def refocus(cal: Calibration, kept: pd.DataFrame, box: Box) -> Box:
    """The next wave's box: the kept points' span on each parameter, widened by a tenth of the
    span each side (on the log scale for a log parameter), inside the original range."""
    new: Box = {}
    for p in cal.parameters:
        low = _scale(p, float(kept[p.name].min()))
        high = _scale(p, float(kept[p.name].max()))
        width = high - low if high > low else 0.5 * (_scale(p, box[p.name][1]) - _scale(p, box[p.name][0]))
        lo = max(p.low, _unscale(p, low - 0.1 * width))
        hi = min(p.high, _unscale(p, high + 0.1 * width))
        new[p.name] = (lo, hi) if hi > lo else box[p.name]
    return new


@dataclass(frozen=True)
class SweepRunner:
    """How each wave's sweep runs: `aidflow sweep` (the binary `aidflow`), with `workers` runs at
    once (0: every core), or under `launcher` (e.g. `mpirun -np 4`) with `--mpi`, or as `shards`
    processes at once, each one slice of the runs (`--shard K/N`, as a job array runs them), then
    `aidflow sweep-merge`. A sweep's result does not depend on any of these (docs/SWEEPS.md,
    "Parallelism"), so neither does the calibration's."""

    aidflow: str = "aidflow"
    workers: int = 0
    launcher: Tuple[str, ...] = ()
    shards: int = 1

    def command(self, sweep_file: Path, directory: Path, resume: bool) -> List[str]:
        line = [*self.launcher, self.aidflow, "sweep", str(sweep_file), "-o", str(directory),
                "--threads", "1", "--no-keep-runs", "-q"]
        if self.launcher:
            line.append("--mpi")
        if self.workers:
            line += ["--workers", str(self.workers)]
        return line + (["--resume"] if resume else [])

    def commands(self, sweep_file: Path, directory: Path, resume: bool) -> List[List[str]]:
        """The processes that run the sweep at once: one, or one per shard."""
        line = self.command(sweep_file, directory, resume)
        if self.shards == 1:
            return [line]
        return [line + ["--shard", f"{k}/{self.shards}"] for k in range(1, self.shards + 1)]

    def run(self, sweep_file: Path, directory: Path) -> None:
        """Runs the sweep into `directory`, or, when a killed calibration left it there,
        finishes it (`--resume` runs only what is not done yet; a finished one is read again);
        shards are merged into the store once all have run."""
        _run_together(self.commands(sweep_file, directory, resume=directory.exists()))
        if self.shards > 1:
            _run_together([[self.aidflow, "sweep-merge", str(directory)]])


def _run_together(lines: List[List[str]]) -> None:
    """Starts every command, waits for all, and raises the first failure with its message."""
    try:
        jobs = [subprocess.Popen(line, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                for line in lines]
    except OSError as error:
        raise AidflowInputError(f"cannot run {lines[0][0]}: {error} (give --aidflow PATH)") from error
    failures = []
    for line, job in zip(lines, jobs):
        _, stderr = job.communicate()
        if job.returncode != 0:
            failures.append(f"{' '.join(line)} exited {job.returncode}: {stderr.strip()}")
    if failures:
        raise AidflowInputError(failures[0])


def wave_directory(out: Path, wave: int) -> Path:
    """DIR/wave_N: the wave's sweep file (sweep.yaml) and its sweep directory (sweep/)."""
    return out / f"wave_{wave}"


def _write_once(path: Path, text: str) -> None:
    """Writes `text` to `path` (through a temporary file, so a kill leaves it whole or absent);
    a file already there must hold the same text: a resumed calibration that would run a
    different wave (a changed calibration file or record) is refused."""
    if path.exists():
        if path.read_text() != text:
            raise AidflowInputError(
                f"{path}: this wave was begun with another sweep (the calibration file, the "
                "record or an earlier wave changed since): calibrate into a new directory")
        return
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text)
    os.replace(partial, path)


def run_wave(cal: Calibration, wave: int, box: Box, out: Path, runner: SweepRunner) -> pd.DataFrame:
    """Runs (or finishes, or reads again) wave `wave` in DIR/wave_N and scores its points."""
    directory = wave_directory(out, wave)
    directory.mkdir(parents=True, exist_ok=True)
    sweep_file = directory / "sweep.yaml"
    _write_once(sweep_file, yaml.safe_dump(wave_sweep(cal, wave, box), sort_keys=False))
    runner.run(sweep_file, directory / "sweep")
    store = open_sweep(directory / "sweep").index.reset_index()
    scored = implausibility(store, cal)
    scored.insert(0, "wave", wave)
    return scored


@dataclass
class Result:
    """Every point of every wave, the boxes searched, the NROY set after the last wave and
    every run of the NROY points (one row per run: point, replicate, seed, each target's
    value), the posterior predictive sample."""

    points: pd.DataFrame
    boxes: List[Box]
    nroy: pd.DataFrame
    runs: pd.DataFrame
    stop: str  # why the waves stopped

    @property
    def best(self) -> Optional[pd.Series]:
        """The NROY point with the smallest largest implausibility (None if all are ruled out)."""
        if self.nroy.empty:
            return None
        return self.nroy.loc[self.nroy["max_I"].idxmin()]


def calibrate(cal: Calibration, out: Path, runner: SweepRunner = SweepRunner(),
              progress: bool = True) -> Result:
    """History matching, wave by wave in DIR/wave_N, until `waves` are done or every point is
    ruled out. Each wave's sweep file is a function of the calibration file and the waves before
    it, so running again over the same DIR finishes what a kill left and gives the same result."""
    box: Box = {p.name: (p.low, p.high) for p in cal.parameters}
    boxes, waves = [box], []
    for wave in range(1, cal.waves + 1):
        scored = run_wave(cal, wave, box, out, runner)
        waves.append(scored)
        kept = scored[~scored["ruled_out"]]
        if progress:
            print(f"wave {wave}: {len(scored)} points x {cal.replicates} runs, "
                  f"{len(kept)} not ruled out (largest implausibility <= {cal.cutoff:g})",
                  file=sys.stderr, flush=True)
        if kept.empty or wave == cal.waves:
            stop = (f"wave {wave} ruled out every point" if kept.empty
                    else f"the {cal.waves} waves of the calibration file were run")
            runs = _runs_of(cal, out, wave, kept)
            return Result(pd.concat(waves, ignore_index=True), boxes,
                          kept.reset_index(drop=True), runs, stop)
        box = refocus(cal, kept, box)
        boxes.append(box)
    raise AssertionError("unreachable")


def _runs_of(cal: Calibration, out: Path, wave: int, kept: pd.DataFrame) -> pd.DataFrame:
    """Every run of the kept points of `wave`: point, replicate, seed and each target's value."""
    store = open_sweep(wave_directory(out, wave) / "sweep").index.reset_index()
    columns = ["point", "replicate", "seed", *(t.name for t in cal.targets)]
    runs = store[store.point.isin(kept.point)][columns]
    return runs.sort_values(["point", "replicate"]).reset_index(drop=True)


def best_settings(cal: Calibration, best: pd.Series) -> List[str]:
    """The best point as `PATH=VALUE` settings, one per path a parameter moves."""
    lines = []
    for p in cal.parameters:
        value = float(best[p.name])
        paths = p.entry.get("paths") or [p.entry.get("path")]
        for entry in paths:
            if isinstance(entry, dict):
                x = value * float(entry.get("scale", 1.0)) + float(entry.get("offset", 0.0))
                lines.append(f"{entry['path']}={x:.6g}")
            else:
                lines.append(f"{entry}={value:.6g}")
    return lines


def summary(cal: Calibration, result: Result) -> str:
    """The calibration as Markdown: targets, waves, the NROY ranges and the best point."""
    lines = [f"# Calibration `{cal.name}`", "",
             f"Scenario `{cal.scenario.name}`; {cal.points} points a wave, {cal.replicates} "
             f"replicates a point, cutoff {cal.cutoff:g}, model discrepancy "
             f"{cal.discrepancy:.0%} of each target.", "",
             "| target | period | value | observation sd | best point's model (replicate sd) | I |",
             "|---|---|---|---|---|---|"]
    best = result.best
    for t in cal.targets:
        model = "-" if best is None else f"{best[t.name + '_model']:.4g} ({best[t.name + '_sd']:.2g})"
        score = "-" if best is None else f"{best[t.name + '_I']:.2f}"
        lines.append(f"| {t.series} | {t.start:%Y-%m-%d} to {t.end:%Y-%m-%d} | {t.value:.4g} "
                     f"| {t.sd:.3g} | {model} | {score} |")
    lines += ["", "| wave | " + " | ".join(p.name for p in cal.parameters) + " | not ruled out |",
              "|---|" + "---|" * len(cal.parameters) + "---|"]
    for wave, box in enumerate(result.boxes, start=1):
        of = result.points[result.points.wave == wave]
        spans = " | ".join(f"{box[p.name][0]:.4g}-{box[p.name][1]:.4g}" for p in cal.parameters)
        lines.append(f"| {wave} | {spans} | {int((~of.ruled_out).sum())} of {len(of)} |")
    if best is None:
        lines += ["", "Every point was ruled out: no value tried matches every target within "
                      "its stated errors."]
        return "\n".join(lines) + "\n"
    nroy = result.nroy
    lines += ["", f"Not ruled out after the last wave: {len(nroy)} points.", "",
              "| parameter | best | NROY 5% | NROY median | NROY 95% |", "|---|---|---|---|---|"]
    for p in cal.parameters:
        q = nroy[p.name].quantile([0.05, 0.5, 0.95])
        lines.append(f"| {p.name} | {best[p.name]:.4g} | {q.iloc[0]:.4g} | {q.iloc[1]:.4g} "
                     f"| {q.iloc[2]:.4g} |")
    return "\n".join(lines) + "\n"


def figure(cal: Calibration, result: Result) -> "Figure":
    """Left, each parameter's searched range (0-1 across) with every point of the last wave, those
    ruled out in grey and the NROY points in red, the best as a black diamond; right, each target
    with its observation error (`cutoff` sd, grey; open-ended for a lower bound) and the NROY
    points' model means (red), the best's black, each as a ratio to the target."""
    import matplotlib.pyplot as plt

    last = result.points[result.points.wave == result.points.wave.max()]
    best = result.best
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.45 * max(len(cal.parameters), len(cal.targets)) + 1.6))
    for row, p in enumerate(cal.parameters):
        def unit(x: Any) -> Any:
            lo, hi = _scale(p, p.low), _scale(p, p.high)
            xs = np.log(x) if p.log else x
            return (xs - lo) / (hi - lo)
        y = len(cal.parameters) - 1 - row
        left.scatter(unit(last[p.name][last.ruled_out]), np.full(int(last.ruled_out.sum()), y),
                     s=6, color="0.75")
        left.scatter(unit(result.nroy[p.name]), np.full(len(result.nroy), y), s=10, color="tab:red")
        if best is not None:
            left.scatter([unit(best[p.name])], [y], marker="D", color="black", s=24)
    left.set_yticks(range(len(cal.parameters)), [p.name for p in reversed(cal.parameters)])
    left.set_xlim(-0.02, 1.02)
    left.set_xlabel("position in the range searched\n(0 low end, 1 high end; log scale where declared)")
    left.set_title(f"parameters: {len(result.nroy)} points not ruled out")
    for row, t in enumerate(cal.targets):
        y = len(cal.targets) - 1 - row
        half = cal.cutoff * math.sqrt(t.sd ** 2 + (cal.discrepancy * t.value) ** 2) / t.value
        top = max(1 + half, 5.0) if t.lower_bound else 1 + half  # a floor: anything above passes
        right.plot([1 - half, top], [y, y], color="0.8", linewidth=6, solid_capstyle="butt")
        if not result.nroy.empty:
            right.scatter(result.nroy[f"{t.name}_model"] / t.value, np.full(len(result.nroy), y),
                          s=10, color="tab:red")
        if best is not None:
            right.scatter([best[f"{t.name}_model"] / t.value], [y], marker="D", color="black", s=24)
    right.axvline(1.0, color="black", linewidth=0.8)
    right.set_yticks(range(len(cal.targets)),
                     [f"{t.series} {t.start:%Y-%m}..{t.end:%Y-%m}" for t in reversed(cal.targets)])
    right.set_xlabel(f"model / target; grey: within {cal.cutoff:g} sd of observation and\n"
                     "discrepancy (each point's replicate spread widens it)")
    right.set_title("targets")
    fig.suptitle(f"Calibration {cal.name}: the last wave (wave {int(result.points.wave.max())})")
    fig.tight_layout()
    return fig


def _save(fig: "Figure", path: Path) -> None:
    import matplotlib.pyplot as plt

    # No date or software version in the file: the same calibration gives the same bytes.
    fig.savefig(path, dpi=90, metadata={"Software": None})
    plt.close(fig)


def predictive_summary(band: pd.DataFrame) -> str:
    """The posterior predictive band of every target as Markdown, held-out targets marked."""
    lines = ["| target | period | observed (sd) | predictive 5%-95% (median) | in band "
             "| implausibility (median) | use |", "|---|---|---|---|---|---|---|"]
    for row in band.itertuples():
        bound = " (at least)" if row.lower_bound else ""
        lines.append(f"| {row.series} | {row.period_start:%Y-%m-%d} to {row.period_end:%Y-%m-%d} "
                     f"| {row.observed:.4g}{bound} ({row.observation_sd:.3g}) | {row.q05:.4g}-"
                     f"{row.q95:.4g} ({row.median:.4g}) | {'yes' if row.inside else 'no'} "
                     f"| {row.implausibility:.2f}{'' if row.consistent else ' (over the cutoff)'} "
                     f"| {'held out' if row.held_out else 'fitted'} |")
    return "\n".join(lines) + "\n"


def write(cal: Calibration, result: Result, out: Path) -> None:
    """DIR/points.csv, nroy.csv, summary.md, best.txt, calibration.png and, when some point
    survives, the posterior: posterior.nc, posterior_draws.csv, posterior.png (against the
    prior) and predictive.png (the module's docstring)."""
    out.mkdir(parents=True, exist_ok=True)
    result.points.to_csv(out / "points.csv", index=False)
    result.nroy.to_csv(out / "nroy.csv", index=False)
    text = summary(cal, result)
    best = result.best
    (out / "best.txt").write_text("" if best is None else "\n".join(best_settings(cal, best)) + "\n")
    _save(figure(cal, result), out / "calibration.png")
    if best is not None:
        posterior.write(cal, result, out)
        ds = posterior.dataset(cal, result)
        text += ("\n## Posterior predictive (every run of every NROY point)\n\n"
                 + predictive_summary(posterior.predictive_band(ds)))
        _save(posterior.prior_figure(ds), out / "posterior.png")
        _save(posterior.predictive_figure(ds), out / "predictive.png")
    (out / "summary.md").write_text(text)


def resized(cal: Calibration, args: argparse.Namespace) -> Calibration:
    """The calibration with the command line's --points, --waves, --replicates, --cutoff and
    --set."""
    from dataclasses import replace

    changes: Dict[str, Any] = {"settings": cal.settings + list(args.set)}
    for key, low in (("points", 2), ("waves", 1), ("replicates", 2), ("cutoff", 0.1)):
        value = getattr(args, key)
        if value is not None:
            if value < low:
                raise AidflowInputError(f"--{key}: expected at least {low}, got {value}")
            changes[key] = value
    return replace(cal, **changes)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m aidflow_analysis.calibrate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("calibration", type=Path, help="the calibration file (YAML)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="directory to write")
    parser.add_argument("--targets", type=Path, default=None,
                        help="the dated record (default: data/targets.csv)")
    parser.add_argument("--resume", action="store_true",
                        help="continue a calibration a kill left in the directory")
    parser.add_argument("--workers", type=int, default=0,
                        help="runs at once in each wave's sweep (0: every core)")
    parser.add_argument("--launcher", default="",
                        help="run each wave's sweep under this command with --mpi, "
                             "e.g. 'mpirun -np 4'")
    parser.add_argument("--shards", type=int, default=1,
                        help="run each wave's sweep as this many shard processes at once "
                             "(--shard K/N, as a job array does), then sweep-merge")
    parser.add_argument("--aidflow", default=os.environ.get("AIDFLOW_BIN", "aidflow"),
                        help="the aidflow binary (default: $AIDFLOW_BIN, else aidflow on PATH)")
    size = parser.add_argument_group("size", "a smaller (or larger) run of the same file")
    size.add_argument("--points", type=int, help="points a wave, instead of the file's")
    size.add_argument("--waves", type=int, help="waves, instead of the file's")
    size.add_argument("--replicates", type=int, help="replicates a point, instead of the file's")
    size.add_argument("--cutoff", type=float,
                      help="the largest implausibility kept, instead of the file's (a small "
                           "search may need a looser one for any point to survive)")
    size.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                      help="an override for every run, after the file's set: (repeatable)")
    args = parser.parse_args(argv)
    runner = SweepRunner(args.aidflow, args.workers, tuple(shlex.split(args.launcher)),
                         args.shards)
    try:
        if args.shards < 1 or (args.shards > 1 and args.launcher):
            raise AidflowInputError(f"--shards {args.shards}: give a count of 1 or more, and "
                                    "either --shards or --launcher, not both")
        cal = resized(load_calibration(args.calibration, args.targets or default_targets()), args)
        if wave_directory(args.output, 1).exists() and not args.resume:
            raise AidflowInputError(f"{args.output}: holds a calibration already: --resume "
                                    "continues it, or give another directory")
        result = calibrate(cal, args.output, runner)
    except AidflowInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    write(cal, result, args.output)
    print((args.output / "summary.md").read_text())
    return 0 if result.best is not None else 3


if __name__ == "__main__":
    sys.exit(main())
