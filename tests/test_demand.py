"""Demand management end to end: scoring by the standard, the intake from data, pmo select, broken proposal data."""

from __future__ import annotations

import csv
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import pmo_lib as pmo
from pmo_lib import scenarios, standards
from pmo_lib.demand import intake, solve
from pmo_lib.demand.decision import decide, to_scenario, trade_offs
from pmo_lib.standards import StandardError

DEMAND = standards.load().demand


@pytest.fixture(scope="module")
def sample():
    return pmo.load_portfolio(pmo.SAMPLE_DATA)


@pytest.fixture(scope="module")
def decision(sample):
    return decide(intake.build(sample, DEMAND))


def two_proposals():
    """Worked by hand with the default weights (30 fit, 25 NPV on 0-1.5 m, 20 customers, 15 urgency, 10 risk reversed):
    A: fit 4 -> 0.75 x 30 = 22.5; NPV 600k -> 0.4 x 25 = 10; customers 5 -> 20; urgency 2 -> 0.25 x 15 = 3.75;
       risk 2 -> 0.75 x 10 = 7.5; total 63.75 -> 63.8.
    B: fit 2 -> 7.5; NPV 1.8 m (capped) -> 25; customers 1 -> 0; urgency 5 -> 15; risk blank -> 0 (missing); 47.5.
    """
    return pd.DataFrame(
        {
            "proposal_id": ["A", "B"],
            "name": ["Alpha", "Beta"],
            "portfolio": ["X", "X"],
            "stage": pd.Categorical(["business_case", "idea"]),
            "mandatory": [False, False],
            "strategic_fit": [4, 2],
            "npv": [600_000.0, 1_800_000.0],
            "customer_impact": [5, 1],
            "urgency": [2, 5],
            "delivery_risk": pd.array([2, None], dtype="Int64"),
        }
    )


def test_scores_follow_the_weighted_criteria_worked_by_hand():
    scored = intake.score(two_proposals(), DEMAND).set_index("proposal_id")
    assert scored.loc["A", "score"] == 63.8 and scored.loc["B", "score"] == 47.5
    assert scored.loc["A", "points_npv"] == 10.0 and scored.loc["B", "points_npv"] == 25.0
    assert scored.loc["B", "missing"] == "delivery_risk" and scored.loc["A", "missing"] == ""
    assert list(scored["rank"]) == [1, 2]
    assert scored.loc["A", "eligible"] and not scored.loc["B", "eligible"]
    assert scored.loc["B", "gates"].startswith("DM-01: No business case")


def test_a_standard_changes_the_weights_without_code(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: default\nstandard: Money first\ndemand:\n  criteria:\n    npv: {weight: 300}\n")
    demand = standards.load(mine).demand
    assert demand["criteria"]["npv"]["scale"] == [0, 1500000]  # only the weight changed
    scored = intake.score(two_proposals(), demand).set_index("proposal_id")
    assert scored.loc["B", "rank"] == 1  # B has the larger NPV: with money first it leads
    # 100 x (7.5/30 x 30 ... ) by hand: B = (0.25x30 + 1x300 + 0 + 1x15 + 0) / 375 x 100 = 86.0
    assert scored.loc["B", "score"] == 86.0


def test_a_broken_demand_section_lists_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "extends: default\nstandard: Broken\ndemand:\n  objective: profit\n  criteria:\n"
        "    colour: {weight: 1, scale: [1, 5]}\n    urgency: {weight: -1, scale: [3, 3]}\n"
        "  gates:\n    - {id: G1, statement: x, column: stage, in: [maybe]}\n    - {id: G2, column: height}\n"
    )
    with pytest.raises(StandardError) as err:
        standards.load(bad)
    text = str(err.value)
    for expected in (
        "demand.objective: must be one of score, npv",
        "demand.criteria.colour: not a numeric column of proposals",
        "demand.criteria.urgency.weight: must be a number of 0 or more",
        "demand.criteria.urgency.scale: give [scores nothing, scores full marks]",
        "gates[0] (G1).in: 'maybe' is not a stage",
        "gates[1] (G2).statement: missing",
        "gates[1] (G2).column: 'height' is neither score nor a column of proposals",
        "gates[1] (G2): say what passes",
    ):
        assert expected in text


