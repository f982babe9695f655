"""What aidflow's files and this package agree on, read from ``file_format.json``.

The C++ writer reads the same file (CMake turns it into a header), so a format version or the
units of money have one owner for both sides.
"""
from __future__ import annotations

import json
from importlib import resources

_FORMAT = json.loads(resources.files(__package__).joinpath("file_format.json").read_text())

RUN_FORMAT_VERSION: int = int(_FORMAT["run_format_version"])
SWEEP_INDEX_FORMAT_VERSION: int = int(_FORMAT["sweep_index_format_version"])
MONEY_UNITS: str = str(_FORMAT["money_units"])
