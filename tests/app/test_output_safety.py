"""Output safety through the real binary: no existing file is replaced without --force, path
problems are reported before the run, a full disk mid-run is one readable error (exit 1) and
leaves neither a result nor a temporary file.

The full disk is simulated with RLIMIT_FSIZE (the kernel's per-process file size limit) and
SIGXFSZ ignored, so writes past the limit fail with EFBIG exactly as they would on a full disk.
"""
from __future__ import annotations

import os
import resource
import signal
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("AIDFLOW_BIN") or REPO_ROOT / "build" / "sim" / "aidflow").resolve()
BASELINE = REPO_ROOT / "scenarios" / "baseline.yaml"


def run(output: Path, *extra: str, preexec=None) -> subprocess.CompletedProcess:
    assert BIN.exists(), f"aidflow binary not found at {BIN}: build it first"
    return subprocess.run([str(BIN), "run", str(BASELINE), "-o", str(output), "--steps", "8", *extra],
                          capture_output=True, text=True, timeout=120, preexec_fn=preexec)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_existing_output_is_kept_without_force(tmp_path):
    output = tmp_path / "run.h5"
    output.write_text("precious")
    result = run(output)
    assert result.returncode == 2
    assert result.stderr == (f"error: output {output} already exists; choose another name or add "
                             "--force to replace it\n")
    assert output.read_text() == "precious"
    assert leftovers(tmp_path) == ["run.h5"]


def test_force_replaces_an_existing_output(tmp_path):
    output = tmp_path / "run.h5"
    output.write_text("old")
    result = run(output, "--force")
    assert result.returncode == 0, result.stderr
    assert output.read_bytes()[:8] == b"\x89HDF\r\n\x1a\n"
    assert leftovers(tmp_path) == ["run.h5"]


def test_missing_directory_is_reported_before_the_run(tmp_path):
    output = tmp_path / "no" / "such" / "run.h5"
    result = run(output)
    assert result.returncode == 2
    assert result.stderr == (f"error: output directory {output.parent} does not exist; create it "
                             f"first (mkdir -p {output.parent})\n")


def test_output_that_is_a_directory_is_refused(tmp_path):
    result = run(tmp_path)
    assert result.returncode == 2
    assert "is a directory; give a file name such as" in result.stderr


def limit_file_size_to_64k():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_full_disk_mid_run_is_one_clear_error_and_leaves_nothing(tmp_path):
    output = tmp_path / "run.h5"
    result = subprocess.run([str(BIN), "run", str(BASELINE), "-o", str(output), "--steps", "260"],
                            capture_output=True, text=True, timeout=120,
                            preexec_fn=limit_file_size_to_64k)
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one line, got:\n{result.stderr}"
    assert lines[0].startswith("error: HDF5 error while writing"), lines[0]
    assert "File too large" in lines[0], lines[0]
    assert leftovers(tmp_path) == [], "a failed run must leave no result and no temporary file"
