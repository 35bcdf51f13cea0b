"""Parsing raw columns into their types, reporting every cell that does not parse."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..schemas import DATE_MAX, DATE_MIN, TableSpec
from .codes import Encoder, clean_and_encode
from .findings import Collector, Source, canonical_header, file_rows

_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0"}
_CAN_FAIL = ("number", "integer", "date", "month", "flag")  # kinds whose text may not parse
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def as_text(series: pd.Series, *, strip: bool = True) -> pd.Series:
    """Text with blank cells as missing; codes (``strip``) also lose surrounding spaces.

    Free text keeps its spaces (it is data, loaded verbatim); a cell of spaces only is blank.
    """
    if getattr(series.dtype, "storage", None) == "pyarrow":  # columnar fast path
        arr = pa.array(series)
        if strip:
            arr = pc.utf8_trim_whitespace(arr)
            blank = pc.equal(pc.utf8_length(arr), 0)  # reads only the offsets
        else:
            blank = pc.utf8_is_space(arr)  # whitespace only ("" is null already)
        if pc.any(blank).as_py():
            arr = pc.if_else(blank, pa.scalar(None, pa.string()), arr)
        elif not strip:
            return series
        return pd.Series(arr, index=series.index, dtype=series.dtype)
    if not (pd.api.types.is_string_dtype(series) or series.dtype == object):
        series = series.astype(object).where(series.notna(), None)
    text = series.astype("str")
    trimmed = text.str.strip()
    return (trimmed if strip else text).where(trimmed != "", None).astype("str")


def _parse_number(series, src, column, out, *, decimal=".") -> pd.Series:
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.astype("float64")
    text = as_text(series)
    cleaned = text.str.replace(",", ".", regex=False) if decimal == "," else text
    parsed = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    bad = text.notna() & parsed.isna()
    if bad.any():
        out.add_rows(
            "error",
            src,
            column,
            file_rows(series.index[bad]),
            text[bad],
            "is not a number",
            "enter a plain number without units, currency symbols or thousands separators (e.g. 1250.50); leave it blank if unknown",
        )
    return parsed


def _parse_date(series, src, column, out, *, fmt="%Y-%m-%d") -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):  # already parsed by the CSV reader
        return _date_range(series, None, src, column, out)
    text = as_text(series)
    # a few hundred distinct dates repeat over millions of rows: parse each once
    codes, uniques = pd.factorize(text)
    parsed_unique = pd.DatetimeIndex(pd.to_datetime(pd.Series(uniques, dtype="str"), format=fmt, errors="coerce"))
    parsed = pd.Series(parsed_unique.take(codes, allow_fill=True, fill_value=pd.NaT), index=series.index)
    bad = text.notna() & parsed.isna()
    if bad.any():
        looks_iso = text[bad].str.match(_ISO_DAY.pattern if fmt == "%Y-%m-%d" else r"^\d{4}-\d{2}$")
        rows = file_rows(series.index[bad])
        impossible = looks_iso.to_numpy(dtype=bool)
        want = "YYYY-MM-DD (e.g. 2026-10-31)" if fmt == "%Y-%m-%d" else "YYYY-MM (e.g. 2026-10)"
        out.add_rows(
            "error",
            src,
            column,
            rows[impossible],
            text[bad][impossible],
            "is not a real calendar date",
            "check the day and month (e.g. February has 28 or 29 days)",
        )
        out.add_rows(
            "error",
            src,
            column,
            rows[~impossible],
            text[bad][~impossible],
            f"is not a date in the form {want}",
            f"write dates as {want}; in Excel format the column as text or as yyyy-mm-dd before exporting",
        )
    return _date_range(parsed, text, src, column, out)


def _date_range(parsed, text, src, column, out) -> pd.Series:
    """Refuse implausible years (typos such as 2206 or 0026); ``text`` is the cell text, if any."""
    low, high = parsed.min(), parsed.max()
    if pd.isna(low) or (low >= pd.Timestamp(DATE_MIN) and high <= pd.Timestamp(DATE_MAX)):
        return parsed.astype("datetime64[ns]")  # the usual case: one pass for min and max
    out_of_range = parsed.notna() & ((parsed < pd.Timestamp(DATE_MIN)) | (parsed > pd.Timestamp(DATE_MAX)))
    if out_of_range.any():
        if text is None:
            text = parsed.dt.strftime("%Y-%m-%d")
        out.add_rows(
            "error",
            src,
            column,
            file_rows(parsed.index[out_of_range]),
            text[out_of_range],
            f"is outside the plausible range {DATE_MIN} to {DATE_MAX}",
            "check the year",
        )
        parsed = parsed.where(~out_of_range)
    return parsed.astype("datetime64[ns]")


def _parse_flag(series, src, column, out) -> pd.Series:
    text = as_text(series).str.lower()
    result = pd.Series(pd.NA, index=series.index, dtype="boolean")
    result[text.isin(_TRUE).to_numpy()] = True
    result[text.isin(_FALSE).to_numpy()] = False
    bad = text.notna() & result.isna()
    if bad.any():
        out.add_rows(
            "error",
            src,
            column,
            file_rows(series.index[bad]),
            text[bad],
            "is not true or false",
            "write true or false (yes/no and 1/0 are also accepted)",
        )
    return result


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows with every cell blank (blank lines, or lines of separators only)."""
    blank = np.ones(len(frame), dtype=bool)
    for name in frame.columns:
        missing = frame[name].isna().to_numpy()
        if not missing.any():  # a column with no blank cell: no row is blank
            return np.zeros(len(frame), dtype=bool)
        blank &= missing
    return blank


