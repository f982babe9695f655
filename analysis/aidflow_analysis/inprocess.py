"""Runs and sweeps in-process, through the compiled module `aidflow_analysis._engine` (pybind11,
installed by `cmake --install` with the package; sim/python/module.cpp).

:func:`run` and :func:`sweep` call the same library code as `aidflow run` and `aidflow sweep`, so
the same inputs give the same numbers, bit for bit, and write no file: a run's indicators (or its
declared outcomes) and a sweep's outcome store come back as xarray Datasets, decoded as the
readers decode the files (dates, fill values, coordinates). The GIL is released while a run
steps, so other Python threads go on; Ctrl-C stops it. Bad input raises
:class:`AidflowInputError` with the located message the command line prints.
"""
from __future__ import annotations

import importlib
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

import numpy as np
import xarray as xr

from .errors import AidflowError
from .reader import PathLike

Settings = Union[Mapping[str, Any], Iterable[str], None]
Outcomes = Union[Mapping[str, str], Iterable[str], None]
ROOT = ""  # the group of the indicators, as in a run file


def _engine() -> Any:
    try:
        return importlib.import_module("aidflow_analysis._engine")
    except ImportError as error:
        raise AidflowError(
            "aidflow_analysis.run and .sweep need the compiled module aidflow_analysis._engine, "
            "which `cmake --install build` installs with the package (README, Install); this "
            f"copy has none ({error})") from error


