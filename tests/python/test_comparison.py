"""Comparisons pair runs over the same weeks, and show what a person reads: dollars (not cents)
in a size chosen by magnitude, whole people, percent."""
import re
import subprocess

import numpy as np
import pytest
from matplotlib.figure import Figure

import aidflow_analysis as aa
from aidflow_analysis import plots
from conftest import BASELINE, REPO_ROOT


@pytest.fixture(scope="module")
def short_and_long(aidflow_bin, tmp_path_factory):
    """The baseline at 26 and at 52 weeks, seeds 1 and 2."""
    out = tmp_path_factory.mktemp("weeks")

    def run(steps, seed):
        path = out / f"weeks{steps}-seed{seed}.h5"
        subprocess.run([str(aidflow_bin), "run", str(BASELINE), "-o", str(path), "-q", "--seed",
                        str(seed), "--steps", str(steps), "--set", "run.households=1000"],
                       check=True, timeout=600)
        return path

    return [run(26, seed) for seed in (1, 2)], [run(52, seed) for seed in (1, 2)]


def test_runs_of_different_weeks_are_refused_and_say_which(short_and_long):
    short, long = short_and_long
    for compare in (lambda: aa.compare_table(short, long),
                    lambda: aa.compare(short, long, "aid_disbursed")):
        with pytest.raises(aa.ComparisonError) as raised:
            compare()
        message = str(raised.value)
        assert "cover different weeks" in message
        assert "runs_a: 2022-01-03 to 2022-06-27 (26 steps)" in message, message
        assert "runs_b: 2022-01-03 to 2022-12-26 (52 steps)" in message, message
        assert "window=" in message


def test_runs_of_different_lengths_in_one_set_are_refused(short_and_long):
    short, long = short_and_long
    with pytest.raises(aa.ComparisonError, match="cover different weeks"):
        aa.compare_table([short[0], long[1]], long)


def test_stacks_made_without_open_runs_coordinates_are_checked_by_their_data(short_and_long):
    """A Dataset stacked some other way has no time_start/time_end: the weeks a run covers are
    then where its data is not missing (open_runs pads shorter runs with NaN)."""
    short, long = short_and_long
    spans = ["time_start", "time_end", "time_steps"]
    mixed = aa.open_runs([short[0], long[1]]).drop_vars(spans)
    with pytest.raises(aa.ComparisonError, match=r"runs_a: 2022-01-03 to 2022-06-27 \(26 steps\), "
                                                 r"2022-01-03 to 2022-12-26 \(52 steps\)"):
        aa.compare_table(mixed, aa.open_runs(long).drop_vars(spans))
    same = aa.compare_table(aa.open_runs(long).drop_vars(spans), long, ["aid_disbursed"])
    assert float(same["difference"].iloc[0]) == 0


def test_a_common_window_compares_the_weeks_both_cover(short_and_long):
    """Same scenario and seeds: over the 26 weeks both cover, the runs are the same runs, so the
    paired difference is exactly zero (it was +100% of aid disbursed without the window)."""
    short, long = short_and_long
    window = ("2022-01-03", "2022-06-27")
    table = aa.compare_table(short, long, ["aid_disbursed", "fighters", "people_reached"], window=window)
    assert (table["pairs"] == 2).all()
    assert (table["difference"] == 0).all(), table
    cmp = aa.compare(short, long, "aid_disbursed", window=window)
    assert cmp.sizes["time"] == 26 and float(np.abs(cmp["difference"]).max()) == 0
    with pytest.raises(aa.ComparisonError, match="runs_a has runs that do not cover it"):
        aa.compare_table(short, long, window=("2022-01-03", "2022-12-26"))


def test_compare_table_prints_dollars_whole_people_and_percent(replicates):
    base, other = replicates
    table = aa.compare_table(base, other)
    text = str(table)
    assert "e+0" not in text and "e-0" not in text, text
    disbursed = table.loc["aid disbursed"]
    assert disbursed.units == "USD" and disbursed.a > 1e6
    assert re.search(r"\$\d[\d,]*\.\d\d (million|billion)", text), text
    people = table.loc["people reached per week"]
    assert f"{people.a:,.0f} people" in text, "counts of people are whole numbers"
    fighters = table.loc["fighters of all groups at the end"]
    assert f"{fighters.a:,.0f} people" in text
    share = table.loc["share of aid diverted"]
    assert f"{share.a * 100:.1f}%" in text and " pp" in text, "shares as percent, differences in points"
    np.testing.assert_allclose(table["percent_change"], 100 * table["difference"] / table["a"])
    assert aa.format_value(disbursed.percent_change, "%", sign=True) in text  # "+1.2%", "0.0%"
    assert table.loc["aid disbursed", "difference"] == disbursed.difference, "values stay numbers"
    assert "$" in table._repr_html_() and "$" in table.to_string()


def test_flow_stock_level_take_title_and_units_from_the_file(replicates):
    base, other = replicates
    table = aa.compare_table(base, other, [aa.flow("attacks_executed", faction="isis_kabul"),
                                           aa.stock("faction_treasury", faction="haqqani"),
                                           aa.level("people_reached")])
    assert list(table["units"]) == ["attacks", "USD", "people"]
    assert list(table.index) == ["attacks carried out this step (isis_kabul)",
                                 "faction cash at the end of the step (haqqani)",
                                 "people reached, in full weekly rations (a part ration counts in part)"]
    stacked = aa.open_runs(base)
    treasury = stacked["faction_treasury"].sel(faction="haqqani").isel(time=-1) / 100
    assert table.iloc[1]["a"] == pytest.approx(float(treasury.mean()))


