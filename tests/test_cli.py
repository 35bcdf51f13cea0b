"""The `pmo` command, run as a real subprocess: exit codes, messages, no tracebacks."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, assert_refused

BROKEN = sorted(p.name for p in (FIXTURES / "broken").iterdir())


def test_help_lists_every_command_with_a_line_each(pmo):
    result = pmo("--help")
    assert result.returncode == 0
    for command, words in (
        ("validate", "Check a dataset"),
        ("synth", "Generate a fictional"),
        ("tour", "Run the tour notebook"),
        ("report", "Make the monthly portfolio report"),
        ("evm", "Earned value"),
        ("risk", "Schedule risk"),
        ("schedule", "Critical path"),
        ("check", "Check projects against the PMO standard"),
        ("whatif", "What-if report of a scenario file"),
    ):
        line = next(x for x in result.stdout.splitlines() if x.strip().startswith(command))
        assert words in line


def test_validate_sample_is_clean(pmo):
    result = pmo("validate", "datasets/sample")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout
    assert "projects.csv" in result.stdout and "UTF-8" in result.stdout


@pytest.mark.parametrize("case", BROKEN)
def test_validate_broken_exits_1_without_traceback(pmo, case):
    result = pmo("validate", str(FIXTURES / "broken" / case))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "ERROR" in result.stdout and "fix:" in result.stdout


def test_validate_names_file_row_and_column(pmo):
    out = pmo("validate", str(FIXTURES / "broken" / "values")).stdout
    block = out[out.index("tasks.csv\n") :]
    assert "row 4" in block and "column 'percent_complete'" in block and "'150'" in block


def test_validate_caps_findings_per_kind(pmo, tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    for f in (FIXTURES / "mini").iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    rows = "".join(f"R01,P001,,2026-02-{d:02d},-2\n" for d in range(1, 21))
    (folder / "timesheets.csv").write_text("resource_id,project_id,task_id,week_start,hours\n" + rows)
    out = pmo("validate", str(folder), "--max-per-kind", "3").stdout
    assert out.count("is outside the allowed range 0 to 168") == 3
    assert "... and 17 more like this" in out


def test_validate_missing_path_is_a_one_line_usage_error(pmo):
    result = pmo("validate", "no/such/folder")
    assert result.returncode == 2
    lines = [x for x in (result.stdout + result.stderr).splitlines() if x.strip()]
    assert len(lines) == 1 and "no dataset at no/such/folder" in lines[0]


def test_validate_refuses_a_file_that_is_not_a_workbook(pmo):
    result = pmo("validate", "README.md")
    assert result.returncode == 2
    assert "neither a folder of CSV files nor an .xlsx workbook" in result.stderr


def test_validate_json_and_csv_keep_every_finding(pmo):
    result = pmo("validate", str(FIXTURES / "broken" / "values"), "--format", "json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert len([f for f in findings if f["severity"] == "error"]) == 10
    assert {"file", "row", "column", "value", "problem", "fix"} <= set(findings[0])
    csv_out = pmo("validate", str(FIXTURES / "broken" / "values"), "--format", "csv").stdout
    assert csv_out.splitlines()[0] == "severity,table,file,row,column,value,problem,fix"
    assert len(csv_out.splitlines()) == 11


def test_validate_does_not_touch_the_input(pmo):
    folder = FIXTURES / "broken" / "values"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    pmo("validate", str(folder))
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_synth_writes_a_dataset_that_validates(pmo, tmp_path):
    out = tmp_path / "made"
    result = pmo("synth", str(out), "--projects", "5", "--seed", "3", "--resources", "25")
    assert result.returncode == 0, result.stderr
    assert "Wrote 17 tables" in result.stdout
    assert pmo("validate", str(out)).returncode == 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--projects", "0"], "--projects >= 1"),
        (["--min-tasks", "10", "--max-tasks", "5"], "--min-tasks <= --max-tasks"),
        (["--as-of", "31/10/2026"], "not a date in the form YYYY-MM-DD"),
        (["--resources", "5"], "--resources >= 20"),
    ],
)
def test_synth_rejects_bad_options_with_exit_2(pmo, tmp_path, args, words):
    result = pmo("synth", str(tmp_path / "x"), *args)
    assert result.returncode == 2
    assert words in result.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.notebook
def test_tour_command_writes_html_and_notebook(pmo, tmp_path):
    result = pmo("tour", "--data", str(FIXTURES / "mini"), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "tour.html").read_text()
    assert "Depot Scanner Rollout" in html
    assert "def " not in html  # no code cells in the exported report
    assert (tmp_path / "tour.ipynb").exists()


def test_tour_with_missing_data_is_a_usage_error(pmo, tmp_path):
    result = pmo("tour", "--data", str(tmp_path / "none"), "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert "no dataset at" in result.stderr


@pytest.mark.notebook
def test_tour_on_broken_data_fails_cleanly_and_keeps_the_executed_notebook(pmo, tmp_path):
    result = pmo("tour", "--data", str(FIXTURES / "broken" / "values"), "--out", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "failed in cell" in result.stderr
    assert (tmp_path / "tour.failed.ipynb").exists()
    assert "failed in cell" in (tmp_path / "tour.error.txt").read_text()
    assert not (tmp_path / "tour.html").exists()


def test_validate_a_workbook_names_the_sheet(pmo, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "projects"
    ws.append(["project_id", "name", "portfolio", "stage", "status", "budget"])
    ws.append(["P1", "Alpha", "Ops", "execute", "active", 1000])
    ws.append(["P2", "Beta", "Ops", "execute", "paused", -5])
    book = tmp_path / "plan.xlsx"
    wb.save(book)
    result = pmo("validate", str(book))
    assert result.returncode == 1
    assert "plan.xlsx[projects]" in result.stdout
    assert "row 3" in result.stdout and "'paused'" in result.stdout and "is negative" in result.stdout


def test_schedule_command_writes_one_row_per_task(pmo, tmp_path):
    out = tmp_path / "p001.csv"
    result = pmo(
        "schedule",
        "datasets/sample",
        "--project",
        "P001",
        "--as-of",
        "2026-10-31",
        "--format",
        "csv",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    import pandas as pd

    table = pd.read_csv(out)
    assert set(table["project_id"]) == {"P001"}
    for column in (
        "early_start",
        "late_finish",
        "total_float",
        "free_float",
        "is_critical",
        "finish_variance",
        "driving_predecessor",
    ):
        assert column in table.columns
    assert table["total_float"].ge(0).all()


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["datasets/sample", "--project", "P999"], 2, "unknown project P999; projects are: P001"),
        (["datasets/sample", "--as-of", "31/10/2026"], 2, "not a date in the form YYYY-MM-DD"),
        (["no/such/data"], 2, "no dataset at no/such/data"),
        ([str(FIXTURES / "broken" / "cycle")], 1, "dependency loop in project P001"),
    ],
)
def test_schedule_command_bad_input(pmo, args, code, words):
    assert_refused(pmo("schedule", *args), code, words)


def test_schedule_command_writes_a_workbook(pmo, tmp_path):
    out = tmp_path / "schedule.xlsx"
    result = pmo("schedule", "datasets/sample", "--as-of", "2026-10-31", "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    import openpyxl

    ws = openpyxl.load_workbook(out)["schedule"]
    assert ws["A1"].value == "project_id" and ws.max_row == 882  # 881 tasks and the header


def test_schedule_xlsx_needs_an_output_file(pmo):
    result = pmo("schedule", "datasets/sample", "--format", "xlsx")
    assert result.returncode == 2 and "--format xlsx needs --out" in result.stderr


def test_evm_command_gives_one_row_per_project(pmo, tmp_path):
    out = tmp_path / "evm.csv"
    result = pmo("evm", "datasets/sample", "--month", "2026-10", "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    import pandas as pd

    from pmo_lib import evm, load_sample

    table = pd.read_csv(out)
    assert len(table) == 24 and table["month"].eq("2026-10").all()
    for column in ("pv", "ev", "ac", "bac", "sv", "cv", "spi", "cpi", "eac", "etc", "vac", "tcpi"):
        assert column in table.columns
    for column in ("es", "spi_t", "sv_t", "ieac_t"):
        assert column in table.columns
    library = evm.status(load_sample(), "2026-10").set_index("project_id")
    mine = table.set_index("project_id")
    assert mine["cpi"].to_numpy() == pytest.approx(library["cpi"].to_numpy(), abs=1e-4, nan_ok=True)
    assert mine["ev"].to_numpy() == pytest.approx(library["ev"].to_numpy(), abs=0.01)


def test_evm_command_financial_actuals_and_one_project_on_screen(pmo):
    result = pmo("evm", "datasets/sample", "--project", "P004", "--actual-cost", "financials")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and lines[1].split()[0] == "P004"
    import pandas as pd

    budget = pd.read_csv("datasets/sample/projects.csv").set_index("project_id").loc["P004", "budget"]
    assert lines[1].split()[5] == f"{budget:.1f}"  # BAC is the project budget when AC comes from the financials


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["datasets/sample", "--month", "2031-01"], 2, "month 2031-01 is outside the data: its months run from"),
        (["datasets/sample", "--month", "Oct 2026"], 2, "not a month in the form YYYY-MM"),
        (["datasets/sample", "--project", "P999"], 2, "unknown project P999"),
        (["datasets/sample", "--format", "xlsx"], 2, "--format xlsx needs --out"),
        (["datasets/sample", "--actual-cost", "invoices"], 2, "'invoices' is not one of"),
        ([str(FIXTURES / "broken" / "missing_column")], 1, "ERROR"),
    ],
)
def test_evm_command_bad_input(pmo, args, code, words):
    assert_refused(pmo("evm", *args), code, words)


def test_evm_command_writes_a_workbook(pmo, tmp_path):
    out = tmp_path / "evm.xlsx"
    result = pmo("evm", "datasets/sample", "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    import openpyxl

    ws = openpyxl.load_workbook(out)["evm"]
    assert ws["A1"].value == "project_id" and ws.max_row == 25


def test_risk_command_gives_percentile_dates_per_project(pmo, tmp_path):
    out = tmp_path / "risk.csv"
    args = ("risk", "datasets/sample", "--iterations", "2000", "--seed", "3", "--format", "csv", "--out", str(out))
    result = pmo(*args)
    assert result.returncode == 0, result.stderr
    import pandas as pd

    table = pd.read_csv(out, parse_dates=["planned_finish", "p50", "p80", "p95", "baseline_finish"])
    assert len(table) == 24
    assert (table["p50"] <= table["p80"]).all() and (table["p80"] <= table["p95"]).all()
    assert table["most_critical"].dropna().str.match(r"^T\d+ \d+%").all()
    again = tmp_path / "again.csv"
    assert pmo(*args[:-1], str(again)).returncode == 0
    assert again.read_bytes() == out.read_bytes()  # same seed, same answer


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["datasets/sample", "--iterations", "5"], 2, "5 is not in the range 100<=x<=1000000"),
        (["datasets/sample", "--project", "P999"], 2, "unknown project P999"),
        (["datasets/sample", "--as-of", "yesterday"], 2, "not a date in the form YYYY-MM-DD"),
        (["datasets/sample", "--format", "xlsx"], 2, "--format xlsx needs --out"),
        ([str(FIXTURES / "broken" / "cycle")], 1, "dependency loop in project P001"),
    ],
)
def test_risk_command_bad_input(pmo, args, code, words):
    assert_refused(pmo("risk", *args), code, words)


def test_check_lists_findings_by_project_and_exits_1_on_errors(pmo):
    result = pmo("check", "datasets/sample")
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert out.startswith("Standard: PMO Lab default standard")
    assert "3 of 17 live project(s) meet every rule" in out
    assert "P001 Customer Portal (Digital Services) - score 75%" in out
    assert "ERROR   CHG-01  cost growth without an approved change" in out
    assert "fix: Name the person who will manage the risk." in out


def test_check_exits_0_when_no_error_rule_is_broken(pmo, tmp_path):
    lenient = tmp_path / "lenient.yaml"
    ids = ["GOV-01", "GATE-01", "RPT-01", "RAID-01", "RAID-04", "CHG-01", "CHG-02", "TIME-02"]
    rules = "".join(f"  - {{id: {i}, severity: warning}}\n" for i in ids)
    lenient.write_text(f"extends: default\nstandard: Lenient\nrules:\n{rules}", encoding="utf-8")
    result = pmo("check", "datasets/sample", "--standard", str(lenient))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Result: 0 error(s)" in result.stdout


def test_check_writes_findings_for_tracking(pmo, tmp_path):
    import pandas as pd

    out = tmp_path / "findings.csv"
    assert pmo("check", "datasets/sample", "--format", "csv", "--out", str(out)).returncode == 1
    table = pd.read_csv(out)
    assert list(table.columns) == [
        "rule_id",
        "severity",
        "portfolio",
        "project_id",
        "project",
        "found",
        "evidence",
        "fix",
    ]
    from pmo_lib import load_sample, standards

    expected = len(standards.evaluate(load_sample()))
    assert len(table) == expected > 50
    book = tmp_path / "findings.xlsx"
    assert pmo("check", "datasets/sample", "--format", "xlsx", "--out", str(book)).returncode == 1
    import openpyxl

    assert openpyxl.load_workbook(book).sheetnames == ["Findings", "Scores"]
    result = pmo("check", "datasets/sample", "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["as_of"] == "2026-10-31" and len(payload["findings"]) == expected and len(payload["scores"]) == 17


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--standard", "no/such.yaml"], 2, "no/such.yaml: no such standard file"),
        (["--as-of", "31.10.2026"], 2, "not a date in the form YYYY-MM-DD"),
        (["--format", "xlsx"], 2, "--format xlsx needs --out"),
    ],
)
def test_check_bad_input(pmo, args, code, words):
    assert_refused(pmo("check", "datasets/sample", *args), code, words)


def test_check_with_a_broken_standard_names_file_and_key(pmo, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: default\ntolerances: {cpi: {red: very}}\n", encoding="utf-8")
    result = pmo("check", "datasets/sample", "--standard", str(bad))
    assert result.returncode == 2
    assert f"{bad}: tolerances.cpi.red: must be a number (found 'very')" in result.stderr
