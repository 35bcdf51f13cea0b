"""Read a portfolio dataset, check it against the data model, and hand back a `Portfolio`.

A dataset is a folder with one CSV per table (``projects.csv``, ``tasks.csv``, ...)
or one ``.xlsx`` workbook with one sheet per table. ``projects`` is required;
any other table may be absent and is then an empty, correctly typed frame.

Every problem is collected in one pass as a :class:`~pmo_lib.errors.Finding`
(file, row as the user sees it, column, value, what is wrong, how to fix it).
:func:`validate` returns them; :func:`load_portfolio` raises one
:class:`~pmo_lib.errors.DataError` carrying them all when any is an error.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .errors import DataError, Finding
from .schemas import DATE_MAX, DATE_MIN, STAGES, TABLE_NAMES, TABLES, TableSpec

MAX_FINDINGS_PER_KIND = 200  # per table, column and problem; the rest are counted
MAX_XLSX_UNCOMPRESSED = 500 * 1024 * 1024  # guard against zip bombs in workbooks
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0"}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Source:
    """Where a table came from and how it was read."""

    table: str
    label: str  # what the user sees: tasks.csv or plan.xlsx[tasks]
    path: Path
    encoding: str = ""
    delimiter: str = ","
    rows: int = 0


@dataclass
class Portfolio:
    """The tables of one dataset, typed and checked.

    Each attribute is a DataFrame with the canonical columns of the data model
    (see ``datasets/README.md``): ids and text as strings, dates as
    ``datetime64``, money/effort as floats, fixed lists as categoricals.
    """

    projects: pd.DataFrame
    tasks: pd.DataFrame
    dependencies: pd.DataFrame
    resources: pd.DataFrame
    assignments: pd.DataFrame
    timesheets: pd.DataFrame
    financials: pd.DataFrame
    risks: pd.DataFrame
    issues: pd.DataFrame
    changes: pd.DataFrame
    status_updates: pd.DataFrame
    calendars: pd.DataFrame
    leave: pd.DataFrame
    path: Path | None = None
    findings: list[Finding] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(f"unknown table {name!r}; tables are: {', '.join(TABLE_NAMES)}")
        return getattr(self, name)

    def summary(self) -> pd.DataFrame:
        """One row per table: rows, columns, and the file it came from."""
        rows = []
        for name in TABLE_NAMES:
            src = self.sources.get(name)
            frame = self.table(name)
            rows.append(
                {
                    "table": name,
                    "rows": len(frame),
                    "columns": frame.shape[1],
                    "file": src.label if src else "(absent)",
                    "encoding": src.encoding if src else "",
                }
            )
        return pd.DataFrame(rows)

    @property
    def portfolios(self) -> list[str]:
        return sorted(self.projects["portfolio"].dropna().unique().tolist())


@dataclass
class ValidationResult:
    """What :func:`validate` found: the findings, and the portfolio when it loaded."""

    path: Path
    findings: list[Finding]
    sources: dict[str, Source]
    portfolio: Portfolio | None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def findings_frame(self) -> pd.DataFrame:
        cols = ["severity", "table", "file", "row", "column", "value", "problem", "fix"]
        return pd.DataFrame([f.as_dict() for f in self.findings], columns=cols)


class _Collector:
    """Collects findings, keeping at most MAX_FINDINGS_PER_KIND of each kind."""

    def __init__(self):
        self.findings: list[Finding] = []
        self._counts: dict[tuple, int] = {}

    def add(self, severity, src: Source | None, problem, fix, *, row=None, column=None, value=None, table=None):
        table = table if table is not None else (src.table if src else "")
        label = src.label if src else table
        self.findings.append(Finding(severity, table, label, row, column, value, problem, fix))

    def add_rows(self, severity, src: Source, column, rows, values, problem, fix):
        """Add one finding per offending row (vectorised inputs), capped per kind."""
        rows = np.asarray(rows)
        if rows.size == 0:
            return
        kind = (src.label, column, problem)
        seen = self._counts.get(kind, 0)
        room = max(MAX_FINDINGS_PER_KIND - seen, 0)
        values = list(values)
        for r, v in zip(rows[:room].tolist(), values[:room], strict=False):
            self.add(severity, src, problem, fix, row=int(r), column=column, value=_show(v))
        self._counts[kind] = seen + rows.size
        if rows.size > room:
            self.add(
                severity,
                src,
                f"{rows.size - room} more row(s) with the same problem: {problem}",
                fix,
                column=column,
            )


def _show(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _file_rows(index: pd.Index) -> np.ndarray:
    """Row numbers as the user sees them in a file or sheet (header is row 1)."""
    return np.asarray(index, dtype=np.int64) + 2


def canonical_header(name: object) -> str:
    """Map a raw header onto the canonical snake_case name ('Project ID' → 'project_id')."""
    text = str(name).strip().lstrip("\ufeff").lower()
    text = re.sub(r"[\s\-./]+", "_", text)
    return text.strip("_")


# --------------------------------------------------------------------------- reading


def _detect_encoding(head: bytes) -> str | None:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in head:
        return None
    return "utf-8"


def _detect_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


def _ragged_rows(text: str, delimiter: str) -> list[tuple[int, int, int]]:
    """(line, fields found, fields expected) for each row with too many fields."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, [])
    bad = []
    for record in reader:
        if len(record) > len(header):
            bad.append((reader.line_num, len(record), len(header)))
    return bad


