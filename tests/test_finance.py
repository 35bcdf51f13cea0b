"""pmo_lib.finance: budget, actual and forecast roll-ups on a hand-made ledger."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pmo_lib as pmo
from pmo_lib import finance

PROJECTS = pd.DataFrame(
    {
        "project_id": ["P1", "P2"],
        "programme": ["Core", "Core"],
        "portfolio": ["Ops", "Ops"],
        "budget": [1_000.0, 600.0],
    }
)
M = pd.to_datetime(["2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01", "2026-12-01"])
# P1: budget 200 a month; spends 250, 250, 300 to October, forecasts 150 and 150 after
# P2: budget 120 a month; spends 0 to October (not started), forecasts 300 and 300
FIN = pd.DataFrame(
    {
        "project_id": ["P1"] * 5 + ["P2"] * 5,
        "month": list(M) * 2,
        "category": "labour",
        "budget": [200.0] * 5 + [120.0] * 5,
        "actual": [250.0, 250.0, 300.0, np.nan, np.nan, 0.0, 0.0, 0.0, np.nan, np.nan],
        "forecast": [250.0, 250.0, 300.0, 150.0, 150.0, 0.0, 0.0, 0.0, 300.0, 300.0],
    }
)


def test_project_summary_hand_computed():
    out = finance.summary(FIN, PROJECTS, "2026-10-31").set_index("project_id")
    p1 = out.loc["P1"]
    assert p1["budget"] == 1_000 and p1["actual_to_date"] == 800 and p1["forecast_remaining"] == 300
    assert p1["forecast_at_completion"] == 1_100 and p1["variance"] == 100
    assert p1["variance_pct"] == pytest.approx(0.10)
    assert p1["run_rate"] == pytest.approx(800 / 3)
    assert p1["months_left"] == pytest.approx(200 / (800 / 3))  # 0.75 of a month
    p2 = out.loc["P2"]
    assert p2["forecast_at_completion"] == 600 and p2["variance"] == 0
    assert np.isnan(p2["months_left"])  # no spend yet: undefined, not infinite


def test_portfolio_level_adds_up_the_projects():
    out = finance.summary(FIN, PROJECTS, "2026-10-31", by="portfolio").set_index("portfolio")
    assert out.loc["Ops", "budget"] == 1_600 and out.loc["Ops", "forecast_at_completion"] == 1_700


def test_monthly_cumulative_burn():
    table = finance.monthly(FIN, PROJECTS, by="project_id")
    p1 = table[table["project_id"] == "P1"]
    assert p1["actual_cum"].tolist()[:3] == [250.0, 500.0, 800.0]
    assert p1["actual_cum"].isna().tolist()[3:] == [True, True]  # no actuals in the future
    assert p1["budget_cum"].iloc[-1] == 1_000


def test_burn_against_bac():
    out = finance.burn_against_bac(FIN, PROJECTS, "2026-10-31").set_index("project_id")
    assert out.loc["P1", "spent_share"] == pytest.approx(0.8)
    assert out.loc["P1", "fac_over_bac"] == 100
    assert out.loc["P2", "spent_share"] == 0


def test_unknown_level_lists_the_levels():
    with pytest.raises(ValueError, match="choose one of: project_id, programme, portfolio, category"):
        finance.summary(FIN, PROJECTS, "2026-10-31", by="team")


def test_runs_on_the_sample_and_over_budget_projects_show_up():
    sample = pmo.load_sample()
    out = finance.summary(sample.financials, sample.projects, "2026-10-31")
    assert len(out) == sample.financials["project_id"].nunique()
    assert (out["variance_pct"] > 0.1).sum() >= 2  # the sample has over-budget projects
    totals = finance.summary(sample.financials, sample.projects, "2026-10-31", by="portfolio")
    assert totals["budget"].sum() == pytest.approx(out["budget"].sum())
