"""pmo_lib.standards: the default standard loads, every rule passes on compliant data and fails on
a breach made for it, a broken standard file is named precisely, and a custom standard changes the outcome."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import load_tables

from pmo_lib import load_sample, reporting
from pmo_lib import standards as st
from pmo_lib.standards import tolerances

AS_OF = "2026-10-31"
# A compliant portfolio: P (active, executing, on track), Q (closed in March). Data date 31 Oct 2026.
BASE = {
    "projects": """project_id,name,portfolio,programme,sponsor,manager,stage,status,priority,baseline_start,baseline_finish,forecast_finish,budget,currency
P,Compliant project,Demo,One,Sam Sponsor,Pat Manager,execute,active,1,2026-06-01,2027-03-31,2027-03-31,100000,GBP
Q,Closed project,Demo,One,Sam Sponsor,Pat Manager,close,closed,2,2026-01-05,2026-03-27,2026-03-27,20000,GBP
""",
    "tasks": """project_id,task_id,name,duration_days,baseline_start,baseline_finish,actual_start,actual_finish,percent_complete,planned_cost,is_milestone
P,T1,Design,22,2026-06-01,2026-06-30,2026-06-01,2026-06-30,100,20000,false
P,T2,Build,132,2026-07-01,2026-12-31,2026-07-01,,60,50000,false
P,T3,Test,63,2027-01-01,2027-03-31,,,0,30000,false
Q,T1,Close down,60,2026-01-05,2026-03-27,2026-01-05,2026-03-27,100,15000,false
""",
    "dependencies": "project_id,predecessor_id,successor_id,type,lag_days\nP,T1,T2,FS,0\nP,T2,T3,FS,0\n",
    "resources": "resource_id,name,role,team,cost_rate,fte\nR1,Alex Example,developer,Build,60,1\n",
    "assignments": """assignment_id,project_id,task_id,resource_id,role,start,finish,fte
A1,P,T2,R1,developer,2026-07-01,2026-12-31,0.5
""",
    "timesheets": """resource_id,project_id,task_id,week_start,hours
R1,Q,T1,2026-03-23,10
R1,P,T2,2026-09-28,18
R1,P,T2,2026-10-05,18
R1,P,T2,2026-10-12,18
R1,P,T2,2026-10-19,18
""",
    "financials": "project_id,month,category,budget,actual,forecast\n"
    + "".join(f"P,2026-{m:02d},labour,10000,10000,10000\n" for m in range(6, 11))
    + "".join(
        f"P,{y}-{m:02d},labour,10000,,10000\n" for y, m in [(2026, 11), (2026, 12), (2027, 1), (2027, 2), (2027, 3)]
    ),
    "risks": """risk_id,project_id,title,category,probability,impact,cost_impact,owner,mitigation,status,raised_on,review_by,closed_on
R1,P,Supplier late,delivery,2,2,5000,Pat Manager,Weekly supplier call,open,2026-06-05,2026-11-30,
R2,P,Key person leaves,people,4,4,20000,Sam Sponsor,Handover notes and a deputy,open,2026-06-05,2026-11-20,
""",
    "issues": "issue_id,project_id,title,severity,owner,status,raised_on,due_on,closed_on\nI1,P,Test data late,medium,Pat Manager,open,2026-10-01,2026-12-15,\n",
    "status_updates": """project_id,month,overall_rag,schedule_rag,cost_rag,scope_rag,commentary,submitted_on
