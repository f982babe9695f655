"""Read aidflow result files and answer the usual questions about them.

Reading (money stays in integer cents in the data; :func:`to_usd` gives dollars):

- :func:`open_run` — one run file, checked (complete, this format version); its groups
  (`indicators`, `ledger`, `summary`, `events`) are read when first used.
- :func:`open_runs` — several runs stacked along `run` (seed, label, overrides, weeks covered),
  reading only the `variables` asked for.
- :func:`open_sweep` — a sweep's outcome store: as xarray, a DataFrame, EMA Workbench's
  `(experiments, outcomes)` or a tidy table; a kept run's file on demand.
- :func:`ledger`, :func:`events` — one group of a run, as a Dataset / a DataFrame.

Running in-process (the compiled module installed with the package; nothing written to disk):
:func:`run` returns a run's indicators or declared outcomes as an xarray Dataset, :func:`sweep` a
sweep's outcome store, with the numbers `aidflow run` and `aidflow sweep` give for the same inputs.

Answers: summary tables (:func:`aid_outcomes`, :func:`diversion_table`, :func:`diverted_by_ministry`,
:func:`donor_faction_shares`, :func:`settled_by_donor`, :func:`attribution_gap`,
:func:`ledger_balances`) of one run, or of several replicates (then each cell is the mean over
the runs with its Student's t interval, :mod:`aidflow_analysis.replicates`), paired
comparisons of two scenarios (:func:`compare`, :func:`compare_table`) of indicators made with
:func:`flow`, :func:`stock` and :func:`level`, figures in :mod:`aidflow_analysis.plots`, province
maps in :mod:`aidflow_analysis.maps`,
sensitivity indices in :mod:`aidflow_analysis.sensitivity`, scenario discovery (PRIM, CART:
where a conclusion fails) in :mod:`aidflow_analysis.discovery`, robust policy search (NSGA-II,
`python3 -m aidflow_analysis.search`) in :mod:`aidflow_analysis.search` and the HTML report in
:mod:`aidflow_analysis.report` (`python3 -m aidflow_analysis.report`). Over an ensemble (runs
that carry their parameter draw) `compare` and `compare_table` pair by draw and seed.

Errors: every file the package cannot use raises :class:`AidflowFileError` (a subclass of
:class:`AidflowError` and of `ValueError`) whose message names the file and what is wrong.
"""
import importlib
from typing import Any

from .comparison import (
    KEY_INDICATORS,
    POLICY_INDICATORS,
    ComparisonTable,
    Indicator,
    common_time,
    compare,
    compare_table,
    flow,
    level,
    stock,
)
from .errors import (
    AidflowError,
    AidflowFileError,
    AidflowInputError,
    AidflowRunError,
    ComparisonError,
    FormatVersionError,
    ProvinceMapError,
)
from .event_table import events
from .inprocess import run, sweep
from .run_file import FORMAT_VERSION, Run, ledger, load_events, open_run, open_runs
from .sweep_store import Sweep, open_sweep
from .tables import (
    aid_outcomes,
    attribution_gap,
    diversion_table,
    diverted_by_ministry,
    donor_faction_shares,
    ledger_balances,
    settled_by_donor,
    sink_parts,
)
from .units import CENTS, format_value, scale_for, to_usd

__all__ = [
    # reading
    "Run",
    "open_run",
    "open_runs",
    "ledger",
    "load_events",
    "events",
    "Sweep",
    "open_sweep",
    "to_usd",
    "CENTS",
    "FORMAT_VERSION",
    # runs in-process
    "run",
    "sweep",
    # errors
    "AidflowError",
    "AidflowFileError",
    "AidflowInputError",
    "AidflowRunError",
    "FormatVersionError",
    "ComparisonError",
    "ProvinceMapError",
    # comparisons
    "Indicator",
    "KEY_INDICATORS",
    "POLICY_INDICATORS",
    "flow",
    "stock",
    "level",
    "compare",
    "compare_table",
    "ComparisonTable",
    "common_time",
    # tables (of one run, or of replicates: mean and interval)
    "aid_outcomes",
    "attribution_gap",
    "diversion_table",
    "diverted_by_ministry",
    "donor_faction_shares",
    "ledger_balances",
    "settled_by_donor",
    "sink_parts",
    # showing numbers
    "format_value",
    "scale_for",
    # figures
    "plots",
    "maps",
]


def __getattr__(name: str) -> Any:
    """`aidflow_analysis.plots` and `.maps` on first use: matplotlib (and shapely, pyproj) are
    imported only when figures are drawn."""
    if name in ("plots", "maps"):
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
