"""pmo_lib.data: loading, typing and every validation finding."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pmo_lib as pmo
from pmo_lib import data
from pmo_lib.data import checks, findings, readers
from pmo_lib.errors import DataError
from pmo_lib.schemas import TABLE_NAMES, TABLES

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"
MINI = FIXTURES / "mini"


def errors_of(path) -> list:
    return [f for f in data.validate(path).findings if f.severity == "error"]


def has(findings, file, row, column, problem):
    return any(f.file == file and f.row == row and f.column == column and problem in f.problem for f in findings)


# ---------------------------------------------------------------- loading good data


def test_load_mini_types_every_table():
    p = data.load_portfolio(MINI)
    assert p.projects["project_id"].tolist() == ["P001", "P002", "P003"]
    assert pd.api.types.is_datetime64_any_dtype(p.projects["baseline_start"])
    assert p.projects["baseline_start"].iloc[0] == pd.Timestamp("2026-01-05")
    assert isinstance(p.projects["stage"].dtype, pd.CategoricalDtype)
    assert p.projects["stage"].cat.ordered and p.projects["stage"].min() == "plan"
    assert p.projects["priority"].dtype == "Int64"
    assert p.tasks["is_milestone"].dtype == "boolean" and bool(p.tasks["is_milestone"].iloc[0])
    # WBS 1.10 is a code, not the number 1.1
    assert "1.10" in p.tasks["wbs"].tolist()
    # a blank resource_id is an unnamed role demand, kept as missing
    assert p.assignments["resource_id"].isna().sum() == 1
    # blank task_id on a timesheet is project-level time
    assert p.timesheets["task_id"].isna().sum() == 1


def test_absent_tables_are_empty_and_typed():
    p = data.load_portfolio(MINI)
    for name in ("risks", "issues", "changes", "status_updates", "leave", "financials"):
        frame = p.table(name)
        assert frame.empty
        assert list(frame.columns) == list(TABLES[name].columns)
    assert pd.api.types.is_datetime64_any_dtype(p.risks["raised_on"])
    assert p.risks["probability"].dtype == "Int64"
    assert p.summary().set_index("table").loc["risks", "file"] == "(absent)"


def test_ids_that_look_like_numbers_stay_text(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / "projects.csv"
    f.write_text(f.read_text().replace("P001", "001").replace("P002", "1e5"))
    for name in ("tasks.csv", "dependencies.csv", "assignments.csv", "timesheets.csv"):
        g = tmp_path / "d" / name
        g.write_text(g.read_text().replace("P001", "001").replace("P002", "1e5"))
    p = data.load_portfolio(tmp_path / "d")
    assert p.projects["project_id"].tolist()[:2] == ["001", "1e5"]


def test_extra_columns_are_kept_and_noted(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / "projects.csv"
    lines = f.read_text().splitlines()
    f.write_text("\n".join([lines[0] + ",Cost Centre"] + [x + ",CC-1" for x in lines[1:]]) + "\n")
    result = data.validate(tmp_path / "d")
    assert result.ok
    assert result.portfolio.projects["cost_centre"].tolist() == ["CC-1"] * 3
    notes = [f for f in result.findings if f.severity == "note"]
    assert any("cost_centre" in f.problem for f in notes)


def test_headers_are_matched_loosely(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / "projects.csv"
    text = f.read_text()
    f.write_text(text.replace("project_id,name", "Project ID,Name", 1).replace("baseline_start", "Baseline Start", 1))
    p = data.load_portfolio(tmp_path / "d")
    assert p.projects["baseline_start"].notna().all()


def test_windows_1252_bom_and_semicolons_are_read_and_named():
    result = data.validate(FIXTURES / "encodings")
    assert result.ok, [str(f) for f in result.errors]
    p = result.portfolio
    assert p.projects.loc[0, "name"] == "Café Ledger £ Upgrade"
    assert p.tasks.loc[0, "name"] == "Kick-off – café"
    assert p.resources["fte"].tolist() == [1.0, 1.0, 0.8]
    assert result.sources["projects"].encoding == "Windows-1252"
    assert result.sources["tasks"].encoding == "UTF-8 with BOM"
    assert result.sources["resources"].delimiter == ";"
    notes = {f.file: f.problem for f in result.findings if f.severity == "note"}
    assert "Windows-1252" in notes["projects.csv"]
    assert "semicolons" in notes["resources.csv"]


def test_html_and_formula_text_load_verbatim():
    p = data.load_portfolio(FIXTURES / "injection")
    assert p.projects.loc[0, "name"] == '=HYPERLINK("http://x","click")'
    assert "<script>alert('x')</script>" in p.tasks["name"].tolist()
    assert "+Bryn @Elderby" in p.resources["name"].tolist()


def test_load_portfolio_raises_one_error_with_every_finding():
    with pytest.raises(DataError) as info:
        data.load_portfolio(BROKEN / "values")
    err = info.value
    assert len(err.errors) == 10
    assert "projects.csv, row 2, column 'baseline_start'" in str(err)
    assert isinstance(err, pmo.PMOError)


def test_missing_path_is_file_not_found():
    with pytest.raises(FileNotFoundError):
        data.validate(FIXTURES / "no_such_folder")


# ---------------------------------------------------------------- every finding, with file/row/column

# (fixture, file, row, column, words of the problem); rows are spreadsheet rows (header = 1)
EXPECTED = [
    ("missing_column", "projects.csv", 1, "stage", "required column is missing"),
    ("missing_column", "tasks.csv", 1, "duration_days", "required column is missing"),
    ("values", "projects.csv", 2, "baseline_start", "not a real calendar date"),
    ("values", "projects.csv", 4, "baseline_start", "not a date in the form YYYY-MM-DD"),
    ("values", "projects.csv", 2, "status", "not one of the allowed values"),
    ("values", "projects.csv", 3, "budget", "is negative"),
    ("values", "projects.csv", 3, "baseline_finish", "baseline_finish is before baseline_start"),
    ("values", "tasks.csv", 4, "duration_days", "is not a number"),
    ("values", "tasks.csv", 4, "percent_complete", "outside the allowed range 0 to 100"),
    ("values", "resources.csv", 3, "fte", "outside the allowed range 0 to 1"),
    ("values", "timesheets.csv", 3, "hours", "outside the allowed range 0 to 168"),
    ("values", "assignments.csv", 4, "assignment_id", "duplicate assignment_id"),
    ("foreign_keys", "tasks.csv", 7, "project_id", "not in projects.csv"),
    ("foreign_keys", "dependencies.csv", 4, "successor_id", "not in tasks.csv"),
    ("foreign_keys", "assignments.csv", 2, "resource_id", "not in resources.csv"),
    ("foreign_keys", "assignments.csv", 3, "project_id", "not in projects.csv"),
    ("foreign_keys", "timesheets.csv", 4, "resource_id", "not in resources.csv"),
    ("foreign_keys", "timesheets.csv", 5, "project_id", "not in projects.csv"),
    ("cycle", "dependencies.csv", 3, "successor_id", "dependency loop in project P001: T3 → T4 → T2 → T3"),
    ("empty_file", "risks.csv", None, None, "the file is empty"),
    ("not_utf8", "resources.csv", None, None, "neither UTF-8 nor Windows-1252"),
    ("ragged_row", "tasks.csv", 5, None, "the row has 17 values but the header has 16 columns"),
    ("no_projects", "projects", None, None, "required projects table is missing"),
]


@pytest.mark.parametrize(("case", "file", "row", "column", "problem"), EXPECTED)
def test_broken_fixture_reports_file_row_column(case, file, row, column, problem):
    found = errors_of(BROKEN / case)
    assert has(found, file, row, column, problem), "\n".join(map(str, found))


@pytest.mark.parametrize("case", sorted(p.name for p in BROKEN.iterdir()))
def test_every_broken_fixture_has_an_expectation_and_only_expected_errors(case):
    expected = [e for e in EXPECTED if e[0] == case]
    assert expected, f"add the expected findings of broken/{case} to EXPECTED"
    found = errors_of(BROKEN / case)
    unexpected = [f for f in found if not any(has([f], *e[1:]) for e in expected) and case != "ragged_row"]
    assert not unexpected, "\n".join(map(str, unexpected))


def test_every_finding_says_how_to_fix_it():
    for case in BROKEN.iterdir():
        for f in errors_of(case):
            assert f.fix and f.problem and f.file


def test_unreadable_file_does_not_cascade_into_link_errors():
    found = errors_of(BROKEN / "not_utf8")
    assert len(found) == 1


def test_many_bad_values_are_capped_per_kind(tmp_path, monkeypatch):
    monkeypatch.setattr(findings, "MAX_FINDINGS_PER_KIND", 3)
    shutil.copytree(MINI, tmp_path / "d")
    rows = "\n".join(f"R01,P001,,2026-01-{d:02d},-1" for d in range(5, 25))
    (tmp_path / "d" / "timesheets.csv").write_text("resource_id,project_id,task_id,week_start,hours\n" + rows + "\n")
    found = [f for f in errors_of(tmp_path / "d") if f.column == "hours"]
    assert len(found) == 4
    assert "17 more row(s)" in found[-1].problem


def test_week_start_not_monday_is_a_warning(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / "timesheets.csv"
    f.write_text(f.read_text().replace("2026-01-05", "2026-01-07"))
    result = data.validate(tmp_path / "d")
    assert result.ok
    assert any(w.severity == "warning" and w.column == "week_start" and w.row == 2 for w in result.findings)


def test_three_point_estimate_out_of_order(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / "tasks.csv"
    f.write_text(f.read_text().replace("false,8,10,14,architect", "false,12,10,14,architect"))
    assert has(errors_of(tmp_path / "d"), "tasks.csv", 3, "most_likely_days", "out of order")


def test_self_dependency_is_reported(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / "dependencies.csv"
    f.write_text(f.read_text() + "P001,T3,T3,FS,0\n")
    assert has(errors_of(tmp_path / "d"), "dependencies.csv", 5, "successor_id", "cannot depend on itself")


def test_dependency_to_a_task_of_another_project_is_unknown(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / "dependencies.csv"
    f.write_text(f.read_text() + "P002,T1,T3,FS,0\n")  # T3 exists only in P001
    assert has(errors_of(tmp_path / "d"), "dependencies.csv", 5, "successor_id", "not in tasks.csv")


def test_blank_lines_keep_row_numbers_honest(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / "projects.csv"
    lines = f.read_text().splitlines()
    lines.insert(2, "")
    lines[3] = lines[3].replace("plan,active", "plan,activ")
    f.write_text("\n".join(lines) + "\n")
    assert has(errors_of(tmp_path / "d"), "projects.csv", 4, "status", "not one of the allowed values")


def test_input_files_are_never_modified():
    before = {p: p.read_bytes() for p in (BROKEN / "values").iterdir()}
    data.validate(BROKEN / "values")
    assert {p: p.read_bytes() for p in (BROKEN / "values").iterdir()} == before


# ---------------------------------------------------------------- Excel workbooks


def _workbook_from(folder: Path, target: Path, edit=None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for csv in sorted(folder.glob("*.csv")):
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        if edit:
            frame = edit(csv.stem, frame)
        ws = wb.create_sheet(csv.stem)
        ws.append(list(frame.columns))
        cols = TABLES[csv.stem].columns
        kinds = [cols[c].metadata["kind"] if c in cols else "text" for c in frame.columns]
        for row in frame.itertuples(index=False):
            ws.append([_excel_value(v, k) for v, k in zip(row, kinds, strict=True)])
    wb.save(target)
    return target


def _excel_value(v: str, kind: str):
    """Store values as an analyst would: numbers and dates typed, codes in text-formatted cells."""
    if v == "":
        return None
    if kind in ("id", "text", "category"):
        return v
    try:
        return pd.Timestamp(v).to_pydatetime() if len(v) == 10 and v[4] == "-" else float(v)
    except ValueError:
        return v


def test_workbook_loads_like_the_csv_folder(tmp_path):
    book = _workbook_from(MINI, tmp_path / "plan.xlsx")
    from_xlsx = data.load_portfolio(book)
    from_csv = data.load_portfolio(MINI)
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(from_xlsx.table(name), from_csv.table(name), check_dtype=True)
    assert from_xlsx.sources["tasks"].label == "plan.xlsx[tasks]"


def test_workbook_findings_name_the_sheet_and_row(tmp_path):
    def damage(name, frame):
        if name == "tasks":
            frame.loc[2, "percent_complete"] = "150"
            frame.loc[0, "baseline_start"] = "2026-02-30"
        return frame

    book = _workbook_from(MINI, tmp_path / "plan.xlsx", damage)
    found = errors_of(book)
    assert has(found, "plan.xlsx[tasks]", 4, "percent_complete", "outside the allowed range")
    assert has(found, "plan.xlsx[tasks]", 2, "baseline_start", "not a real calendar date")


def test_workbook_that_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    book = _workbook_from(MINI, tmp_path / "plan.xlsx")
    monkeypatch.setattr(readers, "MAX_XLSX_UNCOMPRESSED", 10_000)
    found = errors_of(book)
    assert any("unpacks to" in f.problem for f in found)


def test_csv_that_is_really_a_workbook_is_explained(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    _workbook_from(MINI, tmp_path / "d" / "risks.csv")
    assert has(errors_of(tmp_path / "d"), "risks.csv", None, None, "Excel workbook saved under a .csv name")


def test_damaged_workbook_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip at all")
    found = errors_of(bad)
    assert len(found) == 1 and "not a valid .xlsx" in found[0].problem


# ---------------------------------------------------------------- the sample and properties


def test_sample_dataset_is_clean():
    result = data.validate(pmo.SAMPLE_DATA)
    assert result.ok, "\n".join(map(str, result.errors[:10]))
    assert [f for f in result.findings if f.severity == "warning"] == []


def test_topological_leftovers_finds_nothing_in_a_dag():
    pred = np.array([0, 0, 1, 2])
    succ = np.array([1, 2, 3, 3])
    assert not data.topological_leftovers(pred, succ, 4).any()


def test_topological_leftovers_marks_loop_and_what_follows():
    pred = np.array([0, 1, 2, 3, 2])
    succ = np.array([1, 2, 1, 4, 3])  # 1 -> 2 -> 1 is a loop; 3 and 4 come after it
    assert data.topological_leftovers(pred, succ, 5).tolist() == [False, True, True, True, True]


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 40), st.data())
def test_random_dag_has_no_loop_and_a_back_link_makes_one(n, draw):
    # random forward links (i < j) form a DAG; one link back from j to i closes a loop
    links = draw.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1, max_size=80))
    fwd = [(min(a, b), max(a, b)) for a, b in links if a != b]
    if not fwd:
        return
    pred = np.array([a for a, _ in fwd])
    succ = np.array([b for _, b in fwd])
    assert not data.topological_leftovers(pred, succ, n).any()
    a, b = fwd[draw.draw(st.integers(0, len(fwd) - 1))]
    left = data.topological_leftovers(np.append(pred, b), np.append(succ, a), n)
    assert left[a] and left[b]


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=30).filter(lambda s: "\x00" not in s))
def test_any_text_in_a_cell_gives_findings_not_a_crash(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(MINI, folder, dirs_exist_ok=True)
    frame = pd.read_csv(folder / "projects.csv", dtype=str, keep_default_na=False)
    frame.loc[1, "budget"] = text
    frame.loc[1, "baseline_start"] = text
    frame.to_csv(folder / "projects.csv", index=False)
    result = data.validate(folder)  # must not raise
    assert all(f.file for f in result.findings)


# ---------------------------------------------------------------- codes: spaces, blanks, keys in any order


def test_spaces_around_codes_are_ignored_but_text_keeps_them(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / "tasks.csv"
    f.write_text(f.read_text().replace("P001,T2,Design ledger changes", " P001 ,T2 ,  Design ledger changes "))
    p = data.load_portfolio(tmp_path / "d")
    row = p.tasks[p.tasks["name"].str.contains("Design")].iloc[0]
    assert row["project_id"] == "P001" and row["task_id"] == "T2"
    assert row["name"] == "  Design ledger changes "  # text is data: loaded verbatim


def test_a_code_of_only_spaces_is_blank(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / "timesheets.csv"
    f.write_text(f.read_text().replace("R02,P001,T3,", "   ,P001,T3,"))
    assert has(errors_of(tmp_path / "d"), "timesheets.csv", 4, "resource_id", "is blank but required")


def test_blank_lines_in_a_linked_table_keep_row_numbers_honest(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / "timesheets.csv"
    lines = f.read_text().splitlines()
    lines.insert(2, "")
    lines.insert(3, ",,,,")
    lines[5] = lines[5].replace("R02,", "R99,")  # file row 6
    f.write_text("\n".join(lines) + "\n")
    found = errors_of(tmp_path / "d")
    assert has(found, "timesheets.csv", 6, "resource_id", "not in resources.csv"), "\n".join(map(str, found))


def test_duplicate_keys_are_found_in_unsorted_files(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / "timesheets.csv"
    lines = f.read_text().splitlines()
    # rows out of key order, with row 2's key repeated on the last row
    f.write_text("\n".join([lines[0], lines[3], lines[1], lines[4], lines[2], lines[1].replace(",24", ",8")]) + "\n")
    assert has(errors_of(tmp_path / "d"), "timesheets.csv", 6, "week_start", "already on row 3")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("a", "1"), ("a", "2"), ("b", "1")], True),
        ([("a", "1"), ("a", "1"), ("b", "1")], False),  # a repeat
        ([("b", "1"), ("a", "2")], False),  # unsorted: not proved, so hashed
        ([(None, "1"), ("a", "1")], True),  # blank sorts first
    ],
)
def test_sorted_key_fast_path_proves_uniqueness_only_when_it_holds(rows, expected):
    frame = pd.DataFrame(rows, columns=["k1", "k2"]).astype("str")
    assert checks._sorted_and_unique(frame, ["k1", "k2"]) is expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["P1", "P2", "P10"]), st.sampled_from(["T1", "T2"])), max_size=12))
def test_duplicate_key_check_agrees_with_pandas(tmp_path_factory, pairs):
    frame = pd.DataFrame(pairs, columns=["project_id", "task_id"]).astype("str")
    spec = TABLES["tasks"]
    out = findings.Collector()
    checks.check_keys(frame, spec, readers.Source("tasks", "tasks.csv", Path("x")), set(), out, data.Encoder())
    expected = frame.index[frame.duplicated(["project_id", "task_id"])] + 2
    assert sorted(f.row for f in out.findings) == sorted(expected.tolist())


def test_duplicate_key_in_a_sorted_linked_table_is_found(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    rows = [
        "R01,P001,,2026-01-19,4",
        "R02,P001,T3,2026-01-19,15",
        "R03,P001,T2,2026-01-05,24",
        "R03,P001,T2,2026-01-05,20",
    ]
    (tmp_path / "d" / "timesheets.csv").write_text(
        "resource_id,project_id,task_id,week_start,hours\n" + "\n".join(rows) + "\n"
    )
    assert has(errors_of(tmp_path / "d"), "timesheets.csv", 5, "week_start", "already on row 4")


def test_a_table_with_only_its_header_loads_empty(tmp_path):
    shutil.copytree(MINI, tmp_path / "d")
    (tmp_path / "d" / "risks.csv").write_text(",".join(TABLES["risks"].columns) + "\n")
    p = data.load_portfolio(tmp_path / "d")
    assert p.risks.empty and list(p.risks.columns) == list(TABLES["risks"].columns)
    assert p.sources["risks"].rows == 0


_CELL = st.one_of(
    st.sampled_from(["", " ", "P001", "T2", "2026-02-30", "2026-01-05", "-1", "1,5", "abc", '"x,y"', "=1+2", "NA"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6),
)
_HEADER = st.sampled_from(["project_id", "name", "portfolio", "stage", "status", "budget", "", "Extra", "name"])


@settings(max_examples=150, deadline=None)
@given(
    headers=st.lists(_HEADER, min_size=1, max_size=7),
    rows=st.lists(st.lists(_CELL, min_size=0, max_size=8), max_size=6),
    sep=st.sampled_from([",", ";"]),
)
def test_any_csv_gives_findings_never_a_crash(tmp_path_factory, headers, rows, sep):
    folder = tmp_path_factory.mktemp("csvfuzz")
    lines = [sep.join(headers)] + [sep.join(r) for r in rows]
    (folder / "projects.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = data.validate(folder)  # must not raise, whatever the file holds
    assert all(f.file and f.problem and f.fix for f in result.findings)
    assert result.ok == (result.portfolio is not None)


def _has_cycle(links: list[tuple[str, str]]) -> bool:
    """Plain depth-first search: the test's own oracle for loops."""
    graph: dict[str, list[str]] = {}
    for a, b in links:
        graph.setdefault(a, []).append(b)
    state: dict[str, int] = {}

    def visit(node: str) -> bool:
        state[node] = 1
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1 or (nxt not in state and visit(nxt)):
                return True
        state[node] = 2
        return False

    return any(node not in state and visit(node) for node in list(graph))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["T1", "T2", "T3"]), st.sampled_from(["T1", "T2", "T3"])), max_size=7))
