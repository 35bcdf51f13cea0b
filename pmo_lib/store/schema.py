"""The store's tables and views, and the migrations that bring an older store up to this version.

``store_info`` holds ``schema_version``. Each entry of :data:`MIGRATIONS` takes a store from the
version before it to its own; opening a store runs the ones it lacks, in order, inside one
transaction (only when writing; a reader of an older store is told to record once to upgrade it).

Tables (documented in the data dictionary):

- ``snapshots``: one row per recorded report: ``snapshot_id``, ``month`` (first day), ``portfolio``,
  ``version`` (1, 2 ... for the same month and portfolio), ``recorded_at``, ``as_of``,
  ``data_path``, ``data_fingerprint``, ``standard``, ``standard_hash``, ``library_version``,
  ``parameters`` (JSON);
- ``project_months``: per snapshot and project: name, portfolio, stage, status, ``pv``, ``ev``,
  ``ac``, ``bac``, ``eac`` [currency], ``spi``, ``cpi``, ``percent_complete`` [share], ``forecast_finish``,
  ``baseline_finish``, ``p50``, ``p80`` [dates], ``finish_slip_days`` [working days], reported and
  computed RAG (overall, schedule, cost, scope);
- ``milestones``: per snapshot: every milestone of the projects, with baseline, forecast and actual date,
  slip and state (from schema 2; a schema-1 snapshot holds only the milestones its report listed);
- ``exceptions``: per snapshot: project, dimension, RAG, reason;
- ``findings``: per snapshot: the standard's findings (rule, severity, project, what was found).

Views: ``all_project_months`` (project months with their snapshot's month, portfolio, version),
``latest_project_months`` (the last recorded row of each project and month), and the same two for
milestones, ``all_milestones`` and ``latest_milestones`` (a project's milestones from the snapshot that
recorded its latest row of the month). The latest views take a project's month from whichever snapshot recorded it last, so a
portfolio's trend can be read from the snapshots of all portfolios together and vice versa.
"""

from __future__ import annotations

import pandas as pd

SCHEMA_VERSION = 2

TABLE_COLUMNS = {
    "project_months": ["project_id", "name", "portfolio", "stage", "status", "pv", "ev", "ac", "bac", "eac", "spi",
                       "cpi", "percent_complete", "forecast_finish", "baseline_finish", "p50", "p80",
                       "finish_slip_days", "reported_rag", "overall_rag", "schedule_rag", "cost_rag", "scope_rag"],
    "milestones": ["project_id", "task_id", "name", "baseline_date", "forecast_date", "actual_date", "slip_days",
                   "state"],
    "exceptions": ["project_id", "name", "dimension", "rag", "reason"],
    "findings": ["rule_id", "severity", "portfolio", "project_id", "found", "evidence"],
}  # fmt: skip

