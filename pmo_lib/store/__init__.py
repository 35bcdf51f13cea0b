"""Portfolio history: immutable monthly snapshots of what the report said, in one DuckDB file.

Each ``pmo snapshot`` (and, later, each ``pmo report``) appends a snapshot: per project, the
month's indicators (PV, EV, AC, BAC, EAC, SPI, CPI, percent complete), the reported and computed
RAG, the forecast and baseline finish, P50/P80, the milestones with their forecast dates, the
exception reasons and the compliance findings, with where it came from (the data's fingerprint,
the standard and its hash, the PMO Lab version, the parameters, the time). A snapshot is never
edited; recording the same month again is a new version, and the history says which is which.

One writer at a time: DuckDB locks the file for the process that writes, so a second run waits
(up to ``wait`` seconds) and then says the store is busy. A snapshot is one transaction: a run
that is stopped half-way leaves nothing. The store's schema is versioned (``store_info``); a store
written by this version is migrated forward by the next, and a store from a newer version is
refused with a message.

Modules: ``schema`` (the tables, views and migrations), ``backfill`` (the data as it stood at an
earlier month end) and ``trends`` (what the report's trend section reads from the history).
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import StoreError
from .schema import SCHEMA_VERSION, TABLE_COLUMNS, frame_for, migrate, report_rows, tidy

DEFAULT_STORE = Path("reports") / "pmo.duckdb"
WAIT_SECONDS = 30.0

__all__ = [
    "DEFAULT_STORE",
    "Provenance",
    "StoreError",
    "for_report",
    "history",
    "open_store",
    "provenance",
    "read_months",
    "record",
    "snapshots",
    "verify",
    "versions",
]


@dataclass(frozen=True)
class Provenance:
    """Where a snapshot came from."""

    data_path: str
    data_fingerprint: str
    standard: str
    standard_hash: str
    library_version: str
    parameters: dict


def provenance(data, standard, parameters: dict, version: str) -> Provenance:
    """The provenance of a snapshot of ``data`` (a dataset path) rated by ``standard`` (a loaded standard),
    recorded by PMO Lab ``version``."""
    from ..files import fingerprint

    source = Path(standard.path) if getattr(standard, "path", None) else None
    return Provenance(
        data_path=str(Path(data).resolve()),
        data_fingerprint=fingerprint(data),
        standard=str(source or standard.name),
        standard_hash=fingerprint(source) if source and source.is_file() else "",
        library_version=version,
        parameters=parameters,
    )


@contextmanager
def open_store(path: Path | str = DEFAULT_STORE, *, write: bool = False, wait: float = WAIT_SECONDS):
    """A connection to the store, migrated to this version's schema; the file is created when writing.

    While another process writes, opening waits up to ``wait`` seconds, then raises
    :class:`StoreError` saying the store is busy.
    """
    import duckdb

    path = Path(path)
    if not write and not path.exists():
        raise StoreError(f"no store at {path}: record a month first with `pmo snapshot --month YYYY-MM`")
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(str(path), read_only=not write)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                if "lock" in str(exc).lower():
                    raise StoreError(
                        f"the store {path} is in use by another run (waited {wait:g} s); try again when it has finished"
                    ) from None
                raise StoreError(f"{path} cannot be opened as a PMO Lab store ({exc})") from None
            time.sleep(0.2)
        except duckdb.Error as exc:
            raise StoreError(f"{path} is not a PMO Lab store ({exc})") from None
    try:
        found = migrate(con, write=write)
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"the store {path} was written by a newer PMO Lab (schema {found}; this one reads up to "
                f"{SCHEMA_VERSION}); upgrade PMO Lab to read it"
            )
        yield con
    finally:
        con.close()


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    con.register("incoming", frame)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM incoming")
    finally:
        con.unregister("incoming")


def record(path: Path | str, sections: dict, provenance: Provenance, *, wait: float = WAIT_SECONDS) -> dict:
    """Append one snapshot of a built report (``reporting.sections.build``) in one transaction.

    Returns ``snapshot_id``, ``month``, ``portfolio`` and ``version`` (1 for the first record of that
    month and portfolio, then 2, 3 ...).
    """
    month = pd.Period(sections["month"], freq="M").start_time
    portfolio = sections["name"]
    parts = {
        "project_months": report_rows(sections),
        "milestones": sections.get("milestones_all", sections.get("milestones", pd.DataFrame())),
        "exceptions": sections.get("exceptions", pd.DataFrame()),
        "findings": sections.get("findings", pd.DataFrame()),
    }
    with open_store(path, write=True, wait=wait) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            snapshot_id = con.execute("SELECT coalesce(max(snapshot_id), 0) + 1 FROM snapshots").fetchone()[0]
            version = con.execute(
                "SELECT coalesce(max(version), 0) + 1 FROM snapshots WHERE month = ? AND portfolio = ?",
                [month, portfolio],
            ).fetchone()[0]
            con.execute(
                "INSERT INTO snapshots VALUES (?, ?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?)",
                [snapshot_id, month, portfolio, version, pd.Timestamp(sections["as_of"]), provenance.data_path,
                 provenance.data_fingerprint, provenance.standard, provenance.standard_hash,
                 provenance.library_version, json.dumps(provenance.parameters, sort_keys=True, default=str)],
            )  # fmt: skip
            for table, frame in parts.items():
                _insert(con, table, frame_for(table, frame, snapshot_id))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return {"snapshot_id": int(snapshot_id), "month": str(month.to_period("M")), "portfolio": portfolio,
            "version": int(version)}  # fmt: skip


def record_months(path, portfolio, months, *, names=("all",), standard=None, origin, as_stood: bool = True, say=None):
    """Record each of ``months`` (``YYYY-MM``) for each portfolio name in the store at ``path``, one snapshot each.

    ``as_stood``: each month from the data as it stood at its end (a backfill); else from the data as
    it is. A portfolio none of whose projects had begun by a month is skipped, and said so. ``origin``
    is the :class:`~pmo_lib.store.Provenance`; ``say`` is told each step. Returns what was recorded.
    """
    from ..reporting.month import portfolios
    from ..reporting.sections import snapshot
    from .backfill import as_it_stood

    say = say or (lambda _: None)
    done = []
    for month in months:
        stood = as_it_stood(portfolio, pd.Period(month, freq="M").end_time.normalize()) if as_stood else portfolio
        for name in names:
            if as_stood and name != "all" and name not in portfolios(stood):
                say(f"Skipped {month} {name}: none of its projects had begun by then")
                continue
            done.append(record(path, snapshot(stood, month, name=name, standard=standard), origin))
            say(f"Recorded {done[-1]['month']} {done[-1]['portfolio']} as version {done[-1]['version']} in {path}")
    return done


def snapshots(path: Path | str = DEFAULT_STORE) -> pd.DataFrame:
    """Every snapshot, oldest first: id, month, portfolio, version, when, as-of date and provenance."""
    with open_store(path) as con:
        return con.execute("SELECT * FROM snapshots ORDER BY month, snapshot_id").df()


def history(path: Path | str = DEFAULT_STORE, project: str | None = None, *, latest: bool = True) -> pd.DataFrame:
    """The project months of the store (one project's with ``project``), by month; ``latest`` keeps the last
    version of each month, else every version is listed with its number."""
    view = "latest_project_months" if latest else "all_project_months"
    where, args = ("WHERE project_id = ?", [project]) if project else ("", [])
    with open_store(path) as con:
        return con.execute(f"SELECT * FROM {view} {where} ORDER BY project_id, month, version", args).df()


def read_months(path: Path | str, portfolio: str, first, last, *, wait: float = WAIT_SECONDS):
    """The recorded months ``first`` to ``last`` (periods or ``YYYY-MM``) of a portfolio's projects: two frames,
    project months and milestones, each with its ``month`` (the last recorded version of each project's
    month, from any snapshot; every project for ``"all"``); both empty when the store does not exist yet."""
    path = Path(path)
    if not path.exists():
        empty = pd.DataFrame(columns=["month", "project_id"])
        return empty, empty.assign(task_id=None)
    first = pd.Period(first, freq="M").start_time
    last = pd.Period(last, freq="M").start_time
    mine = "" if portfolio == "all" else " AND portfolio = ?"
    args = [first, last] + ([] if portfolio == "all" else [portfolio])
    projects = ", ".join(TABLE_COLUMNS["project_months"])
    marks = ", ".join(f"m.{c}" for c in TABLE_COLUMNS["milestones"])
    with open_store(path, wait=wait) as con:
        months = _fetch(con, f"SELECT month, {projects} FROM latest_project_months WHERE month BETWEEN ? AND ?{mine} "
                             "ORDER BY month, project_id", args)  # fmt: skip
        if portfolio == "all":
            sql = f"SELECT m.month, {marks} FROM latest_milestones m WHERE m.month BETWEEN ? AND ?"
        else:  # the milestones of the portfolio's projects
            sql = (f"SELECT m.month, {marks} FROM latest_milestones m JOIN latest_project_months p "
                   "USING (project_id, month, snapshot_id) WHERE m.month BETWEEN ? AND ? AND p.portfolio = ?")  # fmt: skip
        milestones = _fetch(con, sql + " ORDER BY m.month, m.project_id, m.task_id", args)
    return tidy(months), tidy(milestones)


def _fetch(con, sql: str, args: list) -> pd.DataFrame:
    """A query's rows as a DataFrame, through Arrow (about 3x faster than ``.df()`` for text columns)."""
    cursor = con.cursor()  # its own result: the connection's last execute() may still hold one
    try:
        relation = cursor.sql(sql, params=args)
        table = relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.arrow()
        return table.to_pandas(date_as_object=False)
    finally:
        cursor.close()


def for_report(sections: dict, portfolio, *, store=None, months: int = 12, standard=None):
    """The history the report of ``sections`` shows (a :class:`~pmo_lib.store.trends.History`): up to
    ``months`` report months ending with its own.

    With ``store`` (a path), the earlier months are read from it (the last recorded version of each
    project's month; none when the file does not exist yet) and this month is the report's own, so
    nothing is computed twice. Without one, each earlier month is worked out from ``portfolio`` as it
    stood at that month's end (the numbers ``pmo snapshot --backfill`` would record).
    """
    from ..reporting.month import months_in, portfolios
    from ..reporting.sections import snapshot
    from .backfill import as_it_stood
    from .trends import History, from_months, stack

    month = pd.Period(sections["month"], freq="M")
    earliest = month - (months - 1)
    current = from_months([(str(month), sections)])
    if store is not None:
        projects, marks = read_months(store, sections["name"], earliest, month - 1)
        return History(
            stack(projects, current.project_months),
            stack(marks, current.milestones),
            source=f"the history store {store}",
            recorded=versions(store, month, sections["name"]),
        )
    built = []
    for held in (m for m in months_in(portfolio) if earliest <= pd.Period(m, freq="M") < month):
        stood = as_it_stood(portfolio, pd.Period(held, freq="M").end_time.normalize())
        if sections["name"] == "all" or sections["name"] in portfolios(stood):  # none of its projects begun: no month
            built.append((held, snapshot(stood, held, name=sections["name"], standard=standard)))
    return from_months([*built, (str(month), sections)], source="the data as it stood at each month's end")


def versions(path: Path | str, month, portfolio: str, *, wait: float = WAIT_SECONDS) -> int:
    """How many versions of ``month`` (a period or ``YYYY-MM``) and ``portfolio`` the store holds (0 without a store)."""
    if not Path(path).exists():
        return 0
    with open_store(path, wait=wait) as con:
        return int(con.execute("SELECT count(*) FROM snapshots WHERE month = ? AND portfolio = ?",
                               [pd.Period(month, freq="M").start_time, portfolio]).fetchone()[0])  # fmt: skip


def verify(path: Path | str, snapshot_id: int, *, rtol: float = 1e-9) -> tuple[bool, str]:
    """Re-compute a stored snapshot from the data it names and say whether it matches.

    The dataset must still be where it was and have the same fingerprint (else: which has changed).
    The month is rebuilt with the recorded standard and portfolio (and, for a backfilled month, the
    data as it stood then); every stored project number and RAG is compared.
    """
    import numpy as np

    from ..files import fingerprint
    from ..importers import load as load_data
    from ..reporting import sections
    from .backfill import as_it_stood

    with open_store(path) as con:
        rows = con.execute("SELECT * FROM snapshots WHERE snapshot_id = ?", [int(snapshot_id)]).df()
        stored = con.execute(
            "SELECT * FROM project_months WHERE snapshot_id = ? ORDER BY project_id", [int(snapshot_id)]
        ).df()
    if rows.empty:
        return False, f"no snapshot {snapshot_id} in {path}"
    snap = rows.iloc[0]
    data = Path(snap["data_path"])
    if not data.exists():
        return False, f"snapshot {snapshot_id}: its data {data} is no longer there, so it cannot be re-computed"
    if fingerprint(data) != snap["data_fingerprint"]:
        return False, (f"snapshot {snapshot_id}: the data at {data} has changed since it was recorded "
                       f"(fingerprint {fingerprint(data)}, recorded {snap['data_fingerprint']})")  # fmt: skip
    parameters = json.loads(snap["parameters"] or "{}")
    portfolio = load_data(data)
    month = pd.Timestamp(snap["month"]).to_period("M")
    if parameters.get("backfill"):
        portfolio = as_it_stood(portfolio, month.end_time.normalize())
    built = sections.snapshot(
        portfolio, str(month), name=snap["portfolio"], standard=parameters.get("standard") or None
    )
    again = frame_for("project_months", report_rows(built), int(snapshot_id)).sort_values("project_id")
    again = again.reset_index(drop=True)
    differences = []
    if again["project_id"].tolist() != stored["project_id"].tolist():
        return False, f"snapshot {snapshot_id}: the projects differ from those recorded"
    for column in TABLE_COLUMNS["project_months"]:
        a, b = stored[column], again[column]
        if pd.api.types.is_numeric_dtype(a) and column not in ("project_id",):
            same = np.isclose(a.astype(float), pd.to_numeric(b, errors="coerce").astype(float), rtol=rtol,
                              equal_nan=True)  # fmt: skip
        elif "finish" in column or column in ("p50", "p80"):
            same = (pd.to_datetime(a) == pd.to_datetime(b)) | (a.isna() & b.isna())
        else:
            same = (a.astype(str) == b.astype(str)) | (a.isna() & b.isna())
        for i in np.flatnonzero(~np.asarray(same)):
            differences.append(f"{stored.loc[i, 'project_id']} {column}: recorded {a.iloc[i]}, now {b.iloc[i]}")
    if differences:
        shown = "; ".join(differences[:10])
        return False, f"snapshot {snapshot_id} does not match its data: {len(differences)} difference(s): {shown}"
    return True, f"snapshot {snapshot_id} ({month} {snap['portfolio']}, version {snap['version']}) matches its data"
