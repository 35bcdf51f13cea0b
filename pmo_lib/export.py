"""Exports for people and other tools: Excel workbooks and CSV, safe to open.

Text from the data is data: a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return would run as a formula in Excel (CSV/formula
injection, OWASP), so such text gets a leading apostrophe. Numbers and dates
are written as numbers and dates. Files are written atomically.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .files import atomic_open

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas (a leading ' is added)."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_string_dtype(column) or column.dtype == object:
            text = column.astype("str")
            risky = text.str.startswith(_FORMULA_START).fillna(False).to_numpy(dtype=bool)
            if risky.any():
                out[name] = column.where(~risky, "'" + text)
    return out


def write_csv(frame: pd.DataFrame, target: Path) -> None:
    """CSV (UTF-8, ISO dates) with formula-looking text neutralised."""
    with atomic_open(Path(target), "w", encoding="utf-8", newline="") as fh:
        neutralise(frame).to_csv(fh, index=False, date_format="%Y-%m-%d", lineterminator="\n")


RAG_FILLS = {"R": "D55E00", "A": "E69F00", "G": "009E73"}  # the report charts' colour-blind-safe colours


def write_xlsx(sheets: dict[str, pd.DataFrame], target: Path, number_formats: dict[str, str] | None = None) -> None:
    """One sheet per table: bold frozen header, fitted widths, dates as dates, text neutralised.

    ``number_formats`` maps column names to Excel number formats (e.g.
    ``"#,##0"`` for money); columns whose name mentions RAG get their R/A/G
    cells filled in the RAG colour (the letter stays, for print).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    number_formats = number_formats or {}
    fills = {k: PatternFill("solid", fgColor=v) for k, v in RAG_FILLS.items()}

    wb = Workbook()
    wb.remove(wb.active)
    for title, frame in sheets.items():
        ws = wb.create_sheet(title[:31])
        safe = neutralise(frame)
        ws.append([str(c) for c in safe.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        columns = [safe[c] for c in safe.columns]
        for row in zip(*(_cells(c) for c in columns), strict=True):
            ws.append(list(row))
        for i, column in enumerate(safe.columns, start=1):
            series = safe[column]
            if pd.api.types.is_datetime64_any_dtype(series):
                for r in range(2, ws.max_row + 1):
                    ws.cell(r, i).number_format = "yyyy-mm-dd"
            elif str(column) in number_formats:
                for r in range(2, ws.max_row + 1):
                    ws.cell(r, i).number_format = number_formats[str(column)]
            if "rag" in str(column).lower():
                for r in range(2, ws.max_row + 1):
                    cell = ws.cell(r, i)
                    if cell.value in fills:
                        cell.fill = fills[cell.value]
                        cell.font = Font(bold=True)
            sample = [str(column), *series.astype("str").head(200).fillna("").tolist()]
            ws.column_dimensions[get_column_letter(i)].width = min(max(len(v) for v in sample) + 2, 60)
        for row in ws.iter_rows(min_row=2):  # text stays text, even when it looks like a formula
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    with atomic_open(Path(target), "wb") as fh:
        wb.save(fh)


def _cells(series: pd.Series) -> list:
    """Python values openpyxl understands: None for blanks, datetimes, floats/ints, text."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return [None if pd.isna(v) else v.to_pydatetime() for v in series]
    if pd.api.types.is_bool_dtype(series):
        return [None if pd.isna(v) else bool(v) for v in series]
    if pd.api.types.is_numeric_dtype(series):
        values = series.astype("float64").to_numpy()
        return [None if np.isnan(v) else (int(v) if float(v).is_integer() else float(v)) for v in values]
    return [None if pd.isna(v) else str(v) for v in series]
