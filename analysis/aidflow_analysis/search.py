"""Robust policy search: a Pareto front of lever settings, by NSGA-II (Deb et al. 2002, through
Debian's python3-deap), each setting judged over an ensemble of worlds.

A search file (YAML) names a scenario, the **levers** (entries as in a sweep file: `path` or
`name` with `paths`, and `range: [low, high]` with an optional `scale: log`, or `values: [...]`,
or `levels: {name: [PATH=VALUE, ...]}`), the **objectives** (a declared outcome, docs/OUTCOMES.md,
to `minimize` or `maximize`, reduced over the runs of a setting by their `mean` or a
`quantile: q`), and what a setting is judged over: `replicates` seeds, and optionally
`uncertainties` (sweep parameters) sampled by `design` (a Latin hypercube, say), so that every
setting runs on the same draws and the same seeds (common random numbers):

    name: monitoring_and_channels
    scenario: ../status_quo.yaml
    set: [run.households=500, run.steps=26]
    levers:
      - path: policy.monitoring.third_party
        range: [0, 0.8]
      - name: usa_national_ngo        # the US's national-NGO share, taken from its INGO share
        paths:
          - donors[usa].channels.national_ngo
          - path: donors[usa].channels.international_ngo
            scale: -1
            offset: 0.37
        range: [0, 0.17]
    objectives:
      - {name: diverted, outcome: sum(aid_diverted), direction: minimize}
      - {name: reached, outcome: mean(people_reached), direction: maximize, quantile: 0.1}
    replicates: 2
    seed: 1
    population: 12                     # a multiple of 4
    generations: 4

Each generation's new settings are run as one sweep in this process (`aidflow_analysis.sweep`:
a levels factor with one level per setting, crossed with the uncertainties' design, `replicates`
seeds each). The search is deterministic for its `seed` (deap draws from Python's `random`,
seeded here and restored after). Money objectives are in dollars.

    /usr/bin/python3 -m aidflow_analysis.search SEARCH.yaml -o DIR [--workers N]
    /usr/bin/python3 -m aidflow_analysis.search SEARCH.yaml -o DIR2 --rerun DIR/front.csv

writes DIR/front.csv (the Pareto front: each point's levers, objectives, and its `--set`
settings), DIR/evaluations.csv (every setting evaluated, by generation), DIR/search.yaml (the
search file as read) and DIR/front.png; `--rerun` evaluates the settings of a front file again
(the same seeds: the same numbers) and writes them as DIR2/front.csv.
"""
from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
import yaml

from .errors import AidflowInputError
from .study_file import fail, read_mapping, scenario_of
from .units import CENTS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WORST = sys.float_info.max  # the fitness of a setting whose runs failed (finite: crowding stays defined)
CROSSOVER = 0.9             # chance that a pair of parents is crossed (Deb et al.'s setting)
ETA = 20.0                  # SBX crossover and polynomial mutation distribution index


@dataclass(frozen=True)
class Lever:
    """A lever: a gene in [0, 1] decoded to a value in `[low, high]` (log-uniform with `log`),
    or to one of `choices` (values, or names of override sets in `overrides`)."""

    name: str
    entry: Dict[str, Any]  # the sweep-file entry (path or paths), without range/values/levels
    low: float = 0.0
    high: float = 1.0
    log: bool = False
    choices: Tuple[Any, ...] = ()
    overrides: Optional[Dict[str, List[str]]] = None  # for `levels`: name -> PATH=VALUE list

    def decode(self, gene: float) -> Any:
        if self.choices:
            return self.choices[min(int(gene * len(self.choices)), len(self.choices) - 1)]
        if self.log:
            return math.exp(math.log(self.low) + gene * (math.log(self.high) - math.log(self.low)))
        return self.low + gene * (self.high - self.low)

    def settings(self, value: Any) -> List[str]:
        """The PATH=VALUE overrides this lever at `value` makes (each path's scale and offset)."""
        if self.overrides is not None:
            return list(self.overrides[str(value)])
        out = []
        for entry in self.entry.get("paths") or [self.entry["path"]]:
            if isinstance(entry, dict):
                x = float(value) * float(entry.get("scale", 1.0)) + float(entry.get("offset", 0.0))
                out.append(f"{entry['path']}={x!r}")
            else:
                out.append(f"{entry}={_yaml_value(value)}")
        return out

    def parse(self, text: Any) -> Any:
        """A value as a front file holds it (for --rerun)."""
        if not self.choices:
            return float(text)
        for choice in self.choices:
            if str(choice) == str(text):
                return choice
        raise AidflowInputError(f"lever {self.name}: {text!r} is not one of "
                                f"{', '.join(map(str, self.choices))}")


