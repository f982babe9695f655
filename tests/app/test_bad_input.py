"""Bad scenarios through the real binary: each must be refused with one exact error line.

The corpus is tests/bad_scenarios/: one small YAML file per mistake (each extends
_valid_base.yaml and breaks one thing, or is on the STANDALONE list with the reason) and
expected.tsv, which holds for every file the exit code and the full stderr line the binary must
print when run from the repository root as

    build/sim/aidflow validate tests/bad_scenarios/CASE.yaml

Every case is checked twice: with `validate`, and with `run CASE -o TMP/out.h5`, which must give
the same line and leave nothing behind in TMP (no result file, no .partial temporary file).
Cases made at run time (a 100 MiB file, a file just over the size limit, a file of many nodes
just under it) and the `--set` / `--steps` / `--seed` override errors are listed below.

AIDFLOW_BIN names the binary; the default is build/sim/aidflow under the repository root. A
missing binary is a failure, not a skip. Run with Debian's interpreter:

    /usr/bin/python3 -m pytest tests/app -q      # from the repository root
"""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("AIDFLOW_BIN") or REPO_ROOT / "build" / "sim" / "aidflow").resolve()
CORPUS = REPO_ROOT / "tests" / "bad_scenarios"
CORPUS_REL = "tests/bad_scenarios"  # as the binary prints it when run from the repository root
BASE = f"{CORPUS_REL}/_valid_base.yaml"
EXPECTED = CORPUS / "expected.tsv"
TIMEOUT_S = 20
EXIT_BAD_INPUT = 2

# Largest scenario file the loader accepts (a scenario is a few pages of settings; the
# baseline is under 30 KB, and a multi-megabyte file of list items takes seconds to parse).
MAX_SCENARIO_BYTES = 1 << 20


def size_limit_message(path: Path) -> str:
    size = path.stat().st_size
    return (f"error: {path}: file is {size} bytes; a scenario file may be at most "
            f"{MAX_SCENARIO_BYTES} bytes ({MAX_SCENARIO_BYTES >> 20} MiB)")


# ----------------------------------------------------------------------------------------------
# Helpers


def require_binary() -> None:
    if not BIN.is_file() or not os.access(BIN, os.X_OK):
        pytest.fail(f"aidflow binary not found or not executable: {BIN} "
                    "(build it, or point AIDFLOW_BIN at it)", pytrace=False)