_V1 = [
    "CREATE TABLE store_info (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE snapshots (
        snapshot_id INTEGER PRIMARY KEY, month DATE NOT NULL, portfolio VARCHAR NOT NULL, version INTEGER NOT NULL,
        recorded_at TIMESTAMP NOT NULL, as_of DATE, data_path VARCHAR, data_fingerprint VARCHAR, standard VARCHAR,
        standard_hash VARCHAR, library_version VARCHAR, parameters JSON, UNIQUE (month, portfolio, version))""",
    """CREATE TABLE project_months (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots (snapshot_id), project_id VARCHAR NOT NULL, name VARCHAR,
        portfolio VARCHAR, stage VARCHAR, status VARCHAR, pv DOUBLE, ev DOUBLE, ac DOUBLE, bac DOUBLE, eac DOUBLE,
        spi DOUBLE, cpi DOUBLE, percent_complete DOUBLE, forecast_finish DATE, baseline_finish DATE, p50 DATE,
        p80 DATE, finish_slip_days DOUBLE, reported_rag VARCHAR, overall_rag VARCHAR, schedule_rag VARCHAR,
        cost_rag VARCHAR, scope_rag VARCHAR)""",
    """CREATE TABLE milestones (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots (snapshot_id), project_id VARCHAR, task_id VARCHAR,
        name VARCHAR, baseline_date DATE, forecast_date DATE, actual_date DATE, slip_days DOUBLE, state VARCHAR)""",
    """CREATE TABLE exceptions (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots (snapshot_id), project_id VARCHAR, name VARCHAR,
        dimension VARCHAR, rag VARCHAR, reason VARCHAR)""",
    """CREATE TABLE findings (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots (snapshot_id), rule_id VARCHAR, severity VARCHAR,
        portfolio VARCHAR, project_id VARCHAR, found VARCHAR, evidence VARCHAR)""",
    """CREATE VIEW all_project_months AS
        SELECT s.month, s.portfolio AS snapshot_portfolio, s.version, s.recorded_at, p.*
        FROM project_months p JOIN snapshots s USING (snapshot_id)""",
    """CREATE VIEW latest_project_months AS
        SELECT * EXCLUDE (rank) FROM (
            SELECT *, row_number() OVER (PARTITION BY project_id, month ORDER BY snapshot_id DESC) AS rank
            FROM all_project_months) WHERE rank = 1""",
]

# version 2: every milestone of the portfolio is recorded (not only those the report lists), the milestone views
# the trend analysis reads, and the latest views by a join on each project month's last snapshot (a window over
# every row was twice as slow); a version-1 store keeps its rows and gains the views
_V2 = [
    """CREATE OR REPLACE VIEW latest_project_months AS
        SELECT a.* FROM all_project_months a
        JOIN (SELECT project_id, month, max(snapshot_id) AS snapshot_id FROM all_project_months GROUP BY ALL) latest
        USING (project_id, month, snapshot_id)""",
    """CREATE VIEW all_milestones AS
        SELECT s.month, s.portfolio AS snapshot_portfolio, s.version, s.recorded_at, m.*
        FROM milestones m JOIN snapshots s USING (snapshot_id)""",
    """CREATE VIEW latest_milestones AS
        SELECT a.* FROM all_milestones a
        JOIN (SELECT project_id, month, max(snapshot_id) AS snapshot_id FROM all_project_months GROUP BY ALL) latest
        USING (project_id, month, snapshot_id)""",
]

MIGRATIONS = {1: _V1, 2: _V2}  # version -> the statements that make it from the version before


def frame_for(table: str, frame: pd.DataFrame, snapshot_id: int) -> pd.DataFrame:
    """The columns the table keeps, in its order, with the snapshot id in front."""
    columns = TABLE_COLUMNS[table]
    out = pd.DataFrame({"snapshot_id": snapshot_id}, index=frame.index)
    for column in columns:
        out[column] = frame[column] if column in frame.columns else None
    return out.reset_index(drop=True)


def report_rows(sections: dict) -> pd.DataFrame:
    """Per project: the summary's indicators and RAG, with the schedule risk's P50/P80."""
    summary = sections["summary"]
    risk = sections.get("schedule_risk")
    if risk is not None and len(risk) and "p50" in risk:
        summary = summary.merge(risk[["project_id", "p50", "p80"]], on="project_id", how="left")
    return summary


NUMBERS = {"pv", "ev", "ac", "bac", "eac", "spi", "cpi", "percent_complete", "finish_slip_days", "slip_days"}


def tidy(frame):
    """Rows read back from the store or built in memory, alike: dates as ``datetime64[ns]``, text as ``str``.

    Only the types are made alike (cheaply: a column already right is left alone); the order is the
    caller's (the store's reads are sorted in SQL, :func:`pmo_lib.store.trends.from_months` sorts its own).
    """
    frame = frame.copy()
    dates = {
        "month",
        "forecast_finish",
        "baseline_finish",
        "p50",
        "p80",
        "baseline_date",
        "forecast_date",
        "actual_date",
    }
    for column in frame.columns:
        kind = frame[column].dtype
        if column in dates:
            if kind != "datetime64[ns]":
                frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        elif column in NUMBERS:
            if pd.api.types.is_object_dtype(kind):
                frame[column] = pd.to_numeric(frame[column]).astype(float)
        elif isinstance(kind, pd.CategoricalDtype) or pd.api.types.is_object_dtype(kind):
            frame[column] = frame[column].astype("str")
    return frame.reset_index(drop=True)


def version_of(con) -> int:
    """The schema version of an open store (0 for an empty file)."""
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'store_info'").fetchone()[0]
    if not exists:
        return 0
    row = con.execute("SELECT value FROM store_info WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con, *, write: bool) -> int:
    """Bring the store to :data:`SCHEMA_VERSION` (when writing); returns the version found before."""
    found = version_of(con)
    if found >= SCHEMA_VERSION or not write:
        if found < SCHEMA_VERSION and not write:
            from ..errors import StoreError

            raise StoreError(f"the store has schema {found}; record a month once to bring it to {SCHEMA_VERSION}")
        return found
    con.execute("BEGIN TRANSACTION")
    try:
        for version in range(found + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                con.execute(statement)
        con.execute("INSERT OR REPLACE INTO store_info VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return found


# the data dictionary of the store (datasets/README.md): each table's purpose and each column's unit and meaning
TABLE_DOCS = {
    "snapshots": "One row per recorded report (month x portfolio x version); never changed once written.",
    "project_months": "Per snapshot and project: what the report said that month.",
    "milestones": "Per snapshot: every milestone of the projects, with its forecast date that month.",
    "exceptions": "Per snapshot: the projects outside tolerance and why.",
    "findings": "Per snapshot: the standard's findings.",
    "store_info": "The store's own facts: `schema_version`.",
}
COLUMN_DOCS = {
    "snapshot_id": ("", "Snapshot number, 1, 2, 3 ... in the order recorded."),
    "month": ("month", "Report month (its first day)."),
    "portfolio": ("", "Portfolio of the report (`all` for all together); in project_months, the project's."),
    "version": ("", "1 for the first record of the month and portfolio, then 2, 3 ..."),
    "snapshot_portfolio": ("", "The portfolio of the snapshot the row belongs to (`all` for all together)."),
    "recorded_at": ("date-time", "When the snapshot was recorded."),
    "as_of": ("date", "Status date of the report."),
    "data_path": ("", "The dataset the numbers came from."),
    "data_fingerprint": (
        "",
        "Short SHA-256 of the dataset's files when recorded (`pmo history --verify` compares it).",
    ),
    "standard": ("", "The standard file (or name) that rated the projects."),
    "standard_hash": ("", "Short SHA-256 of the standard file."),
    "library_version": ("", "PMO Lab version that recorded it."),
    "parameters": ("JSON", "The run's parameters (standard, portfolios, backfill)."),
    "project_id": ("", "Project code."),
    "name": ("", "Project (or milestone) name."),
    "stage": ("", "Lifecycle stage that month."),
    "status": ("", "Delivery status that month."),
    "pv": ("currency", "Planned value to date."),
    "ev": ("currency", "Earned value to date."),
    "ac": ("currency", "Actual cost to date."),
    "bac": ("currency", "Budget at completion."),
    "eac": ("currency", "Estimate at completion."),
    "spi": ("ratio", "Schedule performance index, EV / PV."),
    "cpi": ("ratio", "Cost performance index, EV / AC."),
    "percent_complete": ("share", "Earned share of the budget, EV / BAC."),
    "forecast_finish": ("date", "Forecast finish by the critical path."),
    "baseline_finish": ("date", "Baseline finish."),
    "p50": ("date", "Finish with a 50 % chance (Monte Carlo)."),
    "p80": ("date", "Finish with an 80 % chance (Monte Carlo)."),
    "finish_slip_days": ("working days", "Forecast finish minus baseline finish."),
    "reported_rag": ("R / A / G", "Overall RAG the project manager reported."),
    "overall_rag": ("R / A / G", "Overall RAG computed by the standard's tolerances."),
    "schedule_rag": ("R / A / G", "Computed schedule RAG."),
    "cost_rag": ("R / A / G", "Computed cost RAG."),
    "scope_rag": ("R / A / G", "Computed scope RAG."),
    "task_id": ("", "Milestone task code."),
    "baseline_date": ("date", "Milestone baseline date."),
    "forecast_date": ("date", "Milestone forecast date that month (the milestone trend analysis reads it)."),
    "actual_date": ("date", "Milestone actual date, once reached."),
    "slip_days": ("working days", "Forecast (or actual) minus baseline."),
    "state": (
        "",
        "Milestone state that month: achieved, slipped, due, upcoming (the report lists these), done, later.",
    ),
    "dimension": ("", "The exception's dimension (schedule, cost, scope)."),
    "rag": ("R / A / G", "The exception's RAG."),
    "reason": ("", "Why the project is outside tolerance."),
    "rule_id": ("", "The standard's rule."),
    "severity": ("", "The finding's severity."),
    "found": ("", "What the rule found."),
    "evidence": ("", "The evidence for it."),
    "key": ("", "A fact's name."),
    "value": ("", "Its value."),
}


def describe() -> list[tuple[str, str, list[tuple[str, str, str, str]]]]:
    """The store's tables and views as (name, purpose, [(column, type, unit, meaning)]), from the schema itself."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        for version in range(1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                con.execute(statement)
        rows = con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns ORDER BY table_name, "
            "ordinal_position"
        ).fetchall()
    finally:
        con.close()
    out: dict[str, list] = {}
    for table, column, kind in rows:
        unit, meaning = COLUMN_DOCS.get(column, ("", ""))
        out.setdefault(table, []).append((column, kind.lower(), unit, meaning))
    views = {"all_project_months": "View: project_months with their snapshot's month, portfolio and version.",
             "latest_project_months": "View: the last recorded row of each project and month.",
             "all_milestones": "View: milestones with their snapshot's month, portfolio and version.",
             "latest_milestones": "View: the last recorded row of each milestone and month (the trend analysis reads it)."}  # fmt: skip
    order = [*TABLE_DOCS, *views]
    return [(t, TABLE_DOCS.get(t) or views[t], out[t]) for t in order if t in out]
