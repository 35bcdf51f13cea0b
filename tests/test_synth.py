"""pmo_lib.synth: the sample is reproducible, realistic, and any generated dataset is valid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pmo_lib as pmo
from pmo_lib import data, synth


@pytest.fixture(scope="module")
def sample():
    return data.load_portfolio(pmo.SAMPLE_DATA)


def test_committed_sample_is_exactly_what_the_generator_makes(tmp_path):
    synth.write(synth.generate(synth.SAMPLE), tmp_path)
    committed = sorted(p.name for p in pmo.SAMPLE_DATA.glob("*.csv"))
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (pmo.SAMPLE_DATA / name).read_bytes(), (
            f"{name} differs: run `make sample` and commit datasets/sample"
        )


def test_same_seed_same_data_other_seed_other_data():
    a = synth.generate(synth.Shape(projects=6, resources=25, seed=1))
    b = synth.generate(synth.Shape(projects=6, resources=25, seed=1))
    c = synth.generate(synth.Shape(projects=6, resources=25, seed=2))
    pd.testing.assert_frame_equal(a["tasks"], b["tasks"])
    assert not a["tasks"]["duration_days"].equals(c["tasks"]["duration_days"])


def test_sample_has_the_shape_the_pmo_expects(sample):
    p = sample.projects
    assert len(p) == 24 and p["portfolio"].nunique() == 3
    assert set(p["stage"].astype(str)) == {"initiate", "plan", "execute", "close"}
    assert set(p["status"].astype(str)) == {"active", "on_hold", "closed", "cancelled"}
    per_project = sample.tasks.groupby("project_id").size()
    assert per_project.min() >= 15 and per_project.max() <= 60
    assert len(sample.resources) == 60 and sample.resources["role"].nunique() == 8


def test_sample_networks_use_every_link_type_and_lags(sample):
    deps = sample.dependencies
    assert set(deps["type"].astype(str)) == {"FS", "SS", "FF", "SF"}
    assert (deps["lag_days"] > 0).any() and (deps["lag_days"] < 0).any()
    assert sample.tasks["is_milestone"].any()


def test_sample_has_late_over_budget_and_rebaselined_projects(sample):
    p = sample.projects
    slip = (p["forecast_finish"] - p["baseline_finish"]).dt.days
    assert (slip > 60).sum() >= 3  # clearly late projects
    fin = sample.financials.groupby("project_id")[["budget", "actual"]].sum()
    months = sample.financials.dropna(subset=["actual"]).groupby("project_id")["budget"].sum()
    overspend = fin["actual"] / months.reindex(fin.index)
    assert (overspend > 1.15).sum() >= 2  # clearly over budget to date
    rebaseline = sample.changes[sample.changes["title"].str.contains("Re-baseline")]
    assert len(rebaseline) >= 1 and (rebaseline["status"] == "approved").all()


def test_sample_history_runs_18_months_to_the_as_of_date(sample):
    months = sample.financials.dropna(subset=["actual"])["month"]
    assert months.max() == pd.Timestamp("2026-10-01")
    assert months.min() <= pd.Timestamp("2025-05-01")
    assert sample.timesheets["week_start"].max() <= pd.Timestamp("2026-10-31")
    assert sample.status_updates["month"].max() == pd.Timestamp("2026-10-01")
    assert set(sample.status_updates["overall_rag"].astype(str)) == {"R", "A", "G"}
    assert len(sample.risks) > 50 and len(sample.issues) > 20 and len(sample.changes) > 10


def test_sample_over_allocates_a_few_people_in_some_weeks(sample):
    a = sample.assignments.dropna(subset=["resource_id"])
    weeks = pd.date_range("2026-01-05", "2026-12-28", freq="W-MON")
    over = []
    for week in weeks:
        on = a[(a["start"] <= week + pd.Timedelta(days=4)) & (a["finish"] >= week)]
        load = on.groupby("resource_id")["fte"].sum()
        over.append(int((load > 1.0).sum()))
    over = np.array(over)
    assert over.max() >= 2, "someone should be over-allocated in some week"
    assert over.mean() < 0.25 * len(sample.resources), "only a few people, not most"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    projects=st.integers(1, 14),
    seed=st.integers(0, 10_000),
    max_people=st.integers(1, 4),
)
def test_any_generated_dataset_passes_validation(tmp_path_factory, projects, seed, max_people):
    shape = synth.Shape(projects=projects, resources=24, min_tasks=5, max_tasks=30, seed=seed, max_people=max_people)
    folder = tmp_path_factory.mktemp("gen")
    synth.write(synth.generate(shape), folder)
    result = data.validate(folder)
    assert result.ok, "\n".join(map(str, result.errors[:5]))
    assert not [f for f in result.findings if f.severity == "warning"]


def test_large_shape_has_enterprise_proportions():
    shape = synth.LARGE
    assert shape.projects == 2000 and shape.resources == 1500
    assert (shape.min_tasks + shape.max_tasks) / 2 * shape.projects == pytest.approx(200_000, rel=0.01)


def test_load_sample_docstring_states_the_real_row_counts(sample):
    doc = " ".join(pmo.datasets.load_sample.__doc__.split())
    for name, words in [
        ("tasks", "({:,} in all)"),
        ("dependencies", "with {:,} dependencies"),
        ("assignments", "{:,} assignments"),
        ("timesheets", "{:,} weekly timesheet rows"),
        ("financials", "{:,} monthly financial rows"),
        ("risks", "{:,} risks"),
        ("issues", "{:,} issues"),
        ("changes", "{:,} change requests"),
        ("status_updates", "{:,} monthly status updates"),
        ("leave", "{:,} periods of planned leave"),
    ]:
        assert words.format(len(sample.table(name))) in doc, name