def _read_csv(path: Path, spec: TableSpec | None, table: str, out: _Collector) -> tuple[pd.DataFrame | None, Source]:
    src = Source(table=table, label=path.name, path=path)
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        out.add("error", src, "the file is empty", f"export the {table} table with a header row, or delete the file")
        return None, src
    if head.startswith(b"PK\x03\x04"):
        out.add(
            "error",
            src,
            "this is an Excel workbook saved under a .csv name",
            "save it as 'CSV UTF-8 (comma delimited)' or rename it to .xlsx",
        )
        return None, src
    encoding = _detect_encoding(head)
    if encoding is None:
        out.add("error", src, "the file is binary, not text", "export the table as 'CSV UTF-8' from your spreadsheet")
        return None, src

    def decode_head(enc):
        return head.decode(enc, errors="ignore")

    first_line = decode_head(encoding).splitlines()[0] if decode_head(encoding) else ""
    delimiter = _detect_delimiter(first_line)
    decimal = "," if delimiter == ";" else "."
    raw_headers = next(csv.reader([first_line], delimiter=delimiter), [])
    text_cols = []
    for h in raw_headers:
        col = spec.columns.get(canonical_header(h)) if spec else None
        if col is None or col.metadata["kind"] not in ("number", "integer"):
            text_cols.append(h)
    kwargs = dict(
        sep=delimiter,
        decimal=decimal,
        dtype={h: str for h in text_cols},
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
    )
    tried = [encoding] + (["cp1252"] if encoding == "utf-8" else [])
    frame = None
    for enc in tried:
        try:
            frame = pd.read_csv(path, encoding=enc, **kwargs)
            encoding = enc
            break
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            out.add("error", src, "the file is empty", f"export the {table} table with a header row")
            return None, src
        except pd.errors.ParserError:
            text = path.read_bytes().decode(enc, errors="replace")
            ragged = _ragged_rows(text, delimiter)
            for line, found, expected in ragged:
                out.add(
                    "error",
                    src,
                    f"the row has {found} values but the header has {expected} columns",
                    "remove the extra separators or put text containing the separator in double quotes",
                    row=line,
                )
            width = len(raw_headers)
            frame = pd.read_csv(
                io.StringIO(text), engine="python", on_bad_lines=lambda bad: bad[:width], **kwargs
            )
            # a ragged row's values sit under the wrong headers: reported once, not checked further
            frame = frame.drop(index=[line - 2 for line, _, _ in ragged], errors="ignore")
            encoding = enc
            break
    if frame is None:
        out.add(
            "error",
            src,
            "the file is neither UTF-8 nor Windows-1252 text",
            "open it in your spreadsheet and save it as 'CSV UTF-8 (comma delimited)'",
        )
        return None, src
    src.encoding = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252", "utf-16": "UTF-16"}[
        encoding
    ]
    src.delimiter = delimiter
    if encoding == "cp1252":
        out.add(
            "note",
            src,
            "read as Windows-1252 (not UTF-8), the default of older Excel CSV exports",
            "nothing to do; saving as 'CSV UTF-8' avoids this note",
        )
    if delimiter != ",":
        name = {";": "semicolons", "\t": "tabs"}[delimiter]
        extra = " and decimal commas" if decimal == "," else ""
        out.add("note", src, f"read with {name} as separator{extra}", "nothing to do")
    return frame, src


