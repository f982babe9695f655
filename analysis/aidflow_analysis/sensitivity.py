"""Global sensitivity indices from a sweep: Sobol (Saltelli's scheme) and Morris, on numpy.

A sweep's index (`open_sweep(dir).index`, docs/SWEEPS.md) has one row per run, a column per
sampled parameter and the design's bookkeeping columns: `sobol_sample`, `sobol_block` (0 = A,
i = AB_i, k + 1 = B) for a `sobol` design, `morris_trajectory`, `morris_step` for a `morris` one.
The estimators here take such a DataFrame with one output column, so they work on a sweep index
joined with any outcome read from the runs. Replicates of one design point are averaged first.
The designs themselves are the sweep engine's (sim/sweep/design.cpp): to try the estimators on a
known function, sweep a small scenario with the design and compute the function from the
parameter values the store records (tests/python/test_sensitivity.py does, with Ishigami's).

Both estimators give bootstrap intervals (resampling base samples or trajectories) and a `warning`
column, and raise a :class:`SensitivityWarning` when an index is not to be trusted as it stands:
a first-order index above its total-order one (impossible in truth: too few samples), or an
interval that spans zero (the index cannot be told from no effect, or, for Morris's mu, effects
of both signs).
"""
from __future__ import annotations

import warnings
from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd


class SensitivityWarning(UserWarning):
    """An index the sample does not support as it stands (see the table's `warning` column)."""


def _warn(result: pd.DataFrame, what: str) -> pd.DataFrame:
    flagged = result[result["warning"] != ""]
    if len(flagged):
        lines = "; ".join(f"{name}: {text}" for name, text in flagged["warning"].items())
        warnings.warn(f"{what}: {lines}", SensitivityWarning, stacklevel=3)
    return result


def _spans_zero(low: pd.Series, high: pd.Series) -> pd.Series:
    return (low <= 0) & (high >= 0)

SOBOL = ("sobol_sample", "sobol_block")
MORRIS = ("morris_trajectory", "morris_step")


