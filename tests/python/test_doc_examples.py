"""Every shell and Python example of the README and of docs/*.md runs as written, in order, in a
fresh directory holding a copy of the checkout's scenarios, analysis/ and docs, with the
installed `aidflow` first on the PATH and `out/baseline.h5` made as the README's first command
makes it (the status quo). A block preceded by `<!-- not-run: reason -->` is not run (cluster jobs, usage
synopses, commands that install into /usr/local); the reasons are listed at the end of the test
session, and a document with examples must still run some of them."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import pytest

from conftest import NOT_RUN, REPO_ROOT

DOCUMENTS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
LANGUAGES = {"sh": "sh", "bash": "sh", "shell": "sh", "python": "python"}
FENCE = re.compile(r"^```\s*([\w+-]*)\s*$")
NOT_RUN_MARK = re.compile(r"^<!--\s*not-run:\s*(.*?)\s*-->\s*$")


@dataclass
class Block:
    line: int  # of the opening fence, 1-based
    language: str  # "sh" or "python"; other blocks are not examples
    code: str
    not_run: Optional[str]  # the reason, when marked


def examples(path: Path) -> List[Block]:
    """The shell and Python blocks of a Markdown file, with their not-run marks."""
    lines, found = path.read_text(encoding="utf-8").splitlines(), []
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        start, language = i, fence.group(1).lower()
        i += 1
        while i < len(lines) and not FENCE.match(lines[i]):
            i += 1
        if language in LANGUAGES:
            mark = NOT_RUN_MARK.match(lines[start - 1]) if start else None
            found.append(Block(start + 1, LANGUAGES[language], "\n".join(lines[start + 1:i]) + "\n",
                               mark.group(1) if mark else None))
        i += 1  # past the closing fence
    return found


def test_the_parser_finds_blocks_and_marks(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("text\n```sh\necho 1\n```\n<!-- not-run: needs a cluster -->\n```python\nx\n```\n"
                   "```yaml\na: 1\n```\n```\nplain\n```\n")
    got = examples(doc)
    assert [(b.line, b.language, b.code, b.not_run) for b in got] == [
        (2, "sh", "echo 1\n", None), (6, "python", "x\n", "needs a cluster")]


@pytest.fixture
def workspace(tmp_path, aidflow_bin):
    """A fresh directory as a user's after the README's first command: the checkout's files the
    examples name, and out/baseline.h5."""
    for part in ("scenarios", "analysis", "docs", "data"):  # the scenarios read data/ (../data)
        shutil.copytree(REPO_ROOT / part, tmp_path / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
    shutil.copy(REPO_ROOT / "README.md", tmp_path)
    env = dict(os.environ, PATH=f"{aidflow_bin.parent}{os.pathsep}{os.environ['PATH']}",
               MPLBACKEND="Agg")
    (tmp_path / "out").mkdir()
    subprocess.run(["aidflow", "run", "scenarios/status_quo.yaml", "-o", "out/baseline.h5", "-q"],
                   cwd=tmp_path, env=env, check=True, timeout=600)
    return tmp_path, env


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.name for d in DOCUMENTS])
def test_examples_run_as_written(document, workspace, request):
    directory, env = workspace
    blocks = examples(document)
    ran = 0
    for number, block in enumerate(blocks):
        where = f"{document.relative_to(REPO_ROOT)}:{block.line}"
        if block.not_run is not None:
            assert block.not_run, f"{where}: a not-run mark must say why"
            request.config.stash[NOT_RUN].append(f"{where} ({block.language}): {block.not_run}")
            continue
        script = directory / f"example-{number}.{'py' if block.language == 'python' else 'sh'}"
        script.write_text(block.code, encoding="utf-8")
        command = (["/usr/bin/python3", str(script)] if block.language == "python"
                   else ["bash", "-e", "-o", "pipefail", str(script)])
        done = subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True,
                              timeout=900)
        assert done.returncode == 0, (f"{where}: the example exited {done.returncode}\n"
                                      f"{block.code}\n--- stdout\n{done.stdout[-3000:]}\n"
                                      f"--- stderr\n{done.stderr[-3000:]}")
        ran += 1
    # A document may have no shell or Python example (SCENARIO.md shows YAML only), but one
    # whose every example is marked not-run would be tested by nothing.
    assert ran > 0 or not blocks, f"{document.name}: every example is marked not-run"
    if document.name == "README.md":
        assert ran >= 4, "the README's examples run"
