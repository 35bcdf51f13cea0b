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

from dataclasses import dataclass
from functools import cached_property

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


def _spread_days(cal, names: list[str], codes, first, last, bounds):
    """Working days of each interval [first, last] in each period it overlaps.

    ``codes`` gives each interval's calendar as a position in ``names`` (one
    code for all, or one per interval). Returns (row, period, days) arrays,
    one entry per interval and period.
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
    days = np.zeros(row.size)
    code = np.broadcast_to(np.asarray(codes), first.shape)[row]
    for c in np.unique(code):  # one pass per calendar (a handful), on integer codes
        rows = np.flatnonzero(code == c)
        days[rows] = np.busday_count(a[rows], b[rows], busdaycal=cal.busdaycalendar(names[c]))
    return row, period, days


def _calendars(portfolio):
    """The calendars, their names, the default's code and each person's calendar code."""
    from .calendar import WorkCalendars

    cal = WorkCalendars.from_table(portfolio.calendars)
    default = "standard" if "standard" in cal.names else ""
    names = [default, *(n for n in cal.names if n != default)]
    codes = pd.Index(names).get_indexer(portfolio.resources["calendar"].astype(object).to_numpy())
    return cal, names, np.where(codes >= 0, codes, 0)  # blank or unknown calendar: the default


def _grid(start, end, freq):
    grid = periods(start, end, freq)
    return grid, _bounds(grid, freq)


def _capacity_matrix(portfolio, bounds, m: int, hours_per_day: float):
    """Working days, leave days and capacity hours per person (rows, in table order) and period."""
    cal, names, codes = _calendars(portfolio)
    people = portfolio.resources
    n = len(people)
    joined = people["start_date"].fillna(pd.Timestamp("1990-01-01")).to_numpy()
    left = people["end_date"].fillna(pd.Timestamp("2100-12-31")).to_numpy()
    row, period, days = _spread_days(cal, names, codes, joined, left, bounds)
    working = np.bincount(row * m + period, weights=days, minlength=n * m).reshape(n, m)
    leave = portfolio.leave
    who = positions(leave["resource_id"], people["resource_id"])
    keep = who >= 0
    lrow, lperiod, ldays = _spread_days(
        cal, names, codes[who[keep]], leave["start"].to_numpy()[keep], leave["finish"].to_numpy()[keep], bounds
    )
    away = np.bincount(who[keep][lrow] * m + lperiod, weights=ldays, minlength=n * m).reshape(n, m)
    away = np.minimum(away, working)  # leave outside employment does not count twice
    fte = people["fte"].astype(float).fillna(1.0).to_numpy()
    return working, away, (working - away) * (fte * hours_per_day)[:, None]


def _demand_pieces(portfolio, bounds, hours_per_day: float):
    """Each assignment's hours in each period it overlaps: (assignment row, period, hours, person row or -1)."""
    cal, names, codes = _calendars(portfolio)
    jobs = portfolio.assignments
    who = positions(jobs["resource_id"], portfolio.resources["resource_id"])
    calendars = np.where(who >= 0, codes[np.maximum(who, 0)] if codes.size else 0, 0)
    row, period, days = _spread_days(cal, names, calendars, jobs["start"].to_numpy(), jobs["finish"].to_numpy(), bounds)
    fte = jobs["fte"].astype(float).fillna(0.0).to_numpy()
    return row, period, days * fte[row] * hours_per_day, who[row]


def capacity(portfolio, start, end, *, freq: str = "W", hours_per_day: float = HOURS_PER_DAY) -> pd.DataFrame:
    """Hours each person can work in each period (FTE x hours per day x working days less leave).

    Returns one row per person and period: ``resource_id``, ``period``
    (first day), ``working_days``, ``leave_days``, ``capacity_hours``.
    """
    grid, bounds = _grid(start, end, freq)
    people = portfolio.resources
    n, m = len(people), grid.size
    working, away, hours = _capacity_matrix(portfolio, bounds, m, hours_per_day)
    return pd.DataFrame(
        {
            "resource_id": people["resource_id"].take(np.repeat(np.arange(n), m)).to_numpy(),
            "period": np.tile(grid.to_numpy(), n),
            "working_days": working.ravel(),
            "leave_days": away.ravel(),
            "capacity_hours": hours.ravel(),
        }
    )


