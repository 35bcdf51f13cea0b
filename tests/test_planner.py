"""pmo_lib.planner: the what-if engine agrees with a full recomputation, and its numbers by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_lib import load_sample
from pmo_lib import scenarios as sc
from pmo_lib.planner import KPI_LABELS, Planner, compare

HIRE = {"kind": "add_person", "resource_id": "R900", "name": "New Hire", "role": "developer",
        "team": "Engineering", "fte": 1.0, "cost_rate": 80.0, "start": "2026-11-02"}  # fmt: skip


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def planner(sample):
    return Planner(sample)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    left = a.set_index(["group", "item"])["value"]
    right = b.set_index(["group", "item"])["value"]
    assert set(left.index) == set(right.index)
    for key in left.index:
        x, y = left[key], right[key]
        if isinstance(y, pd.Timestamp) or pd.isna(y):
            assert (pd.isna(x) and pd.isna(y)) or x == y, key
        else:
            assert x == pytest.approx(y, rel=1e-9, abs=1e-9), key


def test_the_window_starts_the_monday_after_the_data_date(planner):
    # the sample's data date is Saturday 31 October 2026
    assert planner.as_of == pd.Timestamp("2026-10-31")
    assert planner.start == pd.Timestamp("2026-11-02") and planner.end == pd.Timestamp("2027-05-02")
    assert planner.baseline.weeks.size == 26


CASES = {
    "hire": [HIRE],
    "leaver": [{"kind": "remove_person", "resource_id": "R043", "date": "2026-12-07"}],
    "part time": [{"kind": "change_fte", "resource_id": "R011", "fte": 0.4}],
    "booking": [{"kind": "change_booking", "assignment_id": "A009", "fte": 0.1}],
    "later": [{"kind": "shift_project", "project_id": "P001", "days": 14}],
    "earlier": [{"kind": "shift_project", "project_id": "P022", "days": -21}],
    "priority": [{"kind": "set_priority", "project_id": "P024", "priority": 1}],
    "pause": [{"kind": "pause_project", "project_id": "P006", "date": "2026-11-15", "weeks": 4}],
    "cancel": [{"kind": "cancel_project", "project_id": "P020", "date": "2026-11-02"}],
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_change_gives_the_numbers_of_a_full_recomputation(sample, planner, name):
    scenario = sc.Scenario(name, CASES[name])
    fast = planner.evaluate(scenario).measures()
    full = sc.measures(sc.apply(sample, scenario), planner.start, planner.end)
    _same(fast, full)


def test_the_baseline_has_no_delay_and_its_kpis_add_up(sample, planner):
    base = planner.baseline
    live = base.dates[base.dates["live"]]
    assert len(live) == sample.projects["status"].isin(["active", "on_hold"]).sum()
    assert (live["delay_days"] == 0).all()
    assert base.kpis["capacity_hours"] == pytest.approx(base.available.to_numpy().sum())
    assert base.kpis["person_weeks_over"] == int((base.load.to_numpy() > base.available.to_numpy() + 1e-9).sum())
    assert base.kpis["hours_over"] == pytest.approx(base.over["over_hours"].sum())


def test_a_full_time_hire_adds_their_working_hours(planner):
    # 26 weeks from 2 Nov 2026 = 130 weekdays, less 4 holidays on the standard calendar
    # (25 Dec, 1 Jan, 26 and 29 Mar) = 126 days x 7.5 h = 945 h; nobody books them, so cost is unchanged
    hired = planner.evaluate(sc.Scenario("hire", [HIRE]))
    assert hired.kpis["capacity_hours"] - planner.baseline.kpis["capacity_hours"] == pytest.approx(945.0)
    assert hired.available.loc["R900"].sum() == pytest.approx(945.0)
    assert hired.kpis["cost"] == pytest.approx(planner.baseline.kpis["cost"])
    assert hired.capacity.loc["Engineering"].sum() - planner.baseline.capacity.loc["Engineering"].sum() == pytest.approx(945.0)  # fmt: skip


def test_shift_and_pause_delay_only_their_project(planner):
    outcome = planner.evaluate(sc.Scenario("mix", CASES["later"] + CASES["pause"]))
    delay = outcome.dates.set_index("project_id")["delay_days"]
    assert delay["P001"] == 14 and delay["P006"] == 28
    assert (delay.drop(["P001", "P006"]).dropna() == 0).all()
    assert outcome.kpis["projects_later"] == 2


def test_cancelling_drops_the_project_and_its_load(planner):
    outcome = planner.evaluate(sc.Scenario("stop", CASES["cancel"]))
    row = outcome.dates.set_index("project_id").loc["P020"]
    assert not row["live"] and pd.isna(row["finish"]) and not pd.isna(row["baseline_finish"])
    assert outcome.kpis["demand_hours"] < planner.baseline.kpis["demand_hours"]
    later = outcome.over[outcome.over["period"] > planner.start]  # bookings end on the cancellation day, inclusive
    assert not later["projects"].fillna("").str.contains("P020").any()
    assert (
        outcome.over["projects"].fillna("").str.contains("P020").sum()
        < planner.baseline.over["projects"].fillna("").str.contains("P020").sum()
    )


def test_compare_puts_the_kpis_and_finishes_side_by_side(planner):
    table = compare(planner, sc.Scenario("later", CASES["later"]), sc.Scenario("hire", [HIRE]))
    assert list(table.columns) == ["measure", "unit", "baseline", "later", "hire"]
    finish = table.set_index("measure").loc["Finish P001 Customer Portal"]
    assert finish["later"] - finish["baseline"] == pd.Timedelta(days=14) and finish["hire"] == finish["baseline"]
    hours = table.set_index("measure").loc["Unassigned role demand"]
    assert hours["unit"] == "hours" and hours["hire"] == hours["baseline"] > 0  # a hire books nothing new
    with pytest.raises(ValueError, match="names must differ"):
        compare(planner, sc.Scenario("baseline", [HIRE]))


def test_a_bad_scenario_names_its_problem(planner):
    with pytest.raises(sc.ScenarioError, match="no project 'P999'"):
        planner.evaluate(sc.Scenario("bad", [{"kind": "cancel_project", "project_id": "P999", "date": "2026-11-02"}]))
    with pytest.raises(ValueError, match="at least 1"):
        Planner(planner.portfolio, weeks=0)


@pytest.fixture(scope="module")
def live_projects(sample):
    return sorted(sample.projects.loc[sample.projects["status"].isin(["active", "on_hold"]), "project_id"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_cancelling_a_project_never_increases_anyones_load(planner, live_projects, data):
    project = data.draw(st.sampled_from(live_projects))
    week = data.draw(st.integers(0, planner.weeks - 1))
    day = planner.start + pd.Timedelta(days=7 * week + data.draw(st.integers(0, 6)))
    outcome = planner.evaluate(sc.Scenario("stop", [{"kind": "cancel_project", "project_id": project, "date": f"{day:%Y-%m-%d}"}]))  # fmt: skip
    assert (outcome.load.to_numpy() <= planner.baseline.load.to_numpy() + 1e-9).all()
    assert outcome.kpis["person_weeks_over"] <= planner.baseline.kpis["person_weeks_over"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_scenarios_match_a_full_recomputation(sample, planner, live_projects, data):
    people = sorted(sample.resources["resource_id"])
    changes = []
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(["shift_project", "pause_project", "cancel_project", "change_fte"]))
        if kind == "change_fte":
            changes.append({"kind": kind, "resource_id": data.draw(st.sampled_from(people)),
                            "fte": data.draw(st.sampled_from([0.0, 0.5, 1.0]))})  # fmt: skip
            continue
        project = data.draw(st.sampled_from(live_projects))
        if kind == "shift_project":
            changes.append({"kind": kind, "project_id": project, "days": data.draw(st.integers(-30, 60))})
        elif kind == "pause_project":
            changes.append({"kind": kind, "project_id": project, "date": "2026-11-16", "weeks": data.draw(st.integers(1, 8))})  # fmt: skip
        else:
            changes.append({"kind": kind, "project_id": project, "date": "2026-12-01"})
    scenario = sc.Scenario("random", changes)
    _same(planner.evaluate(scenario).measures(), sc.measures(sc.apply(sample, scenario), planner.start, planner.end))
    assert np.isfinite(planner.evaluate(scenario).kpis["cost"])


def test_levelling_in_the_planner_makes_priority_count(planner):
    base = planner.evaluate(sc.Scenario("baseline"), level=True)
    assert (base.dates.loc[base.dates["live"], "levelled_delay_days"] == 0).all()
    first = planner.evaluate(sc.Scenario("first", [{"kind": "set_priority", "project_id": "P001", "priority": 1}]), level=True)  # fmt: skip
    dates = first.dates.set_index("project_id")
    # P001 (priority 4 in the sample) waits for data engineers when levelled; at priority 1 it goes first
    assert dates.loc["P001", "levelled_delay_days"] < 0
    assert (dates["levelled_delay_days"] > 0).any()  # someone else now waits
    late = dates[dates["levelled_delay_days"] > 0]
    assert late["cause"].notna().all()
    assert first.kpis["projects_later_levelled"] == len(late)
    # the unlevelled numbers do not move with priority
    assert (first.dates["delay_days"].dropna() == 0).all()


def test_compare_can_add_the_levelled_finishes(planner):
    table = compare(planner, sc.Scenario("first", [{"kind": "set_priority", "project_id": "P001", "priority": 1}]), level=True)  # fmt: skip
    rows = table.set_index("measure")
    assert rows.loc["Levelled finish P001 Customer Portal", "first"] < rows.loc["Levelled finish P001 Customer Portal", "baseline"]  # fmt: skip
    assert rows.loc["Projects finishing later once levelled", "baseline"] == 0


def test_a_project_moved_then_cancelled_is_simply_gone(planner):
    changes = [CASES["later"][0], {"kind": "cancel_project", "project_id": "P001", "date": "2026-11-02"}]
    outcome = planner.evaluate(sc.Scenario("moved then stopped", changes), level=True)
    row = outcome.dates.set_index("project_id").loc["P001"]
    assert not row["live"] and pd.isna(row["finish"]) and pd.isna(row["levelled_finish"])


def test_compare_has_team_role_and_delay_rows(planner):
    stop = sc.Scenario("stop", CASES["cancel"])
    later = sc.Scenario("later", CASES["later"])
    rows = compare(planner, stop, later).set_index("measure")
    base = planner.baseline
    team = "Engineering"
    assert rows.loc[f"Peak utilisation: {team}", "baseline"] == pytest.approx(np.nanmax(base.utilisation.loc[team]))
    average = base.demand.loc[team].sum() / base.capacity.loc[team].sum()
    assert rows.loc[f"Average utilisation: {team}", "baseline"] == pytest.approx(average)
    gaps = [m for m in rows.index if m.startswith("Role gap, peak week: ")]
    assert gaps and (rows.loc[gaps, ["baseline", "stop", "later"]] >= 0).all().all()
    # cancelling P020 removes its unnamed demand: no role's worst week gets worse
    assert (rows.loc[gaps, "stop"] <= rows.loc[gaps, "baseline"] + 1e-9).all()
    assert rows.loc["Delay P001 Customer Portal", "later"] == 14 and rows.loc["Delay P001 Customer Portal", "stop"] == 0
    assert rows.loc["Delay P001 Customer Portal", "unit"] == "days"


THIN = {  # what a PMO's first export often looks like: some tables still empty
    "no tasks": {"tasks": "tasks", "dependencies": "dependencies", "assignments": "assignments"},
    "no bookings": {"assignments": "assignments"},
    "no people": {"resources": "resources", "assignments": "assignments", "leave": "leave"},
}


@pytest.mark.parametrize("case", [*THIN, "nothing live"])
def test_thin_portfolios_give_an_answer_not_a_traceback(sample, case):
    import dataclasses

    from pmo_lib import widgets
    from pmo_lib.data import empty_table

    if case == "nothing live":
        thin = dataclasses.replace(sample, projects=sample.projects.assign(status="closed"))
    else:
        thin = dataclasses.replace(sample, **{field: empty_table(name) for field, name in THIN[case].items()})
    planner = Planner(thin)
    outcome = planner.evaluate(sc.Scenario("x", []), level=True)
    live = outcome.dates[outcome.dates["live"]]
    assert (live["delay_days"] == 0).all() and outcome.kpis["projects_later_levelled"] == 0
    ui = widgets.planner(thin, engine=planner)
    ui.levelling.value = True
    assert "Project finish dates" in ui.dates.value
    assert len(compare(planner, level=True)) >= len(KPI_LABELS)
