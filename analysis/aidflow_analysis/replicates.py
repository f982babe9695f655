"""Summaries over replicates: the mean of a quantity over runs, with a Student's t interval.

Every single-run table and plot of the package also takes several runs (replicates: the same
scenario with other seeds, or the runs of a sweep point): it then shows, cell by cell or step by
step, the mean over the runs and its confidence interval. The runs are treated as independent
draws (the interval is mean ± t · s / sqrt(n), n - 1 degrees of freedom); paired comparisons of
two scenarios are :func:`aidflow_analysis.compare`'s. With one run the bounds are NaN.
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Callable, List, Sequence, Tuple, Union, cast

import numpy as np
import pandas as pd
import xarray as xr

from .errors import AidflowError
from .reader import PathLike
from .run_file import Run, open_run

RunLike = Union[Run, PathLike]
# One run, or several (a list of Runs or paths): what every table and plot takes.
RunsLike = Union[RunLike, Sequence[RunLike]]
STATS = ("mean", "low", "high")


def is_one(runs: RunsLike) -> bool:
    """Whether `runs` is one run (a Run or a path) rather than several."""
    return isinstance(runs, (Run, str, Path)) or hasattr(runs, "__fspath__")


def as_runs(runs: RunsLike) -> List[Run]:
    """`runs` as a list of opened runs (a path is opened with :func:`open_run`)."""
    items = [runs] if is_one(runs) else list(cast(Sequence[RunLike], runs))
    out = [r if isinstance(r, Run) else open_run(cast(PathLike, r)) for r in items]
    if not out:
        raise AidflowError("no run given: a summary over replicates needs at least one")
    return out


def mean_interval(data: xr.DataArray, dim: str, confidence: float = 0.95
                  ) -> Tuple[xr.DataArray, xr.DataArray, xr.DataArray]:
    """(mean, low, high) of `data` over `dim`: Student's t interval at `confidence`; NaN bounds
    with fewer than two values, and NaN where the values are (a share of nothing)."""
    n = data.sizes[dim]
    mean = data.mean(dim)
    if n < 2:
        nan = xr.full_like(mean, np.nan, dtype=float)
        return mean, nan, nan
    with warnings.catch_warnings():  # all-NaN cells stay NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = data.std(dim, ddof=1)
    from scipy import stats  # here: scipy takes a second to import, and only intervals need it

    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * spread / np.sqrt(n)
    return mean, mean - half, mean + half


def over_replicates(table: Callable[[Run], pd.DataFrame], runs: Sequence[Run],
                    confidence: float = 0.95) -> pd.DataFrame:
    """`table(run)` for every run, summarised cell by cell: the table's rows, each column split
    into `mean`, `low` and `high` (a second column level, `stat`). attrs: `runs`, `confidence`."""
    frames = [table(run).astype(float) for run in runs]
    shape = frames[0].shape
    if any(f.shape != shape or not f.index.equals(frames[0].index) for f in frames):
        raise AidflowError("the runs' tables differ in shape (other donors, factions or "
                           "sinks): summarise replicates of one scenario")
    cells = xr.DataArray(np.stack([f.to_numpy() for f in frames]), dims=("run", "row", "column"))
    mean, low, high = mean_interval(cells, "run", confidence)
    columns = pd.MultiIndex.from_product([frames[0].columns, STATS],
                                         names=[frames[0].columns.name, "stat"])
    values = np.stack([mean.values, low.values, high.values], axis=-1).reshape(shape[0], -1)
    out = pd.DataFrame(values, index=frames[0].index, columns=columns)
    out.attrs.update(runs=len(runs), confidence=confidence)
    return out


def title_of(runs: Sequence[Run], confidence: float = 0.95) -> str:
    """What a figure of several runs shows: their label, how many, the interval."""
    if len(runs) == 1:
        return runs[0].title
    labels = list(dict.fromkeys(r.label for r in runs))
    label = labels[0] if len(labels) == 1 else f"{len(labels)} labels"
    seeds = sorted(r.seed for r in runs)
    return (f"{label} (mean of {len(runs)} runs, seeds {seeds[0]}-{seeds[-1]}, "
            f"{confidence:.0%} interval)")
