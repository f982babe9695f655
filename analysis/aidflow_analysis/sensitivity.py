"""Global sensitivity indices from a sweep: Sobol (Saltelli's scheme) and Morris, on numpy.

A sweep's index (`open_sweep(dir).index`, docs/SWEEPS.md) has one row per run, a column per
sampled parameter and the design's bookkeeping columns: `sobol_sample`, `sobol_block` (0 = A,
i = AB_i, k + 1 = B) for a `sobol` design, `morris_trajectory`, `morris_step` for a `morris` one.
The estimators here take such a DataFrame with one output column, so they work on a sweep index
joined with any outcome read from the runs. Replicates of one design point are averaged first.
The samplers make the same layouts, for tests and for trying the estimators on known functions.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

SOBOL = ("sobol_sample", "sobol_block")
MORRIS = ("morris_trajectory", "morris_step")


def _scale(unit: np.ndarray, bounds: Sequence[Sequence[float]]) -> np.ndarray:
    low, high = np.asarray(bounds, dtype=float).T
    return low + unit * (high - low)


def saltelli_sample(bounds: Sequence[Sequence[float]], n: int, seed: Optional[int] = None,
                    names: Optional[Sequence[str]] = None) -> pd.DataFrame:
    """n base samples × (k + 2) rows: A, AB_1 .. AB_k, B per sample, as the sweep lays them out.

    Uniform random draws (the sweep uses a Sobol sequence; the estimators do not care which).
    """
    k = len(bounds)
    names = list(names or [f"x{i + 1}" for i in range(k)])
    rng = np.random.default_rng(seed)
    a, b = rng.random((n, k)), rng.random((n, k))
    rows, sample, block = [], [], []
    for j in range(n):
        for blk in range(k + 2):
            if blk == 0:
                point = a[j]
            elif blk == k + 1:
                point = b[j]
            else:
                point = a[j].copy()
                point[blk - 1] = b[j, blk - 1]
            rows.append(point)
            sample.append(j)
            block.append(blk)
    frame = pd.DataFrame(_scale(np.array(rows), bounds), columns=names)
    return frame.assign(sobol_sample=sample, sobol_block=block)


def _means(frame: pd.DataFrame, keys: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """One row per design point: replicates (same keys) averaged."""
    return frame.groupby(list(keys), sort=True)[list(columns)].mean().reset_index()


def sobol_indices(frame: pd.DataFrame, inputs: Sequence[str], output: str,
                  bootstrap: int = 0, confidence: float = 0.95,
                  seed: Optional[int] = None) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices of `output` for each input.

    S1 by Saltelli et al. (2010), mean(f(B) (f(AB_i) − f(A))) / V; ST by Jansen (1999),
    mean((f(A) − f(AB_i))²) / 2V; V the variance of f over A and B together. Both are unbiased
    and need only the k + 2 blocks. With `bootstrap` > 0, resampling base samples gives
    percentile intervals (`S1_low`, `S1_high`, `ST_low`, `ST_high`).
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
    if bootstrap:
        rng = np.random.default_rng(seed)
        draws = np.array([_sobol(y[rng.integers(0, len(y), len(y))], k).to_numpy()
                          for _ in range(bootstrap)])
        tail = (1 - confidence) / 2 * 100
        low, high = np.percentile(draws, [tail, 100 - tail], axis=0)
        for col, name in enumerate(("S1", "ST")):
            result[f"{name}_low"], result[f"{name}_high"] = low[:, col], high[:, col]
    return result


def _sobol(y: np.ndarray, k: int) -> pd.DataFrame:
    f_a, f_b = y[:, 0], y[:, k + 1]
    variance = np.var(np.concatenate([f_a, f_b]))
    s1, st = [], []
    for i in range(1, k + 1):
        f_ab = y[:, i]
        s1.append(np.mean(f_b * (f_ab - f_a)) / variance)
        st.append(0.5 * np.mean((f_a - f_ab) ** 2) / variance)
    return pd.DataFrame({"S1": s1, "ST": st})


def morris_sample(bounds: Sequence[Sequence[float]], trajectories: int, levels: int = 4,
                  seed: Optional[int] = None, names: Optional[Sequence[str]] = None) -> pd.DataFrame:
    """Morris trajectories: each k + 1 points on a grid of `levels` levels, moving one input at
    a time (in random order) by delta = levels / (2 (levels − 1)) of its range."""
    k = len(bounds)
    names = list(names or [f"x{i + 1}" for i in range(k)])
    delta = levels / (2 * (levels - 1))
    grid = np.arange(levels) / (levels - 1)
    rng = np.random.default_rng(seed)
    rows, trajectory, step = [], [], []
    for t in range(trajectories):
        point = rng.choice(grid, size=k)
        rows.append(point.copy())
        trajectory.append(t)
        step.append(0)
        for s, i in enumerate(rng.permutation(k), start=1):
            point[i] = point[i] + delta if point[i] + delta <= 1 + 1e-12 else point[i] - delta
            rows.append(point.copy())
            trajectory.append(t)
            step.append(s)
    frame = pd.DataFrame(_scale(np.array(rows), bounds), columns=names)
    return frame.assign(morris_trajectory=trajectory, morris_step=step)


def morris_indices(frame: pd.DataFrame, inputs: Sequence[str], output: str,
                   bounds: Optional[Sequence[Sequence[float]]] = None) -> pd.DataFrame:
    """Morris's mu, mu* (mean absolute elementary effect) and sigma for each input.

    An elementary effect is the change of `output` over one step of a trajectory divided by the
    step's change of the input that moved, as a share of the input's range (`bounds`, else the
    range the sweep covered), so effects of inputs in different units compare.
    """
    inputs = list(inputs)
    points = _means(frame, MORRIS, inputs + [output]).sort_values(list(MORRIS))
    x = points[inputs].to_numpy(dtype=float)
    if bounds is None:
        low, high = x.min(axis=0), x.max(axis=0)
    else:
        low, high = np.asarray(bounds, dtype=float).T
    unit = (x - low) / np.where(high > low, high - low, 1.0)
    y = points[output].to_numpy(dtype=float)
    same = points["morris_trajectory"].to_numpy()
    effects: Dict[str, List[float]] = {name: [] for name in inputs}
    for r in range(1, len(points)):
        if same[r] != same[r - 1]:
            continue
        moved = np.flatnonzero(~np.isclose(unit[r], unit[r - 1]))
        if len(moved) != 1:
            raise ValueError(f"morris step {r} moves {len(moved)} inputs, not one")
        i = moved[0]
        effects[inputs[i]].append((y[r] - y[r - 1]) / (unit[r, i] - unit[r - 1, i]))
    rows = {name: {"mu": np.mean(e), "mu_star": np.mean(np.abs(e)),
                   "sigma": np.std(e, ddof=1) if len(e) > 1 else np.nan, "effects": len(e)}
            for name, e in effects.items()}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("input")


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