def demand(portfolio, start, end, *, freq: str = "W", hours_per_day: float = HOURS_PER_DAY) -> pd.DataFrame:
    """Hours booked by assignments in each period: one row per assignment and period it overlaps.

    Columns: ``assignment_id``, ``project_id``, ``resource_id`` (blank for an
    unnamed role demand), ``role``, ``period``, ``demand_hours``.
    """
    grid, bounds = _grid(start, end, freq)
    row, period, hours, _ = _demand_pieces(portfolio, bounds, hours_per_day)
    jobs = portfolio.assignments
    pick = {c: jobs[c].take(row).reset_index(drop=True) for c in ("assignment_id", "project_id", "resource_id", "role")}
    return pd.DataFrame({**pick, "period": grid.to_numpy()[period], "demand_hours": hours})


@dataclass
class Load:
    """Capacity and booked demand of a window as arrays: the fast path under this module's tables and the planner.

    ``capacity`` and ``booked`` are (people in table order) x periods [hours],
    booked counting only named demand; ``row``, ``period``, ``hours``, ``who``
    are the demand pieces (assignment row, period, hours, person row or -1
    for an unnamed role demand), one per assignment and period it overlaps.
    """

    portfolio: object
    grid: pd.DatetimeIndex
    freq: str
    hours_per_day: float
    capacity: np.ndarray
    booked: np.ndarray
    row: np.ndarray
    period: np.ndarray
    hours: np.ndarray
    who: np.ndarray

    def by(self, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Capacity and booked hours summed per value of a people column (``"team"``, ``"role"``...).

        Returns ``(values, capacity, booked)``: the sorted values and two
        (values x periods) arrays [hours].
        """
        values, of = np.unique(self.portfolio.resources[column].astype(str).to_numpy(), return_inverse=True)
        capacity = np.zeros((values.size, self.grid.size))
        booked = np.zeros((values.size, self.grid.size))
        np.add.at(capacity, of, self.capacity)
        np.add.at(booked, of, self.booked)
        return values, capacity, booked

    @cached_property
    def open_roles(self) -> pd.Series:
        """Unnamed demand per (role, period) [hours] (worked out once: the planner and role gaps both read it)."""
        unnamed = self.who < 0
        roles = self.portfolio.assignments["role"].take(self.row[unnamed]).reset_index(drop=True)
        frame = pd.DataFrame(
            {"role": roles, "period": self.grid.to_numpy()[self.period[unnamed]], "demand_hours": self.hours[unnamed]}
        )
        return frame.groupby(["role", "period"], observed=True)["demand_hours"].sum()

    def over(self, threshold: float = 1.0) -> pd.DataFrame:
        """The rows of :func:`over_allocated`."""
        people, m = self.portfolio.resources, self.grid.size
        rows, cols = np.nonzero(self.booked > threshold * self.capacity + 1e-9)
        cell = rows * m + cols
        piece = np.where(self.who >= 0, self.who * m + self.period, -1)
        mine = np.isin(piece, cell) & (self.hours > 0)
        c, b = self.capacity[rows, cols], self.booked[rows, cols]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(c > 0, b / c, np.nan)
        projects = self.portfolio.assignments["project_id"].take(self.row[mine])
        out = pd.DataFrame(
            {
                "resource_id": people["resource_id"].take(rows).to_numpy(),
                "name": people["name"].take(rows).to_numpy(),
                "team": people["team"].take(rows).to_numpy(),
                "period": self.grid[cols],
                "capacity_hours": c,
                "demand_hours": b,
                "over_hours": b - threshold * c,
                "utilisation": share,
                "projects": _joined(cell, piece[mine], projects),
            }
        )
        return out.sort_values(["period", "over_hours"], ascending=[True, False], ignore_index=True)

    def role_gaps(self) -> pd.DataFrame:
        """The rows of :func:`role_gaps`."""
        columns = ["role", "period", "unassigned_hours", "spare_hours", "gap_hours", "gap_fte"]
        open_roles = self.open_roles
        if open_roles.empty:
            return pd.DataFrame(columns=columns)
        roles, of = np.unique(self.portfolio.resources["role"].astype(str).to_numpy(), return_inverse=True)
        spare = np.zeros((roles.size, self.grid.size))
        np.add.at(spare, of, np.maximum(self.capacity - self.booked, 0.0))
        table = open_roles.rename("unassigned_hours").reset_index()
        r = pd.Index(roles).get_indexer(table["role"].astype(str))
        p = self.grid.get_indexer(pd.DatetimeIndex(table["period"]))
        table["spare_hours"] = np.where(r >= 0, spare[np.maximum(r, 0), p], 0.0)
        table["gap_hours"] = np.maximum(table["unassigned_hours"] - table["spare_hours"], 0.0)
        cal, names, _ = _calendars(self.portfolio)
        bounds = _bounds(self.grid, self.freq)
        days = np.busday_count(bounds[:-1], bounds[1:], busdaycal=cal.busdaycalendar(names[0]))
        with np.errstate(divide="ignore", invalid="ignore"):
            table["gap_fte"] = np.where(days[p] > 0, table["gap_hours"] / (self.hours_per_day * days[p]), 0.0)
        return table.sort_values(["period", "gap_fte"], ascending=[True, False], ignore_index=True)


def load(portfolio, start, end, *, freq: str = "W", hours_per_day: float = HOURS_PER_DAY) -> Load:
    """Capacity, named demand and the demand pieces of ``[start, end]`` as arrays (see :class:`Load`)."""
    grid, bounds = _grid(start, end, freq)
    n, m = len(portfolio.resources), grid.size
    _, _, cap = _capacity_matrix(portfolio, bounds, m, hours_per_day)
    row, period, hours, who = _demand_pieces(portfolio, bounds, hours_per_day)
    named = who >= 0
    booked = np.bincount(who[named] * m + period[named], weights=hours[named], minlength=n * m).reshape(n, m)
    return Load(portfolio, grid, freq, hours_per_day, cap, booked, row, period, hours, who)


def utilisation(portfolio, start, end, *, by: str = "team", freq: str = "W", **options) -> pd.DataFrame:
    """Capacity, named demand and utilisation per ``by`` (``"team"``, ``"role"`` or ``"resource_id"``) and period.

    Only demand on named people counts against capacity (a person's bookings
    count in their own team and role); unnamed role demand is reported apart
    as ``unassigned_hours`` when ``by="role"``. Utilisation is blank where
    there is no capacity.
    """
    if by not in ("team", "role", "resource_id"):
        raise ValueError(f"unknown grouping {by!r}; choose one of: team, role, resource_id")
    hours = load(portfolio, start, end, freq=freq, **options)
    groups, group_cap, group_load = hours.by(by)
    index = pd.MultiIndex.from_product([groups, hours.grid], names=[by, "period"])
    table = pd.DataFrame({"capacity_hours": group_cap.ravel(), "demand_hours": group_load.ravel()}, index=index)
    if by == "role":
        table = table.join(hours.open_roles.rename("unassigned_hours"), how="outer").fillna(0.0)
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
    return load(portfolio, start, end, freq=freq, **options).over(threshold)


def _joined(cells: np.ndarray, piece_cell: np.ndarray, projects: pd.Series) -> pd.Series:
    """For each of ``cells``, the distinct projects of its pieces in order, comma-separated (joined by Arrow)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if piece_cell.size == 0:
        return pd.Series([None] * cells.size, dtype="str")
    codes, names = pd.factorize(projects, sort=True)
    order = np.lexsort((codes, piece_cell))
    key, code = piece_cell[order], codes[order]
    keep = np.r_[True, (key[1:] != key[:-1]) | (code[1:] != code[:-1])]  # one entry per cell and project
    key, code = key[keep], code[keep]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    offsets = pa.array(np.append(starts, key.size).astype(np.int32))
    lists = pa.ListArray.from_arrays(offsets, pa.array(np.asarray(names, dtype=object)[code], pa.string()))
    text = pc.binary_join(lists, ", ").to_numpy(zero_copy_only=False)
    where = np.minimum(np.searchsorted(key[starts], cells), starts.size - 1)
    return pd.Series(np.where(key[starts][where] == cells, text[where], None), dtype="str")


def under_used(portfolio, start, end, *, freq: str = "W", threshold: float = 0.5, **options) -> pd.DataFrame:
    """People booked below ``threshold`` x their capacity in a period: spare hours to offer other projects.

    One row per person and period with capacity: ``resource_id``, ``name``,
    ``team``, ``role``, ``period``, ``capacity_hours``, ``demand_hours``,
    ``spare_hours`` (capacity - demand) [hours], ``utilisation`` [share].
    """
    hours = load(portfolio, start, end, freq=freq, **options)
    grid, cap, booked = hours.grid, hours.capacity, hours.booked
    rows, cols = np.nonzero((cap > 0) & (booked < threshold * cap - 1e-9))
    people = portfolio.resources
    out = pd.DataFrame(
        {
            **{c: people[c].take(rows).to_numpy() for c in ("resource_id", "name", "team", "role")},
            "period": grid[cols],
            "capacity_hours": cap[rows, cols],
            "demand_hours": booked[rows, cols],
            "spare_hours": cap[rows, cols] - booked[rows, cols],
            "utilisation": booked[rows, cols] / cap[rows, cols],
        }
    )
    return out.sort_values(["period", "spare_hours"], ascending=[True, False], ignore_index=True)


def role_gaps(portfolio, start, end, *, freq: str = "W", hours_per_day: float = HOURS_PER_DAY) -> pd.DataFrame:
    """How many people of which role are missing in which period, to cover the unnamed role demand.

    Per role and period: ``unassigned_hours`` (demand with no person named),
    ``spare_hours`` (the role's people's capacity not yet booked, each
    person's floored at zero so one person's overload does not hide in
    another's slack), ``gap_hours`` = max(unassigned - spare, 0) and
    ``gap_fte`` = gap hours / (hours per day x working days in the period on
    the default calendar) [FTE]. Only roles and periods with unassigned
    demand are listed; ``gap_fte > 0`` marks a hire or a contractor needed.

    Notes
    -----
    Capacity planning by role against unnamed demand, as in PMBOK 9.2.3.1
    (resource requirements) and 9.3 (acquire resources).
    """
    return load(portfolio, start, end, freq=freq, hours_per_day=hours_per_day).role_gaps()


def demand_cost(portfolio, start, end, *, by: str = "project_id", freq: str = "W", **options) -> pd.DataFrame:
    """Cost of the booked hours per ``by`` (``"project_id"``, ``"role"`` or ``"team"``) and period.

    Named bookings cost the person's hourly rate; an unnamed role demand
    costs the median rate of the people in that role; hours of a role nobody
    holds have no rate and are counted as ``unpriced_hours``. Columns:
    ``by``, ``period``, ``hours``, ``cost`` [currency], ``unpriced_hours``.
    """
    if by not in ("project_id", "role", "team"):
        raise ValueError(f"unknown grouping {by!r}; choose one of: project_id, role, team")
    hours_per_day = options.get("hours_per_day", HOURS_PER_DAY)
    grid, bounds = _grid(start, end, freq)
    row, period, hours, who = _demand_pieces(portfolio, bounds, hours_per_day)
    people, jobs = portfolio.resources, portfolio.assignments
    rates = people["cost_rate"].astype(float).to_numpy()
    role_rate = people.groupby("role", observed=True)["cost_rate"].median()
    roles = jobs["role"].take(row).reset_index(drop=True)
    rate = np.where(who >= 0, rates[np.maximum(who, 0)], roles.map(role_rate).astype(float).to_numpy())
    if by == "team":
        team_of_role = people.groupby("role", observed=True)["team"].agg(lambda s: s.mode().iloc[0])
        named_team = people["team"].take(np.maximum(who, 0)).reset_index(drop=True)
        key = named_team.where(pd.Series(who >= 0), roles.map(team_of_role))
    else:
        key = roles if by == "role" else jobs["project_id"].take(row).reset_index(drop=True)
    frame = pd.DataFrame(
        {
            by: key,
            "period": grid.to_numpy()[period],
            "hours": hours,
            "cost": np.where(np.isnan(rate), 0.0, hours * rate),
            "unpriced_hours": np.where(np.isnan(rate), hours, 0.0),
        }
    )
    return (
        frame.groupby([by, "period"], observed=True, dropna=False)[["hours", "cost", "unpriced_hours"]]
        .sum()
        .reset_index()
    )
