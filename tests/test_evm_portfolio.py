"""pmo_lib.evm from the portfolio tables: time-phased PV/EV/AC, status per project, S-curves."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import load_tables
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_lib import evm
from pmo_lib.data import TABLES, Portfolio, empty_table

# Hand-computed project P (weekends only, no holidays), data date 2026-02-28:
#   T1 baseline Mon 5 Jan - Fri 16 Jan (10 working days), cost 10,000 -> PV Jan 10,000
#   T2 baseline Mon 26 Jan - Fri 6 Feb (5 + 5 working days), cost 10,000 -> PV Jan 5,000, Feb 5,000
#   T3 baseline Mon 9 Feb - Fri 6 Mar (15 + 5 working days), cost 8,000 -> PV Feb 6,000, Mar 2,000
#   M  milestone 6 Mar, no cost.            BAC = 28,000; cumulative PV 15,000 / 26,000 / 28,000
#   T1 done 5-23 Jan (EV 10,000 in Jan); T2 started 2 Feb, 50 % (EV 5,000 in Feb); T3 not started
#   AC: 120 h in Jan and 80 h in Feb at 100/h -> 12,000 and 20,000 cumulative
# Project Q: one task, baseline 5-16 Jan, cost 1,000, actually 5 Jan - 13 Feb (finished late).
TABLES_CSV = {
    "projects": """project_id,name,portfolio,stage,status,baseline_start,baseline_finish,budget,currency
P,Hand example,Demo,execute,active,2026-01-05,2026-03-06,35000,GBP
Q,Finished late,Demo,close,closed,2026-01-05,2026-01-16,1250,GBP
""",
    "tasks": """project_id,task_id,name,duration_days,baseline_start,baseline_finish,actual_start,actual_finish,percent_complete,planned_cost,is_milestone
P,T1,Design,10,2026-01-05,2026-01-16,2026-01-05,2026-01-23,100,10000,false
P,T2,Build,10,2026-01-26,2026-02-06,2026-02-02,,50,10000,false
P,T3,Test,20,2026-02-09,2026-03-06,,,0,8000,false
P,M,Go live,0,2026-03-06,2026-03-06,,,0,0,true
Q,T1,Only task,10,2026-01-05,2026-01-16,2026-01-05,2026-02-13,100,1000,false
""",
    "resources": """resource_id,name,role,team,cost_rate,fte
R1,Analyst One,analyst,Delivery,100,1
""",
    "timesheets": """resource_id,project_id,task_id,week_start,hours
R1,P,T1,2026-01-05,40
R1,P,T1,2026-01-12,40
R1,P,T1,2026-01-19,40
R1,P,T2,2026-02-02,20
R1,P,T2,2026-02-09,20
R1,P,T2,2026-02-16,20
R1,P,T2,2026-02-23,20
R1,P,T2,2026-03-02,20
""",
    "financials": """project_id,month,category,budget,actual,forecast
P,2026-01,labour,15000,12000,12000
P,2026-01,external,3000,2000,2000
P,2026-02,labour,15000,10000,10000
Q,2026-01,labour,1250,1100,1100
""",
    "status_updates": """project_id,month,overall_rag,schedule_rag,cost_rag,scope_rag,submitted_on
