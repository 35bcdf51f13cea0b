"""Critical path method: early and late dates, total and free float, the critical path.

One call schedules every project of a portfolio at once: tasks of all
projects are nodes of one network, and the forward and backward passes run
level by level (all tasks whose predecessors are done, in every project, in
one numpy step), never task by task.

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

from ._vector import _arrow_text, encode, positions
from .errors import PMOError
from .graph import by_level, topological_levels

LINK_TYPES = ("FS", "SS", "FF", "SF")


class ScheduleError(PMOError):
    """The network cannot be scheduled (a loop, or a link to a task that does not exist)."""


def _codes_in(values: pd.Series, known) -> np.ndarray:
    """Position of each value among ``known`` (pyarrow strings), -1 when absent or blank."""
    return positions(values, known)


def _network(tasks: pd.DataFrame, dependencies: pd.DataFrame):
    """Integer node ids per task and link arrays; clear errors for unknown tasks.

    Codes, not strings: project and task ids are dictionary-encoded once and a
    task is the pair (project code, task code), so joining 400k links onto 200k
    tasks is integer work.
    """
    project_codes, projects = encode(tasks["project_id"])
    task_codes, task_values = encode(tasks["task_id"])
    width = len(task_values) + 1
    nodes = pd.Index(project_codes * width + task_codes)
    if not nodes.is_unique:
        dup = tasks.loc[nodes.duplicated(), ["project_id", "task_id"]].astype(str).agg(" / ".join, axis=1)
        raise ScheduleError(f"the same task appears twice: {', '.join(dup.tolist()[:5])}")
    dep_project = _codes_in(dependencies["project_id"], projects)
    pred_key = dep_project * width + _codes_in(dependencies["predecessor_id"], task_values)
    succ_key = dep_project * width + _codes_in(dependencies["successor_id"], task_values)
    pred, succ = nodes.get_indexer(pred_key), nodes.get_indexer(succ_key)
    unknown = (pred < 0) | (succ < 0)
    if unknown.any():
        bad = dependencies[unknown]
        listed = ", ".join(
            f"{p}: {a} → {b}"
            for p, a, b in bad[["project_id", "predecessor_id", "successor_id"]].head(5).itertuples(index=False)
        )
        raise ScheduleError(f"{int(unknown.sum())} link(s) refer to tasks that do not exist ({listed})")
    types = dependencies["type"]
    kind = _codes_in(types, pa.array(["", *LINK_TYPES])) - 1  # -1 blank, 0 FS, 1 SS, 2 FF, 3 SF
    wrong = (kind < -1) & types.notna().to_numpy()
    if wrong.any():
        found = sorted(set(types[wrong].astype(str)))
        raise ScheduleError(f"unknown link type(s) {found}; use one of {', '.join(LINK_TYPES)}")
    kind = np.maximum(kind, 0)  # blank is FS
    lag = dependencies["lag_days"].astype(float).fillna(0.0).to_numpy()
    return nodes, pred.astype(np.int64), succ.astype(np.int64), kind, lag, project_codes


def _levels(pred: np.ndarray, succ: np.ndarray, n: int, names) -> np.ndarray:
    """Topological level of every node; a loop is a ScheduleError naming its tasks."""
    level = topological_levels(pred, succ, n)
    if (level < 0).any():
        stuck = names(np.flatnonzero(level < 0)[:10])
        raise ScheduleError(f"dependency loop: these tasks wait on each other in a circle: {', '.join(stuck)}")
    return level


PROGRESS_STATES = ("not started", "in progress", "finished")
DEEP_LEVELS = 1_000  # a network this deep and ...
WIDE_ENOUGH = 20  # ... with fewer tasks than 20 per level is scheduled link by link


def _passes_by_level(d, pred, succ, from_finish, to_finish, lag, level, project_codes, es0, moves):
    """Forward and backward pass, one numpy step per level for every project at once.

    Durations and lags do not change during a pass, so each link acts through
    one constant: forward ES(succ) >= ES(pred) + shift, backward
    LF(pred) <= LF(succ) + d(pred) - d(succ) - shift; the links are laid out
    level by level so that each step reads contiguous slices.
    """
    # forward: ES(s) >= ES(p) + [d(p) if from finish] + lag - [d(s) if to finish]
    shift = np.where(from_finish, d[pred], 0) + lag - np.where(to_finish, d[succ], 0)
    keep = np.flatnonzero(moves[succ])  # links into fixed (started) tasks do not push
    order = keep[by_level(level[succ[keep]])]
    p_f, s_f, c_f = pred[order], succ[order], shift[order]
    bounds = np.searchsorted(level[s_f], np.arange(level.max() + 2))
    es = es0.copy()
    for k in range(1, level.max() + 1):
        lo, hi = bounds[k], bounds[k + 1]
        if hi > lo:
            np.maximum.at(es, s_f[lo:hi], es[p_f[lo:hi]] + c_f[lo:hi])
    project_finish = _project_finish(es + d, project_codes)
    # backward, on late finishes: LF(p) <= LF(s) - d(s) + d(p) - shift
    back = d[pred] - d[succ] - shift
    order = by_level(level[pred])
    p_b, s_b, c_b = pred[order], succ[order], back[order]
    pbounds = np.searchsorted(level[p_b], np.arange(level.max() + 2))
    lf = project_finish.copy()
    for k in range(level.max(), -1, -1):
        lo, hi = pbounds[k], pbounds[k + 1]
        if hi > lo:
            np.minimum.at(lf, p_b[lo:hi], lf[s_b[lo:hi]] + c_b[lo:hi])
    return es, lf, project_finish


def _passes_by_link(d, pred, succ, from_finish, to_finish, lag, level, project_codes, es0, moves):
    """The same passes link by link in topological order: for deep, narrow networks, where a
    numpy step per level would cost more than it saves."""
    order = by_level(level[succ])  # links by the level of their successor
    order = order[moves[succ[order]]]  # links into fixed (started) tasks do not push
    p_l, s_l = pred[order].tolist(), succ[order].tolist()
    ff, tf, lg = from_finish[order].tolist(), to_finish[order].tolist(), lag[order].tolist()
    dl = d.tolist()
    es = es0.tolist()
    for p, s, f, t, g in zip(p_l, s_l, ff, tf, lg, strict=True):
        cand = es[p] + (dl[p] if f else 0) + g - (dl[s] if t else 0)
        if cand > es[s]:
            es[s] = cand
    es = np.asarray(es, dtype=np.int64)
    project_finish = _project_finish(es + d, project_codes)
    lf = project_finish.tolist()
    back = by_level(-level[pred])  # links by the level of their predecessor, deepest first
    for p, s, f, t, g in zip(
        pred[back].tolist(),
        succ[back].tolist(),
        from_finish[back].tolist(),
        to_finish[back].tolist(),
        lag[back].tolist(),
        strict=True,
    ):
        read = (lf[s] if t else lf[s] - dl[s]) - g
        cand = read if f else read + dl[p]
        if cand < lf[p]:
            lf[p] = cand
    return es, np.asarray(lf, dtype=np.int64), project_finish


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

    start, finish = column("actual_start_day"), column("actual_finish_day")
    remaining, status = column("remaining_days"), column("status_day")
    finished = ~np.isnan(start) & ~np.isnan(finish)
    running = ~np.isnan(start) & np.isnan(finish)
    es0 = np.maximum(np.where(np.isnan(status), 0, status), 0).astype(np.int64)  # nor before the project start
    es0 = np.where(finished | running, np.nan_to_num(start), es0).astype(np.int64)
    d_eff = d.copy()
    d_eff[finished] = (finish[finished] + 1 - start[finished]).astype(np.int64)
    if running.any():
        left = np.where(np.isnan(remaining), d, remaining)[running]
        now = np.where(np.isnan(status), start + 1, status)[running]
        d_eff[running] = np.maximum(now + left - start[running], 1).astype(np.int64)
    state = pd.Categorical.from_codes(finished * 2 + running, PROGRESS_STATES)
    return es0, d_eff, ~(finished | running), state


def _project_finish(ef: np.ndarray, project_codes: np.ndarray) -> np.ndarray:
    """The latest early finish of each task's project, per task."""
    finish = np.zeros(project_codes.max() + 1, dtype=np.int64)
    np.maximum.at(finish, project_codes, ef)
    return finish[project_codes]


