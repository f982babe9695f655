"""The package's exceptions: one type per kind of problem, each message naming what is wrong.

In-process runs (:func:`aidflow_analysis.run`, :func:`aidflow_analysis.sweep`) raise
:class:`AidflowInputError` for bad input, with the message the command line prints, and
:class:`AidflowRunError` for a run that fails. A reader never lets a raw h5py, netCDF4 or xarray
traceback through for a file it cannot use:
a truncated or foreign file, a killed run's temporary file, a failed or missing run of a sweep
all raise :class:`AidflowFileError` (a `ValueError`, as the package raised before), whose message
starts with the file's path and says what is wrong and, where there is one, what to do.
"""
from __future__ import annotations


class AidflowError(Exception):
    """Base of every error this package raises on purpose."""


class AidflowFileError(AidflowError, ValueError):
    """A file (a run, a sweep's index) that cannot be read as what it is meant to be."""


class FormatVersionError(AidflowFileError):
    """The file was written in another layout than this package reads."""


class ComparisonError(AidflowError, ValueError):
    """Two sets of runs that cannot be compared as asked (no shared seed, other weeks, ...)."""


class AidflowInputError(AidflowError, ValueError):
    """Bad input to an in-process run or sweep (a scenario, sweep file, override or outcome),
    with the located message the command line prints: `FILE:LINE:COL: key.path: what was
    expected`."""


class AidflowRunError(AidflowError, RuntimeError):
    """An in-process run that failed while it ran (a ledger that did not balance, ...)."""


class ProvinceMapError(AidflowFileError):
    """A run, or an outline file, that cannot be drawn on the province map (no province outputs,
    provinces the outlines lack: a run on the synthetic geography)."""
