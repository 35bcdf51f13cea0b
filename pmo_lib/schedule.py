"""Critical path method: early and late dates, total and free float, the critical path.

One call schedules every project of a portfolio at once: tasks of all
projects are nodes of one network, and the forward and backward passes run
level by level (all tasks whose predecessors are done, in every project, in
one numpy step), never task by task. Joining the links onto the tasks,
finding the levels and laying out the passes is done once by
:func:`pmo_lib.network.compile_network`; pass its network to
:func:`critical_path` to schedule the same tasks and links again.

Times are working days counted from each project's start (offset 0): a task
occupies ``[early_start, early_finish)``, so a 5-day task starting at 0
finishes at 5 and its last working day is day 4; a milestone has
``early_start == early_finish``. Lags are working days (negative: a lead).
For a link from predecessor P to successor S with lag L, S must satisfy
[1]_ [2]_:

====  =============================  =======================================
type  constraint                     early start of S at least
====  =============================  =======================================
FS    start(S)  >= finish(P) + L     EF(P) + L
SS    start(S)  >= start(P) + L      ES(P) + L
FF    finish(S) >= finish(P) + L     EF(P) + L - d(S)
SF    finish(S) >= start(P) + L      ES(P) + L - d(S)
====  =============================  =======================================

No task starts before its project (offset 0). The backward pass mirrors
these from the project's finish (the latest early finish of its tasks).
Total float = late start - early start; free float = how far a task can slip
before it delays any successor (or the project finish, for a task with no
successor). Critical tasks have zero total float.

References
----------
.. [1] Project Management Institute, *PMBOK Guide*, 6th ed., 2017, sec. 6.3.2.1
   (precedence diagramming method, the four dependency types, leads and lags)
   and 6.5.2.2 (critical path method, total and free float).
.. [2] Project Management Institute, *Practice Standard for Scheduling*, 3rd ed.,
   2019, ch. 4 (forward and backward pass).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .network import LINK_TYPES, Network, ScheduleError, compile_network

__all__ = [
    "LINK_TYPES",
    "Network",
    "ScheduleError",
    "compile_network",
    "critical_path",
    "milestone_slippage",
    "schedule",
]

PROGRESS_STATES = ("not started", "in progress", "finished")
DEEP_LEVELS = 1_000  # a network this deep and ...
WIDE_ENOUGH = 20  # ... with fewer tasks than 20 per level is scheduled link by link
DAY_COLUMNS = ["duration_days", "early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float"]
NO_PUSH = -(2**40)  # the constraint of a link into a started task: never binding


def _shifts(net: Network, d: np.ndarray, lag: np.ndarray):
    """Each link as one constant for the forward pass and one for the backward pass.

    Durations and lags do not change during a pass, so forward
    ES(succ) >= ES(pred) + shift with shift = lag + [d(pred) if from finish]
    - [d(succ) if to finish], and backward LF(pred) <= LF(succ) + back with
    back = [d(pred) if from start] - [d(succ) if to start] - lag (the same
    constraint read from the other end; see :class:`~pmo_lib.network.Layout`).
    """
    f, b = net.forward, net.backward
    padded = np.append(d, 0)
    shift = padded[f.plus] - padded[f.minus]
    back = padded[b.plus] - padded[b.minus]
    if lag.any():
        shift += lag[f.order]
        back -= lag[b.order]
    return shift, back


def _passes_by_level(net: Network, d, push, back, es0, es, lf):
    """Forward and backward pass, one numpy step per level for every project at once.

    Each step reads the level's links as contiguous slices and keeps, per
    task, the largest (forward) or smallest (backward) candidate date.
    """
    f, b = net.forward, net.backward
    es[:] = es0
    for k in range(1, f.bounds.size - 1):  # successors on level k
        lo, hi = f.bounds[k], f.bounds[k + 1]
        if hi > lo:
            np.maximum.at(es, f.succ[lo:hi], es[f.pred[lo:hi]] + push[lo:hi])
    project_finish = _project_finish(es + d, net.project_codes)
    lf[:] = project_finish
    for k in range(b.bounds.size - 1):  # predecessors, deepest level first
        lo, hi = b.bounds[k], b.bounds[k + 1]
        if hi > lo:
            np.minimum.at(lf, b.pred[lo:hi], lf[b.succ[lo:hi]] + back[lo:hi])
    return project_finish


def _passes_by_link(net: Network, d, push, back, es0, es_out, lf_out):
    """The same passes link by link in the same order: for deep, narrow networks, where a
    numpy step per level would cost more than it saves."""
    f, b = net.forward, net.backward
    es = es0.tolist()
    for p, s, c in zip(f.pred.tolist(), f.succ.tolist(), push.tolist(), strict=True):
        cand = es[p] + c
        if cand > es[s]:
            es[s] = cand
    es_out[:] = es
    project_finish = _project_finish(es_out + d, net.project_codes)
    lf = project_finish.tolist()
    for p, s, c in zip(b.pred.tolist(), b.succ.tolist(), back.tolist(), strict=True):
        cand = lf[s] + c
        if cand < lf[p]:
            lf[p] = cand
    lf_out[:] = lf
    return project_finish


def _progress(tasks: pd.DataFrame, d: np.ndarray):
    """Progress as of a status date, from optional offset columns of ``tasks``.

    ``actual_start_day`` / ``actual_finish_day`` [working days from the project
    start; the finish day is the last day worked], ``remaining_days`` and
    ``status_day`` (the first working day after the status date). A finished
    task keeps its actual dates; a task in progress keeps its actual start and
    finishes its remaining duration from the status day; an unstarted task
    starts no earlier than the status day. Started tasks are not moved by
    their predecessors.

    Returns the initial early starts, the effective durations, which tasks
    the forward pass may move, and each task's state.
    """
    n = d.size

    def column(name):
        return tasks[name].astype(float).to_numpy() if name in tasks else np.full(n, np.nan)

    if "actual_start_day" not in tasks and "status_day" not in tasks:  # the plan without progress
        nothing = np.zeros(n, dtype=np.int8)
        return np.zeros(n, dtype=np.int64), d, np.ones(n, dtype=bool), _states(nothing)
    start, finish = column("actual_start_day"), column("actual_finish_day")
    remaining, status = column("remaining_days"), column("status_day")
    started = ~np.isnan(start)
    finished = started & ~np.isnan(finish)
    running = started & ~finished
    # started tasks at their actual start, others at the status day, never before the project start
    es0 = np.where(started, start, np.fmax(status, 0)).astype(np.int64)
    d_eff = d.copy()
    d_eff[finished] = (finish[finished] + 1 - start[finished]).astype(np.int64)
    if running.any():
        left = np.where(np.isnan(remaining), d, remaining)[running]
        now = np.where(np.isnan(status), start + 1, status)[running]
        d_eff[running] = np.maximum(now + left - start[running], 1).astype(np.int64)
    return es0, d_eff, ~started, _states(finished.view(np.int8) * 2 + running.view(np.int8))


def _states(codes: np.ndarray) -> pd.Categorical:
    """Progress states from codes 0 not started, 1 in progress, 2 finished."""
    return pd.Categorical.from_codes(codes, PROGRESS_STATES, validate=False)


def _project_finish(ef: np.ndarray, project_codes: np.ndarray) -> np.ndarray:
    """The latest early finish of each task's project, per task."""
    finish = np.zeros(project_codes.max() + 1, dtype=np.int64)
    np.maximum.at(finish, project_codes, ef)
    return finish[project_codes]