def test_plot_axes_show_dollars_by_magnitude_never_powers_of_ten(replicates, run):
    base, other = replicates
    diverted = aa.compare(base, other, "aid_diverted", cumulative=True)
    reached = aa.compare(base, other, "people_reached")
    fig = Figure()
    left, middle, right = fig.subplots(1, 3)
    plots.paired_difference(diverted, ax=left)
    plots.paired_difference(diverted, ax=middle, scale=1e6)
    plots.paired_difference(reached, ax=right)
    largest = float(np.nanmax(np.abs(diverted["low"].values)))
    assert left.get_ylabel() == aa.scale_for(largest, "USD")[1]
    assert left.get_ylabel() in ("USD thousands", "USD millions", "USD billions")
    assert middle.get_ylabel() == "USD millions"
    assert right.get_ylabel() in ("people", "thousand people", "million people")
    for ax in fig.axes + plots.treasuries(run).axes + plots.aid_flows(run).axes:
        fig.canvas.draw() if ax.figure is fig else ax.figure.canvas.draw()
        label = ax.get_ylabel()
        assert "1e" not in label and "cents" not in label, label
        assert ax.yaxis.get_offset_text().get_text() == "", "no offset or power of ten on the axis"
        ticks = [t.get_text() for t in ax.get_yticklabels()]
        assert not any("e+" in t or "e-" in t for t in ticks), ticks
    assert plots.treasuries(run).axes[0].get_ylabel().startswith("USD ")


def test_stocks_are_titled_at_the_end_in_tables_but_not_over_time(replicates):
    """A stock over time is not "at the end"; its whole-run value in a table is."""
    base, other = replicates
    table = aa.compare_table(base, other, ["treasury_haqqani", "fighters_isis_khorasan"])
    assert list(table.index) == ["Haqqani treasury at the end", "ISIS-Khorasan fighters at the end"]
    over_time = aa.compare(base, other, "treasury_haqqani")
    assert over_time.attrs["indicator"] == "Haqqani treasury"
    fig = plots.paired_difference(over_time)
    assert "at the end" not in fig.axes[0].get_title()


def test_a_difference_of_shares_is_plotted_in_percentage_points(replicates):
    base, other = replicates
    ax = plots.paired_difference(aa.compare(base, other, "diverted_share")).axes[0]
    assert ax.get_ylabel() == "percentage points"


def test_policy_outcomes_are_named_for_compare_table(replicates):
    """The outcomes the proposals target, by name, in dollars and whole things."""
    base, other = replicates
    table = aa.compare_table(base, other, ["transfers_haqqani_al_qaeda", "attacks_isis_kabul",
                                           "hostages", "enforcement_damping"])
    assert list(table["units"]) == ["USD", "attacks", "people", "1"]
    stacked = aa.open_runs(base)
    cents = stacked["transfers"].sel(from_faction="haqqani", to_faction="al_qaeda").sum("time")
    assert table.iloc[0]["a"] == pytest.approx(float(cents.mean()) / 100)
    text = str(table)
    assert "$" in text and " attacks" in text and " people" in text


def test_a_difference_of_counts_that_is_zero_has_whole_distinct_ticks(replicates):
    """No "0, 0, -0, -0" on an axis of attacks around zero."""
    base, _ = replicates
    fig = plots.paired_difference(aa.compare(base, base, "attacks_isis_kabul"))
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_text()]
    assert ticks and len(set(ticks)) == len(ticks), ticks
    assert all(re.fullmatch(r"-?[1-9][\d,]*|0", t) for t in ticks), ticks


def test_every_policy_outcome_is_documented():
    text = (REPO_ROOT / "docs" / "OUTPUT.md").read_text()
    missing = [name for name in aa.POLICY_INDICATORS if f"`{name}`" not in text]
    assert not missing, f"docs/OUTPUT.md does not list {missing}"


def test_plots_of_counts_use_whole_numbers(run):
    fig = plots.attribution_gap(run)
    fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.get_xlabel() == "attacks over the run"
    assert all("." not in t.get_text() for t in ax.get_xticklabels()), "attacks are whole numbers"


@pytest.mark.parametrize("values, units, expected", [
    (3.478e9, "USD", (1e9, "USD billions")),
    (4.2e7, "USD", (1e6, "USD millions")),
    (950.0, "USD", (1.0, "USD")),
    (0.0003, "people", (1.0, "people")),
    (5e5, "people", (1e3, "thousand people")),
    (2.5e6, "people", (1e6, "million people")),
    (0.25, "1", (0.01, "%")),
])
def test_axis_scale_by_magnitude(values, units, expected):
    assert aa.scale_for([values, -values / 2, np.nan], units) == expected


@pytest.mark.parametrize("value, units, sign, text", [
    (3.478e9, "USD", False, "$3.48 billion"),
    (-41.25e6, "USD", True, "-$41.25 million"),
    (41.25e6, "USD", True, "+$41.25 million"),
    (-0.0, "USD", True, "$0"),
    (123456, "USD cents", False, "$1,235"),
    (12345.6, "people", False, "12,346 people"),
    (0.2734, "1", False, "27.3%"),
    (-0.041, "pp", True, "-4.1 pp"),
    (-0.4, "attacks", True, "0 attacks"),  # rounds to zero: no sign
    (-0.0004, "1", False, "0.0%"),
    (float("nan"), "USD", False, "n/a"),
])
def test_format_value(value, units, sign, text):
    assert aa.format_value(value, units, sign=sign) == text
