"""The event table (group `events`, see docs/OUTPUT.md) as a pandas DataFrame."""
from __future__ import annotations

from typing import Union

import numpy as np
import pandas as pd
import xarray as xr

from .errors import AidflowFileError
from .replicates import RunsLike, as_runs, is_one
from .run_file import Run


def events(source: RunsLike) -> pd.DataFrame:
    """One row per event, indexed by event number; of several runs (a list), one table indexed
    by (`run`, `event`), `run` counting the runs in the order given, with each run's `seed` and
    `label` as columns.

    Category columns (CF `flag_values`/`flag_meanings`) become pandas Categoricals of the category
    names, with NaN where the file holds -1 ("none"); `time` is datetime64; integer columns that
    xarray turned into float to hold NaN are integers again when nothing is missing. A run with no
    event table gives an empty frame. A path is opened like `open_run` (complete runs only), but
    only the event group is read.
    """
    if not is_one(source):
        runs = as_runs(source)
        frames = [_events(run).assign(seed=run.seed, label=run.label) for run in runs]
        return pd.concat(frames, keys=range(len(runs)), names=["run", "event"])
    return _events(as_runs(source)[0])


def _events(run: Run) -> pd.DataFrame:
    ds = run.events
    if ds is None:
        return pd.DataFrame(index=pd.RangeIndex(0, name="event"))
    columns = {str(name): _column(var) for name, var in ds.data_vars.items()}
    return pd.DataFrame(columns, index=pd.Index(ds["event"].values, name="event"))


def _column(var: xr.DataArray) -> Union[np.ndarray, pd.Categorical]:
    if "flag_meanings" in var.attrs:
        return _categories(var)
    values = var.values
    stored = np.dtype(var.encoding.get("dtype", values.dtype))
    if np.issubdtype(stored, np.integer) and values.dtype.kind == "f" and not np.isnan(values).any():
        return values.astype(stored)
    return values


def _categories(var: xr.DataArray) -> pd.Categorical:
    names = str(var.attrs["flag_meanings"]).split()
    flags = np.atleast_1d(var.attrs["flag_values"]).tolist()
    if len(flags) != len(names):
        raise AidflowFileError(f"{var.name}: {len(flags)} flag_values for {len(names)} flag_meanings")
    codes = pd.Series(var.values)
    # Decoded files hold NaN for "none"; files opened without masking hold the fill value itself.
    fill = var.attrs.get("_FillValue", var.encoding.get("_FillValue"))
    missing = codes.isna() | (codes == fill if fill is not None else False)
    labels = codes.map(dict(zip(flags, names)))
    unknown = labels.isna() & ~missing
    if unknown.any():
        raise AidflowFileError(f"{var.name}: codes {sorted(codes[unknown].unique())} are not in flag_values")
    return pd.Categorical(labels, categories=names)
