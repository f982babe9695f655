"""Where the package finds the project's data tables (`data/`: the outlines, the targets).

`cmake --install` puts the tables in `<prefix>/share/aidflow/data` and this package in
`<prefix>/lib/python3.X/site-packages` (or Debian's `dist-packages`), so an installed package
looks in `share/aidflow/data` above itself first, the copy made with it; a package run from a
checkout finds the repository's `data/` two levels up; and `data/` of the current directory
(the repository, or an installed `share/aidflow`) comes last.
"""
from __future__ import annotations

from pathlib import Path
from typing import List

from .errors import AidflowFileError

_PACKAGE = Path(__file__).resolve().parent


def data_candidates(name: str) -> List[Path]:
    """Where `data/<name>` is looked for, in order."""
    installed = [prefix / "share" / "aidflow" / "data" / name for prefix in _PACKAGE.parents]
    return [*installed, _PACKAGE.parents[1] / "data" / name, Path("data") / name]


def data_file(name: str) -> Path:
    """The first of `data_candidates(name)` that exists; AidflowFileError naming them if none."""
    candidates = data_candidates(name)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise AidflowFileError(f"data/{name}: not found beside the installed package, in the checkout "
                           f"or in the current directory (looked in "
                           f"{', '.join(str(c) for c in candidates)}); install aidflow "
                           "(cmake --install) or give the file's path")
