"""Scenario discovery: the regions of the assumptions where a stated conclusion fails.

Over a sweep of the declared uncertainties (or an ensemble: the same, one row per run), each run
has its input values (the parameters, coordinates of `run`) and a yes/no: does the conclusion
fail there? Two views of where it fails:

- **PRIM** (Friedman and Fisher 1999, "Bump hunting in high-dimensional data"): start from the
  box holding every point; *peel*: of every way to cut a share `alpha` of the box's points off
  one end of one numeric input (or one level of a categorical input), take the cut that leaves
  the highest share of failures (density); repeat until the box holds fewer than `min_mass` of
  the points or only failures. Every box of this peeling trajectory trades coverage (the share of
  all failures inside the box) for density. The box chosen is the densest with coverage at least
  `min_coverage`; it is then *pasted* (grown again on any side where adding `alpha` of its points
  raises its density) and *pruned*: from the whole space, its restrictions are added back one
  at a time, the one that raises the density most first, while the raise is significant (a
  one-sided binomial test at `significance`), so an input that does not matter is left free;
  each restriction kept is reported with its quasi-p-value (Bryant and Lempert 2010: the same
  test of the box against the box without that restriction). The box says where the conclusion fails, in words ("x1 >= 0.702 and x3 <= 0.198").
- **CART** (scikit-learn's DecisionTreeClassifier): a shallow tree; the conditions leading to
  each leaf where most points fail, merged per input, in words.

    >>> found = discover(points, fails)          # a DataFrame of inputs and a boolean Series
    >>> found = discover(sweep, "diverted_haqqani < diverted_kandahari")   # over a sweep store
    >>> print(found.describe()); found.plot()

:func:`discover` takes a :class:`~aidflow_analysis.Sweep` (or a sweep directory, or the store of
:func:`aidflow_analysis.sweep`): its inputs are the sweep's parameters, and `fails` is a function
of the store's index (one row per complete run, outcomes as columns) returning booleans, an
expression over its columns (pandas `DataFrame.eval`), or an array of booleans.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd
import xarray as xr

from .errors import AidflowError
from .reader import PathLike
from .sweep_store import Sweep, open_sweep

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ALPHA = 0.05          # the share of the box's points one peel or paste moves
MIN_MASS = 0.05       # peeling stops when the box holds fewer points than this share
MIN_COVERAGE = 0.8    # the box chosen covers at least this share of the failures
SIGNIFICANCE = 0.05   # a restriction whose quasi-p-value is above this is dropped

Fails = Union[str, Callable[[pd.DataFrame], Any], Sequence[bool], np.ndarray, pd.Series]
Limit = Union[Tuple[float, float], FrozenSet[Any]]  # numeric [low, high] or the levels kept


@dataclass(frozen=True)
class Box:
    """A PRIM box: for each input, a numeric [low, high] (inclusive) or the set of levels kept,
    and what it holds (share of all points, of all failures, and its own share of failures)."""

    limits: Dict[str, Limit]
    mass: float
    coverage: float
    density: float
    points: int
    failures: int
    restricted: Tuple[str, ...]  # the inputs the box restricts, in the inputs' order
    p_values: Dict[str, float] = field(default_factory=dict)  # quasi-p-value per restriction

    def words(self, full: Dict[str, Limit]) -> str:
        """The box as conditions on its restricted inputs: "x1 >= 0.702 and x3 <= 0.198"."""
        if not self.restricted:
            return "anywhere (no restriction)"
        return " and ".join(_limit_words(name, self.limits[name], full[name])
                            for name in self.restricted)


def _limit_words(name: str, limit: Limit, full: Limit) -> str:
    if isinstance(limit, frozenset):
        kept = sorted(map(str, limit))
        return f"{name} is {kept[0]}" if len(kept) == 1 else f"{name} is one of {', '.join(kept)}"
    assert isinstance(full, tuple)
    low, high = limit
    if low > full[0] and high < full[1]:
        return f"{_num(low)} <= {name} <= {_num(high)}"
    return f"{name} >= {_num(low)}" if low > full[0] else f"{name} <= {_num(high)}"


def _num(x: float) -> str:
    return f"{x:.3g}"


class _Data:
    """The inputs as arrays: numeric columns as floats, the others (strings, booleans) as levels."""

    def __init__(self, inputs: pd.DataFrame, fails: np.ndarray):
        if len(inputs) != len(fails):
            raise AidflowError(f"{len(inputs)} points but {len(fails)} fail flags")
        if len(inputs) == 0 or inputs.shape[1] == 0:
            raise AidflowError("scenario discovery needs points and at least one input")
        self.names = [str(c) for c in inputs.columns]
        self.numeric = {n: pd.api.types.is_numeric_dtype(inputs[c]) and not pd.api.types.is_bool_dtype(inputs[c])
                        for n, c in zip(self.names, inputs.columns)}
        self.columns = {n: (inputs[c].to_numpy(dtype=float) if self.numeric[n]
                            else inputs[c].to_numpy(dtype=object))
                        for n, c in zip(self.names, inputs.columns)}
        self.fails = fails.astype(bool)
        self.full: Dict[str, Limit] = {
            n: (float(v.min()), float(v.max())) if self.numeric[n] else frozenset(v.tolist())
            for n, v in self.columns.items()}

    def inside(self, limits: Dict[str, Limit], skip: Optional[str] = None) -> np.ndarray:
        """Which points the box holds (ignoring input `skip`)."""
        keep = np.ones(len(self.fails), dtype=bool)
        for name, limit in limits.items():
            if name == skip:
                continue
            values = self.columns[name]
            if isinstance(limit, frozenset):
                keep &= np.isin(values, list(limit))
            else:
                keep &= (values >= limit[0]) & (values <= limit[1])
        return keep

    def box(self, limits: Dict[str, Limit]) -> Box:
        held = self.inside(limits)
        n, k, total = int(held.sum()), int(self.fails[held].sum()), int(self.fails.sum())
        restricted = tuple(name for name in self.names if limits[name] != self.full[name])
        return Box(dict(limits), n / len(self.fails), k / total if total else math.nan,
                   k / n if n else math.nan, n, k, restricted)


Candidate = Tuple[Dict[str, Limit], int]  # a box, and how many successes lie at its cut's edge


def _peels(data: _Data, limits: Dict[str, Limit], held: np.ndarray, alpha: float
           ) -> List[Candidate]:
    """Every box one peel smaller: `alpha` of the held points off either end of a numeric input
    (at least one point; ties at the cut stay), or one level of a categorical input; each with
    the number of successes in a row from the end it cuts (a level: its successes, if it holds
    no failure), which breaks ties between peels of equal gain (see :func:`_best`)."""
    out: List[Candidate] = []
    count = max(1, int(alpha * held.sum()))
    fails = data.fails[held]
    for name in data.names:
        values = data.columns[name][held]
        limit = limits[name]
        if isinstance(limit, frozenset):
            present = set(values.tolist())
            if len(present) > 1:
                for level in sorted(present, key=str):
                    at = values == level
                    clean = int(at.sum()) if not fails[at].any() else 0
                    out.append((_with(limits, name, frozenset(present - {level})), clean))
            continue
        order = np.argsort(values, kind="stable")
        ordered = values[order]
        if ordered[0] == ordered[-1]:
            continue
        low, high = ordered[min(count, len(ordered) - 1)], ordered[max(len(ordered) - 1 - count, 0)]
        if low > ordered[0]:
            out.append((_with(limits, name, (float(low), limit[1])), _successes_from(fails[order])))
        if high < ordered[-1]:
            out.append((_with(limits, name, (limit[0], float(high))),
                        _successes_from(fails[order][::-1])))
    return out


def _successes_from(fails: np.ndarray) -> int:
    """How many points in a row, from the first, do not fail."""
    hits = np.flatnonzero(fails)
    return int(hits[0]) if hits.size else int(fails.size)


def _with(limits: Dict[str, Limit], name: str, limit: Limit) -> Dict[str, Limit]:
    """`limits` with input `name`'s limit replaced."""
    out = dict(limits)
    out[name] = limit
    return out


