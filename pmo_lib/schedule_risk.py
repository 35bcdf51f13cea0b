"""Schedule risk: Monte Carlo simulation of the critical path from three-point estimates.

Every iteration is a row of one array: durations are drawn for all iterations
and tasks at once (``iterations x tasks``), and the forward and backward passes
of :mod:`pmo_lib.schedule` run on whole columns of iterations, level by level,
so there is no Python loop over iterations.

Duration distributions (chosen by name):

``"triangular"``
    minimum a (optimistic), mode m (most likely), maximum b (pessimistic).
``"pert"``
    PERT-beta on [a, b] with mode m: alpha = 1 + 4 (m - a) / (b - a),
    beta = 1 + 4 (b - m) / (b - a); mean (a + 4m + b) / 6 [1]_.

Results per project: the finish distribution (any percentile, e.g. P50 / P80 /
P95), the probability of finishing by a given day; per task: the criticality
index (share of iterations in which it is critical) and the duration
sensitivity (correlation of its duration with its project's finish) [2]_.

References
----------
.. [1] D. Vose, *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley, 2008,
   sec. 9.1.3 (PERT distribution).
.. [2] Project Management Institute, *Practice Standard for Project Risk
   Management*, 2009, sec. 7.4 (schedule risk analysis, criticality and
   sensitivity).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schedule import _levels, _network

DISTRIBUTIONS = ("triangular", "pert")


def sample_durations(
    low, mode, high, iterations: int, *, distribution: str = "triangular", seed: int = 0
) -> np.ndarray:
    """Durations for every iteration (rows) and task (columns) [working days].

    Tasks whose three points are equal (or missing) keep that duration.
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"unknown distribution {distribution!r}; choose one of: {', '.join(DISTRIBUTIONS)}")
    a, m, b = (np.asarray(x, dtype=float) for x in (low, mode, high))
    rng = np.random.default_rng(seed)
    spread = b - a
    fixed = ~(spread > 0)
    width = np.where(fixed, 1.0, spread)
    if distribution == "triangular":
        u = rng.random((iterations, a.size))
        c = np.clip((m - a) / width, 0, 1)
        left = u < c
        x = np.where(left, np.sqrt(u * c), 1 - np.sqrt((1 - u) * (1 - c)))
    else:
        alpha = 1 + 4 * np.clip((m - a) / width, 0, 1)
        beta = 1 + 4 * np.clip((b - m) / width, 0, 1)
        x = rng.beta(alpha, beta, size=(iterations, a.size))
    draws = a + x * width
    return np.where(fixed, np.nan_to_num(m), draws)


