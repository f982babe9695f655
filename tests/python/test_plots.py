"""Each plotting helper returns a drawable Figure showing the series it promises."""
import pytest
from matplotlib.figure import Figure

from aidflow_analysis import plots


def names(run):
    return set(run.indicators["faction_name"].values)


def legend_labels(fig):
    return {t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()}


@pytest.mark.parametrize(
    "plot, expected",
    [
        (plots.aid_flows, lambda run: {"delivered", "overhead", "diverted"}),
        (plots.diverted_by_faction, lambda run: names(run) | set(run.indicators["mechanism"].values)),
        (plots.need, lambda run: {"in need", "reached by aid"}),
        (plots.treasuries, names),
        (plots.fighters, names),
        (plots.recruits, names),
        (plots.factions, names),
        (plots.people, lambda run: {"in need", "reached by aid", "displaced inside", "displaced abroad"}),
        (plots.attribution_gap, lambda run: {"executed", "claimed"}),
        (plots.money_flow, lambda run: set()),
        (plots.diversion_flow, lambda run: set()),
    ],
)
def test_plot(run, plot, expected, tmp_path):
    fig = plot(run)
    assert isinstance(fig, Figure)
    assert legend_labels(fig) == expected(run)
    titles = [ax.get_title() for ax in fig.axes] + [fig._suptitle.get_text() if fig._suptitle else ""]
    # Long titles are wrapped onto lines (a title wider than its figure is cut off).
    assert any(run.title in " ".join(t.split()) for t in titles), "a figure names its run and seed"
    png, svg = plots.save(fig, tmp_path / "figure")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in svg.read_bytes()[:1000]


def test_plots_draw_on_given_axes(run):
    fig = Figure()
    left, right = fig.subplots(1, 2, sharex=True)
    assert plots.treasuries(run, ax=left) is fig
    assert plots.people(run, ax=right) is fig
    assert left.lines and right.lines


def test_diversion_flow_runs_from_donors_through_ministries_to_factions(run):
    fig = plots.diversion_flow(run)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["donors", "ministry touchpoint", "factions"]
    # the status quo funds no ministry's budget: its touchpoints are the sector ministries
    for name in ("United States", "Ministry of Public Health", "Haqqani network"):
        assert name in texts, name
