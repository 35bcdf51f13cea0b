"""The history store: snapshots recorded and read back unchanged, versions, one writer at a time, no partial
snapshot after a killed run, a store from a newer PMO Lab refused, and the two commands."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pandas as pd
import pytest
from conftest import REPO, assert_refused

import pmo_lib as pmo
from pmo_lib import store
from pmo_lib.bundled import sample_data
from pmo_lib.errors import StoreError
from pmo_lib.reporting import sections

PROVENANCE = store.Provenance("datasets/sample", "f1ngerprint", "default", "0123", "0.1.0", {"month": "2026-10"})


@pytest.fixture(scope="module")
def built():
    return sections.build(pmo.load_portfolio(pmo.SAMPLE_DATA), "2026-10")


def test_a_snapshot_reads_back_as_the_report_said(tmp_path, built):
    path = tmp_path / "pmo.duckdb"
    done = store.record(path, built, PROVENANCE)
    assert done == {"snapshot_id": 1, "month": "2026-10", "portfolio": "all", "version": 1}
    back = store.history(path).set_index("project_id")
    summary = built["summary"].set_index("project_id")
    assert len(back) == len(summary) == 24
    for column in ("pv", "ev", "ac", "bac", "eac", "spi", "cpi"):
        pd.testing.assert_series_equal(back[column], summary[column].astype(float), check_names=False, obj=column)
    assert back["overall_rag"].tolist() == summary["overall_rag"].astype(str).tolist()
    assert back.loc["P001", "p80"] == built["schedule_risk"].set_index("project_id").loc["P001", "p80"]
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM milestones").fetchone()[0] == len(built["milestones_all"])
        assert con.execute("SELECT count(*) FROM findings").fetchone()[0] == len(built["findings"])
        provenance = con.execute("SELECT data_fingerprint, standard_hash, parameters FROM snapshots").fetchone()
    assert provenance[:2] == ("f1ngerprint", "0123") and '"month": "2026-10"' in provenance[2]


def test_recording_a_month_again_is_a_new_version_and_the_first_is_kept(tmp_path, built):
    path = tmp_path / "pmo.duckdb"
    store.record(path, built, PROVENANCE)
    changed = dict(built, summary=built["summary"].assign(cpi=built["summary"]["cpi"] * 0 + 1.5))
    assert store.record(path, changed, PROVENANCE)["version"] == 2
    every = store.history(path, "P001", latest=False)
    assert every["version"].tolist() == [1, 2]
    assert every["cpi"].tolist() == [pytest.approx(built["summary"].set_index("project_id").loc["P001", "cpi"]), 1.5]
    assert store.history(path, "P001")["cpi"].tolist() == [1.5]  # the latest version of the month


def test_a_store_from_a_newer_pmo_lab_is_refused(tmp_path, built):
    path = tmp_path / "pmo.duckdb"
    store.record(path, built, PROVENANCE)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE store_info SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match=r"newer PMO Lab \(schema 99"):
        store.snapshots(path)
    with pytest.raises(StoreError, match="newer PMO Lab"):
        store.record(path, built, PROVENANCE)


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    path = tmp_path / "pmo.duckdb"
    path.write_text("not a database")
    with pytest.raises(StoreError, match=r"not a PMO Lab store|cannot be opened"):
        store.snapshots(path)
    with pytest.raises(StoreError, match="no store at"):
        store.snapshots(tmp_path / "missing.duckdb")


WRITER = textwrap.dedent(
    """
    import os, signal, sys, time
    import pmo_lib as pmo
    from pmo_lib import store
    from pmo_lib.reporting import sections

    path, mode = sys.argv[1], sys.argv[2]
    built = sections.build(pmo.load_portfolio(pmo.SAMPLE_DATA), "2026-10")
    provenance = store.Provenance("sample", "fp", "default", "h", "0.1.0", {})
    if mode == "kill":  # stopped hard after the snapshot row and the first table, before the commit
        real = store._insert
        calls = []
        def insert(con, table, frame):
            real(con, table, frame)
            calls.append(table)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGKILL)
        store._insert = insert
    if mode == "hold":  # keeps the store open for writing for a while
        with store.open_store(path, write=True):
            print("holding", flush=True)
            time.sleep(float(sys.argv[3]))
        sys.exit(0)
    print(store.record(path, built, provenance, wait=float(sys.argv[3]) if len(sys.argv) > 3 else 30.0))
    """
)


def _writer(tmp_path, *args, wait=True):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    command = [sys.executable, str(script), *map(str, args)]
    if wait:
        return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)


def test_a_killed_run_leaves_no_partial_snapshot(tmp_path, built):
    path = tmp_path / "pmo.duckdb"
    store.record(path, built, PROVENANCE)
    killed = _writer(tmp_path, path, "kill")
    assert killed.returncode == -9
    snapshots = store.snapshots(path)
    assert snapshots["snapshot_id"].tolist() == [1]  # the killed snapshot is not there, not even in part
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT snapshot_id) FROM project_months").fetchone()[0] == 1
    assert store.record(path, built, PROVENANCE)["version"] == 2  # and the store takes the next one


def test_two_writers_take_turns_and_both_snapshots_are_kept(tmp_path, built):
    path = tmp_path / "pmo.duckdb"
    store.record(path, built, PROVENANCE)
    holder = _writer(tmp_path, path, "hold", 4, wait=False)
    assert holder.stdout.readline().strip() == "holding"
    second = _writer(tmp_path, path, "record", 30)  # waits for the holder, then records
    holder.wait(timeout=60)
    assert second.returncode == 0, second.stderr
    assert "'version': 2" in second.stdout
    assert store.snapshots(path)["version"].tolist() == [1, 2]


def test_a_writer_that_cannot_wait_long_enough_is_told_the_store_is_busy(tmp_path, built):
    path = tmp_path / "pmo.duckdb"
    store.record(path, built, PROVENANCE)
    holder = _writer(tmp_path, path, "hold", 6, wait=False)
    assert holder.stdout.readline().strip() == "holding"
    busy = _writer(tmp_path, path, "record", 1)
    holder.wait(timeout=60)
    assert busy.returncode != 0 and "in use by another run" in busy.stderr
    assert store.snapshots(path)["version"].tolist() == [1]


def test_pmo_snapshot_and_pmo_history(pmo, tmp_path):
    path = tmp_path / "pmo.duckdb"
    done = pmo("snapshot", "--month", "2026-09", "--month", "2026-10", "--store", str(path))
    assert done.returncode == 0, done.stderr
    assert "Recorded 2026-10 all as version 1" in done.stdout
    listed = pmo("history", "--store", str(path))
    assert listed.returncode == 0 and listed.stdout.count(" all ") == 2
    project = pmo("history", "--store", str(path), "--project", "P001", "--format", "csv")
    rows = project.stdout.strip().splitlines()
    assert rows[0].startswith("month,version,project_id") and [r[:7] for r in rows[1:]] == ["2026-09", "2026-10"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["snapshot", "--month", "2031-01"], "outside the data"),
        (["snapshot", "--month", "2026-10", "--portfolio", "Nowhere"], "unknown portfolio"),
        (["history", "--project", "P001"], "no store at"),
        (["history", "--format", "xlsx"], "needs --out"),
    ],
)
def test_snapshot_and_history_usage_errors(pmo, tmp_path, args, words):
    assert_refused(pmo(*args, "--store", str(tmp_path / "pmo.duckdb")), 2, words)


# ---- backfill: the history the data holds, each month as it stood at its end


@pytest.fixture(scope="module")
def sample():
    return pmo.load_portfolio(pmo.SAMPLE_DATA)


def test_the_data_as_it_stood_on_its_own_data_date_is_the_data(sample):
    from pmo_lib.store.backfill import as_it_stood

    assert as_it_stood(sample, "2026-10-31") is sample


def test_a_month_end_keeps_only_what_was_known_then(sample):
    from pmo_lib.store.backfill import as_it_stood

    day = pd.Timestamp("2026-03-31")
    then = as_it_stood(sample, day)
    assert then.timesheets["week_start"].max() + pd.Timedelta(days=6) <= day
    assert then.status_updates["month"].max() == pd.Timestamp("2026-03-01")
    assert then.financials.loc[then.financials["month"] > day, "actual"].isna().all()
    assert not (then.tasks["actual_finish"] > day).any() and not (then.tasks["actual_start"] > day).any()
    assert (then.risks["raised_on"] <= day).all()
    reopened = sample.risks[(sample.risks["closed_on"] > day) & (sample.risks["raised_on"] <= day)]
    assert len(reopened) and (then.risks.set_index("risk_id").loc[reopened["risk_id"], "status"] == "open").all()
    # a task finished after the day: in progress then, with less than 100 % and never more than it has now
    key = ["project_id", "task_id"]
    now, was = sample.tasks.set_index(key), then.tasks.set_index(key)
    later = now[(now["actual_start"] <= day) & (now["actual_finish"] > day)]
    past = was.loc[later.index, "percent_complete"]
    assert len(later) and ((past >= 0) & (past < 100)).all()
    assert (was["percent_complete"].fillna(0) <= now.loc[was.index, "percent_complete"].fillna(0) + 1e-9).all()


def test_a_backfilled_history_only_grows_and_ends_at_today_s_report(tmp_path, sample, built):
    from pmo_lib.store.backfill import as_it_stood

    months = ["2026-01", "2026-04", "2026-07", "2026-10"]
    path = tmp_path / "pmo.duckdb"
    for month in months:
        day = pd.Period(month, freq="M").end_time.normalize()
        store.record(path, sections.build(as_it_stood(sample, day), month), PROVENANCE)
    rows = store.history(path).sort_values(["project_id", "month"])
    for column in ("ev", "ac"):  # earned value and actual cost to date never fall from one month to the next
        steps = rows.groupby("project_id")[column].diff().dropna()
        assert (steps >= -1e-6).all(), column
    last = rows[rows["month"] == pd.Timestamp("2026-10-01")].set_index("project_id")
    direct = built["summary"].set_index("project_id")
    pd.testing.assert_series_equal(last["ev"], direct["ev"].astype(float), check_names=False)
    pd.testing.assert_series_equal(last["cpi"], direct["cpi"].astype(float), check_names=False)


def test_pmo_snapshot_backfill_records_every_month_of_the_data(pmo, tmp_path):
    path = tmp_path / "pmo.duckdb"
    done = pmo("snapshot", "--backfill", "--store", str(path))
    assert done.returncode == 0, done.stderr
    listed = store.snapshots(path)
    assert listed["month"].dt.strftime("%Y-%m").tolist()[0] == "2025-05"
    assert len(listed) == 18 and listed["month"].is_monotonic_increasing
    assert_refused(pmo("snapshot", "--backfill", "--month", "2026-10", "--store", str(path)), 2, "or --backfill")


# ---- pmo history --verify: a stored month re-computed from the data it names


def test_verify_finds_a_snapshot_that_matches_one_that_was_altered_and_data_that_changed(pmo, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(sample_data(), data)  # a copy: this test changes it
    path = tmp_path / "pmo.duckdb"
    assert pmo("snapshot", str(data), "--month", "2026-09", "--store", str(path)).returncode == 0
    good = pmo("history", "--store", str(path), "--verify", "1")
    assert good.returncode == 0 and "matches its data" in good.stdout
    with duckdb.connect(str(path)) as con:  # someone edits the store behind PMO Lab's back
        con.execute("UPDATE project_months SET cpi = 9.99 WHERE project_id = 'P002'")
    altered = pmo("history", "--store", str(path), "--verify", "1")
    assert altered.returncode == 1 and "P002 cpi: recorded 9.99" in altered.stderr
    (data / "timesheets.csv").write_text((data / "timesheets.csv").read_text() + "\n")
    changed = pmo("history", "--store", str(path), "--verify", "1")
    assert changed.returncode == 1 and "has changed since it was recorded" in changed.stderr
    shutil.rmtree(data)
    gone = pmo("history", "--store", str(path), "--verify", "1")
    assert gone.returncode == 1 and "no longer there" in gone.stderr


def test_every_column_of_the_store_is_in_the_data_dictionary():
    from pmo_lib.store.schema import describe

    readme = (REPO / "datasets" / "README.md").read_text(encoding="utf-8")
    for table, purpose, columns in describe():
        assert purpose and f"### {table}" in readme, table
        for column, _, _, meaning in columns:
            assert meaning, f"{table}.{column} has no meaning in store.schema.COLUMN_DOCS"
            assert f"| `{column}` |" in readme
