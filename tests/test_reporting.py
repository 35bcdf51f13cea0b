"""pmo_lib.reporting.month and the tolerances it is rated by: computed RAG, the portfolio summary, exceptions, month over month and milestones.

Every figure of the summary is checked here: on a hand-computed dataset (below) and, for the
sample, against the library functions that each column comes from.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import load_tables

from pmo_lib import evm, finance, load_sample, reporting
from pmo_lib.schedule import schedule
from pmo_lib.standards import tolerances

# Status month 2026-02, data date 2026-02-28 (weekends only, no holidays).
# P (active): the EVM hand example (tests/test_evm_portfolio.py) plus milestone M0 (baseline 13 Feb,
#   not achieved) and links T1->M0, T1->T2->T3->M. As of 28 Feb: T2 has 5 of 10 days left from Mon 2 Mar
#   (to Fri 6 Mar), T3 takes 20 days from Mon 9 Mar to Fri 3 Apr, M lands on Mon 6 Apr (a milestone sits
#   at the start of the day after its predecessor's last day), M0 on Mon 2 Mar (nothing unstarted is
#   scheduled before the status date).
#   SPI 15/26 = 0.577 (red), CPI 0.75 (red); finish slip Fri 6 Mar -> Mon 6 Apr = 21 working days (red);
#   1 overdue milestone (amber); finance: phased budget 35,000, actual 24,000, forecast March 13,000 ->
#   FAC 37,000, 5.7 % over (amber); risks RK1 (p4: 60 % x 10,000 = 6,000) and RK3 (p2: 20 % x 5,000 =
#   1,000) open -> exposure 7,000; one open high issue (amber; the critical one was raised after the
#   status date); approved change CR1 1,400 = 4 % of the 35,000 budget (green; CR2 was decided later).
#   Schedule R, cost R, scope A, overall R; reported A -> mismatch.
# Q (closed): not rated.  R (active, starts in April): nothing measurable yet -> green, no status update.
TABLES_CSV = {
    "projects": """project_id,name,portfolio,programme,manager,stage,status,baseline_start,baseline_finish,budget,currency
P,Hand example,Demo,One,Pat Example,execute,active,2026-01-05,2026-03-06,35000,GBP
Q,Finished late,Demo,One,Pat Example,close,closed,2026-01-05,2026-01-16,1250,GBP
R,Starts in April,Demo,Two,Sam Example,plan,active,2026-04-06,2026-04-17,5000,GBP
""",
    "tasks": """project_id,task_id,name,duration_days,baseline_start,baseline_finish,actual_start,actual_finish,percent_complete,planned_cost,is_milestone
P,T1,Design,10,2026-01-05,2026-01-16,2026-01-05,2026-01-23,100,10000,false
P,M0,Design signed off,0,2026-02-13,2026-02-13,,,0,0,true
P,T2,Build,10,2026-01-26,2026-02-06,2026-02-02,,50,10000,false
P,T3,Test,20,2026-02-09,2026-03-06,,,0,8000,false
P,M,Go live,0,2026-03-06,2026-03-06,,,0,0,true
Q,T1,Only task,10,2026-01-05,2026-01-16,2026-01-05,2026-02-13,100,1000,false
R,T1,Everything,10,2026-04-06,2026-04-17,,,0,5000,false
""",
    "dependencies": """project_id,predecessor_id,successor_id,type,lag_days
P,T1,M0,FS,0
P,T1,T2,FS,0
P,T2,T3,FS,0
P,T3,M,FS,0
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
""",
    "financials": """project_id,month,category,budget,actual,forecast
P,2026-01,labour,15000,12000,12000
P,2026-01,external,3000,2000,2000
P,2026-02,labour,15000,10000,10000
P,2026-03,labour,2000,,13000
Q,2026-01,labour,1250,1100,1100
""",
    "risks": """risk_id,project_id,title,category,probability,impact,cost_impact,owner,mitigation,status,raised_on,review_by,closed_on
