"""MPXJ as the outside oracle: plans MPXJ builds, schedules and writes; PMO Lab's export read back by MPXJ.

No file or expected date here was made by PMO Lab: the projects come from MPXJ's API (seeded
networks with links of all four types, leads and lags, holidays, summary tasks), their early and
late dates from MPXJ's ``MicrosoftScheduler``, the files from MPXJ's MSPDI writer.
"""

from __future__ import annotations

import mpxj_oracle as oracle
import pandas as pd
import pytest

from pmo_lib import importers
from pmo_lib.exporters import plan_dates
from pmo_lib.exporters.mspdi import write as write_mspdi
from pmo_lib.schedule import schedule

DATES = ["early_start", "early_finish", "late_start", "late_finish"]


@pytest.mark.parametrize("kind", ["MSPDI", "XER"])
@pytest.mark.parametrize("summaries", [False, True], ids=["flat", "with summary tasks"])
@pytest.mark.parametrize("seed", range(8))
def test_the_critical_path_of_an_mpxj_plan_gives_mpxj_s_own_dates(tmp_path, seed, summaries, kind):
    project = oracle.build(seed, 40, summaries=summaries)
    path = oracle.write(project, tmp_path / f"plan_{seed}.{'xml' if kind == 'MSPDI' else 'xer'}", kind)
    expected = oracle.dates(project).set_index("name")  # task names are unique; ids differ by format
    result = importers.validate(path)
    assert result.ok, [str(f) for f in result.findings if f.severity == "error"]
    names = result.portfolio.tasks.set_index("task_id")["name"]
    got = schedule(result.portfolio).assign(name=lambda f: f["task_id"].map(names)).set_index("name")
    assert sorted(got.index) == sorted(expected.index)
    pd.testing.assert_frame_equal(got[DATES], expected.loc[got.index, DATES], check_names=False, check_dtype=False)
    holidays = set(result.portfolio.calendars["date"].dt.strftime("%Y-%m-%d"))
    assert set(oracle.HOLIDAYS) <= holidays


def _days(lag) -> float:
    """An MPXJ lag in working days (8 hours a day, as PMO Lab writes it)."""
    units = str(lag.getUnits())
    per = {"d": 1.0, "h": 8.0, "m": 480.0}[units]
    return round(float(lag.getDuration()) / per, 4)


@pytest.fixture(scope="module")
def sample_export(tmp_path_factory):
    """The sample's plan written by PMO Lab as MS Project XML, one file per project."""
    portfolio = importers.load("datasets/sample")
    dates, early = plan_dates(portfolio)
    folder = tmp_path_factory.mktemp("export")
    for project_id in portfolio.projects["project_id"]:
        write_mspdi(
            portfolio,
            project_id,
            dates[dates["project_id"] == project_id],
            folder / f"{project_id}.xml",
            early=early[early["project_id"] == project_id],
        )
    return portfolio, dates, folder


def test_mpxj_reads_pmo_lab_s_export_with_the_same_tasks_links_and_dates(sample_export):
    portfolio, dates, folder = sample_export
    for project_id in portfolio.projects["project_id"]:
        read = oracle.read(folder / f"{project_id}.xml")
        tasks = [t for t in read.getTasks() if t.getUniqueID() != 0]
        ours = portfolio.tasks[portfolio.tasks["project_id"] == project_id].reset_index(drop=True)
        assert [str(t.getName()) for t in tasks] == ours["name"].tolist(), project_id
        when = dates[dates["project_id"] == project_id].set_index("task_id")
        ids = [str(t.getFieldByAlias("PMO Lab task id")) for t in tasks]
        assert ids == ours["task_id"].tolist(), project_id
        starts = [pd.Timestamp(str(t.getStart())).normalize() for t in tasks]
        assert starts == when.loc[ids, "start"].tolist(), project_id
        uid_to_id = {int(t.getUniqueID()): i for t, i in zip(tasks, ids, strict=True)}
        links = {
            (uid_to_id[int(r.getPredecessorTask().getUniqueID())], i, str(r.getType()), _days(r.getLag()))
            for t, i in zip(tasks, ids, strict=True)
            for r in t.getPredecessors()
        }
        deps = portfolio.dependencies[portfolio.dependencies["project_id"] == project_id]
        assert links == {
            (p, s, str(k), float(lag))
            for p, s, k, lag in zip(
                deps["predecessor_id"], deps["successor_id"], deps["type"], deps["lag_days"].fillna(0), strict=True
            )
        }, project_id


def test_pmo_lab_s_export_imports_back_to_the_same_plan(sample_export):
    portfolio, _, folder = sample_export
    back = importers.load(folder)
    assert len(back.projects) == len(portfolio.projects)
    # one pool of people: a person booked in several plans is one resource, with all their bookings
    booked = portfolio.assignments.dropna(subset=["resource_id", "task_id"])
    names = portfolio.resources.set_index("resource_id")["name"]
    assert sorted(back.resources["name"]) == sorted(booked["resource_id"].map(names).unique())
    assert len(back.assignments) == len(booked)
    for project_id in portfolio.projects["project_id"]:
        ours = schedule(portfolio, projects=[project_id]).set_index("task_id")
        again = schedule(back, projects=[project_id]).set_index("task_id")
        pd.testing.assert_frame_equal(again[[*DATES, "total_float"]], ours.loc[again.index, [*DATES, "total_float"]])


def test_pmo_report_runs_on_a_plan_mpxj_wrote(pmo, tmp_path):
    plan = oracle.write(oracle.build(11, 25, summaries=True), tmp_path / "plan.xml")
    result = pmo("report", "--data", str(plan), "--month", "2026-04", "--out", str(tmp_path / "reports"))
    assert result.returncode == 0, result.stderr
    page = next((tmp_path / "reports" / "2026-04").glob("*.html")).read_text(encoding="utf-8")
    assert "Generated project 11" in page