def simulate(
    tasks: pd.DataFrame,
    dependencies: pd.DataFrame,
    *,
    iterations: int = 10_000,
    distribution: str = "triangular",
    seed: int = 0,
) -> dict[str, pd.DataFrame]:
    """Monte Carlo schedule risk for every project at once.

    Parameters
    ----------
    tasks
        ``project_id``, ``task_id``, ``duration_days`` and the three-point
        estimates ``optimistic_days``, ``most_likely_days``,
        ``pessimistic_days`` [working days]; a task without them keeps its
        duration.
    dependencies
        As for :func:`pmo_lib.schedule.critical_path`.
    iterations, distribution, seed
        Number of draws, ``"triangular"`` or ``"pert"``, random seed (the same
        seed gives the same answer).

    Returns
    -------
    dict
        ``"finish"``: the simulated finish of each project per iteration
        [working days from the project start] (rows = iterations, columns =
        projects); ``"tasks"``: per task, ``criticality`` (0-1) and
        ``sensitivity`` (correlation of duration with the project finish).
    """
    nodes, pred, succ, kind, lag, project_codes = _network(tasks, dependencies)
    n = len(nodes)
    level = _levels(pred, succ, n, lambda rows: tasks["task_id"].astype(str).iloc[rows].tolist())
    planned = tasks["duration_days"].astype(float).to_numpy()

    def estimate(name):
        return tasks[name].astype(float).to_numpy() if name in tasks else np.full(n, np.nan)

    low = np.where(np.isnan(estimate("optimistic_days")), planned, estimate("optimistic_days"))
    mode = np.where(np.isnan(estimate("most_likely_days")), planned, estimate("most_likely_days"))
    high = np.where(np.isnan(estimate("pessimistic_days")), planned, estimate("pessimistic_days"))
    d = np.rint(sample_durations(low, mode, high, iterations, distribution=distribution, seed=seed)).astype(np.int64)
    from_finish = (kind == 0) | (kind == 2)
    to_finish = kind >= 2
    lag = np.rint(lag).astype(np.int64)

    es = np.zeros((iterations, n), dtype=np.int64)
    by_succ = np.argsort(level[succ], kind="stable")
    bounds = np.searchsorted(level[succ[by_succ]], np.arange(level.max() + 2))
    for k in range(1, level.max() + 1):
        e = by_succ[bounds[k] : bounds[k + 1]]
        if e.size:
            p, s = pred[e], succ[e]
            cand = es[:, p] + np.where(from_finish[e], d[:, p], 0) + lag[e] - np.where(to_finish[e], d[:, s], 0)
            _reduce_into(np.maximum, es, s, cand)
    ef = es + d
    by_project = np.argsort(project_codes, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(project_codes[by_project]) != 0])
    finish = np.maximum.reduceat(ef[:, by_project], starts, axis=1)  # iterations x projects
    project_finish = finish[:, project_codes]

    lf = project_finish.copy()
    by_pred = np.argsort(level[pred], kind="stable")
    pbounds = np.searchsorted(level[pred[by_pred]], np.arange(level.max() + 2))
    for k in range(level.max(), -1, -1):
        e = by_pred[pbounds[k] : pbounds[k + 1]]
        if e.size:
            p, s = pred[e], succ[e]
            read = np.where(to_finish[e], lf[:, s], lf[:, s] - d[:, s]) - lag[e]
            _reduce_into(np.minimum, lf, p, np.where(from_finish[e], read, read + d[:, p]))
    critical = (lf - d - es) <= 0

    finish_frame = pd.DataFrame(finish, columns=pd.unique(tasks["project_id"].astype(str)))
    sensitivity = _correlation(d.astype(float), project_finish.astype(float))
    per_task = pd.DataFrame(
        {
            "project_id": tasks["project_id"].to_numpy(),
            "task_id": tasks["task_id"].to_numpy(),
            "criticality": critical.mean(axis=0),
            "sensitivity": sensitivity,
        },
        index=tasks.index,
    )
    return {"finish": finish_frame, "tasks": per_task}


def _reduce_into(ufunc: np.ufunc, target: np.ndarray, columns: np.ndarray, values: np.ndarray) -> None:
    """target[:, c] = ufunc(target[:, c], values of every link into c), for np.maximum or np.minimum.

    The 2-D counterpart of ``ufunc.at``: links are sorted by column and reduced per column.
    """
    order = np.argsort(columns, kind="stable")
    cols, vals = columns[order], values[:, order]
    starts = np.flatnonzero(np.r_[True, cols[1:] != cols[:-1]])
    unique = cols[starts]
    target[:, unique] = ufunc(target[:, unique], ufunc.reduceat(vals, starts, axis=1))


def _correlation(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson correlation of each column of x with the same column of y (0 when either is constant)."""
    xc = x - x.mean(axis=0)
    yc = y - y.mean(axis=0)
    den = np.sqrt((xc**2).sum(axis=0) * (yc**2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (xc * yc).sum(axis=0) / np.where(den > 0, den, 1), 0.0)


def finish_percentiles(finish: pd.DataFrame, percentiles=(50, 80, 95)) -> pd.DataFrame:
    """P50/P80/P95 (or any) simulated finish per project [working days from the project start]."""
    return pd.DataFrame(
        {f"p{q}": np.percentile(finish.to_numpy(), q, axis=0) for q in percentiles}, index=finish.columns
    )


def probability_by(finish: pd.DataFrame, day) -> pd.Series:
    """Share of iterations in which each project finishes by ``day`` (one number or one per project)."""
    return (finish <= np.asarray(day)).mean(axis=0)
