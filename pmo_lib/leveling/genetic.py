"""The levelling search: a genetic algorithm on activity lists, every child improved by forward-backward passes.

What the published leaders at 5,000 schedules share (Kolisch & Hartmann's
surveys [1]_ [2]_, the tables of Valls et al. [3]_ and Debels & Vanhoucke [4]_),
and what this search does:

- **Activity lists decoded by the serial SGS** (Kolisch 1996): a list that
  respects precedence; each activity starts at the first time its
  predecessors have finished and its resources are free for its whole
  duration.
- **Forward-backward improvement (FBI) on every child** (Valls, Ballestin and
  Quintanilla 2005 [5]_): the schedule right-justified (activities in order of
  decreasing finish on the reversed network), then left-justified again.
  Never longer, often shorter. Each pass is one schedule in the count, as in
  the papers: a child costs three. One round per child did better than
  repeating the rounds while they shorten the plan (more children for the
  same count).
- **Two crossovers**: Hartmann's two-point crossover on the lists [6]_, and a
  peak crossover after Valls et al. [3]_: the activities the father runs in
  his most heavily loaded stretch keep the father's timing, the others the
  mother's.
- **Initial population** from regret-based biased random sampling on the
  latest finish time (Drexl 1991 [7]_); binary tournament selection; adjacent
  swap mutation where no link forbids it; a steady-state population with no
  duplicate schedules, the worst replaced.
- **Intensification** (the second phase of [3]_): once the budget is half
  spent, the population is rebuilt around the best schedule (mutants of it,
  through FBI), the rest of the population kept.

What did not beat it, each judged on all 600 j120 instances at 5,000
schedules (seed 1; these settings: 32.83 % above the critical-path bound,
32.62 % at 10,000 and 33.46 % at 2,500): a child of two passes, kept
right-justified (33.08 %); two populations, left- and right-justified, each
child decoded once in the other direction, as in Debels and Vanhoucke's
bi-population search (population 40: 33.45 %, 60: 32.99 %, 100: 32.81 %,
160: 33.36 %); the parallel SGS for a fifth or half of the children
(32.78 %, 32.99 %); justifying only children within 2, 5 or 10 % of the worst
kept (32.99, 32.97, 32.83 %); insertion instead of swap mutation (32.77 %;
population 100: 32.92 %); tournaments of three, or parents drawn at random
(33.13 %, 32.98 %); the child replacing its worse parent (32.85 %); three
intensifications, or none (32.85 %, 32.82 %); and, after half the budget,
moves on the best list that reorder a block of up to 20 or 40 positions as
another list has them, decoded once and justified when shorter (32.93 %,
32.94 %); ties in makespan broken by the sum of start times, smaller or
larger first (32.90 %, 33.03 %); the peak stretch 5-25 %, 30-70 % or
10-70 % of the father's makespan instead of 15-50 % (33.05, 32.92,
32.89 %); population 80, or swap chance 0.075 (32.82 %, 32.84 %); swap
chance 0.15 while the population's makespans are all equal or within one
unit (32.85 %, 32.84 %), or 0.3 while they are equal (32.88 %).
Differences under about 0.05 points are within a seed's spread.
On j30 (all 480) this search does best with population 100 and swap chance
0.3: 0.115 % at 5,000 schedules (seeds 1-3; these settings 0.24 % with
seed 1), 0.36 % at 1,000 and 0.075 % at 50,000 (seed 1). That is no nearer
the optimum than the sampling search ``solve`` uses there (0.10 %, 0.33 %,
0.08 %), though at 50,000 it takes 0.2 s per instance against 3.4 s.

The loops are sequential by nature (the SGS places one activity after
another), so they are compiled with Numba; :mod:`pmo_lib.leveling.rcpsp` falls
back to its NumPy search when Numba is missing.

References
----------
.. [1] R. Kolisch, S. Hartmann, "Experimental investigation of heuristics for resource-constrained
   project scheduling: An update", *EJOR* 174 (2006) 23-37.
.. [2] S. Hartmann, R. Kolisch, "Experimental evaluation of state-of-the-art heuristics for the
   resource-constrained project scheduling problem", *EJOR* 127 (2000) 394-407.
.. [3] V. Valls, F. Ballestin, S. Quintanilla, "A hybrid genetic algorithm for the
   resource-constrained project scheduling problem", *EJOR* 185 (2008) 495-508.
.. [4] D. Debels, M. Vanhoucke, "A decomposition-based genetic algorithm for the
   resource-constrained project scheduling problem", *Operations Research* 55 (2007) 457-469.
.. [5] V. Valls, F. Ballestin, S. Quintanilla, "Justification and RCPSP: A technique that pays",
   *EJOR* 165 (2005) 375-386.
.. [6] S. Hartmann, "A competitive genetic algorithm for resource-constrained project scheduling",
   *Naval Research Logistics* 45 (1998) 733-750.
.. [7] A. Drexl, "Scheduling of project networks by job assignment", *Management Science* 37
   (1991) 1590-1602.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _serial(order, d, ptr, idx, req, cap, usage, start):
    """Serial SGS on an activity list; ``ptr``/``idx`` hold each activity's predecessors (CSR). Returns the
    makespan; ``usage`` (time x resources) is left booked for the caller to clear up to the makespan."""
    n, m = order.size, cap.size
    span = 0
    for i in range(n):
        a = order[i]
        t = 0
        for k in range(ptr[a], ptr[a + 1]):
            f = start[idx[k]] + d[idx[k]]
            if f > t:
                t = f
        da = d[a]
        if da > 0:
            u = t
            while u < t + da:  # the first window of da free units from t: a clash at u moves the start past u
                clash = False
                for r in range(m):
                    if usage[u, r] + req[a, r] > cap[r]:
                        clash = True
                        break
                if clash:
                    t = u + 1
                u += 1
            for u in range(t, t + da):
                for r in range(m):
                    usage[u, r] += req[a, r]
        start[a] = t
        if t + da > span:
            span = t + da
    return span


@njit(cache=True)
def _clear(usage, span):
    for u in range(span):
        for r in range(usage.shape[1]):
            usage[u, r] = 0


@njit(cache=True)
def _evaluate(order, d, pp, pi, sp, si, req, cap, topo, usage, start, back, key, rounds):
    """Serial SGS on ``order``, then up to ``rounds`` forward-backward passes while they shorten the plan.
    ``start`` and ``order`` hold the result (the list re-sorted by start). Returns the makespan and the
    schedules generated."""
    n = d.size
    span = _serial(order, d, pp, pi, req, cap, usage, start)
    _clear(usage, span)
    count = 1
    for _ in range(rounds):
        for a in range(n):  # right-justify: latest finish first on the reversed network (ties: later in topology)
            key[a] = -(start[a] + d[a]) * (n + 1) - topo[a]
        order[:] = np.argsort(key)
        back_span = _serial(order, d, sp, si, req, cap, usage, back)
        _clear(usage, back_span)
        for a in range(n):  # left-justify again: earliest (mirrored) start first
            key[a] = (back_span - back[a] - d[a]) * (n + 1) + topo[a]
        order[:] = np.argsort(key)
        new_span = _serial(order, d, pp, pi, req, cap, usage, start)
        _clear(usage, new_span)
        count += 2
        if new_span >= span:
            span = min(span, new_span)
            break
        span = new_span
    for a in range(n):
        key[a] = start[a] * (n + 1) + topo[a]
    order[:] = np.argsort(key)
    return span, count


@njit(cache=True)
def _sample(keys, bias, d, pp, sp, si, order):
    """An activity list by regret-based biased random sampling on a rule where lower keys go first (LFT): among
    the eligible, ``j`` drawn with weight (max key - key_j + 1) ** bias [7]_."""
    n = d.size
    waiting = np.zeros(n, dtype=np.int64)
    for a in range(n):
        waiting[a] = pp[a + 1] - pp[a]
    eligible = np.zeros(n, dtype=np.bool_)
    for a in range(n):
        eligible[a] = waiting[a] == 0
    for i in range(n):
        top = -1e18
        for a in range(n):
            if eligible[a] and keys[a] > top:
                top = keys[a]
        total = 0.0
        for a in range(n):
            if eligible[a]:
                total += (top - keys[a] + 1.0) ** bias
        draw = np.random.random() * total
        pick = -1
        for a in range(n):
            if eligible[a]:
                pick = a
                draw -= (top - keys[a] + 1.0) ** bias
                if draw <= 0:
                    break
        order[i] = pick
        eligible[pick] = False
        for k in range(sp[pick], sp[pick + 1]):
            b = si[k]
            waiting[b] -= 1
            if waiting[b] == 0:
                eligible[b] = True


@njit(cache=True)
def _two_point(mother, father, order, taken):
    """Hartmann's two-point crossover: mother's first part, father's order for the middle, mother's for the rest."""
    n = mother.size
    q1 = np.random.randint(0, n)
    q2 = np.random.randint(0, n)
    if q1 > q2:
        q1, q2 = q2, q1
    taken[:] = False
    pos = 0
    for i in range(q1):
        order[pos] = mother[i]
        taken[mother[i]] = True
        pos += 1
    for i in range(n):
        if pos >= q2:
            break
        if not taken[father[i]]:
            order[pos] = father[i]
            taken[father[i]] = True
            pos += 1
    for i in range(n):
        if not taken[mother[i]]:
            order[pos] = mother[i]
            taken[mother[i]] = True
            pos += 1


@njit(cache=True)
def _peak(mother_start, father_start, father_span, d, req, cap, pp, sp, si, topo, keys, order, load):
    """Peak crossover: the activities the father runs in his most loaded stretch keep his start times as keys,
    the rest the mother's; the child list takes the eligible activity with the lowest key."""
    n, m = d.size, cap.size
    load[:father_span] = 0.0
    for a in range(n):
        w = 0.0
        for r in range(m):
            w += req[a, r] / cap[r]
        for u in range(father_start[a], father_start[a] + d[a]):
            load[u] += w
    width = max(1, int(father_span * (0.15 + 0.35 * np.random.random())))
    best, lo, run = -1.0, 0, 0.0
    for u in range(father_span):
        run += load[u]
        if u >= width:
            run -= load[u - width]
        if u >= width - 1 and run > best:
            best, lo = run, u - width + 1
    for a in range(n):
        inside = father_start[a] >= lo and father_start[a] < lo + width
        keys[a] = (father_start[a] if inside else mother_start[a]) * (n + 1) + topo[a]
    _decode(keys, pp, sp, si, order)


