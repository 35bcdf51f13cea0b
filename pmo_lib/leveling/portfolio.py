"""Levelling a real portfolio: the unfinished tasks of live projects, rescheduled so no role is over capacity.

:func:`level` turns the portfolio into a resource-constrained scheduling
problem on working days from the status date:

- activities are the unfinished tasks of live projects, each released no
  earlier than its critical-path early start with progress (so the past,
  finished work and the plan's own logic are respected) and lasting its
  remaining working days;
- links between unfinished tasks keep their type and lag: a successor starts
  no earlier than FS: predecessor finish + lag; SS: predecessor start + lag;
  FF: predecessor finish + lag - its own duration; SF: predecessor start +
  lag - its own duration (PMBOK 6.5.2.2);
- resources are roles. A role's capacity on a day is the FTE of the people in
  that role employed and not on leave that day; a task asks, for each role,
  the FTE of its assignments. Capacities and requests are whole hundredths of
  an FTE, so sums are exact.

The serial schedule generation scheme (Kolisch 1996) takes eligible tasks
(all predecessors placed) by priority (``rule="priority"``: the project's
priority, then the task's latest start; or ``"lst"``, ``"lft"``,
``"min_slack"`` alone) and starts each at the first day from its earliest
start at which every role it needs is free for its whole duration. The loop
is over tasks, as the scheme is sequential; each step is vectorised over
days and roles. A task asking more of a role than the role ever has is not
placed against capacity: it keeps its planned dates and is listed in
``unplaceable`` with the shortfall.

References
----------
.. [1] R. Kolisch, "Serial and parallel resource-constrained project scheduling
   methods revisited: Theory and computation", *EJOR* 90 (1996) 320-333.
.. [2] Project Management Institute, *PMBOK Guide*, 6th ed., 2017, sec. 6.5.2.2-6.5.2.3
   (dependency types, resource levelling).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import pandas as pd

PORTFOLIO_RULES = ("priority", "lst", "lft", "min_slack")
LIVE = ("active", "on_hold")
UNITS = 100  # capacity and requests in hundredths of an FTE


@dataclass
class Levelled:
    """A levelled plan: per task and per project, with what caused each delay."""

    tasks: pd.DataFrame
    projects: pd.DataFrame
    unplaceable: pd.DataFrame
    roles: list[str]
    day0: pd.Timestamp
    capacity: np.ndarray  # roles x days [hundredths of FTE]
    load: np.ndarray  # roles x days, levelled bookings [hundredths of FTE]
    links: pd.DataFrame  # links between levelled tasks: pred, succ (row numbers of tasks), type, lag [working days]
    offsets: pd.DataFrame  # per task on the axis: release (planned start), start, duration [working days]


def _days(cal, calendar, day0, dates) -> np.ndarray:
    """Working days from ``day0`` to each date (the offset of that date on the axis)."""
    return np.asarray(cal.count(np.full(len(dates), day0, dtype="datetime64[ns]"), dates, calendar), dtype=np.int64)


def _role_capacity(portfolio, cal, calendar, day0, horizon, roles) -> np.ndarray:
    """FTE (hundredths) of each role on each working day of the axis: employment dates and leave respected."""
    people = portfolio.resources
    axis = cal.add(np.full(horizon, day0, dtype="datetime64[ns]"), np.arange(horizon, dtype=float), calendar)
    axis = axis.astype("datetime64[D]")
    n = len(people)
    joined = people["start_date"].to_numpy(dtype="datetime64[D]")
    left = people["end_date"].to_numpy(dtype="datetime64[D]")
    employed = (np.isnat(joined)[:, None] | (joined[:, None] <= axis[None, :])) & (
        np.isnat(left)[:, None] | (axis[None, :] <= left[:, None])
    )
    leave = portfolio.leave
    who = pd.Index(people["resource_id"].astype(str)).get_indexer(leave["resource_id"].astype(str))
    keep = who >= 0
    first = np.searchsorted(axis, leave["start"].to_numpy(dtype="datetime64[D]")[keep], side="left")
    after = np.searchsorted(axis, leave["finish"].to_numpy(dtype="datetime64[D]")[keep], side="right")
    away = np.zeros((n, horizon + 1), dtype=np.int64)
    np.add.at(away, (who[keep], first), 1)
    np.add.at(away, (who[keep], after), -1)
    present = employed & (np.cumsum(away, axis=1)[:, :horizon] == 0)
    fte = np.round(people["fte"].astype(float).fillna(1.0).to_numpy() * UNITS).astype(np.int64)
    role_of = pd.Index(roles).get_indexer(people["role"].astype(str))
    capacity = np.zeros((len(roles), horizon), dtype=np.int64)
    ok = role_of >= 0
    np.add.at(capacity, role_of[ok], present[ok] * fte[ok, None])
    return capacity


def level(
    portfolio, *, as_of=None, rule: str = "priority", projects=None, calendar: str | None = None, plan=None
) -> Levelled:
    """Level the unfinished tasks of live projects against role capacity (see the module notes).

    Parameters
    ----------
    portfolio
        A loaded :class:`~pmo_lib.data.Portfolio`.
    as_of
        Status date [date]; default the data date. Day 0 is the first working day after it.
    rule
        ``"priority"`` (project priority first, then latest start), ``"lst"``,
        ``"lft"`` or ``"min_slack"``.
    projects
        Project ids to level (default: every active or on-hold project).
    calendar
        Working calendar of the axis (default ``"standard"`` when the data has it).
    plan
        The critical path of ``portfolio`` at ``as_of`` on that calendar
        (:func:`pmo_lib.schedule.schedule`), when the caller has it already;
        default: computed here.

    Returns
    -------
    Levelled
        ``tasks``: ``project_id``, ``task_id``, ``planned_start``,
        ``planned_finish`` (critical path with progress), ``start``,
        ``finish`` (levelled) [dates], ``delay_days`` [working days, start
        against plan], ``cause`` (the role that was full when the task could
        have started; blank when it waited only for a delayed predecessor).
        ``projects``: ``project_id``, ``name``, ``priority``,
        ``planned_finish``, ``finish``, ``delay_days`` [working days],
        ``cause`` (the role behind most of the project's own waiting).
    """
    from ..calendar import WorkCalendars
    from ..evm import data_date
    from ..schedule import schedule

    if rule not in PORTFOLIO_RULES:
        raise ValueError(f"unknown priority rule {rule!r}; choose one of: {', '.join(PORTFOLIO_RULES)}")
    as_of = pd.Timestamp(as_of) if as_of is not None else data_date(portfolio)
    live = portfolio.projects[portfolio.projects["status"].astype(str).isin(LIVE)]
    wanted = live["project_id"].tolist() if projects is None else [p for p in live["project_id"] if p in set(projects)]
    cal = WorkCalendars.from_table(portfolio.calendars)
    calendar = calendar if calendar is not None else ("standard" if "standard" in cal.names else "")
    day0 = pd.Timestamp(cal.add(np.array([as_of + pd.Timedelta(days=1)], dtype="datetime64[ns]"), 0, calendar)[0])
    if plan is None:
        plan = schedule(portfolio, as_of=as_of, calendar=calendar, projects=wanted)
    else:
        plan = plan[plan["project_id"].isin(set(wanted))]
    todo = plan[plan["progress"].astype(str) != "finished"].reset_index(drop=True)
    n = len(todo)

    # the axis: working days from day 0
    es = np.maximum(_days(cal, calendar, day0, todo["early_start"].to_numpy()), 0)
    last = _days(cal, calendar, day0, todo["early_finish"].to_numpy())
    tasks = portfolio.tasks
    where = pd.MultiIndex.from_arrays([tasks["project_id"], tasks["task_id"]]).get_indexer(
        pd.MultiIndex.from_arrays([todo["project_id"], todo["task_id"]])
    )
    planned_days = tasks["duration_days"].astype(float).fillna(0).to_numpy()[where]
    is_zero = (todo["early_finish"] < todo["early_start"]).to_numpy() | (planned_days == 0)
    d = np.where(is_zero, 0, np.maximum(last - es + 1, 1))
    ls = np.maximum(_days(cal, calendar, day0, todo["late_start"].to_numpy()), 0)
    lf = ls + d

    # requests per role from the tasks' assignments
    key = todo["project_id"].astype(str) + "\x1f" + todo["task_id"].astype(str)
    jobs = portfolio.assignments
    job_key = jobs["project_id"].astype(str) + "\x1f" + jobs["task_id"].astype(str)
    task_of = pd.Index(key).get_indexer(job_key)
    roles = sorted(set(portfolio.resources["role"].astype(str)) | set(jobs["role"].dropna().astype(str)))
    role_of = pd.Index(roles).get_indexer(jobs["role"].astype(str))
    mine = (task_of >= 0) & (role_of >= 0)
    request = np.zeros((n, len(roles)), dtype=np.int64)
    np.add.at(request, (task_of[mine], role_of[mine]), np.round(jobs["fte"].astype(float).fillna(0).to_numpy()[mine] * UNITS).astype(np.int64))  # fmt: skip
    request[d == 0] = 0

    # links between unfinished tasks, in offsets
    deps = portfolio.dependencies
    deps = deps[deps["project_id"].isin(wanted)]
    pred = pd.Index(key).get_indexer(deps["project_id"].astype(str) + "\x1f" + deps["predecessor_id"].astype(str))
    succ = pd.Index(key).get_indexer(deps["project_id"].astype(str) + "\x1f" + deps["successor_id"].astype(str))
    both = (pred >= 0) & (succ >= 0)
    pred, succ = pred[both], succ[both]
    kind = deps["type"].astype(str).to_numpy()[both]
    lag = np.round(deps["lag_days"].astype(float).fillna(0).to_numpy()[both]).astype(np.int64)

    horizon = int(max((es + d).max(initial=0), 1)) + int(d.sum()) + 1  # enough for every task one after another
    horizon = min(horizon, int((es + d).max(initial=0)) + 5 * 261)  # and no more than five years past the plan
    capacity = _role_capacity(portfolio, cal, calendar, day0, horizon, roles)

    start, cause, unplaceable = _serial(
        es, d, request, capacity, pred, succ, kind, lag, _keys(rule, todo, live, ls, lf, es)
    )
    placed = np.ones(n, dtype=bool)
    placed[list(unplaceable)] = False
    rows = np.nonzero(placed & (d > 0) & (request.sum(axis=1) > 0))[0]
    diff = np.zeros((len(roles), horizon + 1), dtype=np.int64)
    for r in range(len(roles)):  # book each role's tasks with a difference array: no loop over days
        on = rows[request[rows, r] > 0]
        np.add.at(diff[r], np.minimum(start[on], horizon), request[on, r])
        np.add.at(diff[r], np.minimum(start[on] + d[on], horizon), -request[on, r])
    load = np.cumsum(diff, axis=1)[:, :horizon]

    def date(offsets):
        return pd.to_datetime(
            cal.add(np.full(len(offsets), day0, dtype="datetime64[ns]"), offsets.astype(float), calendar)
        )

    finish = np.where(d > 0, start + d - 1, start)
    tasks = pd.DataFrame(
        {
            "project_id": todo["project_id"].to_numpy(),
            "task_id": todo["task_id"].to_numpy(),
            "planned_start": date(es),
            "planned_finish": date(np.where(d > 0, es + d - 1, es)),
            "start": date(start),
            "finish": date(finish),
            "delay_days": start - es,
            "cause": pd.array([roles[c] if c >= 0 else None for c in cause], dtype="str"),
        }
    )
    projects_table = _projects(tasks, live, wanted, es, d, start, cause, roles)
    short = pd.DataFrame(
        [
            {"project_id": todo["project_id"].iloc[i], "task_id": todo["task_id"].iloc[i], "role": roles[r],
             "needs_fte": request[i, r] / UNITS, "role_fte": capacity[r].max(initial=0) / UNITS}
            for i, r in unplaceable.items()
        ],
        columns=["project_id", "task_id", "role", "needs_fte", "role_fte"],
    )  # fmt: skip
    links = pd.DataFrame({"pred": pred, "succ": succ, "type": kind, "lag": lag})
    offsets = pd.DataFrame({"release": es, "start": start, "duration": d})
    return Levelled(tasks, projects_table, short, roles, day0, capacity, load, links, offsets)


def _keys(rule, todo, live, ls, lf, es) -> np.ndarray:
    """Priority keys (lower first): a (tasks x 2) array compared row-wise."""
    if rule == "priority":
        first = todo["project_id"].map(live.set_index("project_id")["priority"]).astype(float).fillna(99).to_numpy()
        return np.column_stack([first, ls])
    second = {"lst": ls, "lft": lf, "min_slack": ls - es}[rule]
    return np.column_stack([second, np.zeros(len(second))])


def _serial(es, d, request, capacity, pred, succ, kind, lag, keys):
    """Serial SGS with generalised precedence, release dates and day-by-day role capacity."""
    n = es.size
    horizon = capacity.shape[1]
    free = capacity.copy()
    start = np.full(n, -1, dtype=np.int64)
    cause = np.full(n, -1, dtype=np.int64)
    unplaceable: dict[int, int] = {}
    order = np.argsort(pred, kind="stable")
    out_start = np.searchsorted(pred[order], np.arange(n + 1))
    waiting = np.bincount(succ, minlength=n)
    earliest = es.copy()
    heap = [(keys[i, 0], keys[i, 1], i) for i in range(n) if waiting[i] == 0]
    heapq.heapify(heap)
    most = capacity.max(axis=1, initial=0)
    while heap:
        _, _, a = heapq.heappop(heap)
        t0 = int(earliest[a])
        needs = np.nonzero(request[a])[0]
        too_big = needs[request[a, needs] > most[needs]]
        if d[a] == 0 or needs.size == 0 or too_big.size:
            if too_big.size:
                unplaceable[a] = int(too_big[0])
            start[a] = t0
        else:
            t = _first_fit(free, needs, request[a, needs], t0, int(d[a]), horizon)
            if t >= horizon:  # the role runs out of people before this task can fit: keep its plan, say so
                unplaceable[a] = int(needs[np.argmin(free[needs, t0:].max(axis=1, initial=0) - request[a, needs])])
                start[a] = t0
                t = -1
            elif t > t0:
                short = (free[needs, t0 : t0 + d[a]] < request[a, needs][:, None]).sum(axis=1)
                cause[a] = needs[int(np.argmax(short))]
            if t >= 0:
                start[a] = t
                free[needs, t : t + d[a]] -= request[a, needs][:, None]
        # release the successors
        for k in order[out_start[a] : out_start[a + 1]]:
            b = succ[k]
            from_finish = kind[k] in ("FS", "FF")
            to_finish = kind[k] in ("FF", "SF")
            bound = start[a] + (d[a] if from_finish else 0) + lag[k] - (d[b] if to_finish else 0)
            earliest[b] = max(earliest[b], bound, 0)
            waiting[b] -= 1
            if waiting[b] == 0:
                heapq.heappush(heap, (keys[b, 0], keys[b, 1], b))
    if (start < 0).any():  # only a loop could leave tasks unplaced; the schedule has already refused loops
        raise RuntimeError("levelling left tasks unplaced")
    return start, cause, unplaceable


def _first_fit(free, needs, amounts, t0, duration, horizon) -> int:
    """The first day >= t0 at which every needed role has ``amounts`` free for ``duration`` days."""
    if t0 >= horizon:
        return t0
    blocked = (free[needs, t0:] < amounts[:, None]).any(axis=0)
    if not blocked[:duration].any():
        return t0
    run = np.concatenate([[0], np.cumsum(blocked)])
    window = run[duration:] - run[:-duration] if blocked.size >= duration else np.array([1])
    fits = np.nonzero(window == 0)[0]
    return t0 + int(fits[0]) if fits.size else horizon  # no room in the horizon: after it


def _projects(tasks, live, wanted, es, d, start, cause, roles) -> pd.DataFrame:
    """Per project: planned and levelled finish, the delay and the role behind most of the waiting."""
    m = len(wanted)
    code = pd.Index(wanted).get_indexer(tasks["project_id"].to_numpy())  # every task belongs to a wanted project

    def latest(values, empty):
        out = np.full(m, empty, dtype=values.dtype)
        np.maximum.at(out, code, values)
        return out

    no_date = np.datetime64("NaT", "ns")
    planned_end = latest(np.where(d > 0, es + d, es), 0)
    end = latest(np.where(d > 0, start + d, start), 0)
    planned_finish = latest(
        tasks["planned_finish"].to_numpy(dtype="datetime64[ns]").view(np.int64), np.iinfo(np.int64).min
    )
    finish = latest(tasks["finish"].to_numpy(dtype="datetime64[ns]").view(np.int64), np.iinfo(np.int64).min)
    # the role behind most task-days of waiting in each project (ties: the first role by name)
    waited = (cause >= 0) & (start > es)
    days = np.zeros((m, len(roles)))
    np.add.at(days, (code[waited], cause[waited]), (start - es)[waited])
    blame = np.where(
        days.max(axis=1, initial=0) > 0, np.asarray(roles, dtype=object)[days.argmax(axis=1)] if roles else None, None
    )
    info = live.set_index("project_id").loc[wanted]
    delay = end - planned_end
    return pd.DataFrame(
        {
            "project_id": wanted,
            "name": info["name"].to_numpy(),
            "priority": info["priority"].to_numpy(),
            "planned_finish": np.where(planned_finish == np.iinfo(np.int64).min, no_date, planned_finish.view("datetime64[ns]")),
            "finish": np.where(finish == np.iinfo(np.int64).min, no_date, finish.view("datetime64[ns]")),
            "delay_days": delay,
            "cause": pd.array(np.where(delay > 0, blame, None), dtype="str"),  # a cause only where the finish moved
        }
    )  # fmt: skip


def check(levelled: Levelled) -> list[str]:
    """Problems with a levelled plan (empty when sound): a role over capacity on a day, a broken link, a task
    starting before its planned start."""
    problems = [
        f"{levelled.roles[r]} booked {levelled.load[r, t] / UNITS:g} FTE of {levelled.capacity[r, t] / UNITS:g} "
        f"on working day {t}"
        for r, t in np.argwhere(levelled.load > levelled.capacity)[:20]
    ]
    start, d, links = levelled.offsets["start"].to_numpy(), levelled.offsets["duration"].to_numpy(), levelled.links
    a, b, lag = links["pred"].to_numpy(), links["succ"].to_numpy(), links["lag"].to_numpy()
    from_finish = links["type"].isin(["FS", "FF"]).to_numpy()
    to_finish = links["type"].isin(["FF", "SF"]).to_numpy()
    bound = start[a] + np.where(from_finish, d[a], 0) + lag - np.where(to_finish, d[b], 0)
    broken = np.nonzero(start[b] < np.maximum(bound, 0))[0]
    t = levelled.tasks
    problems += [f"{t['project_id'].iloc[b[k]]} / {t['task_id'].iloc[b[k]]} starts before its "
                 f"{links['type'].iloc[k]} link from {t['task_id'].iloc[a[k]]} allows" for k in broken[:20]]  # fmt: skip
    early = np.nonzero(start < levelled.offsets["release"].to_numpy())[0]
    problems += [
        f"{t['project_id'].iloc[i]} / {t['task_id'].iloc[i]} starts before its planned start" for i in early[:20]
    ]
    return problems
