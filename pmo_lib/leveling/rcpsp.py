"""Resource levelling: resource-constrained scheduling by the serial schedule generation scheme.

The serial SGS (Kolisch 1996) takes the activities one at a time in a
priority order that respects precedence, and starts each at the earliest
time its predecessors have finished and its resources are free for its whole
duration. Here many schedules are built at once: every array has one row per
schedule (``K`` x activities, ``K`` x time x resources), so the loop is over
activities, never over schedules.

- Priority rules: ``"lft"`` (latest finish time from the backward pass),
  ``"lst"`` (latest start), ``"min_slack"`` (total float), ``"spt"`` (shortest
  first), ``"priority"`` (a given value per activity, e.g. project priority).
- Sampling: regret-based biased random sampling around the rule (Drexl 1991),
  each schedule drawing its own order.
- Justification (forward-backward improvement, Valls, Ballestin and Quintanilla
  2005): each schedule is right-justified (activities as late as possible, in
  order of decreasing finish) and then left-justified again, which never
  lengthens it and often shortens it.

References
----------
.. [1] R. Kolisch, "Serial and parallel resource-constrained project scheduling
   methods revisited: Theory and computation", *EJOR* 90 (1996) 320-333.
.. [2] A. Drexl, "Scheduling of project networks by job assignment",
   *Management Science* 37 (1991) 1590-1602.
.. [3] V. Valls, F. Ballestin, S. Quintanilla, "Justification and RCPSP: A
   technique that pays", *EJOR* 165 (2005) 375-386.
.. [4] R. Kolisch, A. Sprecher, "PSPLIB - A project scheduling problem
   library", *EJOR* 96 (1996) 205-216.
.. [6] S. Hartmann, "A competitive genetic algorithm for resource-constrained
   project scheduling", *Naval Research Logistics* 45 (1998) 733-750.

An optional exact mode (:func:`exact`) hands the same problem to OR-Tools
CP-SAT, which proves small plans optimal or improves the heuristic's answer
within a time limit.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import PMOError

RULES = ("lft", "lst", "min_slack", "spt", "priority")
ELITE = 12  # distinct schedules kept to search around
GENETIC_FROM = 60  # activities: "auto" runs the genetic search above this, the elite sampling up to it (on j30's
# 30 activities the sampling came nearer the optimum at 5,000 schedules: 0.09 % against 0.19 %)


@dataclass
class Problem:
    """A resource-constrained project: durations, precedence, requests and capacities (integers)."""

    durations: np.ndarray  # (n,)
    successors: list[list[int]]
    requests: np.ndarray  # (n, R)
    capacity: np.ndarray  # (R,)
    name: str = ""

    @property
    def n(self) -> int:
        return int(self.durations.size)

    def predecessors(self) -> list[list[int]]:
        preds: list[list[int]] = [[] for _ in range(self.n)]
        for a, succ in enumerate(self.successors):
            for b in succ:
                preds[b].append(a)
        return preds

    def topological(self) -> np.ndarray:
        from ..graph import topological_levels

        pred = np.array([a for a, s in enumerate(self.successors) for _ in s], dtype=np.int64)
        succ = np.array([b for s in self.successors for b in s], dtype=np.int64)
        return topological_levels(pred, succ, self.n)

    def early_late(self) -> tuple[np.ndarray, np.ndarray, int]:
        """Early starts and late finishes without resources, and the critical-path length (a lower bound)."""
        order = np.argsort(self.topological(), kind="stable")
        es = np.zeros(self.n, dtype=np.int64)
        for a in order:  # at most a few hundred activities: the plain passes are the clearest
            for b in self.successors[a]:
                es[b] = max(es[b], es[a] + self.durations[a])
        length = int((es + self.durations).max())
        lf = np.full(self.n, length, dtype=np.int64)
        for a in order[::-1]:
            for b in self.successors[a]:
                lf[a] = min(lf[a], lf[b] - self.durations[b])
        return es, lf, length


def read_psplib(path) -> Problem:
    """Read a PSPLIB single-mode ``.sm`` file [4]_; a file in another shape is a :class:`PMOError` naming it."""
    path = Path(path)
    text = path.read_text(encoding="latin-1")
    lines = text.splitlines()
    try:
        n = int(re.search(r"jobs \(incl\. supersource/sink \):\s*(\d+)", text).group(1))
        p0 = _section(lines, "PRECEDENCE RELATIONS:") + 2
        successors = []
        for line in lines[p0 : p0 + n]:
            parts = [int(x) for x in line.split()]
            successors.append([s - 1 for s in parts[3 : 3 + parts[2]]])
        r0 = _section(lines, "REQUESTS/DURATIONS:") + 3
        rows = [[int(x) for x in line.split()] for line in lines[r0 : r0 + n]]
        durations = np.array([r[2] for r in rows], dtype=np.int64)
        requests = np.array([r[3:] for r in rows], dtype=np.int64)
        capacity = np.array(
            [int(x) for x in lines[_section(lines, "RESOURCEAVAILABILITIES:") + 2].split()], dtype=np.int64
        )
    except (AttributeError, ValueError, IndexError, StopIteration):
        raise PMOError(f"{path}: not a PSPLIB single-mode (.sm) file; it needs the jobs count, PRECEDENCE RELATIONS, "
                       "REQUESTS/DURATIONS and RESOURCEAVAILABILITIES sections") from None  # fmt: skip
    if requests.shape != (n, capacity.size) or any(s < 0 or s >= n for succ in successors for s in succ):
        raise PMOError(f"{path}: the sections disagree (jobs, successors and resources do not match)")
    return Problem(durations, successors, requests, capacity, path.stem)


def _section(lines: list[str], title: str) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(title))


def _padded_predecessors(problem: Problem) -> np.ndarray:
    preds = problem.predecessors()
    width = max(1, max(len(p) for p in preds))
    out = np.full((problem.n, width), -1, dtype=np.int64)
    for a, p in enumerate(preds):
        out[a, : len(p)] = p
    return out


def serial_sgs(problem: Problem, keys: np.ndarray, horizon: int | None = None) -> np.ndarray:
    """Start times of ``K`` schedules, one per row of ``keys`` (lower key = scheduled first among eligible).

    Each step picks, in every schedule, the eligible activity (all
    predecessors scheduled) with the lowest key, and starts it at the
    earliest precedence- and resource-feasible time [1]_. ``horizon`` bounds
    the time axis (default: the sum of all durations, always enough); a
    schedule that does not fit within a shorter horizon gets starts at or
    past the horizon, so :func:`makespan` shows it as too long.
    """
    k, n = keys.shape
    d = problem.durations
    req = problem.requests
    cap = problem.capacity
    horizon = int(horizon or d.sum() + 1)
    preds = _padded_predecessors(problem)
    has_pred = preds >= 0
    npred = has_pred.sum(axis=1)
    rows = np.arange(k)
    start = np.full((k, n), -1, dtype=np.int64)
    finish = np.zeros((k, n + 1), dtype=np.int64)  # column n: a dummy finish 0 for padded predecessors
    done_preds = np.zeros((k, n), dtype=np.int64)
    scheduled = np.zeros((k, n), dtype=bool)
    usage = np.zeros((cap.size, k, horizon + 1), dtype=np.int32)  # resource-major: each resource a contiguous block
    times = np.arange(horizon + 1)
    succ_matrix = np.zeros((n, n), dtype=np.int64)
    for a, succ in enumerate(problem.successors):
        succ_matrix[a, succ] = 1
    for _ in range(n):
        eligible = (done_preds == npred[None, :]) & ~scheduled
        pick = np.where(eligible, keys, np.inf).argmin(axis=1)
        p = preds[pick]  # (k, width)
        es = np.where(p >= 0, finish[rows[:, None], np.where(p >= 0, p, n)], 0).max(axis=1)
        dur = d[pick]
        need = req[pick]  # (k, R)
        lo = min(int(es.min()), horizon)  # nothing starts earlier: the columns before cannot matter
        width = horizon + 1 - lo
        over = np.zeros((k, width), dtype=bool)  # (k, T - lo): a unit of time that cannot take it
        for r in np.flatnonzero(need.any(axis=0)):  # a resource nobody asks for blocks nothing
            over |= usage[r, :, lo:] > (cap[r] - need[:, r])[:, None]
        blocked = np.zeros((k, width + 1), dtype=np.int32)
        np.cumsum(over, axis=1, dtype=np.int32, out=blocked[:, 1:])
        rel = times[:width]
        # blocked units in [t, t + d) for each schedule's own d: one slice per distinct duration (a handful),
        # the count held past the horizon so a window may run off the end
        dmax = int(dur.max(initial=0))
        padded = np.concatenate([blocked, np.repeat(blocked[:, -1:], dmax, axis=1)], axis=1) if dmax else blocked
        t0 = es.copy()
        for length in np.unique(dur[dur > 0]):
            sel = np.flatnonzero(dur == length)
            part = padded[sel]
            ok = (part[:, length : length + width] == part[:, :width]) & (rel[None, :] >= (es[sel] - lo)[:, None])
            t0[sel] = np.where(ok.any(axis=1), lo + ok.argmax(axis=1), horizon)  # no room: pushed past the horizon
        start[rows, pick] = t0
        finish[rows, pick] = t0 + dur
        scheduled[rows, pick] = True
        done_preds += succ_matrix[pick]
        # book the resources over each schedule's own window only: one (schedule, time) pair per unit of
        # time, all distinct, so a single fancy-indexed add per resource is exact
        span = np.clip(np.minimum(dur, horizon + 1 - t0), 0, None)
        who = np.repeat(rows, span)
        when = np.repeat(t0, span) + (np.arange(who.size) - np.repeat(np.cumsum(span) - span, span))
        for r in np.flatnonzero(need.any(axis=0)):
            usage[r, who, when] += np.repeat(need[:, r], span).astype(np.int32)
    return start


def makespan(problem: Problem, start: np.ndarray) -> np.ndarray:
    return (start + problem.durations[None, :]).max(axis=1)


def _reverse(problem: Problem) -> Problem:
    preds = problem.predecessors()
    return Problem(problem.durations, preds, problem.requests, problem.capacity, problem.name + " reversed")


def justify(problem: Problem, start: np.ndarray, horizon: int | None = None) -> np.ndarray:
    """Forward-backward improvement of each schedule [3]_: never longer, often shorter."""
    finish = start + problem.durations[None, :]
    span = finish.max(axis=1)
    # right-justify: on the reversed network, latest finishes first (time runs backwards from the makespan)
    back = serial_sgs(_reverse(problem), -finish.astype(float) + 1e-6 * np.arange(problem.n)[None, :], horizon)
    back_finish = back + problem.durations[None, :]
    right_start = back_finish.max(axis=1)[:, None] - back_finish  # mirrored to forward time
    # left-justify again, earliest (right-justified) starts first
    left = serial_sgs(problem, right_start.astype(float) + 1e-6 * np.arange(problem.n)[None, :], horizon)
    fitted = back.max(axis=1) < (horizon or np.inf)
    better = (makespan(problem, left) <= span) & fitted & (left.max(axis=1) < (horizon or np.inf))
    return np.where(better[:, None], left, start)


def priorities(problem: Problem, rule: str = "lft", values=None) -> np.ndarray:
    """Priority keys per activity (lower first) for a named rule."""
    if rule not in RULES:
        raise ValueError(f"unknown priority rule {rule!r}; choose one of: {', '.join(RULES)}")
    es, lf, _ = problem.early_late()
    ls = lf - problem.durations
    keys = {
        "lft": lf,
        "lst": ls,
        "min_slack": ls - es,
        "spt": problem.durations,
        "priority": np.asarray(values if values is not None else np.zeros(problem.n)),
    }[rule]
    return np.asarray(keys, dtype=float)


def solve(
    problem: Problem,
    *,
    schedules: int = 1_000,
    rule: str = "lft",
    seed: int = 0,
    engine: str = "auto",
    batch: int = 500,
    justify_each: bool = True,
) -> dict:
    """The best schedule found within ``schedules`` generated schedules (justification passes counted).

    ``engine="genetic"`` (``"auto"``'s choice above ``GENETIC_FROM``
    activities when Numba is installed) runs the genetic search of :mod:`pmo_lib.leveling.genetic` (activity lists, two-point
    and peak crossover, forward-backward improvement of every child),
    its first population sampled around ``rule``. ``engine="sampling"`` (the
    fallback without Numba) is the NumPy search: the best of ``schedules``
    biased-random serial-SGS schedules (with justification) [1]_ [2]_ [3]_
    (``"auto"``'s choice for smaller problems).
    The first schedule follows the rule exactly; the first batch draws its
    orders with regret-based bias around the rule; later batches mostly search
    around an elite of the best schedules so far (two-point crossover of two
    elite schedules' start times, as in Hartmann's activity-list genetic
    algorithm [6]_, disturbed, as the next priority lists) and keep some
    sampling around the rule: a quarter of each of the next two batches,
    then a tenth.
    Returns ``start`` (best starts),
    ``makespan`` and ``schedules`` (how many were generated, justification
    passes counted as schedules, as the literature does).
    """
    if engine not in ("auto", "genetic", "sampling"):
        raise ValueError(f"unknown engine {engine!r}; choose one of: auto, genetic, sampling")
    over = np.argwhere(problem.requests > problem.capacity[None, :])
    if over.size:
        a, r = over[0]
        raise PMOError(
            f"{problem.name or 'the problem'}: activity {a + 1} asks {problem.requests[a, r]} of resource {r + 1}, "
            f"which has {problem.capacity[r]}; no schedule can fit it (lower the request or raise the capacity)"
        )
    if engine == "genetic" or (engine == "auto" and problem.n > GENETIC_FROM):
        try:
            from . import genetic
        except ImportError:
            if engine == "genetic":
                raise PMOError("the genetic engine needs Numba: pip install numba") from None
        else:
            return genetic.search(problem, priorities(problem, rule), schedules=schedules, seed=seed)
    rng = np.random.default_rng(seed)
    base = priorities(problem, rule)
    spread = max(float(base.max() - base.min()), 1.0)
    elite_starts, elite_spans = np.zeros((0, problem.n), dtype=np.int64), np.zeros(0)
    generated = batches = 0
    while generated < schedules:
        size = min(batch, schedules - generated)
        if justify_each:
            size = max(1, size // 3)  # each justified schedule costs three passes
        # regret-based bias: keys perturbed by exponential noise on the scale of the rule's spread;
        # after the first batch, most schedules search around the elite (the best twelve different schedules
        # so far: two of them crossed over, their start times as the priority, slightly disturbed), the rest
        # keep sampling around the rule
        keys = base[None, :] + rng.exponential(spread / 4, size=(size, problem.n))
        if generated == 0:
            keys[0] = base
        elif len(elite_spans):
            near = (3 * size) // 4 if batches < 3 else (9 * size) // 10
            i, j = rng.integers(0, len(elite_spans), near), rng.integers(0, len(elite_spans), near)
            first = elite_spans[i] <= elite_spans[j]  # the better parent gives both ends
            mother, father = elite_starts[np.where(first, i, j)], elite_starts[np.where(first, j, i)]
            # two-point crossover of the two schedules' start times: the middle from the other parent
            one, two = rng.integers(0, problem.n, near)[:, None], rng.integers(0, problem.n, near)[:, None]
            position = np.arange(problem.n)[None, :]
            middle = (position >= np.minimum(one, two)) & (position < np.maximum(one, two))
            parents = np.where(middle, father, mother)
            # small disturbances (a fraction of a day on a makespan of ~100): mostly ties broken anew
            scale = np.where(rng.random(near) < 0.5, 400.0, 80.0)[:, None]
            keys[:near] = parents + rng.exponential(1.0, size=(near, problem.n)) * (elite_spans.min() / scale)
        # the time axis only needs to reach past the best so far: longer schedules are of no use
        best_span = elite_spans.min() if len(elite_spans) else None
        horizon = None if best_span is None else int(best_span * 1.25) + int(problem.durations.max()) + 1
        start = serial_sgs(problem, keys, horizon)
        generated += size
        if justify_each:
            start = justify(problem, start, horizon)
            generated += 2 * size
        spans = makespan(problem, start).astype(float)
        spans = np.where(start.max(axis=1) >= (horizon or np.inf), np.inf, spans)  # did not fit: discarded
        pool_starts = np.concatenate([elite_starts, start])
        pool_spans = np.concatenate([elite_spans, spans])
        _, distinct = np.unique(pool_starts, axis=0, return_index=True)  # an elite of different schedules
        distinct = np.sort(distinct)  # earlier (elite) rows first among equals
        keep = distinct[np.argsort(pool_spans[distinct], kind="stable")][:ELITE]
        keep = keep[np.isfinite(pool_spans[keep])]
        elite_starts, elite_spans = pool_starts[keep], pool_spans[keep]
        batches += 1
    best_start, best_span = elite_starts[0].copy(), int(elite_spans[0])
    return {"start": best_start, "makespan": best_span, "schedules": generated}


def exact(problem: Problem, *, time_limit: float = 10.0, hint=None, workers: int = 2, seed: int = 0) -> dict:
    """Solve with OR-Tools CP-SAT [5]_: prove a plan optimal, or improve a heuristic's within ``time_limit``.

    The model: one interval per activity (start between its precedence-only
    early start and the latest start that fits the best known makespan),
    finish-to-start precedence, one cumulative constraint per resource, and
    the makespan minimised. ``hint`` (start times, e.g. from :func:`solve`)
    seeds the search and bounds the horizon; without one the plain serial SGS
    with LFT gives it.

    Returns ``start``, ``makespan``, ``optimal`` (proved), ``bound`` (the best
    lower bound the solver proved) and ``seconds``. OR-Tools is an optional
    extra: without it this raises :class:`PMOError` saying how to install it.

    References
    ----------
    .. [5] L. Perron, F. Didier, *CP-SAT*, Google OR-Tools, https://developers.google.com/optimization
       (2024); the cumulative-constraint model of the RCPSP follows P. Baptiste, C. Le Pape, W. Nuijten,
       *Constraint-Based Scheduling*, Kluwer (2001), ch. 2.
    """
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        raise PMOError(
            "the exact mode needs OR-Tools, an optional extra: pip install -e '.[exact]' (or pip install ortools)"
        ) from None
    started = time.perf_counter()
    if hint is None:
        hint = serial_sgs(problem, priorities(problem, "lft")[None, :])[0]
    hint = np.asarray(hint, dtype=np.int64)
    d = problem.durations
    upper = int((hint + d).max())
    es, _, _ = problem.early_late()
    # latest starts that fit the hint's makespan, from the backward pass on that horizon
    lf = np.full(problem.n, upper, dtype=np.int64)
    for a in np.argsort(problem.topological(), kind="stable")[::-1]:
        for b in problem.successors[a]:
            lf[a] = min(lf[a], lf[b] - d[b])
    model = cp_model.CpModel()
    starts = [model.new_int_var(int(es[a]), int(lf[a] - d[a]), f"s{a}") for a in range(problem.n)]
    intervals = [model.new_fixed_size_interval_var(starts[a], int(d[a]), f"i{a}") for a in range(problem.n)]
    for a, succ in enumerate(problem.successors):
        for b in succ:
            model.add(starts[b] >= starts[a] + int(d[a]))
    for r in range(problem.capacity.size):
        used = [a for a in range(problem.n) if problem.requests[a, r] > 0 and d[a] > 0]
        if used:
            model.add_cumulative(
                [intervals[a] for a in used], [int(problem.requests[a, r]) for a in used], int(problem.capacity[r])
            )
    span = model.new_int_var(int((es + d).max()), upper, "makespan")
    model.add_max_equality(span, [starts[a] + int(d[a]) for a in range(problem.n)])
    model.minimize(span)
    for a in range(problem.n):
        model.add_hint(starts[a], int(hint[a]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(seed)
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        start = np.array([solver.value(v) for v in starts], dtype=np.int64)
    else:  # no answer within the limit: the hint stands
        start = hint.copy()
    found = int((start + d).max())
    solved = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    bound = math.ceil(solver.best_objective_bound - 1e-9) if solved else 0  # an integer makespan: round the bound up
    return {
        "start": start,
        "makespan": found,
        "optimal": status == cp_model.OPTIMAL,
        "bound": max(bound, int((es + d).max())),
        "seconds": time.perf_counter() - started,
    }


def feasible(problem: Problem, start: np.ndarray) -> bool:
    """Whether a schedule keeps every precedence and never uses more than the capacity."""
    start = np.asarray(start)
    finish = start + problem.durations
    for a, succ in enumerate(problem.successors):
        if any(start[b] < finish[a] for b in succ):
            return False
    horizon = int(finish.max()) + 1
    usage = np.zeros((horizon, problem.capacity.size), dtype=np.int64)
    for a in range(problem.n):
        usage[start[a] : finish[a]] += problem.requests[a]
    return bool((usage <= problem.capacity).all())
