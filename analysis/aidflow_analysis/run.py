"""Opening a run file: one place that knows the file layout (see docs/OUTPUT.md)."""
from __future__ import annotations

from dataclasses import dataclass
from os import PathLike
from typing import Optional, Union

import h5netcdf
import xarray as xr

ENGINE = "h5netcdf"
CENTS = "USD cents"
EVENTS = "events"


@dataclass(frozen=True)
class Run:
    """The contents of one complete run file, loaded into memory.

    Loading eagerly and closing the file at once means a Run never holds an HDF5 handle, so a
    sweep may replace or delete the file while an analysis still uses the data.
    """

    path: str
    indicators: xr.Dataset
    ledger: xr.Dataset
    summary: xr.Dataset
    # The event table as xarray decodes it (category codes as float with NaN for "none"); None
    # for a run that recorded no events. `aidflow_analysis.events` turns it into a DataFrame.
    events: Optional[xr.Dataset] = None

    @property
    def attrs(self) -> dict:
        """Root attributes: seed, version, command line, ... (what is needed to redo the run)."""
        return dict(self.indicators.attrs)

    @property
    def scenario(self) -> str:
        """The effective scenario YAML (after `extends` and `--set`), as the run saw it."""
        return str(self.indicators["scenario"].values.item())

    @property
    def indicators_usd(self) -> xr.Dataset:
        """Indicators with money in US dollars, for tables and plots meant for people."""
        return to_usd(self.indicators)


def to_usd(data: Union[xr.Dataset, xr.DataArray]):
    """Convert every variable stored in integer cents to float dollars.

    The file keeps cents so the ledger is exact; dollars are only for reading. float64 is exact
    up to about 90 trillion dollars, far above any aid budget.
    """
    if isinstance(data, xr.DataArray):
        if data.attrs.get("units") != CENTS:
            return data
        return (data / 100).assign_attrs(data.attrs, units="USD")
    return data.assign({name: to_usd(var) for name, var in data.data_vars.items()})


def _load(path: str, group: str | None) -> xr.Dataset:
    with xr.open_dataset(path, engine=ENGINE, group=group) as ds:
        return ds.load()


def _check_complete(path: str) -> None:
    """A run that crashed or is still writing has status other than "complete"; its arrays may be
    partly filled, and analysing them would give plausible but wrong numbers."""
    with xr.open_dataset(path, engine=ENGINE) as root:
        status = root.attrs.get("status")
    if status != "complete":
        raise ValueError(f"{path}: run status is {status!r}, not 'complete'; refusing to analyse it")


def _load_events(path: str) -> Optional[xr.Dataset]:
    # Files written before events existed, or by runs that declare no event columns, lack the
    # group; that is "no events", not an error.
    with h5netcdf.File(path, "r") as f:
        if EVENTS not in f.groups:
            return None
    return _load(path, EVENTS)


def open_run(path: Union[str, PathLike]) -> Run:
    """Open a result file, refusing one the simulator did not finish."""
    path = str(path)
    _check_complete(path)
    groups = (_load(path, None), _load(path, "ledger"), _load(path, "summary"))
    return Run(path, *groups, events=_load_events(path))


def load_events(path: Union[str, PathLike]) -> Optional[xr.Dataset]:
    """The event table of a complete run without loading the rest (None if it has none)."""
    path = str(path)
    _check_complete(path)
    return _load_events(path)