def _density(data: _Data, limits: Dict[str, Limit]) -> Tuple[float, int]:
    held = data.inside(limits)
    n = int(held.sum())
    return (float(data.fails[held].mean()) if n else -1.0), n


def _best(data: _Data, candidates: List[Candidate], min_points: int, held: int,
          density: float) -> Optional[Dict[str, Limit]]:
    """The candidate that raises the density most per point it moves (Friedman and Fisher's
    criterion, fair between a numeric peel of `alpha` and a level's whole share); on a tie (with
    few points every peel of one success ties) the one with more successes in a row at its
    edge, where the next peels can go on (a run of 17 at one end of the input that matters, of
    one or two at the ends of noise); then more points; None if none holds `min_points`."""
    best, key = None, (-math.inf, -1, -1)
    for limits, clean in candidates:
        new_density, n = _density(data, limits)
        if n < min_points or n == held:
            continue
        gain = (new_density - density) / abs(held - n)
        if (gain, clean, n) > key:
            best, key = limits, (gain, clean, n)
    return best


def peel(data: _Data, alpha: float = ALPHA, min_mass: float = MIN_MASS) -> List[Box]:
    """The peeling trajectory: the full box, then each box one best peel smaller."""
    limits = dict(data.full)
    trajectory = [data.box(limits)]
    min_points = max(1, math.ceil(min_mass * len(data.fails)))
    while trajectory[-1].density < 1.0:
        held = data.inside(limits)
        box = trajectory[-1]
        chosen = _best(data, _peels(data, limits, held, alpha), min_points, box.points, box.density)
        if chosen is None:
            break
        limits = chosen
        trajectory.append(data.box(limits))
    return trajectory


