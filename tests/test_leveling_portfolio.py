"""pmo_lib.leveling.level: a real portfolio's tasks levelled against each person's capacity, by hand and by invariant."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_lib import leveling as lv
from pmo_lib import load_sample
from pmo_lib import scenarios as sc
from pmo_lib.data import empty_table
from pmo_lib.leveling import portfolio as levelling
from pmo_lib.leveling import portfolio_compiled  # noqa: F401 - Numba is a core dependency: the compiled pass must load

AS_OF = "2026-10-30"  # a Friday: day 0 is Monday 2 November 2026 (no holidays that month)


def _frame(name, rows):
    base = empty_table(name)
    extra = pd.DataFrame(rows)
    for column in base.columns:
        blank = base[column].reindex(range(len(extra)))  # blanks of the column's own type
        extra[column] = blank if column not in extra else extra[column].astype(base[column].dtype)
    return extra[base.columns]


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def _two_projects(sample, architects=1, fte_b=1.0):
    """Project A (priority 1) and B (priority 2) both want the architect for their first task on 2 November."""
    day = pd.Timestamp("2026-11-02")
    projects = _frame("projects", [
        {"project_id": p, "name": f"Project {p}", "status": "active", "stage": "execute", "priority": prio,
         "baseline_start": day, "portfolio": "Test"} for p, prio in (("A", 1), ("B", 2))
    ])  # fmt: skip
    tasks = _frame("tasks", [
        {"project_id": "A", "task_id": "T1", "name": "Design", "duration_days": 5.0, "baseline_start": day, "role": "architect"},
        {"project_id": "B", "task_id": "T1", "name": "Design", "duration_days": 3.0, "baseline_start": day, "role": "architect"},
        {"project_id": "B", "task_id": "T2", "name": "Sign-off", "duration_days": 2.0, "baseline_start": day},
    ])  # fmt: skip
    deps = _frame("dependencies", [{"project_id": "B", "predecessor_id": "T1", "successor_id": "T2", "type": "FS", "lag_days": 0.0}])  # fmt: skip
    people = _frame("resources", [
        {"resource_id": f"R{i}", "name": f"Architect {i}", "role": "architect", "team": "Architecture", "fte": 1.0,
         "cost_rate": 90.0, "calendar": "standard"} for i in range(1, architects + 1)
    ])  # fmt: skip
    jobs = _frame("assignments", [
        {"assignment_id": "A1", "project_id": "A", "task_id": "T1", "resource_id": "R1", "role": "architect",
         "start": day, "finish": day + pd.Timedelta(days=4), "fte": 1.0},
        {"assignment_id": "A2", "project_id": "B", "task_id": "T1", "resource_id": f"R{architects}", "role": "architect",
         "start": day, "finish": day + pd.Timedelta(days=2), "fte": fte_b},
    ])  # fmt: skip
    return dataclasses.replace(
        sample, projects=projects, tasks=tasks, dependencies=deps, resources=people, assignments=jobs,
        leave=empty_table("leave"),
    )  # fmt: skip


def test_the_higher_priority_project_goes_first_and_the_other_waits_for_the_architect(sample):
    # one architect; A (priority 1) designs 2-6 Nov; B's design waits to 9-11 Nov, its sign-off to 12-13 Nov
    plan = lv.level(_two_projects(sample), as_of=AS_OF)
    tasks = plan.tasks.set_index(["project_id", "task_id"])
    assert tasks.loc[("A", "T1"), "start"] == pd.Timestamp("2026-11-02")
    assert tasks.loc[("A", "T1"), "finish"] == pd.Timestamp("2026-11-06")
    assert tasks.loc[("B", "T1"), "start"] == pd.Timestamp("2026-11-09") and tasks.loc[("B", "T1"), "delay_days"] == 5
    assert tasks.loc[("B", "T1"), "cause"] == "architect"
    assert tasks.loc[("B", "T2"), "start"] == pd.Timestamp("2026-11-12")
    assert tasks.loc[("B", "T2"), "finish"] == pd.Timestamp("2026-11-13") and pd.isna(tasks.loc[("B", "T2"), "cause"])
    projects = plan.projects.set_index("project_id")
    assert projects.loc["A", "delay_days"] == 0 and pd.isna(projects.loc["A", "cause"])
    assert projects.loc["B", "delay_days"] == 5 and projects.loc["B", "cause"] == "architect"
    assert projects.loc["B", "planned_finish"] == pd.Timestamp("2026-11-06")
    assert projects.loc["B", "finish"] == pd.Timestamp("2026-11-13")
    assert lv.check(plan) == []


def test_a_second_architect_removes_the_delay(sample):
    plan = lv.level(_two_projects(sample, architects=2), as_of=AS_OF)
    assert (plan.projects["delay_days"] == 0).all() and (plan.tasks["delay_days"] == 0).all()


def test_swapping_priorities_swaps_who_waits(sample):
    portfolio = _two_projects(sample)
    projects = portfolio.projects.copy()
    projects["priority"] = [2, 1]
    plan = lv.level(dataclasses.replace(portfolio, projects=projects), as_of=AS_OF)
    delay = plan.projects.set_index("project_id")["delay_days"]
    assert delay["B"] == 0 and delay["A"] == 3  # A waits for B's 3-day design


def test_a_person_asked_more_than_their_fte_does_the_same_work_for_longer(sample):
    # B's design asks R1 for 1.5 FTE over 3 days (4.5 FTE-days); R1 has 1.0: it runs 5 days at 0.9 FTE
    plan = lv.level(_two_projects(sample, fte_b=1.5), as_of=AS_OF)
    b = plan.tasks.set_index(["project_id", "task_id"]).loc[("B", "T1")]
    assert b["start"] == pd.Timestamp("2026-11-09") and b["finish"] == pd.Timestamp("2026-11-13")
    assert b["longer_days"] == 2 and plan.people_load[plan.people.index("R1"), 5] == 90
    assert plan.unplaceable.empty and lv.check(plan) == []


def test_a_task_asking_more_than_the_role_has_is_listed_not_forced(sample):
    portfolio = _two_projects(sample)
    jobs = portfolio.assignments.copy()
    jobs["resource_id"] = jobs["resource_id"].astype(object)
    jobs.loc[1, ["resource_id", "fte"]] = [None, 1.5]  # any architect at 1.5 FTE: the role has 1.0
    plan = lv.level(_with(portfolio, assignments=jobs), as_of=AS_OF)
    short = plan.unplaceable
    assert short[["project_id", "task_id", "role"]].values.tolist() == [["B", "T1", "architect"]]
    assert short["needs_fte"].iloc[0] == 1.5 and short["role_fte"].iloc[0] == 1.0
    assert lv.check(plan) == []


def test_work_booked_to_someone_who_has_left_is_levelled_against_their_role(sample):
    portfolio = _two_projects(sample, architects=2)
    people = portfolio.resources.assign(end_date=[pd.NaT, pd.Timestamp("2026-06-30")])  # R2 left in June
    plan = lv.level(_with(portfolio, resources=people), as_of=AS_OF)
    assert plan.unstaffed[["project_id", "task_id", "resource_id", "role"]].values.tolist() == [
        ["B", "T1", "R2", "architect"]
    ]
    b = plan.tasks.set_index(["project_id", "task_id"]).loc[("B", "T1")]
    assert b["start"] == pd.Timestamp("2026-11-09") and b["waited_for"] == "architect"  # R1 is the only one left


def test_unknown_rule_is_named(sample):
    with pytest.raises(ValueError, match="choose one of: priority, lst, lft, min_slack"):
        lv.level(sample, rule="fifo")


def _by_both_loops(portfolio, **options):
    """The plan of the compiled serial SGS, checked field by field against the NumPy loop it replaces."""
    plan = lv.level(portfolio, **options)
    try:
        levelling.COMPILED = False
        reference = lv.level(portfolio, **options)
    finally:
        levelling.COMPILED = True
    for name in ("tasks", "projects", "unplaceable", "unstaffed", "offsets"):
        pd.testing.assert_frame_equal(getattr(plan, name), getattr(reference, name), obj=name)
    for name in ("load", "people_load"):
        assert (getattr(plan, name) == getattr(reference, name)).all(), name
    return plan


def test_the_compiled_levelling_gives_exactly_the_numpy_loops_plan(sample):
    for rule in lv.PORTFOLIO_RULES:
        plan = _by_both_loops(sample, rule=rule)
        assert plan.tasks["delay_days"].gt(0).sum() > 10, rule  # a plan with real waiting, not a trivial one
    squeezed = sc.apply(sample, sc.Scenario("squeeze", [
        {"kind": "change_fte", "resource_id": r, "fte": 0.3} for r in sorted(sample.resources["resource_id"])[:30]
    ]))  # fmt: skip
    assert len(_by_both_loops(squeezed).unplaceable) > 0  # the unplaceable path too


def test_the_sample_levels_soundly_with_every_rule(sample):
    for rule in lv.PORTFOLIO_RULES:
        plan = lv.level(sample, rule=rule)
        assert lv.check(plan) == [], rule
        assert (plan.tasks["delay_days"] >= 0).all()
        assert (plan.tasks["finish"] >= plan.tasks["start"]).all()
    # every live project is there; a delayed project says why, and one that waited for capacity names the role
    live = sample.projects["status"].isin(["active", "on_hold"]).sum()
    assert len(plan.projects) == live
    late = plan.projects[plan.projects["delay_days"] > 0]
    assert late["reason"].notna().all() and late["cause"].notna().any()
    waited = plan.tasks[plan.tasks["cause"].notna()]
    assert waited["waited_for"].notna().all() and waited["reason"].str.contains("full in the week of").all()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_levelled_portfolio_never_exceeds_capacity_nor_breaks_a_link(sample, data):
    # squeeze random people to part time and reshuffle priorities: the plan must still be sound
    people = sorted(sample.resources["resource_id"])
    live = sorted(sample.projects.loc[sample.projects["status"] == "active", "project_id"])
    changes = [{"kind": "change_fte", "resource_id": r, "fte": data.draw(st.sampled_from([0.2, 0.5, 0.8]))}
               for r in data.draw(st.lists(st.sampled_from(people), min_size=1, max_size=25, unique=True))]  # fmt: skip
    changes += [{"kind": "set_priority", "project_id": p, "priority": data.draw(st.integers(1, 5))}
                for p in data.draw(st.lists(st.sampled_from(live), max_size=6, unique=True))]  # fmt: skip
    squeezed = sc.apply(sample, sc.Scenario("squeeze", changes))
    plan = lv.level(squeezed, rule=data.draw(st.sampled_from(lv.PORTFOLIO_RULES)))
    assert lv.check(plan) == []
    assert (plan.load <= plan.capacity).all()
    assert (plan.offsets["start"] >= plan.offsets["release"]).all()
    placed = ~plan.tasks.set_index(["project_id", "task_id"]).index.isin(
        plan.unplaceable.set_index(["project_id", "task_id"]).index
    )
    assert placed.sum() + len(plan.unplaceable) == len(plan.tasks)


def test_less_capacity_never_shortens_the_portfolio_here(sample):
    # not a law of serial SGS in general (it has anomalies), but on the sample halving everyone delays more
    half = sc.apply(sample, sc.Scenario("half", [{"kind": "change_fte", "resource_id": r, "fte": 0.5}
                                                  for r in sample.resources["resource_id"]]))  # fmt: skip
    full, squeezed = lv.level(sample), lv.level(half)
    assert squeezed.projects["delay_days"].sum() > full.projects["delay_days"].sum()
    assert (squeezed.capacity <= full.capacity).all() and (squeezed.capacity < full.capacity).any()


# --- each person's own calendar, FTE and leave ------------------------------------------------------------------


def _with(portfolio, **tables):
    return dataclasses.replace(portfolio, **tables)


def test_the_delay_is_explained_by_who_was_full_when_and_which_project_held_them(sample):
    plan = lv.level(_two_projects(sample), as_of=AS_OF)
    b = plan.tasks.set_index(["project_id", "task_id"]).loc[("B", "T1")]
    assert b["waited_for"] == "Architect 1 (R1)" and b["cause"] == "architect"
    assert b["waited_week"] == pd.Timestamp("2026-11-02") and b["taken_by"] == "A (priority 1)"
    assert (
        b["reason"] == "waits 5 working days: Architect 1 (R1) full in the week of 02 Nov 2026, taken by A (priority 1)"
    )
    projects = plan.projects.set_index("project_id")
    assert projects.loc["B", "reason"] == b["reason"] and pd.isna(projects.loc["A", "reason"])


def test_leave_pauses_the_persons_task_and_the_next_one_waits_longer(sample):
    # R1 away on Wednesday 4 November: A's five days of design run Mon 2 - Mon 9 Nov, B's then 10-12 Nov
    portfolio = _two_projects(sample)
    leave = _frame(
        "leave", [{"resource_id": "R1", "start": pd.Timestamp("2026-11-04"), "finish": pd.Timestamp("2026-11-04")}]
    )
    plan = lv.level(_with(portfolio, leave=leave), as_of=AS_OF)
    tasks = plan.tasks.set_index(["project_id", "task_id"])
    assert tasks.loc[("A", "T1"), "start"] == pd.Timestamp("2026-11-02")
    assert tasks.loc[("A", "T1"), "finish"] == pd.Timestamp("2026-11-09") and tasks.loc[("A", "T1"), "paused_days"] == 1
    assert tasks.loc[("A", "T1"), "reason"] == "paused 1 working days while its people are away"
    assert tasks.loc[("B", "T1"), "start"] == pd.Timestamp("2026-11-10") and tasks.loc[("B", "T1"), "delay_days"] == 6
    assert plan.people_capacity[plan.people.index("R1"), 2] == 0  # day 2 of the axis is 4 November
    assert lv.check(plan) == []


def test_a_holiday_on_the_persons_own_calendar_pauses_their_work(sample):
    # the architect works to a site calendar with Tuesday 3 November off; the standard calendar has no holiday then
    portfolio = _two_projects(sample)
    people = portfolio.resources.assign(calendar="site_test")
    calendars = pd.concat(
        [portfolio.calendars, _frame("calendars", [{"calendar": "site_test", "date": pd.Timestamp("2026-11-03")}])],
        ignore_index=True,
    )
    plan = lv.level(_with(portfolio, resources=people, calendars=calendars), as_of=AS_OF)
    a = plan.tasks.set_index(["project_id", "task_id"]).loc[("A", "T1")]
    assert a["finish"] == pd.Timestamp("2026-11-09") and a["paused_days"] == 1
    weekly = plan.weekly().set_index(["resource_id", "week"])
    assert weekly.loc[("R1", pd.Timestamp("2026-11-02")), "capacity_hours"] == 4 * 7.5  # four days at 1.0 FTE


def test_role_demand_is_drawn_from_the_people_who_hold_the_role(sample):
    # two architects (1.0 and 0.5 FTE); A asks for 1.2 FTE of any architect, B for R2 by name at 0.5
    portfolio = _two_projects(sample, architects=2)
    people = portfolio.resources.assign(fte=[1.0, 0.5])
    jobs = portfolio.assignments.copy()
    jobs["resource_id"] = jobs["resource_id"].astype(object)
    jobs.loc[0, ["resource_id", "fte"]] = [None, 1.2]
    jobs.loc[1, ["resource_id", "fte"]] = ["R2", 0.5]
    plan = lv.level(_with(portfolio, resources=people, assignments=jobs), as_of=AS_OF)
    tasks = plan.tasks.set_index(["project_id", "task_id"])
    # 1.2 + 0.5 > 1.5 architects: B (priority 2) waits for A's design, and the pool, not R2 alone, is named
    assert tasks.loc[("B", "T1"), "start"] == pd.Timestamp("2026-11-09")
    assert tasks.loc[("B", "T1"), "waited_for"] == "architect"  # R2 has 0.5 free; the pool only 0.3
    load = plan.people_load[:, :5]  # A's week: 1.2 FTE shared 1.0 : 0.5 -> 0.8 and 0.4
    assert load[:, 0].tolist() == pytest.approx([80.0, 40.0])
    assert (plan.people_load <= plan.people_capacity + 1e-9).all() and lv.check(plan) == []


def test_capacity_per_person_and_week_is_what_resources_shows(sample):
    from pmo_lib import resources

    plan = lv.level(sample)
    weekly = plan.weekly()
    first, last = weekly["week"].min(), weekly["week"].max()
    inner = weekly[(weekly["week"] > first) & (weekly["week"] < last)]  # whole weeks of the axis
    theirs = resources.capacity(sample, inner["week"].min(), inner["week"].max() + pd.Timedelta(days=6))
    both = inner.merge(theirs, left_on=["resource_id", "week"], right_on=["resource_id", "period"])
    assert len(both) == len(inner) > 1000
    assert both["capacity_hours_x"].to_numpy() == pytest.approx(both["capacity_hours_y"].to_numpy())
    assert (weekly["booked_hours"] <= weekly["capacity_hours"] + 1e-9).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_person_is_ever_booked_past_their_capacity(sample, data):
    # random leave, part-time FTE and site calendars: every person's load stays within their capacity on every day,
    # no link is broken, nothing starts before its plan, finished tasks are not moved
    people = sample.resources.copy()
    ids = sorted(people["resource_id"])
    picked = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=20, unique=True))
    people.loc[people["resource_id"].isin(picked), "fte"] = data.draw(st.sampled_from([0.2, 0.5, 0.8]))
    people.loc[people["resource_id"].isin(data.draw(st.lists(st.sampled_from(ids), max_size=15))), "calendar"] = (
        "site_north"
    )
    away = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.integers(0, 120), st.integers(0, 15)), max_size=25))
    day0 = pd.Timestamp("2026-11-02")
    leave = pd.concat([sample.leave, _frame("leave", [
        {"resource_id": r, "start": day0 + pd.Timedelta(days=s), "finish": day0 + pd.Timedelta(days=s + n)} for r, s, n in away
    ])], ignore_index=True)  # fmt: skip
    portfolio = _with(sample, resources=people, leave=leave)
    plan = _by_both_loops(portfolio, rule=data.draw(st.sampled_from(lv.PORTFOLIO_RULES)))
    assert lv.check(plan) == []
    assert (plan.people_load <= plan.people_capacity + 1e-9).all()
    assert (plan.offsets["start"] >= plan.offsets["release"]).all()
    finished = sample.tasks[sample.tasks["percent_complete"].astype(float) >= 100]
    moved = plan.tasks.merge(finished[["project_id", "task_id"]], on=["project_id", "task_id"])
    assert moved.empty
