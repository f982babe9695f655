"""Opening run files: one place that knows what makes a run file usable (see docs/OUTPUT.md).

Every reader goes through :func:`check_attributes`, so a partial run, a foreign file or a file of
another format version is refused with a message that says what to do, instead of giving
plausible but wrong numbers. Groups are read only when asked for (:class:`Run`), and only the
variables asked for (:func:`open_runs`), through :mod:`.reader`.
"""
from __future__ import annotations

import dataclasses
import os
import re
import shlex
from dataclasses import dataclass, field
from typing import Any, Collection, Dict, Iterable, List, Optional, Union

import netCDF4
import numpy as np
import xarray as xr

from . import reader
from .errors import AidflowError, AidflowFileError, FormatVersionError
from .file_format import RUN_FORMAT_VERSION
from .reader import PathLike
from .units import to_usd

EVENTS = "events"
FORMAT_VERSION = RUN_FORMAT_VERSION  # file_format.json, shared with the writer; docs/OUTPUT.md
OUTCOMES = "outcomes"
# Run attribute names for the groups (None is the root group, the indicators). `events` and
# `outcomes` (written by `aidflow run --outcomes`) may be absent.
GROUP_OF = {"indicators": None, "ledger": "ledger", "summary": "summary", "events": EVENTS,
            "outcomes": OUTCOMES}
OPTIONAL_GROUPS = (EVENTS, OUTCOMES)


