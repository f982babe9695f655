"""The README's report command, end to end, checked in a real browser (headless Chromium) at a
laptop's width (1280 px): nothing wider than the window, each question's section with the
outcomes its proposals exist to move, every figure titled with units on its axes."""
import html
import json
import os
import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

from aidflow_analysis import open_sweep
from aidflow_analysis import report as rep
from aidflow_analysis.comparison import ComparisonTable
from conftest import REPO_ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WIDTH = 1280
SEEDS, STEPS, DRAWS = 2, 30, 3

# What the issue (21) says each proposal must be judged on, by the outcomes' names in
# aidflow_analysis.comparison: a section that omits one misleads (sanctions read "no change").
TARGETED = {
    "sanctions_us_only": ["transfers_haqqani_al_qaeda", "transfers_haqqani_isis_kabul",
                          "treasury_al_qaeda", "attacks_isis_kabul", "hostages"],
    "sanctions_multilateral": ["transfers_haqqani_al_qaeda", "transfers_haqqani_isis_kabul",
                               "treasury_al_qaeda", "attacks_isis_kabul", "hostages"],
    "no_concessions": ["hostages", "transfers_haqqani_al_qaeda", "transfers_haqqani_isis_kabul"],
    "counter_isis_aid": ["fighters_isis_khorasan", "attacks_isis_kabul"],
    "pakistan_pressure": ["patron_income_haqqani", "treasury_haqqani"],
    "conditionality_envoy": ["aid_withheld", "attacks_isis_kabul"],
    "all_aid_cut": ["people_in_need", "people_reached", "displaced_abroad", "recruits"],
    "budget_support": ["aid_diverted", "diverted_share"],
    "humanitarian_monitoring": ["aid_diverted", "diverted_share", "people_reached"],
}
COMMON = ["aid_diverted", "attacks", "people_in_need"]
# An axis of numbers must say what they count: dollars in a size, people, attacks, percent.
UNITS = re.compile(r"^(USD( (thousands|millions|billions))?|(thousand |million )?(people|fighters)|"
                   r"attacks( over the run)?|%|percentage points)( per week| per person)?$")

# Measures, once the page has loaded, every rendered element against the window's width, and
# every scrolling box whose content is wider than the box (hidden at this width).
LAYOUT_CHECK = """
<script>
window.addEventListener('load', function () {
  var width = document.documentElement.clientWidth, wide = [];
  document.querySelectorAll('body *').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    var name = el.tagName + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '');
    if (r.right > width + 0.5 || r.left < -0.5)
      wide.push(name + ' spans ' + Math.round(r.left) + '-' + Math.round(r.right));
    if (getComputedStyle(el).overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
      wide.push(name + ' hides ' + el.scrollWidth + ' px in ' + el.clientWidth);
  });
  var out = document.createElement('pre');
  out.id = 'layout-check';
  out.setAttribute('data-width', width);
  out.setAttribute('data-page-width', document.documentElement.scrollWidth);
  out.textContent = JSON.stringify(wide);
  document.body.appendChild(out);
});
</script>
"""