def test_free_capacity_is_people_less_the_committed_projects(sample):
    free = intake.free_capacity(sample, "2027-01-01", 4)
    assert set(free["label"]) == {"2027 Q1", "2027 Q2", "2027 Q3", "2027 Q4"}
    assert (free["free_fte"] >= 0).all()
    assert np.allclose(free["free_fte"], np.maximum(free["capacity_fte"] - free["committed_fte"], 0))
    dev = free[free["role"] == "developer"].set_index("label")
    people = sample.resources[sample.resources["role"] == "developer"]
    assert dev["capacity_fte"].max() <= people["fte"].sum() + 1e-9  # never more than everyone full time
    assert dev.loc["2027 Q1", "committed_fte"] > 0  # the committed projects still book developers then


def test_the_sample_selection_is_optimal_keeps_every_limit_and_beats_greedy(decision):
    best, problem = decision.best, decision.problem
    assert best.status == "optimal" and best.gap <= 1e-6
    assert best.value > decision.quick.value
    assert (decision.spend["selected"] <= decision.spend["budget"] + 1e-6).all()
    assert (decision.people["left_fte"] >= -1e-9).all()
    chosen = set(decision.selected["proposal_id"])
    assert set(problem.ids[problem.mandatory]) <= chosen
    ids = problem.ids
    for a, b in problem.requires:
        assert ids[a] not in chosen or ids[b] in chosen
    for a, b in problem.excludes:
        assert not {ids[a], ids[b]} <= chosen
    left = set(decision.rejected["proposal_id"])
    assert chosen.isdisjoint(left) and len(chosen | left) == 40  # every proposal is accounted for
    assert decision.rejected["reason"].str.len().gt(0).all()


def test_forcing_a_proposal_in_or_out_changes_the_optimum_the_expected_way(sample, decision):
    base = intake.build(sample, DEMAND)
    top = decision.selected.sort_values("score").iloc[-1]["proposal_id"]
    without = decide(base, force_out=[top])
    assert top not in set(without.selected["proposal_id"]) and without.best.value <= decision.best.value
    assert without.rejected.set_index("proposal_id").loc[top, "reason"] == "left out by choice"
    outside = decision.rejected[decision.rejected["reason"].str.startswith("budget")]["proposal_id"].iloc[0]
    forced = decide(base, force_in=[outside])
    assert outside in set(forced.selected["proposal_id"]) and forced.best.value <= decision.best.value
    with pytest.raises(intake.DemandError, match="not an eligible proposal"):
        decide(base, force_in=["D999"])


@settings(max_examples=8, deadline=None)
@given(share=st.floats(0.2, 1.5))
def test_more_budget_never_lowers_the_optimum(sample, share):
    problem = intake.build(sample, DEMAND, budget=3_000_000 * share).problem
    low, high = solve(problem), solve(problem.with_budget(problem.budget * 1.1))
    worth = [-np.inf if s.status == "infeasible" else s.value for s in (low, high)]  # the mandatory ones do not fit
    assert worth[1] >= worth[0] - 1e-6
    if low.status == "infeasible":
        assert "mandatory" in low.message


def test_budget_and_horizon_problems_are_clear(sample):
    with pytest.raises(intake.DemandError, match=r"no budget for 2030: add a row per year to investment_budget\.csv"):
        intake.build(sample, DEMAND, horizon=16)
    per_year = intake.build(sample, DEMAND, horizon=12, budget={2027: 1e6, 2028: 2e6, 2029: 3e6})
    assert list(per_year.budget) == [1e6, 2e6, 3e6]
    with pytest.raises(intake.DemandError, match="horizon"):
        intake.build(sample, DEMAND, horizon=0)


