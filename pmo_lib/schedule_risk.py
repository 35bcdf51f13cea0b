"""Schedule risk: Monte Carlo simulation of the critical path from three-point estimates.

Every iteration is a column of one array: durations are drawn for all tasks
and iterations at once (``tasks x iterations``, tasks in topological level
order), and the forward and backward passes (the rules of
:mod:`pmo_lib.schedule`) run level by level on whole rows of iterations, so
there is no Python loop over iterations.

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

from .network import Network, compile_network, nodes_and_links
from .schedule import _progress

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

        # alpha = 1 + 4c, beta = 6 - alpha; the function is only worked out strictly inside (0, 1), once per
        # distinct (alpha, z) pair: the incomplete beta function is the slow part
        alpha = np.broadcast_to(1 + 4 * c, z.shape)
        out = (z >= 1).astype(float)
        inside = (z > 0) & (z < 1)
        pairs, back = np.unique(np.column_stack([alpha[inside], z[inside]]), axis=0, return_inverse=True)
        out[inside] = betainc(pairs[:, 0], 6 - pairs[:, 0], pairs[:, 1])[back.reshape(-1)]
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
    # quantile j takes the first candidate whose cdf reaches (j + 1/2) / QUANTILES; each candidate's cdf
    # reaches floor(cdf x QUANTILES + 1/2) quantiles, ...
    reached = np.clip(np.floor(cdf * QUANTILES + 0.5), 0, QUANTILES).astype(np.int64)
    # so entry j is the number of candidates (the last apart) that quantile j has passed
    reached = np.maximum.accumulate(reached, axis=1)[:, :-1] + (QUANTILES + 1) * np.arange(len(unique))[:, None]
    passed = np.bincount(reached.ravel(), minlength=len(unique) * (QUANTILES + 1)).reshape(len(unique), -1)
    tables = np.cumsum(passed[:, :QUANTILES], axis=1, dtype=np.int32) + low.astype(np.int32)  # whole days
    return which.reshape(-1), tables


def _draw(which, tables, iterations: int, rng) -> np.ndarray:
    """Whole-day durations, tasks x iterations, from uniform table indices.

    Block by block of rows (a block's random words and indices stay in
    cache): 16 random bits per draw, of which the low 12 pick one of the
    4,096 entries of the task's table, with one gather from the flattened
    tables per block.
    """
    n = which.size
    flat = tables.reshape(-1)
    offset = (which.astype(np.int32) * QUANTILES)[:, None]
    out = np.empty((n, iterations), dtype=tables.dtype)
    rows = max(1, 262_144 // max(iterations, 1))
    spot = np.empty((min(rows, n), iterations), dtype=np.int32)
    for lo in range(0, n, rows):
        hi = min(lo + rows, n)
        cells = (hi - lo) * iterations
        words = rng.bit_generator.random_raw(-(-cells // 4)).view(np.uint16)[:cells]  # 4 draws per 64-bit word
        part = spot[: hi - lo]
        np.bitwise_and(words.reshape(hi - lo, iterations), QUANTILES - 1, out=part)
        part += offset[lo:hi]
        np.take(flat, part, out=out[lo:hi])
    return out


def simulate(
    tasks: pd.DataFrame,
    dependencies: pd.DataFrame,
    *,
    iterations: int = 10_000,
    distribution: str = "triangular",
    seed: int = 0,
    network: Network | None = None,
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
    network
        These tables compiled by :func:`~pmo_lib.network.compile_network`,
        when the caller has it already (used when the portfolio is simulated
        in one batch).

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
    16 million task-iterations so that large portfolios fit in memory.
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
        whole = network if len(batches) == 1 else None
        finish, table = _simulate_batch(tasks[rows], links, iterations, distribution, rng, whole)
        finishes.append(finish)
        per_task.append(table)
    finish_frame = pd.concat(finishes, axis=1) if finishes else pd.DataFrame(index=range(iterations))
    tasks_frame = pd.concat(per_task) if per_task else pd.DataFrame(columns=["project_id", "task_id"])
    return {"finish": finish_frame, "tasks": tasks_frame.loc[tasks.index]}


def _simulate_batch(tasks, dependencies, iterations, distribution, rng, network=None):
    if network is None:
        network = nodes_and_links(tasks, dependencies)  # the passes below lay out their own links
    else:
        network.matches(tasks, dependencies)
    pred, succ, kind, project_codes, level = (
        network.pred,
        network.succ,
        network.kind,
        network.project_codes,
        network.level,
    )
    n = len(tasks)
    lag = dependencies["lag_days"].astype(float).fillna(0.0).to_numpy()
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

    # tasks in level order: each level is one block of rows, so the passes read and write slices
    order = np.lexsort((project_codes, level))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    level, codes, pred, succ = level[order], project_codes[order], rank[pred], rank[succ]
    es0, moves, finished, running = es0[order].astype(small), moves[order], finished[order], running[order]
    d = _draw(which[order], tables, iterations, rng)  # tasks x iterations
    # progress: the deterministic pass's rules, applied to every iteration
    d[finished] = d_fixed[order][finished, None]
    if running.any():
        back = np.argsort(rank[np.flatnonzero(state == "in progress")])  # running rows, level order
        share, start, now = share[back], start[back], now[back]
        left = np.ceil(d[running] * share[:, None])
        d[running] = np.maximum(now[:, None] + left - start[:, None], 1)
    ef = _forward(d, es0, pred, succ, from_finish, to_finish, lag, level, moves)
    finish = _project_finish(ef, codes)
    critical = _backward(d, ef, finish, codes, pred, succ, from_finish, to_finish, lag, level) / max(iterations, 1)
    critical[finished] = 0.0
    sensitivity = _correlation(d, finish, codes, np.rint(mode[order]))

    names = pd.unique(tasks["project_id"].astype(str))
    finish_frame = pd.DataFrame(finish.T, columns=names)
    per_task = pd.DataFrame(
        {
            "project_id": tasks["project_id"].to_numpy(),
            "task_id": tasks["task_id"].to_numpy(),
            "criticality": critical[rank],
            "sensitivity": sensitivity[rank],
        },
        index=tasks.index,
    )
    return finish_frame, per_task


class _Passes:
    """The links of one pass arranged level by level (of one end; rows are in level order), in rounds.

    Round r of a level holds each end's r-th link, ends ascending, so that
    within a round no end repeats: a round is applied with one gather, one
    ufunc and one scatter (``ufunc.reduceat`` along rows is ten times
    slower). Everything a level needs is laid out here once, so the loop over
    levels only slices: ``pred``/``succ`` of the arranged links, where each
    level's links and rounds begin, and whether a level has any link other
    than finish-to-start without lag (most have none).
    """

    def __init__(self, level, end, links, pred, succ, from_finish, to_finish, lag):
        by_end = links[np.argsort(end[links], kind="stable")]
        ends = end[by_end]
        firsts = np.flatnonzero(np.r_[True, ends[1:] != ends[:-1]]) if ends.size else np.zeros(0, dtype=np.int64)
        rank = np.arange(ends.size) - np.repeat(firsts, np.diff(np.r_[firsts, ends.size]))
        arranged = np.lexsort((ends, rank, level[ends]))
        e, rank = by_end[arranged], rank[arranged]
        self.pred, self.succ, self.lag = pred[e], succ[e], lag[e]
        self.from_start, self.to_finish = ~from_finish[e], to_finish[e]
        levels = level[end[e]]
        self.nodes = np.searchsorted(level, np.arange(level.max(initial=0) + 2)).tolist()
        self.links = np.searchsorted(levels, np.arange(level.max(initial=0) + 2)).tolist()
        self.turns = np.flatnonzero(np.r_[True, (rank[1:] != rank[:-1]) | (levels[1:] != levels[:-1])])
        self.first_turn = np.searchsorted(self.turns, self.links).tolist()
        unusual = np.r_[0, np.cumsum(self.from_start | self.to_finish | (self.lag != 0))]
        self.special = (unusual[self.links[1:]] - unusual[self.links[:-1]] > 0).tolist()

    def level(self, k: int):
        """Node rows lo:hi, link positions a:b and the rounds' bounds (relative to a) of level k."""
        lo, hi, a, b = self.nodes[k], self.nodes[k + 1], self.links[k], self.links[k + 1]
        cuts = [*(self.turns[self.first_turn[k] : self.first_turn[k + 1]] - a).tolist(), b - a]
        return lo, hi, a, b, cuts