def _yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Objective:
    """An outcome to minimize or maximize, reduced over a setting's runs by the mean, or by a
    quantile when `quantile` is given (0.9 of a cost: what is exceeded in one world of ten)."""

    name: str
    outcome: str = ""
    maximize: bool = False
    quantile: Optional[float] = None

    def reduce(self, values: np.ndarray) -> float:
        if values.size == 0 or np.isnan(values).any():
            return math.nan
        return float(np.mean(values) if self.quantile is None else np.quantile(values, self.quantile))

    @property
    def described(self) -> str:
        how = "mean" if self.quantile is None else f"{self.quantile:g} quantile"
        return f"{'maximize' if self.maximize else 'minimize'} the {how} of {self.outcome or self.name}"


@dataclass(frozen=True)
class Search:
    """A search file, read and checked."""

    path: Path
    name: str
    scenario: Path
    settings: List[str]
    levers: List[Lever]
    objectives: List[Objective]
    uncertainties: List[Dict[str, Any]]
    design: Optional[Dict[str, Any]]
    replicates: int
    seed: int
    population: int
    generations: int


Evaluate = Callable[[List[Dict[str, Any]]], np.ndarray]  # settings -> (n, objectives) values


# ---------------------------------------------------------------------------------------------
# NSGA-II: the same loop for a Python function (tests: a known front) and for the sweep engine.

def _toolbox(objectives: Sequence[Objective], genes: int) -> Tuple[Any, type]:
    from deap import base, tools

    fitness = type("Fitness", (base.Fitness,), {"weights": tuple(1.0 if o.maximize else -1.0
                                                                   for o in objectives)})

    class Individual(list):
        def __init__(self, values: Sequence[float]):
            super().__init__(values)
            self.fitness = fitness()

    box = base.Toolbox()
    box.register("mate", tools.cxSimulatedBinaryBounded, eta=ETA, low=0.0, up=1.0)
    box.register("mutate", tools.mutPolynomialBounded, eta=ETA, low=0.0, up=1.0, indpb=1.0 / genes)
    return box, Individual


@dataclass
class Front:
    """Every setting evaluated (with its generation) and the last population's Pareto front."""

    levers: List[Lever]
    objectives: List[Objective]
    evaluations: pd.DataFrame
    front: pd.DataFrame


def nsga2(levers: Sequence[Lever], objectives: Sequence[Objective], evaluate: Evaluate,
          population: int, generations: int, seed: int, progress: bool = False) -> Front:
    """NSGA-II over `levers`: `population` settings (a multiple of 4) for `generations`
    generations, binary tournament on rank and crowding, SBX crossover and polynomial mutation
    on the genes in [0, 1]; `evaluate` gets the decoded settings of each generation's new
    individuals at once. A setting already evaluated is not evaluated again."""
    from deap import tools

    if population < 4 or population % 4:
        raise AidflowInputError(f"population: expected a multiple of 4 (NSGA-II's tournament), got {population}")
    state = random.getstate()
    random.seed(seed)
    try:
        box, individual = _toolbox(objectives, len(levers))
        known: Dict[Tuple[Any, ...], Tuple[float, ...]] = {}
        rows: List[Dict[str, Any]] = []

        def decoded(ind: Sequence[float]) -> Dict[str, Any]:
            return {lever.name: lever.decode(g) for lever, g in zip(levers, ind)}

        def assess(individuals: List[Any], generation: int) -> None:
            settings = [decoded(ind) for ind in individuals]
            keys = [tuple(s.values()) for s in settings]
            new = list(dict.fromkeys(k for k in keys if k not in known))
            if new:
                firsts = [settings[keys.index(k)] for k in new]
                values = np.asarray(evaluate(firsts), dtype=float).reshape(len(new), len(objectives))
                for key, setting, row in zip(new, firsts, values):
                    known[key] = tuple(row)
                    rows.append({"generation": generation, **setting,
                                 **{o.name: v for o, v in zip(objectives, row)}})
            for ind, key in zip(individuals, keys):
                ind.fitness.values = tuple(_fitness(v, o) for v, o in zip(known[key], objectives))
            if progress:
                print(f"generation {generation}: {len(new)} settings run", file=sys.stderr, flush=True)

        pop = [individual([random.random() for _ in levers]) for _ in range(population)]
        assess(pop, 0)
        pop = tools.selNSGA2(pop, population)  # assigns the crowding distance the tournament uses
        for generation in range(1, generations + 1):
            offspring = [individual(list(ind)) for ind in tools.selTournamentDCD(pop, population)]
            for a, b in zip(offspring[::2], offspring[1::2]):
                if random.random() <= CROSSOVER:
                    box.mate(a, b)
                box.mutate(a)
                box.mutate(b)
            assess(offspring, generation)
            pop = tools.selNSGA2(pop + offspring, population)
        best = tools.sortNondominated(pop, population, first_front_only=True)[0]
    finally:
        random.setstate(state)
    evaluations = pd.DataFrame(rows)
    front = pd.DataFrame([{**decoded(ind), **{o.name: v for o, v in zip(objectives, known[tuple(decoded(ind).values())])}}
                          for ind in best]).drop_duplicates()
    front = front.sort_values([o.name for o in objectives]).reset_index(drop=True)
    return Front(list(levers), list(objectives), evaluations, front)


