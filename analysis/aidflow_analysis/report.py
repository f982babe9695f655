"""A self-contained HTML report for a policy reader, organised by the article's questions.

    /usr/bin/python3 -m aidflow_analysis.report RUN.h5|SWEEP_DIR [...] -o report.html
        [--baseline NAME] [--robustness FILE]

Runs are grouped by scenario (`scenario_name`): run files, or the kept runs of sweep directories
of one scenario each over a calibrated ensemble (`ensemble:`, what analysis/make_report.sh runs).
Replicates of a scenario are paired with its reference's by seed, and over an ensemble by draw
and seed, so that the intervals hold the calibrated values' uncertainty as well as the seeds'
(a percentile bootstrap over the draws, as `compare_table` gives it). Each question (where does the money go; what do sanctions, conditionality,
counter-ISIS aid, Pakistan pressure and hostage policy change; what does cutting aid cost people)
gets a section: the scenarios that answer it, by name, the period with dates, a table of the
outcomes it exists to move beside the common ones (the reference's value and each scenario's
paired change, with its interval and, over an ensemble, the chance that it does better), a
sentence of the result written from those numbers,
and figures of the paired differences over time. Then the robustness of the stylised facts (the
table `analysis/robustness.py` prints, when given one) and the assumptions behind the runs.
Figures are embedded as base64 PNG (the page works when moved or mailed); each carries, for a
test to read, what its axes show (`data-axes`). A small script marks on the page whether every
figure loaded (`#figure-check`).
"""
from __future__ import annotations

import argparse
import base64
import dataclasses
import datetime as _dt
import html
import io
import json
import re
import sys
import textwrap
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import xarray as xr
import yaml
from matplotlib.axis import Axis
from matplotlib.figure import Figure

from . import maps, plots
from .comparison import DRAW, ComparisonTable, as_indicator, compare, compare_table, mean_over_runs
from .errors import AidflowError, ProvinceMapError
from .run_file import Run, open_run, open_runs, overrides
from .sweep_store import open_sweep
from .units import SHARE, format_value

# What each scenario is called in the report (its file's `name:` is an identifier); a scenario
# not listed is called by its identifier.
SCENARIO_NAMES = {
    "status_quo": "the status quo",
    "budget_support": "budget support through the ministries",
    "humanitarian_monitoring": "humanitarian-only aid with third-party monitoring",
    "sanctions_us_only": "US-only sanctions on the Haqqanis' transfers",
    "sanctions_multilateral": "coalition sanctions (the US with China, Russia and Pakistan)",
    "conditionality_envoy": "multilateral conditionality with a US envoy",
    "counter_isis_aid": "counter-ISIS aid through the Interior Ministry",
    "pakistan_pressure": "pressure on Pakistan",
    "no_concessions": "US-only sanctions with no concessions to hostage-takers",
    "all_aid_cut": "all aid cut",
}

# Outcomes every section shows after the ones its question targets.
COMMON = ("aid_diverted", "attacks", "people_in_need")


@dataclass(frozen=True)
class Question:
    """One section: the question, the comparisons that answer it ((scenario, reference) pairs),
    the outcomes it exists to move (names of comparison.KEY_INDICATORS / POLICY_INDICATORS; the
    first two are drawn over time) and the stylised facts (analysis/robustness.py) it rests on."""

    key: str
    title: str
    comparisons: Tuple[Tuple[str, str], ...]
    outcomes: Tuple[str, ...]
    facts: Tuple[int, ...] = ()