def test_loops_are_reported_exactly_when_the_network_has_one(tmp_path_factory, links):
    folder = tmp_path_factory.mktemp("loops")
    shutil.copytree(MINI, folder, dirs_exist_ok=True)
    links = list(dict.fromkeys(links))  # the key (project, predecessor, successor) is unique
    rows = [f"P001,{a},{b},FS,0" for a, b in links]
    (folder / "dependencies.csv").write_text(
        "project_id,predecessor_id,successor_id,type,lag_days\n" + "\n".join(rows) + "\n"
    )
    found = errors_of(folder)
    loops = [f for f in found if "dependency loop" in f.problem or "cannot depend on itself" in f.problem]
    assert bool(loops) == _has_cycle(links)


def test_workbook_with_empty_trailing_columns_loads(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "projects"
    ws.append(["project_id", "name", "portfolio", "stage", "status", None, "budget", None])
    ws.append(["P1", "Alpha", "Ops", "execute", "active", None, 10, None])
    ws.append(["P2", "Beta", "Ops", "plan", "active", "stray note", 20, None])
    wb.save(tmp_path / "plan.xlsx")
    result = data.validate(tmp_path / "plan.xlsx")
    assert result.ok
    warning = next(f for f in result.findings if f.severity == "warning")
    assert "column 6 has values but no header" in warning.problem
    assert result.portfolio.projects["budget"].tolist() == [10.0, 20.0]


@pytest.mark.parametrize(
    ("file", "old", "new", "severity", "row", "column", "problem"),
    [
        ("tasks.csv", "P001,T3,Build ledger changes,1.10,20,2026-01-20,2026-02-16,2026-01-22,,60",
         "P001,T3,Build ledger changes,1.10,20,2026-01-20,2026-02-16,,2026-02-20,60",
         "error", 4, "actual_start", "actual finish but no actual start"),
        ("tasks.csv", "P001,T1,Kick-off,1.1,0,", "P001,T1,Kick-off,1.1,2,",
         "warning", 2, "duration_days", "milestone should have zero duration"),
        ("assignments.csv", "A3,P002,T2,,developer,", "A3,P002,T2,,,",
         "error", 4, "role", "neither a person (resource_id) nor a role"),
    ],
)  # fmt: skip
def test_row_rules(tmp_path, file, old, new, severity, row, column, problem):
    shutil.copytree(MINI, tmp_path / "d")
    f = tmp_path / "d" / file
    assert old in f.read_text()
    f.write_text(f.read_text().replace(old, new))
    found = [x for x in data.validate(tmp_path / "d").findings if x.severity == severity]
    assert has(found, file, row, column, problem), "\n".join(map(str, found))


# ---- gaps real exports hit: a missing column that changes the numbers, multi-line cells, ragged rows


def _mini_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", target)
    return target


@pytest.mark.parametrize(
    ("table", "column", "consequence"),
    [
        ("tasks", "percent_complete", "earned value (EV) is 0"),
        ("tasks", "planned_cost", "planned and earned value (PV, EV) are 0"),
        ("projects", "budget", "budget at completion (BAC)"),
    ],
)
def test_a_missing_column_that_changes_the_numbers_is_a_warning_with_its_consequence(tmp_path, table, column,
                                                                                      consequence):  # fmt: skip
    folder = _mini_copy(tmp_path)
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=column)
    frame.to_csv(path, index=False)
    result = data.validate(folder)
    assert result.ok
    said = [f for f in result.findings if f.column == column and f.severity == "warning"]
    assert len(said) == 1 and consequence in said[0].problem and said[0].file == f"{table}.csv"


