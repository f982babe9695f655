"""Bad Afghanistan tables through the real binary: each case of tests/bad_tables/ must be refused
with one exact error line (file, line, column, what) and exit code 2, by `validate` and by `run`,
which must leave nothing behind. See tests/bad_tables/README.md.

    /usr/bin/python3 -m pytest tests/app/test_bad_tables.py -q      # from the repository root
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("AIDFLOW_BIN") or REPO_ROOT / "build" / "sim" / "aidflow").resolve()
CORPUS = REPO_ROOT / "tests" / "bad_tables"


def cases() -> list[tuple[str, int, str]]:
    rows = []
    for line in (CORPUS / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, code, message = line.split("\t")
            rows.append((name, int(code), message))
    return rows


def aidflow(*args: str) -> subprocess.CompletedProcess:
    if not (BIN.is_file() and os.access(BIN, os.X_OK)):
        pytest.fail(f"aidflow binary not found or not executable: {BIN}", pytrace=False)
    return subprocess.run([str(BIN), *args], cwd=REPO_ROOT, capture_output=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def test_every_case_is_listed_and_the_base_is_valid():
    listed = {name for name, _, _ in cases()}
    files = {p.name for p in CORPUS.glob("[a-z]*.yaml")}
    assert listed == files
    assert aidflow("validate", "tests/bad_tables/_valid_base.yaml").returncode == 0


@pytest.mark.parametrize("name,code,message", cases(), ids=lambda v: str(v)[:40])
def test_bad_table_is_refused_with_its_location(name, code, message, tmp_path):
    for args in (["validate"], ["run", "-o", str(tmp_path / "out.h5")]):
        done = aidflow(args[0], f"tests/bad_tables/{name}", *args[1:])
        assert done.returncode == code, done.stderr
        assert done.stderr.decode("utf-8") == message + "\n"
    assert not list(tmp_path.iterdir()), "a refused run writes nothing"
