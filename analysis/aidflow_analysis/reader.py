"""Reading netCDF-4 files fast: the one place that opens a file and turns failures into messages.

xarray's `h5netcdf` engine took about a second for the root group of a 4,000-household run (it
resolves every dimension scale through h5py); the netCDF4 library reads the same metadata in C.
A group is read here with netCDF4 into plain arrays and decoded by xarray's own CF decoding
(`xarray.decode_cf`: dates, fill values, coordinates), so the Dataset is the one
`xarray.open_dataset` gives, in a tenth of the time, and only the variables asked for are read.

Every failure to open or read becomes an :class:`AidflowFileError` naming the file and what is
wrong: no such file, not an HDF5 file, a damaged or truncated one, a killed run's temporary file.
"""
from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any, Collection, Dict, Iterator, Optional, Set, Union

import netCDF4
import numpy as np
import xarray as xr

from .errors import AidflowFileError

PathLike = Union[str, "os.PathLike[str]"]

# A run writes `.NAME.partial-PID` (or a hashed short form) and renames it when complete.
_PARTIAL = re.compile(r"^\..*\.partial-\d+$")


def is_partial_name(path: PathLike) -> bool:
    """Whether `path` is named like a run's temporary file (docs/OUTPUT.md)."""
    return bool(_PARTIAL.match(Path(path).name))


def _unreadable(path: PathLike, error: BaseException) -> AidflowFileError:
    """The message for a file netCDF4 cannot open, by what the library said."""
    text = str(error)
    if isinstance(error, FileNotFoundError) or not os.path.exists(path):
        return AidflowFileError(f"{path}: no such file")
    if os.path.isdir(path):
        return AidflowFileError(f"{path}: is a directory, not a run file")
    if is_partial_name(path):
        return AidflowFileError(
            f"{path}: not complete: this is the temporary file of a run that is still running or "
            "was killed; a finished run is renamed to its output name")
    if "Unknown file format" in text:
        return AidflowFileError(f"{path}: not an aidflow run: not an HDF5 (netCDF-4) file")
    if isinstance(error, PermissionError):
        return AidflowFileError(f"{path}: permission denied")
    return AidflowFileError(
        f"{path}: cannot be read as HDF5: damaged or truncated (run it again): {text}")


@contextlib.contextmanager
def opened(path: PathLike) -> Iterator[netCDF4.Dataset]:
    """The file open for reading; any failure to open is an AidflowFileError."""
    try:
        nc = netCDF4.Dataset(str(path), "r")
    except (OSError, RuntimeError, ValueError, IndexError) as error:
        raise _unreadable(path, error) from error
    try:
        yield nc
    finally:
        nc.close()


def root_attributes(nc: netCDF4.Dataset) -> Dict[str, Any]:
    """The root attributes of an open file."""
    return {name: nc.getncattr(name) for name in nc.ncattrs()}


def _needed(group: netCDF4.Dataset, variables: Collection[str]) -> Set[str]:
    """`variables` with what describes them: the coordinate variables of their dimensions and
    those named in their `coordinates` attribute, and theirs in turn."""
    todo, found = list(variables), set()
    while todo:
        name = todo.pop()
        if name in found or name not in group.variables:
            continue
        found.add(name)
        var = group.variables[name]
        todo.extend(var.dimensions)
        todo.extend(str(getattr(var, "coordinates", "")).split())
    return found


def _variable(var: netCDF4.Variable) -> xr.Variable:
    var.set_auto_maskandscale(False)  # raw values and attributes: xarray decodes them
    values = var[...]
    data = np.asarray(values, dtype=object) if var.dtype is str else np.asarray(values)
    return xr.Variable(var.dimensions, data, {k: var.getncattr(k) for k in var.ncattrs()})


def group_dataset(nc: netCDF4.Dataset, path: PathLike, group: Optional[str] = None,
                  variables: Optional[Collection[str]] = None) -> xr.Dataset:
    """Group `group` (None: the root) of the open file `nc` as a decoded, loaded Dataset.

    With `variables`, only those (and the coordinates that describe them) are read; a name the
    group lacks is an error that lists what it has.
    """
    where = f"{path}" + (f", group {group!r}" if group else "")
    if group is not None and group not in nc.groups:
        raise AidflowFileError(f"{where}: no such group (the file has: "
                               f"{', '.join(sorted(nc.groups)) or 'none'})")
    source = nc if group is None else nc.groups[group]
    if variables is not None:
        missing = sorted(set(variables) - set(source.variables))
        if missing:
            raise AidflowFileError(f"{where}: no variable {', '.join(missing)} (it has: "
                                   f"{', '.join(sorted(source.variables))})")
    names = set(source.variables) if variables is None else _needed(source, variables)
    try:
        raw = {name: _variable(source.variables[name]) for name in source.variables
               if name in names}
    except (OSError, RuntimeError, IndexError, ValueError) as error:
        raise AidflowFileError(f"{where}: cannot be read: damaged or truncated "
                               f"(run it again): {error}") from error
    attrs = {k: source.getncattr(k) for k in source.ncattrs()}
    return xr.decode_cf(xr.Dataset(raw, attrs=attrs))


def read_group(path: PathLike, group: Optional[str] = None,
               variables: Optional[Collection[str]] = None) -> xr.Dataset:
    """:func:`group_dataset` of the file at `path`, opened and closed here."""
    with opened(path) as nc:
        return group_dataset(nc, path, group, variables)
