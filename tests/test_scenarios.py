"""pmo_lib.scenarios: changes applied to a copy, each kind's effect, comparison, and scenario files."""

from __future__ import annotations

import pandas as pd
import pytest

from pmo_lib import load_sample
from pmo_lib import resources as res
from pmo_lib import scenarios as sc

START, END = "2026-11-02", "2026-12-27"


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def _over(portfolio, person):
    table = res.over_allocated(portfolio, START, END)
    return table[table["resource_id"] == person]


def test_the_baseline_is_never_changed(sample):
    before = {name: getattr(sample, name).copy() for name in ("resources", "assignments", "tasks", "projects")}
    changes = [
        {"kind": "change_fte", "resource_id": "R001", "fte": 0.5},
        {"kind": "shift_project", "project_id": "P001", "days": 14},
        {"kind": "cancel_project", "project_id": "P002", "date": "2026-11-15"},
    ]
    sc.apply(sample, sc.Scenario("many", changes))
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(sample, name), frame)


def test_cutting_a_booking_removes_an_over_allocation(sample):
    person = "R043"  # booked 160 % in the week of 2 November
    assert not _over(sample, person).empty
    bookings = sample.assignments[
        (sample.assignments["resource_id"] == person) & (sample.assignments["finish"] >= START)
    ]
    changes = [{"kind": "change_booking", "assignment_id": a, "fte": 0.2} for a in bookings["assignment_id"]]
    assert _over(sc.apply(sample, sc.Scenario("cut", changes)), person).empty


def test_each_kind_of_change(sample):
    hired = sc.apply(sample, sc.Scenario("hire", [{"kind": "add_person", "resource_id": "R900", "name": "New Hire",
                                                    "role": "developer", "team": "Engineering", "fte": 1.0,
                                                    "cost_rate": 70, "start": "2026-11-02"}]))  # fmt: skip
    cap = res.capacity(hired, START, END).query("resource_id == 'R900'")
    assert cap["capacity_hours"].iloc[0] == 37.5 and len(hired.resources) == len(sample.resources) + 1
    gone = sc.apply(
        sample, sc.Scenario("leave", [{"kind": "remove_person", "resource_id": "R043", "date": "2026-11-06"}])
    )
    assert res.demand(gone, "2026-11-09", END).query("resource_id == 'R043'")["demand_hours"].sum() == 0
    shifted = sc.apply(sample, sc.Scenario("later", [{"kind": "shift_project", "project_id": "P022", "days": 28}]))
    moved = shifted.tasks[shifted.tasks["project_id"] == "P022"]["baseline_start"].min()
    assert moved - sample.tasks[sample.tasks["project_id"] == "P022"]["baseline_start"].min() == pd.Timedelta(days=28)
    first = sc.apply(sample, sc.Scenario("first", [{"kind": "set_priority", "project_id": "P024", "priority": 1}]))
    assert first.projects.set_index("project_id").loc["P024", "priority"] == 1
    cancelled = sc.apply(
        sample, sc.Scenario("stop", [{"kind": "cancel_project", "project_id": "P020", "date": "2026-11-01"}])
    )
    assert res.demand(cancelled, START, END).query("project_id == 'P020'")["demand_hours"].sum() == 0
    assert cancelled.projects.set_index("project_id").loc["P020", "status"] == "cancelled"


def test_a_pause_moves_the_finish_and_the_work(sample):
    pause = sc.Scenario("pause", [{"kind": "pause_project", "project_id": "P006", "date": "2026-11-15", "weeks": 4}])
    table = sc.compare(sample, pause, start=START, end="2027-03-28").set_index(["group", "item"])
    assert table.loc[("finish", "P006"), "pause"] - table.loc[("finish", "P006"), "baseline"] == pd.Timedelta(weeks=4)
    assert table.loc[("finish", "P001"), "pause"] == table.loc[("finish", "P001"), "baseline"]
    booked = lambda p: res.demand(p, START, END).query("project_id == 'P006'")["demand_hours"].sum()  # noqa: E731
    paused = sc.apply(sample, pause)
    assert booked(paused) < booked(sample)
    total = lambda p: res.demand(p, "2026-01-01", "2028-12-31").query("project_id == 'P006'")["demand_hours"].sum()  # noqa: E731
    assert total(paused) == pytest.approx(total(sample), rel=0.1)  # the work is moved, not lost


