"""Read a portfolio dataset, check it against the data model, and hand back a `Portfolio`.

A dataset is a folder with one CSV per table (``projects.csv``, ``tasks.csv``, ...)
or one ``.xlsx`` workbook with one sheet per table. ``projects`` is required;
any other table may be absent and is then an empty, correctly typed frame.

Every problem is collected in one pass as a :class:`~pmo_lib.errors.Finding`
(file, row as the user sees it, column, value, what is wrong, how to fix it).
:func:`validate` returns them; :func:`load_portfolio` raises one
:class:`~pmo_lib.errors.DataError` carrying them all when any is an error.

Modules: ``readers`` (CSV via pyarrow, xlsx via openpyxl), ``parsing`` (types),
``checks`` (rules, keys, links, loops), ``findings`` (collecting findings).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataError, Finding
from ..schemas import STAGES, TABLE_NAMES, TABLES, TableSpec
from . import checks
from .checks import topological_leftovers
from .codes import Encoder
from .findings import Collector, Source, canonical_header
from .parsing import empty_column, parse_columns
from .readers import read_csv, read_workbook, table_files

DEMAND_TABLES = ("proposals", "proposal_demand", "proposal_links", "investment_budget")

__all__ = [
    "Portfolio",
    "Source",
    "ValidationResult",
    "canonical_header",
    "empty_table",
    "load_portfolio",
    "topological_leftovers",
    "validate",
    "validate_tables",
]


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
    proposals: pd.DataFrame = None
    proposal_demand: pd.DataFrame = None
    proposal_links: pd.DataFrame = None
    investment_budget: pd.DataFrame = None
    path: Path | None = None
    findings: list[Finding] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)

    def __post_init__(self):
        for name in DEMAND_TABLES:  # the demand tables came later: a portfolio made without them has them empty
            if getattr(self, name) is None:
                setattr(self, name, empty_table(name))

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
    imported: object = None  # for a source file (MS Project XML ...): the importer's tables and mapping report

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def verdict(self) -> str:
        """One line: how many errors, warnings and notes, and what to do next."""
        counts = {s: sum(f.severity == s for f in self.findings) for s in ("error", "warning", "note")}
        todo = "the data is ready to use." if self.ok else "fix the errors and check again."
        return f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s) - {todo}"

    def portfolio_or_raise(self) -> Portfolio:
        """The loaded portfolio, or one `DataError` listing every error found."""
        if not self.ok:
            raise DataError(self.findings, source=self.path.name)
        return self.portfolio

    def findings_frame(self) -> pd.DataFrame:
        cols = ["severity", "table", "file", "row", "column", "value", "problem", "fix"]
        return pd.DataFrame([f.as_dict() for f in self.findings], columns=cols)


def finish(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Final dtypes: categoricals for fixed lists (stage ordered by lifecycle)."""
    frame = frame.reset_index(drop=True)
    for name, col in spec.columns.items():
        if col.metadata["kind"] == "category":
            values = col.checks[0].statistics["allowed_values"]
            # bad values were reported already; here they become missing (code -1)
            codes = pd.Index(values).get_indexer(frame[name].astype("str"))
            frame[name] = pd.Categorical.from_codes(codes, categories=values, ordered=values == list(STAGES))
    return frame


WORKERS = 2  # tables checked side by side
_REFERENCED = {fk.table for spec in TABLES.values() for fk in spec.foreign_keys}


def _check_table(name: str, frame: pd.DataFrame, src: Source, enc: Encoder, out: Collector):
    """Parse one table and run the checks that need no other table."""
    spec = TABLES[name]
    typed, missing, unparsed = parse_columns(frame, spec, src, out, enc)
    checks.check_schema(typed, spec, src, missing, unparsed, out)
    checks.check_keys(typed, spec, src, missing, out, enc)
    checks.check_date_order(typed, spec, src, out)
    checks.check_table_rules(name, typed, src, out, enc)
    return typed, missing


def _first_stage(name: str, read, enc: Encoder):
    """Read table ``name`` with ``read(name, out)``, then run the checks that need no other table."""
    out = Collector()
    frame, src = read(name, out)
    if frame is None:
        return None, src, set(), out
    typed, missing = _check_table(name, frame, src, enc, out)
    return typed, src, missing, out


