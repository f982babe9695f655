"""The repository documents itself: every source a scenario cites is listed in docs/SOURCES.md,
every claim cited by number is in docs/CLAIMS.md, relative links in the docs lead to files that
exist, and nothing points outside the repository (a sibling `shared` folder, a machine path)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO_ROOT

DOCS = REPO_ROOT / "docs"
SCENARIO_FILES = sorted((REPO_ROOT / "scenarios").glob("**/*.yaml"))
MARKDOWN = [REPO_ROOT / "README.md", REPO_ROOT / "data" / "README.md",
            REPO_ROOT / "scenarios" / "README.md", *sorted(DOCS.glob("*.md"))]
SKIPPED_DIRS = {".git", ".venv", "out", "results", "__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
KEY = re.compile(r"\[([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\]")
CLAIM = re.compile(r"(?<![\w])S([1-9][0-9]?)\b")


def comments(path: Path) -> list[str]:
    """The comment part of each line of a YAML file (values here never hold a '#'), and the note
    of each value declared with its range (docs/SCENARIO.md), where its sources are cited."""
    out = []
    for line in path.read_text().splitlines():
        note = re.search(r'\bnote: "((?:[^"\\]|\\.)*)"', line)
        if note:
            out.append(note.group(1))
        match = re.search(r"(^|\s)#", line)
        if match:
            out.append(line[match.start():])
    return out


def defined_sources() -> set[str]:
    """Keys defined in docs/SOURCES.md: the first cell of a table row, as `[KEY]`."""
    return set(re.findall(r"^\| `\[([A-Z0-9-]+)\]` \|", (DOCS / "SOURCES.md").read_text(), re.M))


def numbered_claims() -> set[int]:
    return {int(n) for n in re.findall(r"^\| S([0-9]+) \|", (DOCS / "CLAIMS.md").read_text(), re.M)}


def repository_text_files():
    for path in REPO_ROOT.rglob("*"):
        parts = path.relative_to(REPO_ROOT).parts
        if any(p in SKIPPED_DIRS or p.startswith("build") for p in parts) or not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" not in data[:4096]:
            yield path, data.decode("utf-8", errors="replace")


def test_sources_and_claims_are_listed():
    assert len(defined_sources()) >= 20
    assert numbered_claims() == set(range(1, 23))


@pytest.mark.parametrize("scenario", SCENARIO_FILES, ids=lambda p: p.stem)
def test_every_source_key_a_scenario_cites_is_in_sources_md(scenario):
    cited = {key for comment in comments(scenario) for key in KEY.findall(comment)}
    assert cited <= defined_sources(), f"not in docs/SOURCES.md: {sorted(cited - defined_sources())}"


def test_the_status_quo_cites_sources_by_key():
    cited = {key for comment in comments(REPO_ROOT / "scenarios" / "status_quo.yaml")
             for key in KEY.findall(comment)}
    assert {"SIGAR-24-22", "UNMT-1988-2021", "WB-ARTF-2021", "UN-PLEDGING-2022"} <= cited


def test_every_claim_cited_by_number_is_in_claims_md():
    cited: dict[int, str] = {}
    roots = [REPO_ROOT / "sim", REPO_ROOT / "scenarios", REPO_ROOT / "tests" / "model", DOCS]
    files = [p for root in roots for p in root.rglob("*") if p.is_file()] + [REPO_ROOT / "README.md"]
    for path in files:
        if path.suffix not in {".cpp", ".hpp", ".yaml", ".md"}:
            continue
        for number in CLAIM.findall(path.read_text(errors="replace")):
            cited.setdefault(int(number), str(path.relative_to(REPO_ROOT)))
    assert cited, "the code and scenarios cite claims"
    missing = {n: where for n, where in cited.items() if n not in numbered_claims()}
    assert not missing, f"claims cited but not numbered in docs/CLAIMS.md: {missing}"


@pytest.mark.parametrize("page", MARKDOWN, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_relative_links_in_the_docs_lead_to_files(page):
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text()):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        if not (page.parent / target.split("#")[0]).exists():
            broken.append(target)
    assert not broken, broken


def test_nothing_points_outside_the_repository():
    # Built from parts so that this file does not match itself.
    outside = re.compile(re.escape("../" + "shared") + "|" + re.escape("/" + "work/"))
    found = [f"{path.relative_to(REPO_ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"
             for path, text in repository_text_files() for m in outside.finditer(text)]
    assert not found, found