def critical_path(tasks: pd.DataFrame, dependencies: pd.DataFrame, network: Network | None = None) -> pd.DataFrame:
    """Early/late start and finish, total and free float of every task of every project.

    Parameters
    ----------
    tasks
        ``project_id``, ``task_id``, ``duration_days`` [working days].
    dependencies
        ``project_id``, ``predecessor_id``, ``successor_id``, ``type``
        (FS/SS/FF/SF; blank is FS), ``lag_days`` [working days; blank is 0].
    network
        These tables compiled by :func:`~pmo_lib.network.compile_network`,
        when the caller schedules them more than once (compiled here if not
        given). Durations, lags and progress are read from the tables.

    Returns
    -------
    DataFrame
        One row per task, in the order of ``tasks``: ``project_id``,
        ``task_id``, ``duration_days``, ``early_start``, ``early_finish``,
        ``late_start``, ``late_finish`` [working days from the project start],
        ``total_float``, ``free_float`` [working days], ``is_critical`` and
        ``driving_predecessor`` (the predecessor whose link sets the early
        start; blank when the project start does).

    Raises
    ------
    ScheduleError
        For a dependency loop (naming its tasks), a link to an unknown task,
        a negative or missing duration, or an unknown link type.
    ValueError
        For a ``network`` compiled from tables with other task or link counts.

    Examples
    --------
    >>> tasks = pd.DataFrame({"project_id": "P", "task_id": ["A", "B"], "duration_days": [3, 2]})
    >>> links = pd.DataFrame({"project_id": ["P"], "predecessor_id": ["A"], "successor_id": ["B"],
    ...                       "type": ["FS"], "lag_days": [1]})
    >>> critical_path(tasks, links)[["task_id", "early_start", "early_finish", "total_float"]].to_numpy().tolist()
    [['A', 0, 3, 0], ['B', 4, 6, 0]]
    """
    duration = tasks["duration_days"].astype(float)
    if duration.isna().any() or (duration < 0).any():
        bad = tasks.loc[duration.isna() | (duration < 0), "task_id"].astype(str).tolist()[:5]
        raise ScheduleError(f"durations must be zero or more working days; check tasks {', '.join(bad)}")
    d = np.round(duration.to_numpy()).astype(np.int64)
    if network is None:
        network = compile_network(tasks, dependencies)
    else:
        network.matches(tasks, dependencies)
    if network.n_tasks == 0:
        empty = tasks[["project_id", "task_id"]].assign(**dict.fromkeys(DAY_COLUMNS, d))
        return empty.assign(
            is_critical=np.zeros(0, dtype=bool),
            progress=_states(np.zeros(0, dtype=np.int8)),
            driving_predecessor=pd.Series([], dtype="str"),
        )
    lag = np.round(dependencies["lag_days"].astype(float).fillna(0.0).to_numpy()).astype(np.int64)

    # the passes, by levels (wide networks: a portfolio) or link by link (deep chains)
    planned = d
    es0, d, moves, state = _progress(tasks, d)
    shift, back = _shifts(network, d, lag)
    f, b = network.forward, network.backward
    push = np.where(moves[f.succ], shift, NO_PUSH)  # links into started tasks do not push
    depth = int(network.level.max())
    deep = depth > DEEP_LEVELS and depth * WIDE_ENOUGH > network.n_tasks
    passes = _passes_by_link if deep else _passes_by_level
    # the whole-day columns of the result, computed in place in one block (no copies into a frame)
    table = np.empty((len(DAY_COLUMNS), network.n_tasks), dtype=np.int64)
    table[0] = planned
    _, es, ef, ls, lf, total, free = table
    project_finish = passes(network, d, push, back, es0, es, lf)
    np.add(es, d, out=ef)
    np.subtract(lf, d, out=ls)

    # free float: how far a task can slip before it delays a successor or the project finish. A
    # link's slack is EF(succ) + back - EF(pred); the smallest over a task's links, and the finish
    np.copyto(free, project_finish)
    np.minimum.at(free, b.pred, ef[b.succ] + back)
    free -= ef
    np.maximum(free, 0, out=free)

    # the predecessor whose link sets the early start: the last such link in the file
    binding = np.where(es[f.pred] + shift == es[f.succ], f.order, -1)
    last = np.full(network.n_tasks, -1, dtype=np.int64)
    np.maximum.at(last, f.succ, binding)
    found = (last >= 0) & (es > 0)
    driver = np.full(network.n_tasks, -1, dtype=np.int64)
    driver[found] = network.pred[last[found]]

    done = np.asarray(state.codes == 2)  # finished: the past has no float
    if done.any():
        ls[done], lf[done], free[done] = es[done], ef[done], 0
    np.subtract(ls, es, out=total)
    out = pd.DataFrame(table.T, columns=DAY_COLUMNS, index=tasks.index, copy=False)
    out.insert(0, "project_id", tasks["project_id"])
    out.insert(1, "task_id", tasks["task_id"])
    out["is_critical"] = (total <= 0) & ~done
    out["progress"] = state
    names = network.task_codes[np.maximum(driver, 0)]  # the ids, taken from the few distinct ones
    drivers = pc.take(network.task_values, pa.array(names, mask=driver < 0))
    out["driving_predecessor"] = pd.Series(pd.array(drivers, dtype="str"), index=tasks.index)
    return out


