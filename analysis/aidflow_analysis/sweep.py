"""Opening a sweep directory (docs/SWEEPS.md): the index as one DataFrame, any run on demand.

A run the index does not show as complete (failed, or missing because it has not run yet or its
shard has not finished), or whose file is gone or is not the run the index describes, is refused
with an :class:`AidflowFileError` that says which run and why ("run 6 failed: <its message>").
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection, Dict, Iterable, Optional

import pandas as pd
import xarray as xr

from . import reader
from .errors import AidflowFileError
from .reader import PathLike
from .run import Run, open_run, open_runs

INDEX = "sweep.h5"


@dataclass(frozen=True)
class Sweep:
    """A sweep's index (one row per run, indexed by `run`) and the way to its run files."""

    directory: Path
    index: pd.DataFrame
    attrs: Dict[str, Any]

    def path(self, run: int) -> Path:
        """The file of run `run`, which the index shows as complete; else AidflowFileError."""
        if run not in self.index.index:
            raise AidflowFileError(f"{self.directory / INDEX}: no run {run} (runs 0 to "
                                   f"{len(self.index) - 1})")
        row = self.index.loc[run]
        if row.status == "failed":
            raise AidflowFileError(f"{self.directory / INDEX}: run {run} failed: {row.message}")
        if row.status != "complete":
            raise AidflowFileError(
                f"{self.directory / INDEX}: run {run} is {row.status}: not run yet, or its shard "
                "has not finished (aidflow sweep ... --resume, or sweep-merge after every shard)")
        return self.directory / str(row.path)

    def run(self, run: int) -> Run:
        """Open run `run` (its number, the index's `run`) with :func:`open_run`, checking that the
        file is the run the index describes (its seed)."""
        path = self.path(run)
        try:
            opened = open_run(path)
        except AidflowFileError as error:
            raise AidflowFileError(f"{self.directory / INDEX}: run {run}, complete in the index, "
                                   f"cannot be opened: {error}") from error
        if opened.seed != int(self.index.loc[run, "seed"]):
            raise AidflowFileError(f"{path}: not run {run} of this sweep: seed {opened.seed}, the "
                                   f"index says {int(self.index.loc[run, 'seed'])}")
        return opened

    def dataset(self, run: int) -> xr.Dataset:
        """Run `run`'s indicators as an xarray Dataset."""
        return self.run(run).indicators

    def runs(self, runs: Optional[Iterable[int]] = None, group: Optional[str] = None,
             variables: Optional[Collection[str]] = None) -> xr.Dataset:
        """Complete runs (all, or those numbered `runs`) stacked along `run` as
        :func:`open_runs` does, reading only `variables`; the index's columns for those runs
        are coordinates along `run` (`point`, `replicate`, parameter values, ...)."""
        chosen = list(self.complete.index if runs is None else runs)
        stacked = open_runs([self.run(r) for r in chosen], group, variables)
        columns = self.index.loc[chosen].drop(columns=["seed", "path", "label"], errors="ignore")
        coords = {str(name): ("run", column.to_numpy()) for name, column in columns.items()}
        return stacked.assign_coords({"run": chosen, **coords})

    @property
    def complete(self) -> pd.DataFrame:
        return self.index[self.index.status == "complete"]


def open_sweep(directory: PathLike) -> Sweep:
    """Read DIR/sweep.h5. Money columns are USD cents (NaN where a run failed or is missing).

    A missing directory or index, or an index that is truncated or not a sweep's, is an
    AidflowFileError that names the file.
    """
    directory = Path(directory)
    index = directory / INDEX
    if not directory.is_dir():
        raise AidflowFileError(f"{directory}: no such directory (a sweep's output directory, "
                               "aidflow sweep ... -o DIR)")
    if not index.exists():
        raise AidflowFileError(f"{index}: no such file: not a sweep directory, or the index was "
                               "not written yet (after shards: aidflow sweep-merge DIR)")
    with reader.opened(index) as nc:
        attrs = reader.root_attributes(nc)
        if "sweep_name" not in attrs or "status" not in nc.variables:
            raise AidflowFileError(f"{index}: not a sweep's index (no sweep_name attribute or "
                                   "status column)")
        ds = reader.group_dataset(nc, index)
    return Sweep(directory, ds.to_dataframe(), attrs)
