"""Resource capacity and demand: hours available and booked per person and period, utilisation, over-allocation.

Capacity of a person in a period = FTE x hours per day x their working days
in the period: days on their calendar (weekends and the calendar's
non-working days excluded), within their employment dates, less their leave.
Demand = each assignment's FTE x hours per day x its working days in the
period (on the person's calendar; an unnamed role demand uses the standard
calendar). Utilisation = demand / capacity; a person is over-allocated in a
period when demand exceeds capacity [1]_.

Periods are weeks (Monday starts, ``freq="W"``) or calendar months
(``freq="M"``). Everything is computed on whole columns: intervals are
spread over the periods they overlap with one repeat, no per-row loop.

References
----------
.. [1] Project Management Institute, *A Guide to the Project Management Body of
   Knowledge (PMBOK Guide)*, 6th ed., 2017, sec. 6.5.2.3 and 9.3 (resource
   calendars, resource histograms and over-allocation).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._vector import positions

HOURS_PER_DAY = 7.5  # a standard working day [hours]
FREQS = ("W", "M")


def periods(start, end, freq: str = "W") -> pd.DatetimeIndex:
    """First days of the weeks (Mondays) or months from the one holding ``start`` to the one holding ``end``."""
    if freq not in FREQS:
        raise ValueError(f"unknown period {freq!r}; choose one of: W (weeks), M (months)")
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if freq == "W":
        first = start - pd.Timedelta(days=start.weekday())
        return pd.date_range(first, end, freq="7D")
    return pd.date_range(start.to_period("M").to_timestamp(), end, freq="MS")


def _bounds(grid: pd.DatetimeIndex, freq: str) -> np.ndarray:
    """Period boundaries [first day of each period, and the day after the last]."""
    last = grid[-1] + (pd.Timedelta(days=7) if freq == "W" else pd.offsets.MonthBegin(1))
    return np.append(grid.to_numpy(), np.datetime64(last)).astype("datetime64[D]")


def _spread_days(cal, calendars, first, last, bounds):
    """Working days of each interval [first, last] in each period it overlaps.

    Returns (row, period, days) arrays, one entry per interval and period.
    """
    first = np.asarray(first).astype("datetime64[D]")
    after = np.asarray(last).astype("datetime64[D]") + np.timedelta64(1, "D")
    lo_p = np.clip(np.searchsorted(bounds, first, side="right") - 1, 0, bounds.size - 2)
    hi_p = np.clip(np.searchsorted(bounds, after, side="left") - 1, 0, bounds.size - 2)
    ok = ~np.isnat(first) & ~np.isnat(after) & (after > bounds[0]) & (first < bounds[-1]) & (after > first)
    span = np.where(ok, hi_p - lo_p + 1, 0)
    row = np.repeat(np.arange(first.size), span)
    period = np.repeat(lo_p, span) + (np.arange(row.size) - np.repeat(np.cumsum(span) - span, span))
    a = np.maximum(first[row], bounds[period])
    b = np.minimum(after[row], bounds[period + 1])
    days = cal.count(a, b, np.asarray(calendars, dtype=object)[row] if np.ndim(calendars) else calendars)
    return row, period, np.nan_to_num(days)


def _calendars(portfolio):
    from .calendar import WorkCalendars

    cal = WorkCalendars.from_table(portfolio.calendars)
    default = "standard" if "standard" in cal.names else ""
    names = portfolio.resources["calendar"].astype(object).to_numpy()
    names = np.where(np.isin(names, cal.names), names, default).astype(object)  # blank or unknown: default
    return cal, default, names


def capacity(portfolio, start, end, *, freq: str = "W", hours_per_day: float = HOURS_PER_DAY) -> pd.DataFrame:
    """Hours each person can work in each period (FTE x hours per day x working days less leave).

    Returns one row per person and period: ``resource_id``, ``period``
    (first day), ``working_days``, ``leave_days``, ``capacity_hours``.
    """
    grid = periods(start, end, freq)
    bounds = _bounds(grid, freq)
    cal, _, names = _calendars(portfolio)
    people = portfolio.resources
    n, m = len(people), grid.size
    joined = people["start_date"].fillna(pd.Timestamp("1990-01-01")).to_numpy()
    left = people["end_date"].fillna(pd.Timestamp("2100-12-31")).to_numpy()
    row, period, days = _spread_days(cal, names, joined, left, bounds)
    working = np.bincount(row * m + period, weights=days, minlength=n * m).reshape(n, m)
    leave = portfolio.leave
    who = positions(leave["resource_id"], people["resource_id"])
    keep = who >= 0
    lrow, lperiod, ldays = _spread_days(
        cal, names[who[keep]], leave["start"].to_numpy()[keep], leave["finish"].to_numpy()[keep], bounds
    )
    away = np.bincount(who[keep][lrow] * m + lperiod, weights=ldays, minlength=n * m).reshape(n, m)
    away = np.minimum(away, working)  # leave outside employment does not count twice
    fte = people["fte"].astype(float).fillna(1.0).to_numpy()
    return pd.DataFrame(
        {
            "resource_id": np.repeat(people["resource_id"].to_numpy(), m),
            "period": np.tile(grid.to_numpy(), n),
            "working_days": working.ravel(),
            "leave_days": away.ravel(),
            "capacity_hours": ((working - away) * (fte * hours_per_day)[:, None]).ravel(),
        }
    )


def demand(portfolio, start, end, *, freq: str = "W", hours_per_day: float = HOURS_PER_DAY) -> pd.DataFrame:
    """Hours booked by assignments in each period: one row per assignment and period it overlaps.

    Columns: ``assignment_id``, ``project_id``, ``resource_id`` (blank for an
    unnamed role demand), ``role``, ``period``, ``demand_hours``.
    """
    grid = periods(start, end, freq)
    bounds = _bounds(grid, freq)
    cal, default, names = _calendars(portfolio)
    jobs = portfolio.assignments
    who = positions(jobs["resource_id"], portfolio.resources["resource_id"])
    calendars = np.where(who >= 0, names[np.maximum(who, 0)] if names.size else default, default)
    row, period, days = _spread_days(cal, calendars, jobs["start"].to_numpy(), jobs["finish"].to_numpy(), bounds)
    fte = jobs["fte"].astype(float).fillna(0.0).to_numpy()
    return pd.DataFrame(
        {
            "assignment_id": jobs["assignment_id"].to_numpy()[row],
            "project_id": jobs["project_id"].to_numpy()[row],
            "resource_id": jobs["resource_id"].to_numpy()[row],
            "role": jobs["role"].to_numpy()[row],
            "period": grid.to_numpy()[period],
            "demand_hours": days * fte[row] * hours_per_day,
        }
    )


def utilisation(portfolio, start, end, *, by: str = "team", freq: str = "W", **options) -> pd.DataFrame:
    """Capacity, named demand and utilisation per ``by`` (``"team"``, ``"role"`` or ``"resource_id"``) and period.

    Only demand on named people counts against capacity; unnamed role demand
    is reported apart as ``unassigned_hours`` when ``by="role"``.
    Utilisation is blank where there is no capacity.
    """
    if by not in ("team", "role", "resource_id"):
        raise ValueError(f"unknown grouping {by!r}; choose one of: team, role, resource_id")
    people = portfolio.resources[["resource_id", "team", "role"]]
    cap = capacity(portfolio, start, end, freq=freq, **options).merge(people, on="resource_id")
    need = demand(portfolio, start, end, freq=freq, **options)
    named = need[need["resource_id"].notna()].drop(columns="role").merge(people, on="resource_id")
    table = (
        cap.groupby([by, "period"], observed=True)["capacity_hours"]
        .sum()
        .to_frame()
        .join(named.groupby([by, "period"], observed=True)["demand_hours"].sum())
        .fillna({"demand_hours": 0.0})
    )
    if by == "role":
        open_roles = need[need["resource_id"].isna()].groupby(["role", "period"], observed=True)["demand_hours"].sum()
        table = table.join(open_roles.rename("unassigned_hours"), how="outer").fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["utilisation"] = np.where(
            table["capacity_hours"] > 0, table["demand_hours"] / table["capacity_hours"], np.nan
        )
    return table.reset_index()


def over_allocated(portfolio, start, end, *, freq: str = "W", threshold: float = 1.0, **options) -> pd.DataFrame:
    """People booked beyond ``threshold`` x their capacity: who, which period, by how many hours, on which projects.

    One row per person and period over the limit: ``resource_id``, ``name``,
    ``team``, ``period``, ``capacity_hours``, ``demand_hours``, ``over_hours``
    (demand - threshold x capacity), ``utilisation``, ``projects`` (the
    projects booking them that period, comma-separated).
    """
    cap = capacity(portfolio, start, end, freq=freq, **options)
    need = demand(portfolio, start, end, freq=freq, **options)
    named = need[need["resource_id"].notna()]
    per = named.groupby(["resource_id", "period"], observed=True)["demand_hours"].sum()
    table = cap.set_index(["resource_id", "period"]).join(per, how="inner")
    over = table[table["demand_hours"] > threshold * table["capacity_hours"] + 1e-9].copy()
    over["over_hours"] = over["demand_hours"] - threshold * over["capacity_hours"]
    with np.errstate(divide="ignore", invalid="ignore"):
        over["utilisation"] = np.where(
            over["capacity_hours"] > 0, over["demand_hours"] / over["capacity_hours"], np.nan
        )
    booked = named.loc[named["demand_hours"] > 0, ["resource_id", "period", "project_id"]].drop_duplicates()
    booked = booked.sort_values(["resource_id", "period", "project_id"])
    over["projects"] = booked.groupby(["resource_id", "period"])["project_id"].agg(", ".join).reindex(over.index)
    people = portfolio.resources.set_index("resource_id")[["name", "team"]]
    out = over.reset_index().join(people, on="resource_id")
    columns = ["resource_id", "name", "team", "period", "capacity_hours", "demand_hours", "over_hours"]
    return out[[*columns, "utilisation", "projects"]].sort_values(["period", "over_hours"], ascending=[True, False])