def _xlsx_cell(value: object) -> object:
    """Turn an Excel cell into the text a CSV export would hold."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp | np.datetime64) or hasattr(value, "strftime"):
        ts = pd.Timestamp(value)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_workbook(path: Path, out: _Collector) -> dict[str, tuple[pd.DataFrame | None, Source]]:
    wb_src = Source(table="", label=path.name, path=path)
    try:
        with zipfile.ZipFile(path) as zf:
            size = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        out.add("error", wb_src, "the file is not a valid .xlsx workbook", "open it in Excel and save it as .xlsx")
        return {}
    if size > MAX_XLSX_UNCOMPRESSED:
        out.add(
            "error",
            wb_src,
            f"the workbook unpacks to {size / 1e6:.0f} MB, over the {MAX_XLSX_UNCOMPRESSED / 1e6:.0f} MB limit",
            "split the workbook or export the tables as CSV files",
        )
        return {}
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl", header=0)
    except Exception as exc:  # openpyxl raises many types for damaged files
        out.add("error", wb_src, f"the workbook could not be read ({exc})", "open it in Excel and save it again")
        return {}
    tables = {}
    for sheet, frame in sheets.items():
        name = canonical_header(sheet)
        src = Source(table=name, label=f"{path.name}[{sheet}]", path=path, encoding="xlsx")
        if name not in TABLES:
            out.add("note", src, f"sheet '{sheet}' is not a PMO Lab table and was ignored", "nothing to do", table="")
            continue
        frame = frame.rename(columns=lambda c: str(c))
        frame = frame.map(_xlsx_cell).astype(object)
        tables[name] = (frame, src)
    return tables


def _read_folder(path: Path, out: _Collector) -> dict[str, tuple[pd.DataFrame | None, Source]]:
    tables = {}
    for file in sorted(path.iterdir()):
        if file.suffix.lower() != ".csv":
            continue
        name = canonical_header(file.stem)
        if name not in TABLES:
            src = Source(table="", label=file.name, path=file)
            out.add("note", src, f"'{file.name}' is not a PMO Lab table and was ignored", "nothing to do")
            continue
        tables[name] = _read_csv(file, TABLES[name], name, out)
    return tables


# --------------------------------------------------------------------------- parsing


def _as_text(series: pd.Series) -> pd.Series:
    """Strings with surrounding blanks removed and empty cells as missing."""
    if not (pd.api.types.is_string_dtype(series) or series.dtype == object):
        series = series.astype(object).where(series.notna(), None)
    text = series.astype("str").str.strip()
    return text.where(text != "", None).astype("str")


def _parse_number(series, src, column, out, *, decimal=".") -> pd.Series:
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.astype("float64")
    text = _as_text(series)
    cleaned = text.str.replace(",", ".", regex=False) if decimal == "," else text
    parsed = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    bad = text.notna() & parsed.isna()
    if bad.any():
        out.add_rows(
            "error",
            src,
            column,
            _file_rows(series.index[bad]),
            text[bad],
            "is not a number",
            "enter a plain number without units, currency symbols or thousands separators (e.g. 1250.50); leave it blank if unknown",
        )
    return parsed


def _parse_date(series, src, column, out, *, fmt="%Y-%m-%d") -> pd.Series:
    text = _as_text(series)
    parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    bad = text.notna() & parsed.isna()
    if bad.any():
        looks_iso = text[bad].str.match(_ISO_DAY.pattern if fmt == "%Y-%m-%d" else r"^\d{4}-\d{2}$")
        rows = _file_rows(series.index[bad])
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
    out_of_range = parsed.notna() & ((parsed < pd.Timestamp(DATE_MIN)) | (parsed > pd.Timestamp(DATE_MAX)))
    if out_of_range.any():
        out.add_rows(
            "error",
            src,
            column,
            _file_rows(series.index[out_of_range]),
            text[out_of_range],
            f"is outside the plausible range {DATE_MIN} to {DATE_MAX}",
            "check the year",
        )
        parsed = parsed.where(~out_of_range)
    return parsed.astype("datetime64[ns]")


def _parse_flag(series, src, column, out) -> pd.Series:
    text = _as_text(series).str.lower()
    result = pd.Series(pd.NA, index=series.index, dtype="boolean")
    result[text.isin(_TRUE).to_numpy()] = True
    result[text.isin(_FALSE).to_numpy()] = False
    bad = text.notna() & result.isna()
    if bad.any():
        out.add_rows(
            "error",
            src,
            column,
            _file_rows(series.index[bad]),
            text[bad],
            "is not true or false",
            "write true or false (yes/no and 1/0 are also accepted)",
        )
    return result


def _parse_columns(raw: pd.DataFrame, spec: TableSpec, src: Source, out: _Collector) -> tuple[pd.DataFrame, set]:
    """Rename headers, report missing/extra columns, and parse each column to its type.

    Returns the typed frame, the set of required columns that were missing and,
    per column, the rows whose text could not be parsed.
    """
    renamed = {c: canonical_header(c) for c in raw.columns}
    names = list(renamed.values())
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
    frame = raw.copy()
    frame.columns = names
    frame = frame.loc[:, ~pd.Index(names).duplicated()]
    blank_rows = frame.isna().all(axis=1)
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
            typed[name] = _empty(kind, len(frame), frame.index)
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
                        _file_rows(s.index[fractional]),
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
            typed[name] = _as_text(s) if s.dtype != "str" else s.where(s.str.strip() != "", None)
        else:  # id, category
            typed[name] = _as_text(s)
    for name in extra:
        typed[name] = frame[name]
    result = pd.DataFrame(typed, index=frame.index)
    # cells that held text which did not parse were reported already; a later
    # "is blank but required" for them would only repeat the finding
    unparsed = {
        name: frame.index[frame[name].notna() & result[name].isna()]
        for name in spec.columns
        if name in frame.columns
    }
    for name, value in spec.defaults.items():
        result[name] = result[name].fillna(value)
    return result, set(missing), unparsed


def _empty(kind: str, n: int, index) -> pd.Series:
    dtype = {
        "number": "float64",
        "integer": "Int64",
        "date": "datetime64[ns]",
        "month": "datetime64[ns]",
        "flag": "boolean",
    }.get(kind, "str")
    fill = {"float64": np.nan, "datetime64[ns]": pd.NaT, "str": None}.get(dtype, pd.NA)
    return pd.Series([fill] * n, index=index, dtype=dtype)


def empty_table(name: str) -> pd.DataFrame:
    """An empty frame with the canonical columns and types of table ``name``."""
    spec = TABLES[name]
    frame = pd.DataFrame({c: _empty(col.metadata["kind"], 0, pd.RangeIndex(0)) for c, col in spec.columns.items()})
    return _finish(frame, spec)


# --------------------------------------------------------------------------- checks


def _check_schema(
    frame: pd.DataFrame, spec: TableSpec, src: Source, skip: set, unparsed: dict, out: _Collector
) -> None:
    """Run the pandera schema (ranges, allowed values, blanks) and turn failures into findings."""
    try:
        spec.schema.validate(frame, lazy=True)
        return
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    cases = cases[cases["index"].notna() & ~cases["column"].isin(skip)]
    for (column, check), group in cases.groupby(["column", "check"], sort=False):
        if check == "not_nullable" and column in unparsed:
            group = group[~group["index"].isin(unparsed[column])]
        col = spec.columns[column]
        problem, fix = _describe_check(str(check), col)
        out.add_rows("error", src, column, _file_rows(group["index"].astype("int64")), group["failure_case"], problem, fix)


def _describe_check(check: str, col: pa.Column) -> tuple[str, str]:
    unit = col.metadata.get("unit", "")
    unit = f" [{unit}]" if unit else ""
    if check == "not_nullable":
        return "is blank but required", f"fill it in: {col.description}"
    for c in col.checks:
        stats = c.statistics or {}
        if c.name == "isin" and check.startswith("isin"):
            values = ", ".join(map(str, stats["allowed_values"]))
            return "is not one of the allowed values", f"use one of: {values} (spelled exactly as shown)"
        if c.name == "in_range" and check.startswith("in_range"):
            lo, hi = stats["min_value"], stats["max_value"]
            return f"is outside the allowed range {lo} to {hi}{unit}", f"enter a value between {lo} and {hi}"
        if c.name == "greater_than_or_equal_to" and check.startswith("greater_than_or_equal_to"):
            lo = stats["min_value"]
            if lo == 0:
                return f"is negative{unit}", "enter zero or a positive number"
            return f"is below the minimum {lo}{unit}", f"enter {lo} or more"
    return f"failed the check {check}", "correct the value"


def _check_keys(frame: pd.DataFrame, spec: TableSpec, src: Source, skip: set, out: _Collector) -> None:
    key = list(spec.key)
    if skip & set(key) or frame.empty:
        return
    dup = frame.duplicated(key, keep="first")
    if not dup.any():
        return
    first_row = pd.Series(frame.index, index=frame.index).groupby(
        [frame[k] for k in key], dropna=False, sort=False
    ).transform("first")
    rows = _file_rows(frame.index[dup])
    firsts = _file_rows(first_row[dup].to_numpy())
    values = frame.loc[dup, key].astype(str).agg(" / ".join, axis=1)
    label = " + ".join(key)
    for (row, first), value in zip(zip(rows, firsts, strict=True), values, strict=True):
        out.add(
            "error",
            src,
            f"duplicate {label}: the same key is already on row {first}",
            "remove the duplicate row or give it its own key",
            row=int(row),
            column=key[-1],
            value=value,
        )


def _check_date_order(frame: pd.DataFrame, spec: TableSpec, src: Source, out: _Collector) -> None:
    for start, finish in spec.date_order:
        bad = frame[start].notna() & frame[finish].notna() & (frame[finish] < frame[start])
        if bad.any():
            starts = frame.loc[bad, start].dt.strftime("%Y-%m-%d")
            out.add_rows(
                "error",
                src,
                finish,
                _file_rows(frame.index[bad]),
                frame.loc[bad, finish].dt.strftime("%Y-%m-%d") + " (before " + start + " " + starts + ")",
                f"{finish} is before {start}",
                f"check both dates; {finish} must be on or after {start}",
            )


def _check_table_rules(name: str, frame: pd.DataFrame, src: Source, out: _Collector) -> None:
    """Rules that relate columns of one table to each other."""
    if frame.empty:
        return
    if name == "tasks":
        o, m, p = frame["optimistic_days"], frame["most_likely_days"], frame["pessimistic_days"]
        bad = o.notna() & m.notna() & p.notna() & ((o > m) | (m > p))
        out.add_rows(
            "error",
            src,
            "most_likely_days",
            _file_rows(frame.index[bad]),
            o[bad].astype(str) + " / " + m[bad].astype(str) + " / " + p[bad].astype(str),
            "three-point estimate is out of order (optimistic / most likely / pessimistic)",
            "make optimistic <= most likely <= pessimistic",
        )
        bad = frame["actual_finish"].notna() & frame["actual_start"].isna()
        out.add_rows(
            "error",
            src,
            "actual_start",
            _file_rows(frame.index[bad]),
            [""] * int(bad.sum()),
            "the task has an actual finish but no actual start",
            "enter the date the task actually started",
        )
        bad = frame["is_milestone"].fillna(False).astype(bool) & (frame["duration_days"] > 0)
        out.add_rows(
            "warning",
            src,
            "duration_days",
            _file_rows(frame.index[bad]),
            frame.loc[bad, "duration_days"],
            "a milestone should have zero duration",
            "set duration_days to 0 or is_milestone to false",
        )
    elif name == "dependencies":
        bad = frame["predecessor_id"] == frame["successor_id"]
        bad = bad.fillna(False).astype(bool)
        out.add_rows(
            "error",
            src,
            "successor_id",
            _file_rows(frame.index[bad]),
            frame.loc[bad, "successor_id"],
            "a task cannot depend on itself",
            "correct the predecessor or successor",
        )
    elif name == "assignments":
        bad = frame["resource_id"].isna() & frame["role"].isna()
        out.add_rows(
            "error",
            src,
            "role",
            _file_rows(frame.index[bad]),
            [""] * int(bad.sum()),
            "the assignment names neither a person (resource_id) nor a role",
            "fill in resource_id for a named person or role for an unnamed demand",
        )
    elif name == "timesheets":
        bad = frame["week_start"].notna() & (frame["week_start"].dt.day_of_week != 0)
        out.add_rows(
            "warning",
            src,
            "week_start",
            _file_rows(frame.index[bad]),
            frame.loc[bad, "week_start"],
            "week_start is not a Monday",
            "use the Monday of the week the hours were worked",
        )


def _key_index(frame: pd.DataFrame, columns) -> pd.Index:
    if len(columns) == 1:
        return pd.Index(frame[columns[0]])
    return pd.MultiIndex.from_frame(frame[list(columns)])


def _check_foreign_keys(tables, sources, broken: dict[str, set], out: _Collector) -> None:
    for name, frame in tables.items():
        spec = TABLES[name]
        failed: dict[tuple, pd.Index] = {}  # rows already reported for a shorter key (e.g. unknown project)
        for fk in spec.foreign_keys:
            if broken.get(name, set()) & set(fk.columns) or frame.empty:
                continue
            if broken.get(fk.table, set()) & set(fk.ref_columns):
                continue  # the referenced table is unreadable or lacks its key: reported already
            check = frame[fk.columns[-1]].notna()
            if not check.any():
                continue
            ref = tables.get(fk.table)
            if ref is None:
                if not TABLES[fk.table].required_table:  # a missing projects table is reported once
                    out.add(
                        fk.severity,
                        sources[name],
                        f"{int(check.sum())} row(s) refer to {fk.table} ({', '.join(fk.ref_columns)}) "
                        f"but there is no {fk.table} table",
                        f"add {fk.table}.csv (or a '{fk.table}' sheet), or leave {fk.columns[-1]} blank",
                        column=fk.columns[-1],
                    )
                continue
            sub = frame[check]
            if fk.columns[:-1] in failed:
                sub = sub[~sub.index.isin(failed[fk.columns[:-1]])]
            known = _key_index(ref, fk.ref_columns)
            found = _key_index(sub, fk.columns).isin(known)
            if found.all():
                continue
            bad = sub[~found]
            failed[fk.columns] = bad.index
            ref_label = sources[fk.table].label if fk.table in sources else f"{fk.table} (absent)"
            what = " + ".join(fk.columns)
            if len(fk.columns) == 1:
                values = bad[fk.columns[0]]
                problem = f"refers to a {fk.ref_columns[0]} that is not in {ref_label}"
            else:
                values = bad[list(fk.columns)].astype(str).agg(" / ".join, axis=1)
                problem = f"refers to {what} that is not in {ref_label}"
            out.add_rows(
                fk.severity,
                sources[name],
                fk.columns[-1],
                _file_rows(bad.index),
                values,
                problem,
                f"correct the code or add the missing row to {ref_label}",
            )


def _check_cycles(deps: pd.DataFrame, src: Source, out: _Collector) -> None:
    """Find dependency loops with a vectorised topological sort (Kahn's algorithm).

    Nodes whose in-degree never reaches zero lie on a loop or after one; only
    for those does a short walk name the tasks of each loop.
    """
    deps = deps[deps["predecessor_id"].notna() & deps["successor_id"].notna()]
    deps = deps[deps["predecessor_id"] != deps["successor_id"]]
    if deps.empty:
        return
    pred_key = deps["project_id"].astype(str) + "\x1f" + deps["predecessor_id"].astype(str)
    succ_key = deps["project_id"].astype(str) + "\x1f" + deps["successor_id"].astype(str)
    codes, names = pd.factorize(pd.concat([pred_key, succ_key], ignore_index=True))
    m = len(deps)
    pred, succ = codes[:m], codes[m:]
    n = len(names)
    left = topological_leftovers(pred, succ, n)
    if not left.any():
        return
    rows = _file_rows(deps.index)
    edge_left = left[pred] & left[succ]
    preds_of: dict[int, list[tuple[int, int]]] = {}
    for p, s, r in zip(pred[edge_left], succ[edge_left], rows[edge_left], strict=True):
        preds_of.setdefault(int(s), []).append((int(p), int(r)))
    reported: set[frozenset] = set()
    for start in np.flatnonzero(left):
        path, seen, node = [], {}, int(start)
        while node not in seen:
            seen[node] = len(path)
            path.append(node)
            node = preds_of[node][0][0]
        loop = path[seen[node] :]
        key = frozenset(loop)
        if key in reported:
            continue
        reported.add(key)
        loop = list(reversed(loop))  # predecessor → successor order
        tasks = [names[i].split("\x1f", 1)[1] for i in loop]
        project = names[loop[0]].split("\x1f", 1)[0]
        row = min(r for p, r in preds_of[loop[0]] if p == loop[-1])
        chain = " → ".join([*tasks, tasks[0]])
        out.add(
            "error",
            src,
            f"dependency loop in project {project}: {chain}",
            "a task cannot (indirectly) wait for itself; remove or reverse one of these links",
            row=row,
            column="successor_id",
            value=chain,
        )


def topological_leftovers(pred: np.ndarray, succ: np.ndarray, n: int) -> np.ndarray:
    """Boolean mask of nodes that a topological sort cannot place (on or after a loop).

    Kahn's algorithm, one numpy step per level of the network: links are held
    in CSR form (sorted by predecessor), so each step touches only the links
    leaving the current frontier.
    """
    order = np.argsort(pred, kind="stable")
    succ_sorted = succ[order]
    starts = np.searchsorted(pred[order], np.arange(n + 1))
    indeg = np.bincount(succ, minlength=n)
    placed = np.zeros(n, dtype=bool)
    frontier = np.flatnonzero(indeg == 0)
    while frontier.size:
        placed[frontier] = True
        counts = starts[frontier + 1] - starts[frontier]
        total = int(counts.sum())
        if total == 0:
            break
        offsets = np.repeat(starts[frontier] - np.cumsum(counts) + counts, counts) + np.arange(total)
        targets = succ_sorted[offsets]
        indeg -= np.bincount(targets, minlength=n)
        touched = np.unique(targets)
        frontier = touched[indeg[touched] == 0]
    return ~placed


# --------------------------------------------------------------------------- assembling


def _finish(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Final dtypes: categoricals for fixed lists (stage ordered by lifecycle)."""
    frame = frame.reset_index(drop=True)
    for name, col in spec.columns.items():
        if col.metadata["kind"] == "category":
            values = col.checks[0].statistics["allowed_values"]
            frame[name] = pd.Categorical(frame[name], categories=values, ordered=values == list(STAGES))
    return frame


def validate(path: str | Path) -> ValidationResult:
    """Read and check a dataset; never raises for bad data.

    Parameters
    ----------
    path
        A folder of CSV files (one per table) or an ``.xlsx`` workbook (one sheet
        per table).

    Returns
    -------
    ValidationResult
        All findings (errors, warnings, notes) and, when there is no error, the
        loaded :class:`Portfolio`.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no dataset at {path}")
    out = _Collector()
    if path.is_dir():
        raw = _read_folder(path, out)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        raw = _read_workbook(path, out)
    else:
        raise ValueError(f"{path} is neither a folder of CSV files nor an .xlsx workbook")

    sources = {name: raw[name][1] for name in TABLE_NAMES if name in raw}
    unreadable_book = path.is_file() and not raw and any(f.severity == "error" for f in out.findings)
    if "projects" not in raw and not unreadable_book:
        where = "sheet" if path.is_file() else "file"
        out.add(
            "error",
            None,
            f"the required projects table is missing (no projects {where})",
            "add projects.csv (or a 'projects' sheet) with one row per project",
            table="projects",
        )
    tables: dict[str, pd.DataFrame] = {}
    broken: dict[str, set] = {}
    for name in TABLE_NAMES:
        if name not in raw:
            continue
        frame, src = raw[name]
        if frame is None:
            broken[name] = set(TABLES[name].columns)
            continue
        spec = TABLES[name]
        typed, missing, unparsed = _parse_columns(frame, spec, src, out)
        _check_schema(typed, spec, src, missing, unparsed, out)
        _check_keys(typed, spec, src, missing, out)
        _check_date_order(typed, spec, src, out)
        _check_table_rules(name, typed, src, out)
        tables[name] = typed
        broken[name] = missing
    _check_foreign_keys(tables, sources, broken, out)
    if "dependencies" in tables and not broken["dependencies"]:
        _check_cycles(tables["dependencies"], sources["dependencies"], out)

    result = ValidationResult(path=path, findings=out.findings, sources=sources, portfolio=None)
    if result.ok:
        frames = {
            name: _finish(tables[name], TABLES[name]) if name in tables else empty_table(name) for name in TABLE_NAMES
        }
        result.portfolio = Portfolio(**frames, path=path, findings=out.findings, sources=sources)
    return result


def load_portfolio(path: str | Path) -> Portfolio:
    """Load a dataset into a :class:`Portfolio`, raising one `DataError` listing every problem.

    Parameters
    ----------
    path
        A folder of CSV files or an ``.xlsx`` workbook.

    Raises
    ------
    DataError
        When any finding is an error; ``exc.findings`` holds them all.
    FileNotFoundError
        When ``path`` does not exist.
    """
    result = validate(path)
    if not result.ok:
        raise DataError(result.findings, source=str(path))
    return result.portfolio
