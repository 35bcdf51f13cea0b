"""pmo_lib.widgets: the what-if planner driven headlessly, as an analyst would move its controls."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from pmo_lib import load_sample, widgets
from pmo_lib import scenarios as sc


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture
def ui(sample, tmp_path):
    return widgets.planner(sample, folder=tmp_path, currency="GBP")


def _delay(ui, project):
    return ui.outcome.dates.set_index("project_id").loc[project, "delay_days"]


def test_it_opens_on_the_baseline(ui):
    assert ui.scenario().changes == []
    assert "0 change(s)" in ui.status.value
    assert ui.outcome.kpis == ui.engine.baseline.kpis
    assert "Utilisation by team and week" in ui.heat.value and "02 Nov" in ui.heat.value
    assert ui.timings and ui.timings[-1]["compute_ms"] > 0 and ui.timings[-1]["render_ms"] > 0


def test_starting_a_project_later_moves_its_finish(ui):
    ui.project.value = "P001"
    ui.shift.value = 2
    assert ui.scenario().changes == [{"kind": "shift_project", "project_id": "P001", "days": 14}]
    assert _delay(ui, "P001") == 14
    assert "+14" in ui.dates.value and "1 later" in ui.dates.value
    assert "Projects finishing later" in ui.cards.value and "+1 vs baseline" in ui.cards.value


def test_the_dropdown_shows_each_projects_own_settings_without_recomputing(ui):
    ui.project.value = "P001"
    ui.shift.value = 3
    redraws = len(ui.timings)
    ui.project.value = "P002"
    assert ui.shift.value == 0 and len(ui.timings) == redraws
    ui.project.value = "P001"
    assert ui.shift.value == 3 and len(ui.timings) == redraws


def test_cutting_a_persons_fte_cuts_their_capacity(ui):
    ui.person.value = "R043"
    before = ui.outcome.available.loc["R043"].sum()
    ui.fte.value = 0.5
    assert ui.outcome.available.loc["R043"].sum() == pytest.approx(before / 2)
    assert ui.outcome.kpis["hours_over"] > ui.engine.baseline.kpis["hours_over"]


def test_hiring_adds_capacity_to_the_roles_team(ui):
    ui.role.value = "developer"
    ui.hires.value = 2
    ui.hire_week.value = 1
    gained = ui.outcome.capacity.loc["Engineering"].sum() - ui.engine.baseline.capacity.loc["Engineering"].sum()
    assert gained == pytest.approx(2 * 945.0)  # 126 working days x 7.5 h each (see test_planner)
    share, before = ui.outcome.utilisation.loc["Engineering"], ui.engine.baseline.utilisation.loc["Engineering"]
    assert (share <= before).all() and (share < before).any()
    ui.hire_week.value = 14  # starting in the 14th week: half the window less the holidays before it
    later = ui.outcome.available.loc["NEW-developer-1"]
    assert (later.iloc[:13] == 0).all() and later.iloc[13] > 0


def test_cancelling_a_project_lists_it_and_lowers_the_load(ui):
    ui.project.value = "P020"
    ui.cancel.value = True
    assert "Cancelled in this scenario: P020" in ui.dates.value
    assert (ui.outcome.load.to_numpy() <= ui.engine.baseline.load.to_numpy() + 1e-9).all()
    assert ui.outcome.kpis["cost"] < ui.engine.baseline.kpis["cost"]


def test_save_reset_load_gives_the_same_numbers(ui, tmp_path):
    ui.project.value = "P006"
    ui.pause.value = 4
    ui.person.value = "R011"
    ui.leaves.value = 6
    ui.name.value = "pause and leaver"
    path = ui.save()
    assert path == tmp_path / "pause-and-leaver.yaml" and "pause-and-leaver.yaml" in ui.saved.options
    kpis = dict(ui.outcome.kpis)
    ui.reset()
    assert ui.scenario().changes == [] and ui.outcome.kpis == ui.engine.baseline.kpis
    assert ui.pause.value == 0
    ui.saved.value = ("pause-and-leaver.yaml",)
    ui.load_button.click()
    assert ui.outcome.kpis == kpis and ui.name.value == "pause and leaver"
    ui.project.value = "P006"
    assert ui.pause.value == 4


def test_a_file_change_without_a_control_is_kept(ui, tmp_path):
    odd = {"kind": "shift_project", "project_id": "P001", "days": 10}  # not whole weeks: no slider position for it
    sc.save(sc.Scenario("ten days", [odd]), tmp_path / "odd.yaml")
    ui.load(tmp_path / "odd.yaml")
    assert ui.other == [odd] and ui.scenario().changes == [odd]
    assert ui.outcome.dates.set_index("project_id").loc["P001", "delay_days"] == 10


def test_cutting_one_booking_moves_that_persons_load(ui, tmp_path):
    ui.person.value = "R043"
    assert "A009" in [value for _, value in ui.booking.options]  # their bookings in the window are listed
    ui.booking.value = "A009"
    assert ui.booking_fte.value == 0.8  # the booking's own FTE (see datasets/sample/assignments.csv)
    before = ui.outcome.load.loc["R043"].sum()
    ui.booking_fte.value = 0.2
    assert ui.scenario().changes == [{"kind": "change_booking", "assignment_id": "A009", "fte": 0.2}]
    assert ui.outcome.load.loc["R043"].sum() < before
    # saved and loaded, the booking comes back on its control
    ui.name.value = "cut A009"
    path = ui.save()
    ui.reset()
    assert ui.booking_fte.value == 0.8
    ui.load(path)
    ui.person.value = "R043"
    ui.booking.value = "A009"
    assert ui.booking_fte.value == 0.2 and ui.other == []


def test_a_broken_file_gives_a_message_not_a_traceback(ui, tmp_path):
    (tmp_path / "broken.yaml").write_text("scenario: x\nchanges:\n  - kind: hire_everyone\n", encoding="utf-8")
    assert ui.load(tmp_path / "broken.yaml") is None
    assert "Could not load broken.yaml" in ui.status.value and "unknown change" in ui.status.value
    assert ui.scenario().changes == []


def test_compare_shows_saved_scenarios_beside_the_baseline(ui, tmp_path):
    sc.save(
        sc.Scenario("later", [{"kind": "shift_project", "project_id": "P001", "days": 14}]), tmp_path / "later.yaml"
    )
    sc.save(sc.Scenario("stop", [{"kind": "cancel_project", "project_id": "P020", "date": "2026-11-02"}]), tmp_path / "stop.yaml")  # fmt: skip
    ui.saved.options = ui._saved_files()
    ui.saved.value = ("later.yaml", "stop.yaml")
    ui.compare_button.click()
    assert "Baseline and scenarios side by side" in ui.comparison.value
    assert "<th style='text-align:left;padding:2px 6px'>later</th>" in ui.comparison.value
    table = ui.compare([tmp_path / "later.yaml", tmp_path / "stop.yaml"])
    finish = table.set_index("measure").loc["Finish P001 Customer Portal"]
    assert finish["later"] - finish["baseline"] == pd.Timedelta(days=14)


def test_text_from_the_data_is_escaped(sample, tmp_path):
    people = sample.resources.copy()
    people.loc[people["team"] == "Engineering", "team"] = "<script>alert(1)</script>"
    projects = sample.projects.copy()
    projects.loc[projects["project_id"] == "P001", "name"] = "<b>loud</b>"
    hostile = dataclasses.replace(sample, resources=people, projects=projects)
    ui = widgets.planner(hostile, folder=tmp_path)
    html = ui.heat.value + ui.dates.value + ui.over.value
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in ui.heat.value
    assert "<b>loud</b>" not in html and "&lt;b&gt;loud&lt;/b&gt;" in ui.dates.value


def test_the_static_blocks_summarise_in_text(sample):
    ui = widgets.planner(sample, weeks=8)
    text = repr(widgets.heatmap(ui.outcome))
    assert text.startswith("<heat map: 8 teams x 8 weeks from 2026-11-02; peak ")
    assert "Person-weeks over capacity: " in repr(widgets.kpi_cards(ui.outcome, ui.outcome))


def test_levelling_shows_levelled_dates_and_who_is_waited_for(ui):
    ui.levelling.value = True
    assert "Levelled finish" in ui.dates.value and "Projects finishing later once levelled" in ui.cards.value
    ui.project.value = "P001"
    ui.priority.value = 1
    assert ui.scenario().changes == [{"kind": "set_priority", "project_id": "P001", "priority": 1}]
    assert ui.outcome.dates.set_index("project_id").loc["P001", "levelled_delay_days"] < 0
    waiting = ui.outcome.dates[ui.outcome.dates["levelled_delay_days"] > 0]
    assert len(waiting) and all(
        f"<td style='padding:2px 6px'>{role}</td>" in ui.dates.value for role in waiting["cause"]
    )


def test_the_comparison_page_shows_headlines_and_what_changed(sample):
    from pmo_lib.planner import Planner, compare

    planner = Planner(sample)
    later = sc.Scenario("later", [{"kind": "shift_project", "project_id": "P001", "days": 14}])
    table = compare(planner, later)
    block = widgets.compare_table(table)
    assert "Finish P001 Customer Portal" in block.html and "Delay P001 Customer Portal" in block.html
    assert "Finish P002 Partner Rollout" not in block.html  # unchanged: left out, and counted in the caption
    assert "Projects finishing later" in block.html and "unchanged rows not shown" in block.html
    assert "Finish P002 Partner Rollout" in widgets.compare_table(table, changed_only=False).html


def test_roles_short_of_people_are_listed_with_the_resources_numbers(sample, tmp_path):
    from pmo_lib import resources as res

    ui = widgets.planner(sample, folder=tmp_path)
    assert "No role is short of people" in ui.gaps.value  # the sample's open demand fits in spare hours
    testers = sample.resources.loc[sample.resources["role"] == "tester", "resource_id"]
    for person in testers:  # every tester down to zero hours: the open tester demand has nobody
        ui.person.value = person
        ui.fte.value = 0.0
    assert "Roles short of people" in ui.gaps.value and ">tester<" in ui.gaps.value
    squeezed = sc.apply(sample, ui.scenario())
    expected = res.role_gaps(squeezed, ui.engine.start, ui.engine.end)
    expected = expected[(expected["role"] == "tester") & (expected["gap_fte"] > 0)]
    assert f"{expected['gap_fte'].max():.1f}" in ui.gaps.value
    assert f"{expected['gap_hours'].sum():,.0f}" in ui.gaps.value
