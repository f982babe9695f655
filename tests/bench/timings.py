"""The figures `aidflow run --timings` prints, for the benchmarks that run it (national.sh,
coarse.py): one `KIND NAME VALUE` line each, KIND one of timing, rate, memory, tasks."""
from __future__ import annotations

import statistics
from pathlib import Path
from typing import Dict, Iterable

KINDS = ("timing", "rate", "memory", "tasks")


def figures(text: str) -> Dict[str, float]:
    """NAME -> VALUE of every figure line of one run's --timings output."""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in KINDS:
            out[parts[1]] = float(parts[2])
    return out


def medians(runs: Iterable[Dict[str, float]]) -> Dict[str, float]:
    """The median of each figure over runs (the figures of the first run)."""
    runs = list(runs)
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def read_figures(path: Path) -> Dict[str, float]:
    return figures(path.read_text())
