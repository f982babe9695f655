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
import stat
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("AIDFLOW_BIN") or REPO_ROOT / "build" / "sim" / "aidflow").resolve()
BASELINE = REPO_ROOT / "scenarios" / "status_quo.yaml"


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
    result = subprocess.run([str(BIN), "run", str(BASELINE), "-o", str(output), "--steps", "209"],
                            capture_output=True, text=True, timeout=120,
                            preexec_fn=limit_file_size_to_64k)
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one line, got:\n{result.stderr}"
    assert lines[0].startswith("error: HDF5 error while writing"), lines[0]
    assert "File too large" in lines[0], lines[0]
    assert leftovers(tmp_path) == [], "a failed run must leave no result and no temporary file"


# ----------------------------------------------------------------------------------------------
# Found by the second adversarial pass (issue 6)

import time  # noqa: E402

import h5py  # noqa: E402


def quick(output: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    """A two-step run of the baseline, for checks that do not need a long one."""
    assert BIN.exists(), f"aidflow binary not found at {BIN}: build it first"
    if "stdout" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run([str(BIN), "run", str(BASELINE), "-o", str(output), "--steps", "2",
                           *extra], text=True, timeout=120, **kwargs)


def test_dangling_symlink_output_is_reported_before_the_run(tmp_path):
    # fs::exists follows the link: the run went ahead and failed at the final rename.
    output = tmp_path / "run.h5"
    output.symlink_to(tmp_path / "nowhere.h5")
    result = quick(output)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"error: output {output} already exists; choose another name or add "
                             "--force to replace it\n")
    assert leftovers(tmp_path) == ["run.h5"]


def test_output_under_a_file_names_the_file_in_the_way(tmp_path):
    blocker = tmp_path / "base.yaml"
    blocker.write_text("not a directory")
    for output, directory in ((blocker / "x.h5", blocker), (blocker / "sub" / "x.h5", blocker / "sub")):
        result = quick(output)
        assert result.returncode == 2, result.stderr
        assert result.stderr == (f"error: output directory {directory} cannot be created: "
                                 f"{blocker} is a file, not a directory\n")


def test_longest_legal_output_name_can_be_written(tmp_path):
    # .NAME.partial-PID used to pass the 255-byte limit for names of about 241 to 255 bytes.
    for length in (240, 250, 255):
        output = tmp_path / ("r" * (length - 3) + ".h5")
        result = quick(output)
        assert result.returncode == 0, (length, result.stderr)
        assert output.is_file()
    assert all(not name.startswith(".") for name in leftovers(tmp_path))


