"""The portfolio as it stood at an earlier month end, from the dated data it holds, to build a history.

A dataset describes one data date. Its dated records say what was known before: timesheets by
week, actual cost by month, status updates by month, actual start and finish dates, when risks,
issues and changes were raised, closed or decided. :func:`as_it_stood` keeps what was known on
``day`` and undoes the rest:

- timesheets of later weeks, status updates of later months and risks, issues and changes raised
  later are left out; one closed or decided later is open (or proposed) again;
- actual cost of later months is blank (the forecast stays);
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
    financials["actual"] = financials["actual"].where(financials["month"] <= month)

    return dataclasses.replace(
        portfolio,
        tasks=tasks,
        timesheets=portfolio.timesheets[portfolio.timesheets["week_start"] + pd.Timedelta(days=6) <= day],
        financials=financials,
        status_updates=portfolio.status_updates[portfolio.status_updates["month"] <= month],
        risks=_reopen(portfolio.risks, day, "raised_on", "closed_on", "status", "open"),
        issues=_reopen(portfolio.issues, day, "raised_on", "closed_on", "status", "open"),
        changes=_reopen(portfolio.changes, day, "raised_on", "decided_on", "status", "proposed"),
    )


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
