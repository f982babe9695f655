"""The layers of sim/ as docs/DEVELOPING.md draws them: each folder includes only the layers below
it, and no file or folder includes itself back through others (issue 16)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Set

from conftest import REPO_ROOT

SIM = REPO_ROOT / "sim"
MECHANISMS = {"model/aid", "model/armed", "model/patrons", "model/people", "model/policy"}
BELOW_MODEL = {"engine", "model/spec", "model/state"}
# What each layer may include besides itself (docs/DEVELOPING.md, "Layers").
ALLOWED: Dict[str, Set[str]] = {
    "engine": set(),
    "model/spec": {"engine"},
    "model/state": {"engine", "model/spec"},
    **{m: BELOW_MODEL | MECHANISMS for m in MECHANISMS},
    "model/record": BELOW_MODEL | MECHANISMS,
    "model": BELOW_MODEL | MECHANISMS | {"model/record"},
    "scenario": {"engine", "model/spec"},
    "outcomes": {"engine", "model/spec", "model/record", "scenario"},
    "output": {"engine", "model/spec", "model/record"},
    "run": BELOW_MODEL | {"model", "model/record", "scenario", "outcomes", "output"},
    "sweep": BELOW_MODEL | {"model/record", "scenario", "outcomes", "output", "run"},
    "app": BELOW_MODEL | {"model", "model/record", "scenario", "outcomes", "output", "run", "sweep"},
    "python": BELOW_MODEL | {"model", "model/record", "scenario", "outcomes", "output", "run",
                             "sweep"},
}
INCLUDE = re.compile(r'^#include "([^"]+)"', re.M)


def layer(path: str) -> str:
    """model/aid/routing.cpp -> model/aid; model/model.cpp -> model; engine/x.hpp -> engine."""
    parts = path.split("/")
    return "/".join(parts[:2]) if parts[0] == "model" and len(parts) > 2 else parts[0]


def includes() -> Dict[str, Set[str]]:
    """Each source file of sim/ (relative path) -> the files of sim/ it includes."""
    out = {}
    for f in sorted(SIM.rglob("*.[ch]pp")):
        rel = f.relative_to(SIM).as_posix()
        out[rel] = {m for m in INCLUDE.findall(f.read_text()) if (SIM / m).is_file()}
    return out


def cycle(edges: Dict[str, Set[str]]) -> List[str]:
    """One cycle of the graph (as a path that ends where it starts), or []."""
    state: Dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: List[str]) -> List[str]:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt]
            if nxt not in state:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = 2
        return []

    for start in sorted(edges):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return []


def unit(path: str) -> str:
    return path.rsplit(".", 1)[0]  # a .hpp and its .cpp are one unit


def test_every_folder_of_sim_is_a_known_layer():
    assert {layer(p) for p in includes()} <= set(ALLOWED), "a new folder: add it to the layers"


def test_each_layer_includes_only_the_layers_it_may():
    wrong = [f"{src} includes {dst}" for src, dsts in includes().items() for dst in dsts
             if layer(dst) != layer(src) and layer(dst) not in ALLOWED[layer(src)]]
    assert wrong == []


def test_no_unit_includes_itself_back():
    edges: Dict[str, Set[str]] = {}
    for src, dsts in includes().items():
        edges.setdefault(unit(src), set()).update(unit(d) for d in dsts if unit(d) != unit(src))
    assert cycle(edges) == []


def test_no_folder_includes_itself_back():
    edges: Dict[str, Set[str]] = {}
    for src, dsts in includes().items():
        edges.setdefault(layer(src), set()).update(
            layer(d) for d in dsts if layer(d) != layer(src))
    assert cycle(edges) == []


def test_the_cycle_finder_finds_a_cycle():
    """The control: a graph with a cycle is caught, one without is not."""
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []
