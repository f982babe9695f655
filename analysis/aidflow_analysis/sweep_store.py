"""Opening a sweep (docs/SWEEPS.md): its outcome store in one call, in the forms analysts use.

A sweep's store, DIR/sweep.h5, holds every run's declared outcomes (one value per run, or a
series per run along dates) with what each run was as coordinates of `run`: design point,
replicate, seed, each parameter's value under the name the sweep file gave it (booleans as
booleans), the design's coordinates, status, message, label, and the run's file when runs were
kept. :func:`open_sweep` reads it; :class:`Sweep` gives it as

- `sweep.store`: the store as an xarray Dataset (runs x outcomes, runs x time for series);
- `sweep.index`: one row per run, the coordinates and the one-value outcomes (a DataFrame);
- `sweep.ema()`: EMA Workbench's `(experiments, outcomes)`: a DataFrame of the parameter values
  per run and a dict of numpy arrays, shaped (runs,) or (runs, time);
- `sweep.tidy()`: NetLogo BehaviorSpace's one tidy table: a row per run, outcome (and date for a
  series), with the run's parameters beside it;
- `sweep.run(i)`, `sweep.runs(...)`: a run's full file, when the sweep kept them (`--keep-runs`).

A run that is not complete in the store (failed, or missing because it has not run yet or its
shard has not finished), or whose file is gone, was not kept, or is not the run the store
describes, is refused with an :class:`AidflowFileError` saying which run and why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Dict, Iterable, List, Optional, Tuple, Union

import numpy as np
import pandas as pd
import xarray as xr

from . import reader
from .errors import AidflowFileError
from .file_format import SWEEP_INDEX_FORMAT_VERSION
from .reader import PathLike
from .run_file import Run, open_run, open_runs

STORE = "sweep.h5"
INDEX = STORE  # its name before the store held declared outcomes
STORE_FORMAT_VERSION = SWEEP_INDEX_FORMAT_VERSION  # file_format.json, shared with the writer
# The store's own coordinates along `run`, besides the parameters' and the design's.
RUN_COORDINATES = ("point", "replicate", "seed", "status", "message", "label", "path",
                   "wall_seconds")
DESIGN_COORDINATES = ("sobol_sample", "sobol_block", "morris_trajectory", "morris_step")


@dataclass(frozen=True)
class Sweep:
    """A sweep's outcome store, and the way to its run files when they were kept."""

    directory: Optional[Path]  # None: a store in memory (aidflow_analysis.sweep)
    store: xr.Dataset
    attrs: Dict[str, Any]
    _index: List[pd.DataFrame] = field(default_factory=list, repr=False, compare=False)

    @property
    def where(self) -> str:
        """The store, as messages name it."""
        return str(self.directory / STORE) if self.directory else "the sweep's store (in memory)"

    @property
    def outcomes(self) -> List[str]:
        """The declared outcomes, in the order of the sweep file (the defaults first)."""
        return str(self.attrs.get("outcomes", "")).split()

    @property
    def parameters(self) -> List[str]:
        """The parameters' names, as the sweep file gave them."""
        return [str(name) for name, var in self.store.coords.items()
                if var.attrs.get("long_name") == "sweep parameter"]

    @property
    def index(self) -> pd.DataFrame:
        """One row per run (indexed by `run`): the coordinates, then every one-value outcome."""
        if not self._index:
            scalars = [n for n in self.outcomes if self.store[n].dims == ("run",)]
            frame = self.store.reset_coords()[[*self._run_coordinates(), *scalars]].to_dataframe()
            self._index.append(frame)
        return self._index[0]

    def _run_coordinates(self) -> List[str]:
        return [str(n) for n, v in self.store.coords.items() if v.dims == ("run",) and n != "run"]

    @property
    def complete(self) -> pd.DataFrame:
        """The index's rows of complete runs."""
        return self.index[self.index.status == "complete"]

    def experiments(self) -> pd.DataFrame:
        """The parameter values of every run (and its design coordinates, replicate and seed),
        one row per run: EMA Workbench's `experiments`."""
        names = [*self.parameters,
                 *(n for n in DESIGN_COORDINATES if n in self.store.coords),
                 "point", "replicate", "seed"]
        return self.index[names]

    def outcome_arrays(self, complete_only: bool = False) -> Dict[str, np.ndarray]:
        """Every outcome as a numpy array, (runs,) or (runs, time): EMA Workbench's `outcomes`.
        Missing and failed runs hold NaN, unless `complete_only` leaves them out."""
        keep = self.store.status.values == "complete" if complete_only else slice(None)
        return {name: np.asarray(self.store[name].values)[keep] for name in self.outcomes}

    def ema(self, complete_only: bool = True) -> Tuple[pd.DataFrame, Dict[str, np.ndarray]]:
        """`(experiments, outcomes)` as EMA Workbench's `perform_experiments` returns them: the
        runs' parameter values and a dict of outcome arrays shaped (runs,) or (runs, time), of
        the complete runs (all runs with `complete_only=False`, NaN where not complete)."""
        experiments = self.experiments()
        if complete_only:
            experiments = experiments[self.index.status == "complete"]
        return experiments, self.outcome_arrays(complete_only)

    def tidy(self, outcomes: Optional[Collection[str]] = None) -> pd.DataFrame:
        """One long table, BehaviorSpace style: a row per complete run and outcome (and date, for
        a series), columns `run`, the parameters, `replicate`, `seed`, `outcome`, `time` (NaT
        for a one-value outcome), `value` and `units`."""
        names = list(self.outcomes if outcomes is None else outcomes)
        unknown = sorted(set(names) - set(self.outcomes))
        if unknown:
            raise AidflowFileError(f"{self.where}: no outcome {', '.join(unknown)} "
                                   f"(it has: {', '.join(self.outcomes)})")
        runs = self.experiments()[self.index.status == "complete"]
        parts = []
        for name in names:
            var = self.store[name].sel(run=runs.index.values)
            long = var.reset_coords(drop=True).to_dataframe(name="value").reset_index()
            time_dim = next((d for d in var.dims if d != "run"), None)
            long["time"] = long.pop(time_dim) if time_dim else pd.NaT
            long["outcome"] = name
            long["units"] = str(var.attrs.get("units", ""))
            parts.append(long)
        table = pd.concat(parts, ignore_index=True)
        table = table.join(runs, on="run")
        first = ["run", *runs.columns, "outcome", "time", "value", "units"]
        return table[first]

    def path(self, run: int) -> Path:
        """The file of run `run`, complete and kept; else an AidflowFileError saying why not."""
        if run not in self.index.index:
            raise AidflowFileError(f"{self.where}: no run {run} (runs 0 to "
                                   f"{len(self.index) - 1})")
        row = self.index.loc[run]
        if row.status == "failed":
            raise AidflowFileError(f"{self.where}: run {run} failed: {row.message}")
        if row.status != "complete":
            raise AidflowFileError(
                f"{self.where}: run {run} is {row.status}: not run yet, or its shard "
                "has not finished (aidflow sweep ... --resume, or sweep-merge after every shard)")
        if not row.path:
            raise AidflowFileError(
                f"{self.where}: run {run} kept no file (the sweep ran without "
                "--keep-runs): its declared outcomes are in the store; run the sweep again with "
                "--keep-runs, or aidflow_analysis.run(...) with its settings, for everything")
        assert self.directory is not None, "a store in memory keeps no run file"
        return self.directory / str(row.path)

    def run(self, run: int) -> Run:
        """Open run `run` (its number, the store's `run`) with :func:`open_run`, checking that
        the file is the run the store describes (its seed)."""
        path = self.path(run)
        try:
            opened = open_run(path)
        except AidflowFileError as error:
            raise AidflowFileError(f"{self.where}: run {run}, complete in the store, "
                                   f"cannot be opened: {error}") from error
        if opened.seed != int(self.index.loc[run, "seed"]):
            raise AidflowFileError(f"{path}: not run {run} of this sweep: seed {opened.seed}, the "
                                   f"store says {int(self.index.loc[run, 'seed'])}")
        return opened

    def dataset(self, run: int) -> xr.Dataset:
        """Run `run`'s indicators as an xarray Dataset (from its kept file)."""
        return self.run(run).indicators

    def runs(self, runs: Optional[Iterable[int]] = None, group: Optional[str] = None,
             variables: Optional[Collection[str]] = None) -> xr.Dataset:
        """Complete kept runs (all, or those numbered `runs`) stacked along `run` as
        :func:`open_runs` does, reading only `variables`; the store's coordinates for those runs
        are coordinates along `run` (`point`, `replicate`, parameter values, ...)."""
        chosen = list(self.complete.index if runs is None else runs)
        stacked = open_runs([self.run(r) for r in chosen], group, variables)
        columns = self.index.loc[chosen, self._run_coordinates()]
        columns = columns.drop(columns=["seed", "path", "label"], errors="ignore")
        coords = {str(name): ("run", column.to_numpy()) for name, column in columns.items()}
        return stacked.assign_coords({"run": chosen, **coords})


