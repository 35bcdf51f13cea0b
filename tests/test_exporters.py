"""``pmo export``: plans back to MS Project as XML (and to Excel); levelled dates kept by constraints; text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import mpxj_oracle as oracle
import openpyxl
import pandas as pd
import pytest
from conftest import FIXTURES, assert_refused

from pmo_lib import importers
from pmo_lib.exporters import plan_dates
from pmo_lib.exporters.mspdi import write

NS = {"p": "http://schemas.microsoft.com/project"}


def _tasks(path) -> pd.DataFrame:
    root = ET.parse(path).getroot()
    rows = []
    for task in root.find("p:Tasks", NS).findall("p:Task", NS)[1:]:  # after the project summary task
        ids = [v.findtext("p:Value", namespaces=NS) for v in task.findall("p:ExtendedAttribute", NS)]
        rows.append(
            {
                "task_id": ids[0],
                "start": pd.Timestamp(task.findtext("p:Start", namespaces=NS)).normalize(),
                "constraint": task.findtext("p:ConstraintType", namespaces=NS),
                "name": task.findtext("p:Name", namespaces=NS),
            }
        )
    return pd.DataFrame(rows).set_index("task_id")


def test_a_levelled_export_keeps_the_levelled_dates_and_constrains_the_moved_tasks(pmo, tmp_path):
    result = pmo("export", "--level", "--out", str(tmp_path / "levelled"))
    assert result.returncode == 0, result.stderr
    assert "Wrote 24 MS Project XML file(s)" in result.stdout
    portfolio = importers.load("datasets/sample")
    levelled, plain = plan_dates(portfolio, level=True)
    written = _tasks(tmp_path / "levelled" / "P001.xml")
    ours = levelled[levelled["project_id"] == "P001"].set_index("task_id")
    before = plain[plain["project_id"] == "P001"].set_index("task_id")
    assert written["start"].tolist() == ours.loc[written.index, "start"].tolist()
    moved = ours["start"] > before.loc[ours.index, "start"]
    assert moved.sum() > 0  # the sample's P001 waits for people when levelled
    assert set(written.index[written["constraint"] == "4"]) == set(ours.index[moved])


def test_mpxj_sees_the_constraints_and_the_escaped_names(tmp_path):
    portfolio = importers.load(FIXTURES / "injection")
    dates, early = plan_dates(portfolio)
    name = "<script>alert('x')</script> & \"quoted\" \x07bell"
    tasks = portfolio.tasks.copy()
    tasks.loc[0, "name"] = name
    portfolio.tasks = tasks
    project = tasks.loc[0, "project_id"]
    shifted = dates.assign(start=dates["start"] + pd.Timedelta(days=7))  # every task later than its links put it
    path = write(portfolio, project, shifted[shifted["project_id"] == project], tmp_path / "plan.xml",
                 early=early[early["project_id"] == project])  # fmt: skip
    read = oracle.read(path)
    first = next(t for t in read.getTasks() if t.getUniqueID() != 0)
    assert str(first.getName()) == "<script>alert('x')</script> & \"quoted\" bell"  # text, the bell character dropped
    assert str(first.getConstraintType()) == "START_NO_EARLIER_THAN"
    assert "<script>" not in path.read_text(encoding="utf-8")  # escaped, never markup


def test_export_to_excel_lists_every_task_with_its_dates(pmo, tmp_path):
    out = tmp_path / "plan.xlsx"
    result = pmo("export", "--to", "xlsx", "--out", str(out), "--project", "P002")
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(out)["Schedule"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("project_id", "task_id", "name", "start", "finish")
    sample = importers.load("datasets/sample")
    assert len(rows) - 1 == int((sample.tasks["project_id"] == "P002").sum())


def test_one_project_to_one_file_from_a_scenario(pmo, tmp_path):
    out = tmp_path / "p001.xml"
    result = pmo("export", "--project", "P001", "--scenario", "delay-customer-portal", "--out", str(out))
    assert result.returncode == 0, result.stderr
    back = importers.load(out)
    plain = importers.load("datasets/sample").projects.set_index("project_id").loc["P001", "baseline_start"]
    assert back.projects.loc[0, "baseline_start"] > plain  # the scenario moved the project's start


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--out", "{tmp}/all.xml"], "24 projects"),
        (["--project", "P999", "--out", "{tmp}/x.xml"], "unknown project"),
        (["--to", "xlsx", "--out", "{tmp}/x.xml"], "needs --out FILE.xlsx"),
        (["--as-of", "soon", "--out", "{tmp}/x"], "not a date"),
        (["--scenario", "no-such-scenario", "--out", "{tmp}/x"], "no-such-scenario"),
    ],
)
def test_export_usage_errors_exit_2_and_write_nothing(pmo, tmp_path, args, words):
    result = pmo("export", *[a.format(tmp=tmp_path) for a in args])
    assert_refused(result, 2, words)
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_a_folder_that_is_not_empty_and_bad_data_exits_1(pmo, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("keep")
    assert_refused(pmo("export", "--out", str(tmp_path / "out")), 2, "not an empty folder")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["mine.txt"]
    broken = pmo("export", str(FIXTURES / "broken" / "cycle"), "--out", str(tmp_path / "x"))
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    assert not (tmp_path / "x").exists()