def _typed_by_reader(series: pd.Series, kind: str) -> bool:
    """The CSV reader already converted the whole column, so no cell can have failed to parse."""
    if kind in ("number", "integer"):
        return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    return kind == "date" and pd.api.types.is_datetime64_any_dtype(series)


# optional columns whose absence changes the numbers: said once per file, never a silent zero
CONSEQUENCES = {
    "tasks": {
        "percent_complete": "every task counts as 0 % complete, so earned value (EV) is 0 and no progress is scheduled",
        "planned_cost": "no task has a planned cost, so planned and earned value (PV, EV) are 0",
        "baseline_finish": "no task has a baseline finish, so slippage against the baseline cannot be measured",
    },
    "financials": {"actual": "no month has an actual cost, so AC is 0 and CPI and EAC cannot be trusted"},
    "projects": {"budget": "no project has a budget at completion (BAC), so cost variance cannot be measured"},
}


def parse_columns(
    raw: pd.DataFrame, spec: TableSpec, src: Source, out: Collector, enc: Encoder | None = None
) -> tuple[pd.DataFrame, set, dict]:
    """Rename headers, report missing/extra columns, and parse each column to its type.

    Returns the typed frame, the set of required columns that were missing and,
    per column, the rows whose text could not be parsed.
    """
    names = [canonical_header(c) for c in raw.columns]  # by position: raw headers may repeat
    # columns without a header: dropped when empty (trailing separators), named and noted otherwise
    unnamed = [i for i, n in enumerate(names) if not n]
    keep = [i for i in range(len(names)) if i not in unnamed or raw.iloc[:, i].notna().any()]
    for i in unnamed:
        if i in keep:
            names[i] = f"column_{i + 1}"
            out.add(
                "warning",
                src,
                f"column {i + 1} has values but no header; it is kept as '{names[i]}'",
                "give the column a header, or delete it",
                row=1,
                column=names[i],
            )
    if len(keep) < len(names):
        raw = raw.iloc[:, keep]
        names = [names[i] for i in keep]
    dupes = sorted({n for n in names if names.count(n) > 1})
    for name in dupes:
        out.add(
            "error",
            src,
            "the column appears more than once in the header",
            "delete or rename the extra column",
            row=1,
            column=name,
        )
    frame = raw.set_axis(names, axis=1)  # no copy: the input is never modified
    if dupes:
        frame = frame.loc[:, ~pd.Index(names).duplicated()]
    blank_rows = _blank_rows(frame)
    if blank_rows.any():
        frame = frame[~blank_rows]
    src.rows = len(frame)

    missing = [c for c in spec.required_columns if c not in frame.columns]
    for name in missing:
        desc = spec.columns[name].description
        out.add(
            "error",
            src,
            "a required column is missing",
            f"add a column headed '{name}' ({desc})",
            row=1,
            column=name,
        )
    for name, consequence in CONSEQUENCES.get(spec.name, {}).items():
        if name not in frame.columns and len(frame):
            out.add(
                "warning",
                src,
                f"there is no {name} column: {consequence}",
                f"add a column headed '{name}' ({spec.columns[name].description})",
                row=1,
                column=name,
            )
    extra = [c for c in frame.columns if c not in spec.columns]
    if extra:
        out.add(
            "note",
            src,
            f"extra column(s) kept but not used by the data model: {', '.join(extra)}",
            "nothing to do; rename them if they were meant to be one of the standard columns",
        )
    decimal = "," if src.delimiter == ";" else "."
    typed = {}
    for name, col in spec.columns.items():
        kind = col.metadata["kind"]
        if name not in frame.columns:
            typed[name] = empty_column(kind, len(frame), frame.index)
            continue
        s = frame[name]
        if kind in ("number", "integer"):
            v = _parse_number(s, src, name, out, decimal=decimal)
            if kind == "integer":
                fractional = v.notna() & (v % 1 != 0)
                if fractional.any():
                    out.add_rows(
                        "error",
                        src,
                        name,
                        file_rows(s.index[fractional]),
                        v[fractional],
                        "must be a whole number",
                        "enter a whole number",
                    )
                v = v.where(~fractional).astype("Int64")
            typed[name] = v
        elif kind == "date":
            typed[name] = _parse_date(s, src, name, out)
        elif kind == "month":
            typed[name] = _parse_date(s, src, name, out, fmt="%Y-%m")
        elif kind == "flag":
            typed[name] = _parse_flag(s, src, name, out)
        elif kind == "text":
            typed[name] = as_text(s, strip=False)
        elif (
            kind == "id" and enc is not None and getattr(s.dtype, "storage", None) == "pyarrow" and spec.key != (name,)
        ):
            # codes that repeat: clean the distinct values and keep the codes for keys and links
            typed[name], codes = clean_and_encode(s)
            enc.put(spec.name, name, codes)
        else:  # fixed lists, a table's own key (values rarely repeat), text from a workbook
            typed[name] = as_text(s)
    for name in extra:
        typed[name] = frame[name]
    result = pd.DataFrame(typed, index=frame.index)
    # cells that held text which did not parse were reported already; a later
    # "is blank but required" for them would only repeat the finding
    unparsed = {
        name: frame.index[frame[name].notna() & result[name].isna()]
        for name, col in spec.columns.items()
        if name in frame.columns
        and col.metadata["kind"] in _CAN_FAIL
        and not _typed_by_reader(frame[name], col.metadata["kind"])
    }
    for name, value in spec.defaults.items():
        result[name] = result[name].fillna(value)
    return result, set(missing), unparsed


def empty_column(kind: str, n: int, index) -> pd.Series:
    dtype = {
        "number": "float64",
        "integer": "Int64",
        "date": "datetime64[ns]",
        "month": "datetime64[ns]",
        "flag": "boolean",
    }.get(kind, "str")
    fill = {"float64": np.nan, "datetime64[ns]": pd.NaT, "str": None}.get(dtype, pd.NA)
    return pd.Series([fill] * n, index=index, dtype=dtype)
