"""The YAML files the analysis commands read (a calibration, a policy search): the top mapping
with its known keys and the scenario it names. Every error is one line naming the file (and the
line and column where YAML locates a syntax error) and the key."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Collection, Dict, NoReturn

import yaml

from .errors import AidflowInputError


def fail(path: Path, key: str, what: str) -> NoReturn:
    raise AidflowInputError(f"{path}: {key}: {what}")


def read_mapping(path: Path, kind: str, known: Collection[str]) -> Dict[str, Any]:
    """The file's top mapping, every key one of `known`; `kind` names the file in errors."""
    try:
        raw = yaml.safe_load(path.read_text())
    except OSError as error:
        raise AidflowInputError(f"{path}: cannot read a {kind} file: {error.strerror}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or str(error).replace("\n", " ")
        raise AidflowInputError(f"{where}: not YAML: {problem}") from error
    if not isinstance(raw, dict):
        fail(path, "(top)", "expected a mapping")
    for key in raw:
        if key not in known:
            fail(path, str(key), f"unknown key (expected one of {', '.join(sorted(known))})")
    return raw


def scenario_of(path: Path, raw: Dict[str, Any]) -> Path:
    """The scenario the file names (`scenario:`, relative to the file), which must exist."""
    if "scenario" not in raw:
        fail(path, "scenario", "required key is missing")
    scenario = (path.parent / str(raw["scenario"])).resolve()
    if not scenario.is_file():
        fail(path, "scenario", f"no such file {scenario}")
    return scenario