def _cross_check(name: str, first: dict, enc: Encoder) -> tuple[Collector, pd.DataFrame | None]:
    """Links from table ``name`` to the tables it refers to, dependency loops, final dtypes."""
    out = Collector()
    related = [name] + [fk.table for fk in TABLES[name].foreign_keys if fk.table in first]
    tables, sources, broken = {}, {}, {}
    for other in related:
        typed, src, missing, _ = first[other].result()
        sources[other] = src
        if typed is None:
            broken[other] = set(TABLES[other].columns)
        else:
            tables[other] = typed
            broken[other] = missing
    if name not in tables:
        return out, None
    checks.check_links(name, tables, sources, broken, out, enc)
    if name == "dependencies" and not broken[name]:
        checks.check_cycles(tables[name], sources[name], out, enc)
    if name == "proposal_links" and not broken[name]:
        checks.check_proposal_links(tables[name], sources[name], out)
    if name == "proposal_demand" and "proposals" in tables and not broken[name] | broken["proposals"]:
        checks.check_demand_quarters(tables[name], tables["proposals"], sources[name], out)
    return out, finish(tables[name], TABLES[name])


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
    out = Collector()
    if path.is_dir():
        files = table_files(path, out)
        # tables that others refer to first (their links can then be checked early), then biggest first
        order = sorted(files, key=lambda name: (name not in _REFERENCED, -files[name].stat().st_size))

        def read(name, found):
            return read_csv(files[name], TABLES[name], name, found)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        raw = read_workbook(path, out)
        order = list(raw)

        def read(name, found):
            return raw[name]
    else:
        raise ValueError(f"{path} is neither a folder of CSV files nor an .xlsx workbook")
    return _validate(path, read, order, out)


def validate_tables(path: str | Path, tables: dict, findings=()) -> ValidationResult:
    """Check tables that came from elsewhere (an importer) exactly as a dataset's files are checked.

    ``tables`` maps a table name to ``(frame, source)``: the frame as text cells, its index the
    row as the user should see it minus two (see ``readers``), the :class:`Source` naming the
    file and element it came from. ``findings`` (the importer's own) come first in the result.
    """
    out = Collector()
    out.findings.extend(findings)
    order = sorted(tables, key=lambda name: (name not in _REFERENCED, -len(tables[name][0])))

    def read(name, found):
        return tables[name]

    return _validate(Path(path), read, order, out)


def _validate(path: Path, read, order: list, out: Collector) -> ValidationResult:
    """Parse and check the tables ``read`` gives, side by side, and assemble the result."""
    enc = Encoder()
    # tables are read and checked side by side (pyarrow and numpy release the GIL); each
    # has its own collector, merged below in table order, so findings never depend on timing
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        first = {name: pool.submit(_first_stage, name, read, enc) for name in order}
        # links to other tables (and loops in the network) are checked as soon as the
        # table and the tables it refers to are in; every first-stage job is queued
        # before these, so a waiting job never holds up one it waits for
        second = {name: pool.submit(_cross_check, name, first, enc) for name in order}
        done = {name: future.result() for name, future in first.items()}
        cross = {name: future.result() for name, future in second.items()}

    sources = {name: done[name][1] for name in TABLE_NAMES if name in done}
    unreadable_book = path.is_file() and not done and any(f.severity == "error" for f in out.findings)
    if "projects" not in done and not unreadable_book:
        where = "sheet" if path.is_file() else "file"
        out.add(
            "error",
            None,
            f"the required projects table is missing (no projects {where})",
            "add projects.csv (or a 'projects' sheet) with one row per project",
            table="projects",
        )
    for name in TABLE_NAMES:
        if name in done:
            out.extend(done[name][3])
            out.extend(cross[name][0])

    result = ValidationResult(path=path, findings=out.findings, sources=sources, portfolio=None)
    if result.ok:
        frames = {
            name: cross[name][1] if name in cross and cross[name][1] is not None else empty_table(name)
            for name in TABLE_NAMES
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


def empty_table(name: str) -> pd.DataFrame:
    """An empty frame with the canonical columns and types of table ``name``."""
    spec = TABLES[name]
    frame = pd.DataFrame(
        {c: empty_column(col.metadata["kind"], 0, pd.RangeIndex(0)) for c, col in spec.columns.items()}
    )
    return finish(frame, spec)