def _pastes(data: _Data, limits: Dict[str, Limit], alpha: float) -> List[Candidate]:
    """Every box one paste larger: on each side of each numeric input, the next `alpha` of the
    box's points (by that input, among points the other limits hold); or one level back."""
    out: List[Candidate] = []
    count = max(1, int(alpha * data.inside(limits).sum()))
    for name in data.names:
        limit, full = limits[name], data.full[name]
        if isinstance(limit, frozenset):
            assert isinstance(full, frozenset)
            out += [(_with(limits, name, limit | {level}), 0) for level in sorted(full - limit, key=str)]
            continue
        others = data.columns[name][data.inside(limits, skip=name)]
        below = np.sort(others[others < limit[0]])
        above = np.sort(others[others > limit[1]])
        if below.size:
            out.append((_with(limits, name, (float(below[max(below.size - count, 0)]), limit[1])), 0))
        if above.size:
            out.append((_with(limits, name, (limit[0], float(above[min(count, above.size) - 1]))), 0))
    return out


def paste(data: _Data, limits: Dict[str, Limit], alpha: float = ALPHA) -> Dict[str, Limit]:
    """Grow the box while some paste raises its density."""
    density, n = _density(data, limits)
    while True:
        chosen = _best(data, _pastes(data, limits, alpha), 1, n, density)
        if chosen is None or _density(data, chosen)[0] <= density:
            return limits
        limits = chosen
        density, n = _density(data, chosen)


def _binomial_p(k: int, n: int, base: float) -> float:
    """P(at least k failures of n points) if each fails with probability `base`."""
    from scipy import stats

    return float(stats.binom.sf(k - 1, n, base))


def quasi_p_value(data: _Data, limits: Dict[str, Limit], name: str) -> float:
    """How likely the box's failures would be if restriction `name` did not matter: a one-sided
    binomial test of its failures among its points against the density of the box without it."""
    held = data.inside(limits)
    wider = data.inside(limits, skip=name)
    return _binomial_p(int(data.fails[held].sum()), int(held.sum()), float(data.fails[wider].mean()))


