"""The portfolio's serial SGS, compiled with Numba: the same plan as the NumPy loop in :mod:`.portfolio_sgs`, faster.

The scheme is the one :func:`pmo_lib.leveling.portfolio_sgs.serial` documents (Kolisch 1996's serial schedule
generation with release dates, generalised precedence and day-by-day capacity). There, each task is a handful
of NumPy calls over its candidate days; on a 2,000-project portfolio (120,000 tasks, 1,500 people, 2,700 days)
the per-call overhead is most of the time. Here each task is one pass over its own working days, day by day,
that stops at the first window where every resource it asks has room: the same first fit, the same cause and
the same bookings, in the same order. Two shortcuts keep the pass short without changing its answer: the most
each resource has free in each block of ``BLOCK`` days is kept up to date, so a block where an ask can never
fit is stepped over whole; and a day with room for every ask needs no look at the calendars, as a person's
capacity is zero on days they are away. Tests check that both loops give exactly the same plan.
"""

from __future__ import annotations

import heapq

import numpy as np
from numba import njit

BLOCK = 32  # days per block: a block where a resource has too little free anywhere is skipped whole


@njit(cache=True)
def _works(u, a, named, named_ptr, present, standard):
    """Whether task ``a`` can work on axis day ``u``: all its named people present, else the standard calendar."""
    if named_ptr[a + 1] == named_ptr[a]:
        return standard[u]
    for q in range(named_ptr[a], named_ptr[a + 1]):  # noqa: SIM110 - a loop Numba compiles
        if not present[named[q], u]:
            return False
    return True


@njit(cache=True)
def _lacking(u, a, res, amt, ptr, free):
    """The first ask of task ``a`` with no room on day ``u`` (-1: room in all)."""
    for k in range(ptr[a], ptr[a + 1]):
        if free[res[k], u] < amt[k]:
            return k
    return -1


@njit(cache=True)
def _block_max(free, top, r, b):
    """Refresh the most any day of block ``b`` has free of resource ``r``."""
    lo, hi = b * BLOCK, min((b + 1) * BLOCK, free.shape[1])
    best = 0
    for u in range(lo, hi):
        if free[r, u] > best:
            best = free[r, u]
    top[r, b] = best