P,2026-07,G,G,G,G,Started well.,2026-08-03
P,2026-08,G,G,G,G,On track.,2026-09-02
P,2026-09,A,A,G,G,Supplier delay on build; recovery plan agreed with the sponsor.,2026-10-02
P,2026-10,G,G,G,G,Back on track.,2026-11-02
""",
}


def _csv_edit(table: str, edit):
    def apply(tables):
        from io import StringIO

        frame = pd.read_csv(StringIO(tables[table]), dtype=str, keep_default_na=False)
        frame = edit(frame)
        tables[table] = frame.to_csv(index=False)

    return apply


def _set(table, row_filter, column, value):
    def edit(frame):
        mask = pd.Series(True, index=frame.index)
        for k, v in row_filter.items():
            mask &= frame[k] == v
        frame.loc[mask, column] = value
        return frame

    return _csv_edit(table, edit)


def _drop(table, row_filter):
    def edit(frame):
        mask = pd.Series(True, index=frame.index)
        for k, v in row_filter.items():
            mask &= frame[k] == v
        return frame[~mask]

    return _csv_edit(table, edit)


def _append(table, line):
    def apply(tables):
        tables[table] = tables[table] + line + "\n"

    return apply


BREACHES = {
    "GOV-01": _set("projects", {"project_id": "P"}, "sponsor", ""),
    "GATE-01": _set("projects", {"project_id": "P"}, "budget", ""),
    "GATE-02": _drop("risks", {"project_id": "P"}),
    "RPT-01": _drop("status_updates", {"month": "2026-09"}),
    "RPT-02": _set("status_updates", {"month": "2026-09"}, "commentary", ""),
    "RAID-01": _set("risks", {"risk_id": "R1"}, "owner", ""),
    "RAID-02": _set("risks", {"risk_id": "R1"}, "mitigation", ""),
    "RAID-03": _set("risks", {"risk_id": "R1"}, "review_by", "2026-10-15"),
    "RAID-04": _set("risks", {"risk_id": "R2"}, "review_by", "2027-01-31"),
    "RAID-05": _set("issues", {"issue_id": "I1"}, "due_on", "2026-10-15"),
    "CHG-01": _set("financials", {"month": "2027-03"}, "forecast", "40000"),
    "CHG-02": _set("tasks", {"project_id": "P", "task_id": "T2"}, "percent_complete", "10"),
    "TIME-01": _drop("timesheets", {"project_id": "P", "week_start": "2026-10-12"}),
    "TIME-02": _append("timesheets", "R1,Q,T1,2026-04-06,8"),
    "DATA-01": _set("tasks", {"project_id": "P", "task_id": "T3"}, "planned_cost", ""),
    "DATA-02": _set("tasks", {"project_id": "P", "task_id": "T1"}, "percent_complete", "90"),
}


def _portfolio(tmp_path: Path, edit=None):
    tables = dict(BASE)
    if edit:
        edit(tables)
    return load_tables(tmp_path, tables)


@pytest.fixture(scope="module")
def default():
    return st.load()


def _only(standard, rule_id):
    return st.Standard(**{**standard.__dict__, "rules": [r for r in standard.rules if r["id"] == rule_id]})


def test_every_rule_of_the_default_standard_has_a_breach_case(default):
    assert sorted(BREACHES) == sorted(r["id"] for r in default.rules)


def test_compliant_data_passes_every_rule(tmp_path, default):
    found = st.evaluate(_portfolio(tmp_path), default, AS_OF)
    assert found.empty, found[["rule_id", "found", "evidence"]].to_string()
    scored = st.scores(_portfolio(tmp_path), found, default)
    assert scored.set_index("project_id").loc["P", "score"] == 100.0


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_each_rule_catches_its_breach(tmp_path, default, rule_id):
    portfolio = _portfolio(tmp_path, BREACHES[rule_id])
    found = st.evaluate(portfolio, _only(default, rule_id), AS_OF)
    assert len(found) >= 1 and set(found["rule_id"]) == {rule_id}
    rule = next(r for r in default.rules if r["id"] == rule_id)
    assert (found["severity"] == rule["severity"]).all() and (found["fix"] == rule["fix"]).all()
    assert found["evidence"].str.len().gt(0).all() and found["found"].str.len().gt(0).all()
    everything = st.evaluate(portfolio, default, AS_OF)
    assert rule_id in set(everything["rule_id"])


def test_the_sample_gives_a_realistic_mix(default):
    sample = load_sample()
    found = st.evaluate(sample, default)
    scored = st.scores(sample, found, default).set_index("project_id")
    clean = scored.index[scored["rules_broken"] == 0].tolist()
    assert clean == ["P011", "P021", "P022"]  # three live projects meet every rule
    assert scored["score"].between(50, 100).all() and scored["score"].lt(100).sum() == 14
    assert set(found["severity"]) == {"error", "warning"}
    assert found.groupby("rule_id").size().to_dict() == {
        "CHG-01": 4, "CHG-02": 3, "RAID-01": 6, "RAID-02": 5, "RAID-03": 21, "RAID-04": 11, "RAID-05": 14,
        "RPT-01": 7, "TIME-01": 37, "TIME-02": 2,
    }  # fmt: skip


def _write(tmp_path, text, name="custom.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("standard: X\ntolerances: {cpi: {amber: high}}\n", "tolerances.cpi.amber: must be a number (found 'high')"),
        ("standard: X\ntolerances: {velocity: {red: 1}}\n", "tolerances.velocity: unknown indicator; known: "),
        ("standard: X\nrules: [{id: A-1, check: telepathy, statement: s, severity: error, fix: f}]\n",
         "rules[0] (A-1).check: unknown check 'telepathy'; known: "),
        ("standard: X\nrules: [{id: A-1, check: issues_not_past_due, statement: s, severity: fatal, fix: f}]\n",
         "rules[0] (A-1).severity: must be one of error, warning, note (found 'fatal')"),
        ("extends: default\nrules: [{id: RPT-01, params: {submit_within_days: soon}}]\n",
         "(RPT-01).params.submit_within_days: must be a number (found 'soon')"),
        ("extends: default\nrules: [{id: RPT-01, params: {days: 3}}]\n",
         "(RPT-01).params.days: unknown parameter; monthly_status_update takes submit_within_days, months"),
        ("standard: X\ncolour: blue\n", "colour: unknown key"),
        ("standard: [unclosed\n", "not valid YAML"),
        ("extends: nowhere\n", "extends: no standard 'nowhere' (looked for "),
    ],
)  # fmt: skip
def test_a_broken_standard_file_is_named_precisely(tmp_path, text, words):
    path = _write(tmp_path, text)
    with pytest.raises(st.StandardError) as info:
        st.load(path)
    assert words in str(info.value)
    assert str(tmp_path) in str(info.value)


def test_all_problems_are_listed_at_once(tmp_path):
    path = _write(tmp_path, "standard: X\ntolerances: {cpi: {amber: high}, spi: {red: low}}\nmood: calm\n")
    with pytest.raises(st.StandardError, match=r"3 problem\(s\)"):
        st.load(path)


def test_a_custom_standard_changes_only_what_it_says(tmp_path, default):
    path = _write(
        tmp_path,
        "extends: default\nstandard: Strict PMO\n"
        "tolerances: {cpi: {amber: 0.99, red: 0.97}}\n"
        "rules:\n  - {id: TIME-01, enabled: false}\n  - {id: RPT-01, params: {submit_within_days: 1}}\n",
    )
    custom = st.load(path)
    assert custom.name == "Strict PMO" and custom.tolerances["cpi"]["amber"] == 0.99
    assert custom.tolerances["spi"] == default.tolerances["spi"]  # untouched keys stay
    assert "TIME-01" not in {r["id"] for r in custom.rules} and len(custom.rules) == len(default.rules) - 1
    rpt = next(r for r in custom.rules if r["id"] == "RPT-01")
    assert rpt["params"] == {"submit_within_days": 1, "months": 3} and rpt["statement"]  # merged, not replaced
    sample = load_sample()
    stricter = st.evaluate(sample, custom)
    assert (stricter["rule_id"] == "RPT-01").sum() > (st.evaluate(sample, default)["rule_id"] == "RPT-01").sum()
    # the report's computed RAG follows the standard's tolerances
    plain = reporting.summary(sample, "2026-10", tolerances=default.report_tolerances())
    strict = reporting.summary(sample, "2026-10", tolerances=custom.report_tolerances())
    cost = lambda t: t.set_index("project_id")["cost_rag"].dropna()  # noqa: E731
    worse = (cost(strict).map({"G": 0, "A": 1, "R": 2}) > cost(plain).map({"G": 0, "A": 1, "R": 2})).sum()
    assert worse >= 1


def test_default_tolerances_are_the_reports_defaults(default):
    assert default.report_tolerances() == tolerances.Tolerances()


def test_changes_since_last_month_and_trend(default):
    sample = load_sample()
    diff = st.changes_since(sample, default, "2026-10-31", "2026-09-30")
    assert set(diff["change"]) <= {"new", "resolved"} and len(diff) > 0
    now = st.evaluate(sample, default, "2026-10-31")
    then = st.evaluate(sample, default, "2026-09-30")
    assert len(now) - len(then) == (diff["change"] == "new").sum() - (diff["change"] == "resolved").sum()
    history = st.trend(sample, default, months=3)
    assert history["month"].unique().tolist() == ["2026-08", "2026-09", "2026-10"]
    assert history["score"].between(0, 100).all()


def test_describe_is_written_from_the_file(default):
    text = st.describe(default)
    for rule in default.rules:
        assert f"| {rule['id']} | {rule['severity']} |" in text
    assert "| cpi | 0.95 | 0.85 |" in text and "| execute |" in text
    assert "| strategic_fit | 30 | 1 - 5 |" in text and "| delivery_risk | 10 | 5 - 1 |" in text
    assert "| DM-01 | stage is one of business_case, approved |" in text and "| DM-02 | score is at least 20 |" in text


def test_describe_gives_weights_as_shares_of_100(tmp_path):
    own = tmp_path / "own.yaml"
    own.write_text(
        "standard: Own\nextends: default\ndemand:\n  criteria:\n    strategic_fit: {weight: 90}\n"
        "  gates:\n    - {id: DM-09, statement: Small ones only., column: npv, max: 500000}\n",
        encoding="utf-8",
    )
    text = st.describe(st.load(own))
    assert "| strategic_fit | 56 | 1 - 5 |" in text  # 90 of 160
    assert "| DM-09 | npv is at most 500000 |" in text


@pytest.mark.parametrize(("kind", "severity"), [("supportive", "warning"), ("directive", "error")])
def test_tailor_writes_a_standard_pmo_check_accepts(tmp_path, kind, severity):
    made = st.tailor("Acme PMO", pmo_type=kind, tolerances={"cpi": {"amber": 0.97, "red": 0.9}},
                     params={"RPT-01": {"submit_within_days": 3}}, disabled=["TIME-01"])  # fmt: skip
    path = st.write(made, tmp_path / "acme.yaml")
    loaded = st.load(path)
    assert loaded.name == "Acme PMO" and {r["severity"] for r in loaded.rules} == {severity}
    assert "TIME-01" not in {r["id"] for r in loaded.rules}
    assert loaded.report_tolerances().cpi == (0.97, 0.9)


def test_tailor_refuses_what_would_not_load(tmp_path):
    with pytest.raises(st.StandardError, match="unknown PMO type 'bossy'"):
        st.tailor("X", pmo_type="bossy")
    bad = st.tailor("X", params={"RPT-01": {"submit_within_days": "soon"}})
    with pytest.raises(st.StandardError, match="must be a number"):
        st.write(bad, tmp_path / "bad.yaml")
    assert not (tmp_path / "bad.yaml").exists()
