"""pmo_lib.risk: RAID analytics on small hand-made registers with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pmo_lib as pmo
from pmo_lib import risk

AS_OF = "2026-10-31"
RISKS = pd.DataFrame(
    {
        "risk_id": ["RK1", "RK2", "RK3", "RK4"],
        "project_id": ["P1", "P1", "P2", "P2"],
        "probability": pd.array([3, 5, 1, 4], dtype="Int64"),
        "impact": pd.array([4, 3, 2, 5], dtype="Int64"),
        "cost_impact": [10_000.0, 2_000.0, 50_000.0, 8_000.0],
        "status": ["open", "open", "open", "closed"],
        "raised_on": pd.to_datetime(["2026-10-15", "2026-06-01", "2025-12-01", "2026-01-01"]),
        "review_by": pd.to_datetime(["2026-11-15", "2026-09-30", "2026-10-30", "2026-02-01"]),
    }
)


def test_scores_and_ratings_on_the_default_matrix():
    scores = risk.score(RISKS["probability"], RISKS["impact"])
    assert scores.tolist() == [12.0, 15.0, 2.0, 20.0]  # probability x impact
    assert risk.rating(scores).tolist() == ["medium", "high", "low", "high"]
    assert risk.rating([14, 6, 5]).tolist() == ["medium", "medium", "low"]


def test_a_custom_matrix_replaces_the_product():
    matrix = np.arange(1, 26).reshape(5, 5)  # row = probability, column = impact
    assert risk.score(2, 3, matrix=matrix) == 8.0
    with pytest.raises(ValueError, match="5x5"):
        risk.score(2, 3, matrix=np.ones((3, 3)))


def test_expected_monetary_value_uses_the_middle_of_each_probability_band():
    # probability 3 is the PMBOK "medium" band 31-50 %: 40 % of 10,000
    emv = risk.expected_monetary_value(RISKS["probability"], RISKS["cost_impact"])
    assert emv.tolist() == pytest.approx([4_000.0, 1_700.0, 2_500.0, 4_800.0])


def test_heat_map_counts_open_risks_with_probability_five_on_top():
    hm = risk.heat_map(RISKS)
    assert list(hm.index) == [5, 4, 3, 2, 1] and list(hm.columns) == [1, 2, 3, 4, 5]
    assert hm.loc[3, 4] == 1 and hm.loc[5, 3] == 1 and hm.loc[1, 2] == 1
    assert hm.loc[4, 5] == 0  # RK4 is closed
    assert int(hm.to_numpy().sum()) == 3


def test_top_exposure_ranks_open_risks_by_emv():
    top = risk.top_exposure(RISKS, n=2)
    assert top["risk_id"].tolist() == ["RK1", "RK3"]


def test_overdue_reviews_most_overdue_first():
    late = risk.overdue_reviews(RISKS, AS_OF)
    assert late["risk_id"].tolist() == ["RK2", "RK3"]
    assert late["days_overdue"].tolist() == [31, 1]


def test_ageing_buckets():
    aged = risk.ageing(RISKS, AS_OF).set_index("risk_id")
    assert aged["age_days"].to_dict() == {"RK1": 16, "RK2": 152, "RK3": 334}
    assert aged["age"].astype(str).to_dict() == {"RK1": "0-30 days", "RK2": "91-180 days", "RK3": "over 180 days"}


def test_open_issues_by_severity_and_age():
    issues = pd.DataFrame(
        {
            "severity": ["high", "high", "low", "critical"],
            "status": ["open", "in_progress", "closed", "open"],
            "raised_on": pd.to_datetime(["2026-10-20", "2026-07-01", "2026-01-01", "2026-09-15"]),
        }
    )
    table = risk.open_issues_by_severity_and_age(issues, AS_OF)
    assert table.loc["high", "0-30 days"] == 1 and table.loc["high", "91-180 days"] == 1
    assert table.loc["critical", "31-90 days"] == 1
    assert int(table.to_numpy().sum()) == 3  # the closed one is not counted


def test_approved_change_impact_against_budget():
    projects = pd.DataFrame({"project_id": ["P1", "P2"], "budget": [100_000.0, 0.0]})
    changes = pd.DataFrame(
        {
            "change_id": ["C1", "C2", "C3"],
            "project_id": ["P1", "P1", "P1"],
            "cost_impact": [5_000.0, 2_000.0, 9_999.0],
            "schedule_impact_days": [10.0, -2.0, 30.0],
            "status": ["approved", "approved", "rejected"],
        }
    )
    out = risk.approved_change_impact(changes, projects).set_index("project_id")
    assert out.loc["P1", "approved_changes"] == 2
    assert out.loc["P1", "approved_cost"] == 7_000.0 and out.loc["P1", "approved_delay_days"] == 8.0
    assert out.loc["P1", "budget_with_changes"] == 107_000.0
    assert out.loc["P1", "change_share"] == pytest.approx(0.07)
    assert out.loc["P2", "approved_changes"] == 0 and np.isnan(out.loc["P2", "change_share"])


def test_runs_on_the_sample():
    sample = pmo.load_sample()
    hm = risk.heat_map(sample.risks)
    assert int(hm.to_numpy().sum()) == int((sample.risks["status"] == "open").sum())
    assert len(risk.top_exposure(sample.risks, 5)) == 5


scores = st.integers(1, 5)


@settings(max_examples=200, deadline=None)
@given(p=scores, i=scores, cost=st.floats(0, 1e7))
def test_score_and_emv_bounds(p, i, cost):
    s = risk.score(p, i)
    assert 1 <= s <= 25
    assert 0 <= risk.expected_monetary_value(p, cost) <= cost
    assert (risk.score(min(p + 1, 5), i) >= s) and (risk.score(p, min(i + 1, 5)) >= s)
