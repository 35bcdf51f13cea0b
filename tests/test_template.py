"""The Excel intake workbook: it loads as written, its lists refuse other values, and a round trip loses nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile

import openpyxl
import pandas as pd
import pytest
from conftest import assert_refused

from pmo_lib import importers
from pmo_lib.exporters.template import write
from pmo_lib.schemas import TABLE_NAMES, TABLES


@pytest.fixture(scope="module")
def sample():
    return importers.load("datasets/sample")


def test_the_empty_template_has_a_sheet_per_table_with_the_dictionary_headers(tmp_path):
    path = write(tmp_path / "intake.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Notes", *TABLE_NAMES]
    for name in TABLE_NAMES:
        assert [c.value for c in book[name][1]] == list(TABLES[name].columns), name
    notes = [row for row in book["Notes"].iter_rows(values_only=True) if row and row[0] == "tasks"]
    assert notes[4][:5] == ("tasks", "duration_days", "number", "working days", "yes")
    result = importers.validate(path)
    assert result.ok and [f.severity for f in result.findings] == ["note"]  # the Notes sheet, left out


def test_fixed_lists_and_dates_are_checked_as_the_analyst_types(tmp_path):
    book = openpyxl.load_workbook(write(tmp_path / "intake.xlsx"))
    lists = {}
    for name in ("projects", "dependencies", "status_updates", "tasks"):
        for check in book[name].data_validations.dataValidation:
            lists.setdefault(name, []).append((str(check.sqref).split(":")[0], check.type, check.formula1))
    assert ("G2", "list", '"initiate,plan,execute,close"') in lists["projects"]  # stage
    assert ("D2", "list", '"FS,SS,FF,SF"') in lists["dependencies"]  # link type
    assert ("C2", "list", '"R,A,G"') in lists["status_updates"]  # overall RAG
    assert ("F2", "date", "1") in lists["tasks"]  # baseline_start accepts dates only
    assert any(kind == "list" and formula == '"true,false"' for _, kind, formula in lists["tasks"])  # is_milestone


def test_a_template_filled_in_by_hand_loads_as_typed(tmp_path):
    path = write(tmp_path / "intake.xlsx")
    book = openpyxl.load_workbook(path)
    book["projects"].append(["P100", "Warehouse move", "Operations", None, "=sponsor", None, "execute", "active", 2,
                             dt.datetime(2026, 5, 4), dt.datetime(2026, 9, 30), None, 250000, "GBP"])  # fmt: skip
    book["projects"]["E2"].data_type = "s"  # typed as text in Excel: '=sponsor
    book["tasks"].append(["P100", "T1", "Pack", "1.1", 5, dt.datetime(2026, 5, 4), dt.datetime(2026, 5, 8)])
    book["tasks"].append(["P100", "T2", "Move", "1.2", 0, dt.datetime(2026, 5, 11), dt.datetime(2026, 5, 11),
                          None, None, None, None, "true"])  # fmt: skip
    book["dependencies"].append(["P100", "T1", "T2", "FS", 0])
    book.save(path)
    portfolio = importers.load(path)
    project = portfolio.projects.iloc[0]
    assert (project["project_id"], project["sponsor"], project["budget"]) == ("P100", "=sponsor", 250000.0)
    assert project["baseline_start"] == pd.Timestamp("2026-05-04")
    assert portfolio.tasks["is_milestone"].isna().tolist() == [True, False]  # left blank in the sheet
    assert bool(portfolio.tasks.loc[1, "is_milestone"])
    assert len(portfolio.dependencies) == 1


def test_the_sample_round_trips_through_the_workbook_without_loss(pmo, tmp_path, sample):
    first = tmp_path / "sample.xlsx"
    result = pmo("export-template", str(first), "--data", "datasets/sample")
    assert result.returncode == 0, result.stderr
    again = importers.load(first)
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(again.table(name), sample.table(name), obj=name)
    second = importers.load(write(tmp_path / "again.xlsx", again))  # loaded -> exported -> loaded once more
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(second.table(name), sample.table(name), obj=name)


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, sample):
    tasks = sample.tasks.copy()
    tasks.loc[0, "name"] = '=HYPERLINK("http://example.invalid","click")'
    portfolio = dataclasses.replace(sample, tasks=tasks)
    path = write(tmp_path / "hostile.xlsx", portfolio)
    with zipfile.ZipFile(path) as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml for xml in sheets)  # no formula anywhere in the workbook
    assert importers.load(path).tasks.loc[0, "name"] == tasks.loc[0, "name"]


def test_formula_cells_without_saved_values_are_named(tmp_path):
    path = write(tmp_path / "intake.xlsx")
    book = openpyxl.load_workbook(path)
    book["projects"].append(["P1", "A", "Ops", None, None, None, "plan", "active", 1, None, None, None, "=100*3"])
    book["projects"].append(["P2", "B", "Ops", None, None, None, "plan", "active", 2, None, None, None, "=M2*2"])
    book.save(path)  # openpyxl stores formulas without their values, as any script does
    errors = [f for f in importers.validate(path).findings if f.severity == "error"]
    assert len(errors) == 1
    assert "2 formula cell(s) have no saved value (M2, M3)" in errors[0].problem
    assert errors[0].file == "intake.xlsx[projects]"


def test_a_header_written_twice_is_named(tmp_path):
    path = write(tmp_path / "intake.xlsx")
    book = openpyxl.load_workbook(path)
    book["projects"]["O1"] = "stage"  # a second 'stage' column
    book["projects"].append(
        ["P1", "A", "Ops", None, None, None, "plan", "active", 1, None, None, None, None, None, "x"]
    )
    book.save(path)
    errors = [f for f in importers.validate(path).findings if f.severity == "error"]
    assert any("more than once" in f.problem and f.column == "stage" for f in errors)


def test_export_template_usage(pmo, tmp_path):
    assert_refused(pmo("export-template", str(tmp_path / "intake.csv")), 2, "ending in .xlsx")
    assert list(tmp_path.iterdir()) == []
