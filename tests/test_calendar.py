"""pmo_lib.calendar: working-day arithmetic, checked on hand-counted dates and by invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pmo_lib as pmo
from pmo_lib.calendar import WorkCalendars
from pmo_lib.errors import PMOError

# Hand-counted on a wall calendar: December 2026 has Christmas Day on Friday 25th and
# Boxing Day on Saturday 26th; the "north" site also shuts 28-31 December.
CAL = WorkCalendars(
    {
        "uk": ["2026-12-25", "2026-12-28", "2027-01-01"],  # 28th: Boxing Day substitute
        "north": ["2026-12-25", "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01"],
    }
)


@pytest.mark.parametrize(
    ("start", "days", "calendar", "expected"),
    [
        ("2026-12-21", 4, "uk", "2026-12-29"),  # Mon + 4: Tue Wed Thu (Fri 25, Mon 28 off) Tue 29
        ("2026-12-24", 1, "", "2026-12-25"),  # weekends only: Christmas is a working day
        ("2026-12-24", 1, "north", "2027-01-04"),  # the site reopens on Monday 4 January
        ("2026-12-26", 0, "uk", "2026-12-29"),  # a Saturday start rolls forward to the next working day
        ("2027-01-04", -1, "uk", "2026-12-31"),  # one working day back over New Year
        ("2026-11-02", 10, None, "2026-11-16"),  # two plain weeks
    ],
)
def test_add_working_days(start, days, calendar, expected):
    assert str(CAL.add(start, days, calendar)[0]) == expected


@pytest.mark.parametrize(
    ("start", "finish", "calendar", "expected"),
    [
        ("2026-11-02", "2026-11-06", "uk", 5),  # Monday to Friday
        ("2026-12-21", "2027-01-08", "uk", 12),  # 15 weekdays less 25 Dec, 28 Dec, 1 Jan
        ("2026-12-21", "2027-01-08", "north", 9),  # less the site shutdown too
        ("2026-12-26", "2026-12-27", "uk", 0),  # a weekend holds no working day
    ],
)
def test_duration_counts_both_ends(start, finish, calendar, expected):
    assert CAL.duration(start, finish, calendar)[0] == expected


def test_finish_of_a_task_and_of_a_milestone():
    finish = CAL.finish(["2026-12-21", "2026-12-21", "2026-12-26"], [5, 0, 1], "uk")
    assert [str(d) for d in finish] == ["2026-12-29", "2026-12-21", "2026-12-29"]


def test_each_row_uses_its_own_calendar_and_blanks_are_weekends_only():
    starts = pd.Series(pd.to_datetime(["2026-12-24"] * 3))
    out = CAL.add(starts, [1, 1, 1], pd.Series(["uk", "north", None]))
    assert [str(d) for d in out] == ["2026-12-29", "2027-01-04", "2026-12-25"]


def test_missing_dates_and_days_stay_missing():
    out = CAL.add(pd.Series([pd.NaT, pd.Timestamp("2026-11-02")]), [1, np.nan], "uk")
    assert np.isnat(out).all()
    assert np.isnan(CAL.count([None], ["2026-11-02"], "uk")[0])


def test_unknown_calendar_names_the_known_ones():
    with pytest.raises(PMOError, match="unknown calendar 'mars'; the calendars table has: north, uk"):
        CAL.add("2026-11-02", 1, "mars")


def test_sample_calendars_load_from_the_table():
    sample = pmo.load_sample()
    cal = WorkCalendars.from_table(sample.calendars)
    assert cal.names == ["site_north", "standard"]
    # Christmas 2026 falls on a Friday: the standard calendar skips it
    assert str(cal.add("2026-12-24", 1, "standard")[0]) == "2026-12-28"
    assert not cal.is_working("2026-12-25", "standard")[0]


def test_calendars_from_an_edited_table_are_never_the_cached_ones():
    table = pd.DataFrame({"calendar": ["office", "office"], "date": pd.to_datetime(["2026-12-25", "2026-12-28"])})
    first = WorkCalendars.from_table(table)
    assert WorkCalendars.from_table(table.copy()) is first  # the same content: built once
    assert str(first.add("2026-12-24", 1, "office")[0]) == "2026-12-29"
    moved = table.assign(date=pd.to_datetime(["2026-12-25", "2026-12-29"]))  # one holiday moved
    assert str(WorkCalendars.from_table(moved).add("2026-12-24", 1, "office")[0]) == "2026-12-28"
    renamed = table.assign(calendar=["site", "site"])
    assert WorkCalendars.from_table(renamed).names == ["site"]
    assert str(WorkCalendars.from_table(table, weekmask="1111110").add("2026-12-24", 1, "office")[0]) == "2026-12-26"


def test_a_million_rows_need_no_python_loop():
    dates = np.full(1_000_000, np.datetime64("2026-01-05"))
    names = np.where(np.arange(1_000_000) % 2 == 0, "uk", "north")
    out = CAL.add(dates, 3, names)
    assert out.shape == (1_000_000,) and str(out[0]) == "2026-01-08"


_day = st.dates(min_value=pd.Timestamp("2025-01-01").date(), max_value=pd.Timestamp("2028-12-31").date())


@settings(max_examples=200, deadline=None)
@given(start=_day, n=st.integers(0, 400), calendar=st.sampled_from(["uk", "north", ""]))
def test_counting_undoes_adding(start, n, calendar):
    d = CAL.add(str(start), 0, calendar)  # a working day
    later = CAL.add(d, n, calendar)
    assert CAL.count(d, later, calendar)[0] == n
    assert CAL.add(later, -n, calendar)[0] == d[0]
    assert CAL.is_working(later, calendar)[0]


@settings(max_examples=200, deadline=None)
@given(start=_day, a=st.integers(0, 200), b=st.integers(0, 200))
def test_adding_more_days_never_gives_an_earlier_date(start, a, b):
    lo, hi = sorted((a, b))
    assert CAL.add(str(start), lo, "north")[0] <= CAL.add(str(start), hi, "north")[0]