@dataclass(frozen=True)
class FileStamp:
    """What identifies one version of a file: a group read later must come from the same one."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: PathLike) -> "FileStamp":
        st = os.stat(path)
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def check_attributes(path: PathLike, attrs: Dict[str, Any]) -> Dict[str, Any]:
    """`attrs` (a file's root attributes) if they are those of a complete run of the format
    version this package reads; otherwise an AidflowFileError that says what the file is.

    A run that crashed or is still writing has status other than "complete": its arrays may be
    partly filled. A file of another format version has other variables or dimensions: reading it
    would fail further on with an obscure KeyError, or worse, not fail.
    """
    if "sweep_name" in attrs:
        raise AidflowFileError(f"{path}: not a run but a sweep's index: open its directory "
                               "with open_sweep(DIR)")
    if "format_version" not in attrs:
        raise AidflowFileError(f"{path}: not an aidflow run: it has no format_version attribute "
                               "(every file aidflow writes has one)")
    version = attrs["format_version"]
    if version != FORMAT_VERSION:
        raise FormatVersionError(
            f"{path}: format version {version} (written by aidflow "
            f"{attrs.get('aidflow_version', '?')}), but this aidflow_analysis reads version "
            f"{FORMAT_VERSION}; run the scenario again with this aidflow (docs/OUTPUT.md lists "
            "the changes between versions)"
        )
    status = attrs.get("status")
    if status != "complete":
        raise AidflowFileError(
            f"{path}: not complete: run status is {status!r}, not 'complete' (the run is still "
            "running, was killed or failed); refusing to analyse it")
    return attrs


def check_file(path: PathLike) -> Dict[str, Any]:
    """The root attributes of a complete run file of the format version this package reads."""
    with reader.opened(path) as nc:
        return check_attributes(path, reader.root_attributes(nc))


@dataclass(frozen=True)
class Run:
    """One complete run file: its attributes at once, each group when first used.

    A group is read whole on first access and kept, so a Run holds no open file: a sweep may
    replace or delete the file while an analysis still uses what it read. A group first read
    after the file changed is refused (call :meth:`load` to read every group at once).
    """

    path: str
    attrs: Dict[str, Any]  # root attributes: seed, version, command line, ...
    has_events: bool = True
    stamp: Optional[FileStamp] = field(default=None, repr=False, compare=False)
    has_outcomes: bool = False  # written by `aidflow run --outcomes`
    _groups: Dict[str, Optional[xr.Dataset]] = field(default_factory=dict, repr=False,
                                                     compare=False)

    def __repr__(self) -> str:
        return f"Run({self.path!r}: {self.title})"

    def group(self, name: str) -> Optional[xr.Dataset]:
        """`indicators`, `ledger`, `summary`, `events` or `outcomes` (None for a run without
        events, or without declared outcomes)."""
        if name not in GROUP_OF:
            raise AidflowError(f"no group {name!r}: a run has {', '.join(GROUP_OF)}")
        if name not in self._groups:
            self._groups[name] = self._read(name)
        return self._groups[name]

    def _read(self, name: str) -> Optional[xr.Dataset]:
        return self._read_groups([name])[name]

    def _read_groups(self, names: List[str]) -> Dict[str, Optional[xr.Dataset]]:
        """Groups `names` in one opening of the file, which must be the one open_run checked."""
        out: Dict[str, Optional[xr.Dataset]] = {name: None for name in names}
        present = {EVENTS: self.has_events, OUTCOMES: self.has_outcomes}
        wanted = [n for n in names if present.get(n, True)]  # absent optional groups: None
        if not wanted:
            return out
        if self.stamp is not None and _stamp_or_none(self.path) != self.stamp:
            raise AidflowFileError(f"{self.path}: changed or removed since open_run; open it "
                                   "again (Run.load() reads every group at once)")
        with reader.opened(self.path) as nc:
            for name in wanted:
                out[name] = reader.group_dataset(nc, self.path, GROUP_OF[name])
        return out

    def load(self) -> "Run":
        """Read every group not read yet, in one opening of the file (the Run then no longer
        needs it); returns the Run."""
        self._groups.update(self._read_groups([n for n in GROUP_OF if n not in self._groups]))
        return self

    def replace(self, **groups: Optional[xr.Dataset]) -> "Run":
        """A copy with some groups replaced (`ledger=...`): for what-ifs and tests."""
        unknown = set(groups) - set(GROUP_OF)
        if unknown:
            raise AidflowError(f"no group {', '.join(sorted(unknown))}: a run has "
                               f"{', '.join(GROUP_OF)}")
        return dataclasses.replace(self, _groups={**self._groups, **groups})

    @property
    def indicators(self) -> xr.Dataset:
        """The root group: indicators along `time` (dates), with label coordinates."""
        return _present(self.group("indicators"))

    @property
    def ledger(self) -> xr.Dataset:
        """The `ledger` group: cents by step, donor, channel and sink."""
        return _present(self.group("ledger"))

    @property
    def summary(self) -> xr.Dataset:
        """The `summary` group: the ledger's run totals."""
        return _present(self.group("summary"))

    @property
    def events(self) -> Optional[xr.Dataset]:
        """The event table as xarray decodes it (category codes as float with NaN for "none");
        None for a run that recorded no events. `aidflow_analysis.events` makes a DataFrame."""
        return self.group("events")

    @property
    def outcomes(self) -> Optional[xr.Dataset]:
        """The outcomes `aidflow run --outcomes` declared (docs/OUTCOMES.md): one variable each,
        a value or a series along dates; None for a run that declared none."""
        return self.group("outcomes")

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


def _present(ds: Optional[xr.Dataset]) -> xr.Dataset:
    assert ds is not None, "only the events group may be absent"
    return ds


def _stamp_or_none(path: str) -> Optional[FileStamp]:
    try:
        return FileStamp.of(path)
    except OSError:
        return None


def overrides(attrs: Dict[str, Any]) -> List[str]:
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


def run_label(attrs: Dict[str, Any]) -> str:
    """The file's `label`, else the scenario name followed by its overrides other than the seed
    (replicates of one scenario share a label; the seed is said apart)."""
    if attrs.get("label"):  # written by aidflow since the sweeps work; may name the seed
        return re.sub(r"\s+--seed[ =]\S+", "", str(attrs["label"])).strip()
    kept = [o for o in overrides(attrs) if not o.startswith("--seed")]
    return " ".join([str(attrs.get("scenario_name", "run")), *kept])


def _open_checked(path: str, nc: netCDF4.Dataset) -> Run:
    attrs = check_attributes(path, reader.root_attributes(nc))
    return Run(path, attrs, has_events=EVENTS in nc.groups, stamp=FileStamp.of(path),
               has_outcomes=OUTCOMES in nc.groups)


def open_run(path: PathLike) -> Run:
    """Open a run file: its attributes now, each group (`indicators`, `ledger`, `summary`,
    `events`) when first used.

    Refuses, with an :class:`AidflowFileError` naming the file, what is not a complete run of
    this format version: a missing, truncated or foreign file, a killed run's temporary file, a
    run whose status is not "complete" (:class:`FormatVersionError` for another version).
    """
    path = str(path)
    with reader.opened(path) as nc:
        return _open_checked(path, nc)


def load_events(path: PathLike) -> Optional[xr.Dataset]:
    """The event table of a complete run without loading the rest (None if it has none)."""
    return open_run(path).events


def ledger(path: PathLike) -> xr.Dataset:
    """The `ledger` group of a complete run: where every cent went, by step, donor, channel, sink,
    with diversion also along `faction` and `mechanism` (`diverted`)."""
    return open_run(path).ledger


def _one(item: Union[PathLike, Run], group: Optional[str],
         variables: Optional[Collection[str]]) -> tuple:
    """(attributes, path, Dataset of `group` restricted to `variables`) of one run."""
    if isinstance(item, Run):
        name = next((k for k, v in GROUP_OF.items() if v == group), None)
        if name is None:  # a group the Run does not keep (e.g. `accounts`): read from its file
            return item.attrs, item.path, reader.read_group(item.path, group, variables)
        ds = item.group(name)
        if ds is None:
            raise AidflowFileError(f"{item.path}: has no {name} group")
        return item.attrs, item.path, ds if variables is None else ds[list(variables)]
    path = str(item)
    with reader.opened(path) as nc:
        attrs = check_attributes(path, reader.root_attributes(nc))
        return attrs, path, reader.group_dataset(nc, path, group, variables)


def open_runs(paths: Iterable[Union[PathLike, Run]], group: Optional[str] = None,
              variables: Optional[Collection[str]] = None) -> xr.Dataset:
    """Several runs stacked along a new `run` dimension, for replicates and comparisons.

    Coordinates along `run` say which run is which: `seed`, `label`, `scenario_name`,
    `overrides` (one string, overrides separated by newlines), `path`, and the weeks it covers
    (`time_start`, `time_end`, `time_steps`). Runs of different lengths are aligned on dates
    (missing values are NaN; `compare` refuses to pair them). `group` picks the file's group
    (`ledger`, `summary`, ...); `variables` reads only those variables (and their coordinates)
    from each file, which is what makes stacking many runs fast. The scenario text is left out
    (see `Run.scenario`). Each file is checked like :func:`open_run`.
    """
    datasets, rows, files = [], [], []
    for item in paths:
        attrs, path, ds = _one(item, group, variables)
        datasets.append(ds.drop_vars("scenario", errors="ignore"))
        rows.append(attrs)
        files.append(path)
    if not datasets:
        raise AidflowError("open_runs needs at least one run")
    spans = [_span(ds) for ds in datasets]
    stacked = xr.concat(datasets, dim="run", join="outer", combine_attrs="drop_conflicts")
    return stacked.assign_coords(
        run=range(len(rows)),
        seed=("run", [int(a["seed"]) for a in rows]),
        label=("run", [run_label(a) for a in rows]),
        scenario_name=("run", [str(a.get("scenario_name", "")) for a in rows]),
        overrides=("run", ["\n".join(overrides(a)) for a in rows]),
        path=("run", files),
        time_start=("run", [s[0] for s in spans]),
        time_end=("run", [s[1] for s in spans]),
        time_steps=("run", [s[2] for s in spans]),
    )


def _span(ds: xr.Dataset) -> tuple:
    """(first date, last date, steps) of one run's `time` axis (NaT, NaT, 0 without one): kept
    along `run` because stacking runs of other lengths pads the shorter ones."""
    if "time" not in ds.coords or ds.sizes.get("time", 0) == 0:
        return np.datetime64("NaT", "ns"), np.datetime64("NaT", "ns"), 0
    times = ds["time"].values
    return times[0], times[-1], len(times)
