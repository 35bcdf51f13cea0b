"""pmo_lib.resources: capacity, demand, utilisation and over-allocation, by hand and as invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import load_tables
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_lib import load_sample
from pmo_lib import resources as res

# Weeks of Mon 2 Nov and Mon 9 Nov 2026; calendar "standard" has Wed 11 Nov off.
# A (1.0 FTE, Build team): leave Thu 5 - Fri 6 Nov -> week 1: 5 - 2 = 3 days; week 2: 5 - 1 holiday = 4 days.
# B (0.5 FTE, Build team): joins Wed 4 Nov -> week 1: 3 days; week 2: 4 days; 7.5 h a day.
# Bookings: A 1.0 FTE on P1 Mon 2 - Fri 13 Nov (5 + 4 days), A 0.4 FTE on P2 Mon 9 - Fri 13 Nov (4 days),
#           B 0.5 FTE on P1 Mon 9 - Tue 10 Nov (2 days), an unnamed tester 1.0 FTE on P2 week 2 (4 days).
TABLES_CSV = {
    "projects": "project_id,name,portfolio,stage,status\nP1,One,Demo,execute,active\nP2,Two,Demo,execute,active\n",
    "resources": """resource_id,name,role,team,cost_rate,fte,start_date,end_date,calendar
A,Person A,developer,Build,60,1.0,2020-01-01,,standard
B,Person B,developer,Build,60,0.5,2026-11-04,,standard
""",
    "assignments": """assignment_id,project_id,task_id,resource_id,role,start,finish,fte