def test_the_chosen_portfolio_opens_in_the_planner_as_a_scenario(sample, decision, tmp_path):
    scenario = to_scenario(decision)
    assert len(scenario.changes) == len(decision.selected)
    path = scenarios.save(scenario, tmp_path / "chosen.yaml")
    again = scenarios.load(path, sample)
    after = scenarios.apply(sample, again)
    first = decision.selected.iloc[0]["proposal_id"]
    assert first in set(after.projects["project_id"])
    booked = after.assignments[after.assignments["project_id"] == first]
    asked = sample.proposal_demand[sample.proposal_demand["proposal_id"] == first]
    assert len(booked) == len(asked) and booked["fte"].sum() == pytest.approx(asked["fte"].sum())
    assert len(sample.projects) == 24  # the baseline is untouched
    assert scenarios.describe(again, sample)[0].startswith(f"{first} ")


# --- pmo select -------------------------------------------------------------------------------------


def test_pmo_select_on_the_sample_gives_the_optimum_with_reasons(pmo):
    result = pmo("select", str(pmo_data()))
    assert result.returncode == 0, result.stderr
    assert "proven optimal" in result.stdout and "Greedy by value per cost" in result.stdout
    assert "Left out, and why:" in result.stdout and "budget of 2028: needs" in result.stdout


def pmo_data():
    return pmo.SAMPLE_DATA


def test_pmo_select_writes_a_workbook_and_a_scenario(pmo, tmp_path, decision):
    book, plan = tmp_path / "choice.xlsx", tmp_path / "choice.yaml"
    result = pmo("select", "--format", "xlsx", "--out", str(book), "--scenario", str(plan))
    assert result.returncode == 0, result.stderr
    sheets = load_workbook(book, read_only=True)
    assert sheets.sheetnames == [
        "Selected", "Left out", "Ranking", "Budget", "People", "Optimum vs greedy", "Frontier", "At the margin"
    ]  # fmt: skip
    curve = list(sheets["Frontier"].iter_rows(min_row=2, values_only=True))
    assert len(curve) == 20 and curve[9][0] == pytest.approx(1.0) and curve[9][2] == pytest.approx(decision.best.value)
    ids = [row[0] for row in sheets["Selected"].iter_rows(min_row=2, values_only=True)]
    assert ids == list(decision.selected["proposal_id"])
    assert len(yaml.safe_load(plan.read_text())["changes"]) == len(ids)


def test_trade_offs_pass_through_the_stated_budget_and_name_what_moves(decision):
    curve, edge = trade_offs(decision)
    assert curve["budget_share"].round(2).tolist() == [round(0.1 * i, 2) for i in range(1, 21)]
    at_budget = curve.loc[curve["budget_share"].round(2) == 1.0].iloc[0]
    assert at_budget["value"] == pytest.approx(decision.best.value) and at_budget["proposals"] == len(decision.selected)
    feasible = curve[curve["status"] == "optimal"]
    assert feasible["value"].is_monotonic_increasing
    assert (curve["status"] == "infeasible").any()  # at 10 % of the budget the mandatory ones do not fit
    chosen = set(decision.selected["proposal_id"])
    assert all((row.proposal_id in chosen) == row.change.startswith("drops") for row in edge.itertuples())
    assert edge["name"].notna().all() and edge["change"].str.contains("10% (?:more|less) budget").all()


def test_pmo_select_shows_the_margin_and_the_frontier_unless_asked_not_to(pmo):
    full = pmo("select")
    assert "At the margin:" in full.stdout and "enters with 10% more budget" in full.stdout
    assert "Efficient frontier" in full.stdout and "the mandatory ones do not fit" in full.stdout
    short = pmo("select", "--no-trade-offs")
    assert short.returncode == 0 and "At the margin:" not in short.stdout and "Efficient frontier" not in short.stdout


