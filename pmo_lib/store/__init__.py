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

Modules: ``schema`` (the tables, views and migrations).
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import StoreError
from .schema import SCHEMA_VERSION, TABLE_COLUMNS, migrate

DEFAULT_STORE = Path("reports") / "pmo.duckdb"
WAIT_SECONDS = 30.0

__all__ = ["DEFAULT_STORE", "Provenance", "StoreError", "history", "open_store", "record", "snapshots"]


@dataclass(frozen=True)
class Provenance:
    """Where a snapshot came from."""

    data_path: str
    data_fingerprint: str
    standard: str
    standard_hash: str
    library_version: str
    parameters: dict


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


def _frame_for(table: str, frame: pd.DataFrame, snapshot_id: int) -> pd.DataFrame:
    """The columns the table keeps, in its order, with the snapshot id in front."""
    columns = TABLE_COLUMNS[table]
    out = pd.DataFrame({"snapshot_id": snapshot_id}, index=frame.index)
    for column in columns:
        out[column] = frame[column] if column in frame.columns else None
    return out.reset_index(drop=True)


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
        "project_months": _project_months(sections),
        "milestones": sections.get("milestones", pd.DataFrame()),
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
                _insert(con, table, _frame_for(table, frame, snapshot_id))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return {"snapshot_id": int(snapshot_id), "month": str(month.to_period("M")), "portfolio": portfolio,
            "version": int(version)}  # fmt: skip


def _project_months(sections: dict) -> pd.DataFrame:
    """Per project: the summary's indicators and RAG, with the schedule risk's P50/P80."""
    summary = sections["summary"]
    risk = sections.get("schedule_risk")
    if risk is not None and len(risk) and "p50" in risk:
        summary = summary.merge(risk[["project_id", "p50", "p80"]], on="project_id", how="left")
    return summary


def snapshots(path: Path | str = DEFAULT_STORE) -> pd.DataFrame:
    """Every snapshot, oldest first: id, month, portfolio, version, when, as-of date and provenance."""
    with open_store(path) as con:
        return con.execute("SELECT * FROM snapshots ORDER BY month, portfolio, version").df()


def history(path: Path | str = DEFAULT_STORE, project: str | None = None, *, latest: bool = True) -> pd.DataFrame:
    """The project months of the store (one project's with ``project``), by month; ``latest`` keeps the last
    version of each month, else every version is listed with its number."""
    view = "latest_project_months" if latest else "all_project_months"
    where, args = ("WHERE project_id = ?", [project]) if project else ("", [])
    with open_store(path) as con:
        return con.execute(f"SELECT * FROM {view} {where} ORDER BY project_id, month, version", args).df()


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
    built = sections.build(portfolio, str(month), name=snap["portfolio"], standard=parameters.get("standard") or None)
    again = _frame_for("project_months", _project_months(built), int(snapshot_id)).sort_values("project_id")
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
