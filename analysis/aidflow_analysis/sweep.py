"""Opening a sweep directory (docs/SWEEPS.md): the index as one DataFrame, any run lazily."""
from __future__ import annotations

from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Union

import pandas as pd
import xarray as xr

from .run import ENGINE, Run, open_run

INDEX = "sweep.h5"


@dataclass(frozen=True)
class Sweep:
    """A sweep's index (one row per run, indexed by `run`) and the way to its run files."""

    directory: Path
    index: pd.DataFrame
    attrs: dict

    def run(self, run: int) -> Run:
        """Open run `run` (its number, the index's `run`) with :func:`open_run`."""
        return open_run(self.directory / self.index.loc[run, "path"])

    def dataset(self, run: int) -> xr.Dataset:
        """Run `run`'s indicators as an xarray Dataset, read lazily."""
        return xr.open_dataset(self.directory / self.index.loc[run, "path"], engine=ENGINE)

    @property
    def complete(self) -> pd.DataFrame:
        return self.index[self.index.status == "complete"]


def open_sweep(directory: Union[str, PathLike]) -> Sweep:
    """Read DIR/sweep.h5. Money columns are USD cents (NaN where a run failed or is missing)."""
    directory = Path(directory)
    with xr.open_dataset(directory / INDEX, engine=ENGINE) as ds:
        return Sweep(directory, ds.to_dataframe(), dict(ds.attrs))