def test_pmo_select_csv_and_options(pmo):
    result = pmo("select", "--format", "csv", "--budget", "2027=1500000,2028=1500000", "--exclude", "D013")
    assert result.returncode == 0, result.stderr
    rows = {r["proposal_id"]: r for r in csv.DictReader(result.stdout.splitlines())}
    chosen = [r for r in rows.values() if r["decision"] == "selected"]
    assert rows["D013"]["reason"] == "left out by choice, although it is mandatory"
    assert {"D006", "D040"} <= {r["proposal_id"] for r in chosen}  # the other mandatory ones stay
    assert len(rows) == 40 and len(chosen) < 17  # half the budget: fewer than the 17 chosen with 3 m a year


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--budget", "lots"], "--budget 'lots'"),
        (["--format", "xlsx"], "--format xlsx needs --out"),
        (["--include", "D999"], "not an eligible proposal inside the horizon: D999"),
        (["--horizon", "16"], "no budget for 2030"),
        (["--start", "soon"], "--start 'soon' is not a date"),
    ],
)
def test_pmo_select_refuses_a_bad_request(pmo, args, message):
    result = pmo("select", *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_pmo_select_says_why_the_mandatory_proposals_cannot_fit(pmo):
    result = pmo("select", "--budget", "100000")
    assert result.returncode == 1
    assert "no portfolio can be chosen: mandatory" in result.stderr and "cannot fit even alone" in result.stderr


# --- broken proposal data -----------------------------------------------------------------------------


def _edit(path, fn):
    rows = list(csv.DictReader(path.open()))
    fn(rows)
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_broken_proposal_data_gives_every_finding_and_leaves_the_files_alone(tmp_path, pmo):
    data = tmp_path / "data"
    shutil.copytree(pmo_data(), data, ignore=shutil.ignore_patterns("scenarios"))

    def links(rows):
        rows += [
            {"proposal_id": "D003", "link": "requires", "other_id": "D017"},  # D017 requires D003 already: a loop
            {"proposal_id": "D005", "link": "requires", "other_id": "D005"},
            {"proposal_id": "D006", "link": "excludes", "other_id": "D025"},  # D025 requires D006
        ]

    def demand(rows):
        rows[0]["role"], rows[1]["quarter"] = "wizard", "9"

    def proposals(rows):
        rows[0]["cost_year_2"], rows[5]["stage"] = "5000", "rejected"  # D001 lasts 3 quarters; D006 is mandatory

    _edit(data / "proposal_links.csv", links)
    _edit(data / "proposal_demand.csv", demand)
    _edit(data / "proposals.csv", proposals)
    before = {p.name: p.read_bytes() for p in data.glob("*.csv")}
    result = pmo("select", str(data))
    assert result.returncode == 1
    for expected in (
        "proposals require each other round a loop: D017 → D003 → D017",
        "a proposal cannot require or exclude itself",
        "D006 and D025 both require and exclude each other",
        "refers to a role that is not in resources.csv (found: 'wizard')",
        "the demand falls after the proposal's work ends (found: '9 (the work lasts 3 quarters)')",
        "the proposal has cost in a year after its work ends",
        "a mandatory proposal cannot be rejected",
    ):
        assert expected in result.stderr, expected
    assert {p.name: p.read_bytes() for p in data.glob("*.csv")} == before


def test_the_demand_planner_re_solves_when_a_control_moves(sample):
    from pmo_lib.widgets.demand import DemandPlanner

    planner = DemandPlanner(intake.build(sample, DEMAND))
    first = planner.decision.best.value
    planner.budget.value = 0.9  # the real callback: observe -> refresh
    assert planner.decision.best.value <= first and len(planner.timings) == 2
    top = planner.decision.selected["proposal_id"].iloc[0]
    planner.exclude.value = (top,)
    assert top not in set(planner.decision.selected["proposal_id"])
    assert "left out by choice" in planner.output.value