def _forward(d, es0, pred, succ, from_finish, to_finish, lag, level, moves):
    """Early finishes of every iteration (tasks x iterations), one level at a time.

    A level's early start is the latest of its floor ``es0`` and its
    incoming links' candidates; links into started tasks do not push. Rows
    are in level order, so each level's result is one slice.
    """
    ef = np.empty_like(d)
    plan = _Passes(level, succ, np.flatnonzero(moves[succ]), pred, succ, from_finish, to_finish, lag)
    for k in range(len(plan.nodes) - 1):
        lo, hi, a, b, cuts = plan.level(k)
        block = ef[lo:hi]
        if b == a:
            block[:] = es0[lo:hi, None]
        else:
            p, s = plan.pred[a:b], plan.succ[a:b]
            cand = ef.take(p, axis=0)  # the predecessors' early finishes
            if plan.special[k]:
                fix = np.flatnonzero(plan.from_start[a:b])
                if fix.size:  # SS / SF: from the predecessor's start
                    cand[fix] -= d[p[fix]]
                cand += plan.lag[a:b, None]
                fix = np.flatnonzero(plan.to_finish[a:b])
                if fix.size:  # FF / SF: they bound the successor's finish, so its start by its duration less
                    cand[fix] -= d[s[fix]]
            if cuts[1] == hi - lo:  # every task of the level has a link in the first round
                np.maximum(cand[: cuts[1]], es0[lo:hi, None], out=block)
            else:
                block[:] = es0[lo:hi, None]
                rows = s[: cuts[1]] - lo
                block[rows] = np.maximum(block[rows], cand[: cuts[1]])
            for r0, r1 in itertools.pairwise(cuts[1:]):
                rows = s[r0:r1] - lo
                block[rows] = np.maximum(block[rows], cand[r0:r1])
        block += d[lo:hi]
    return ef


