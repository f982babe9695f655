"""Each plotting helper returns a drawable Figure showing the series it promises."""
import io

import pytest
from matplotlib.figure import Figure

from aidflow_analysis import plots


def legend_labels(fig):
    return {t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()}


@pytest.mark.parametrize(
    "plot, expected",
    [
        (plots.aid_flows, lambda run: {"delivered", "overhead", "diverted"}),
        (plots.diverted_by_faction, lambda run: set(run.indicators["faction"].values) | set(run.indicators["mechanism"].values)),
        (plots.need, lambda run: {"in need", "reached by aid"}),
        (plots.treasuries, lambda run: set(run.indicators["faction"].values)),
    ],
)
def test_plot(run, plot, expected):
    fig = plot(run)
    assert isinstance(fig, Figure)
    assert legend_labels(fig) == expected(run)
    png = io.BytesIO()
    fig.savefig(png, format="png")
    assert png.getvalue().startswith(b"\x89PNG")
