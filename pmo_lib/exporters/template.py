"""The Excel intake workbook: one sheet per table with the data dictionary's headers, lists and formats.

``pmo export-template OUT.xlsx`` writes it empty for a PMO analyst to fill in; with ``--data`` it
holds a dataset's tables (the same workbook, filled). Either way ``pmo validate`` and
``load_portfolio`` read it as it is: each table's sheet is named after the table, its first row
holds the column names, and the ``Notes`` sheet (the data dictionary: type, unit, required, allowed
values, meaning) is noted and left out by the loader.

On each sheet: the header is bold and frozen, each header cell has a comment with the column's
meaning and unit; fixed-list columns (stage, status, RAG, link type, severity ...) and true/false
columns get a drop-down list that refuses other values; date columns are formatted
``yyyy-mm-dd`` and accept dates only; months (``YYYY-MM``) are text. Text from the data is written
as text cells, never as formulas (a name that starts with ``=`` stays that text, and Excel does not
run it), so a filled workbook reads back exactly.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

REQUIRED_FILL = "FCE4D6"  # the header of a required column
HEADER_FILL = "DDEBF7"
ROWS_WITH_LISTS = 5000  # the drop-down lists and date checks cover this many rows of each sheet


def _spec_rows(name: str) -> list[dict]:
    from ..schemas import TABLES

    rows = []
    for column, col in TABLES[name].columns.items():
        allowed = ""
        if col.metadata["kind"] == "category":
            allowed = ", ".join(col.checks[0].statistics["allowed_values"])
        elif col.metadata["kind"] == "flag":
            allowed = "true, false"
        rows.append(
            {
                "table": name,
                "column": column,
                "kind": col.metadata["kind"],
                "unit": col.metadata.get("unit", ""),
                "required": "yes" if col.required and not col.nullable else ("column" if col.required else ""),
                "allowed": allowed,
                "meaning": col.description or "",
            }
        )
    return rows


def write(target: Path, portfolio=None, tables=None) -> Path:
    """Write the intake workbook (empty, or holding ``portfolio``'s tables), atomically."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..files import atomic_open
    from ..schemas import TABLE_NAMES, TABLES

    names = list(tables or TABLE_NAMES)
    wb = Workbook()
    wb.remove(wb.active)
    notes = wb.create_sheet("Notes")
    notes.append(["PMO Lab intake workbook: one sheet per table; fill in the rows under the headers."])
    notes.append(["Required columns have an orange header; lists and dates are checked as you type."])
    notes.append(["Check it with: pmo validate THIS.xlsx   (every problem is listed with its sheet, row and column)"])
    notes.append([])
    header = ["table", "column", "kind", "unit", "required", "allowed", "meaning"]
    notes.append(header)
    for cell in notes[5]:
        cell.font = Font(bold=True)
    for name in names:
        for row in _spec_rows(name):
            notes.append([row[h] for h in header])
    for i, width in enumerate((18, 22, 10, 14, 9, 40, 70), start=1):
        notes.column_dimensions[get_column_letter(i)].width = width

    for name in names:
        spec = TABLES[name]
        ws = wb.create_sheet(name)
        columns = list(spec.columns)
        ws.append(columns)
        for i, (column, col) in enumerate(spec.columns.items(), start=1):
            cell = ws.cell(row=1, column=i)
            cell.font = Font(bold=True)
            required = col.required and not col.nullable
            cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if required else HEADER_FILL)
            unit = col.metadata.get("unit", "")
            cell.comment = Comment(f"{col.description}" + (f" [{unit}]" if unit else ""), "PMO Lab")
            ws.column_dimensions[get_column_letter(i)].width = max(12, min(len(column) + 4, 40))
        ws.freeze_panes = "A2"
        frame = None if portfolio is None else portfolio.table(name)
        if frame is not None and len(frame):
            _rows(ws, frame[columns], spec)
        last = max(ROWS_WITH_LISTS, (0 if frame is None else len(frame)) + 1)
        for i, (column, col) in enumerate(spec.columns.items(), start=1):
            letter = get_column_letter(i)
            kind = col.metadata["kind"]
            span = f"{letter}2:{letter}{last}"
            if kind in ("category", "flag"):
                values = col.checks[0].statistics["allowed_values"] if kind == "category" else ["true", "false"]
                check = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
                check.error = f"{column}: one of {', '.join(values)}"
                check.errorTitle = "Not in the list"
                ws.add_data_validation(check)
                check.add(span)
            elif kind == "date":
                check = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
                check.error = f"{column}: a date (YYYY-MM-DD)"
                ws.add_data_validation(check)
                check.add(span)
    with atomic_open(Path(target), "wb") as fh:
        wb.save(fh)
    return Path(target)


def _rows(ws, frame: pd.DataFrame, spec) -> None:
    """A table's rows as typed cells: dates as dates, months and text as text cells, flags as true/false."""
    kinds = {c: col.metadata["kind"] for c, col in spec.columns.items()}
    cells = {}
    for column in frame.columns:  # whole columns converted at once
        values = frame[column]
        kind = kinds[column]
        if kind == "date":
            cells[column] = [None if pd.isna(v) else pd.Timestamp(v).to_pydatetime() for v in values]
        elif kind == "month":
            cells[column] = [None if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m") for v in values]
        elif kind == "flag":
            cells[column] = [None if pd.isna(v) else ("true" if bool(v) else "false") for v in values]
        elif kind in ("number", "integer"):
            cells[column] = [None if pd.isna(v) else (int(v) if kind == "integer" else float(v)) for v in values]
        else:
            cells[column] = [None if pd.isna(v) else str(v) for v in values]
    names = list(frame.columns)
    for r, row in enumerate(zip(*(cells[c] for c in names), strict=True), start=2):
        for i, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=i)
            cell.value = value
            kind = kinds[names[i - 1]]
            if kind == "date":
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with = (never a formula)
