"""Levelling a real portfolio: the unfinished tasks of live projects, rescheduled so no person is over capacity.

:func:`level` turns the portfolio into a resource-constrained scheduling
problem on the weekdays from the status date:

- activities are the unfinished tasks of live projects, each released no
  earlier than its critical-path early start with progress (so the past,
  finished work and the plan's own logic are respected) and needing its
  remaining working days of work;
- links between unfinished tasks keep their type and lag: a successor starts
  no earlier than FS: predecessor finish + lag; SS: predecessor start + lag;
  FF: predecessor finish + lag - its own duration; SF: predecessor start +
  lag - its own duration (PMBOK 6.5.2.2); lags count weekdays;
- capacity is each person's: on a day, their FTE when the day is a working
  day on *their own* calendar, they are employed and not on leave; else 0
  (the numbers :func:`pmo_lib.resources.capacity` shows, day by day). A role's
  capacity is the sum over the people who hold it;
- a task asks, for each assignment, its FTE: of the named person (and of that
  person's role), or of the role alone when no one is named. Capacities and
  requests are whole hundredths of an FTE, so sums are exact;
- a task asking more of a named person than their FTE runs at their FTE for
  longer with the same work (effort-driven, as scheduling tools do):
  ``longer_days``;
- a task works on its people's working days: with named people, the days all
  of them are at work (their calendars, leave and employment), so a holiday or
  a week of leave pauses it and it finishes later (``paused_days``), as
  resource calendars do in scheduling tools; with role demand only, the
  working days of the standard calendar;
- unnamed role demand is drawn from the people who hold the role in
  proportion to what each has left that day, so no person is ever booked past
  their capacity (``people_load`` <= ``people_capacity``).

The serial schedule generation scheme (Kolisch 1996) takes eligible tasks
(all predecessors placed) by priority (``rule="priority"``: the project's
priority, then the task's latest start; or ``"lst"``, ``"lft"``,
``"min_slack"`` alone) and starts each at the first day from its earliest
start at which every person and role it needs has its request free on each
of its working days. A delay is explained: the role or person that was full
(``waited_for``), the week (``waited_week``) and the projects placed before
it that held the capacity that day (``taken_by``), in one sentence
(``reason``). The loop is over tasks, as the scheme is sequential
(:mod:`.portfolio_sgs`); it is compiled with Numba
(:mod:`.portfolio_compiled`), with a NumPy loop as its reference and
fallback. A task asking more than a person or role ever has, or whose people
are not at work for long enough before the horizon, is not placed against
capacity: it keeps its planned dates and is listed in ``unplaceable`` with
the resource short of it (the one with least room against its ask on its
most free day from the task's release).

References
----------
.. [1] R. Kolisch, "Serial and parallel resource-constrained project scheduling
   methods revisited: Theory and computation", *EJOR* 90 (1996) 320-333.
.. [2] Project Management Institute, *PMBOK Guide*, 6th ed., 2017, sec. 6.5.2.2-6.5.2.3
   (dependency types, resource levelling), 9.2.3.2 (resource calendars).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import portfolio_sgs

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
    capacity: np.ndarray  # roles x days of the axis (weekdays from day0) [hundredths of FTE]
    load: np.ndarray  # roles x days, levelled bookings [hundredths of FTE]
    links: pd.DataFrame  # links between levelled tasks: pred, succ (row numbers of tasks), type, lag [weekdays]
    offsets: pd.DataFrame  # per task on the axis: release (planned start), start, finish, duration [work days]
    people: list[str]  # resource ids, in the order of the rows below
    people_capacity: np.ndarray  # people x days [hundredths of FTE]
    people_load: np.ndarray  # people x days: named bookings and the role demand drawn from them [hundredths]
    unstaffed: pd.DataFrame  # bookings of people never at work on the axis, levelled against their role instead

    def weekly(self, hours_per_day: float = 7.5) -> pd.DataFrame:
        """Capacity and levelled bookings per person and week [hours]: ``resource_id``, ``week`` (Monday),
        ``capacity_hours``, ``booked_hours``."""
        days = self.day0 + pd.to_timedelta(_weekday_offsets(self.day0, self.people_capacity.shape[1]), unit="D")
        week = (days - pd.to_timedelta(days.day_of_week, unit="D")).normalize()
        code, weeks = pd.factorize(week, sort=True)
        m = len(weeks)
        cap = np.zeros((len(self.people), m))
        load = np.zeros((len(self.people), m))
        np.add.at(cap.T, code, self.people_capacity.T / UNITS * hours_per_day)
        np.add.at(load.T, code, self.people_load.T / UNITS * hours_per_day)
        return pd.DataFrame({
            "resource_id": np.repeat(self.people, m), "week": np.tile(weeks.to_numpy(), len(self.people)),
            "capacity_hours": cap.ravel(), "booked_hours": load.ravel(),
        })  # fmt: skip


def _weekday_offsets(day0, horizon) -> np.ndarray:
    """Calendar days from ``day0`` to each of the next ``horizon`` weekdays (the axis)."""
    first = np.datetime64(pd.Timestamp(day0).date(), "D")
    return (np.busday_offset(first, np.arange(horizon), roll="forward") - first).astype(np.int64)


COMPILED = True  # the serial SGS compiled with Numba (False: the NumPy loop, its reference)


def _presence(portfolio, cal, axis) -> np.ndarray:
    """Whether each person is at work on each day of the axis: a working day on their own calendar (blank or
    unknown: the standard one), employed, not on leave (people x days)."""
    from ..resources import _calendars

    people = portfolio.resources
    _, names, codes = _calendars(portfolio)
    n, horizon = len(people), axis.size
    working = np.zeros((n, horizon), dtype=bool)
    for c in np.unique(codes):  # one pass per calendar (a handful)
        working[codes == c] = cal.is_working(axis, names[c])[None, :]
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
    return working & employed & (np.cumsum(away, axis=1)[:, :horizon] == 0)


def level(
    portfolio, *, as_of=None, rule: str = "priority", projects=None, calendar: str | None = None, plan=None
) -> Levelled:
    """Level the unfinished tasks of live projects against each person's capacity (see the module notes).

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
        The standard calendar: the planned dates, the working days of role-only tasks and the working
        days delays are counted in (default ``"standard"`` when the data has it).
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
        against plan], ``paused_days`` [working days its people were away
        while it ran], ``longer_days`` [working days added because a named
        person was asked more than their FTE: the same work at their FTE], ``cause`` and ``waited_for`` (the role, or the person
        by name, that was full when the task could have started; blank when
        it waited only for a delayed predecessor), ``waited_week`` (Monday of
        that day's week), ``taken_by`` (the projects placed before it that
        held the capacity that day), ``reason`` (one sentence).
        ``projects``: ``project_id``, ``name``, ``priority``,
        ``planned_finish``, ``finish``, ``delay_days`` [working days],
        ``cause`` (the role behind most of the project's own waiting) and
        ``reason`` (its most delayed task's).
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
    first = np.datetime64(day0.date(), "D")

    def weekdays(dates):  # offset of each date on the axis (weekdays from day 0)
        return np.busday_count(first, pd.to_datetime(dates).to_numpy().astype("datetime64[D]"))

    # work per task in working days of the standard calendar, release and latest start on the axis
    start_std = np.asarray(
        cal.count(np.full(n, day0, dtype="datetime64[ns]"), todo["early_start"].to_numpy(), calendar)
    )
    finish_std = np.asarray(
        cal.count(np.full(n, day0, dtype="datetime64[ns]"), todo["early_finish"].to_numpy(), calendar)
    )
    tasks = portfolio.tasks
    where = pd.MultiIndex.from_arrays([tasks["project_id"], tasks["task_id"]]).get_indexer(
        pd.MultiIndex.from_arrays([todo["project_id"], todo["task_id"]])
    )
    planned_days = tasks["duration_days"].astype(float).fillna(0).to_numpy()[where]
    is_zero = (todo["early_finish"] < todo["early_start"]).to_numpy() | (planned_days == 0)
    d = np.where(is_zero, 0, np.maximum(finish_std - np.maximum(start_std, 0) + 1, 1)).astype(np.int64)
    es = np.maximum(weekdays(todo["early_start"]), 0).astype(np.int64)
    ls = np.maximum(weekdays(todo["late_start"]), 0).astype(np.int64)
    lf = ls + d

    # links between unfinished tasks
    key = pd.MultiIndex.from_arrays([todo["project_id"].astype(str), todo["task_id"].astype(str)])

    def task_at(project_ids, task_ids):  # each (project, task) pair's position among the unfinished tasks
        return key.get_indexer(pd.MultiIndex.from_arrays([project_ids.astype(str), task_ids.astype(str)]))

    deps = portfolio.dependencies
    deps = deps[deps["project_id"].isin(wanted)]
    pred = task_at(deps["project_id"], deps["predecessor_id"])
    succ = task_at(deps["project_id"], deps["successor_id"])
    both = (pred >= 0) & (succ >= 0)
    pred, succ = pred[both], succ[both]
    kind = deps["type"].astype(str).to_numpy()[both]
    lag = np.round(deps["lag_days"].astype(float).fillna(0).to_numpy()[both]).astype(np.int64)

    # the axis and everyone's capacity on it
    span_all = int((es + d).max(initial=0))
    horizon = min(span_all + int(d.sum()) + 1, span_all + 5 * 261) + 130  # room for pauses: half a year more
    axis = (first + _weekday_offsets(day0, horizon)).astype("datetime64[D]")
    people = portfolio.resources
    present = _presence(portfolio, cal, axis)
    fte = np.round(people["fte"].astype(float).fillna(1.0).to_numpy() * UNITS).astype(np.int64)
    person_cap = present * fte[:, None]
    jobs = portfolio.assignments
    roles = sorted(set(people["role"].astype(str).unique()) | set(jobs["role"].dropna().astype(str).unique()))
    person_role = pd.Index(roles).get_indexer(people["role"].astype(str))
    n_roles, n_people = len(roles), len(people)
    capacity = np.zeros((n_roles + n_people, horizon), dtype=np.int64)  # roles, then people
    capacity[:n_roles] = _role_sums(person_cap, person_role, n_roles)
    capacity[n_roles:] = person_cap

    # requests: a named assignment asks its person and the person's role; an unnamed one its role
    task_of = task_at(jobs["project_id"], jobs["task_id"])
    who = pd.Index(people["resource_id"].astype(str)).get_indexer(jobs["resource_id"].astype(str))  # blank: -1
    own_role = person_role[np.maximum(who, 0)] if n_people else np.full(who.size, -1)
    role_of = np.where(who >= 0, own_role, pd.Index(roles).get_indexer(jobs["role"].astype(str)))
    amount = np.round(jobs["fte"].astype(float).fillna(0).to_numpy() * UNITS).astype(np.int64)
    mine = (task_of >= 0) & (role_of >= 0) & (amount > 0)
    mine &= (d[np.maximum(task_of, 0)] > 0) if n else False
    gone = np.zeros(who.size, dtype=bool)  # named people never at work on the axis (left, not yet joined):
    gone[who >= 0] = person_cap.max(axis=1, initial=0)[who[who >= 0]] == 0  # their work goes to their role
    unstaffed = jobs.loc[mine & gone, ["project_id", "task_id", "resource_id"]].reset_index(drop=True)
    unstaffed["role"] = np.asarray([*roles, ""], dtype=object)[role_of[mine & gone]]
    who = np.where(gone, -1, who)
    asks = pd.DataFrame({"task": np.concatenate([task_of[mine], task_of[mine & (who >= 0)]]),
                         "resource": np.concatenate([role_of[mine], n_roles + who[mine & (who >= 0)]]),
                         "amount": np.concatenate([amount[mine], amount[mine & (who >= 0)]])})  # fmt: skip
    asks = asks.groupby(["task", "resource"], sort=True, as_index=False)["amount"].sum()
    ptr = np.searchsorted(asks["task"].to_numpy(), np.arange(n + 1))
    named = pd.DataFrame({"task": task_of[mine & (who >= 0)], "person": who[mine & (who >= 0)]}).drop_duplicates()
    named = named.sort_values(["task", "person"])
    named_ptr = np.searchsorted(named["task"].to_numpy(), np.arange(n + 1))
    standard = cal.is_working(axis, calendar)
    run, amounts = _effort_driven(d, asks, capacity, n_roles)

    placed = portfolio_sgs.serial(
        es, run, asks["resource"].to_numpy(), amounts, ptr, named["person"].to_numpy(), named_ptr,
        present, standard, capacity, pred, succ, kind, lag, _keys(rule, todo, live, ls, lf, es), COMPILED,
    )  # fmt: skip
    start, finish, cause, clash, unplaceable, holder, free = placed

    load_all = capacity - free
    people_load = _drawn(load_all, capacity, person_role, n_roles)
    named_as = people["name"].astype(str) + " (" + people["resource_id"].astype(str) + ")"

    def date(offsets):
        return pd.to_datetime(first + _weekday_offsets(day0, int(offsets.max(initial=0)) + 1)[offsets])

    def std_days(a, b):  # working days of the standard calendar from axis day a to axis day b
        return np.asarray(
            cal.count(axis[np.minimum(a, horizon - 1)], axis[np.minimum(b, horizon - 1)], calendar)
        ).astype(np.int64)

    priority = todo["project_id"].map(live.set_index("project_id")["priority"]).to_numpy()
    taken = _taken_by(holder, cause, clash, todo["project_id"].to_numpy(), priority)
    planned_finish_axis = _planned_finish(es, d, standard)
    week = pd.to_datetime(axis[np.maximum(clash, 0)])
    week = (week - pd.to_timedelta(week.day_of_week, unit="D")).normalize()
    delay = std_days(es, start)
    paused = np.where(d > 0, std_days(start, finish + 1) - run, 0)
    labels = np.asarray([*roles, *named_as, None], dtype=object)  # a resource's label; position -1: no cause
    role_names = np.asarray([*roles, *(roles[r] for r in person_role), None], dtype=object)
    table = pd.DataFrame(
        {
            "project_id": todo["project_id"].to_numpy(),
            "task_id": todo["task_id"].to_numpy(),
            "planned_start": date(es),
            "planned_finish": date(planned_finish_axis),
            "start": date(start),
            "finish": date(finish),
            "delay_days": delay,
            "paused_days": np.maximum(paused, 0),
            "longer_days": run - d,
            "cause": pd.array(role_names[cause], dtype="str"),  # the role, also when a named person was full
            "waited_for": pd.array(labels[cause], dtype="str"),
            "waited_week": pd.Series(week).where(cause >= 0).to_numpy(),
            "taken_by": pd.array(taken, dtype="str"),
        }
    )  # fmt: skip
    table["reason"] = _reasons(table)
    projects_table = _projects(
        table, live, wanted, es, cause, start, person_role, roles, lambda a, b: np.nan_to_num(cal.count(a, b, calendar))
    )
    which = np.array(sorted(unplaceable), dtype=np.int64)  # in the tasks' order
    held = np.array([unplaceable[a] for a in which], dtype=np.int64)
    ask = pd.Series(amounts, index=pd.MultiIndex.from_arrays([asks["task"], asks["resource"]]))
    short = pd.DataFrame({
        "project_id": todo["project_id"].to_numpy()[which], "task_id": todo["task_id"].to_numpy()[which],
        "role": labels[held].astype(str) if which.size else np.array([], dtype=str),
        "needs_fte": ask.reindex(pd.MultiIndex.from_arrays([which, held])).fillna(0).to_numpy() / UNITS,
        "role_fte": capacity.max(axis=1, initial=0)[held] / UNITS,
    })  # fmt: skip
    links = pd.DataFrame({"pred": pred, "succ": succ, "type": kind, "lag": lag})
    offsets = pd.DataFrame({"release": es, "start": start, "finish": finish, "duration": run})
    return Levelled(
        table, projects_table, short, roles, day0, capacity[:n_roles], load_all[:n_roles], links, offsets,
        people["resource_id"].astype(str).tolist(), capacity[n_roles:], people_load, unstaffed,
    )  # fmt: skip


def _effort_driven(d, asks, capacity, n_roles):
    """A task asking more of a named person than their FTE runs at their FTE for longer, with the same work:
    its working days times the largest ask / FTE ratio, rounded up, and every ask of the task scaled down so the
    work is kept (to the hundredth of an FTE, rounded down). Returns the days each task runs and the asks."""
    resource, amount = asks["resource"].to_numpy(), asks["amount"].to_numpy()
    most = capacity.max(axis=1, initial=0)[resource]
    task = asks["task"].to_numpy()
    person = (resource >= n_roles) & (most > 0)
    ratio = np.ones(d.size)
    np.maximum.at(ratio, task[person], amount[person] / most[person])
    run = np.where(ratio > 1, np.ceil(d * ratio - 1e-9), d).astype(np.int64)
    scaled = np.where(ratio[task] > 1, np.floor(amount * d[task] / np.maximum(run[task], 1) + 1e-9), amount)
    return run, scaled.astype(np.int64)


def _planned_finish(es, d, standard) -> np.ndarray:
    """The last standard working day of ``d`` days of work from each release (the plan's finish on the axis)."""
    working = np.flatnonzero(standard)
    at = np.searchsorted(working, es)
    last = np.minimum(at + np.maximum(d - 1, 0), working.size - 1)
    return np.where(d > 0, working[np.minimum(last, working.size - 1)], es)


def _role_sums(rows, person_role, n_roles) -> np.ndarray:
    """The people's rows (people x days) summed by role (roles x days)."""
    out = np.zeros((n_roles, rows.shape[1]), dtype=rows.dtype)
    if rows.shape[0]:
        order = np.argsort(person_role, kind="stable")
        ids, first = np.unique(person_role[order], return_index=True)
        out[ids] = np.add.reduceat(rows[order], first, axis=0)
    return out


def _drawn(load_all, capacity, person_role, n_roles) -> np.ndarray:
    """Each person's bookings: their named work plus their share of their role's unnamed demand, drawn in
    proportion to what each has left that day (so a share never passes what is left)."""
    named = load_all[n_roles:]
    spare = capacity[n_roles:] - named
    role_named = _role_sums(named, person_role, n_roles)
    role_spare = _role_sums(spare, person_role, n_roles)
    unnamed = load_all[:n_roles] - role_named
    share = np.divide(spare, role_spare[person_role], out=np.zeros(spare.shape), where=role_spare[person_role] > 0)
    return named + unnamed[person_role] * share


def _keys(rule, todo, live, ls, lf, es) -> np.ndarray:
    """Priority keys (lower first): a (tasks x 2) array compared row-wise."""
    if rule == "priority":
        first = todo["project_id"].map(live.set_index("project_id")["priority"]).astype(float).fillna(99).to_numpy()
        return np.column_stack([first, ls])
    second = {"lst": ls, "lft": lf, "min_slack": ls - es}[rule]
    return np.column_stack([second, np.zeros(len(second))])


def _taken_by(holder, cause, clash, project_of, priority) -> np.ndarray:
    """For each delayed task, the project of the task that held most of its cause on the day it clashed (placed
    before it, so of higher priority under the rule)."""
    late = cause >= 0
    task = np.full(cause.size, -1)
    task[late] = holder[cause[late], clash[late]]
    label = pd.Series(project_of).astype(str) + " (priority " + pd.Series(priority).astype(str) + ")"
    return np.where(task >= 0, np.append(label.to_numpy(dtype=object), None)[task], None)


def _reasons(table) -> pd.Series:
    """One sentence per task that moved: what it waited for, when, and who held it; or its predecessors."""
    delay, paused = table["delay_days"], table["paused_days"]
    held = (", taken by " + table["taken_by"]).fillna("")
    codes, weeks = pd.factorize(pd.to_datetime(table["waited_week"]))  # a few hundred weeks: each written once
    week = pd.Series(np.append(pd.DatetimeIndex(weeks).strftime("%d %b %Y").to_numpy(dtype=object), None)[codes],
                     index=table.index, dtype="str")  # fmt: skip
    waited = (
        "waits " + delay.astype(str) + " working days: " + table["waited_for"] + " full in the week of " + week + held
    )
    wait = waited.where(
        table["waited_for"].notna(), "waits " + delay.astype(str) + " working days for its predecessors"
    )
    wait = wait.where(delay > 0)
    pause = ("paused " + paused.astype(str) + " working days while its people are away").where(paused > 0)
    both = (wait + "; " + pause).fillna(wait).fillna(pause)
    return both.astype("str")


def _projects(tasks, live, wanted, es, cause, start, person_role, roles, count) -> pd.DataFrame:
    """Per project: planned and levelled finish, the delay and the role behind most of the waiting."""
    m = len(wanted)
    code = pd.Index(wanted).get_indexer(tasks["project_id"].to_numpy())  # every task belongs to a wanted project

    def latest(values, empty):
        out = np.full(m, empty, dtype=values.dtype)
        np.maximum.at(out, code, values)
        return out

    no_date = np.datetime64("NaT", "ns")
    lowest = np.iinfo(np.int64).min
    planned_finish = latest(tasks["planned_finish"].to_numpy(dtype="datetime64[ns]").view(np.int64), lowest)
    finish_date = latest(tasks["finish"].to_numpy(dtype="datetime64[ns]").view(np.int64), lowest)
    n_roles = len(roles)
    role_cause = np.where(cause >= n_roles, np.append(person_role, -1)[np.clip(cause - n_roles, -1, None)], cause)
    # the role behind most task-days of waiting in each project (ties: the first role by name)
    waited = (role_cause >= 0) & (start > es)
    days = np.zeros((m, len(roles)))
    np.add.at(days, (code[waited], role_cause[waited]), tasks["delay_days"].to_numpy()[waited])
    blame = np.where(
        days.max(axis=1, initial=0) > 0, np.asarray(roles, dtype=object)[days.argmax(axis=1)] if roles else None, None
    )
    info = live.set_index("project_id").loc[wanted]
    planned = np.where(planned_finish == lowest, no_date, planned_finish.view("datetime64[ns]"))
    levelled = np.where(finish_date == lowest, no_date, finish_date.view("datetime64[ns]"))
    delay = np.asarray(count(planned, levelled)).astype(np.int64)
    # each project's explanation: the reason of its task that waited longest
    worst = tasks.assign(code=code).sort_values(["code", "delay_days"], ascending=[True, False])
    worst = worst[worst["reason"].notna()].drop_duplicates("code").set_index("code")["reason"]
    reason = pd.Series(worst).reindex(range(m)).to_numpy()
    return pd.DataFrame(
        {
            "project_id": wanted,
            "name": info["name"].to_numpy(),
            "priority": info["priority"].to_numpy(),
            "planned_finish": planned,
            "finish": levelled,
            "delay_days": delay,
            "cause": pd.array(np.where(delay > 0, blame, None), dtype="str"),  # a cause only where the finish moved
            "reason": pd.array(np.where(delay > 0, reason, None), dtype="str"),
        }
    )  # fmt: skip


def check(levelled: Levelled) -> list[str]:
    """Problems with a levelled plan (empty when sound): a role or a person over capacity on a day, a broken
    link, a task starting before its planned start."""
    problems = [
        f"{levelled.roles[r]} booked {levelled.load[r, t] / UNITS:g} FTE of {levelled.capacity[r, t] / UNITS:g} "
        f"on working day {t}"
        for r, t in np.argwhere(levelled.load > levelled.capacity)[:20]
    ]
    problems += [
        f"{levelled.people[p]} booked {levelled.people_load[p, t] / UNITS:g} FTE of "
        f"{levelled.people_capacity[p, t] / UNITS:g} on day {t}"
        for p, t in np.argwhere(levelled.people_load > levelled.people_capacity + 1e-9)[:20]
    ]
    off, links = levelled.offsets, levelled.links
    start, finish, d = off["start"].to_numpy(), off["finish"].to_numpy(), off["duration"].to_numpy()
    stop = np.where(d > 0, finish + 1, start)
    a, b, lag = links["pred"].to_numpy(), links["succ"].to_numpy(), links["lag"].to_numpy()
    from_finish = links["type"].isin(["FS", "FF"]).to_numpy()
    to_finish = links["type"].isin(["FF", "SF"]).to_numpy()
    bound = np.where(from_finish, stop[a], start[a]) + lag - np.where(to_finish, d[b], 0)
    broken = np.nonzero(start[b] < np.maximum(bound, 0))[0]
    t = levelled.tasks
    problems += [f"{t['project_id'].iloc[b[k]]} / {t['task_id'].iloc[b[k]]} starts before its "
                 f"{links['type'].iloc[k]} link from {t['task_id'].iloc[a[k]]} allows" for k in broken[:20]]  # fmt: skip
    early = np.nonzero(start < off["release"].to_numpy())[0]
    problems += [
        f"{t['project_id'].iloc[i]} / {t['task_id'].iloc[i]} starts before its planned start" for i in early[:20]
    ]
    return problems