def _backward(d, ef, finish, codes, pred, succ, from_finish, to_finish, lag, level):
    """Backward pass, deepest level first: how many iterations each task is critical in.

    A level's late finishes start as its project's finish and take the
    earliest of its outgoing links' candidates; once final they are compared
    with the early finishes (LF <= EF: no float, critical) and the level's
    late starts, all the levels above need, overwrite its early finishes in
    ``ef``: no other tasks x iterations array is allocated.
    """
    ls = ef  # rows of the levels already done hold late starts
    critical = np.zeros(d.shape[0], dtype=np.int64)
    plan = _Passes(level, pred, np.arange(pred.size), pred, succ, from_finish, to_finish, lag)
    for k in range(len(plan.nodes) - 2, -1, -1):
        lo, hi, a, b, cuts = plan.level(k)
        block = finish.take(codes[lo:hi], axis=0)  # late finishes of the level, from its projects' finish
        if b > a:
            p, s = plan.pred[a:b], plan.succ[a:b]
            cand = ls.take(s, axis=0)  # the successors' late starts
            if plan.special[k]:
                fix = np.flatnonzero(plan.to_finish[a:b])
                if fix.size:  # FF / SF: the successor's late finish
                    cand[fix] += d[s[fix]]
                cand -= plan.lag[a:b, None]
                fix = np.flatnonzero(plan.from_start[a:b])
                if fix.size:  # SS / SF: they bound the predecessor's start, so its finish by its duration more
                    cand[fix] += d[p[fix]]
            if cuts[1] == hi - lo:
                np.minimum(block, cand[: cuts[1]], out=block)
                start = 1
            else:
                start = 0
            for r0, r1 in itertools.pairwise(cuts[start:]):
                rows = p[r0:r1] - lo
                block[rows] = np.minimum(block[rows], cand[r0:r1])
        critical[lo:hi] = np.count_nonzero(block <= ef[lo:hi], axis=1)
        np.subtract(block, d[lo:hi], out=ls[lo:hi])
    return critical


def _project_finish(ef: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The latest early finish of each project (projects x iterations, in project-code order)."""
    if codes.size == 0:
        return np.zeros((0, ef.shape[1]), dtype=ef.dtype)
    if codes.max() == 0:
        return ef.max(axis=0, keepdims=True)
    by_project = np.argsort(codes, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(codes[by_project]) != 0])
    return np.maximum.reduceat(ef.take(by_project, axis=0), starts, axis=0)


def _correlation(d: np.ndarray, finish: np.ndarray, codes: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Pearson correlation of each task's durations with its project's finish (0 when either is constant).

    Durations are shifted by a whole number near their mean (``centre``)
    before they become float32, so the sums of small whole numbers stay
    exact; the work goes in blocks of rows that stay in cache.
    """
    n, iterations = d.shape
    y = finish.astype(np.float64)
    y -= y.mean(axis=1, keepdims=True)
    m2_y = np.einsum("ij,ij->i", y, y)[codes]
    y = y.astype(np.float32)
    co, total, squares = np.zeros(n), np.zeros(n), np.zeros(n)
    shift = np.nan_to_num(centre).astype(d.dtype)[:, None]
    rows = max(1, 163_840 // max(iterations, 1))  # small enough that BLAS keeps to one thread
    block = np.empty((min(rows, n), iterations), dtype=np.float32)
    # with few projects one matrix product gives each task's sum of x x y for every project, and its sum of x
    few = y.shape[0] <= 16
    rhs = np.vstack([y, np.ones((1, iterations), dtype=np.float32)]).T.copy() if few else None
    for lo in range(0, n, rows):
        hi = min(lo + rows, n)
        x = block[: hi - lo]
        np.subtract(d[lo:hi], shift[lo:hi], out=x, casting="unsafe")
        if few:
            both = x @ rhs
            co[lo:hi] = both[np.arange(hi - lo), codes[lo:hi]]
            total[lo:hi] = both[:, -1]
        else:
            co[lo:hi] = np.einsum("ij,ij->i", x, y.take(codes[lo:hi], axis=0))
            total[lo:hi] = x.sum(axis=1, dtype=np.float64)
        squares[lo:hi] = np.einsum("ij,ij->i", x, x)
    m2_x = np.maximum(squares - total * total / max(iterations, 1), 0)
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
    compiled = compile_network(work, deps)  # one join of links onto tasks for the simulation and the plan
    result = simulate(work, deps, iterations=iterations, distribution=distribution, seed=seed, network=compiled)
    cpm = critical_path(work, deps, compiled)

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
