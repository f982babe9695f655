#!/usr/bin/python3
"""Kills `aidflow run` with SIGKILL at random moments and checks that each time the output path
holds either nothing or a complete, valid result file (never a half-written one).

Kill times are drawn uniformly over 0..1.2x the duration of an undisturbed run, so some kills
land during start-up, many mid-run, and some after the run finished (those must leave a
complete file). Fixed seed: the same moments every time.
"""
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

import h5py

TRIALS = 16


def command(aidflow, scenario, output):
    return [aidflow, "run", scenario, "-o", output, "--set", "run.households=200000",
            "--steps", "104", "--threads", "2"]


def check_complete(path, steps):
    with h5py.File(path, "r") as f:
        status = f.attrs["status"]
        status = status.decode() if isinstance(status, bytes) else status
        assert status == "complete", f"status is {status!r}"
        for name in ("aid_disbursed", "need_mean", "ledger/settled"):
            assert f[name].shape[0] == steps, f"{name} has {f[name].shape[0]} of {steps} steps"
        assert "summary/total_settled" in f


def main():
    aidflow, scenario = sys.argv[1], sys.argv[2]
    rng = random.Random(20260101)
    with tempfile.TemporaryDirectory() as tmp:
        reference = os.path.join(tmp, "reference.h5")
        start = time.monotonic()
        subprocess.run(command(aidflow, scenario, reference), check=True, stdout=subprocess.DEVNULL)
        duration = time.monotonic() - start
        check_complete(reference, 104)
        print(f"undisturbed run: {duration:.2f} s")
        outcomes = {"absent": 0, "complete": 0}
        for trial in range(TRIALS):
            output = os.path.join(tmp, f"run{trial}.h5")
            delay = rng.uniform(0.0, 1.2 * duration)
            process = subprocess.Popen(command(aidflow, scenario, output),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
            if os.path.exists(output):
                check_complete(output, 104)
                outcomes["complete"] += 1
            else:
                outcomes["absent"] += 1
            print(f"trial {trial:2d}: killed after {delay:5.2f} s -> "
                  f"{'complete' if os.path.exists(output) else 'no output'}")
        print(f"{TRIALS} kills: {outcomes['absent']} left no output, "
              f"{outcomes['complete']} left a complete file, 0 left a partial one")
        assert outcomes["absent"] > 0, "no kill landed mid-run: the test did not test anything"


if __name__ == "__main__":
    main()