def prune(data: _Data, limits: Dict[str, Limit], significance: float = SIGNIFICANCE) -> Box:
    """Keep only the restrictions of `limits` that matter: from the whole space, add one at a
    time the restriction that raises the density most, while the raise is significant (a
    one-sided binomial test of the new box's failures against the density before it, at
    `significance`). Greedy peeling of few points restricts many inputs by a point each, none
    of which matters alone; a restriction that adds nothing (a noise input) is never added.
    The box kept, with each restriction's quasi-p-value."""
    kept = dict(data.full)
    candidates = [name for name in data.names if limits[name] != data.full[name]]
    while candidates:
        density, n = _density(data, kept)
        trials = {name: _density(data, _with(kept, name, limits[name])) for name in candidates}
        best = max(candidates, key=lambda name: trials[name])
        new_density, new_n = trials[best]
        if new_n == 0 or new_density <= density:
            break
        if _binomial_p(round(new_density * new_n), new_n, density) > significance:
            break
        kept[best] = limits[best]
        candidates.remove(best)
    box = data.box(kept)
    return replace(box, p_values={name: quasi_p_value(data, kept, name) for name in box.restricted})


def choose(trajectory: List[Box], min_coverage: float = MIN_COVERAGE) -> int:
    """The densest box of the trajectory covering at least `min_coverage` of the failures (the
    larger coverage on a tie)."""
    eligible = [i for i, b in enumerate(trajectory) if b.coverage >= min_coverage] or [0]
    return max(eligible, key=lambda i: (trajectory[i].density, trajectory[i].coverage))


@dataclass
class Discovery:
    """Where a conclusion fails: PRIM's chosen box and trajectory, and CART's failing leaves."""

    inputs: pd.DataFrame
    fails: np.ndarray
    trajectory: List[Box]
    chosen: int       # the trajectory's box the PRIM box was grown and pruned from
    box: Box          # PRIM's box (pasted and pruned)
    rules: List["Rule"]
    full: Dict[str, Limit]
    significant: bool = True  # False: no restriction passed the test; `box` is the one peeled

    @property
    def peeling(self) -> pd.DataFrame:
        """The peeling trajectory as a table: coverage, density, mass, restricted inputs."""
        return pd.DataFrame([{"coverage": b.coverage, "density": b.density, "mass": b.mass,
                              "restricted": len(b.restricted), "inputs": ", ".join(b.restricted)}
                             for b in self.trajectory]).rename_axis("box")

    def prim_words(self) -> str:
        b = self.box
        text = (f"{b.words(self.full)} (coverage {b.coverage:.2f}, density {b.density:.2f}, "
                f"mass {b.mass:.2f}")
        if not self.significant and b.restricted:
            quasi = ", ".join(f"{n} {b.p_values[n]:.2g}" for n in b.restricted)
            text += f"; no restriction significant alone at {SIGNIFICANCE:g}, quasi-p-values: {quasi}"
        return text + ")"

    def cart_words(self) -> str:
        if not self.rules:
            return "no leaf where most points fail"
        return "; or ".join(r.words() for r in self.rules)

    def describe(self) -> str:
        """Both views in words, one line each."""
        n, k = len(self.fails), int(self.fails.sum())
        return (f"fails at {k} of {n} points.\nPRIM: where {self.prim_words()}.\n"
                f"CART: {self.cart_words()}.")

    def plot(self) -> "Figure":
        """Left, the peeling trajectory's trade-off (coverage against density, colour: how many
        inputs a box restricts; the box chosen circled); right, the PRIM box on its restricted
        inputs, each as the part of the input's range it keeps (levels kept written beside)."""
        import matplotlib.pyplot as plt

        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
        table = self.peeling
        dots = left.scatter(table.coverage, table.density, c=table.restricted, cmap="viridis", s=14)
        fig.colorbar(dots, ax=left, label="inputs restricted")
        picked = self.trajectory[self.chosen]
        left.scatter([picked.coverage], [picked.density], s=90, facecolors="none", edgecolors="red",
                     label="box chosen (before pasting and pruning)")
        left.scatter([self.box.coverage], [self.box.density], marker="D", color="black", s=30,
                     label="PRIM box")
        left.set_xlabel("coverage (share of the failures inside the box)")
        left.set_ylabel("density (share of the box that fails)")
        left.set_title("peeling trajectory")
        left.legend(loc="lower left", fontsize="small")
        names = list(self.box.restricted)
        for row, name in enumerate(reversed(names)):
            limit, full = self.box.limits[name], self.full[name]
            if isinstance(limit, frozenset):
                right.barh(row, 1.0, color="0.85")
                right.text(0.02, row, "levels kept: " + ", ".join(sorted(map(str, limit))), va="center")
                continue
            assert isinstance(full, tuple)
            span = full[1] - full[0]
            low, high = ((limit[0] - full[0]) / span, (limit[1] - full[0]) / span)
            right.barh(row, 1.0, color="0.9")
            right.barh(row, high - low, left=low, color="tab:red")
            right.text(low, row + 0.3, _num(limit[0]), ha="center", fontsize="small")
            right.text(high, row + 0.3, _num(limit[1]), ha="center", fontsize="small")
        right.set_yticks(range(len(names)),
                         [f"{n} (p={self.box.p_values.get(n, math.nan):.2g})" for n in reversed(names)])
        right.set_xlim(0, 1)
        right.set_xlabel("position in the input's range (0 its smallest value, 1 its largest)")
        right.set_title(f"PRIM box: coverage {self.box.coverage:.2f}, density {self.box.density:.2f}")
        fig.tight_layout()
        return fig


