"""The report's trends from the history store: worked examples on hand-made months, invariants, the
store's migration to schema 2, the data as it stood for projects that had not started or had not
yet closed, and ``pmo report`` recording each run and showing its trends."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pmo_lib as pmo
from pmo_lib import store
from pmo_lib.errors import StoreError
from pmo_lib.reporting import sections
from pmo_lib.store import trends
from pmo_lib.store.schema import _V1, SCHEMA_VERSION

M = [pd.Timestamp(m) for m in ("2026-01-01", "2026-02-01", "2026-03-01")]


def months(rows) -> pd.DataFrame:
    """Project months from (month index, project, RAG, pv, ev, ac, forecast finish) tuples."""
    frame = pd.DataFrame(rows, columns=["m", "project_id", "overall_rag", "pv", "ev", "ac", "forecast_finish"])
    frame["month"] = frame.pop("m").map(lambda i: M[i])
    frame["name"] = "Project " + frame["project_id"]
    frame["reported_rag"] = frame["overall_rag"]
    frame["spi"] = frame["ev"] / frame["pv"]
    frame["cpi"] = frame["ev"] / frame["ac"]
    frame["forecast_finish"] = pd.to_datetime(frame["forecast_finish"])
    return frame


# ---- worked examples


def test_portfolio_indices_are_ratios_of_sums_not_means_of_indices():
    table = months([
        (0, "P1", "R", 100.0, 50.0, 100.0, "2026-12-01"),  # SPI 0.5, CPI 0.5
        (0, "P2", "G", 900.0, 900.0, 450.0, "2026-12-01"),  # SPI 1.0, CPI 2.0
        (0, "P3", None, 500.0, 0.0, 900.0, "2026-12-01"),  # closed: not rated, not counted
        (1, "P1", "R", 0.0, 0.0, 0.0, "2026-12-01"),  # nothing planned or spent yet: no index
    ])  # fmt: skip
    out = trends.portfolio_indices(table).set_index("month")
    # SPI = (50 + 900) / (100 + 900) = 0.95 (the mean of the indices would be 0.75);
    # CPI = 950 / 550 = 1.7273 (the mean would be 1.25)
    assert out.loc[M[0], "spi"] == pytest.approx(0.95)
    assert out.loc[M[0], "cpi"] == pytest.approx(950 / 550)
    assert out.loc[M[0], "projects"] == 2
    assert np.isnan(out.loc[M[1], "spi"]) and np.isnan(out.loc[M[1], "cpi"])


def test_red_since_counts_the_present_run_of_red_months():
    table = months([
        *[(i, "P1", "R", 1, 1, 1, "2026-12-01") for i in range(3)],  # red in every month held
        (0, "P2", "G", 1, 1, 1, "2026-12-01"), (1, "P2", "R", 1, 1, 1, "2026-12-01"), (2, "P2", "R", 1, 1, 1, "2026-12-01"),
        (0, "P3", "R", 1, 1, 1, "2026-12-01"), (1, "P3", "G", 1, 1, 1, "2026-12-01"), (2, "P3", "R", 1, 1, 1, "2026-12-01"),
        (0, "P4", "R", 1, 1, 1, "2026-12-01"), (2, "P4", "R", 1, 1, 1, "2026-12-01"),  # not held in February
        (0, "P5", "R", 1, 1, 1, "2026-12-01"), (2, "P5", "A", 1, 1, 1, "2026-12-01"),  # amber now: not listed
    ])  # fmt: skip
    out = trends.red_since(table).set_index("project_id")
    assert out.index.tolist() == ["P1", "P2", "P3", "P4"]
    assert out["months_red"].tolist() == [3, 2, 1, 1]
    assert out["red_since"].tolist() == ["2026-01 or earlier", "2026-02", "2026-03", "2026-03"]
    assert out["before_history"].tolist() == [True, False, False, False]


def test_changed_since_last_names_each_move_computed_rag_first():
    table = months([
        (1, "P1", "G", 100, 100, 100, "2026-12-01"), (2, "P1", "A", 100, 100, 112, "2026-12-08"),
        (1, "P2", "G", 100, 100, 100, "2026-12-01"), (2, "P2", "G", 100, 96, 96, "2026-12-01"),  # SPI -0.04: too small
        (1, "P3", "A", 100, 100, 100, "2026-12-01"), (2, "P3", "A", 100, 100, 100, "2026-11-30"),  # a day earlier
        (2, "P4", "G", 100, 100, 100, "2026-12-01"),  # new this month
        (1, "P5", "R", 100, 100, 100, "2026-12-01"),  # closed: no longer reported
        (0, "P1", "R", 100, 10, 100, "2027-12-01"),  # an older month plays no part
    ])  # fmt: skip
    out = trends.changed_since_last(table).set_index("project_id")
    assert out.index.tolist()[0] == "P1" and "P2" not in out.index
    assert (
        out.loc["P1", "what"] == "computed RAG G → A; reported RAG G → A; CPI 1.00 → 0.89; forecast finish 7 days later"
    )
    assert out.loc["P3", "what"] == "forecast finish 1 day earlier"
    assert out.loc["P4", "what"] == "new this month"
    assert out.loc["P5", "what"] == "not in this month's report"
    assert out.loc["P1", "finish_moved_days"] == 7


def test_the_milestone_trend_follows_the_key_milestones_that_moved_most():
    def mark(m, task, name, forecast, actual=None):
        return {"month": M[m], "project_id": "P1", "task_id": task, "name": name, "forecast_date": pd.Timestamp(forecast),
                "actual_date": pd.Timestamp(actual) if actual else pd.NaT}  # fmt: skip

    rows = [
        mark(0, "T1", "Build gate", "2026-06-01"), mark(1, "T1", "Build gate", "2026-06-11"),
        mark(2, "T1", "Build gate", "2026-07-01", actual="2026-03-20"),  # reached in March: its actual date
        mark(0, "T2", "Test gate", "2026-08-01"), mark(1, "T2", "Test gate", "2026-08-05"),
        mark(0, "T3", "Design gate", "2026-01-10", actual="2026-01-10"),  # reached before the trend begins
        mark(1, "T3", "Design gate", "2026-01-10", actual="2026-01-10"),
        mark(0, "T0", "Project start", "2025-12-01"), mark(1, "T0", "Project start", "2026-03-01"),
        mark(2, "T4", "Close gate", "2027-01-01"),  # one month only: no trend
    ]  # fmt: skip
    out = trends.milestone_trend(pd.DataFrame(rows))
    assert out["task_id"].unique().tolist() == ["T1", "T2"]
    t1 = out[out["task_id"] == "T1"]
    assert t1["date"].tolist() == [pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-11"), pd.Timestamp("2026-03-20")]
    assert t1["moved_days"].iloc[0] == (pd.Timestamp("2026-03-20") - pd.Timestamp("2026-06-01")).days
    assert t1["achieved"].tolist() == [False, False, True] and t1["label"].iloc[0] == "P1 Build gate"
    assert trends.milestone_trend(pd.DataFrame(rows), limit=1)["task_id"].unique().tolist() == ["T1"]


def test_the_rag_strip_is_one_row_per_rated_project_and_one_column_per_month_held():
    table = months([(0, "P1", "G", 1, 1, 1, "2026-12-01"), (2, "P1", "R", 1, 1, 1, "2026-12-01"),
                    (1, "P2", None, 1, 1, 1, "2026-12-01")])  # fmt: skip
    strip = trends.rag_strip(table)
    assert strip.index.tolist() == ["P1"] and strip.columns.tolist() == ["2026-01", "2026-02", "2026-03"]
    assert strip.loc["P1"].tolist() == ["G", "", "R"]  # February held, P1 not in it


# ---- invariants


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(1, 1e6), st.floats(0, 1e6), st.floats(1, 1e6)), min_size=1, max_size=8))
def test_the_portfolio_cpi_lies_between_its_projects_cpis(values):
    table = months([(0, f"P{i}", "G", pv, ev, ac, "2026-12-01") for i, (pv, ev, ac) in enumerate(values)])
    cpi = trends.portfolio_indices(table)["cpi"].iloc[0]
    assert table["cpi"].min() - 1e-9 <= cpi <= table["cpi"].max() + 1e-9


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["R", "A", "G"]), min_size=1, max_size=3))
def test_months_red_is_the_trailing_run_of_red(ratings):
    table = months([(i, "P1", rag, 1, 1, 1, "2026-12-01") for i, rag in enumerate(ratings)])
    out = trends.red_since(table)
    trailing = len(ratings) - len("".join(ratings).rstrip("R"))
    assert (out["months_red"].tolist() or [0]) == [trailing]


# ---- the history of one report, from the store and from the data


@pytest.fixture(scope="module")
def sample():
    return pmo.load_portfolio(pmo.SAMPLE_DATA)


@pytest.fixture(scope="module")
def october(sample):
    return sections.build(sample, "2026-10")


PROVENANCE = store.Provenance("datasets/sample", "f1ngerprint", "default", "0123", "0.1.0", {})


def test_a_report_s_history_reads_earlier_months_from_the_store_and_this_one_from_the_report(tmp_path, sample, october):
    from pmo_lib.store.backfill import as_it_stood

    path = tmp_path / "pmo.duckdb"
    empty = store.for_report(october, sample, store=path)
    assert empty.months == ["2026-10"] and not empty.has_trend and empty.recorded == 0
    september = sections.snapshot(as_it_stood(sample, "2026-09-30"), "2026-09")
    store.record(path, september, PROVENANCE)
    store.record(path, october, PROVENANCE)  # this month recorded before: the report's own numbers are used
    history = store.for_report(october, sample, store=path)
    assert history.months == ["2026-09", "2026-10"] and history.recorded == 1
    held = history.project_months.set_index(["month", "project_id"])
    direct = september["summary"].set_index("project_id")
    assert held.loc[pd.Timestamp("2026-09-01")]["cpi"].to_dict() == pytest.approx(direct["cpi"].dropna().to_dict())
    assert len(history.project_months) == len(september["summary"]) + len(october["summary"])
    # every milestone is recorded, not only those the report lists, so the trend can follow them
    assert (
        len(history.milestones[history.milestones["month"] == pd.Timestamp("2026-09-01")])
        == len(september["milestones_all"])
        > len(september["milestones"])
    )
    # a portfolio's report reads its own projects from a snapshot of all portfolios together
    digital = sections.build(sample, "2026-10", name="Digital Services")
    own = store.for_report(digital, sample, store=path).project_months
    assert set(own["portfolio"]) == {"Digital Services"} and own["month"].nunique() == 2


def test_without_a_store_the_history_is_worked_out_from_the_data_as_it_stood(tmp_path, sample, october):
    from pmo_lib.store.backfill import as_it_stood

    history = store.for_report(october, sample, months=3)
    assert history.months == ["2026-08", "2026-09", "2026-10"] and "as it stood" in history.source
    path = tmp_path / "pmo.duckdb"
    store.record(path, sections.snapshot(as_it_stood(sample, "2026-08-31"), "2026-08"), PROVENANCE)
    stored, _ = store.read_months(path, "all", "2026-08", "2026-08")
    worked = history.project_months[history.project_months["month"] == pd.Timestamp("2026-08-01")]
    pd.testing.assert_frame_equal(stored.reset_index(drop=True), worked.reset_index(drop=True), check_dtype=False)


# ---- the data as it stood: projects not started, closed later, cancelled later; the forecast


def test_a_project_is_in_a_month_once_it_has_started_and_closed_only_once_its_work_is_done(sample):
    from pmo_lib.store.backfill import as_it_stood

    projects = sample.projects.set_index("project_id")
    march = as_it_stood(sample, "2026-03-31")
    held = march.projects.set_index("project_id")
    assert "P001" not in held.index and projects.loc["P001", "baseline_start"] > pd.Timestamp("2026-03-31")
    assert not (march.tasks["project_id"] == "P001").any() and not (march.financials["project_id"] == "P001").any()
    # P003 closed in May 2026 (its last task finished 12 May): active, in execution, at the end of March
    assert projects.loc["P003", "status"] == "closed"
    assert (held.loc["P003", "status"], held.loc["P003", "stage"]) == ("active", "execute")
    # P018 was cancelled after its last booked week (the week of 1 September): active in August, cancelled in September
    assert as_it_stood(sample, "2026-08-31").projects.set_index("project_id").loc["P018", "status"] == "active"
    assert as_it_stood(sample, "2026-09-30").projects.set_index("project_id").loc["P018", "status"] == "cancelled"


def test_the_forecast_as_it_stood_is_the_budget_still_to_come(sample):
    from pmo_lib.store.backfill import as_it_stood

    then = as_it_stood(sample, "2026-05-31").financials
    later = then["month"] > pd.Timestamp("2026-05-01")
    assert (then.loc[later, "forecast"] == then.loc[later, "budget"]).all()
    kept = sample.financials[sample.financials["month"] <= pd.Timestamp("2026-05-01")]
    assert then.loc[~later, "forecast"].tolist() == kept["forecast"].tolist()


# ---- the store's schema 2: a schema-1 store is migrated, its rows kept


def test_a_schema_1_store_is_migrated_and_keeps_its_snapshots(tmp_path, october):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        for statement in _V1:
            con.execute(statement)
        con.execute("INSERT INTO store_info VALUES ('schema_version', '1')")
        con.execute("INSERT INTO snapshots (snapshot_id, month, portfolio, version, recorded_at) VALUES "
                    "(1, DATE '2026-09-01', 'all', 1, now())")  # fmt: skip
        con.execute("INSERT INTO project_months (snapshot_id, project_id, cpi) VALUES (1, 'P001', 0.75)")
    with pytest.raises(StoreError, match="record a month once"):  # reading alone does not change the file
        store.snapshots(path)
    assert store.record(path, october, PROVENANCE)["snapshot_id"] == 2
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT value FROM store_info").fetchone()[0] == str(SCHEMA_VERSION) == "2"
        assert con.execute("SELECT cpi FROM project_months WHERE snapshot_id = 1").fetchone()[0] == 0.75
        assert con.execute("SELECT count(*) FROM latest_milestones").fetchone()[0] == len(october["milestones_all"])


# ---- pmo report: records each run, says which version, shows the trend


@pytest.mark.slow
def test_pmo_report_records_each_run_and_shows_the_trend_from_the_store(pmo, tmp_path):
    import re

    out, path = tmp_path / "reports", tmp_path / "reports" / "pmo.duckdb"

    def page() -> str:
        html = (out / "2026-10" / "all.html").read_text()
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    first = pmo("report", "--month", "2026-10", "--out", str(out), "--format", "html")
    assert first.returncode == 0, first.stderr
    assert "No earlier months in the history store" in page() and "version 1 of 2026-10" in page()
    filled = pmo("snapshot", "--backfill", "--before", "2026-10", "--store", str(path))
    assert filled.returncode == 0, filled.stderr and "2026-10" not in filled.stdout
    again = pmo("report", "--month", "2026-10", "--out", str(out), "--format", "html,xlsx")
    assert again.returncode == 0, again.stderr
    sheets = pd.read_excel(out / "2026-10" / "all.xlsx", sheet_name=None)
    assert len(sheets["Trend"]) == 12 and sheets["RAG history"].shape[1] == 13  # project + 12 months
    recorded = store.history(path)
    october = recorded[(recorded["month"] == pd.Timestamp("2026-10-01")) & (recorded["overall_rag"] == "R")]
    assert set(sheets["Red since"]["project_id"]) == set(october["project_id"]) != set()
    text = page()
    assert "12 report months, 2025-11 to 2026-10" in text and "version 2 of 2026-10" in text
    assert "Changed since the last report (2026-09" in text and "Computed red now" in text
    listed = store.snapshots(path)
    assert listed["month"].dt.strftime("%Y-%m").tolist() == [f"{m}" for m in pd.period_range("2025-05", "2026-09", freq="M").astype(str)] + ["2026-10", "2026-10"]  # fmt: skip
    unrecorded = pmo("report", "--month", "2026-10", "--out", str(out), "--format", "html", "--no-record")
    assert unrecorded.returncode == 0 and "Not recorded in a history store" in page()
    assert len(store.snapshots(path)) == len(listed)
    wrong = pmo("snapshot", "--backfill", "--before", "2031-01", "--store", str(path))
    assert wrong.returncode == 2 and "--before" in wrong.stderr and "outside the data" in wrong.stderr
    alone = pmo("snapshot", "--month", "2026-09", "--before", "2026-10", "--store", str(path))
    assert alone.returncode == 2 and "--before goes with --backfill" in alone.stderr