def critical_path(tasks: pd.DataFrame, dependencies: pd.DataFrame) -> pd.DataFrame:
    """Early/late start and finish, total and free float of every task of every project.

    Parameters
    ----------
    tasks
        ``project_id``, ``task_id``, ``duration_days`` [working days].
    dependencies
        ``project_id``, ``predecessor_id``, ``successor_id``, ``type``
        (FS/SS/FF/SF; blank is FS), ``lag_days`` [working days; blank is 0].

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
    nodes, pred, succ, kind, lag, project_codes = _network(tasks, dependencies)
    n = len(nodes)
    if n == 0:
        columns = ["early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float"]
        empty = tasks[["project_id", "task_id"]].assign(duration_days=d, **{c: d for c in columns})
        return empty.assign(
            is_critical=np.zeros(0, dtype=bool),
            progress=pd.Categorical.from_codes(np.zeros(0, dtype=np.int8), PROGRESS_STATES),
            driving_predecessor=pd.Series([], dtype="str"),
        )
    lag = np.round(lag).astype(np.int64)

    def names(rows):
        return (tasks["project_id"].astype(str).iloc[rows] + " / " + tasks["task_id"].astype(str).iloc[rows]).tolist()

    level = _levels(pred, succ, n, names)
    from_finish = (kind == 0) | (kind == 2)  # FS, FF read the predecessor's finish
    to_finish = kind >= 2  # FF, SF constrain the successor's finish

    # the passes, by levels (wide networks: a portfolio) or link by link (deep chains)
    planned = d
    es0, d, moves, state = _progress(tasks, d)
    deep = level.max() > DEEP_LEVELS and level.max() * WIDE_ENOUGH > n
    passes = _passes_by_link if deep else _passes_by_level
    es, lf, project_finish = passes(d, pred, succ, from_finish, to_finish, lag, level, project_codes, es0, moves)
    ef = es + d
    ls = lf - d

    # free float: the smallest slack over a task's outgoing links (project finish if none)
    slack_link = np.where(to_finish, ef[succ], es[succ]) - (np.where(from_finish, ef[pred], es[pred]) + lag)
    free = project_finish - ef
    np.minimum.at(free, pred, slack_link)
    free = np.maximum(free, 0)

    # the predecessor whose link sets the early start
    forward_cand = es[pred] + np.where(from_finish, d[pred], 0) + lag - np.where(to_finish, d[succ], 0)
    binding = (forward_cand == es[succ]) & (es[succ] > 0)
    driver = np.full(n, -1, dtype=np.int64)
    driver[succ[binding]] = pred[binding]

    done = np.asarray(state == "finished")  # the past has no float
    ls, lf = np.where(done, es, ls), np.where(done, ef, lf)
    total = ls - es
    free = np.where(done, 0, free)
    out = pd.DataFrame(
        {
            "project_id": tasks["project_id"],
            "task_id": tasks["task_id"],
            "duration_days": planned,
            "early_start": es,
            "early_finish": ef,
            "late_start": ls,
            "late_finish": lf,
            "total_float": total,
            "free_float": free,
            "is_critical": (total <= 0) & ~done,
            "progress": state,
        },
        index=tasks.index,
    )
    drivers = pc.take(_arrow_text(tasks["task_id"]), pa.array(np.maximum(driver, 0), mask=driver < 0))
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
