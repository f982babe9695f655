"""Runs and sweeps in-process (aidflow_analysis.run / .sweep, the compiled module installed with the
package): the same numbers as the command line, bit for bit, for a run's indicators, its declared
outcomes and a sweep's store; the command line's located messages as AidflowInputError; the GIL
released while a run steps; Ctrl-C obeyed."""
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import aidflow_analysis as aa
from aidflow_analysis import AidflowError, AidflowInputError, open_run, open_sweep
from conftest import BASELINE, REPO_ROOT

SETTINGS = ["--seed", "4", "--steps", "20", "--set", "run.households=1500",
            "--set", "policy.humanitarian_only=true"]
OUTCOMES = {"haqqani_to_al_qaeda": "sum(transfers[from_faction=haqqani, to_faction=al_qaeda])",
            "reached": "mean(people_reached)",
            "share": "sum(aid_diverted) / sum(aid_disbursed)",
            "weekly": "series(aid_diverted[donor=usa])",
            "attacks": "count(events[kind=attack], every=4)"}


def in_process(**extra):
    return aa.run(BASELINE, seed=4, steps=20,
                  set={"run.households": 1500, "policy.humanitarian_only": True}, **extra)


def command_line(aidflow_bin, out, *extra):
    done = subprocess.run([str(aidflow_bin), "run", str(BASELINE), "-o", str(out), *SETTINGS,
                           *extra], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done


def assert_same_bits(ours: xr.Dataset, theirs: xr.Dataset) -> None:
    """Every variable of `theirs` (a file's group) in `ours`, with the same dims, dtype and bytes,
    and the same coordinate labels."""
    names = [n for n in theirs.data_vars if n != "scenario"]
    assert sorted(ours.data_vars) == sorted(names)
    for name in names:
        a, b = ours[name], theirs[name]
        assert a.dims == b.dims and a.dtype == b.dtype, name
        assert a.values.tobytes() == b.values.tobytes(), name
        assert a.attrs["units"] == b.attrs["units"] and a.attrs["long_name"] == b.attrs["long_name"]
    for name, coord in theirs.coords.items():
        np.testing.assert_array_equal(ours[name].values, coord.values, err_msg=str(name))


def test_a_run_in_process_is_the_command_line_bit_for_bit(aidflow_bin, tmp_path):
    command_line(aidflow_bin, tmp_path / "r.h5")
    cli = open_run(tmp_path / "r.h5")
    ours = in_process()
    assert ours.sizes["time"] == 20 and ours.attrs["seed"] == 4
    assert_same_bits(ours, cli.indicators)
    assert_same_bits(in_process(group="ledger"), cli.ledger)
    assert ours.attrs["label"] == cli.attrs["label"]


def test_declared_outcomes_in_process_are_the_command_lines(aidflow_bin, tmp_path):
    arguments = [a for name, text in OUTCOMES.items() for a in ("--outcomes", f"{name}={text}")]
    done = command_line(aidflow_bin, tmp_path / "o.h5", *arguments)
    cli = open_run(tmp_path / "o.h5").outcomes
    ours = in_process(outcomes=OUTCOMES)
    assert_same_bits(ours, cli)
    assert ours.weekly.dims == ("time",) and ours.attacks.dims == ("time_attacks",)
    assert str(ours.time_attacks.values[1])[:10] == "2022-01-31"
    assert ours.share.attrs["units"] == "1" and ours.attacks.attrs["units"] == "events"
    assert f"outcome    reached = {float(ours.reached):.10g} people" in done.stdout
    assert "outcome    weekly: 20 values along time from 2022-01-03 (USD cents)" in done.stdout
    # The outcomes are what the indicators say.
    ind = open_run(tmp_path / "o.h5").indicators
    assert int(ours.weekly.sum()) == int(ind.aid_diverted.sel(donor="usa").sum())


def message_of(aidflow_bin, *args):
    out = Path(tempfile.mkdtemp()) / "x.h5"
    done = subprocess.run([str(aidflow_bin), "run", *map(str, args), "-o", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert not out.exists()
    assert done.returncode == 2 and done.stderr.startswith("error: "), done.stderr
    return done.stderr[len("error: "):].rstrip("\n")


@pytest.mark.parametrize("args, kwargs", [
    (["--set", "policy.monitoring.third_party=1.5"],
     {"set": {"policy.monitoring.third_party": 1.5}}),
    (["--set", "policy.monitoring.thrid_party=0"], {"set": ["policy.monitoring.thrid_party=0"]}),
    (["--seed", "-3"], {"seed": -3}),
    (["--outcomes", "x=sum(aid_divertd)"], {"outcomes": {"x": "sum(aid_divertd)"}}),
    (["--outcomes", "x=last(faction_treasury[faction=haqqanni])"],
     {"outcomes": ["x=last(faction_treasury[faction=haqqanni])"]}),
])
def test_bad_input_raises_the_command_lines_located_message(aidflow_bin, args, kwargs):
    expected = message_of(aidflow_bin, BASELINE, *args)
    with pytest.raises(AidflowInputError) as raised:
        aa.run(BASELINE, **kwargs)
    assert str(raised.value) == expected
    assert isinstance(raised.value, AidflowError) and isinstance(raised.value, ValueError)


def test_a_missing_scenario_is_the_command_lines_message(aidflow_bin, tmp_path):
    missing = tmp_path / "nope.yaml"
    expected = message_of(aidflow_bin, missing)
    with pytest.raises(AidflowInputError, match="nope.yaml") as raised:
        aa.run(missing)
    assert str(raised.value) == expected


def test_the_gil_is_released_while_a_run_steps():
    """A Python thread keeps running while another thread's run steps; before the release it
    could not (the run held the GIL for its whole length)."""
    ticks, done = [0], threading.Event()

    def count():
        while not done.is_set():
            ticks[0] += 1
            time.sleep(0.0005)

    counter = threading.Thread(target=count)
    counter.start()
    started = time.perf_counter()
    # The reference's whole dated horizon (209 weeks; its budgets end there), many households.
    aa.run(BASELINE, steps=209, set={"run.households": 40000}, threads=1,
           outcomes={"d": "sum(aid_diverted)"})
    seconds = time.perf_counter() - started
    done.set()
    counter.join()
    assert seconds > 0.3, "the run is too short to tell"
    # Held, the counter could not tick at all; released, it ticks every half millisecond or so
    # (fewer on a loaded machine: 5% of that is asked).
    assert ticks[0] > max(100, 0.05 * seconds / 0.0005), (ticks[0], seconds)


def test_ctrl_c_stops_a_run_in_process():
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        aa.run(BASELINE, steps=209, set={"run.households": 200000}, threads=1,
               outcomes={"d": "sum(aid_diverted)"})
    timer.join()
    assert time.perf_counter() - started < 30


def test_a_sweep_in_process_is_the_command_lines_store(aidflow_bin, tmp_path):
    grid = REPO_ROOT / "tests" / "sweep" / "small_grid.yaml"
    done = subprocess.run([str(aidflow_bin), "sweep", str(grid), "-o", str(tmp_path / "s"),
                           "--no-keep-runs", "-q"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    cli = open_sweep(tmp_path / "s").store
    ours = aa.sweep(grid, workers=2)
    assert set(ours.variables) == set(cli.variables)
    for name, var in cli.variables.items():
        if name == "wall_seconds":
            continue
        assert ours[name].dims == var.dims and ours[name].dtype == var.dtype, name
        if var.dtype == object:
            assert ours[name].values.tolist() == var.values.tolist(), name
        else:
            assert ours[name].values.tobytes() == var.values.tobytes(), name
        assert ours[name].attrs == var.attrs, name
    swept = open_sweep(ours)
    experiments, outcomes = swept.ema()
    assert len(experiments) == 20 and outcomes["weekly_diverted"].shape == (20, 26)
    with pytest.raises(AidflowError, match="kept no file"):
        swept.run(0)


def test_a_bad_sweep_file_in_process_is_the_command_lines_message(aidflow_bin):
    bad = REPO_ROOT / "tests" / "bad_sweeps" / "outcome_unknown_label.yaml"
    done = subprocess.run([str(aidflow_bin), "sweep", str(bad), "-o", "/nonexistent/s"],
                          capture_output=True, text=True, timeout=600)
    with pytest.raises(AidflowInputError) as raised:
        aa.sweep(bad)
    assert "error: " + str(raised.value) + "\n" == done.stderr


def test_an_edited_scenario_is_read_afresh(tmp_path):
    """Runs of one scenario reuse its parsed files, but never after one of them changed: an edit
    to the file a scenario extends, or to the scenario itself, is what the next run runs."""
    base = tmp_path / "base.yaml"
    base.write_text(f"extends: {BASELINE}\nrun: {{steps: 6, households: 500}}\n", encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\nname: child\n", encoding="utf-8")
    assert aa.run(child, seed=1).sizes["time"] == 6
    assert aa.run(child, seed=1).sizes["time"] == 6
    base.write_text(f"extends: {BASELINE}\nrun: {{steps: 9, households: 500}}\n", encoding="utf-8")
    assert aa.run(child, seed=1).sizes["time"] == 9
    child.write_text("extends: base.yaml\nname: child\nrun: {steps: 4}\n", encoding="utf-8")
    assert aa.run(child, seed=1).sizes["time"] == 4
    child.write_text("extends: base.yaml\nname: child\nrun: {steps: [}\n", encoding="utf-8")
    with pytest.raises(AidflowInputError, match="child.yaml:3"):
        aa.run(child, seed=1)