def _fitness(value: float, objective: Objective) -> float:
    """A value as deap ranks it: a failed setting (NaN) is the worst there is."""
    if math.isnan(value):
        return -WORST if objective.maximize else WORST
    return value


def generational_distance(found: np.ndarray, reference: np.ndarray) -> float:
    """The mean, over the points found, of the distance to the nearest point of the reference
    front (Van Veldhuizen and Lamont 1998, with p = 1)."""
    distances = np.sqrt(((found[:, None, :] - reference[None, :, :]) ** 2).sum(-1)).min(1)
    return float(distances.mean())


# ---------------------------------------------------------------------------------------------
# The search file and the sweep engine.


def _whole(path: Path, raw: Dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        fail(path, key, f"expected a whole number from {low} to {high}, got {value!r}")
    return int(value)


def _lever(path: Path, i: int, raw: Any) -> Lever:
    key = f"levers[{i}]"
    if not isinstance(raw, dict):
        fail(path, key, "expected a mapping (a sweep file's parameter: path or paths, and "
                         "range, values or levels)")
    kinds = [k for k in ("range", "values", "levels") if k in raw]
    if len(kinds) != 1:
        fail(path, key, f"expected exactly one of range, values or levels, got {kinds or 'none'}")
    if "levels" not in raw and not (raw.get("path") or raw.get("paths")):
        fail(path, key, "expected path: or paths:")
    name = str(raw.get("name") or str(raw.get("path", "")).split(".")[-1])
    if not name:
        fail(path, f"{key}.name", "a lever with paths: or levels: needs a name")
    entry = {k: v for k, v in raw.items() if k in ("path", "paths")}
    if "range" in raw:
        bounds = raw["range"]
        if (not isinstance(bounds, list) or len(bounds) != 2
                or not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds)
                or not bounds[0] < bounds[1]):
            fail(path, f"{key}.range", f"expected [low, high] with low < high, got {bounds!r}")
        log = raw.get("scale", "linear") == "log"
        if log and bounds[0] <= 0:
            fail(path, f"{key}.range", "a log scale needs a range above zero")
        return Lever(name, entry, float(bounds[0]), float(bounds[1]), log)
    if "values" in raw:
        values = raw["values"]
        if not isinstance(values, list) or len(values) < 2:
            fail(path, f"{key}.values", f"expected a list of at least two values, got {values!r}")
        return Lever(name, entry, choices=tuple(values))
    levels = raw["levels"]
    if (not isinstance(levels, dict) or len(levels) < 2
            or not all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in levels.values())):
        fail(path, f"{key}.levels", "expected at least two names, each a list of PATH=VALUE strings")
    return Lever(name, entry, choices=tuple(map(str, levels)),
                 overrides={str(k): list(v) for k, v in levels.items()})