def _prepare(portfolio, as_of=None, calendar: str | None = None, projects=None):
    """The tasks and links to schedule, the calendar, each task's day 0 and the progress offsets."""
    from .calendar import WorkCalendars

    tasks, deps, proj = portfolio.tasks, portfolio.dependencies, portfolio.projects
    if projects is not None:
        wanted = set(projects)
        tasks = tasks[tasks["project_id"].isin(wanted)]
        deps = deps[deps["project_id"].isin(wanted)]
    cal = WorkCalendars.from_table(portfolio.calendars)
    if calendar is None:
        calendar = "standard" if "standard" in cal.names else ""
    # each project's day 0: its baseline start, else its earliest task date, else the status date
    first = pd.concat([tasks["baseline_start"], tasks["actual_start"]], axis=1).min(axis=1)
    earliest = first.groupby(tasks["project_id"]).min()
    if tasks.empty:  # no tasks to schedule (pandas cannot map an empty text column onto dates)
        origin = pd.Series(pd.NaT, index=tasks.index, dtype="datetime64[ns]")
    else:
        origin = (
            tasks["project_id"]
            .map(proj.set_index("project_id")["baseline_start"])
            .fillna(tasks["project_id"].map(earliest))
        )
    if as_of is not None:
        origin = origin.fillna(pd.Timestamp(as_of))
    origin = pd.Series(cal.add(origin.to_numpy(), 0, calendar), index=tasks.index)

    work = tasks[["project_id", "task_id", "duration_days"]].copy()
    if as_of is not None:
        after = np.datetime64(pd.Timestamp(as_of).date(), "D") + np.timedelta64(1, "D")
        work["status_day"] = cal.count(origin.to_numpy(), after, calendar)
        work["actual_start_day"] = cal.count(origin.to_numpy(), tasks["actual_start"].to_numpy(), calendar)
        work["actual_finish_day"] = cal.count(origin.to_numpy(), tasks["actual_finish"].to_numpy(), calendar)
        pct = tasks["percent_complete"].astype(float).fillna(0.0).clip(0, 100).to_numpy()
        work["remaining_days"] = np.ceil(tasks["duration_days"].astype(float).to_numpy() * (1 - pct / 100))
    return tasks, deps, cal, calendar, origin, work