def test_compare_has_every_measure_side_by_side(sample):
    hire = sc.Scenario("hire", [{"kind": "add_person", "resource_id": "R900", "name": "New Hire", "role": "developer",
                                 "team": "Engineering", "fte": 1.0, "cost_rate": 70, "start": "2026-11-02"}])  # fmt: skip
    table = sc.compare(sample, hire, start=START, end=END)
    assert list(table.columns) == ["group", "item", "baseline", "hire"]
    groups = set(table["group"])
    assert {"finish", "peak utilisation", "average utilisation", "person-weeks over capacity", "cost of booked hours",
            "unassigned hours"} <= groups  # fmt: skip
    engineering = table.set_index(["group", "item"]).loc[("average utilisation", "Engineering")]
    assert engineering["hire"] < engineering["baseline"]  # more people, same work


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ([{"kind": "hire", "resource_id": "R1"}], "unknown change 'hire'; choose one of: add_person"),
        (
            [{"kind": "change_fte", "resource_id": "R001"}],
            "changes[0].fte: missing (change_fte needs resource_id, fte)",
        ),
        (
            [{"kind": "change_fte", "resource_id": "R001", "fte": "half"}],
            "changes[0].fte: must be a number (found 'half')",
        ),
        ([{"kind": "change_fte", "resource_id": "R001", "fte": 3}], "3 is not a share of full time"),
        ([{"kind": "change_fte", "resource_id": "R999", "fte": 0.5}], "no resource 'R999' in the data"),
        ([{"kind": "shift_project", "project_id": "P001", "days": 5, "why": "x"}], "shift_project has no field why"),
        ([{"kind": "cancel_project", "project_id": "P001", "date": "soon"}], "'soon' is not a date"),
    ],
)
def test_bad_changes_are_named(sample, changes, words):
    with pytest.raises(sc.ScenarioError) as info:
        sc.apply(sample, sc.Scenario("bad", changes))
    assert words in str(info.value)


def test_scenario_files_round_trip_and_report_problems(sample, tmp_path):
    scenario = sc.Scenario(
        "Delay P022", [{"kind": "shift_project", "project_id": "P022", "days": 30}], "wait for funding"
    )
    path = sc.save(scenario, tmp_path / "delay.yaml")
    again = sc.load(path, sample)
    assert (again.name, again.changes, again.description) == (scenario.name, scenario.changes, scenario.description)
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: Bad\nchanges:\n  - {kind: change_fte, resource_id: R999, fte: 0.5}\n", encoding="utf-8")
    with pytest.raises(sc.ScenarioError, match=rf"{bad}: changes\[0\].resource_id: no resource 'R999'"):
        sc.load(bad, sample)
    with pytest.raises(sc.ScenarioError, match="no such scenario file"):
        sc.load(tmp_path / "none.yaml")
    (tmp_path / "broken.yaml").write_text("scenario: [unclosed\n", encoding="utf-8")
    with pytest.raises(sc.ScenarioError, match=r"broken\.yaml \(line 2, column 1\): not valid YAML"):
        sc.load(tmp_path / "broken.yaml")
    # saved by a Windows editor in cp1252: a finding that says what to do, not a UnicodeDecodeError
    (tmp_path / "windows.yaml").write_bytes("scenario: Café délai\n".encode("cp1252"))
    with pytest.raises(sc.ScenarioError, match=r"windows\.yaml: not a UTF-8 text file; save it as UTF-8"):
        sc.load(tmp_path / "windows.yaml")
    (tmp_path / "list.yaml").write_text("scenario: X\nchanges: {kind: change_fte}\n", encoding="utf-8")
    with pytest.raises(sc.ScenarioError, match="changes: must be a list"):
        sc.load(tmp_path / "list.yaml")
    (tmp_path / "odd.yaml").write_text("scenario: X\nmood: calm\n", encoding="utf-8")
    with pytest.raises(sc.ScenarioError, match="mood: unknown key"):
        sc.load(tmp_path / "odd.yaml")