def _objective(path: Path, i: int, raw: Any) -> Objective:
    key = f"objectives[{i}]"
    if not isinstance(raw, dict) or not {"name", "outcome", "direction"} <= set(raw):
        fail(path, key, "expected a mapping with name, outcome and direction (and quantile)")
    unknown = sorted(set(raw) - {"name", "outcome", "direction", "quantile"})
    if unknown:
        fail(path, f"{key}.{unknown[0]}", "unknown key (expected name, outcome, direction or quantile)")
    if raw["direction"] not in ("minimize", "maximize"):
        fail(path, f"{key}.direction", f"expected minimize or maximize, got {raw['direction']!r}")
    q = raw.get("quantile")
    if q is not None and (isinstance(q, bool) or not isinstance(q, (int, float)) or not 0 <= q <= 1):
        fail(path, f"{key}.quantile", f"expected a number from 0 to 1, got {q!r}")
    return Objective(str(raw["name"]), str(raw["outcome"]), raw["direction"] == "maximize",
                     None if q is None else float(q))


KEYS = {"name", "scenario", "set", "levers", "objectives", "uncertainties", "design",
        "replicates", "seed", "population", "generations"}


def load_search(path: Path) -> Search:
    """Reads and checks a search file; an error names the file and the key."""
    path = Path(path)
    raw = read_mapping(path, "search", KEYS)
    scenario = scenario_of(path, raw)
    for key in ("levers", "objectives"):
        if not isinstance(raw.get(key), list) or not raw[key]:
            fail(path, key, "expected a list of at least one entry")
    settings = raw.get("set", [])
    if not isinstance(settings, list) or not all(isinstance(s, str) for s in settings):
        fail(path, "set", "expected a list of PATH=VALUE strings")
    uncertainties = raw.get("uncertainties", [])
    if not isinstance(uncertainties, list):
        fail(path, "uncertainties", "expected a list of sweep parameters")
    design = raw.get("design")
    if design is not None and not isinstance(design, dict):
        fail(path, "design", "expected a sweep file's design mapping")
    if uncertainties and design is None:
        fail(path, "design", "uncertainties need a design to sample them (e.g. {kind: latin_hypercube, points: 8, seed: 1})")
    levers = [_lever(path, i, r) for i, r in enumerate(raw["levers"])]
    objectives = [_objective(path, i, r) for i, r in enumerate(raw["objectives"])]
    population = _whole(path, raw, "population", 20, 4, 10000)
    if population % 4:
        fail(path, "population", f"expected a multiple of 4 (NSGA-II's tournament), got {population}")
    return Search(path, str(raw.get("name", path.stem)), scenario, list(settings), levers,
                  objectives, list(uncertainties), design,
                  _whole(path, raw, "replicates", 2, 1, 100000), _whole(path, raw, "seed", 1, 0, 2**31),
                  population, _whole(path, raw, "generations", 10, 0, 10000))


def sweep_file(search: Search, settings: List[Dict[str, Any]], tag: str) -> Dict[str, Any]:
    """The sweep that evaluates `settings`: one level of the factor `setting` per setting
    (crossed with the draws of `design`, if any: the uncertainties it samples, or an ensemble
    design of the sweep engine), `replicates` seeds each."""
    levels = {f"s{i}": [s for lever in search.levers for s in lever.settings(setting[lever.name])]
              for i, setting in enumerate(settings)}
    factor: Dict[str, Any] = {"name": "setting", "levels": levels}
    sweep: Dict[str, Any] = {"name": f"{search.name}_{tag}", "scenario": str(search.scenario),
                             "set": search.settings}
    if search.design is not None:  # the draws: sampled uncertainties, or an ensemble design
        factor["crossed"] = True
        sweep["design"] = search.design
    sweep["parameters"] = [*search.uncertainties, factor]
    sweep.update(replicates=search.replicates, seed=search.seed, default_outcomes=False,
                 outcomes={o.name: o.outcome for o in search.objectives})
    return sweep


def sweep_evaluator(search: Search, workers: int = 0) -> Evaluate:
    """Runs settings through the sweep engine in this process; each objective is reduced over a
    setting's runs (draws x seeds); a setting with a failed run gets NaN."""
    from .inprocess import sweep

    calls = [0]

    def evaluate(settings: List[Dict[str, Any]]) -> np.ndarray:
        calls[0] += 1
        with tempfile.TemporaryDirectory(prefix="aidflow-search-") as tmp:
            path = Path(tmp) / "sweep.yaml"
            path.write_text(yaml.safe_dump(sweep_file(search, settings, f"batch{calls[0]}"),
                                           sort_keys=False))
            try:
                store = sweep(path, workers=workers, threads=1)
            except AidflowInputError as error:  # located in the generated file: say whose it is
                raise AidflowInputError(f"{search.path}: the sweep made from it is refused: "
                                        f"{error}") from error
        runs = store.reset_coords()[["setting", "status", *(o.name for o in search.objectives)]].to_dataframe()
        scale = {o.name: 0.01 if store[o.name].attrs.get("units") == CENTS else 1.0
                 for o in search.objectives}
        out = np.full((len(settings), len(search.objectives)), np.nan)
        for i in range(len(settings)):
            mine = runs[runs.setting == f"s{i}"]
            if (mine.status != "complete").any():
                continue
            for j, o in enumerate(search.objectives):
                out[i, j] = o.reduce(mine[o.name].to_numpy(dtype=float) * scale[o.name])
        return out

    return evaluate