P,2026-02,A,A,A,G,2026-03-03
""",
}


@pytest.fixture(scope="module")
def hand(tmp_path_factory) -> Portfolio:
    return load_tables(tmp_path_factory.mktemp("evm_hand"), TABLES_CSV)


def row(frame: pd.DataFrame, project: str) -> pd.Series:
    return frame.set_index("project_id").loc[project]


def test_data_date_is_the_end_of_the_latest_status_month(hand):
    assert evm.data_date(hand) == pd.Timestamp("2026-02-28")


def test_planned_value_is_spread_over_baseline_working_days(hand):
    phased = evm.time_phased(hand)
    p = phased[phased["project_id"] == "P"].set_index(phased[phased["project_id"] == "P"]["month"].dt.strftime("%Y-%m"))
    assert p.loc[["2026-01", "2026-02", "2026-03"], "pv"].tolist() == [15_000, 11_000, 2_000]
    assert p.loc[["2026-01", "2026-02", "2026-03"], "pv_cum"].tolist() == [15_000, 26_000, 28_000]
    assert p.loc[["2026-01", "2026-02"], "ev_cum"].tolist() == [10_000, 15_000]
    assert p.loc[["2026-01", "2026-02"], "ac_cum"].tolist() == [12_000, 20_000]
    # after the data date: PV only; the 2 March timesheet is after the data date and is not counted
    assert math.isnan(p.loc["2026-03", "ev"]) and math.isnan(p.loc["2026-03", "ac_cum"])


def test_status_at_the_data_date_matches_the_hand_computation(hand):
    p = row(evm.status(hand, "2026-02"), "P")
    expected = {
        "pv": 26_000, "ev": 15_000, "ac": 20_000, "bac": 28_000, "sv": -11_000, "cv": -5_000,
        "spi": 15 / 26, "cpi": 0.75, "eac": 28_000 / 0.75, "etc": 28_000 / 0.75 - 20_000,
        "vac": 28_000 - 28_000 / 0.75, "tcpi": 13_000 / 8_000, "tcpi_eac": 13_000 / (28_000 / 0.75 - 20_000),
        # earned schedule: EV 15,000 equals PV at the end of month 1 -> ES = 1, AT = 2, PD = 3
        "es": 1.0, "at": 2.0, "planned_duration": 3.0, "spi_t": 0.5, "sv_t": -1.0, "ieac_t": 6.0,
        "percent_complete": 15 / 28, "percent_spent": 20 / 28,
    }  # fmt: skip
    for name, value in expected.items():
        assert p[name] == pytest.approx(value, rel=1e-9), name


def test_earned_schedule_interpolates_within_a_month(hand):
    p = row(evm.status(hand, "2026-01"), "P")
    assert (p["pv"], p["ev"], p["ac"]) == (15_000, 10_000, 12_000)
    assert p["es"] == pytest.approx(10_000 / 15_000)  # ES = 0 + (10,000 - 0) / (15,000 - 0)
    assert p["spi_t"] == pytest.approx(2 / 3)


def test_a_month_after_the_data_date_keeps_ev_and_ac_at_the_data_date(hand):
    p = row(evm.status(hand, "2026-03"), "P")
    assert (p["pv"], p["ev"], p["ac"]) == (28_000, 15_000, 20_000)
    assert p["at"] == 3


def test_a_finished_project_stops_its_clock_at_completion(hand):
    q = row(evm.status(hand, "2026-03"), "Q")
    assert (q["ev"], q["bac"], q["es"], q["at"]) == (1_000, 1_000, 1.0, 2.0)  # finished in Feb, planned for Jan
    assert q["spi_t"] == pytest.approx(0.5) and q["ieac_t"] == pytest.approx(2.0)
    assert q["tcpi"] == 0  # nothing left to earn (Q booked no hours, so its whole budget is left)
    assert math.isnan(q["cpi"])  # no actual cost recorded: CPI is not defined


def test_financial_actuals_measure_against_the_whole_budget(hand):
    p = row(evm.status(hand, "2026-02", actual_cost="financials"), "P")
    scale = 35_000 / 28_000  # budget over the tasks' planned cost
    assert p["bac"] == 35_000 and p["ac"] == 24_000
    assert p["pv"] == pytest.approx(26_000 * scale) and p["ev"] == pytest.approx(15_000 * scale)
    assert p["cpi"] == pytest.approx(15_000 * scale / 24_000)
    assert p["spi"] == pytest.approx(15 / 26)  # scaling changes money, not the schedule index


def test_unknown_choices_are_named(hand):
    with pytest.raises(ValueError, match="choose one of: timesheets, financials"):
        evm.time_phased(hand, actual_cost="invoices")
    with pytest.raises(ValueError, match="bottom-up ETC"):
        evm.status(hand, eac_method="new_etc")


def test_s_curve_adds_projects_month_by_month(hand):
    curve = evm.s_curve(evm.time_phased(hand)).set_index("month")
    assert curve.loc["2026-02-01", "pv"] == 26_000 + 1_000
    assert curve.loc["2026-02-01", "ev"] == 15_000 + 1_000
    assert curve.loc["2026-01-01", "ac"] == 12_000  # Q booked no timesheets


def test_agrees_with_pmcontrols_on_the_same_plan(hand):
    from pmcontrols import evm as peer_evm
    from pmcontrols import plan

    ours = row(evm.status(hand, "2026-02"), "P")
    pmb = plan([0, 1, 2, 3], [0, 15_000, 26_000, 28_000])
    theirs = peer_evm(pmb, ev=15_000, ac=20_000, at=2).stats
    pairs = {"pv": "pv", "cpi": "cpi", "spi": "spi", "eac": "eac_cpi", "etc": "etc", "vac": "vac", "tcpi": "tcpi_bac"}
    pairs |= {"es": "es", "sv_t": "sv_t", "spi_t": "spi_t", "ieac_t": "ieac_t", "planned_duration": "planned_duration"}
    for mine, peer in pairs.items():
        assert ours[mine] == pytest.approx(theirs[peer], rel=1e-9), mine


def test_sample_portfolio_status_is_complete_and_consistent():
    from pmo_lib import load_sample

    sample = load_sample()
    table = evm.status(sample)
    assert len(table) == len(sample.projects) and list(table.columns) == list(evm.STATUS_COLUMNS)
    assert (table["ev"] <= table["bac"] + 0.01).all()
    done = sample.tasks["percent_complete"].fillna(0) / 100 * sample.tasks["planned_cost"].fillna(0)
    assert table["ev"].sum() == pytest.approx(done.sum(), abs=1.0)  # EV at the data date = % complete x cost
    rates = sample.resources.set_index("resource_id")["cost_rate"]
    hours = sample.timesheets[sample.timesheets["week_start"] <= evm.data_date(sample)]
    labour = (hours["hours"] * hours["resource_id"].map(rates)).sum()
    assert table["ac"].sum() == pytest.approx(labour, abs=1.0)


# --- invariants on random single-project plans -------------------------------------------------


@st.composite
def plans(draw):
    n = draw(st.integers(1, 8))
    base = pd.Timestamp("2026-01-05")
    starts = [base + pd.Timedelta(days=draw(st.integers(0, 200))) for _ in range(n)]
    lengths = [draw(st.integers(0, 90)) for _ in range(n)]
    pct = [draw(st.sampled_from([0, 10, 50, 100])) for _ in range(n)]
    cost = [float(draw(st.integers(0, 50_000))) for _ in range(n)]
    data_day = base + pd.Timedelta(days=draw(st.integers(0, 320)))
    tasks = empty_table("tasks").reindex(range(n))
    tasks["project_id"] = "P"
    tasks["task_id"] = [f"T{i}" for i in range(n)]
    tasks["name"] = "work"
    tasks["duration_days"] = [float(x) for x in lengths]
    tasks["baseline_start"] = pd.to_datetime(starts)
    tasks["baseline_finish"] = pd.to_datetime([s + pd.Timedelta(days=d) for s, d in zip(starts, lengths, strict=True)])
    tasks["actual_start"] = pd.to_datetime(
        [min(s, data_day) if p else pd.NaT for s, p in zip(starts, pct, strict=True)]
    )
    tasks["actual_finish"] = pd.to_datetime([data_day if p == 100 else pd.NaT for p in pct])
    tasks["percent_complete"] = [float(p) for p in pct]
    tasks["planned_cost"] = cost
    projects = empty_table("projects").reindex(range(1))
    projects[["project_id", "name", "portfolio"]] = ["P", "Random", "Demo"]
    frames = {name: empty_table(name) for name in TABLES} | {"tasks": tasks, "projects": projects}
    return Portfolio(**frames), data_day


@settings(max_examples=60, deadline=None)
@given(plans())
def test_invariants_of_the_time_phased_curves(case):
    portfolio, data_day = case
    phased = evm.time_phased(portfolio, as_of=data_day)
    bac = portfolio.tasks["planned_cost"].sum()
    assert np.all(np.diff(phased["pv_cum"]) >= -0.005)  # planned value never decreases
    assert phased["pv_cum"].iloc[-1] == pytest.approx(bac, abs=0.01)  # and reaches BAC
    earned = phased["ev_cum"].dropna()
    assert (earned <= bac + 0.01).all()  # EV <= BAC
    expected_ev = (portfolio.tasks["percent_complete"] / 100 * portfolio.tasks["planned_cost"]).sum()
    assert (earned.iloc[-1] if len(earned) else 0.0) == pytest.approx(expected_ev, abs=0.01)
    state = evm.status(portfolio, as_of=data_day).iloc[0]
    assert 0 <= state["es"] <= state["planned_duration"]