@njit(cache=True)
def serial(es, d, res, amt, ptr, named, named_ptr, present, standard, capacity, out, out_start, succ,
           from_finish, to_finish, lag, rank, sure):  # fmt: skip
    """Place the tasks in the order of ``rank`` (lower first) once their predecessors are placed.

    ``sure``: whether each of the task's named people is asked a positive amount (then room for every ask
    implies they are at work, so only a day without room needs their calendars). Returns start, finish, cause,
    clash, the resource each unplaceable task lacks (-1: placed), holder and free, as
    :func:`pmo_lib.leveling.portfolio_sgs.serial` does."""
    n = es.size
    horizon = capacity.shape[1]
    free = capacity.copy()
    holder = np.full(capacity.shape, -1, dtype=np.int32)
    held = np.zeros(capacity.shape, dtype=np.int32)
    start = np.full(n, -1, dtype=np.int64)
    finish = np.full(n, -1, dtype=np.int64)
    cause = np.full(n, -1, dtype=np.int64)
    clash = np.full(n, -1, dtype=np.int64)
    lacks = np.full(n, -1, dtype=np.int64)
    earliest = es.copy()
    waiting = np.zeros(n, dtype=np.int64)
    for k in range(succ.size):
        waiting[succ[k]] += 1
    task_at = np.empty(n, dtype=np.int64)
    for i in range(n):
        task_at[rank[i]] = i
    heap = [rank[i] for i in range(n) if waiting[i] == 0]
    heapq.heapify(heap)
    most = np.zeros(capacity.shape[0], dtype=np.int64)
    for r in range(capacity.shape[0]):
        for u in range(horizon):
            if capacity[r, u] > most[r]:
                most[r] = capacity[r, u]
    top = np.zeros((capacity.shape[0], (horizon + BLOCK - 1) // BLOCK), dtype=np.int64)
    for r in range(capacity.shape[0]):
        for b in range(top.shape[1]):
            _block_max(free, top, r, b)
    used = np.zeros(max(int(d.max()) if n else 0, 1), dtype=np.int64)
    short = np.zeros(max(int(np.diff(ptr).max()) if n else 0, 1), dtype=np.int64)
    while len(heap) > 0:
        a = task_at[heapq.heappop(heap)]
        t0 = earliest[a]
        lo, hi, da = ptr[a], ptr[a + 1], d[a]
        too_big = -1
        for k in range(lo, hi):
            if amt[k] > most[res[k]]:
                too_big = res[k]
                break
        if da == 0 or hi == lo or too_big >= 0:
            lacks[a] = too_big
            start[a] = finish[a] = t0
            if da > 0:  # no one to wait for: its plan's working days from its earliest start
                got = 0
                for u in range(t0, horizon):
                    if standard[u]:
                        got += 1
                        finish[a] = u
                        if got == da:
                            break
        else:
            run, first, found, u, seen = 0, -1, -1, t0, -1
            plain = named_ptr[a + 1] == named_ptr[a] or not sure[a]
            while u < horizon:  # the first run of da working days with room in every resource
                k = _lacking(u, a, res, amt, ptr, free)
                # room for every ask means its people are at work (their own asks have room), so only a day
                # without room, or a task without named people, needs the calendar
                if (k < 0 and not plain) or _works(u, a, named, named_ptr, present, standard):
                    if first < 0:
                        first = u
                    if k < 0:
                        run += 1
                        if run == da:
                            found = u
                            break
                    else:
                        run = 0
                        b, step = u // BLOCK, 1
                        if top[res[k], b] < amt[k]:  # no room on any day of this block: on to the next
                            step = (b + 1) * BLOCK - u
                        elif seen != b:  # or for another of its asks (the blocks are looked at once each)
                            seen = b
                            for q in range(lo, hi):
                                if top[res[q], b] < amt[q]:
                                    step = (b + 1) * BLOCK - u
                                    break
                        u += step
                        continue
                u += 1
            if found < 0:  # never room (or its people are not at work long enough): keep its plan, say so
                for k in range(lo, hi):  # the most each resource has free on any day from its release
                    r, most_free = res[k], 0
                    if t0 < horizon:
                        b = t0 // BLOCK
                        for u in range(t0, min((b + 1) * BLOCK, horizon)):
                            most_free = max(most_free, free[r, u])
                        for c in range(b + 1, top.shape[1]):
                            most_free = max(most_free, top[r, c])
                    short[k - lo] = most_free
                pick = lo
                for k in range(lo, hi):
                    if short[k - lo] - amt[k] < short[pick - lo] - amt[pick]:
                        pick = k
                lacks[a] = res[pick]
                start[a] = t0
                finish[a] = t0 + max(da - 1, 0)
            else:
                got, u = da, found
                while got > 0:  # the run's days, walked back from its last
                    if _works(u, a, named, named_ptr, present, standard):
                        got -= 1
                        used[got] = u
                    u -= 1
                if used[0] != first:  # it could have started on its first working day: who was full then
                    for k in range(lo, hi):
                        short[k - lo] = 0
                    got, u = 0, first
                    while got < da:
                        if _works(u, a, named, named_ptr, present, standard):
                            got += 1
                            for k in range(lo, hi):
                                if free[res[k], u] < amt[k]:
                                    short[k - lo] += 1
                        u += 1
                    pick = hi - 1  # ties: the later resource (people are listed after the roles)
                    for k in range(hi - 1, lo - 1, -1):
                        if short[k - lo] > short[pick - lo]:
                            pick = k
                    cause[a] = res[pick]
                    got, u = 0, first
                    while got < da:
                        if _works(u, a, named, named_ptr, present, standard):
                            got += 1
                            if free[res[pick], u] < amt[pick]:
                                clash[a] = u
                                break
                        u += 1
                start[a], finish[a] = used[0], used[da - 1]
                for i in range(da):
                    u = used[i]
                    for k in range(lo, hi):
                        r = res[k]
                        free[r, u] -= amt[k]
                        if held[r, u] < amt[k]:
                            holder[r, u] = a
                            held[r, u] = amt[k]
                for k in range(lo, hi):
                    for b in range(used[0] // BLOCK, used[da - 1] // BLOCK + 1):
                        _block_max(free, top, res[k], b)
        stop = finish[a] + 1 if da > 0 else start[a]  # release the successors
        for i in range(out_start[a], out_start[a + 1]):
            k = out[i]
            b = succ[k]
            bound = (stop if from_finish[k] else start[a]) + lag[k] - (d[b] if to_finish[k] else 0)
            if bound > earliest[b]:
                earliest[b] = bound
            if earliest[b] < 0:
                earliest[b] = 0
            waiting[b] -= 1
            if waiting[b] == 0:
                heapq.heappush(heap, rank[b])
    return start, finish, cause, clash, lacks, holder, free