def run_search(search: Search, workers: int = 0, progress: bool = True) -> Front:
    return nsga2(search.levers, search.objectives, sweep_evaluator(search, workers),
                 search.population, search.generations, search.seed, progress)


def rerun(search: Search, front_csv: Path, workers: int = 0) -> Front:
    """The settings of a front file evaluated again (same seeds, same draws)."""
    try:
        table = pd.read_csv(front_csv, float_precision="round_trip")  # the values run, exactly
    except (OSError, pd.errors.ParserError) as error:
        raise AidflowInputError(f"{front_csv}: cannot read a front file: {error}") from error
    missing = [lever.name for lever in search.levers if lever.name not in table.columns]
    if missing:
        raise AidflowInputError(f"{front_csv}: no column for lever {', '.join(missing)}: not a "
                                f"front of {search.path}")
    settings = [{lever.name: lever.parse(row[lever.name]) for lever in search.levers}
                for _, row in table.iterrows()]
    values = sweep_evaluator(search, workers)(settings)
    front = pd.DataFrame([{**s, **{o.name: v for o, v in zip(search.objectives, row)}}
                          for s, row in zip(settings, values)])
    return Front(search.levers, search.objectives, front.assign(generation=0), front)


def with_settings(front: Front) -> pd.DataFrame:
    """The front with each point's overrides as one `settings` column ("PATH=VALUE; ...")."""
    out = front.front.copy()
    out["settings"] = ["; ".join(s for lever in front.levers for s in lever.settings(row[lever.name]))
                       for _, row in out.iterrows()]
    return out


def figure(front: Front) -> "Figure":
    """Each pair of objectives: every setting evaluated (grey) and the front (red)."""
    import matplotlib.pyplot as plt

    names = [o.name for o in front.objectives]
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]] or [(names[0], names[0])]
    fig, axes = plt.subplots(1, len(pairs), figsize=(5 * len(pairs), 4), squeeze=False)
    for ax, (a, b) in zip(axes[0], pairs):
        ax.scatter(front.evaluations[a], front.evaluations[b], s=8, color="0.75", label="evaluated")
        ordered = front.front.sort_values(a)
        ax.plot(ordered[a], ordered[b], "o-", color="tab:red", markersize=4, label="Pareto front")
        ax.set_xlabel(next(o.described for o in front.objectives if o.name == a))
        ax.set_ylabel(next(o.described for o in front.objectives if o.name == b))
        ax.legend(fontsize="small")
    fig.suptitle(f"NSGA-II: {len(front.front)} settings on the front, {len(front.evaluations)} evaluated")
    fig.tight_layout()
    return fig


def write(search: Search, front: Front, out: Path) -> None:
    """DIR/front.csv, evaluations.csv, search.yaml and front.png (the module's docstring)."""
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    with_settings(front).to_csv(out / "front.csv", index=False)
    front.evaluations.to_csv(out / "evaluations.csv", index=False)
    (out / "search.yaml").write_text(search.path.read_text())
    fig = figure(front)
    fig.savefig(out / "front.png", dpi=90)
    plt.close(fig)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m aidflow_analysis.search",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("search", type=Path, help="the search file (YAML)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="directory to write")
    parser.add_argument("--rerun", type=Path, default=None,
                        help="evaluate the settings of this front.csv again instead of searching")
    parser.add_argument("--workers", type=int, default=0, help="runs at once (0: every core)")
    args = parser.parse_args(argv)
    try:
        search = load_search(args.search)
        front = (rerun(search, args.rerun, args.workers) if args.rerun
                 else run_search(search, args.workers))
    except AidflowInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    write(search, front, args.output)
    print(with_settings(front).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