def _value(value: Any) -> str:
    """A Python value as an override's YAML text: True -> true, 0.5 -> 0.5, [1, 2] -> [1, 2]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return str(value)


def _assignments(settings: Settings) -> List[str]:
    """`set=` as path=value assignments, in order: a mapping {path: value} or "path=value"s."""
    if settings is None:
        return []
    if isinstance(settings, Mapping):
        return [f"{path}={_value(value)}" for path, value in settings.items()]
    if isinstance(settings, str):
        return [settings]
    return [str(s) for s in settings]


def _outcome_arguments(outcomes: Outcomes) -> Optional[List[str]]:
    """`outcomes=` as `--outcomes` arguments: {name: expression}, or "name=expression"s (or bare
    expressions, or files of them)."""
    if outcomes is None:
        return None
    if isinstance(outcomes, Mapping):
        return [f"{name}={text}" for name, text in outcomes.items()]
    if isinstance(outcomes, str):
        return [outcomes]
    return [str(o) for o in outcomes]


def _dates(start: str, days: Iterable[int]) -> np.ndarray:
    return (np.datetime64(start, "ns") + np.asarray(list(days), dtype="timedelta64[D]")).astype(
        "datetime64[ns]")


def _which_run(attrs: Dict[str, Any]) -> Dict[str, Any]:
    """The run's seed and label as scalar coordinates: `xr.concat(runs, "run")` stacks them along
    `run`, as open_runs does for files, so paired comparisons find the seeds."""
    return {"seed": np.int64(attrs["seed"]), "label": str(attrs["label"])}


def _outcomes_dataset(result: Dict[str, Any]) -> xr.Dataset:
    start = result["attrs"]["start_date"]
    ds = xr.Dataset(coords=_which_run(result["attrs"]), attrs=result["attrs"])
    for o in result["outcomes"]:
        attrs = {"units": o["units"], "long_name": o["long_name"]}
        if o["axis"] is None:
            ds[o["name"]] = xr.DataArray(o["values"], attrs=attrs)
        else:
            axis = o["axis"]
            if axis not in ds.coords:
                ds.coords[axis] = (axis, _dates(start, o["days"]))
            ds[o["name"]] = xr.DataArray(o["values"], dims=(axis,), attrs=attrs)
    return ds


def _indicators_dataset(result: Dict[str, Any], group: str) -> xr.Dataset:
    attrs = result["attrs"]
    steps = int(attrs["steps"])
    coords: Dict[str, Any] = {
        "time": ("time", _dates(attrs["start_date"], range(0, 7 * steps, 7))),
        "step": ("time", np.arange(steps, dtype=np.int64)),
    }
    variables = {}
    dimensions = result["dimensions"]
    for var in result["series"]:
        if var["group"] != group:
            continue
        for dim in var["dims"]:
            d = dimensions[dim]
            coords[dim] = (dim, np.asarray(d["labels"], dtype=object))
            for name, (labels, _what) in d["coordinates"].items():
                coords[name] = (dim, np.asarray(labels, dtype=object))
        variables[var["name"]] = xr.Variable(("time", *var["dims"]), var["values"],
                                             {"units": var["units"],
                                              "long_name": var["long_name"]})
    if not variables:
        groups = sorted({v["group"] or "(the root)" for v in result["series"]})
        raise AidflowError(f"no group {group!r}: a run records {', '.join(groups)}")
    return xr.Dataset(variables, coords={**coords, **_which_run(attrs)}, attrs=attrs)


def run(scenario: PathLike, seed: Optional[int] = None, set: Settings = None,
        outcomes: Outcomes = None, steps: Optional[int] = None, threads: int = 0,
        label: str = "", group: str = ROOT) -> xr.Dataset:
    """Run `scenario` in this process and return what it records, writing nothing.

    `seed` and `steps` override run.seed and run.steps, `set` any value ({"policy.humanitarian_only":
    True} or ["policy.humanitarian_only=true"]), as `aidflow run --seed --steps --set` do. With
    `outcomes` ({name: expression}, or "name=expression" strings; docs/OUTCOMES.md) the Dataset
    holds those outcomes, as the `outcomes` group of `aidflow run --outcomes` does; without, the
    run's indicators along `time`, as `open_run(file).indicators` gives them (`group="ledger"` or
    "accounts" for those groups' series). The numbers are the command line's for the same inputs,
    bit for bit. `seed` and `label` are scalar coordinates, so `xr.concat([...], "run")` of
    replicates is what `compare` and `compare_table` take. `threads` 0 uses every core. Bad
    input raises AidflowInputError with the command line's located message; a run that fails
    raises AidflowRunError.
    """
    result = _engine().run(os.fspath(scenario), None if seed is None else str(seed),
                           None if steps is None else str(steps), _assignments(set),
                           _outcome_arguments(outcomes), int(threads), label)
    if "outcomes" in result:
        return _outcomes_dataset(result)
    return _indicators_dataset(result, group)


def _store_variable(column: Dict[str, Any], rows: int) -> xr.Variable:
    """One of the store's columns as the file holds it (raw values and attributes): decoded below
    by xarray exactly as the reader decodes the file."""
    values = column["values"]
    data = np.asarray(values, dtype=object) if isinstance(values, list) else values
    dims: tuple = ("run",)
    if column["inner"]:
        dims = ("run", column["inner"])
        data = data.reshape(rows, -1)
    attrs = dict(column["attributes"])
    for key in ("units", "long_name"):
        if column[key]:
            attrs[key] = column[key]
    if column["fill_value"] is not None:
        attrs["_FillValue"] = np.int64(column["fill_value"])
    return xr.Variable(dims, data, attrs)


def sweep(sweep_file: PathLike, workers: int = 0, threads: int = 0) -> xr.Dataset:
    """Run every run of `sweep_file` in this process and return its outcome store, writing
    nothing: the Dataset `open_sweep(DIR).store` gives for the same sweep run with `aidflow
    sweep` (the same values, bit for bit; `path` empty, as no run file is kept). `workers` runs
    at once (0: fill the cores), each with `threads` threads. `open_sweep(dataset)` gives its
    index, `ema()` and `tidy()` forms. Bad input raises AidflowInputError with the command
    line's located message.
    """
    result = _engine().sweep(os.fspath(sweep_file), int(workers), int(threads))
    rows = int(result["attrs"]["runs"])
    variables: Dict[str, xr.Variable] = {
        "run": xr.Variable(("run",), np.arange(rows, dtype=np.int64))}
    for d in result["dimensions"]:
        variables[d["name"]] = xr.Variable((d["name"],), d["values"], dict(d["attributes"]))
    for column in result["columns"]:
        variables[column["name"]] = _store_variable(column, rows)
    return xr.decode_cf(xr.Dataset(variables, attrs=result["attrs"]))
