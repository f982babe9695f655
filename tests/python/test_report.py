"""The README's report command, end to end, checked in a real browser (headless Chromium)."""
import os
import re
import shutil
import subprocess

import numpy as np
import pytest
from matplotlib.image import imread

from conftest import REPO_ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def report(aidflow_bin, tmp_path_factory):
    """bash analysis/make_report.sh at tiny resolution: every scenario, two seeds."""
    out = tmp_path_factory.mktemp("report")
    env = dict(os.environ, AIDFLOW_BIN=str(aidflow_bin), AIDFLOW_REPORT_SEEDS="2",
               AIDFLOW_REPORT_HOUSEHOLDS="1000", AIDFLOW_REPORT_STEPS="30",
               AIDFLOW_REPORT_RUNS=str(out / "runs"), MPLBACKEND="Agg")
    page = out / "report.html"
    done = subprocess.run(["bash", str(REPO_ROOT / "analysis" / "make_report.sh"), str(page)],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return page


def chromium(*args, timeout=180):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed (bash .ci/deps.sh test installs it)")
    cmd = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,900", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def test_report_is_self_contained_and_names_every_scenario(report):
    text = report.read_text(encoding="utf-8")
    for scenario in ("status_quo", "budget_support", "humanitarian_monitoring", "counter_isis_aid", "all_aid_cut"):
        assert scenario in text
    assert "Assumptions behind the runs" in text and "Key indicators" in text
    assert 'src="data:image/png;base64,' in text
    for title in ("Aid, need, diversion and attacks by province", "Diverted aid by faction",
                  "Influence by faction", "Attacks by faction"):
        assert f"<h3>{title}</h3><img" in text, f"the status quo's map {title!r} is in the page"
    assert "Mean of the 2 runs of the status_quo" in text
    assert "src=\"http" not in text and "src='file" not in text, "nothing linked from outside the page"


def test_report_in_headless_chromium_is_not_blank_and_every_figure_loads(report, tmp_path):
    shot = tmp_path / "report.png"
    done = chromium(f"--screenshot={shot}", report.as_uri())
    assert shot.is_file(), done.stderr[-2000:]
    pixels = imread(shot)[..., :3]
    assert pixels.std() > 0.02, "the screenshot is blank"
    assert (pixels < 0.5).mean() > 0.002, "no text or figure drawn"
    dom = chromium("--dump-dom", report.as_uri()).stdout


    check = re.search(r'id="figure-check"[^>]*data-loaded="(\d+)"[^>]*data-total="(\d+)"', dom)
    assert check, "the page's figure check did not run"
    loaded, total = map(int, check.groups())
    # 4 figures of the status quo, its 4 province maps, one comparison for each of 9 scenarios
    assert total == 17 and loaded == total, f"{loaded} of {total} figures loaded"