@njit(cache=True)
def _decode(keys, pp, sp, si, order):
    """The activity list that takes, at each step, the eligible activity with the lowest key."""
    n = keys.size
    waiting = np.zeros(n, dtype=np.int64)
    for a in range(n):
        waiting[a] = pp[a + 1] - pp[a]
    for i in range(n):
        pick, low = -1, 1e18
        for a in range(n):
            if waiting[a] == 0 and keys[a] < low:
                pick, low = a, keys[a]
        order[i] = pick
        waiting[pick] = -1
        for k in range(sp[pick], sp[pick + 1]):
            waiting[si[k]] -= 1


@njit(cache=True)
def _mutate(order, linked, rate):
    """Adjacent swaps with probability ``rate`` each, where no link joins the two (then the list stays valid)."""
    for i in range(order.size - 1):
        if np.random.random() < rate and not linked[order[i], order[i + 1]]:
            order[i], order[i + 1] = order[i + 1], order[i]


@njit(cache=True)
def _same(spans, starts, span, start):
    for p in range(spans.size):
        if spans[p] == span:
            equal = True
            for a in range(start.size):
                if starts[p, a] != start[a]:
                    equal = False
                    break
            if equal:
                return True
    return False


@njit(cache=True)
def evolve(d, pp, pi, sp, si, req, cap, topo, rule_keys, linked, budget, size, peak_share, mutation, seed, rounds):
    """The genetic search within ``budget`` schedules; returns (best starts, makespan, schedules counted)."""
    np.random.seed(seed)
    n = d.size
    usage = np.zeros((int(d.sum()) + 2, cap.size), dtype=np.int64)
    load = np.zeros(int(d.sum()) + 2)
    lists = np.zeros((size, n), dtype=np.int64)
    starts = np.zeros((size, n), dtype=np.int64)
    spans = np.zeros(size, dtype=np.int64)
    order = np.zeros(n, dtype=np.int64)
    start = np.zeros(n, dtype=np.int64)
    back = np.zeros(n, dtype=np.int64)
    key = np.zeros(n, dtype=np.int64)
    keys = np.zeros(n)
    taken = np.zeros(n, dtype=np.bool_)
    rule = rule_keys.astype(np.float64)  # the priority rule's keys (LFT by default), lower first
    count, filled = 0, 0
    while filled < size and count < budget:  # the first population: biased sampling around LFT
        _sample(rule, 2.0 if filled else 40.0, d, pp, sp, si, order)
        span, used = _evaluate(order, d, pp, pi, sp, si, req, cap, topo, usage, start, back, key, rounds)
        count += used
        if not _same(spans[:filled], starts[:filled], span, start):
            lists[filled], starts[filled], spans[filled] = order, start, span
            filled += 1
    intensified = False
    while count < budget and filled > 1:
        if not intensified and count >= budget // 2:  # second phase: a third of the population rebuilt around the best
            intensified = True
            best = np.argmin(spans[:filled])
            for _ in range(filled // 3):
                order[:] = lists[best]
                _mutate(order, linked, 0.05)
                span, used = _evaluate(order, d, pp, pi, sp, si, req, cap, topo, usage, start, back, key, rounds)
                count += used
                worst = np.argmax(spans[:filled])
                if span <= spans[worst] and not _same(spans[:filled], starts[:filled], span, start):
                    lists[worst], starts[worst], spans[worst] = order, start, span
        i, j = np.random.randint(0, filled), np.random.randint(0, filled)
        mother = i if spans[i] <= spans[j] else j
        i, j = np.random.randint(0, filled), np.random.randint(0, filled)
        father = i if spans[i] <= spans[j] else j
        if np.random.random() < peak_share:
            _peak(starts[mother], starts[father], spans[father], d, req, cap, pp, sp, si, topo, keys, order, load)
        else:
            _two_point(lists[mother], lists[father], order, taken)
        _mutate(order, linked, mutation)
        span, used = _evaluate(order, d, pp, pi, sp, si, req, cap, topo, usage, start, back, key, rounds)
        count += used
        worst = np.argmax(spans[:filled])
        if span <= spans[worst] and not _same(spans[:filled], starts[:filled], span, start):
            lists[worst], starts[worst], spans[worst] = order, start, span
    best = np.argmin(spans[:filled])
    return starts[best].copy(), spans[best], count


def arrays(problem):
    """The problem as the compiled search reads it: durations, predecessors and successors as CSR, requests,
    capacities, a topological rank and which pairs a link joins."""
    n = problem.n
    preds = problem.predecessors()
    pp = np.zeros(n + 1, dtype=np.int64)
    pp[1:] = np.cumsum([len(p) for p in preds])
    pi = np.array([b for p in preds for b in p], dtype=np.int64)
    sp = np.zeros(n + 1, dtype=np.int64)
    sp[1:] = np.cumsum([len(s) for s in problem.successors])
    si = np.array([b for s in problem.successors for b in s], dtype=np.int64)
    topo = np.empty(n, dtype=np.int64)
    topo[np.lexsort((np.arange(n), problem.topological()))] = np.arange(n)
    linked = np.zeros((n, n), dtype=np.bool_)
    for a, succ in enumerate(problem.successors):
        linked[a, succ] = True
    d = problem.durations.astype(np.int64)
    req = problem.requests.astype(np.int64)
    cap = problem.capacity.astype(np.int64)
    return d, pp, pi, sp, si, req, cap, topo, linked


POPULATION = 60  # children kept; 40 and 100 were worse on an evenly spread 60 of the j120 instances
PEAK_SHARE = 0.5  # children from the peak crossover (the rest two-point); 0.2 and 0.8 were worse there
MUTATION = 0.05  # chance of each adjacent swap; 0.02 was worse there


def search(problem, keys, *, schedules: int, seed: int, rounds: int = 1) -> dict:
    """The genetic search on ``problem`` within ``schedules``; ``keys`` (lower first) seed the first population."""
    d, pp, pi, sp, si, req, cap, topo, linked = arrays(problem)
    start, span, count = evolve(
        d, pp, pi, sp, si, req, cap, topo, np.asarray(keys, dtype=np.float64), linked,
        int(schedules), POPULATION, PEAK_SHARE, MUTATION, int(seed), int(rounds),
    )  # fmt: skip
    return {"start": start, "makespan": int(span), "schedules": int(count)}