@dataclass(frozen=True)
class Rule:
    """The conditions leading to one of CART's leaves where most points fail."""

    conditions: Tuple[str, ...]
    points: int
    failures: int

    def words(self) -> str:
        where = " and ".join(self.conditions) if self.conditions else "everywhere"
        return f"fails at {self.failures} of {self.points} points where {where}"


def cart_rules(inputs: pd.DataFrame, fails: np.ndarray, max_depth: int = 3,
               min_leaf: Optional[int] = None) -> List[Rule]:
    """The leaves of a shallow decision tree where most points fail (the most failures first),
    each as the conditions leading to it, merged per input (the tightest bound on each side; a
    categorical input, one-hot coded, as the levels it is or is not)."""
    from sklearn.tree import DecisionTreeClassifier

    categorical = inputs.astype({c: str for c in inputs.columns if not _is_number(inputs[c])})
    features = pd.get_dummies(categorical, prefix_sep="=")
    levels = {str(c): sorted(set(categorical[c])) for c in inputs.columns if not _is_number(inputs[c])}
    min_leaf = min_leaf or max(2, len(inputs) // 50)
    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_leaf,
                                  random_state=0).fit(features.to_numpy(dtype=float), fails)
    t = tree.tree_
    leaves = tree.apply(features.to_numpy(dtype=float))
    rules = []

    def walk(node: int, path: List[Tuple[str, str, float]]) -> None:
        if t.children_left[node] < 0:
            held = leaves == node
            k = int(fails[held].sum())
            if 2 * k > held.sum():
                rules.append(Rule(_merged(path, levels), int(held.sum()), k))
            return
        name, cut = str(features.columns[t.feature[node]]), float(t.threshold[node])
        walk(t.children_left[node], path + [(name, "<=", cut)])
        walk(t.children_right[node], path + [(name, ">", cut)])

    walk(0, [])
    return sorted(rules, key=lambda r: -r.failures)


