"""A self-contained HTML report for a policy reader: scenarios compared with a baseline.

    /usr/bin/python3 -m aidflow_analysis.report RUN.h5 [RUN.h5 ...] -o report.html [--baseline NAME]

Runs are grouped by scenario (`scenario_name`); replicates of a scenario are paired with the
baseline's by seed. The page holds the scenarios and what each changes, the key indicators with
confidence intervals, the figures (embedded as base64 PNG, so the page works when moved or
mailed) and the assumptions behind the runs, read from the files' metadata. A small script marks
on the page whether every figure loaded, for a browser test to read (`#figure-check`).
"""
from __future__ import annotations

import argparse
import base64
import datetime as _dt
import html
import io
import sys
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

import pandas as pd
import yaml
from matplotlib.figure import Figure

from . import maps, plots
from .comparison import KEY_INDICATORS, compare, compare_table
from .errors import ProvinceMapError
from .run_file import Run, open_run, open_runs, overrides

SHOWN = ["aid_delivered", "aid_diverted", "diverted_share", "diverted_haqqani", "treasury_haqqani",
         "fighters", "recruits", "attacks", "people_reached", "people_in_need", "displaced_abroad",
         "returned"]


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="figure" alt="figure" src="data:image/png;base64,{data}">'


def _figure(title: str, fig: Figure, caption: str) -> str:
    return (f"<figure><h3>{html.escape(title)}</h3>{_png(fig)}"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def group_runs(paths: Sequence[Path]) -> Dict[str, List[Run]]:
    """Runs by scenario name, each scenario's runs sorted by seed."""
    groups: Dict[str, List[Run]] = defaultdict(list)
    for path in paths:
        run = open_run(path)
        groups[str(run.attrs["scenario_name"])].append(run)
    return {name: sorted(runs, key=lambda r: r.seed) for name, runs in groups.items()}


def _description(run: Run) -> str:
    try:
        return str(yaml.safe_load(run.scenario).get("description", "")).strip()
    except yaml.YAMLError:
        return ""


UNIT_NAMES = {"USD": "$M", "1": "%", "people": "people", "attacks": "attacks"}


def _format(value: float, units: str, sign: bool = False) -> str:
    """Compact numbers; the unit goes in the row's name (`_row_name`), not in every cell."""
    if pd.isna(value):
        return "n/a"
    plus = "+" if sign else ""
    if units == "USD":
        return f"{value / 1e6:{plus},.1f}"
    if units == "1":
        return f"{value * 100:{plus}.1f}"
    return f"{value:{plus},.0f}"


def _row_name(title: str, units: str) -> str:
    return f"{title} ({UNIT_NAMES.get(units, units)})"


def key_indicator_table(baseline: List[Run], scenarios: Dict[str, List[Run]], confidence: float) -> pd.DataFrame:
    """Baseline values and, per scenario, the paired difference with its interval, as text."""
    base = open_runs(baseline)
    tables = {name: compare_table(base, open_runs(runs), SHOWN, confidence) for name, runs in scenarios.items()}
    first = next(iter(tables.values()), None)
    if first is None:
        first = compare_table(base, base, SHOWN, confidence)
    index = [_row_name(title, units) for title, units in zip(first.index, first["units"])]
    out = pd.DataFrame({"baseline": [_format(v, u) for v, u in zip(first["a"], first["units"])]}, index=index)
    for name, table in tables.items():
        out[name] = [f"{_format(r.difference, r.units, True)}<br><small>[{_format(r.low, r.units)}, "
                     f"{_format(r.high, r.units)}]</small>"
                     for r in table.itertuples()]
    out.index.name = "indicator"
    return out


def _assumptions(name: str, runs: List[Run]) -> str:
    attrs = runs[0].attrs
    settings = overrides(attrs)
    rows = {
        "scenario file": attrs.get("scenario_file", ""),
        "what it is": _description(runs[0]),
        "seeds": ", ".join(str(r.seed) for r in runs),
        "weeks simulated": attrs.get("steps", ""),
        "start date": attrs.get("start_date", ""),
        "overrides": "; ".join(o for o in settings if not o.startswith("--seed")) or "none",
        "aidflow": f"{attrs.get('aidflow_version', '')} ({attrs.get('git_commit', '')})",
    }
    cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows.items())
    return (f"<h3>{html.escape(name)}</h3><table class='meta'>{cells}</table>"
            f"<details><summary>effective scenario (YAML, as the run saw it)</summary>"
            f"<pre>{html.escape(runs[0].scenario)}</pre></details>")


STYLE = """
body { font-family: sans-serif; max-width: 1400px; margin: 2em auto; color: #222; line-height: 1.4; }
table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }
th:first-child, td:first-child, table.meta td, table.scenarios td { text-align: left; }
table.key td { white-space: nowrap; } table.key th:first-child { min-width: 14em; }
figure { margin: 1.5em 0; } img.figure { max-width: 100%; border: 1px solid #eee; }
figcaption, .note { color: #555; font-size: 0.9em; } pre { font-size: 0.75em; overflow-x: auto; }
"""

CHECK = """
<p id="figure-check" class="note">checking figures...</p>
<script>
window.addEventListener('load', function () {
  var images = Array.prototype.slice.call(document.querySelectorAll('img.figure'));
  var loaded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
  var p = document.getElementById('figure-check');
  p.setAttribute('data-loaded', loaded);
  p.setAttribute('data-total', images.length);
  p.textContent = 'figures loaded: ' + loaded + ' of ' + images.length;
});
</script>
"""