QUESTIONS = (
    Question("money", "Where does the money go?",
             (("budget_support", "status_quo"), ("humanitarian_monitoring", "status_quo")),
             ("aid_diverted", "diverted_share", "aid_delivered", "diverted_haqqani",
              "treasury_haqqani", "people_reached"), (1, 3, 5)),
    Question("sanctions", "What do sanctions on the Haqqanis' ties change?",
             (("sanctions_us_only", "status_quo"), ("sanctions_multilateral", "status_quo"),
              ("sanctions_multilateral", "sanctions_us_only")),
             ("transfers_haqqani_al_qaeda", "transfers_haqqani_isis_kabul", "treasury_al_qaeda",
              "attacks_isis_kabul", "hostages"), (4,)),
    Question("conditionality", "What does conditioning aid on attacks change?",
             (("conditionality_envoy", "status_quo"),),
             ("aid_withheld", "attacks_isis_kabul", "aid_substituted", "attacks_haqqani",
              "people_reached")),
    Question("counter_isis", "What does counter-ISIS aid through the Interior Ministry change?",
             (("counter_isis_aid", "status_quo"),),
             ("fighters_isis_khorasan", "attacks_isis_kabul", "attacks_isis_khorasan",
              "treasury_haqqani", "diverted_haqqani", "external_operations_haqqani"), (2,)),
    Question("pakistan", "What does pressure on Pakistan change?",
             (("pakistan_pressure", "status_quo"),),
             ("patron_income_haqqani", "treasury_haqqani", "fighters_haqqani", "attacks_haqqani",
              "transfers_haqqani_al_qaeda"), (7,)),
    Question("hostages", "What does refusing concessions to hostage-takers change?",
             (("no_concessions", "sanctions_us_only"), ("no_concessions", "status_quo")),
             ("hostages", "transfers_haqqani_al_qaeda", "enforcement_damping", "ransom",
              "transfers_haqqani_isis_kabul"), (8,)),
    Question("aid_cut", "What does cutting aid cost people?",
             (("all_aid_cut", "status_quo"),),
             ("people_in_need", "people_reached", "need_mean", "displaced_abroad", "recruits",
              "recruits_isis_khorasan", "aid_diverted"), (6,)),
)
FIGURE_OUTCOMES = 2  # of a question's outcomes, drawn over time for each comparison


def scenario_name(scenario: str) -> str:
    return SCENARIO_NAMES.get(scenario, scenario.replace("_", " "))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _named(runs: List[Run], scenario: str) -> List[Run]:
    """The runs with the scenario's name as their label, so figure titles name the scenario,
    not the command line (the overrides are listed under the assumptions)."""
    return [dataclasses.replace(r, attrs={**r.attrs, "label": _capital(scenario_name(scenario))})
            for r in runs]


# --- figures -----------------------------------------------------------------------------------

NUMBER = re.compile(r"^[-+\u2212]?[\d,]*\.?\d*%?$")


def _axis_kind(axis: Axis) -> str:
    """What an axis shows: "dates", "numbers", "names" (ticks labelled with words: categories),
    or "none" (no ticks)."""
    if not axis.get_visible() or len(axis.get_majorticklocs()) == 0:
        return "none"
    if isinstance(axis.get_major_formatter(), (mdates.DateFormatter, mdates.ConciseDateFormatter,
                                               mdates.AutoDateFormatter)):
        return "dates"
    texts = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
    return "numbers" if all(NUMBER.match(t) for t in texts) else "names"


def axes_of(fig: Figure) -> List[Dict[str, str]]:
    """Per axes of a drawn figure: its title, and each axis's kind and label (what a reader
    needs: a numeric axis says its units, a time axis shows dates)."""
    out = []
    for ax in fig.axes:
        if not ax.axison:
            continue
        out.append({"title": ax.get_title(), "x": _axis_kind(ax.xaxis), "xlabel": ax.get_xlabel(),
                    "y": _axis_kind(ax.yaxis), "ylabel": ax.get_ylabel()})
    return out


