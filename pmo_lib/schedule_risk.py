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

import itertools

import numpy as np
import pandas as pd

from .schedule import _levels, _network, _progress

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


QUANTILES = 4096  # resolution of the sampling tables: probabilities to 1/4096 (0.024 %)
CELLS_PER_BATCH = 16_000_000  # tasks x iterations held in memory at once


def _cdf(x: np.ndarray, a: np.ndarray, m: np.ndarray, b: np.ndarray, distribution: str) -> np.ndarray:
    """The continuous distribution function on [a, b] (rows are triples, columns are points)."""
    width = b - a
    z = np.clip((x - a) / np.where(width > 0, width, 1.0), 0.0, 1.0)
    c = np.clip((m - a) / np.where(width > 0, width, 1.0), 0.0, 1.0)
    if distribution == "triangular":
        with np.errstate(divide="ignore", invalid="ignore"):
            left = np.where(c > 0, z * z / np.where(c > 0, c, 1.0), 1.0)
            right = np.where(c < 1, 1 - (1 - z) ** 2 / np.where(c < 1, 1 - c, 1.0), 1.0)
        out = np.where(z <= c, left, right)
    else:
        from scipy.special import betainc

        out = betainc(1 + 4 * c, 1 + 4 * (1 - c), z)
    return np.where(width > 0, out, (x >= a).astype(float))


def _sampling_tables(a, m, b, distribution: str):
    """Inverse-distribution tables of the durations rounded to whole days, one per distinct estimate.

    Entry j of a table is the smallest whole duration k with P(round(X) <= k)
    = F(k + 1/2) >= (j + 1/2) / QUANTILES, so a uniform index j gives a draw of
    the rounded distribution (inverse-transform sampling). Returns each
    task's table number and the tables (tables x QUANTILES).
    """
    triples = np.column_stack([a, m, b])
    unique, which = np.unique(triples, axis=0, return_inverse=True)
    ua, um, ub = unique[:, 0:1], unique[:, 1:2], unique[:, 2:3]
    low = np.rint(ua)
    values = low + np.arange(int(np.max(np.rint(ub) - low)) + 1)[None, :]  # candidate whole durations
    cdf = _cdf(values + 0.5, ua, um, ub, distribution)
    cdf[:, -1] = 1.0  # the last candidate closes every table
    cdf = np.where(values >= np.rint(ub), 1.0, cdf)
    q = (np.arange(QUANTILES) + 0.5) / QUANTILES
    steps = np.stack([np.searchsorted(row, q) for row in cdf])
    tables = (low + steps).astype(np.int32)
    return which.reshape(-1), tables