# The reference on the province map (aidflow_analysis.maps): what each map shows, for its caption.
MAP_FIGURES: Tuple[Tuple[str, Callable[[List[Run]], Figure], str], ...] = (
    ("Aid, need, diversion and attacks by province", maps.overview,
     "Aid delivered (total, and per person living in the province), the share of people in "
     "need (mean over the weeks), aid diverted by all factions (local taxation and beneficiary "
     "lists; ministry capture has no province) and attacks carried out."),
    ("Diverted aid by faction", partial(maps.faction_maps, indicator="diverted"),
     "Aid each faction took in each province."),
    ("Influence by faction", partial(maps.faction_maps, indicator="influence"),
     "Each faction's influence, population-weighted over the province's districts, mean over "
     "the weeks (the scenario's influence_by_province weights are where it starts)."),
    ("Attacks by faction", partial(maps.faction_maps, indicator="attacks"),
     "Attacks each faction carried out in each province."),
)


def _province_maps(name: str, runs: List[Run]) -> List[str]:
    """The reference's runs on the province map, their mean over the whole run; a note instead
    for runs the province outlines cannot show (a synthetic country)."""
    try:
        figures = [(title, draw(runs), caption) for title, draw, caption in MAP_FIGURES]
    except ProvinceMapError as error:
        return [f"<p class='note'>No province maps: {html.escape(str(error))}</p>"]
    note = (f"Mean of the {len(runs)} runs of the {html.escape(name)} over the whole run (each "
            "title gives the weeks); each map has its own colour bar in its units. At coarse "
            "resolution a small province holds few household agents, so read the pattern, not "
            "one province.")
    return ([f"<p class='note'>{note}</p>"]
            + [_figure(title, fig, caption) for title, fig, caption in figures])


def build_report(paths: Sequence[Path], baseline: str = "status_quo", confidence: float = 0.95) -> str:
    """The report's HTML text for the runs in `paths`."""
    groups = group_runs(paths)
    if baseline not in groups:
        raise SystemExit(f"no run of scenario {baseline!r} among {len(paths)} files: "
                         f"found {sorted(groups)}")
    base = groups.pop(baseline)
    first = base[0]
    parts = [f"<h1>Aid diversion: policy options compared with the {html.escape(baseline)}</h1>",
             f"<p class='note'>Generated {_dt.datetime.utcnow():%Y-%m-%d %H:%M} UTC from "
             f"{sum(map(len, groups.values())) + len(base)} runs of aidflow. Each scenario ran with "
             f"the same seeds as the {html.escape(baseline)}; differences are paired by seed "
             f"(common random numbers) with {confidence:.0%} Student-t intervals over the pairs. "
             "These are model results under the stated assumptions, not forecasts.</p>"]
    rows = [(baseline, _description(first), len(base))] + [
        (name, _description(runs[0]), len(runs)) for name, runs in groups.items()]
    parts.append("<h2>Scenarios compared</h2>")
    parts.append(pd.DataFrame(rows, columns=["scenario", "what it changes", "runs"]).to_html(index=False, classes="scenarios"))
    parts.append("<h2>Key indicators</h2><p class='note'>Baseline: mean over its runs (money over the "
                 "whole run, stocks at the end, people reached per week on average). Other columns: "
                 f"change from the baseline, mean paired difference [{confidence:.0%} interval].</p>")
    parts.append(key_indicator_table(base, groups, confidence).to_html(classes="key", escape=False))
    parts.append(f"<h2>The {html.escape(baseline)}</h2>")
    parts.append(_figure("Where the money went", plots.money_flow(first),
                         "Donors to channels to sinks over the run; band widths are dollars."))
    parts.append(_figure("Armed groups", plots.factions(first),
                         "Treasuries, fighters and cumulative recruits of each group."))
    parts.append(_figure("Attribution gap", plots.attribution_gap(first),
                         "Attacks each group executed against those it claimed (S16)."))
    parts.append(_figure("People", plots.people(first),
                         "People in need, reached by aid, and displaced inside and abroad."))
    parts.extend(_province_maps(baseline, base))
    base_runs = open_runs(base)
    for name, runs in groups.items():
        other = open_runs(runs)
        fig = Figure(figsize=(13, 4), layout="constrained")
        left, right = fig.subplots(1, 2)
        # Axes in a size chosen by magnitude (a difference of a few hundred people is not
        # "0.0003 million people").
        plots.paired_difference(compare(base_runs, other, "aid_diverted", confidence, cumulative=True),
                                ax=left)
        plots.paired_difference(compare(base_runs, other, "people_reached", confidence), ax=right)
        parts.append(_figure(f"{name} against the {baseline}", fig,
                             "Left: cumulative aid diverted; right: people reached each week; "
                             "the shaded band is the confidence interval of the paired difference."))
    parts.append("<h2>Assumptions behind the runs</h2>")
    parts.append(_assumptions(baseline, base))
    for name, runs in groups.items():
        parts.append(_assumptions(name, runs))
    body = "\n".join(parts)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>aidflow report: policy options against the {html.escape(baseline)}</title>"
            f"<style>{STYLE}</style></head><body>{body}{CHECK}</body></html>")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m aidflow_analysis.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", type=Path, help="result files (.h5) of every scenario and seed")
    parser.add_argument("-o", "--output", type=Path, required=True, help="HTML file to write")
    parser.add_argument("--baseline", default="status_quo", help="scenario name to compare with")
    parser.add_argument("--confidence", type=float, default=0.95)
    args = parser.parse_args(argv)
    page = build_report(args.runs, args.baseline, args.confidence)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(page, encoding="utf-8")
    print(f"report: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