def _is_number(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _merged(path: List[Tuple[str, str, float]], levels: Dict[str, List[str]]) -> Tuple[str, ...]:
    """A tree path's conditions, the tightest per input and side; one-hot columns ("x=level",
    split at 0.5) as the levels of x the path leaves: "x is level", "x is one of a, b"."""
    lower: Dict[str, float] = {}
    upper: Dict[str, float] = {}
    left: Dict[str, List[str]] = {}
    order: List[str] = []
    for name, side, cut in path:
        if name.split("=", 1)[0] in levels and "=" in name:
            base, level = name.split("=", 1)
            kept = left.setdefault(base, list(levels[base]))
            left[base] = [v for v in kept if (v == level) == (side == ">")]
            key = base
        elif side == ">":
            lower[name] = max(cut, lower.get(name, -math.inf))
            key = name
        else:
            upper[name] = min(cut, upper.get(name, math.inf))
            key = name
        if key not in order:
            order.append(key)
    out = []
    for key in order:
        if key in left:
            kept = left[key]
            out.append(f"{key} is {kept[0]}" if len(kept) == 1 else f"{key} is one of {', '.join(kept)}")
            continue
        if key in lower and key in upper:
            out.append(f"{_num(lower[key])} < {key} <= {_num(upper[key])}")
        elif key in lower:
            out.append(f"{key} > {_num(lower[key])}")
        else:
            out.append(f"{key} <= {_num(upper[key])}")
    return tuple(out)


def _fail_flags(fails: Fails, frame: Optional[pd.DataFrame]) -> np.ndarray:
    if isinstance(fails, str):
        if frame is None:
            raise AidflowError("an expression for `fails` needs the outcomes to evaluate it over")
        try:
            fails = frame.eval(fails)
        except Exception as error:  # pandas raises many kinds; say which expression failed
            raise AidflowError(f"fails={fails!r}: cannot evaluate it over the columns "
                               f"{', '.join(map(str, frame.columns))}: {error}") from error
    elif callable(fails):
        if frame is None:
            raise AidflowError("a function for `fails` needs the outcomes to call it with")
        fails = fails(frame)
    flags = np.asarray(fails)
    if flags.dtype != bool:
        raise AidflowError(f"`fails` must give booleans (a conclusion fails or not), got {flags.dtype}")
    return flags


def _from_sweep(source: Union[Sweep, PathLike, xr.Dataset], inputs: Optional[Sequence[str]]
                ) -> Tuple[pd.DataFrame, pd.DataFrame]:
    sweep = source if isinstance(source, Sweep) else open_sweep(source)
    frame = sweep.complete
    names = list(inputs) if inputs is not None else sweep.parameters
    unknown = [n for n in names if n not in frame.columns]
    if unknown:
        raise AidflowError(f"{sweep.where}: no input {', '.join(unknown)} "
                           f"(its parameters: {', '.join(sweep.parameters)})")
    return frame[names], frame


def discover(source: Union[pd.DataFrame, Sweep, PathLike, xr.Dataset], fails: Fails,
             inputs: Optional[Sequence[str]] = None, alpha: float = ALPHA,
             min_mass: float = MIN_MASS, min_coverage: float = MIN_COVERAGE,
             significance: float = SIGNIFICANCE, max_depth: int = 3,
             min_leaf: Optional[int] = None) -> Discovery:
    """Where the conclusion fails, by PRIM and CART (see the module's docstring).

    `source` is a DataFrame of inputs (one row per point; `inputs` picks columns, the default
    all), or a sweep (a Sweep, its directory, or an in-memory store): then one row per complete
    run, the inputs its parameters (or `inputs`), and `fails` may be an expression or a function
    over its index (outcomes as columns). `fails`: booleans, True where the conclusion fails.
    `max_depth` and `min_leaf` (default: a fiftieth of the points, at least 2) shape the tree.
    """
    if isinstance(source, pd.DataFrame):
        frame = source
        table = source[list(inputs)] if inputs is not None else source
    else:
        table, frame = _from_sweep(source, inputs)
    flags = _fail_flags(fails, frame)
    data = _Data(table, flags)
    trajectory = peel(data, alpha, min_mass)
    chosen = choose(trajectory, min_coverage)
    limits = paste(data, trajectory[chosen].limits, alpha)
    box = prune(data, limits, significance) if flags.any() else data.box(limits)
    significant = bool(box.restricted) or not flags.any()
    if not significant:  # few points: no restriction is significant alone; show the box found
        pasted = data.box(limits)
        box = replace(pasted, p_values={n: quasi_p_value(data, limits, n) for n in pasted.restricted})
    rules = cart_rules(table, flags, max_depth, min_leaf) if flags.any() and not flags.all() else []
    return Discovery(table, flags, trajectory, chosen, box, rules, data.full, significant)