def start_long_run(output: Path) -> subprocess.Popen:
    # Long enough to be caught running: the status quo's whole horizon (its dated inputs end in
    # 2025) at three million households.
    return subprocess.Popen([str(BIN), "run", str(BASELINE), "-o", str(output), "--steps", "209",
                             "--set", "run.households=3000000"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_partial_file(directory: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(".partial-" in name for name in leftovers(directory)):
            return
        assert process.poll() is None, f"the run ended early: {process.communicate()}"
        time.sleep(0.05)
    process.kill()
    raise AssertionError("the run never created its temporary file")


def test_hangup_and_interrupt_leave_nothing_and_say_so_on_one_line(tmp_path):
    # A closed terminal (SIGHUP) used to leave .NAME.partial-PID behind.
    for number, sig in enumerate((signal.SIGHUP, signal.SIGINT, signal.SIGTERM)):
        directory = tmp_path / str(number)
        directory.mkdir()
        process = start_long_run(directory / "run.h5")
        wait_for_partial_file(directory, process)
        process.send_signal(sig)
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 130, (sig, process.returncode, stderr)
        assert stderr == "interrupted: no output written\n", (sig, stderr)
        assert stdout == ""
        assert leftovers(directory) == [], sig


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_stale_partial_files_of_dead_runs_are_removed(tmp_path):
    output = tmp_path / "run.h5"
    stale = tmp_path / f".run.h5.partial-{dead_pid()}"
    alive = tmp_path / f".run.h5.partial-{os.getpid()}"  # a run still going: left alone
    other = tmp_path / f".other.h5.partial-{dead_pid()}"  # another output's: left alone
    for path in (stale, alive, other):
        path.write_bytes(b"half a file")
    result = quick(output)
    assert result.returncode == 0, result.stderr
    assert leftovers(tmp_path) == sorted([alive.name, other.name, "run.h5"])


def test_threads_records_what_was_asked_and_what_ran(tmp_path):
    output = tmp_path / "run.h5"
    result = quick(output, "--threads", "4096")
    assert result.returncode == 0, result.stderr
    with h5py.File(output, "r") as f:
        assert f.attrs["threads_requested"] == 4096
        assert f.attrs["threads"] == min(4096, len(os.sched_getaffinity(0)))


def test_closed_stdout_pipe_is_an_error_after_a_complete_result(tmp_path):
    # The run used to die of SIGPIPE after committing, with no message.
    output = tmp_path / "run.h5"
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = quick(output, stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr == ("error: cannot write the summary to standard output (Broken pipe); "
                             f"the result {output} is complete\n")
    assert output.is_file()


def test_full_stdout_is_an_error_after_a_complete_result(tmp_path):
    # With stdout on /dev/full the summary was lost and the exit code was 0.
    output = tmp_path / "run.h5"
    with open("/dev/full", "w") as full:
        result = quick(output, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr == ("error: cannot write the summary to standard output (No space left "
                             f"on device); the result {output} is complete\n")
    with h5py.File(output, "r") as f:
        assert f.attrs["status"] == "complete"


def test_output_that_is_the_scenario_or_its_base_is_refused_even_with_force(tmp_path):
    base = tmp_path / "base.yaml"
    # The copy names the tables of data/ by their absolute path (the original: relative to it).
    base_text = BASELINE.read_text().replace("data: ../data", f"data: {REPO_ROOT / 'data'}")
    base.write_text(base_text)
    top = tmp_path / "top.yaml"
    top.write_text("extends: base.yaml\nname: top\n")
    for output in (top, base, tmp_path / "." / "top.yaml"):
        result = subprocess.run([str(BIN), "run", str(top), "-o", str(output), "--force",
                                 "--steps", "2"], capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, result.stderr
        assert result.stderr == (f"error: output {output} is one of the run's input files "
                                 f"({output.resolve()}); write the result to another file\n")
    assert base.read_text() == base_text
    assert top.read_text() == "extends: base.yaml\nname: top\n"


# ----------------------------------------------------------------------------------------------
# Found by the third adversarial pass (issue 15): --summary-json is an output like -o.

def test_summary_json_may_not_be_the_result_file(tmp_path):
    # `--summary-json X.h5 -o X.h5` replaced the finished result with the JSON, exit 0.
    output = tmp_path / "x.h5"
    for extra in ([], ["--force"]):
        result = quick(output, "--summary-json", str(tmp_path / "." / "x.h5"), *extra)
        assert result.returncode == 2, result.stderr
        assert result.stderr == (f"error: summary file {tmp_path / '.' / 'x.h5'} is the same file "
                                 f"as another output of this run ({output}); give each output a "
                                 "name of its own\n")
    assert leftovers(tmp_path) == []


def test_an_existing_summary_json_is_kept_without_force(tmp_path):
    summary = tmp_path / "s.json"
    summary.write_text("precious")
    result = quick(tmp_path / "x.h5", "--summary-json", str(summary))
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"error: summary file {summary} already exists; choose another name "
                             "or add --force to replace it\n")
    assert summary.read_text() == "precious" and leftovers(tmp_path) == ["s.json"]
    result = quick(tmp_path / "x.h5", "--summary-json", str(summary), "--force")
    assert result.returncode == 0, result.stderr
    assert summary.read_text().startswith("{\n  \"label\": ")
    assert leftovers(tmp_path) == ["s.json", "x.h5"]


def non_regular_files(directory: Path) -> list[Path]:
    """A pipe, a link to /dev/full and, where this user may make one (root), a copy of /dev/full's
    device node: made here, so a regression replaces these, never the system's /dev/full."""
    fifo = directory / "fifo"
    os.mkfifo(fifo)
    link = directory / "full-link"
    link.symlink_to("/dev/full")
    made = [fifo, link]
    try:
        os.mknod(directory / "full", 0o666 | stat.S_IFCHR, os.stat("/dev/full").st_rdev)
        made.append(directory / "full")
    except PermissionError:
        pass
    return made


def test_summary_json_on_a_device_or_pipe_is_refused_and_it_is_kept(tmp_path):
    # As root, `--summary-json /dev/full` renamed a regular file over the device node.
    devices = tmp_path / "devices"
    devices.mkdir()
    for target in non_regular_files(devices):
        before = os.lstat(target)
        for extra in ([], ["--force"]):
            result = quick(tmp_path / "x.h5", "--summary-json", str(target), *extra)
            assert result.returncode == 2, result.stderr
            assert result.stderr == (f"error: summary file {target} is not a regular file (a "
                                     "device, pipe or socket); give the name of a file to create\n")
        after = os.lstat(target)
        assert (after.st_ino, after.st_mode, after.st_rdev) == (before.st_ino, before.st_mode,
                                                                before.st_rdev)
    assert leftovers(tmp_path) == ["devices"]


def test_an_empty_summary_json_is_refused(tmp_path):
    # `--summary-json ''` silently wrote nothing.
    result = quick(tmp_path / "x.h5", "--summary-json", "")
    assert result.returncode == 2, result.stderr
    assert result.stderr == 'error: summary file: expected a file name, got ""\n'
    assert leftovers(tmp_path) == []


def test_summary_json_may_not_be_the_scenario(tmp_path):
    scenario = tmp_path / "top.yaml"
    scenario.write_text(f"extends: {BASELINE}\nname: top\n")
    result = subprocess.run([str(BIN), "run", str(scenario), "-o", str(tmp_path / "x.h5"),
                             "--summary-json", str(scenario), "--force", "--steps", "2"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"error: summary file {scenario} is one of the run's input files "
                             f"({scenario.resolve()}); write the result to another file\n")
    assert scenario.read_text() == f"extends: {BASELINE}\nname: top\n"


def test_more_threads_than_cores_give_no_library_warning(tmp_path):
    # TBB printed "TBB Warning: The number of workers is currently limited to ..." on stderr.
    result = quick(tmp_path / "x.h5", "--threads", "4096", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_a_label_that_is_not_utf8_is_refused(tmp_path):
    # It went raw into the file's UTF-8 `label` attribute and into the JSON summary.
    label = b"run \xff one"
    result = subprocess.run([os.fsencode(BIN), b"run", os.fsencode(BASELINE), b"-o",
                             os.fsencode(tmp_path / "x.h5"), b"--steps", b"2", b"--label", label],
                            capture_output=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (b"error: --label: not valid UTF-8 text (byte 0xff at offset 4); give "
                             b"the label as UTF-8\n")
    assert leftovers(tmp_path) == []


def test_a_command_line_that_is_not_utf8_is_stored_as_utf8(tmp_path):
    # A scenario path may be any bytes; the file's attributes and the JSON are UTF-8 all the same.
    scenario = Path(os.fsdecode(os.fsencode(tmp_path) + b"/sc\xe9nario.yaml"))
    scenario.write_text(f"extends: {BASELINE}\nname: accented\n")
    output, summary = tmp_path / "x.h5", tmp_path / "x.json"
    result = subprocess.run([str(BIN), "run", str(scenario), "-o", str(output), "--steps", "2",
                             "--summary-json", str(summary), "-q"], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    with h5py.File(output, "r") as f:
        assert "sc\ufffdnario.yaml" in f.attrs["command_line"]
        assert f.attrs["scenario_file"].endswith("sc\ufffdnario.yaml")
    summary.read_bytes().decode("utf-8")  # valid UTF-8 throughout