RK1,P,Supplier late,delivery,4,3,10000,Pat Example,Weekly call,open,2026-01-10,2026-03-31,
RK2,P,Data migration,technical,3,3,8000,Pat Example,Dry runs,closed,2026-01-10,2026-02-28,2026-02-20
RK3,P,Key person leaves,people,2,2,5000,Pat Example,Handover notes,open,2026-02-03,2026-03-31,
""",
    "issues": """issue_id,project_id,title,severity,owner,status,raised_on,due_on,closed_on
IS1,P,Test data missing,high,Pat Example,open,2026-02-01,2026-03-01,
IS2,P,Server down,critical,Pat Example,closed,2026-01-12,2026-01-14,2026-01-13
IS3,P,Licence expired,critical,Pat Example,open,2026-03-10,2026-03-12,
""",
    "changes": """change_id,project_id,title,cost_impact,schedule_impact_days,status,raised_on,decided_on
CR1,P,Extra report,1400,0,approved,2026-02-01,2026-02-10
CR2,P,Second site,5000,10,approved,2026-02-20,2026-03-15
CR3,P,New module,9000,20,rejected,2026-02-01,2026-02-12
""",
    "status_updates": """project_id,month,overall_rag,schedule_rag,cost_rag,scope_rag,submitted_on
P,2026-01,G,G,G,G,2026-02-03
P,2026-02,A,A,A,G,2026-03-03
""",
}
MONTH = "2026-02"


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    return load_tables(tmp_path_factory.mktemp("report_hand"), TABLES_CSV)


@pytest.fixture(scope="module")
def table(hand):
    return reporting.summary(hand, MONTH).set_index("project_id")


def test_status_date_is_the_month_end_or_the_data_date(hand):
    assert reporting.status_date(hand, "2026-01") == pd.Timestamp("2026-01-31")
    assert reporting.status_date(hand, "2026-03") == pd.Timestamp("2026-02-28")  # no data after the data date


def test_earned_value_figures(table):
    p = table.loc["P"]
    assert (p["pv"], p["ev"], p["ac"], p["bac"]) == (26_000, 15_000, 20_000, 28_000)
    assert p["spi"] == pytest.approx(15 / 26) and p["cpi"] == pytest.approx(0.75)
    assert p["eac"] == pytest.approx(28_000 / 0.75) and p["vac"] == pytest.approx(28_000 - 28_000 / 0.75)
    assert p["percent_complete"] == pytest.approx(15 / 28)
    assert math.isnan(table.loc["R", "spi"]) and math.isnan(table.loc["R", "cpi"])


def test_schedule_figures(table):
    p = table.loc["P"]
    assert p["forecast_finish"] == pd.Timestamp("2026-04-06")
    assert p["baseline_finish"] == pd.Timestamp("2026-03-06")
    assert p["finish_slip_days"] == 21
    assert p["overdue_milestones"] == 1
    assert (p["next_milestone"], p["next_milestone_date"]) == ("Design signed off", pd.Timestamp("2026-03-02"))
    r = table.loc["R"]
    assert (r["forecast_finish"], r["finish_slip_days"], r["overdue_milestones"]) == (pd.Timestamp("2026-04-17"), 0, 0)
    assert pd.isna(r["next_milestone"]) and pd.isna(r["next_milestone_date"])


def test_money_and_raid_figures(table):
    p = table.loc["P"]
    assert (p["budget"], p["actual_to_date"], p["forecast_at_completion"]) == (35_000, 24_000, 37_000)
    assert p["budget_overrun"] == pytest.approx(37_000 / 35_000 - 1)
    assert (p["open_risks"], p["risk_exposure"]) == (2, 7_000)
    assert (p["open_high_issues"], p["open_critical_issues"]) == (1, 0)
    assert p["change_share"] == pytest.approx(1_400 / 35_000)
    r = table.loc["R"]
    assert (r["budget"], r["actual_to_date"], r["open_risks"], r["risk_exposure"]) == (5_000, 0, 0, 0)
    assert math.isnan(r["forecast_at_completion"]) and math.isnan(r["budget_overrun"])  # no forecast recorded


def test_reported_and_computed_rag(table):
    p = table.loc["P"]
    assert (p["reported_rag"], p["reported_schedule"], p["reported_cost"], p["reported_scope"]) == ("A", "A", "A", "G")
    assert (p["schedule_rag"], p["cost_rag"], p["scope_rag"], p["overall_rag"]) == ("R", "R", "A", "R")
    assert p["rag_mismatch"] is True or p["rag_mismatch"] == True  # noqa: E712 (pandas boolean scalar)
    r = table.loc["R"]
    assert (r["schedule_rag"], r["cost_rag"], r["scope_rag"], r["overall_rag"]) == ("G", "G", "G", "G")
    assert pd.isna(r["reported_rag"]) and pd.isna(r["rag_mismatch"])
    q = table.loc["Q"]
    assert pd.isna(q["overall_rag"]) and pd.isna(q["schedule_rag"])  # closed projects are not rated
    assert list(table.index) == ["P", "Q", "R"] and table["name"].tolist()[0] == "Hand example"


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        ("spi", 0.96, "G"), ("spi", 0.95, "G"), ("spi", 0.94, "A"), ("spi", 0.85, "A"), ("spi", 0.84, "R"),
        ("finish_slip_days", 5, "G"), ("finish_slip_days", 6, "A"), ("finish_slip_days", 16, "R"),
        ("overdue_milestones", 0, "G"), ("overdue_milestones", 1, "A"), ("overdue_milestones", 3, "R"),
        ("cpi", 1.2, "G"), ("cpi", 0.9, "A"), ("cpi", 0.8, "R"),
        ("budget_overrun", 0.05, "G"), ("budget_overrun", 0.06, "A"), ("budget_overrun", 0.11, "R"),
        ("change_share", 0.04, "G"), ("change_share", 0.07, "A"), ("change_share", 0.2, "R"),
        ("open_high_issues", 1, "A"), ("open_high_issues", 3, "R"),
        ("open_critical_issues", 0, "G"), ("open_critical_issues", 1, "R"),
    ],
)  # fmt: skip
def test_each_rule_at_its_limits(rule, value, expected):
    columns = {name: [np.nan] for _, name, *_ in tolerances.RULES}
    frame = pd.DataFrame({"project_id": ["X"], "status": ["active"], **columns})
    frame[rule] = [value]
    ratings, findings = tolerances.rate(frame)
    dimension = next(d for d, name, *_ in tolerances.RULES if name == rule)
    assert ratings.loc[0, f"{dimension}_rag"] == expected
    assert ratings.loc[0, "overall_rag"] == expected
    assert len(findings) == (expected != "G")


def test_tolerances_can_be_changed():
    frame = pd.DataFrame({"project_id": ["X"], "status": ["active"]} | {n: [np.nan] for _, n, *_ in tolerances.RULES})
    frame["spi"] = [0.9]
    assert tolerances.rate(frame)[0].loc[0, "schedule_rag"] == "A"
    strict = tolerances.Tolerances(spi=(0.98, 0.92))
    assert tolerances.rate(frame, strict)[0].loc[0, "schedule_rag"] == "R"


def test_exceptions_give_every_reason_red_first(hand):
    table = reporting.exceptions(hand, MONTH)
    p = table[table["project_id"] == "P"]
    assert p["rag"].tolist() == ["R"] * 4 + ["A"] * 3
    reasons = set(p["reason"])
    assert "SPI 0.58 below 0.85" in reasons and "CPI 0.75 below 0.85" in reasons
    assert "finish 21 working days late (limit 15)" in reasons
    assert "reported A, computed R" in reasons
    assert "1 milestone(s) overdue (limit 0)" in reasons and "1 open high issue(s) (limit 0)" in reasons
    assert "forecast 5.7% over budget (limit 5%)" in reasons
    assert table[table["project_id"] == "R"][["dimension", "rag", "reason"]].values.tolist() == [
        ["reporting", "A", "no status update for 2026-02"]
    ]
    assert "Q" not in set(table["project_id"])


def test_month_over_month(hand):
    table = reporting.month_over_month(hand, MONTH)
    got = set(map(tuple, table[["project_id", "kind", "item"]].values.tolist()))
    assert got == {
        ("P", "new risk", "RK3"),
        ("P", "closed risk", "RK2"),
        ("P", "RAG move", "overall"),
        ("P", "milestone slipped", "M0"),
    }
    assert table.loc[table["kind"] == "RAG move", "detail"].item() == "G → A"


def test_milestones_due_slipped_and_coming(hand):
    table = reporting.milestones(hand, MONTH)
    assert table[["project_id", "task_id", "state", "slip_days"]].values.tolist() == [["P", "M0", "slipped", 11]]
    longer = reporting.milestones(hand, MONTH, horizon_days=45)
    assert longer[["task_id", "state", "forecast_date"]].values.tolist()[-1] == [
        "M",
        "upcoming",
        pd.Timestamp("2026-04-06"),
    ]


# --- the sample: each column equals the library function it comes from -------------------------


@pytest.fixture(scope="module")
def sample_summary():
    sample = load_sample()
    return sample, reporting.summary(sample, "2026-10").set_index("project_id")


def test_sample_summary_in_one_call_agrees_with_its_sources(sample_summary):
    sample, table = sample_summary
    assert len(table) == 24
    money = evm.status(sample, "2026-10").set_index("project_id")
    for column in ("spi", "cpi", "pv", "ev", "ac", "bac", "eac", "vac", "percent_complete"):
        assert table[column].to_numpy() == pytest.approx(money.loc[table.index, column].to_numpy(), nan_ok=True)
    plan = schedule(sample, as_of="2026-10-31")
    assert (table["forecast_finish"] == plan.groupby("project_id")["early_finish"].max().loc[table.index]).all()
    fin = finance.summary(sample.financials, sample.projects, "2026-10-31").set_index("project_id")
    assert table["actual_to_date"].to_numpy() == pytest.approx(fin.loc[table.index, "actual_to_date"].to_numpy())
    assert table["forecast_at_completion"].to_numpy() == pytest.approx(fin.loc[table.index, "forecast_at_completion"])
    rated = table["status"].isin(["active", "on_hold"])
    assert table.loc[rated, "overall_rag"].notna().all() and table.loc[~rated, "overall_rag"].isna().all()
    worst = table.loc[rated, ["schedule_rag", "cost_rag", "scope_rag"]].replace({"G": 0, "A": 1, "R": 2}).max(axis=1)
    assert (worst.map({0: "G", 1: "A", 2: "R"}) == table.loc[rated, "overall_rag"]).all()
    open_risks = sample.risks[sample.risks["status"] == "open"].groupby("project_id").size()
    assert (table["open_risks"] == open_risks.reindex(table.index).fillna(0)).all()
    reported = sample.status_updates[sample.status_updates["month"] == "2026-10-01"].set_index("project_id")
    assert (table["reported_rag"].dropna() == reported.loc[table["reported_rag"].dropna().index, "overall_rag"]).all()
    mism = table["rag_mismatch"].dropna().astype(bool)
    assert (mism == (table.loc[mism.index, "reported_rag"] != table.loc[mism.index, "overall_rag"])).all()


def test_biggest_changes_say_what_moved_in_words():
    sample = load_sample()
    table = reporting.biggest_changes(sample, "2026-10")
    assert len(table) == 3 and table["eac_change"].abs().is_monotonic_decreasing
    live = sample.projects.set_index("project_id")["status"].isin(["active", "on_hold"])
    assert live[table["project_id"]].all()
    for row in table.itertuples():
        assert row.what.startswith("EAC up by GBP" if row.eac_change > 0 else "EAC down by GBP")
        assert "nan" not in row.what