X1,P1,,A,developer,2026-11-02,2026-11-13,1.0
X2,P2,,A,developer,2026-11-09,2026-11-13,0.4
X3,P1,,B,developer,2026-11-09,2026-11-10,0.5
X4,P2,,,tester,2026-11-09,2026-11-13,1.0
""",
    "leave": "resource_id,start,finish\nA,2026-11-05,2026-11-06\n",
    "calendars": "calendar,date\nstandard,2026-11-11\n",
}
WEEK1, WEEK2 = pd.Timestamp("2026-11-02"), pd.Timestamp("2026-11-09")


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    return load_tables(tmp_path_factory.mktemp("resources_hand"), TABLES_CSV)


def test_capacity_counts_calendar_employment_and_leave(hand):
    cap = res.capacity(hand, "2026-11-02", "2026-11-13").set_index(["resource_id", "period"])
    assert cap.loc[("A", WEEK1), ["working_days", "leave_days", "capacity_hours"]].tolist() == [5, 2, 3 * 7.5]
    assert cap.loc[("A", WEEK2), ["working_days", "leave_days", "capacity_hours"]].tolist() == [4, 0, 4 * 7.5]
    assert cap.loc[("B", WEEK1), "capacity_hours"] == 3 * 0.5 * 7.5
    assert cap.loc[("B", WEEK2), "capacity_hours"] == 4 * 0.5 * 7.5


def test_demand_spreads_bookings_over_working_days(hand):
    need = res.demand(hand, "2026-11-02", "2026-11-13").set_index(["assignment_id", "period"])["demand_hours"]
    assert need[("X1", WEEK1)] == 5 * 7.5 and need[("X1", WEEK2)] == 4 * 7.5
    assert need[("X2", WEEK2)] == pytest.approx(4 * 0.4 * 7.5)
    assert need[("X3", WEEK2)] == 2 * 0.5 * 7.5
    assert need[("X4", WEEK2)] == 4 * 7.5 and ("X2", WEEK1) not in need.index


def test_utilisation_by_team_and_role(hand):
    team = res.utilisation(hand, "2026-11-02", "2026-11-13").set_index("period")
    assert team.loc[WEEK1, "demand_hours"] == 37.5 and team.loc[WEEK1, "capacity_hours"] == 22.5 + 11.25
    assert team.loc[WEEK2, "utilisation"] == pytest.approx((30 + 12 + 7.5) / (30 + 15))
    roles = res.utilisation(hand, "2026-11-02", "2026-11-13", by="role").set_index(["role", "period"])
    assert roles.loc[("tester", WEEK2), "unassigned_hours"] == 30.0  # unnamed demand is shown, not hidden
    assert np.isnan(roles.loc[("tester", WEEK2), "utilisation"])  # no testers to use


def test_over_allocation_names_who_when_how_much_and_where(hand):
    over = res.over_allocated(hand, "2026-11-02", "2026-11-13")
    rows = over.set_index(["resource_id", "period"])
    assert set(rows.index) == {("A", WEEK1), ("A", WEEK2)}  # B is within capacity
    assert rows.loc[("A", WEEK1), "over_hours"] == 37.5 - 22.5  # booked full time in a week with leave
    assert rows.loc[("A", WEEK2), "over_hours"] == pytest.approx(30 + 12 - 30)
    assert rows.loc[("A", WEEK2), "projects"] == "P1, P2" and rows.loc[("A", WEEK1), "projects"] == "P1"


def test_months_and_bad_choices(hand):
    month = res.capacity(hand, "2026-11-01", "2026-11-30", freq="M").set_index("resource_id")
    assert month.loc["A", "working_days"] == 20  # 21 weekdays in November 2026 less the 11th
    with pytest.raises(ValueError, match="choose one of: W"):
        res.periods("2026-11-01", "2026-11-30", freq="Q")
    with pytest.raises(ValueError, match="team, role, resource_id"):
        res.utilisation(hand, "2026-11-01", "2026-11-30", by="site")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 500), st.integers(1, 120), st.sampled_from(["W", "M"]))
def test_hours_add_up_whatever_the_periods(offset, length, freq):
    sample = load_sample()
    start = pd.Timestamp("2025-06-01") + pd.Timedelta(days=offset)
    end = start + pd.Timedelta(days=length)
    cap = res.capacity(sample, start, end, freq=freq)
    assert (cap["capacity_hours"] >= 0).all() and (cap["leave_days"] <= cap["working_days"]).all()
    need = res.demand(sample, start, end, freq=freq)
    assert (need["demand_hours"] >= 0).all()
    # spread over periods, the hours add up to each booking's working days inside the whole grid
    from pmo_lib.calendar import WorkCalendars

    grid = res.periods(start, end, freq)
    first = grid[0]
    after = grid[-1] + (pd.Timedelta(days=7) if freq == "W" else pd.offsets.MonthBegin(1))
    jobs = sample.assignments
    cal = WorkCalendars.from_table(sample.calendars)
    people = sample.resources.set_index("resource_id")["calendar"]
    names = jobs["resource_id"].map(people).fillna("standard").astype(object).to_numpy()
    lo = np.maximum(jobs["start"].to_numpy(), first.to_datetime64())
    hi = np.minimum(jobs["finish"].to_numpy() + np.timedelta64(1, "D"), after.to_datetime64())
    days = np.where(hi > lo, cal.count(lo, hi, names), 0)
    expected = (days * jobs["fte"].to_numpy() * res.HOURS_PER_DAY).sum()
    assert need["demand_hours"].sum() == pytest.approx(expected)


def test_under_used_lists_spare_hours(hand):
    spare = res.under_used(hand, "2026-11-02", "2026-11-13").set_index(["resource_id", "period"])
    # B joins on Wed 4 Nov and nobody books them that week: 3 days x 0.5 FTE x 7.5 h spare;
    # week 2 B is booked 7.5 of 15 h = 50 %, not below the 50 % threshold; A is over-allocated both weeks
    assert list(spare.index) == [("B", WEEK1)]
    assert spare.loc[("B", WEEK1), "spare_hours"] == 11.25 and spare.loc[("B", WEEK1), "utilisation"] == 0
    wider = res.under_used(hand, "2026-11-02", "2026-11-13", threshold=0.6)
    assert ("B", WEEK2) in set(zip(wider["resource_id"], wider["period"], strict=True))


def test_role_gaps_count_the_people_missing(hand):
    gaps = res.role_gaps(hand, "2026-11-02", "2026-11-13").set_index(["role", "period"])
    # 30 h of unnamed tester demand in week 2, no testers: 30 / (7.5 h x 4 working days) = 1 tester missing
    assert list(gaps.index) == [("tester", WEEK2)]
    assert gaps.loc[("tester", WEEK2), ["unassigned_hours", "spare_hours", "gap_hours", "gap_fte"]].tolist() == [
        30.0, 0.0, 30.0, 1.0
    ]  # fmt: skip


def test_role_gaps_use_spare_capacity_of_the_role_first(hand):
    import dataclasses

    jobs = hand.assignments.copy()
    jobs.loc[jobs["assignment_id"] == "X4", "role"] = "developer"  # the open demand is for a developer now
    gaps = res.role_gaps(dataclasses.replace(hand, assignments=jobs), "2026-11-02", "2026-11-13")
    row = gaps.set_index(["role", "period"]).loc[("developer", WEEK2)]
    # developers' spare in week 2: A is over (floored at 0), B has 15 - 7.5 = 7.5 h; 30 - 7.5 = 22.5 h missing
    assert row["spare_hours"] == 7.5 and row["gap_hours"] == 22.5 and row["gap_fte"] == pytest.approx(0.75)


def test_demand_cost_prices_named_and_unnamed_hours(hand):
    cost = res.demand_cost(hand, "2026-11-02", "2026-11-13").groupby("project_id")[["hours", "cost", "unpriced_hours"]].sum()  # fmt: skip
    # P1: A 37.5 + 30 h and B 7.5 h at 60 = 4,500; P2: A 12 h at 60 = 720, and 30 tester hours with no tester rate
    assert cost.loc["P1"].tolist() == [75.0, 4500.0, 0.0]
    assert cost.loc["P2", "cost"] == pytest.approx(720.0) and cost.loc["P2", "unpriced_hours"] == 30.0
    by_role = res.demand_cost(hand, "2026-11-02", "2026-11-13", by="role").groupby("role")["cost"].sum()
    assert by_role["developer"] == pytest.approx(5220.0)
    by_team = res.demand_cost(hand, "2026-11-02", "2026-11-13", by="team")
    assert by_team.loc[by_team["team"] == "Build", "cost"].sum() == pytest.approx(5220.0)
    assert by_team.loc[by_team["team"].isna(), "unpriced_hours"].sum() == 30.0  # no tester team to charge
    with pytest.raises(ValueError, match="project_id, role, team"):
        res.demand_cost(hand, "2026-11-02", "2026-11-13", by="site")