def open_sweep(directory: Union[PathLike, xr.Dataset]) -> Sweep:
    """Read DIR/sweep.h5, the sweep's outcome store, in one opening of the file (or take a store
    `aidflow_analysis.sweep` returned). Integer outcomes (money in USD cents, counts) read as
    float64 with NaN where a run failed or is missing.

    A missing directory or store, or a store that is truncated, of another format version or not
    a sweep's, is an AidflowFileError that names the file.
    """
    if isinstance(directory, xr.Dataset):
        return Sweep(None, directory, dict(directory.attrs))
    directory = Path(directory)
    path = directory / STORE
    if not directory.is_dir():
        raise AidflowFileError(f"{directory}: no such directory (a sweep's output directory, "
                               "aidflow sweep ... -o DIR)")
    if not path.exists():
        raise AidflowFileError(f"{path}: no such file: not a sweep directory, or the store was "
                               "not written yet (after shards: aidflow sweep-merge DIR)")
    with reader.opened(path) as nc:
        attrs = reader.root_attributes(nc)
        if "sweep_name" not in attrs or "status" not in nc.variables:
            raise AidflowFileError(f"{path}: not a sweep's store (no sweep_name attribute or "
                                   "status coordinate)")
        if attrs.get("format_version") != STORE_FORMAT_VERSION:
            raise AidflowFileError(
                f"{path}: store format version {attrs.get('format_version')} (written by aidflow "
                f"{attrs.get('aidflow_version', '?')}), but this aidflow_analysis reads version "
                f"{STORE_FORMAT_VERSION} (a sweep's outcome store, docs/SWEEPS.md); run the "
                "sweep again with this aidflow")
        store = reader.group_dataset(nc, path)
    return Sweep(directory, store, attrs)
