"""Opening run files: one place that knows the file layout (see docs/OUTPUT.md).

Every reader goes through :func:`check_file`, so a partial run or a file of another format version
is refused with a message that says what to do, instead of giving plausible but wrong numbers.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from os import PathLike
from typing import Iterable, Optional, Union

import h5netcdf
import xarray as xr

ENGINE = "h5netcdf"
CENTS = "USD cents"
EVENTS = "events"
FORMAT_VERSION = 3  # docs/OUTPUT.md; the writer's kOutputFormatVersion

Path_ = Union[str, PathLike]


class FormatVersionError(ValueError):
    """The file was written in another layout than this package reads."""


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
    def seed(self) -> int:
        return int(self.attrs["seed"])

    @property
    def label(self) -> str:
        """What the run is called: the file's `label`, else the scenario name and overrides."""
        return run_label(self.attrs)

    @property
    def title(self) -> str:
        """The run's label and seed, for figure titles: a figure must say what it shows."""
        return f"{self.label} (seed {self.seed})"

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


def overrides(attrs: dict) -> list:
    """The run's overrides (`--set a=1`, `--steps 20`, `--seed 7`), in order.

    From the `overrides` attribute where the simulator wrote one, else read back from the command
    line, so files without it still name what they changed.
    """
    if "overrides" in attrs:
        return [line for line in str(attrs["overrides"]).splitlines() if line]
    words, found = shlex.split(str(attrs.get("command_line", ""))), []
    for i, word in enumerate(words):
        for option in ("--set", "--seed", "--steps"):
            if word == option and i + 1 < len(words):
                found.append(f"{option} {words[i + 1]}")
            elif word.startswith(option + "="):
                found.append(f"{option} {word.split('=', 1)[1]}")
    return found


def run_label(attrs: dict) -> str:
    """The file's `label`, else the scenario name followed by its overrides other than the seed
    (replicates of one scenario share a label; the seed is said apart)."""
    if attrs.get("label"):  # written by aidflow since the sweeps work; may name the seed
        return re.sub(r"\s+--seed[ =]\S+", "", str(attrs["label"])).strip()
    kept = [o for o in overrides(attrs) if not o.startswith("--seed")]
    return " ".join([str(attrs.get("scenario_name", "run")), *kept])


def check_file(path: Path_) -> dict:
    """The root attributes of a complete run file of the format version this package reads.

    A run that crashed or is still writing has status other than "complete": its arrays may be
    partly filled. A file of another format version has other variables or dimensions: reading it
    would fail further on with an obscure KeyError, or worse, not fail.
    """
    with xr.open_dataset(path, engine=ENGINE, decode_times=False) as root:
        attrs = dict(root.attrs)
    version = attrs.get("format_version")
    if version != FORMAT_VERSION:
        raise FormatVersionError(
            f"{path}: format version {version} (written by aidflow "
            f"{attrs.get('aidflow_version', '?')}), but this aidflow_analysis reads version "
            f"{FORMAT_VERSION}; run the scenario again with this aidflow (docs/OUTPUT.md lists "
            "the changes between versions)"
        )
    status = attrs.get("status")
    if status != "complete":
        raise ValueError(f"{path}: run status is {status!r}, not 'complete'; refusing to analyse it")
    return attrs


def _load(path: str, group: str | None) -> xr.Dataset:
    with xr.open_dataset(path, engine=ENGINE, group=group) as ds:
        return ds.load()


def _load_events(path: str) -> Optional[xr.Dataset]:
    # Runs that declare no event columns lack the group; that is "no events", not an error.
    with h5netcdf.File(path, "r") as f:
        if EVENTS not in f.groups:
            return None
    return _load(path, EVENTS)


def open_run(path: Path_) -> Run:
    """Open a result file, refusing one the simulator did not finish or another format version."""
    path = str(path)
    check_file(path)
    groups = (_load(path, None), _load(path, "ledger"), _load(path, "summary"))
    return Run(path, *groups, events=_load_events(path))


def load_events(path: Path_) -> Optional[xr.Dataset]:
    """The event table of a complete run without loading the rest (None if it has none)."""
    path = str(path)
    check_file(path)
    return _load_events(path)


def ledger(path: Path_) -> xr.Dataset:
    """The `ledger` group of a complete run: where every cent went, by step, donor, channel, sink,
    with diversion also along `faction` and `mechanism` (`diverted`)."""
    path = str(path)
    check_file(path)
    return _load(path, "ledger")


def open_runs(paths: Iterable[Union[Path_, Run]], group: str | None = None) -> xr.Dataset:
    """Several runs stacked along a new `run` dimension, for replicates and comparisons.

    Coordinates along `run` say which run is which: `seed`, `label`, `scenario_name`,
    `overrides` (one string, overrides separated by newlines) and `path`. Runs of different
    lengths are aligned on dates (missing values are NaN). `group` picks the file's group
    (`ledger`, `summary`); the scenario text is left out (see `Run.scenario`).
    """
    datasets, rows, files = [], [], []
    for item in paths:
        run = item if isinstance(item, Run) else None
        path = run.path if run else str(item)
        attrs = run.attrs if run else check_file(path)
        if run is None or group not in (None, "ledger", "summary"):
            ds = _load(path, group)
        else:
            ds = {None: run.indicators, "ledger": run.ledger, "summary": run.summary}[group]
        datasets.append(ds.drop_vars("scenario", errors="ignore"))
        rows.append(attrs)
        files.append(path)
    if not datasets:
        raise ValueError("open_runs needs at least one run")
    stacked = xr.concat(datasets, dim="run", join="outer", combine_attrs="drop_conflicts")
    return stacked.assign_coords(
        run=range(len(rows)),
        seed=("run", [int(a["seed"]) for a in rows]),
        label=("run", [run_label(a) for a in rows]),
        scenario_name=("run", [str(a.get("scenario_name", "")) for a in rows]),
        overrides=("run", ["\n".join(overrides(a)) for a in rows]),
        path=("run", files),
    )