def test_no_warning_when_the_column_is_there_but_blank(tmp_path):
    folder = _mini_copy(tmp_path)
    assert not any("there is no" in f.problem for f in data.validate(folder).findings)


def test_a_multi_line_cell_does_not_shift_the_rows_reported_after_it(tmp_path):
    folder = _mini_copy(tmp_path)
    path = folder / "tasks.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[2] = '"Kick-off,\nsecond line of the name"'  # row 2 of the sheet now spans two lines of text
    lines[1] = ",".join(cells)
    cells = lines[3].split(",")
    cells[4] = "ten"  # row 4 of the sheet
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = [f for f in data.validate(folder).findings if f.severity == "error"]
    assert [(f.row, f.column, f.value) for f in errors] == [(4, "duration_days", "ten")]


def test_a_ragged_row_is_reported_once_not_again_where_other_tables_refer_to_it(tmp_path):
    folder = _mini_copy(tmp_path)
    path = folder / "tasks.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("P002,T1,"))
    lines[row] += ",spare,spare"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    deps = pd.read_csv(folder / "dependencies.csv", dtype=str)
    assert ((deps["project_id"] == "P002") & (deps["predecessor_id"] == "T1")).any()  # something refers to it
    errors = [f for f in data.validate(folder).findings if f.severity == "error"]
    assert len(errors) == 1 and errors[0].file == "tasks.csv" and errors[0].row == row + 1
    assert "values but the header has" in errors[0].problem
