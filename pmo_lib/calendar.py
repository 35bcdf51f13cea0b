"""Working-day calendars: count, add and subtract working days over whole columns.

A calendar is Monday to Friday minus the non-working days listed for it in the
``calendars`` table (public holidays, shutdowns). A blank calendar name means
weekends only. Every function takes whole columns (arrays or Series) and a
calendar name per row, and loops over the few distinct calendars, never over
rows: each calendar's rows go through numpy's business-day routines at once.

Conventions (as in MS Project and the PMBOK's precedence diagramming):

- a **duration** counts both the first and the last day: a task from Monday
  to Friday of one week lasts 5 working days; a milestone lasts 0;
- :meth:`WorkCalendars.add` moves a date by working days; a start that falls
  on a non-working day first rolls forward to the next working day;
- :meth:`WorkCalendars.count` counts working days in ``[start, end)`` (the end
  excluded), so ``count(d, add(d, n)) == n`` for a working day ``d``.

Examples
--------
>>> import pandas as pd
>>> cal = WorkCalendars.from_table(pd.DataFrame({"calendar": ["uk"], "date": [pd.Timestamp("2026-12-25")]}))
>>> str(cal.add("2026-12-24", 1, "uk")[0])  # Friday 25th is a holiday, then the weekend
'2026-12-28'
>>> int(cal.duration("2026-12-21", "2026-12-31", "uk")[0])  # 9 weekdays less Christmas Day
8
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .errors import PMOError

WEEKENDS_ONLY = ""  # the calendar of a blank name


def _days(values) -> np.ndarray:
    """Dates as ``datetime64[D]`` (NaT kept)."""
    arr = np.atleast_1d(np.asarray(values))
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[D]")
    return np.atleast_1d(pd.to_datetime(pd.Series(arr)).to_numpy().astype("datetime64[D]"))


def _names(calendar, n: int) -> np.ndarray:
    if calendar is None or isinstance(calendar, str):
        return np.full(n, calendar or WEEKENDS_ONLY, dtype=object)
    names = pd.Series(np.atleast_1d(np.asarray(calendar, dtype=object))).fillna(WEEKENDS_ONLY)
    return np.broadcast_to(names.to_numpy(dtype=object), (n,))


_FROM_TABLE: dict = {}  # calendars table content -> WorkCalendars


class WorkCalendars:
    """Named working-day calendars (Monday-Friday less each calendar's non-working days).

    Parameters
    ----------
    holidays
        Calendar name → its non-working days [date].
    weekmask
        Working weekdays, Monday first (numpy's format); ``"1111100"`` by default.
    """

    def __init__(self, holidays: dict[str, Iterable] | None = None, weekmask: str = "1111100"):
        self.weekmask = weekmask
        self._holidays = {name: np.unique(_days(list(days))) for name, days in (holidays or {}).items()}
        self._cache: dict[str, np.busdaycalendar] = {}

    @classmethod
    def from_table(cls, calendars: pd.DataFrame, weekmask: str = "1111100") -> WorkCalendars:
        """Build from a ``calendars`` table (columns ``calendar`` and ``date``).

        The same table content gives the same (shared) object: the planner asks
        for it several times per redraw, and the table is a few dozen rows.
        """
        key = (weekmask, tuple(calendars["calendar"].astype(str)), calendars["date"].to_numpy().tobytes())
        cached = _FROM_TABLE.get(key)
        if cached is None:
            groups = calendars.dropna(subset=["calendar", "date"]).groupby("calendar")["date"]
            cached = cls({str(name): days.to_numpy() for name, days in groups}, weekmask)
            if len(_FROM_TABLE) >= 32:  # a handful of datasets per session; never grows without bound
                _FROM_TABLE.clear()
            _FROM_TABLE[key] = cached
        return cached

    @property
    def names(self) -> list[str]:
        return sorted(self._holidays)

    def busdaycalendar(self, name: str | None) -> np.busdaycalendar:
        """numpy's calendar object for ``name`` (blank: weekends only)."""
        name = name or WEEKENDS_ONLY
        if name not in self._cache:
            if name != WEEKENDS_ONLY and name not in self._holidays:
                known = ", ".join(self.names) or "none"
                raise PMOError(f"unknown calendar {name!r}; the calendars table has: {known}")
            self._cache[name] = np.busdaycalendar(weekmask=self.weekmask, holidays=self._holidays.get(name, []))
        return self._cache[name]

    def _by_calendar(self, n: int, calendar, compute) -> None:
        names = _names(calendar, n)
        for name in pd.unique(names):
            rows = np.flatnonzero(names == name)
            compute(rows, self.busdaycalendar(name))

    def add(self, dates, days, calendar=None) -> np.ndarray:
        """The date ``days`` working days after ``dates`` (before, if negative) [date].

        A date on a non-working day first rolls forward to the next working day.
        ``NaT`` or a missing number of days gives ``NaT``.
        """
        start = _days(dates)
        steps = np.atleast_1d(np.asarray(days, dtype=float))
        start, steps = np.broadcast_arrays(start, steps)
        out = np.full(start.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        ok = ~np.isnat(start) & ~np.isnan(steps)

        def compute(rows, cal):
            rows = rows[ok[rows]]
            out[rows] = np.busday_offset(start[rows], steps[rows].astype(np.int64), roll="forward", busdaycal=cal)

        self._by_calendar(out.size, calendar, compute)
        return out

    def count(self, start, end, calendar=None) -> np.ndarray:
        """Working days in ``[start, end)`` [working days]; negative when ``end`` is before ``start``.

        Missing dates give ``NaN``.
        """
        a, b = np.broadcast_arrays(_days(start), _days(end))
        out = np.full(a.shape, np.nan)
        ok = ~np.isnat(a) & ~np.isnat(b)

        def compute(rows, cal):
            rows = rows[ok[rows]]
            out[rows] = np.busday_count(a[rows], b[rows], busdaycal=cal)

        self._by_calendar(out.size, calendar, compute)
        return out

    def duration(self, start, finish, calendar=None) -> np.ndarray:
        """Working days from ``start`` to ``finish``, both counted [working days] (Mon-Fri is 5)."""
        return self.count(start, _days(finish) + np.timedelta64(1, "D"), calendar)

    def finish(self, start, duration, calendar=None) -> np.ndarray:
        """Last working day of work that starts on ``start`` and lasts ``duration`` [date].

        A milestone (duration 0) finishes on its (rolled-forward) start.
        """
        steps = np.maximum(np.asarray(duration, dtype=float) - 1, 0)
        return self.add(start, steps, calendar)

    def is_working(self, dates, calendar=None) -> np.ndarray:
        """Whether each date is a working day on its calendar."""
        days = _days(dates)
        out = np.zeros(days.shape, dtype=bool)
        ok = ~np.isnat(days)

        def compute(rows, cal):
            rows = rows[ok[rows]]
            out[rows] = np.is_busday(days[rows], busdaycal=cal)

        self._by_calendar(out.size, calendar, compute)
        return out