def _figure(title: str, fig: Figure, caption: str) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else (
        fig._suptitle.get_text() if fig._suptitle else "")
    described = html.escape(json.dumps({"suptitle": suptitle, "axes": axes_of(fig)}), quote=True)
    return (f"<figure data-axes=\"{described}\"><h4>{html.escape(title)}</h4>"
            f"<img class=\"figure\" alt=\"{html.escape(title)}\" src=\"data:image/png;base64,{data}\">"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


# --- numbers -----------------------------------------------------------------------------------

def period_of(runs: List[Run]) -> str:
    """The weeks the runs cover, with dates: "2022-01-03 to 2023-12-31 (104 weeks)"."""
    run = runs[0]
    return maps._period(run, np.ones(run.indicators.sizes["time"], dtype=bool))


def _cell(value: float, low: float, high: float, units: str, sign: bool = False,
          percent: Optional[float] = None, better: Optional[float] = None) -> str:
    """A value with its interval under it, as HTML; a difference of shares is in points. Over
    an ensemble a difference also says in what share of the pairs the policy does better."""
    shown = "pp" if (sign and units == SHARE) else units
    text = format_value(value, shown, sign=sign)
    if percent is not None and np.isfinite(percent):
        text += f" ({format_value(percent, '%', sign=True)})"
    interval = ("one run: no interval" if not (np.isfinite(low) and np.isfinite(high)) else
                f"[{format_value(low, shown, sign=sign)}, {format_value(high, shown, sign=sign)}]")
    if better is not None and np.isfinite(better):
        interval += f"; better in {better:.0%} of pairs"
    return f"{html.escape(text)}<br><small>{html.escape(interval)}</small>"


def reference_values(runs: xr.Dataset, outcomes: Sequence[str], confidence: float) -> pd.DataFrame:
    """Mean, low and high over the runs (replicates; over an ensemble, draws x seeds, the
    interval a bootstrap over the draws) of each outcome's whole-run value."""
    rows = {}
    for name in outcomes:
        ind = as_indicator(name)
        title, units = ind.described_total(runs)
        mean, low, high = (float(x) for x in mean_over_runs(ind.total(runs), confidence))
        rows[name] = {"title": title, "units": units, "mean": mean, "low": low, "high": high}
    return pd.DataFrame.from_dict(rows, orient="index")


def _change(row: pd.Series) -> str:
    """What one outcome's paired difference says, in words: a direction only where the interval
    excludes zero."""
    title, d, low, high = row.name, row.difference, row.low, row.high
    units = "pp" if row.units == SHARE else row.units
    pct = (f" ({format_value(row.percent_change, '%', sign=True)})"
           if np.isfinite(row.percent_change) else "")
    if d == 0 and low == 0 and high == 0:
        return f"leaves {title} exactly as it is"
    if not (np.isfinite(low) and np.isfinite(high)):
        return f"changes {title} by {format_value(d, units, sign=True)}{pct} (one pair: no interval)"
    if low > 0:
        return f"raises {title} by {format_value(d, units)}{pct}"
    if high < 0:
        return f"lowers {title} by {format_value(-d, units)}{pct}"
    return (f"does not change {title} distinguishably ({format_value(d, units, sign=True)}, "
            f"interval {format_value(low, units, sign=True)} to "
            f"{format_value(high, units, sign=True)})")


def result_sentence(scenario: str, reference: str, table: ComparisonTable, targeted: int) -> str:
    """The result of one comparison in a sentence, written from its numbers: the direction and
    size of each targeted outcome's change where its interval excludes zero."""
    rows = table.iloc[:targeted]
    changes = [_change(row) for _, row in rows.iterrows()]
    moved = sum(1 for _, r in rows.iterrows() if r.low > 0 or r.high < 0)
    listed = "; ".join(changes[:-1]) + ("; and " if len(changes) > 1 else "") + changes[-1]
    return (f"{_capital(scenario_name(scenario))}, against {scenario_name(reference)}, "
            f"{listed}. {moved} of the {len(changes)} outcomes it targets move beyond the "
            f"{table.attrs['confidence']:.0%} interval of {_pairs(table)}.")


def _pairs(table: ComparisonTable) -> str:
    """What a comparison's pairs are: "3 paired seeds", or "24 pairs (8 draws x 3 seeds)"."""
    pairs = int(table["pairs"].min())
    if "draws" not in table.columns:
        return f"{pairs} paired seeds"
    return f"{pairs} pairs ({int(table['draws'].min())} draws x {int(table['seeds'].min())} seeds)"


# --- robustness ----------------------------------------------------------------------------------

ROBUSTNESS_ROW = re.compile(r"^\|\s*(?P<fact>(?P<number>\d+)\s[^|]*?)\s*\|\s*(?P<holds>\d+)/(?P<points>\d+)"
                            r"\s*\|\s*(?P<share>[\d.]+)\s*\|\s*$")


@dataclass(frozen=True)
class Robustness:
    """What `analysis/robustness.py SWEEP_DIR` printed: a row per fact, and where the weak fail."""

    source: str
    facts: pd.DataFrame  # columns fact, number, holds, points, share
    failures: Tuple[str, ...]


def read_robustness(path: Path) -> Robustness:
    """The table (and failure regions) `analysis/robustness.py` prints, from a file it was
    saved to; SystemExit when the file holds no such table."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SystemExit(f"error: {path}: cannot read the robustness summary: {error.strerror}")
    rows = [m.groupdict() for m in map(ROBUSTNESS_ROW.match, text.splitlines()) if m]
    if not rows:
        raise SystemExit(f"error: {path}: no robustness table (the Markdown `| fact | holds at | "
                         "share |` that analysis/robustness.py SWEEP_DIR prints)")
    facts = pd.DataFrame(rows).astype({"number": int, "holds": int, "points": int, "share": float})
    failures = tuple(line[2:].strip() for line in text.splitlines() if line.startswith("- "))
    return Robustness(str(path.name), facts, failures)


def _robustness_section(robustness: Optional[Robustness]) -> str:
    head = "<section id='robustness'><h2>Robustness of the stylised facts</h2>"
    if robustness is None:
        return (head + "<p class='missing'><strong>No robustness summary was given</strong>, so "
                "this report does not show whether the stylised facts hold over the ranges of "
                "the assumptions. To include it: run <code>aidflow sweep "
                "scenarios/sweeps/robustness.yaml -o out/robustness --keep-runs</code>, then "
                "<code>AIDFLOW_REPORT_ROBUSTNESS=out/robustness bash analysis/make_report.sh"
                "</code> (or pass <code>--robustness FILE</code>, the output of "
                "<code>analysis/robustness.py out/robustness</code>).</p></section>")
    table = robustness.facts.assign(**{"holds at": [f"{h} of {p} points" for h, p in zip(
        robustness.facts.holds, robustness.facts.points)]})[["fact", "holds at", "share"]]
    notes = "".join(f"<li>{html.escape(f)}</li>" for f in robustness.failures)
    return (head + f"<p class='note'>From {html.escape(robustness.source)} (analysis/robustness.py "
            "over the robustness sweep): the share of sampled points of the assumptions where "
            "each fact holds, judged on the mean of the paired replicates at each point.</p>"
            f"<div class='scroll'>{table.to_html(index=False, classes='facts')}</div>"
            + (f"<p class='note'>Where the weaker facts fail:</p><ul>{notes}</ul>" if notes else "")
            + "</section>")


def _facts_note(question: Question, robustness: Optional[Robustness]) -> str:
    if not question.facts:
        return ""
    if robustness is None:
        return (f"<p class='note'>Stylised fact {', '.join(map(str, question.facts))}: no "
                "robustness summary was given (see the robustness section).</p>")
    rows = robustness.facts[robustness.facts.number.isin(question.facts)]
    said = "; ".join(f"{r.fact}: holds at {r.holds} of {r.points} sampled points"
                     for r in rows.itertuples())
    absent = sorted(set(question.facts) - set(rows.number))
    if absent:
        said += ("; " if said else "") + (f"stylised fact {', '.join(map(str, absent))}: the "
                                          f"summary ({robustness.source}) has no row for it")
    return f"<p class='note'>Robustness: {html.escape(said)}.</p>"


# --- sections ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Arm:
    """One scenario's runs in (draw, seed) order, with the ensemble draw each ran with (None for
    a run on the scenario's own values)."""

    runs: List[Run]
    draws: List[Optional[int]]

    @property
    def over_ensemble(self) -> bool:
        return all(d is not None for d in self.draws)

    def stacked(self) -> xr.Dataset:
        """The runs stacked along `run`, with their `draw` over an ensemble (so comparisons pair
        by draw and seed)."""
        stacked = open_runs(self.runs)
        return stacked.assign_coords({DRAW: ("run", self.draws)}) if self.over_ensemble else stacked


def _sweep_members(directory: Path) -> List[Tuple[Optional[int], Run]]:
    """The kept runs of a sweep of one scenario (over an ensemble, or replicates alone), each
    with its draw; a sweep whose runs differ by anything else is refused."""
    sweep = open_sweep(directory)
    index = sweep.complete
    if index.empty:
        raise SystemExit(f"{directory}: the sweep has no complete run")
    varied = [p for p in sweep.parameters if p != DRAW and index[p].nunique() > 1]
    if varied:
        raise SystemExit(f"{directory}: its runs differ by {', '.join(varied)}: the report takes "
                         "sweeps of one scenario each (over an ensemble, or replicates)")
    draws = index[DRAW].astype(int).tolist() if DRAW in index.columns else [None] * len(index)
    try:
        return [(draw, sweep.run(int(r))) for draw, r in zip(draws, index.index)]
    except AidflowError as error:
        raise SystemExit(f"{error} (the report reads the runs' files: sweep with --keep-runs)")


def read_arms(paths: Sequence[Path]) -> Dict[str, Arm]:
    """Runs by scenario name, from run files and sweep directories, each scenario's runs sorted
    by draw and seed. A scenario's runs are all over an ensemble or none is."""
    members: Dict[str, List[Tuple[Optional[int], Run]]] = defaultdict(list)
    for path in map(Path, paths):
        found = _sweep_members(path) if path.is_dir() else [(None, open_run(path))]
        for draw, run in found:
            members[str(run.attrs["scenario_name"])].append((draw, run))
    arms = {}
    for name, found in members.items():
        found.sort(key=lambda m: (-1 if m[0] is None else m[0], m[1].seed))
        arm = Arm([run for _, run in found], [draw for draw, _ in found])
        if not arm.over_ensemble and any(d is not None for d in arm.draws):
            raise SystemExit(f"scenario {name!r}: some runs are over an ensemble and some are "
                             "not; give one kind")
        arms[name] = arm
    return arms


@dataclass(frozen=True)
class Design:
    """How the reference ran: its seeds, and the ensemble's draws (0: its own values)."""

    seeds: int
    draws: int

    @staticmethod
    def of(arm: Arm) -> "Design":
        return Design(len({r.seed for r in arm.runs}),
                      len(set(arm.draws)) if arm.over_ensemble else 0)

    @property
    def intervals(self) -> str:
        """What the intervals hold, for the page."""
        if self.draws:
            return (f"The intervals hold the model's random draws and the uncertainty of the "
                    f"values calibrated to the dated record: every scenario ran on the same "
                    f"{self.draws} draws of the calibrated ensemble (docs/CALIBRATION.md) with "
                    f"the same {self.seeds} seeds, differences are paired by draw and seed, and "
                    f"each interval is a percentile bootstrap over the draws. The other "
                    f"assumptions are held at their values (the robustness of the stylised "
                    f"facts samples them).")
        return ("The intervals cover the model's random draws only (seeds): these runs did not "
                "use the calibrated ensemble, which adds the uncertainty of the calibrated "
                "values (analysis/make_report.sh runs over it unless AIDFLOW_REPORT_DRAWS=0; "
                "docs/UNCERTAINTY.md).")

    @property
    def runs(self) -> str:
        """The reference's runs in words: "3 seeds", "8 draws x 3 seeds"."""
        seeds = f"{self.seeds} seed{'s' if self.seeds != 1 else ''}"
        return f"{self.draws} draws x {seeds}" if self.draws else seeds


def _description(run: Run) -> str:
    try:
        return str(yaml.safe_load(run.scenario).get("description", "")).strip()
    except yaml.YAMLError:
        return ""


def _outcome_table(question: Question, outcomes: List[str], reference: pd.DataFrame,
                   tables: List[Tuple[str, str, ComparisonTable]], baseline: str) -> str:
    """Rows the outcomes (the targeted ones marked), columns the baseline's value and each
    comparison's paired change, every cell with its interval."""
    head = ("<tr><th>outcome</th><th>" + html.escape(_capital(scenario_name(baseline)))
            + "<br><small>mean [interval]</small></th>"
            + "".join(f"<th>{html.escape(_capital(scenario_name(s)))}<br><small>minus "
                      f"{html.escape(scenario_name(r))}</small></th>" for s, r, _ in tables)
            + "</tr>")
    body = []
    for i, name in enumerate(outcomes):
        ref = reference.loc[name]
        targeted = name in question.outcomes
        cells = [_cell(ref["mean"], ref["low"], ref["high"], ref["units"])]
        for _, _, table in tables:
            row = table.iloc[i]
            cells.append(_cell(row.difference, row.low, row.high, row.units, sign=True,
                               percent=row.percent_change, better=row.get("p_beats")))
        mark = " class='targeted'" if targeted else ""
        body.append(f"<tr data-outcome='{name}'{mark}><th>{html.escape(ref['title'])}"
                    f"{'' if targeted else ' <small>(common)</small>'}</th>"
                    + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (f"<div class='scroll'><table class='outcomes'><thead>{head}</thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _difference_figure(scenario: str, reference: str, runs_a: xr.Dataset, runs_b: xr.Dataset,
                       outcomes: Sequence[str], confidence: float) -> str:
    """The first outcomes' paired differences over time, side by side (flows cumulated)."""
    fig = Figure(figsize=(12, 3.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(outcomes)))
    pairs = ""
    for ax, name in zip(axes, outcomes):
        flow = as_indicator(name).kind == "flow"
        c = compare(runs_a, runs_b, name, confidence, cumulative=flow)
        plots.paired_difference(c, ax=ax)
        ax.set_title(textwrap.fill(f"{c.attrs['indicator']}{', since the start' if flow else ''}",
                                   48), fontsize=10)  # the scenarios are named once, above
        pairs = (f"{c.attrs['draws']} draws x {c.attrs['seeds']} seeds" if "draws" in c.attrs
                 else f"{c.attrs['pairs']} seeds")
    fig.suptitle(textwrap.fill(f"{_capital(scenario_name(scenario))} minus "
                               f"{scenario_name(reference)}: paired difference, "
                               f"{confidence:.0%} interval over {pairs}", 110))
    return _figure(f"{_capital(scenario_name(scenario))} against {scenario_name(reference)}", fig,
                   "The line is the mean paired difference, the shaded band its interval; a band "
                   "that straddles zero means the runs cannot tell the two scenarios apart. "
                   "Money and counts that flow (transfers, attacks) are summed since the start.")


def _question_section(question: Question, groups: Dict[str, List[Run]], stacked: Dict[str, xr.Dataset],
                      baseline: str, confidence: float, robustness: Optional[Robustness],
                      design: Design, extra: str = "") -> str:
    present = [(s, r) for s, r in question.comparisons if s in groups and r in groups]
    if not present and not extra:
        return ""
    outcomes = list(question.outcomes) + [c for c in COMMON if c not in question.outcomes]
    period = period_of(groups[baseline])
    tables = [(s, r, compare_table(stacked[r], stacked[s], outcomes, confidence))
              for s, r in present]
    reference = reference_values(stacked[baseline], outcomes, confidence)
    names = "".join(f"<li><strong>{html.escape(_capital(scenario_name(s)))}</strong> "
                    f"(<code>{html.escape(s)}</code>): {html.escape(_description(groups[s][0]))} "
                    f"Compared with {html.escape(scenario_name(r))}.</li>" for s, r in present)
    parts = [f"<section id='q-{question.key}' data-scenarios='{' '.join(s for s, _ in present)}'>",
             f"<h2>{html.escape(question.title)}</h2>",
             f"<p class='period'>Period: <strong>{html.escape(period)}</strong>; weekly steps.</p>"]
    if names:
        parts.append(f"<ul class='scenarios'>{names}</ul>")
        parts.append("<div class='result'>" + "".join(
            f"<p>{html.escape(result_sentence(s, r, t, len(question.outcomes)))}</p>"
            for s, r, t in tables) + "</div>")
    parts.append(_outcome_table(question, outcomes, reference, tables, baseline))
    interval = ("bootstrap interval over the draws" if design.draws
                else "Student's t interval over seeds")
    parts.append(f"<p class='note'>Outcomes this question targets first, then the common ones. "
                 f"Money in US dollars over the period (stocks: at the end; levels: mean over the "
                 f"weeks). {_capital(scenario_name(baseline))}: mean over its runs "
                 f"({design.runs}) with its {confidence:.0%} {interval}; other columns: mean "
                 f"paired difference (percent of the reference) with its {confidence:.0%} "
                 f"{interval}{', and the share of pairs where the proposal does better' if design.draws else ''}."
                 f" {design.intervals}</p>")
    parts.append(_facts_note(question, robustness))
    parts.append(extra)
    for s, r in present:
        parts.append(_difference_figure(s, r, stacked[r], stacked[s],
                                        question.outcomes[:FIGURE_OUTCOMES], confidence))
    parts.append("</section>")
    return "\n".join(parts)


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
    note = (f"Mean of the {len(runs)} runs of {html.escape(scenario_name(name))} over the whole "
            "run (each title gives the dates); each map has its own colour bar in its units. At "
            "coarse resolution a small province holds few household agents, so read the "
            "pattern, not one province.")
    return ([f"<h3>On the map</h3><p class='note'>{note}</p>"]
            + [_figure(title, fig, caption) for title, fig, caption in figures])


def _baseline_figures(name: str, runs: List[Run]) -> str:
    """Where the reference's money went and what it did, the mean of its replicates with bands."""
    runs = _named(runs, name)
    said = f"mean of its {len(runs)} runs; shaded bands: {plots.CONFIDENCE:.0%} interval over its runs"
    parts = [f"<h3>{html.escape(_capital(scenario_name(name)))}, figure by figure</h3>",
             _figure("Where the money went", plots.money_flow(runs),
                     f"Donors to channels to where it ended, over the period; band widths are "
                     f"dollars ({said.split(';')[0]})."),
             _figure("Aid flows per week", plots.aid_flows(runs),
                     f"Delivered, overhead and diverted aid per week, stacked ({said})."),
             _figure("Armed groups", plots.factions(runs),
                     f"Treasuries, fighters and cumulative recruits of each group ({said})."),
             _figure("Attribution gap", plots.attribution_gap(runs),
                     "Attacks each group executed against those it claimed over the period (S16; "
                     "error bars: interval over its runs)."),
             _figure("People", plots.people(runs),
                     f"People in need, reached by aid, and displaced inside and abroad ({said}).")]
    parts.extend(_province_maps(name, runs))
    return "\n".join(parts)


def _shared_overrides(runs: List[Run]) -> List[str]:
    """The overrides every run has (a draw's own values differ from run to run)."""
    shared = [o for o in overrides(runs[0].attrs) if not o.startswith("--seed")]
    for run in runs[1:]:
        theirs = set(overrides(run.attrs))
        shared = [o for o in shared if o in theirs]
    return shared


def _assumptions(name: str, arm: Arm) -> str:
    runs = arm.runs
    attrs = runs[0].attrs
    rows = {
        "scenario file": attrs.get("scenario_file", ""),
        "what it is": _description(runs[0]),
        "seeds": ", ".join(str(s) for s in sorted({r.seed for r in runs})),
        "period": period_of(runs),
        "overrides": "; ".join(_shared_overrides(runs)) or "none",
        "aidflow": f"{attrs.get('aidflow_version', '')} ({attrs.get('git_commit', '')})",
    }
    if arm.over_ensemble:
        drawn = sorted({o.split("=", 1)[0] for r in runs for o in overrides(r.attrs)}
                       - {o.split("=", 1)[0] for o in _shared_overrides(runs)})
        rows["calibrated ensemble"] = (f"draws {', '.join(str(d) for d in sorted({d for d in arm.draws if d is not None}))}"
                                       f" of the calibration's posterior, each setting "
                                       f"{', '.join(drawn)}")
    cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows.items())
    return (f"<h3>{html.escape(_capital(scenario_name(name)))} (<code>{html.escape(name)}</code>)"
            f"</h3><div class='scroll'><table class='meta'>{cells}</table></div>"
            f"<details><summary>effective scenario (YAML, as the run saw it)</summary>"
            f"<pre>{html.escape(runs[0].scenario)}</pre></details>")


STYLE = """
* { box-sizing: border-box; }
body { font-family: sans-serif; max-width: 1180px; margin: 1.5em auto; padding: 0 1.5em;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
nav ol { columns: 2; }
.scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.8em 0; max-width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; vertical-align: top; overflow-wrap: break-word; }
td { text-align: right; } thead th { text-align: center; background: #f4f4f4; }
tbody th, table.meta th { text-align: left; font-weight: normal; }
table.outcomes { width: 100%; } table.outcomes tbody th { width: 22%; }
tr.targeted th { font-weight: bold; } small { color: #555; }
table.meta td, table.facts td:first-child, table.scenarios td { text-align: left; }
figure { margin: 1.2em 0; max-width: 100%; break-inside: avoid; }
img.figure { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption, .note { color: #555; font-size: 0.9em; }
.result { background: #f3f7fb; border-left: 4px solid #4a7fb0; padding: 0 0.8em; }
.missing { background: #fff4e5; border-left: 4px solid #d08a00; padding: 0.5em 0.8em; }
pre { font-size: 0.75em; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
code { overflow-wrap: anywhere; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  .scroll { overflow: visible; } table { font-size: 8pt; }
  section, figure, table { break-inside: avoid-page; } h2 { break-after: avoid; }
  details { display: none; }
}
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


def build_report(paths: Sequence[Path], baseline: str = "status_quo", confidence: float = 0.95,
                 robustness: Optional[Robustness] = None) -> str:
    """The report's HTML text for the runs in `paths` (run files and sweep directories)."""
    arms = read_arms(paths)
    if baseline not in arms:
        raise SystemExit(f"no run of scenario {baseline!r} among {len(paths)} inputs: "
                         f"found {sorted(arms)}")
    mixed = sorted(n for n, a in arms.items() if a.over_ensemble != arms[baseline].over_ensemble)
    if mixed:
        raise SystemExit(f"{', '.join(mixed)} and {baseline} differ: runs over the calibrated "
                         "ensemble pair only with runs over it (give every scenario as a sweep "
                         "over the same draws, or every one as run files)")
    order = [baseline] + [s for q in QUESTIONS for pair in q.comparisons for s in pair]
    arms = {name: arms[name] for name in
            sorted(arms, key=lambda n: order.index(n) if n in order else len(order))}
    groups = {name: arm.runs for name, arm in arms.items()}
    stacked = {name: arm.stacked() for name, arm in arms.items()}
    design = Design.of(arms[baseline])
    base = groups[baseline]
    period = period_of(base)
    answered = {s for q in QUESTIONS for pair in q.comparisons for s in pair}
    others = [s for s in groups if s not in answered]
    questions = list(QUESTIONS) + ([Question("other", "Other scenarios",
                                             tuple((s, baseline) for s in others),
                                             ("aid_diverted", "people_reached"))] if others else [])
    sections = [_question_section(q, groups, stacked, baseline, confidence, robustness, design,
                                  _baseline_figures(baseline, base) if q.key == "money" else "")
                for q in questions]
    contents = "".join(f"<li><a href='#q-{q.key}'>{html.escape(q.title)}</a></li>"
                       for q, s in zip(questions, sections) if s)
    rows = "".join(f"<tr><td>{html.escape(_capital(scenario_name(name)))}</td><td><code>"
                   f"{html.escape(name).replace('_', '_<wbr>')}</code></td><td>"
                   f"{html.escape(_description(runs[0]))}</td><td>{len(runs)}</td></tr>"
                   for name, runs in groups.items())
    parts = [f"<h1>Aid diversion in Afghanistan: what each proposal changes, against "
             f"{html.escape(scenario_name(baseline))}</h1>",
             f"<p class='note'>Generated {_dt.datetime.utcnow():%Y-%m-%d %H:%M} UTC from "
             f"{sum(map(len, groups.values()))} runs of aidflow over <strong>{html.escape(period)}"
             f"</strong>. Each scenario ran with the same {design.runs} as its reference; "
             f"differences are paired run by run (common random numbers) with {confidence:.0%} "
             f"intervals. {design.intervals} These are model results under the stated "
             "assumptions, not forecasts.</p>",
             f"<nav><h2>Questions</h2><ol>{contents}<li><a href='#robustness'>Robustness of the "
             "stylised facts</a></li><li><a href='#assumptions'>Assumptions behind the runs</a>"
             "</li></ol></nav>",
             "<h2>Scenarios compared</h2><div class='scroll'><table class='scenarios'><thead><tr>"
             "<th>scenario</th><th>name in the files</th><th>what it changes</th><th>runs</th>"
             f"</tr></thead><tbody>{rows}</tbody></table></div>"]
    parts.extend(s for s in sections if s)
    parts.append(_robustness_section(robustness))
    parts.append("<section id='assumptions'><h2>Assumptions behind the runs</h2>")
    parts.extend(_assumptions(name, arm) for name, arm in arms.items())
    parts.append("</section>")
    body = "\n".join(parts)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>aidflow report: policy options against {html.escape(scenario_name(baseline))}"
            f"</title><style>{STYLE}</style></head><body>{body}{CHECK}</body></html>")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m aidflow_analysis.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", type=Path,
                        help="result files (.h5) of every scenario and seed, or sweep directories "
                             "of one scenario each over the same ensemble draws (kept runs)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="HTML file to write")
    parser.add_argument("--baseline", default="status_quo", help="scenario name to compare with")
    parser.add_argument("--confidence", type=float, default=0.95)
    parser.add_argument("--robustness", type=Path, default=None,
                        help="what analysis/robustness.py SWEEP_DIR printed, saved to a file")
    args = parser.parse_args(argv)
    robustness = read_robustness(args.robustness) if args.robustness is not None else None
    page = build_report(args.runs, args.baseline, args.confidence, robustness)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(page, encoding="utf-8")
    print(f"report: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
