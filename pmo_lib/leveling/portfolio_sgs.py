"""The portfolio's serial schedule generation scheme (Kolisch 1996 [1]_): tasks by priority, each at its first fit.

:func:`serial` places each task, once its predecessors are placed, at the first run of its working days
on which every person and role it asks has the request free; it records what delayed it and who held the
capacity. It runs the compiled pass of :mod:`.portfolio_compiled` when Numba is installed; the NumPy loop
here (each step vectorised over days and resources) is its reference, which tests compare it with, and
its fallback.

References
----------
.. [1] R. Kolisch, "Serial and parallel resource-constrained project scheduling
   methods revisited: Theory and computation", *EJOR* 90 (1996) 320-333.
"""

from __future__ import annotations

import heapq

import numpy as np


def serial(es, d, res, amt, ptr, named, named_ptr, present, standard, capacity, pred, succ, kind, lag, keys,
            compiled=True):  # fmt: skip
    """Serial SGS with generalised precedence, release dates, each task's working days and day-by-day capacity.

    Returns start and finish offsets, the resource that delayed each task (-1: none) and the first day it was
    full, the unplaceable tasks (task -> resource), the task holding most of each resource on each day and the
    capacity left. ``compiled`` runs the same scheme compiled with Numba (:mod:`.portfolio_compiled`) when Numba is
    installed; the loop below is its reference and fallback."""
    n = es.size
    if compiled and n:
        try:
            from . import portfolio_compiled
        except ImportError:  # pragma: no cover - Numba is a core dependency; the NumPy loop still works
            portfolio_compiled = None
        if portfolio_compiled is not None:
            order = np.argsort(pred, kind="stable")
            rank = np.empty(n, dtype=np.int64)
            rank[np.lexsort((np.arange(n), keys[:, 1], keys[:, 0]))] = np.arange(n)
            zero_person_ask = (res >= capacity.shape[0] - present.shape[0]) & (amt <= 0)  # people follow the roles
            sure = np.bincount(np.repeat(np.arange(n), np.diff(ptr))[zero_person_ask], minlength=n) == 0
            start, finish, cause, clash, lacks, holder, free = portfolio_compiled.serial(
                es.astype(np.int64), d.astype(np.int64), res.astype(np.int64), amt.astype(np.int64),
                ptr.astype(np.int64), named.astype(np.int64), named_ptr.astype(np.int64), present, standard,
                capacity, order.astype(np.int64), np.searchsorted(pred[order], np.arange(n + 1)).astype(np.int64),
                succ.astype(np.int64), np.isin(kind, ("FS", "FF")), np.isin(kind, ("FF", "SF")),
                lag.astype(np.int64), rank, sure,
            )  # fmt: skip
            unplaceable = {int(a): int(lacks[a]) for a in np.flatnonzero(lacks >= 0)}
            return start, finish, cause, clash, unplaceable, holder, free
    horizon = capacity.shape[1]
    free = capacity.copy()
    holder = np.full(capacity.shape, -1, dtype=np.int32)  # the task booking most of each resource on each day
    held = np.zeros(capacity.shape, dtype=np.int32)
    start = np.full(n, -1, dtype=np.int64)
    finish = np.full(n, -1, dtype=np.int64)
    cause = np.full(n, -1, dtype=np.int64)
    clash = np.full(n, -1, dtype=np.int64)
    unplaceable: dict[int, int] = {}
    order = np.argsort(pred, kind="stable")
    out_start = np.searchsorted(pred[order], np.arange(n + 1))
    waiting = np.bincount(succ, minlength=n)
    earliest = es.copy()
    from_finish, to_finish = np.isin(kind, ("FS", "FF")).tolist(), np.isin(kind, ("FF", "SF")).tolist()
    heap = [(keys[i, 0], keys[i, 1], i) for i in range(n) if waiting[i] == 0]
    heapq.heapify(heap)
    most = capacity.max(axis=1, initial=0)
    while heap:
        _, _, a = heapq.heappop(heap)
        t0 = int(earliest[a])  # may lie past the horizon: then the task cannot be placed, and says so
        needs, amounts = res[ptr[a] : ptr[a + 1]], amt[ptr[a] : ptr[a + 1]]
        too_big = needs[amounts > most[needs]]
        if d[a] == 0 or needs.size == 0 or too_big.size:
            if too_big.size:
                unplaceable[a] = int(too_big[0])
            start[a] = finish[a] = t0
            if d[a] > 0:  # no one to wait for: its plan's working days from its earliest start
                days = np.flatnonzero(standard[t0:])[: d[a]] + t0
                finish[a] = days[-1] if days.size else t0
        else:
            mine = named[named_ptr[a] : named_ptr[a + 1]]
            for stop in (t0 + 4 * int(d[a]) + 130, horizon):  # a short stretch first: most tasks fit early
                works = present[mine, t0:stop].all(axis=0) if mine.size else standard[t0:stop]
                days = np.flatnonzero(works) + t0  # the days this task can work
                j = _first_fit(free, needs, amounts, days, int(d[a]))
                if j >= 0 or stop >= horizon:
                    break
            if j < 0:  # never room (or its people are not at work long enough): keep its plan, say so
                short = free[needs, t0:].max(axis=1, initial=0) - amounts  # against its most free day from t0
                unplaceable[a] = int(needs[np.argmin(short)])
                start[a] = t0
                finish[a] = t0 + max(int(d[a]) - 1, 0)
            else:
                used = days[j : j + d[a]]
                if j > 0:  # it could have started on days[0]: the resource most often full in that window waited
                    lacking = free[np.ix_(needs, days[: d[a]])] < amounts[:, None]
                    short = lacking.sum(axis=1)  # ties: the person (listed after the roles), the more telling
                    r = short.size - 1 - int(np.argmax(short[::-1]))
                    cause[a] = needs[r]
                    clash[a] = days[int(np.argmax(lacking[r]))]
                start[a], finish[a] = used[0], used[-1]
                free[needs[:, None], used[None, :]] -= amounts[:, None]
                bigger = held[np.ix_(needs, used)] < amounts[:, None]
                rows, cols = np.nonzero(bigger)
                holder[needs[rows], used[cols]] = a
                held[needs[rows], used[cols]] = amounts[rows]
        # release the successors
        stop = finish[a] + 1 if d[a] > 0 else start[a]
        for k in order[out_start[a] : out_start[a + 1]]:
            b = succ[k]
            bound = (stop if from_finish[k] else start[a]) + lag[k] - (d[b] if to_finish[k] else 0)
            earliest[b] = max(earliest[b], bound, 0)
            waiting[b] -= 1
            if waiting[b] == 0:
                heapq.heappush(heap, (keys[b, 0], keys[b, 1], b))
    if (start < 0).any():  # only a loop could leave tasks unplaced; the schedule has already refused loops
        raise RuntimeError("levelling left tasks unplaced")
    return start, finish, cause, clash, unplaceable, holder, free


def _first_fit(free, needs, amounts, days, duration) -> int:
    """The first position j in ``days`` from which ``duration`` consecutive ones have ``amounts`` free in every
    needed resource (-1: none)."""
    if days.size < duration:
        return -1
    blocked = (free[np.ix_(needs, days)] < amounts[:, None]).any(axis=0)
    if not blocked[:duration].any():
        return 0
    run = np.concatenate([[0], np.cumsum(blocked)])
    fits = np.flatnonzero(run[duration:] - run[:-duration] == 0)
    return int(fits[0]) if fits.size else -1