def schedule(portfolio, as_of=None, calendar: str | None = None, projects=None) -> pd.DataFrame:
    """The critical path of every project in dates, with progress and baseline comparison.

    Parameters
    ----------
    portfolio
        A loaded :class:`~pmo_lib.data.Portfolio`.
    as_of
        Status date [date]. Finished tasks keep their actual dates, tasks in
        progress finish their remaining work (duration x (1 - percent
        complete), rounded up) from the next working day, and nothing
        unstarted starts before it. ``None`` schedules the plan without progress.
    calendar
        Name of the working calendar in the ``calendars`` table; default
        ``"standard"`` when the table has it, else weekends only. Every task
        of a project is scheduled on it, so lags, which count in working days
        of the successor's calendar (as MS Project does), count on it too.
    projects
        Project ids to schedule (default: all).

    Returns
    -------
    DataFrame
        One row per task: ``project_id``, ``task_id``, ``early_start``,
        ``early_finish``, ``late_start``, ``late_finish`` [dates; a finish is
        the last working day], ``total_float``, ``free_float`` [working days],
        ``is_critical``, ``progress``, ``baseline_start``, ``baseline_finish``,
        ``start_variance``, ``finish_variance`` [working days; positive is
        later than the baseline], ``driving_predecessor``.
    """
    tasks, deps, cal, calendar, origin, work = _prepare(portfolio, as_of, calendar, projects)
    cpm = critical_path(work, deps)

    def date(offsets):
        return cal.add(origin.to_numpy(), np.asarray(offsets, dtype=float), calendar)

    def last_day(start, finish):
        return np.where(finish > start, date(finish - 1), date(start))

    es, ef, ls, lf = (cpm[c].to_numpy() for c in ("early_start", "early_finish", "late_start", "late_finish"))
    out = pd.DataFrame(
        {
            "project_id": cpm["project_id"],
            "task_id": cpm["task_id"],
            "early_start": pd.to_datetime(date(es)),
            "early_finish": pd.to_datetime(last_day(es, ef)),
            "late_start": pd.to_datetime(date(ls)),
            "late_finish": pd.to_datetime(last_day(ls, lf)),
            "total_float": cpm["total_float"],
            "free_float": cpm["free_float"],
            "is_critical": cpm["is_critical"],
            "progress": cpm["progress"],
            "baseline_start": tasks["baseline_start"],
            "baseline_finish": tasks["baseline_finish"],
        },
        index=tasks.index,
    )
    # variance in working days: positive when the scheduled date is later than the baseline
    out["start_variance"] = _variance(cal, out["baseline_start"], out["early_start"], calendar)
    out["finish_variance"] = _variance(cal, out["baseline_finish"], out["early_finish"], calendar)
    out["driving_predecessor"] = cpm["driving_predecessor"]
    return out.reset_index(drop=True)


def _variance(cal, baseline: pd.Series, scheduled: pd.Series, calendar) -> np.ndarray:
    """Working days from the baseline date to the scheduled one (negative when earlier; blank without a baseline)."""
    return pd.array(cal.count(baseline.to_numpy(), scheduled.to_numpy(), calendar), dtype="Int64")


def milestone_slippage(scheduled: pd.DataFrame, tasks: pd.DataFrame) -> pd.DataFrame:
    """Per project: how many milestones slipped and the largest slip [working days].

    ``scheduled`` is the output of :func:`schedule`; milestones are the tasks
    flagged ``is_milestone`` (or of zero duration).
    """
    is_milestone = tasks["is_milestone"].fillna(False).astype(bool) | (tasks["duration_days"] == 0)
    marks = scheduled[is_milestone.to_numpy()]
    slipped = marks["finish_variance"] > 0
    return (
        marks.assign(slipped=slipped)
        .groupby("project_id", observed=True)
        .agg(milestones=("task_id", "size"), slipped=("slipped", "sum"), max_slip_days=("finish_variance", "max"))
        .reset_index()
    )