def _means(frame: pd.DataFrame, keys: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """One row per design point: replicates (same keys) averaged."""
    return frame.groupby(list(keys), sort=True)[list(columns)].mean().reset_index()


def sobol_indices(frame: pd.DataFrame, inputs: Sequence[str], output: str,
                  bootstrap: int = 200, confidence: float = 0.95,
                  seed: Optional[int] = 0) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices of `output` for each input.

    S1 by Saltelli et al. (2010), mean(f(B) (f(AB_i) − f(A))) / V; ST by Jansen (1999),
    mean((f(A) − f(AB_i))²) / 2V; V the variance of f over A and B together. Both are unbiased
    and need only the k + 2 blocks. Resampling base samples `bootstrap` times (0: none) gives
    percentile intervals (`S1_low`, `S1_high`, `ST_low`, `ST_high`) at `confidence`. The
    `warning` column names an S1 above ST beyond the bootstrap's noise (or, without bootstrap,
    at all), or an interval that spans zero; any warning is also raised as a
    :class:`SensitivityWarning`.
    """
    k = len(inputs)
    points = _means(frame, SOBOL, [output])
    table = points.pivot(index="sobol_sample", columns="sobol_block", values=output)
    missing = set(range(k + 2)) - set(table.columns)
    if missing:
        raise ValueError(f"sobol_block values {sorted(missing)} are missing for {k} inputs")
    table = table.dropna()
    y = table[list(range(k + 2))].to_numpy()
    result = _sobol(y, k).set_axis(pd.Index(list(inputs), name="input"))
    # S1 above ST is impossible in truth; by noise it is common where they are equal (an input
    # without interactions), so it is flagged only when the bootstrap puts S1 - ST above zero.
    above = (result["S1"] > result["ST"]).to_numpy()
    if bootstrap:
        rng = np.random.default_rng(seed)
        draws = np.array([_sobol(y[rng.integers(0, len(y), len(y))], k).to_numpy()
                          for _ in range(bootstrap)])
        tail = (1 - confidence) / 2 * 100
        low, high = np.percentile(draws, [tail, 100 - tail], axis=0)
        for col, name in enumerate(("S1", "ST")):
            result[f"{name}_low"], result[f"{name}_high"] = low[:, col], high[:, col]
        above = np.percentile(draws[:, :, 0] - draws[:, :, 1], tail, axis=0) > 0
    return _warn(result.assign(warning=_sobol_warnings(result, above)), "Sobol indices")


def _sobol_warnings(result: pd.DataFrame, above: np.ndarray) -> List[str]:
    notes = pd.DataFrame(index=result.index)
    notes["above"] = np.where(above, "S1 above ST (too few samples, or noise between runs)", "")
    for name in ("S1", "ST"):
        spans = (_spans_zero(result[f"{name}_low"], result[f"{name}_high"])
                 if f"{name}_low" in result else pd.Series(False, index=result.index))
        notes[name] = np.where(spans, f"{name} interval spans zero", "")
    return [", ".join(n for n in row if n) for row in notes.itertuples(index=False)]


def _sobol(y: np.ndarray, k: int) -> pd.DataFrame:
    f_a, f_b = y[:, 0], y[:, k + 1]
    variance = np.var(np.concatenate([f_a, f_b]))
    s1, st = [], []
    for i in range(1, k + 1):
        f_ab = y[:, i]
        s1.append(np.mean(f_b * (f_ab - f_a)) / variance)
        st.append(0.5 * np.mean((f_a - f_ab) ** 2) / variance)
    return pd.DataFrame({"S1": s1, "ST": st})


def morris_indices(frame: pd.DataFrame, inputs: Sequence[str], output: str,
                   bounds: Optional[Sequence[Sequence[float]]] = None, bootstrap: int = 200,
                   confidence: float = 0.95, seed: Optional[int] = 0,
                   log: Sequence[str] = ()) -> pd.DataFrame:
    """Morris's mu, mu* (mean absolute elementary effect) and sigma for each input.

    An elementary effect is the change of `output` over one step of a trajectory divided by the
    step's change of the input that moved, as a share of the input's range (`bounds`, else the
    range the sweep covered), so effects of inputs in different units compare; for the inputs
    named in `log` (a sweep parameter with `scale: log`) the share is of the range's logarithm,
    the scale the design stepped on. Resampling trajectories `bootstrap` times gives percentile
    intervals of mu and mu* (`mu_low`, ..., `mu_star_high`); the `warning` column names a mu whose
    interval spans zero (effects of both signs, or none), also raised as a
    :class:`SensitivityWarning`.
    """
    inputs = list(inputs)
    points = _means(frame, MORRIS, inputs + [output]).sort_values(list(MORRIS))
    effects = _elementary_effects(points, inputs, output, bounds, log)
    rows = {name: {"mu": np.mean(e), "mu_star": np.mean(np.abs(e)),
                   "sigma": np.std(e, ddof=1) if len(e) > 1 else np.nan, "effects": len(e)}
            for name, e in ((n, np.array([v for _, v in effects[n]])) for n in inputs)}
    result = pd.DataFrame.from_dict(rows, orient="index").rename_axis("input")
    if bootstrap:
        result = result.join(_morris_intervals(effects, bootstrap, confidence, seed))
        spans = _spans_zero(result["mu_low"], result["mu_high"])
        result["warning"] = np.where(spans, "mu interval spans zero (effects of both signs)", "")
    else:
        result["warning"] = ""
    return _warn(result, "Morris indices")


def _elementary_effects(points: pd.DataFrame, inputs: List[str], output: str,
                        bounds: Optional[Sequence[Sequence[float]]],
                        log: Sequence[str]) -> Dict[str, List[tuple]]:
    """Each input's elementary effects as (trajectory, effect), in units of its range."""
    x = points[inputs].to_numpy(dtype=float)
    edges = np.stack([x.min(axis=0), x.max(axis=0)]) if bounds is None else \
        np.asarray(bounds, dtype=float).T
    logged = np.array([name in log for name in inputs])
    if np.any(logged & ((x <= 0).any(axis=0) | (edges[0] <= 0))):
        raise ValueError("a log-scale input needs values and bounds above 0")

    def on_scale(v: np.ndarray) -> np.ndarray:
        return np.where(logged, np.log(np.where(logged, v, 1.0)), v)

    x, low, high = on_scale(x), on_scale(edges[0]), on_scale(edges[1])
    unit = (x - low) / np.where(high > low, high - low, 1.0)
    y = points[output].to_numpy(dtype=float)
    same = points["morris_trajectory"].to_numpy()
    effects: Dict[str, List[tuple]] = {name: [] for name in inputs}
    for r in range(1, len(points)):
        if same[r] != same[r - 1]:
            continue
        moved = np.flatnonzero(~np.isclose(unit[r], unit[r - 1]))
        if len(moved) != 1:
            raise ValueError(f"morris step {r} moves {len(moved)} inputs, not one")
        i = moved[0]
        effects[inputs[i]].append((same[r], (y[r] - y[r - 1]) / (unit[r, i] - unit[r - 1, i])))
    return effects


def _morris_intervals(effects: Dict[str, List[tuple]], bootstrap: int, confidence: float,
                      seed: Optional[int]) -> pd.DataFrame:
    """Percentile intervals of mu and mu* over trajectories resampled with replacement."""
    trajectories = sorted({t for e in effects.values() for t, _ in e})
    rng = np.random.default_rng(seed)
    tail = (1 - confidence) / 2 * 100
    rows = {}
    for name, e in effects.items():
        by_trajectory = {t: [v for tt, v in e if tt == t] for t in trajectories}
        draws = []
        for _ in range(bootstrap):
            picked = rng.choice(len(trajectories), len(trajectories))
            values = np.array([v for j in picked for v in by_trajectory[trajectories[j]]])
            draws.append((values.mean(), np.abs(values).mean()) if len(values) else (np.nan, np.nan))
        low, high = np.nanpercentile(np.array(draws), [tail, 100 - tail], axis=0)
        rows[name] = {"mu_low": low[0], "mu_high": high[0], "mu_star_low": low[1],
                      "mu_star_high": high[1]}
    return pd.DataFrame.from_dict(rows, orient="index")


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Ishigami's function on [-pi, pi]^3, whose Sobol indices are known in closed form."""
    x = np.asarray(x, dtype=float)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> pd.DataFrame:
    """The exact S1 and ST of :func:`ishigami` (Sobol' and Levitan 1999)."""
    v1 = 0.5 * (1 + b * np.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return pd.DataFrame({"S1": [v1 / v, v2 / v, 0.0], "ST": [(v1 + v13) / v, v2 / v, v13 / v]},
                        index=pd.Index(["x1", "x2", "x3"], name="input"))