@pytest.fixture(scope="session")
def report(aidflow_bin, tmp_path_factory):
    """bash analysis/make_report.sh at tiny resolution: every scenario over three draws of the
    calibrated ensemble, two seeds each."""
    out = tmp_path_factory.mktemp("report")
    env = dict(os.environ, AIDFLOW_BIN=str(aidflow_bin), AIDFLOW_REPORT_SEEDS=str(SEEDS),
               AIDFLOW_REPORT_DRAWS=str(DRAWS),
               AIDFLOW_REPORT_HOUSEHOLDS="1000", AIDFLOW_REPORT_STEPS=str(STEPS),
               AIDFLOW_REPORT_RUNS=str(out / "runs"), MPLBACKEND="Agg")
    env.pop("AIDFLOW_REPORT_ROBUSTNESS", None)
    page = out / "report.html"
    done = subprocess.run(["bash", str(REPO_ROOT / "analysis" / "make_report.sh"), str(page)],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return page


def chromium(*args, height=900, timeout=180):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed (bash .ci/deps.sh test installs it)")
    cmd = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--window-size={WIDTH},{height}", "--virtual-time-budget=20000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def dom(report, tmp_path_factory):
    """The page as Chromium laid it out at 1280 px, with the layout measured (a copy of the
    report with LAYOUT_CHECK added, so the report itself carries no test code)."""
    checked = tmp_path_factory.mktemp("layout") / "report.html"
    checked.write_text(report.read_text(encoding="utf-8").replace("</body>", LAYOUT_CHECK + "</body>"),
                       encoding="utf-8")
    return chromium("--dump-dom", checked.as_uri()).stdout


def sections(dom):
    """{scenario: (section id, section html)} for every scenario a question's section compares."""
    out = {}
    for key, scenarios, body in re.findall(r'<section id="(q-[^"]+)" data-scenarios="([^"]*)">'
                                           r"(.*?)</section>", dom, re.S):
        for scenario in scenarios.split():
            out.setdefault(scenario, []).append((key, body))
    return out


def test_report_is_self_contained_and_names_every_scenario(report):
    text = report.read_text(encoding="utf-8")
    for scenario in TARGETED:  # by name (capitalised at the start of a sentence)
        assert rep.scenario_name(scenario)[1:] in html.unescape(text), scenario
    assert "Assumptions behind the runs" in text and "Robustness of the stylised facts" in text
    assert 'src="data:image/png;base64,' in text
    for title in ("Aid, need, diversion and attacks by province", "Diverted aid by faction",
                  "Influence by faction", "Attacks by faction"):
        assert f"<h4>{title}</h4><img" in text, f"the status quo's map {title!r} is in the page"
    assert f"Mean of the {DRAWS * SEEDS} runs of the status quo" in text
    assert "src=\"http" not in text and "src='file" not in text, "nothing linked from outside the page"
    assert "--set run.households" not in text.split("id='assumptions'")[0], \
        "figures and sections name scenarios, not command lines (those are in the assumptions)"


def test_report_says_what_its_intervals_hold_and_that_no_robustness_summary_was_given(report):
    text = html.unescape(report.read_text(encoding="utf-8"))
    assert f"every scenario ran on the same {DRAWS} draws of the calibrated ensemble" in text
    assert "percentile bootstrap over the draws" in text
    assert "The other assumptions are held at their values" in text, "what they do not hold"
    assert "No robustness summary was given" in text


def test_report_at_1280_px_overflows_nowhere(dom):
    check = re.search(r'<pre id="layout-check" data-width="(\d+)" data-page-width="(\d+)">(.*?)</pre>',
                      dom, re.S)
    assert check, "the layout check did not run"
    width, page_width = int(check.group(1)), int(check.group(2))
    assert width == WIDTH
    wide = json.loads(html.unescape(check.group(3)))
    assert page_width <= width and wide == [], f"wider than {width} px: {wide[:20]}"


def test_each_scenario_is_judged_on_the_outcomes_it_targets(dom):
    found = sections(dom)
    for scenario, outcomes in TARGETED.items():
        assert scenario in found, f"no section compares {scenario}"
        for key, body in found[scenario]:
            rows = re.findall(r'<tr data-outcome="([^"]+)"', body)
            missing = [o for o in outcomes + COMMON if o not in rows]
            assert not missing, f"{key} ({scenario}) lacks {missing}"
            assert re.search(rf"Period: <strong>2022-01-03 to \d{{4}}-\d\d-\d\d \({STEPS} weeks\)",
                             body), f"{key} gives no period with dates"
            assert rep.scenario_name(scenario)[1:] in html.unescape(body), f"{key} does not name {scenario}"
            results = re.findall(r'<div class="result">(.*?)</div>', body, re.S)
            assert results and f"pairs ({DRAWS} draws x {SEEDS} seeds)" in results[0], \
                f"{key} has no result sentence over the ensemble"
            assert "better in" in body, f"{key} does not say how often the proposal does better"


def figures(dom):
    """(heading, what its axes show) of every figure of the page."""
    return [(title, json.loads(html.unescape(axes)))
            for axes, title in re.findall(r'<figure data-axes="([^"]*)"><h4>([^<]*)</h4>', dom)]


def test_every_figure_has_a_title_and_axes_with_units_or_dates(dom):
    shown = figures(dom)
    # 5 figures of the status quo, its 4 province maps, 11 comparisons (one per pair of a question)
    assert len(shown) == 20, [t for t, _ in shown]
    for title, described in shown:
        axes = described["axes"]
        assert title.strip() and (described["suptitle"] or any(a["title"] for a in axes)), title
        for ax in axes:
            for axis in ("x", "y"):
                label = ax[f"{axis}label"]
                if ax[axis] == "numbers":
                    assert UNITS.match(label), f"{title}: {ax['title']!r} {axis} axis says {label!r}"
                assert "cents" not in label and "1e" not in label and " / " not in label
        if "against" in title:  # a paired difference over time: dates along x, units along y
            assert all(ax["x"] == "dates" for ax in axes if ax["y"] == "numbers"), title


def test_the_status_quo_figures_show_the_mean_of_its_replicates(dom):
    baseline = ("Where the money went", "Aid flows per week", "Armed groups", "Attribution gap",
                "People")
    for title, described in figures(dom):
        if title in baseline:
            titles = " ".join([described["suptitle"], *(a["title"] for a in described["axes"])])
            assert f"mean of {DRAWS * SEEDS} runs" in titles.replace("\n", " "), (title, titles)


def test_report_in_headless_chromium_is_not_blank_and_every_figure_loads(report, dom, tmp_path):
    shot = tmp_path / "report.png"
    done = chromium(f"--screenshot={shot}", report.as_uri())
    assert shot.is_file(), done.stderr[-2000:]
    pixels = imread(shot)[..., :3]
    assert pixels.shape[1] == WIDTH
    assert pixels.std() > 0.02, "the screenshot is blank"
    assert (pixels < 0.5).mean() > 0.002, "no text or figure drawn"
    check = re.search(r'id="figure-check"[^>]*data-loaded="(\d+)"[^>]*data-total="(\d+)"', dom)
    assert check, "the page's figure check did not run"
    loaded, total = map(int, check.groups())
    assert total == 20 and loaded == total, f"{loaded} of {total} figures loaded"


def _table(rows):
    """A compare_table of given differences, each against a reference of 1e7 (so a difference
    of 1e6 is +10%)."""
    table = ComparisonTable.from_dict(
        {title: {"a": 1e7, "b": 1e7 + d, "difference": d, "low": low, "high": high,
                 "percent_change": 100 * d / 1e7, "pairs": 3, "units": units}
         for title, (d, low, high, units) in rows.items()}, orient="index")
    table.attrs["confidence"] = 0.95
    return table


def test_the_result_sentence_follows_the_numbers():
    """A direction only where the interval excludes zero; sizes as the table prints them."""
    table = _table({"Haqqani transfers to al Qaeda": (-4.54e6, -4.77e6, -4.31e6, "USD"),
                    "attacks by ISIS-Kabul": (-1.0, -3.0, 1.0, "attacks"),
                    "hostages held at the end": (0.0, 0.0, 0.0, "people"),
                    "ransom paid": (2.5e5, 1e5, 4e5, "USD"),
                    "people in need": (1e6, 5e5, 1.5e6, "people")})
    sentence = rep.result_sentence("sanctions_multilateral", "status_quo", table, 4)
    assert sentence.startswith("Coalition sanctions (the US with China, Russia and Pakistan), "
                               "against the status quo, ")
    assert "lowers Haqqani transfers to al Qaeda by $4.54 million (-45.4%)" in sentence
    assert ("does not change attacks by ISIS-Kabul distinguishably (-1 attacks, interval -3 "
            "attacks to +1 attacks)") in sentence
    assert "leaves hostages held at the end exactly as it is" in sentence
    assert "raises ransom paid by $250,000 (+2.5%)" in sentence
    assert "people in need" not in sentence, "only the targeted outcomes"
    assert sentence.endswith("2 of the 4 outcomes it targets move beyond the 95% interval of 3 "
                             "paired seeds.")


ROBUSTNESS_PRINTED = """Stylised facts over 24 sampled points (out/robustness):

| fact | holds at | share |
|---|---|---|
| 1 Haqqanis take the largest share of diverted aid, treasury grows | 5/24 | 0.21 |
| 4 Coalition sanctions cut Haqqani transfers more than US-only | 19/24 | 0.79 |
| 8 Hostages weaken enforcement unless no concessions | 21/24 | 0.88 |

Where the facts holding at fewer than 80% of the points fail:

- 1 Haqqanis take the largest share of diverted aid, treasury grows: fails at 16 of 16 points where x > 0.27 (and at 19 of 24 points in all).
"""


def test_a_robustness_summary_is_read_and_shown_with_each_question(tmp_path):
    """The table analysis/robustness.py prints (test_sweep.py reads its real output with the
    same reader) becomes the robustness section and a line in each question it rests on."""
    path = tmp_path / "robustness.md"
    path.write_text(ROBUSTNESS_PRINTED)
    read = rep.read_robustness(path)
    assert list(read.facts.number) == [1, 4, 8] and list(read.facts.holds) == [5, 19, 21]
    assert read.facts.share.tolist() == [0.21, 0.79, 0.88]
    assert len(read.failures) == 1 and "fails at 16 of 16 points" in read.failures[0]
    section = rep._robustness_section(read)
    assert "19 of 24 points" in section and "No robustness summary" not in section
    sanctions = next(q for q in rep.QUESTIONS if q.key == "sanctions")
    assert "holds at 19 of 24 sampled points" in rep._facts_note(sanctions, read)
    money = next(q for q in rep.QUESTIONS if q.key == "money")  # facts 1, 3 and 5
    note = rep._facts_note(money, read)
    assert "holds at 5 of 24" in note and "stylised fact 3, 5: the summary (robustness.md) has no row" in note
    empty = tmp_path / "empty.md"
    empty.write_text("nothing here\n")
    with pytest.raises(SystemExit, match="no robustness table"):
        rep.read_robustness(empty)


def test_a_report_of_some_scenarios_has_only_their_questions(report):
    """The status quo's and budget support's sweeps only: the money question, nothing made up
    for the proposals that were not run."""
    some = [report.parent / "runs" / name for name in ("status_quo", "budget_support")]
    page = rep.build_report(some)
    assert re.findall(r"<section id='(q-[^']+)'", page) == ["q-money"]
    assert "data-scenarios='budget_support'" in page and "What do sanctions" not in page
    assert "No robustness summary was given" in page


def _kept_runs(report, scenario):
    return sorted((report.parent / "runs" / scenario / "runs").glob("*.h5"))


def test_a_report_of_run_files_pairs_by_seed_and_says_its_intervals_hold_seeds_only(report):
    """Run files carry no draw: the report pairs them by seed and says what that leaves out.
    The ensemble's runs of one draw stand in for a scenario's replicates."""
    store = {s: open_sweep(report.parent / "runs" / s) for s in ("status_quo", "budget_support")}
    first = {s: [sw.path(int(r)) for r in sw.complete.index
                 if sw.complete.loc[r, "draw"] == sw.complete["draw"].min()]
             for s, sw in store.items()}
    assert all(len(files) == SEEDS for files in first.values())
    page = html.unescape(rep.build_report(first["status_quo"] + first["budget_support"]))
    assert "The intervals cover the model's random draws only (seeds)" in page
    assert f"{SEEDS} paired seeds" in page and "better in" not in page


def test_runs_over_the_ensemble_and_runs_without_it_are_not_paired(report):
    one_seed = _kept_runs(report, "budget_support")[:1]
    with pytest.raises(SystemExit, match="pair only with runs over it"):
        rep.build_report([report.parent / "runs" / "status_quo", *one_seed])


def test_a_sweep_whose_runs_differ_by_more_than_the_draw_is_refused(report, aidflow_bin, tmp_path):
    sweep = tmp_path / "levels.yaml"
    sweep.write_text(f"""name: two_arms
scenario: {REPO_ROOT / "scenarios" / "status_quo.yaml"}
set: [run.households=500, run.steps=4]
ensemble: {report.parent / "runs" / "ensemble.csv"}
parameters:
  - {{name: arm, crossed: true, levels: {{as_is: [], monitored: [policy.monitoring.third_party=0.8]}}}}
replicates: 1
""")
    subprocess.run([str(aidflow_bin), "sweep", str(sweep), "-o", str(tmp_path / "out"),
                    "--keep-runs", "-q"], check=True)
    with pytest.raises(SystemExit, match="its runs differ by arm"):
        rep.build_report([tmp_path / "out"])