def _draw(which, tables, iterations: int, rng) -> np.ndarray:
    """Whole-day durations, tasks x iterations, from uniform table indices."""
    cells = which.size * iterations
    raw = rng.bit_generator.random_raw(-(-cells // 4)).view(np.uint16)[:cells]  # 4 uniform 16-bit words per draw
    index = (raw & (QUANTILES - 1)).reshape(which.size, iterations)
    out = np.empty((which.size, iterations), dtype=tables.dtype)
    order = np.argsort(which, kind="stable")
    bounds = np.flatnonzero(np.r_[True, np.diff(which[order]) != 0, True])
    for lo, hi in itertools.pairwise(bounds):
        rows = order[lo:hi]
        out[rows] = tables[which[rows[0]]][index[rows]]
    return out


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
        duration. Optional progress columns as for
        :func:`pmo_lib.schedule.critical_path` (``actual_start_day``,
        ``actual_finish_day``, ``status_day``) and ``remaining_share`` (the
        share of the work left, 1 - percent complete / 100): finished tasks
        keep their actual dates, tasks in progress keep their actual start and
        finish the sampled duration x remaining share from the status day,
        nothing unstarted starts before the status day.
    dependencies
        As for :func:`pmo_lib.schedule.critical_path`.
    iterations, distribution, seed
        Number of draws, ``"triangular"`` or ``"pert"``, random seed (the same
        seed and data give the same answer).

    Returns
    -------
    dict
        ``"finish"``: the simulated finish of each project per iteration
        [working days from the project start] (rows = iterations, columns =
        projects); ``"tasks"``: per task, ``criticality`` (0-1) and
        ``sensitivity`` (correlation of duration with the project finish).

    Notes
    -----
    Durations are whole working days, drawn from the three-point
    distribution rounded to the day by inverse-transform sampling with
    tables of 4,096 quantiles. Projects are simulated in batches of about
    40 million task-iterations so that large portfolios fit in memory.
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"unknown distribution {distribution!r}; choose one of: {', '.join(DISTRIBUTIONS)}")
    codes, projects = pd.factorize(tasks["project_id"].astype(str))
    sizes = np.bincount(codes, minlength=len(projects))
    per_batch = max(1, CELLS_PER_BATCH // max(iterations, 1))
    batch_of_project = np.cumsum(sizes) // per_batch if len(projects) else sizes
    batches = np.unique(batch_of_project)
    rng = np.random.default_rng(seed)
    finishes, per_task = [], []
    for batch in batches:
        keep = set(projects[batch_of_project == batch])
        rows = tasks["project_id"].isin(keep).to_numpy() if len(batches) > 1 else slice(None)
        links = dependencies[dependencies["project_id"].isin(keep)] if len(batches) > 1 else dependencies
        finish, table = _simulate_batch(tasks[rows], links, iterations, distribution, rng)
        finishes.append(finish)
        per_task.append(table)
    finish_frame = pd.concat(finishes, axis=1) if finishes else pd.DataFrame(index=range(iterations))
    tasks_frame = pd.concat(per_task) if per_task else pd.DataFrame(columns=["project_id", "task_id"])
    return {"finish": finish_frame, "tasks": tasks_frame.loc[tasks.index]}


def _simulate_batch(tasks, dependencies, iterations, distribution, rng):
    nodes, pred, succ, kind, lag, project_codes = _network(tasks, dependencies)
    n = len(nodes)
    level = _levels(pred, succ, n, lambda rows: tasks["task_id"].astype(str).iloc[rows].tolist())
    planned = tasks["duration_days"].astype(float).to_numpy()

    def column(name, default=np.nan):
        return tasks[name].astype(float).to_numpy() if name in tasks else np.full(n, default)

    low = np.where(np.isnan(column("optimistic_days")), planned, column("optimistic_days"))
    mode = np.where(np.isnan(column("most_likely_days")), planned, column("most_likely_days"))
    high = np.where(np.isnan(column("pessimistic_days")), planned, column("pessimistic_days"))
    low, high = np.minimum(low, mode), np.maximum(high, mode)
    which, tables = _sampling_tables(low, mode, high, distribution)
    es0, d_fixed, moves, state = _progress(tasks, np.rint(planned).astype(np.int64))
    finished, running = state == "finished", state == "in progress"
    # whole days fit in 16 bits when no project can reach 32,767 working days: half the memory traffic
    longest = np.maximum(tables.max(axis=1)[which], d_fixed) + es0  # a task's latest possible finish, at most
    reach = np.bincount(project_codes, weights=longest, minlength=project_codes.max(initial=0) + 1)
    reach += np.bincount(project_codes[pred], weights=np.abs(lag), minlength=reach.size)
    small = np.int16 if reach.max(initial=0) < np.iinfo(np.int16).max // 2 else np.int32
    from_finish = (kind == 0) | (kind == 2)
    to_finish = kind >= 2
    lag = np.rint(lag).astype(small)
    tables = tables.astype(small)
    share = np.clip(column("remaining_share", 1.0), 0, 1)[running]
    start = column("actual_start_day")[running]
    status = column("status_day")[running]
    now = np.where(np.isnan(status), start + 1, status)

    d = _draw(which, tables, iterations, rng)  # tasks x iterations
    # progress: the deterministic pass's rules, applied to every iteration
    d[finished] = d_fixed[finished, None]
    if running.any():
        left = np.ceil(d[running] * share[:, None])
        d[running] = np.maximum(now[:, None] + left - start[:, None], 1)
    es, _, finish = _forward(d, es0, moves, pred, succ, from_finish, to_finish, lag, level, project_codes)
    ls, _ = _backward(d, finish[project_codes], pred, succ, from_finish, to_finish, lag, level)
    critical_count = np.count_nonzero(ls <= es, axis=1)
    critical = critical_count / max(iterations, 1)
    critical[finished] = 0.0

    names = pd.unique(tasks["project_id"].astype(str))
    finish_frame = pd.DataFrame(finish.T, columns=names)
    per_task = pd.DataFrame(
        {
            "project_id": tasks["project_id"].to_numpy(),
            "task_id": tasks["task_id"].to_numpy(),
            "criticality": critical,
            "sensitivity": _correlation(d, finish, project_codes),
        },
        index=tasks.index,
    )
    return finish_frame, per_task


def _by_level(level: np.ndarray, end: np.ndarray, links: np.ndarray):
    """Links grouped by the level of one of their ends, then into rounds in which no end repeats.

    Returns (level, links, rounds) in level order; ``rounds`` lists positions
    in ``links``, or is ``None`` when every end in the level is distinct.
    """
    order = links[np.lexsort((end[links], level[end[links]]))]
    ends = end[order]
    bounds = np.flatnonzero(np.r_[True, np.diff(level[ends]) != 0, True])
    groups = []
    for lo, hi in itertools.pairwise(bounds):
        group = ends[lo:hi]
        firsts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        rounds = None
        if firsts.size < group.size:
            rank = np.arange(group.size) - np.repeat(firsts, np.diff(np.r_[firsts, group.size]))
            rounds = [np.flatnonzero(rank == r) for r in range(rank.max() + 1)]
        groups.append((level[group[0]], order[lo:hi], rounds))
    return groups


def _push(ufunc, target: np.ndarray, rows: np.ndarray, values: np.ndarray, rounds) -> None:
    """target[r] = ufunc(target[r], every row of values aimed at r), for np.maximum or np.minimum.

    Rows aimed at the same target are applied in rounds of distinct targets
    (cheaper than ``ufunc.reduceat`` along rows).
    """
    for part in [None] if rounds is None else rounds:
        r, v = (rows, values) if part is None else (rows[part], values[part])
        ufunc(v, target[r], out=v)
        target[r] = v


def _forward(d, es0, moves, pred, succ, from_finish, to_finish, lag, level, project_codes):
    """Early starts and finishes of every iteration, one numpy step per level.

    ``both`` holds the early starts (rows 0..n-1) and early finishes (rows
    n..2n-1), so that a link reads its predecessor's start or finish in one
    gather. A level's finishes are written once its starts are final.
    """
    n, iterations = d.shape
    both = np.empty((2 * n, iterations), dtype=d.dtype)
    both[:n] = es0[:, None]
    both[n:] = both[:n] + d
    links = np.flatnonzero(moves[succ])  # links into started tasks do not push
    nodes_by_level = np.argsort(level, kind="stable")
    node_bounds = np.searchsorted(level[nodes_by_level], np.arange(level.max() + 2)) if n else np.zeros(1, int)
    for k, e, rounds in _by_level(level, succ, links):
        cand = both[pred[e] + n * from_finish[e]]
        if lag[e].any():
            cand += lag[e][:, None]
        tf = np.flatnonzero(to_finish[e])
        if tf.size:
            cand[tf] -= d[succ[e[tf]]]
        _push(np.maximum, both, succ[e], cand, rounds)
        nodes = nodes_by_level[node_bounds[k] : node_bounds[k + 1]]
        both[n + nodes] = both[nodes] + d[nodes]
    es, ef = both[:n], both[n:]
    by_project = np.argsort(project_codes, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(project_codes[by_project]) != 0]) if n else np.zeros(0, int)
    finish = np.maximum.reduceat(ef[by_project], starts, axis=0) if n else np.zeros((0, iterations), np.int32)
    return es, ef, finish


def _backward(d, project_finish, pred, succ, from_finish, to_finish, lag, level):
    """Late starts and finishes of every iteration, deepest level first (rows as in :func:`_forward`)."""
    n = d.shape[0]
    both = np.empty((2 * n, d.shape[1]), dtype=d.dtype)
    both[n:] = project_finish
    both[:n] = both[n:] - d
    nodes_by_level = np.argsort(level, kind="stable")
    node_bounds = np.searchsorted(level[nodes_by_level], np.arange(level.max() + 2)) if n else np.zeros(1, int)
    for k, e, rounds in reversed(_by_level(level, pred, np.arange(pred.size))):
        read = both[succ[e] + n * to_finish[e]]  # the successor's late start or finish
        if lag[e].any():
            read -= lag[e][:, None]
        ss = np.flatnonzero(~from_finish[e])  # a link from the start limits the finish by the duration
        if ss.size:
            read[ss] += d[pred[e[ss]]]
        _push(np.minimum, both, n + pred[e], read, rounds)
        nodes = nodes_by_level[node_bounds[k] : node_bounds[k + 1]]
        both[nodes] = both[n + nodes] - d[nodes]
    return both[:n], both[n:]


def _correlation(d: np.ndarray, finish: np.ndarray, project_codes: np.ndarray) -> np.ndarray:
    """Pearson correlation of each task's durations with its project's finish (0 when either is constant)."""
    x = d.astype(np.float32)
    x -= x.mean(axis=1, keepdims=True, dtype=np.float64).astype(np.float32)
    y = finish.astype(np.float64)
    y = (y - y.mean(axis=1, keepdims=True)).astype(np.float32)
    co = np.zeros(d.shape[0])
    order = np.argsort(project_codes, kind="stable")
    bounds = np.flatnonzero(np.r_[True, np.diff(project_codes[order]) != 0, True])
    for j, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        rows = order[lo:hi]
        co[rows] = x[rows] @ y[j]  # one matrix-vector product per project
    m2_x = np.einsum("ij,ij->i", x, x, dtype=np.float64)
    m2_y = np.einsum("ij,ij->i", y, y, dtype=np.float64)[project_codes]
    spread = np.sqrt(m2_x * m2_y)
    return np.clip(np.where(spread > 1e-9, co / np.where(spread > 1e-9, spread, 1), 0.0), -1.0, 1.0)


def finish_percentiles(finish: pd.DataFrame, percentiles=(50, 80, 95)) -> pd.DataFrame:
    """P50/P80/P95 (or any) simulated finish per project [working days from the project start]."""
    return pd.DataFrame(
        {f"p{q}": np.percentile(finish.to_numpy(), q, axis=0) for q in percentiles}, index=finish.columns
    )


def probability_by(finish: pd.DataFrame, day) -> pd.Series:
    """Share of iterations in which each project finishes by ``day`` (one number or one per project)."""
    return (finish <= np.asarray(day)).mean(axis=0)


def forecast(
    portfolio,
    as_of=None,
    *,
    iterations: int = 10_000,
    distribution: str = "triangular",
    seed: int = 0,
    percentiles=(50, 80, 95),
    projects=None,
    calendar: str | None = None,
    top: int = 3,
) -> dict[str, pd.DataFrame]:
    """Schedule risk of every project in dates: P50/P80/P95 finish and the chance of the baseline date.

    Runs :func:`simulate` with the progress as of ``as_of`` (see
    :func:`pmo_lib.schedule.schedule` for the rules and the calendar) and
    turns working-day offsets into dates on the schedule's calendar.

    Returns
    -------
    dict
        ``"projects"``: one row per project: ``project_id``,
        ``planned_finish`` (the deterministic critical-path finish),
        ``p50`` / ``p80`` / ``p95`` (or the requested percentiles)
        [dates: the last working day], ``baseline_finish``,
        ``chance_by_baseline`` (share of iterations finishing on or before
        the baseline finish), ``most_critical`` (the ``top`` unfinished tasks
        by criticality index, e.g. ``"T012 98%"``); ``"tasks"``: per task
        ``criticality`` and ``sensitivity``.
    """
    from .schedule import _prepare, critical_path

    tasks, deps, cal, calendar, origin, work = _prepare(portfolio, as_of, calendar, projects)
    for name in ("optimistic_days", "most_likely_days", "pessimistic_days"):
        work[name] = tasks[name]
    work["remaining_share"] = 1 - tasks["percent_complete"].astype(float).fillna(0.0).clip(0, 100) / 100
    result = simulate(work, deps, iterations=iterations, distribution=distribution, seed=seed)
    cpm = critical_path(work, deps)

    day0 = origin.groupby(tasks["project_id"].astype(str), sort=False).first()
    finish = result["finish"]
    ids = pd.Index(finish.columns)
    start = day0.reindex(ids).to_numpy().astype("datetime64[D]")

    def last_day(offsets):
        return pd.to_datetime(cal.add(start, np.maximum(np.asarray(offsets, dtype=float) - 1, 0), calendar))

    planned = cpm.groupby(cpm["project_id"].astype(str), sort=False)["early_finish"].max().reindex(ids)
    out = pd.DataFrame({"project_id": ids, "planned_finish": last_day(planned.to_numpy())})
    values = finish.to_numpy()
    for q in percentiles:
        out[f"p{q}"] = last_day(np.percentile(values, q, axis=0, method="higher"))
    baseline = portfolio.projects.set_index("project_id")["baseline_finish"].reindex(ids).to_numpy()
    out["baseline_finish"] = pd.to_datetime(baseline)
    limit = cal.count(start, baseline.astype("datetime64[D]") + np.timedelta64(1, "D"), calendar)
    chance = (values <= limit[None, :]).mean(axis=0)
    out["chance_by_baseline"] = np.where(np.isnan(limit), np.nan, chance)

    per_task = result["tasks"].assign(progress=cpm["progress"].to_numpy())
    open_tasks = per_task[per_task["progress"] != "finished"]
    ranked = open_tasks.sort_values(["criticality", "sensitivity"], ascending=False, kind="stable")
    leaders = ranked.groupby(ranked["project_id"].astype(str), sort=False).head(top)
    labels = leaders["task_id"].astype(str) + " " + (leaders["criticality"] * 100).round().astype(int).astype(str) + "%"
    joined = labels.groupby(leaders["project_id"].astype(str), sort=False).agg(", ".join)
    out["most_critical"] = joined.reindex(ids).fillna("").to_numpy()
    return {"projects": out, "tasks": per_task.reset_index(drop=True)}
