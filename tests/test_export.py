"""pmo_lib.export: spreadsheets that open safely, with dates as dates and text as text."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from pmo_lib.export import neutralise, write_csv, write_xlsx

FRAME = pd.DataFrame(
    {
        "task": ['=HYPERLINK("http://x")', "+1", "-2 days", "@SUM(A1)", "\tTab", "Plain <b>html</b>", None],
        "finish": pd.to_datetime(["2026-10-31"] * 6 + [None]),
        "float_days": [0, 1.5, 2, 3, 4, 5, None],
    }
)


def test_text_that_could_run_as_a_formula_gets_an_apostrophe():
    safe = neutralise(FRAME)
    assert safe["task"].tolist()[:5] == ['\'=HYPERLINK("http://x")', "'+1", "'-2 days", "'@SUM(A1)", "'\tTab"]
    assert safe["task"].iloc[5] == "Plain <b>html</b>" and pd.isna(safe["task"].iloc[6])
    assert FRAME["task"].iloc[0].startswith("=")  # the input is untouched


def test_xlsx_keeps_types_and_never_stores_a_formula(tmp_path):
    target = tmp_path / "schedule.xlsx"
    write_xlsx({"schedule": FRAME}, target)
    ws = openpyxl.load_workbook(target)["schedule"]
    assert [c.value for c in ws[1]] == ["task", "finish", "float_days"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    for row in ws.iter_rows(min_row=2, max_col=1):
        assert row[0].data_type != "f"  # no cell is a formula
    assert ws["A2"].value == '\'=HYPERLINK("http://x")'
    assert ws["B2"].is_date and ws["B2"].number_format == "yyyy-mm-dd"
    assert ws["C3"].value == pytest.approx(1.5) and ws["C4"].value == 2
    assert ws["A8"].value is None and ws["B8"].value is None


def test_csv_is_neutralised_too(tmp_path):
    target = tmp_path / "schedule.csv"
    write_csv(FRAME, target)
    text = target.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "2026-10-31" in text
    assert "\n=HYPERLINK" not in text