def aidflow(*args: str) -> subprocess.CompletedProcess:
    require_binary()
    try:
        return subprocess.run([str(BIN), *args], cwd=REPO_ROOT, capture_output=True,
                              timeout=TIMEOUT_S, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pass  # fail outside the handler, so the report is not a chained traceback
    pytest.fail(f"aidflow {' '.join(args)} did not finish within {TIMEOUT_S} s (hang?)",
                pytrace=False)


def show(data: bytes) -> str:
    return data.decode("utf-8", errors="backslashreplace")


def assert_refused(result: subprocess.CompletedProcess, expected_line: str,
                   code: int = EXIT_BAD_INPUT) -> None:
    what = "aidflow " + " ".join(result.args[1:])
    assert result.returncode >= 0, (
        f"{what} crashed with signal {-result.returncode}; stderr:\n{show(result.stderr)}")
    assert result.returncode == code, (
        f"{what} exited {result.returncode}, expected {code}; stderr:\n{show(result.stderr)}")
    assert show(result.stderr) == expected_line + "\n"
    assert result.stderr == (expected_line + "\n").encode("utf-8")
    assert result.stdout == b"", f"{what} printed to stdout: {show(result.stdout)}"


def assert_nothing_written(directory: Path) -> None:
    left = sorted(p.name for p in directory.iterdir())  # includes .out.h5.partial-* files
    assert left == [], f"a refused run left files behind in {directory}: {left}"


def run_and_check_no_output(tmp_path: Path, scenario: str, expected_line: str,
                            *extra: str) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = aidflow("run", scenario, "-o", str(out_dir / "out.h5"), *extra)
    assert_refused(result, expected_line)
    assert_nothing_written(out_dir)


# ----------------------------------------------------------------------------------------------
# The committed corpus


def load_expected() -> list[tuple[str, int, str]]:
    rows = []
    for number, line in enumerate(EXPECTED.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        assert len(fields) == 3, f"{EXPECTED}:{number}: expected 3 tab-separated fields"
        rows.append((fields[0], int(fields[1]), fields[2]))
    return rows


CASES = load_expected()


def test_corpus_and_expectations_match():
    listed = [name for name, _, _ in CASES]
    assert len(listed) == len(set(listed)), "a case is listed twice in expected.tsv"
    on_disk = sorted(p.name for p in CORPUS.glob("*.yaml") if p.name != "_valid_base.yaml")
    assert sorted(listed) == on_disk, (
        f"without expectation: {sorted(set(on_disk) - set(listed))}; "
        f"expectation without file: {sorted(set(listed) - set(on_disk))}")


def test_valid_base_is_valid():
    # Every case extends this file and breaks one thing, so it must itself pass.
    result = aidflow("validate", BASE)
    assert result.returncode == 0, show(result.stderr)
    assert result.stderr == b""


# A case extends the valid base and gives only what it breaks, so a change to the schema edits the
# base, not every case. These stand alone, for the reason given (where it is not plain from the
# file, its first line says it too):
CANNOT_REMOVE = "an override cannot remove a key its base gives"
ABOUT_EXTENDS = "about extends itself"
STANDALONE = {
    "binary_garbage.yaml": "a binary file on purpose",
    "invalid_utf8.yaml": "not UTF-8 on purpose: refused before it is parsed",
    "cr_line_endings.yaml": "CR-only line endings on purpose: refused before it is parsed",
    "empty.yaml": "an empty file",
    "only_comments.yaml": "nothing but comments",
    "top_level_list.yaml": "its top is a list, which cannot hold extends",
    "top_level_scalar.yaml": "its top is a word, which cannot hold extends",
    "deep_nesting.yaml": "two lines, refused while parsing",
    "deep_nesting_1000.yaml": "two lines, refused while parsing",
    "missing_name.yaml": CANNOT_REMOVE,
    "missing_donors.yaml": CANNOT_REMOVE,
    "duplicate_id.yaml": ("in an override the merge refuses a repeated id "
                          "(extends_duplicate_id.yaml); this is the reader's own check"),
    "extends_bad_base.yaml": ABOUT_EXTENDS,
    "extends_cycle_a.yaml": ABOUT_EXTENDS,
    "extends_cycle_b.yaml": ABOUT_EXTENDS,
    "extends_directory.yaml": ABOUT_EXTENDS,
    "extends_missing.yaml": ABOUT_EXTENDS,
    "extends_misspelt.yaml": ABOUT_EXTENDS,
    "extends_name_too_long.yaml": ABOUT_EXTENDS,
    "extends_not_text.yaml": ABOUT_EXTENDS,
    "extends_self.yaml": ABOUT_EXTENDS,
}
EXTENDS_BASE = "extends: _valid_base.yaml"


def case_lines(case: str) -> list[str]:
    return (CORPUS / case).read_bytes().decode("utf-8", errors="replace").splitlines()


def extends_the_base(case: str) -> bool:
    lines = case_lines(case)
    return len(lines) >= 2 and lines[0].startswith("# bad: ") and lines[1] == EXTENDS_BASE


OVERRIDES = [(case, line) for case, _, line in CASES if case not in STANDALONE]


def test_every_case_extends_the_base_or_is_standalone_for_a_reason():
    cases = {case for case, _, _ in CASES}
    assert sorted(set(STANDALONE) - cases) == [], "STANDALONE names a case that does not exist"
    assert [c for c in STANDALONE if extends_the_base(c)] == [], (
        "these extend the base: take them off STANDALONE")
    assert [c for c, _ in OVERRIDES if not extends_the_base(c)] == [], (
        f"these neither start with '# bad: ...' and '{EXTENDS_BASE}' nor are on STANDALONE")


@pytest.mark.parametrize("case", [c for c, _ in OVERRIDES])
def test_an_override_gives_only_what_it_breaks(case):
    # A full copy of the base under `extends` would pass the check above.
    assert len(case_lines(case)) < len(valid_base_text().splitlines()) // 3


@pytest.mark.parametrize("case,expected_line", OVERRIDES, ids=[c for c, _ in OVERRIDES])
def test_an_override_is_refused_for_what_it_breaks(case, expected_line):
    # Refused at a line the case adds (not in the base, not at its extends line), and for a key
    # path in a section the case writes: not for something of the base it left alone.
    where = re.match(rf"error: {re.escape(CORPUS_REL)}/{re.escape(case)}:(\d+):\d+: (.*)$",
                     expected_line)
    assert where, f"the error is not located in {case}: {expected_line}"
    lines = case_lines(case)
    assert 2 < int(where[1]) <= len(lines)
    key_path = re.match(r"([a-z_][a-z0-9_]*)(\[\d+\]|\.[a-z0-9_]+)*: ", where[2])
    if key_path:  # (a YAML error has no key path)
        assert f"{key_path[1]}:" in [line.split(" ")[0] for line in lines], (
            f"{case} is refused at {key_path[1]}, a section it does not write")


def test_binary_garbage_is_binary():
    data = (CORPUS / "binary_garbage.yaml").read_bytes()
    assert b"\0" in data and len(data) >= 200


@pytest.mark.parametrize("case,code,expected_line", CASES, ids=[c[0] for c in CASES])
def test_validate_refuses(case, code, expected_line):
    assert_refused(aidflow("validate", f"{CORPUS_REL}/{case}"), expected_line, code)


@pytest.mark.parametrize("case,code,expected_line", CASES, ids=[c[0] for c in CASES])
def test_run_refuses_without_output(case, code, expected_line, tmp_path):
    assert code == EXIT_BAD_INPUT
    run_and_check_no_output(tmp_path, f"{CORPUS_REL}/{case}", expected_line)


# ----------------------------------------------------------------------------------------------
# Cases made at run time


def valid_base_text() -> str:
    return (CORPUS / "_valid_base.yaml").read_text(encoding="utf-8")


def assert_refused_by_size(tmp_path, scenario):
    expected = size_limit_message(scenario)
    assert_refused(aidflow("validate", str(scenario)), expected)
    run_and_check_no_output(tmp_path, str(scenario), expected)


def test_huge_file_is_refused_by_size(tmp_path):
    # A valid scenario padded with a 100 MiB comment: refused by size, without reading it.
    scenario = tmp_path / "in" / "huge.yaml"
    scenario.parent.mkdir()
    chunk = "x" * (1 << 20)
    with scenario.open("w", encoding="utf-8") as f:
        f.write(valid_base_text())
        f.write("# padding ")
        for _ in range(100):
            f.write(chunk)
        f.write("\n")
    assert_refused_by_size(tmp_path, scenario)


def test_file_one_byte_over_the_limit_is_refused(tmp_path):
    scenario = tmp_path / "in" / "over.yaml"
    scenario.parent.mkdir()
    text = valid_base_text()
    padding = MAX_SCENARIO_BYTES + 1 - len(text.encode()) - 2  # "#" ... "\n"
    scenario.write_text(text + "#" + "x" * padding + "\n", encoding="utf-8")
    assert scenario.stat().st_size == MAX_SCENARIO_BYTES + 1
    assert_refused_by_size(tmp_path, scenario)


def test_many_nodes_just_under_the_limit_is_refused_quickly(tmp_path):
    # As many list items as fit under the size limit, under an unknown key: the loader must get
    # to the unknown-key error within the time limit.
    scenario = tmp_path / "in" / "many.yaml"
    scenario.parent.mkdir()
    text = valid_base_text()
    item = "  - 1\n"
    count = (MAX_SCENARIO_BYTES - len(text.encode()) - len("extra:\n")) // len(item)
    scenario.write_text(text + "extra:\n" + item * count, encoding="utf-8")
    assert scenario.stat().st_size <= MAX_SCENARIO_BYTES
    line = text.count("\n") + 1
    expected = (f"error: {scenario}:{line}:1: extra: unknown key; allowed here: name, "
                "description, run, geography, factions, alliances, hostilities, armed_groups, "
                "recruitment, channels, ministries, sectors, donors, aid_total_usd_by_year, households, "
                "returns, policy, signals, patrons, coalition, sanctions, pakistan_pressure, hostages")
    assert_refused(aidflow("validate", str(scenario)), expected)
    run_and_check_no_output(tmp_path, str(scenario), expected)


# ----------------------------------------------------------------------------------------------
# Command-line errors: scenario paths, --set overrides (on the valid base), --steps, --seed

PATH_CASES = [
    (f"{CORPUS_REL}/no_such_file.yaml",
     f"error: <command line>: no such file: {CORPUS_REL}/no_such_file.yaml"),
    (CORPUS_REL, f"error: <command line>: {CORPUS_REL} is a directory, not a scenario file"),
]


@pytest.mark.parametrize("scenario,expected_line", PATH_CASES, ids=["missing", "directory"])
def test_bad_scenario_path(scenario, expected_line, tmp_path):
    assert_refused(aidflow("validate", scenario), expected_line)
    run_and_check_no_output(tmp_path, scenario, expected_line)


# (assignment, message after "error: --set ASSIGNMENT: ")
SET_CASES = [
    # bad path syntax
    ("donors[x].name=a", 'donors[x]: no entry with id "x" (did you mean "uk"?)'),
    ("donors[1x].name=a", "donors[1x].name: not a key path (an index is a whole number or an entry's id); "
                          "write it like donors[0].name"),
    ("donors[-1].id=x", "donors[-1].id: not a key path (an index is a whole number or an entry's id); "
                        "write it like donors[0].name"),
    ("run..steps=3", "run..steps: not a key path (empty key); write it like donors[0].name"),
    ("run.steps.=3", "run.steps.: not a key path (ends with a dot); write it like donors[0].name"),
    ("donors[0.name=a", "donors[0.name: not a key path (unclosed [); write it like donors[0].name"),
    ("=5", "not a key path (empty path); write it like donors[0].name"),
    ("noequals", "expected path=value, e.g. policy.humanitarian_only=true"),
    # index out of range, indexing or keying the wrong kind of value
    ("donors[5].budget_usd_per_year=1", "donors[5]: index [5] is out of range: the list has 3 items"),
    ("run[0]=1", "run[0]: cannot index [0]: it is a mapping, not a list"),
    ("run.steps.x=1", "run.steps.x: cannot set key 'x': it is a scalar, not a mapping"),
    # unknown keys -> did you mean
    ("run.sed=5", 'run.sed: unknown key (did you mean "seed"?)'),
    ("donors[0].budget_usd=1", 'donors[0].budget_usd: unknown key (did you mean "budget_usd_by_year"?)'),
    ("donrs[0].id=x", 'donrs: unknown key (did you mean "donors"?)'),
    ("foo.bar=1", "foo: unknown key; allowed here: name, description, run, geography, factions, "
                  "alliances, hostilities, armed_groups, recruitment, channels, ministries, sectors, "
                  "donors, aid_total_usd_by_year, households, returns, policy, signals, patrons, "
                  "coalition, sanctions, pakistan_pressure, hostages"),
    ("donors[0].channels.un_agncy=0.5",
     'donors[0].channels.un_agncy: unknown channel "un_agncy" (did you mean "un_agency"?)'),
    # wrong-typed or out-of-range values
    ("policy.humanitarian_only=maybe", 'policy.humanitarian_only: expected true or false, got "maybe"'),
    ("run.steps=abc", 'run.steps: expected a whole number from 1 to 5200, got "abc"'),
    ("run.steps=1e9", 'run.steps: expected a whole number from 1 to 5200, got "1e9"'),
    ('run.steps="12"', 'run.steps: expected a whole number from 1 to 5200, got "12" in quotes '
                       '(write numbers without quotes)'),
    ("run.steps=", "run.steps: expected a whole number from 1 to 5200, got nothing"),
    ("run.steps=[1,", "run.steps: not valid YAML: end of sequence flow not found"),
    ("donors[0].budget_usd_per_year=.nan", "donors[0].budget_usd_per_year: expected a finite number, got .nan"),
    ("donors=[]", "donors: expected at least one entry, got an empty list"),
    ("run.households=3", "run.households: expected at least one household agent per district (4), got 3"),
    # A list the scenario leaves out was called an unknown key, with a suggestion of another
    # (issue 15): sanctions are valid, this scenario has none.
    ("sanctions[0].enforcement=0.5", "sanctions: this scenario has no sanctions (the list is "
                                     "absent): --set changes entries a list has; add the entry to "
                                     "the scenario file (docs/SCENARIO.md), then --set its values"),
    ("sanctons[0].enforcement=0.5", 'sanctons: unknown key (did you mean "sanctions"?)'),
    # A section with no value read as all defaults: Haqqani spending all zero (issue 15).
    ("factions[haqqani].economy=", "factions[0].economy: expected a mapping of keys to values, got "
                                   "nothing; leave economy out to keep its defaults (or those of "
                                   "the file this one extends)"),
]


@pytest.mark.parametrize("assignment,message", SET_CASES, ids=[a for a, _ in SET_CASES])
def test_set_validate(assignment, message):
    assert_refused(aidflow("validate", BASE, "--set", assignment),
                   f"error: --set {assignment}: {message}")


@pytest.mark.parametrize("assignment,message", SET_CASES, ids=[a for a, _ in SET_CASES])
def test_set_run(assignment, message, tmp_path):
    run_and_check_no_output(tmp_path, BASE, f"error: --set {assignment}: {message}",
                            "--set", assignment)


# run's own options, which become overrides: the message names the option the user typed.
OPTION_CASES = [
    (["--steps", "0"], "error: --steps 0: run.steps: expected a whole number from 1 to 5200, got 0"),
    (["--seed", "18446744073709551615"],
     "error: --seed 18446744073709551615: run.seed: expected a whole number from 0 to "
     "9223372036854775807, got 18446744073709551615 (out of range)"),
]


@pytest.mark.parametrize("options,expected_line", OPTION_CASES, ids=["steps-0", "seed-too-large"])
def test_run_option_values(options, expected_line, tmp_path):
    run_and_check_no_output(tmp_path, BASE, expected_line, *options)


# ----------------------------------------------------------------------------------------------
# Found by the second adversarial pass (issue 6): a crash, raw library messages, options whose
# empty or out-of-range values were misread, messages that were not one line.

# Longest `extends` chain the loader follows (documented in docs/SCENARIO.md).
MAX_EXTENDS_CHAIN = 32


def write_chain(directory: Path, length: int) -> Path:
    """c0.yaml extends c1.yaml ... extends c{length-1}.yaml, which is the valid base."""
    for i in range(length - 1):
        (directory / f"c{i}.yaml").write_text(f"extends: c{i + 1}.yaml\n", encoding="utf-8")
    (directory / f"c{length - 1}.yaml").write_text(valid_base_text(), encoding="utf-8")
    return directory / "c0.yaml"


def test_extends_chain_of_twenty_thousand_files_is_refused_not_a_crash(tmp_path):
    # It used to recurse once per file and die of a stack overflow (exit 139).
    first = write_chain(tmp_path, 20_000)
    last = MAX_EXTENDS_CHAIN - 1
    expected = (f"error: {tmp_path}/c{last}.yaml:1:1: extends: the extends chain is longer than "
                f"{MAX_EXTENDS_CHAIN} files; a scenario needs one or two")
    assert_refused(aidflow("validate", str(first)), expected)
    run_and_check_no_output(tmp_path, str(first), expected)


def test_extends_chain_at_the_limit_is_read(tmp_path):
    result = aidflow("validate", str(write_chain(tmp_path, MAX_EXTENDS_CHAIN)))
    assert result.returncode == 0, show(result.stderr)


def test_scenario_from_a_pipe_is_refused_with_a_message(tmp_path):
    require_binary()
    base = (CORPUS / "_valid_base.yaml").read_bytes()
    result = subprocess.run([str(BIN), "validate", "/dev/stdin"], input=base, cwd=REPO_ROOT,
                            capture_output=True, timeout=TIMEOUT_S)
    assert_refused(result, "error: <command line>: /dev/stdin is not a regular file (a pipe or a "
                           "device); save the scenario to a file and give its path")


def test_symlink_loop_is_refused_with_a_message(tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to("loop.yaml")
    expected = f"error: <command line>: cannot read {loop}: Too many levels of symbolic links"
    assert_refused(aidflow("validate", str(loop)), expected)
    run_and_check_no_output(tmp_path, str(loop), expected)


def test_scenario_name_over_the_system_limit_is_refused_with_a_message(tmp_path):
    scenario = tmp_path / ("s" * 300 + ".yaml")
    expected = f"error: <command line>: cannot read {scenario}: File name too long"
    assert_refused(aidflow("validate", str(scenario)), expected)
    run_and_check_no_output(tmp_path, str(scenario), expected)


def test_a_huge_value_is_echoed_cut_short(tmp_path):
    # A 500 KB number used to be echoed whole in the out-of-range message.
    scenario = tmp_path / "in" / "huge_value.yaml"
    scenario.parent.mkdir()
    huge = "1" + "0" * 500_000
    text = valid_base_text().replace("overhead: 0.08", f"overhead: {huge}", 1)
    scenario.write_text(text, encoding="utf-8")
    line = text[:text.index(huge)].count("\n") + 1
    expected = (f"error: {scenario}:{line}:15: channels[0].overhead: expected a number >= 0 and "
                f"<= 0.99, got {huge[:40]}... (out of range)")
    assert_refused(aidflow("validate", str(scenario)), expected)


RUN_OPTION_CASES = [
    # An empty value was read as 0 and the run went ahead.
    (["--seed", ""], 'error: --seed "": run.seed: expected a whole number from 0 to '
                     '9223372036854775807, got nothing'),
    (["--steps", ""], 'error: --steps "": run.steps: expected a whole number from 1 to 5200, '
                      'got nothing'),
    # These reported a value the user never typed.
    (["--seed", "-1"], "error: --seed -1: run.seed: expected a whole number from 0 to "
                       "9223372036854775807, got -1"),
    (["--seed", "18446744073709551616"],
     "error: --seed 18446744073709551616: run.seed: expected a whole number from 0 to "
     "9223372036854775807, got 18446744073709551616 (out of range)"),
    # CLI11's own two-line "Could not convert: --steps = 1e9".
    (["--steps", "1e9"], 'error: --steps 1e9: run.steps: expected a whole number from 1 to 5200, '
                         'got "1e9"'),
    (["--threads", "abc"], 'error: --threads: expected a whole number from 1 to 4096, got "abc"; '
                           'see aidflow run --help'),
    (["--threads", ""], "error: --threads: expected a whole number from 1 to 4096, got nothing; "
                        "see aidflow run --help"),
    # CLI11's Range said ten was "not in range 1 to 4096" (issue 15).
    (["--threads", "1e1"], 'error: --threads: expected a whole number from 1 to 4096, got "1e1"; '
                           'see aidflow run --help'),
    (["--frobnicate"], "error: The following argument was not expected: --frobnicate; see "
                       "aidflow run --help"),
]


@pytest.mark.parametrize("options,expected_line", RUN_OPTION_CASES,
                         ids=["seed-empty", "steps-empty", "seed-negative", "seed-2^64",
                              "steps-1e9", "threads-abc", "threads-empty", "threads-1e1",
                              "unknown-option"])
def test_run_option_values_are_checked_like_the_file(options, expected_line, tmp_path):
    run_and_check_no_output(tmp_path, BASE, expected_line, *options)


def test_a_missing_scenario_is_one_error_line():
    assert_refused(aidflow("run", "-o", "x.h5"),
                   "error: scenario is required; see aidflow run --help")


def test_set_before_the_scenario_is_accepted_by_run_as_by_validate(tmp_path):
    # `--set` used to swallow the scenario ("scenario is required") when -o came after it.
    output = tmp_path / "x.h5"
    result = aidflow("run", "--set", "run.steps=3", BASE, "-o", str(output))
    assert result.returncode == 0, show(result.stderr)
    assert output.is_file()
    assert aidflow("validate", "--set", "run.steps=3", BASE).returncode == 0


def test_a_value_that_rounds_to_zero_inside_the_range_is_accepted():
    # 1e-400 is below the smallest double: it reads as 0, which [0, 0.99] allows.
    result = aidflow("validate", BASE, "--set", "channels[0].overhead=1e-400")
    assert result.returncode == 0, show(result.stderr)
    # Where 0 itself is not allowed, the value is refused as below the range, not "out of range".
    assert_refused(aidflow("validate", BASE, "--set",
                           "households.relief_usd_per_person_week=1e-400"),
                   "error: --set households.relief_usd_per_person_week=1e-400: "
                   "households.relief_usd_per_person_week: expected a number > 0 and <= 10000, "
                   "got 1e-400")


def test_control_characters_from_the_command_line_are_escaped():
    assert_refused(aidflow("validate", BASE, "--set", "run.steps=\x1b[31m"),
                   'error: --set run.steps=\\x1b[31m: run.steps: expected a whole number from 1 '
                   'to 5200, got "\\x1b[31m"')
