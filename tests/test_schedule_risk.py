"""pmo_lib.schedule_risk: Monte Carlo checked against known means, the deterministic CPM and symmetry."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_schedule import network, random_networks

import pmo_lib as pmo
from pmo_lib import schedule_risk as sr
from pmo_lib.schedule import critical_path


def chain(estimates: dict[str, tuple[float, float, float]], links):
    tasks = pd.DataFrame(
        {
            "project_id": "P",
            "task_id": list(estimates),
            "duration_days": [m for _, m, _ in estimates.values()],
            "optimistic_days": [a for a, _, _ in estimates.values()],
            "most_likely_days": [m for _, m, _ in estimates.values()],
            "pessimistic_days": [b for _, _, b in estimates.values()],
        }
    )
    deps = pd.DataFrame(links, columns=["predecessor_id", "successor_id"]).assign(project_id="P", type="FS", lag_days=0)
    return tasks, deps


def test_mean_finish_of_a_chain_is_the_sum_of_the_means():
    # triangular mean (a + m + b) / 3: 11/3 + 15/3 + 2 = 10.667; PERT mean (a + 4m + b) / 6: 20/6 + 27/6 + 2 = 9.833
    tasks, deps = chain({"A": (2, 3, 6), "B": (3, 4, 8), "C": (2, 2, 2)}, [("A", "B"), ("B", "C")])
    tri = sr.simulate(tasks, deps, iterations=40_000, seed=3)["finish"]["P"].mean()
    pert = sr.simulate(tasks, deps, iterations=40_000, seed=3, distribution="pert")["finish"]["P"].mean()
    assert tri == pytest.approx(32 / 3, abs=0.05)
    assert pert == pytest.approx(59 / 6, abs=0.05)


def test_without_uncertainty_it_is_the_critical_path():
    sample = pmo.load_sample()
    tasks = sample.tasks[sample.tasks["project_id"].isin(["P001", "P002"])].copy()
    for col in ("optimistic_days", "most_likely_days", "pessimistic_days"):
        tasks[col] = tasks["duration_days"]
    deps = sample.dependencies[sample.dependencies["project_id"].isin(["P001", "P002"])]
    result = sr.simulate(tasks, deps, iterations=50, seed=1)
    cpm = critical_path(tasks, deps)
    finish = cpm.groupby("project_id")["early_finish"].max()
    assert (result["finish"].nunique() == 1).all()
    assert result["finish"].iloc[0].to_dict() == finish.to_dict()
    assert (result["tasks"]["criticality"].to_numpy() == cpm["is_critical"].to_numpy().astype(float)).all()


def test_the_longer_branch_is_the_critical_one():
    tasks, deps = chain(
        {"S": (0, 0, 0), "X": (9, 10, 11), "Y": (1, 2, 3), "E": (0, 0, 0)},
        [("S", "X"), ("S", "Y"), ("X", "E"), ("Y", "E")],
    )
    crit = sr.simulate(tasks, deps, iterations=2_000, seed=5)["tasks"].set_index("task_id")["criticality"]
    assert crit["X"] == 1.0 and crit["Y"] == 0.0


def test_percentiles_probability_and_seeds():
    tasks, deps = chain({"A": (2, 3, 6), "B": (3, 4, 8)}, [("A", "B")])
    a = sr.simulate(tasks, deps, iterations=5_000, seed=7)["finish"]
    b = sr.simulate(tasks, deps, iterations=5_000, seed=7)["finish"]
    c = sr.simulate(tasks, deps, iterations=5_000, seed=8)["finish"]
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    pct = sr.finish_percentiles(a)
    assert pct.loc["P", "p50"] <= pct.loc["P", "p80"] <= pct.loc["P", "p95"] <= 14
    assert (
        sr.probability_by(a, 14)["P"] == 1.0 and sr.probability_by(a, 4)["P"] == 0.0
    )  # below the sum of the optimistic durations


def test_unknown_distribution_lists_the_names():
    with pytest.raises(ValueError, match="choose one of: triangular, pert"):
        sr.sample_durations([1], [2], [3], 10, distribution="normal")


@settings(max_examples=100, deadline=None)
@given(a=st.floats(0, 20), m=st.floats(0, 20), b=st.floats(0, 20), dist=st.sampled_from(["triangular", "pert"]))
def test_draws_stay_within_the_three_points(a, m, b, dist):
    a, m, b = sorted((a, m, b))
    draws = sr.sample_durations([a], [m], [b], 500, distribution=dist, seed=1)
    assert draws.min() >= a - 1e-9 and draws.max() <= b + 1e-9


def test_sampling_tables_give_the_rounded_distribution():
    # triangular (0, 0, 4): F(x) = 1 - (1 - x/4)^2; rounded to whole days P(0) = F(0.5) = 15/64,
    # P(1) = F(1.5) - F(0.5) = 24/64, P(2) = 16/64, P(3) = 8/64, P(4) = 1/64 (hand-computed)
    which, tables = sr._sampling_tables([0.0], [0.0], [4.0], "triangular")
    counts = pd.Series(tables[which[0]]).value_counts(normalize=True).sort_index()
    expected = [15 / 64, 24 / 64, 16 / 64, 8 / 64, 1 / 64]
    assert counts.index.tolist() == [0, 1, 2, 3, 4]
    assert counts.to_numpy() == pytest.approx(expected, abs=1 / sr.QUANTILES)


def test_pert_tables_have_the_pert_mean():
    which, tables = sr._sampling_tables([2.0], [5.0], [20.0], "pert")
    assert tables[which[0]].mean() == pytest.approx((2 + 4 * 5 + 20) / 6, abs=0.02)  # Vose 2008, 9.1.3


def test_progress_without_uncertainty_matches_the_deterministic_pass():
    sample = pmo.load_sample()
    from pmo_lib.schedule import _prepare

    tasks, deps, _, _, _, work = _prepare(sample, "2026-10-31", None, ["P001", "P002", "P010"])
    for name in ("optimistic_days", "most_likely_days", "pessimistic_days"):
        work[name] = work["duration_days"]
    work["remaining_share"] = 1 - tasks["percent_complete"].fillna(0) / 100
    cpm = critical_path(work, deps)
    result = sr.simulate(work, deps, iterations=20, seed=2)
    assert (cpm["progress"] != "not started").sum() > 5  # the check covers finished and running tasks
    assert result["finish"].iloc[0].to_dict() == cpm.groupby("project_id")["early_finish"].max().to_dict()
    assert (result["finish"].nunique() == 1).all()
    critical = cpm["is_critical"].to_numpy().astype(float)
    assert (result["tasks"]["criticality"].to_numpy() == critical).all()


def test_long_projects_switch_to_wide_integers_and_stay_exact():
    # a 40-task chain of 1,000-day tasks reaches 40,000 days: beyond 16-bit integers
    tasks, deps = chain({f"T{i}": (1000, 1000, 1000) for i in range(40)}, [(f"T{i}", f"T{i + 1}") for i in range(39)])
    assert sr.simulate(tasks, deps, iterations=10, seed=1)["finish"]["P"].eq(40_000).all()


def test_forecast_in_dates_on_the_sample():
    sample = pmo.load_sample()
    result = sr.forecast(sample, "2026-10-31", iterations=2_000, seed=4)
    table = result["projects"].set_index("project_id")
    assert len(table) == 24
    assert (table["p50"] <= table["p80"]).all() and (table["p80"] <= table["p95"]).all()
    assert table["chance_by_baseline"].between(0, 1).all()
    # a finished project has no uncertainty left: every percentile is its actual finish
    done = sample.projects.set_index("project_id").loc[table.index, "status"].eq("closed")
    assert done.any()
    assert (table.loc[done, "p95"] == table.loc[done, "p50"]).all()
    assert (table.loc[done, "most_critical"] == "").all()  # nothing left to be critical
    again = sr.forecast(sample, "2026-10-31", iterations=2_000, seed=4)["projects"]
    pd.testing.assert_frame_equal(again, result["projects"])


@settings(max_examples=150, deadline=None)
@given(random_networks(), random_networks())
def test_without_uncertainty_any_network_gives_the_critical_path(first, second):
    # two random projects in one call, all four link types with leads and lags: every iteration must be the
    # deterministic forward and backward pass (finish per project, critical exactly where total float is 0)
    parts = [network(*first, project="A"), network(*second, project="B")]
    tasks = pd.concat([t for t, _ in parts], ignore_index=True)
    deps = pd.concat([d for _, d in parts], ignore_index=True)
    for col in ("optimistic_days", "most_likely_days", "pessimistic_days"):
        tasks[col] = tasks["duration_days"]
    result = sr.simulate(tasks, deps, iterations=3, seed=0)
    cpm = critical_path(tasks, deps)
    assert result["finish"].iloc[0].to_dict() == cpm.groupby("project_id")["early_finish"].max().to_dict()
    assert (result["finish"].nunique() == 1).all()
    assert result["tasks"]["criticality"].tolist() == cpm["is_critical"].astype(float).tolist()


@pytest.mark.parametrize("projects", [1, 20])  # few projects: one matrix product; many: row by row
def test_sensitivity_is_the_correlation_of_duration_with_finish(projects):
    # A then B, independent: corr(A, A + B) = sd(A) / sd(A + B). Triangular variance (a2 + b2 + c2 - ab - ac - bc) / 18
    # (Vose 2008, 9.1.3) plus 1/12 for rounding to whole days: A (0, 10, 100) 505.64, B (0, 40, 50) 116.75;
    # skewed, so that the mode is not the mean
    tasks, deps = chain({"A": (0, 10, 100), "B": (0, 40, 50), "M": (0, 0, 0)}, [("A", "B"), ("B", "M")])
    tasks = pd.concat([tasks.assign(project_id=f"P{i}") for i in range(projects)], ignore_index=True)
    deps = pd.concat([deps.assign(project_id=f"P{i}") for i in range(projects)], ignore_index=True)
    result = sr.simulate(tasks, deps, iterations=40_000, seed=7)["tasks"]
    by_task = result.groupby("task_id")["sensitivity"]
    assert by_task.min()["A"] == pytest.approx((505.64 / 622.39) ** 0.5, abs=0.01)
    assert by_task.max()["A"] == pytest.approx((505.64 / 622.39) ** 0.5, abs=0.01)
    assert by_task.mean()["B"] == pytest.approx((116.75 / 622.39) ** 0.5, abs=0.01)
    assert (result.loc[result["task_id"] == "M", "sensitivity"] == 0).all()  # a fixed duration does not vary
