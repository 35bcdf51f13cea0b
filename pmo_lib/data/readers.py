"""Reading raw tables: CSV files (with pyarrow, columnar) and ``.xlsx`` workbooks.

Readers hand back one DataFrame per table whose index is the row's position
in the file minus two, so ``index + 2`` is always the row number the user sees
in a spreadsheet (header = row 1), even when blank or broken rows were
skipped. Columns come typed where the data allow it (numbers as floats, ISO
dates as datetimes, everything else as text); a column whose values do not
all convert is read as text, and the parsers report the offending cells.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..schemas import TABLES, TableSpec
from .findings import Collector, Source, canonical_header

MAX_XLSX_UNCOMPRESSED = 500 * 1024 * 1024  # guard against zip bombs in workbooks
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252", "utf-16": "UTF-16"}
_ARROW_TYPES = {"number": pa.float64(), "integer": pa.float64(), "date": pa.date32()}
_CONVERSION = re.compile(r"In CSV column #(\d+): CSV conversion error")

Raw = dict[str, tuple[pd.DataFrame | None, Source]]


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


def _header(head: bytes, encoding: str, delimiter: str | None = None) -> tuple[list[str], str]:
    text = head.decode("utf-8-sig" if encoding.startswith("utf-8") else encoding, errors="replace")
    first = text.splitlines()[0] if text else ""
    delimiter = delimiter or _detect_delimiter(first)
    return next(csv.reader([first], delimiter=delimiter), []), delimiter


def _arrow_read(path: Path, encoding: str, delimiter: str, types: dict, threads: bool, bad: list):
    def on_bad_row(row):
        bad.append((row.number, row.actual_columns, row.expected_columns, row.text))
        return "skip"

    return pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(
            use_threads=threads, encoding="utf8" if encoding.startswith("utf-8") else encoding
        ),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False, invalid_row_handler=on_bad_row),
        convert_options=pacsv.ConvertOptions(
            column_types=types,
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            decimal_point="," if delimiter == ";" else ".",
        ),
    )


def _arrow_type(spec: TableSpec | None, column: str) -> pa.DataType:
    """How the CSV reader types a column: numbers and ISO dates while reading, the rest as text."""
    col = spec.columns.get(column) if spec else None
    return _ARROW_TYPES.get(col.metadata["kind"], pa.string()) if col is not None else pa.string()


def _lines(n_rows: int, skipped: list[int]) -> np.ndarray:
    """File line of each table row, given the lines of rows that were skipped."""
    rows = np.arange(n_rows)
    if not skipped:
        return rows + 2
    skipped = np.sort(np.asarray(skipped, dtype=np.int64))
    # the j-th skipped line would have been row (line - 2 - j); rows at or after it move down one line
    shift = np.searchsorted(skipped - 2 - np.arange(skipped.size), rows, side="right")
    return rows + 2 + shift


def read_csv(path: Path, spec: TableSpec | None, table: str, out: Collector) -> tuple[pd.DataFrame | None, Source]:
    """Read one CSV table; report unreadable files and broken rows as findings."""
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
    headers, delimiter = _header(head, encoding)
    types = {h: _arrow_type(spec, canonical_header(h)) for h in headers}

    table_, bad = None, []
    for enc in [encoding] + (["cp1252"] if encoding == "utf-8" else []):
        for _ in range(len(headers) + 1):
            bad = []
            try:
                table_ = _arrow_read(path, enc, delimiter, types, True, bad)
                break
            except pa.ArrowInvalid as exc:
                message = str(exc)
                hit = _CONVERSION.search(message)
                if hit and "UTF8" not in message and int(hit.group(1)) < len(headers):
                    # a value that does not convert: read the column as text; the parsers say which cells
                    types[headers[int(hit.group(1))]] = pa.string()
                    continue
                if "UTF8" in message or "utf8" in message.lower():
                    break  # try the next encoding
                out.add(
                    "error", src, f"the file could not be read as CSV ({message})", "export it again as 'CSV UTF-8'"
                )
                return None, src
            except UnicodeDecodeError:
                break
        if table_ is not None:
            encoding = enc
            break
    if table_ is None:
        out.add(
            "error",
            src,
            "the file is neither UTF-8 nor Windows-1252 text",
            "open it in your spreadsheet and save it as 'CSV UTF-8 (comma delimited)'",
        )
        return None, src
    if bad:  # line numbers are only known from a single-threaded read
        bad = []
        table_ = _arrow_read(path, encoding, delimiter, types, False, bad)
        header, _ = _header(path.read_bytes()[:65536], encoding, delimiter)
        names = [canonical_header(h) for h in header]
        for line, found, expected, text in bad:
            if spec is not None:
                src.dropped_keys.add(_key_of(text, names, spec, delimiter))
            out.add(
                "error",
                src,
                f"the row has {found} values but the header has {expected} columns",
                "remove the extra separators, fill in the missing ones, or put text containing the separator in double quotes",
                row=line,
            )
    frame = table_.to_pandas(date_as_object=False)
    skipped = [b[0] for b in bad if b[0] is not None]
    # index + 2 is the row number seen in a spreadsheet (header = row 1)
    frame.index = pd.Index(_lines(len(frame), skipped) - 2) if skipped else pd.RangeIndex(len(frame))
    src.encoding = ENCODING_NAMES[encoding]
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
        extra = " and decimal commas" if delimiter == ";" else ""
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


def read_workbook(path: Path, out: Collector) -> Raw:
    """Read every sheet named after a table; other sheets are noted and ignored."""
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
        # header=None keeps a repeated header name as it is (the checks name it); row 1 is the header
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl", header=None)
    except Exception as exc:  # openpyxl raises many types for damaged files
        out.add("error", wb_src, f"the workbook could not be read ({exc})", "open it in Excel and save it again")
        return {}
    uncached = _formulas_without_values(path, sheets)
    tables: Raw = {}
    for sheet, frame in sheets.items():
        name = canonical_header(sheet)
        src = Source(table=name, label=f"{path.name}[{sheet}]", path=path, encoding="xlsx")
        if name not in TABLES:
            out.add("note", src, f"sheet '{sheet}' is not a PMO Lab table and was ignored", "nothing to do", table="")
            continue
        if frame.empty:
            frame = pd.DataFrame()
        else:
            header = ["" if pd.isna(c) else str(c) for c in frame.iloc[0]]
            frame = frame.iloc[1:].set_axis(header, axis=1)
            frame.index = frame.index - 1  # index + 2 is the row in the sheet, as for a CSV
        cells = uncached.get(sheet, [])
        if cells:
            shown = ", ".join(cells[:10]) + (" ..." if len(cells) > 10 else "")
            out.add(
                "error",
                src,
                f"{len(cells)} formula cell(s) have no saved value ({shown}); PMO Lab reads values, not formulas",
                "open the workbook in Excel and save it (Excel stores each formula's value), or paste the values",
                table=name,
            )
        tables[name] = (frame.map(_xlsx_cell).astype(object), src)
    return tables


def _formulas_without_values(path: Path, sheets: dict) -> dict[str, list[str]]:
    """Sheet -> the cells (``B7`` ...) that hold a formula but no saved value (a workbook written by a script).

    Only looked for when a sheet's XML has a formula at all, so a plain workbook is read once.
    """
    with zipfile.ZipFile(path) as zf:
        sheets_xml = [zf.read(i) for i in zf.namelist() if i.startswith("xl/worksheets/sheet")]
    if not any(b"<f>" in xml or b"<f " in xml for xml in sheets_xml):
        return {}
    from openpyxl import load_workbook

    found: dict[str, list[str]] = {}
    book = load_workbook(path, read_only=True, data_only=False)
    try:
        for ws in book.worksheets:
            values = sheets.get(ws.title)
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type != "f" or values is None:
                        continue
                    r, c = cell.row - 1, cell.column - 1
                    cached = values.iat[r, c] if r < values.shape[0] and c < values.shape[1] else None
                    if cached is None or (isinstance(cached, float) and np.isnan(cached)):
                        found.setdefault(ws.title, []).append(cell.coordinate)
    finally:
        book.close()
    return found


def _key_of(text: str, names: list[str], spec: TableSpec, delimiter: str) -> tuple:
    """The key of a row that was dropped (its values by the header's positions), so that rows of other
    tables that refer to it are not reported again as unknown codes."""
    values = next(csv.reader([text or ""], delimiter=delimiter), [])
    return tuple(
        values[names.index(k)].strip() if k in names and names.index(k) < len(values) else "" for k in spec.key
    )


def table_files(path: Path, out: Collector) -> dict[str, Path]:
    """The ``<table>.csv`` files of a folder; other CSV files are noted and ignored."""
    files: dict[str, Path] = {}
    for file in sorted(path.iterdir()):
        if file.suffix.lower() != ".csv":
            continue
        name = canonical_header(file.stem)
        if name not in TABLES:
            out.add(
                "note",
                Source("", file.name, file),
                f"'{file.name}' is not a PMO Lab table and was ignored",
                "nothing to do",
            )
            continue
        files[name] = file
    return files


def read_folder(path: Path, out: Collector) -> Raw:
    """Read every ``<table>.csv`` in a folder."""
    return {name: read_csv(file, TABLES[name], name, out) for name, file in table_files(path, out).items()}
