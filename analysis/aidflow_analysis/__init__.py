"""Read aidflow result files and answer the usual questions about them.

Everything goes through :func:`open_run` (one run) or :func:`open_runs` (several, stacked along
`run`), which check the file is complete and of the format version this package reads; the
tables and plots take the resulting :class:`Run`, so they never re-open files. Comparisons of two
scenarios are in :mod:`.compare`, sensitivity indices in :mod:`.sensitivity`, figures in
:mod:`.plots` and the HTML report in :mod:`.report` (`python3 -m aidflow_analysis.report`).
"""
from .compare import KEY_INDICATORS, Indicator, compare, compare_table
from .events import events
from .run import (
    FORMAT_VERSION,
    FormatVersionError,
    Run,
    ledger,
    load_events,
    open_run,
    open_runs,
    to_usd,
)
from .sweep import Sweep, open_sweep
from .tables import (
    aid_outcomes,
    diversion_table,
    diverted_by_ministry,
    donor_faction_shares,
    ledger_balances,
    settled_by_donor,
    sink_parts,
)

__all__ = [
    "Run",
    "open_run",
    "open_runs",
    "ledger",
    "open_sweep",
    "Sweep",
    "load_events",
    "events",
    "to_usd",
    "FORMAT_VERSION",
    "FormatVersionError",
    "compare",
    "compare_table",
    "Indicator",
    "KEY_INDICATORS",
    "aid_outcomes",
    "diversion_table",
    "diverted_by_ministry",
    "donor_faction_shares",
    "ledger_balances",
    "settled_by_donor",
    "sink_parts",
]
