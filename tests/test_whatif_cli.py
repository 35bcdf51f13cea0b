"""`pmo whatif`: the static what-if report from a scenario file, its figures, and its refusals."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, REPO, assert_refused

from pmo_lib import load_sample
from pmo_lib import scenarios as sc
from pmo_lib.planner import Planner

SCENARIOS = REPO / "datasets" / "sample" / "scenarios"


def test_sample_scenarios_are_valid_and_described():
    sample = load_sample()
    files = sorted(SCENARIOS.glob("*.yaml"))
    assert len(files) >= 3
    for path in files:
        scenario = sc.load(path, sample)
        assert scenario.description and scenario.changes
        assert len(sc.describe(scenario, sample)) == len(scenario.changes)


@pytest.mark.notebook
@pytest.mark.slow
def test_whatif_writes_the_report_with_the_planners_numbers(pmo, tmp_path):
    delay, hire = SCENARIOS / "delay-customer-portal.yaml", SCENARIOS / "hire-two-developers.yaml"
    result = pmo("whatif", str(delay), "--compare", str(hire), "--out", str(tmp_path), "--level")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "delay-customer-portal.html").read_text(encoding="utf-8")
    assert (tmp_path / "delay-customer-portal.ipynb").exists()
    # the same engine the planner uses, in this process
    sample = load_sample()
    planner = Planner(sample)
    outcome = planner.evaluate(sc.load(delay, sample))
    cost = f"{outcome.kpis['cost']:,.0f}"
    assert f"{cost} GBP" in page and cost in result.stdout
    delay_days = int(outcome.dates.set_index("project_id").loc["P001", "delay_days"])
    assert delay_days == 28 and "+28" in page
    assert "P001 Customer Portal: 2027-07-16 -&gt; 2027-08-13" not in page  # terminal text, not in the page
    assert "P001 Customer Portal: 2027-07-16 -> 2027-08-13 (Delay Customer Portal)" in result.stdout
    for heading in ("Key figures against today", "Utilisation by team and week", "Project finish dates",
                    "Over-allocated people", "Hire two developers"):  # fmt: skip
        assert heading in page
    assert "Projects finishing later once levelled" in result.stdout and "Levelled finish" in page
    assert "levelling on" in page
    assert "import pmo_lib" not in page and not re.search(r"<script[^>]+src=['\"]http", page)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("scenario: x\nchanges:\n  - kind: hire_everyone\n", "unknown change 'hire_everyone'"),
        (
            "scenario: x\nchanges:\n  - kind: cancel_project\n    project_id: P999\n    date: 2026-11-02\n",
            "no project 'P999'",
        ),
        ("scenario: x\nchanges:\n  - kind: change_fte\n    resource_id: R001\n    fte: lots\n", "must be a number"),
        ("scenario: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_broken_scenario_file_exits_2_naming_the_file_and_writes_nothing(pmo, tmp_path, body, words):
    path = tmp_path / "broken.yaml"
    path.write_text(body, encoding="utf-8")
    out = tmp_path / "out"
    result = pmo("whatif", str(path), "--out", str(out))
    assert_refused(result, 2, words)
    assert "broken.yaml" in result.stderr
    assert not out.exists()


def test_whatif_refuses_duplicate_names_missing_files_and_bad_data(pmo, tmp_path):
    delay = str(SCENARIOS / "delay-customer-portal.yaml")
    twice = pmo("whatif", delay, "--compare", delay, "--out", str(tmp_path))
    assert twice.returncode == 2 and "names must differ" in twice.stderr
    missing = pmo("whatif", str(tmp_path / "nope.yaml"), "--out", str(tmp_path))
    assert missing.returncode == 2 and "no such scenario file" in missing.stderr
    broken = pmo("whatif", delay, "--data", str(FIXTURES / "broken" / "foreign_keys"), "--out", str(tmp_path))
    assert broken.returncode == 1 and "Traceback" not in broken.stderr and "fix:" in broken.stderr
