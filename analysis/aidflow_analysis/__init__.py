"""Read aidflow result files and answer the usual questions about them.

Everything goes through :func:`open_run`, which checks the file is complete before anything reads
it; the tables and plots take the resulting :class:`Run`, so they never re-open files.
"""
from .events import events
from .run import Run, load_events, open_run, to_usd
from .sweep import Sweep, open_sweep
from .tables import (
    aid_outcomes,
    diversion_table,
    donor_faction_shares,
    ledger_balances,
    settled_by_donor,
    sink_parts,
)

__all__ = [
    "Run",
    "open_run",
    "open_sweep",
    "Sweep",
    "load_events",
    "events",
    "to_usd",
    "aid_outcomes",
    "diversion_table",
    "donor_faction_shares",
    "ledger_balances",
    "settled_by_donor",
    "sink_parts",
]
