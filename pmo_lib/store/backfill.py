"""The portfolio as it stood at an earlier month end, from the dated data it holds, to build a history.

A dataset describes one data date. Its dated records say what was known before: timesheets by
week, actual cost by month, status updates by month, actual start and finish dates, when risks,
issues and changes were raised, closed or decided. :func:`as_it_stood` keeps what was known on
``day`` and undoes the rest:

- timesheets of later weeks, status updates of later months and risks, issues and changes raised
  later are left out; one closed or decided later is open (or proposed) again;
- actual cost of later months is blank, and the forecast of every month after ``day`` is its budget:
  the dataset holds only today's forecast, which would carry hindsight into the past, so the forecast
  at completion as it stood is the actual cost to date plus the budget still to come (the estimate
  for an atypical variance, EAC = AC + (BAC - EV) in cost terms; PMI, *Practice Standard for Earned
  Value Management*, 2nd ed., 2011, sec. 6.3);
- a project with no baseline start, actual start, booked hour or status update by ``day`` is left
  out (it was not in the portfolio's records yet); a project closed today whose tasks were not all
  finished by ``day`` was active then, in its execute stage; one cancelled or on hold today was
  active until the end of its last booked week;
- a task started later is not started (no actual start, 0 % complete); one finished later is in
  progress; percent complete in between is taken as linear in working days from the actual start
  to the actual finish (100 %) or to the data date (the percent recorded then) — the dataset holds
  no earlier percent, so this is the stated assumption, and a task never goes back.

The baseline is today's (a re-baseline through an approved change shows from its decision on).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd


def as_it_stood(portfolio, day) -> object:
    """A copy of ``portfolio`` with only what was known at the end of ``day`` (see the module notes)."""
    from ..evm import data_date

    day = pd.Timestamp(day).normalize()
    now = data_date(portfolio)
    if day >= now:
        return portfolio
    month = day.to_period("M").start_time

    tasks = portfolio.tasks.copy()
    start, finish = tasks["actual_start"], tasks["actual_finish"]
    started = start.notna() & (start <= day)
    finished = finish.notna() & (finish <= day)
    pct_now = tasks["percent_complete"].astype(float).fillna(0.0)
    end = finish.where(finish.notna(), now)
    pct_end = np.where(finish.notna(), 100.0, pct_now)
    share = np.zeros(len(tasks))
    on = started.to_numpy() & ~finished.to_numpy()  # in progress on the day: the share of its working days
    if on.any():
        first = _days(start[on])
        total = np.busday_count(first, _days(end[on]) + 1)
        done = np.busday_count(first, np.datetime64(day.date(), "D") + 1)
        share[on] = np.clip(np.divide(done, total, out=np.ones(on.sum()), where=total > 0), 0.0, 1.0)
    pct = np.where(finished, 100.0, np.where(on, np.round(pct_end * share, 2), 0.0))
    tasks["percent_complete"] = np.where(tasks["percent_complete"].isna() & ~started, np.nan, pct)
    tasks["actual_start"] = start.where(started)
    tasks["actual_finish"] = finish.where(finished)

    financials = portfolio.financials.copy()
    later = financials["month"] > month
    financials["actual"] = financials["actual"].where(~later)
    financials["forecast"] = financials["forecast"].where(~later, financials["budget"])

    timesheets = portfolio.timesheets[portfolio.timesheets["week_start"] + pd.Timedelta(days=6) <= day]
    updates = portfolio.status_updates[portfolio.status_updates["month"] <= month]
    projects = _projects_then(portfolio.projects, tasks, portfolio.timesheets, timesheets, updates, day)
    kept = set(projects["project_id"])

    stood = dataclasses.replace(
        portfolio,
        projects=projects,
        tasks=tasks,
        timesheets=timesheets,
        financials=financials,
        status_updates=updates,
        risks=_reopen(portfolio.risks, day, "raised_on", "closed_on", "status", "open"),
        issues=_reopen(portfolio.issues, day, "raised_on", "closed_on", "status", "open"),
        changes=_reopen(portfolio.changes, day, "raised_on", "decided_on", "status", "proposed"),
    )
    if len(kept) == len(portfolio.projects):
        return stood
    cut = {}
    for table in PROJECT_TABLES:
        frame = getattr(stood, table)
        cut[table] = frame[frame["project_id"].isin(kept)].reset_index(drop=True)
    return dataclasses.replace(stood, **cut)


# the tables whose rows belong to one project (people, calendars and leave serve every project)
PROJECT_TABLES = ("projects", "tasks", "dependencies", "assignments", "timesheets", "financials", "risks", "issues",
                  "changes", "status_updates")  # fmt: skip


def _projects_then(projects: pd.DataFrame, tasks: pd.DataFrame, booked, timesheets, updates, day) -> pd.DataFrame:
    """The projects in the records by ``day``, with the status and stage they had then (see the module notes)."""
    ids = projects["project_id"]
    started = set(tasks.loc[tasks["actual_start"].notna(), "project_id"])
    known = (projects["baseline_start"] <= day) | ids.isin(started) | ids.isin(set(timesheets["project_id"]))
    known |= ids.isin(set(updates["project_id"]))
    out = projects[known.to_numpy()].copy()
    status = out["status"].astype(str)
    open_tasks = set(tasks.loc[tasks["actual_finish"].isna(), "project_id"])
    last_week = booked.groupby("project_id")["week_start"].max() + pd.Timedelta(days=6)  # every booking, today's too
    still_booking = out["project_id"].map(last_week).ge(day).fillna(False).to_numpy(dtype=bool)
    reopened = ((status == "closed") & out["project_id"].isin(open_tasks)).to_numpy()
    resumed = status.isin(["cancelled", "on_hold"]).to_numpy() & still_booking
    active = reopened | resumed
    if active.any():
        out["status"] = out["status"].where(~active, "active")
        out["stage"] = out["stage"].where(~(reopened & (out["stage"].astype(str) == "close").to_numpy()), "execute")
    return out.reset_index(drop=True)


def _days(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy().astype("datetime64[D]")


def _reopen(frame: pd.DataFrame, day, raised: str, closed: str, status: str, open_value: str) -> pd.DataFrame:
    """Rows raised by ``day``; those closed (or decided) after it are open (or proposed) again."""
    frame = frame[frame[raised].isna() | (frame[raised] <= day)].copy()
    later = frame[closed].notna() & (frame[closed] > day)
    if later.any():
        frame.loc[later, closed] = pd.NaT
        frame[status] = frame[status].where(~later, open_value)
    return frame.reset_index(drop=True)
