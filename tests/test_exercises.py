"""Exercises: every solution passes every check (for two seeds), every untouched learner notebook fails
its checks with guidance and no traceback, wrong answers get the hint for their misconception, quizzes work."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from pmo_lib.exercises import PATH, check, export_progress, hint, quiz, status, tasks_of
from pmo_lib.exercises import content as c
from pmo_lib.exercises.content import e03_status, e04_earned_value, e06_schedule_risk, e08_capacity, e10_demand, shared

ROOT = Path(__file__).resolve().parents[1]  # the checkout

EXERCISES = ROOT / "exercises"
LEARNER = sorted(EXERCISES.glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((EXERCISES / "solutions").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture
def progress(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv("PMO_LAB_PROGRESS", str(path))
    return path


def _run(notebook: Path, out: Path, seed: int) -> nbformat.NotebookNode:
    import papermill

    papermill.execute_notebook(str(notebook), str(out), parameters={"seed": seed, "learner": "tester"},
                               kernel_name="python3", progress_bar=False, cwd=str(notebook.parent))  # fmt: skip
    return nbformat.read(out, as_version=4)


def test_every_learner_notebook_has_its_solution():
    assert [p.name for p in LEARNER] == [p.name for p in SOLUTIONS]
    assert len(LEARNER) == len(PATH) == 10


@pytest.mark.notebook
@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("notebook", SOLUTIONS, ids=lambda p: p.name)
def test_solutions_pass_every_check(notebook, seed, progress, tmp_path):
    _run(notebook, tmp_path / notebook.name, seed)
    number = int(notebook.name[:2])
    tasks = [t for t in tasks_of(number) if ".q" not in t]
    passed = json.loads(progress.read_text())["tester"]
    assert {t: passed.get(t, {}).get("passed") for t in tasks} == dict.fromkeys(tasks, True)


@pytest.mark.notebook
@pytest.mark.parametrize("notebook", LEARNER, ids=lambda p: p.name)
def test_untouched_learner_notebooks_fail_gracefully(notebook, progress, tmp_path):
    done = _run(notebook, tmp_path / notebook.name, 3)
    outputs = [o for cell in done.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    said = "\n".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    number = int(notebook.name[:2])
    for task in (t for t in tasks_of(number) if ".q" not in t):
        assert f"task {task}" in said
    assert "Right." not in said and said.count("No answer yet") >= 1
    assert not any(v["passed"] for v in json.loads(progress.read_text())["tester"].values())


@pytest.mark.parametrize(
    ("task", "wrong", "words"),
    [
        ("4.1", lambda s: e04_earned_value._evm(s)["cpi"] ** -1, "CPI is EV ÷ AC; your value is AC ÷ EV"),
        ("4.2", lambda s: e04_earned_value._evm(s)["spi"] ** -1, "SPI is EV ÷ PV"),
        ("4.4", lambda s: e04_earned_value._evm(s)["tcpi"] ** -1, "TCPI is work left ÷ money left"),
        ("4.5", lambda s: int(e04_earned_value._evm(s)["es"]), "add the fraction"),
        ("5.1", lambda s: c.network_case(s)[0]["duration_days"].sum(), "sum of every task's duration"),
        ("5.4", lambda s: 0, "the excess does move the finish"),
        ("2.3", lambda s: c.broken_row(s) - 2, "that is the pandas index"),
        ("2.2", lambda s: "assignments", "Assignments are planned bookings"),
        ("1.2", lambda s: 0.95, "That is the amber limit"),
        ("8.2", lambda s: float(e08_capacity._worst(s)["demand_hours"]), "That is all their booked hours"),
        ("6.3", lambda s: float(e06_schedule_risk._simulated(s).quantile(0.5)), "That is the P50"),
        ("7.2", lambda s: c.raid_case(s)["probability"] / 5 * c.raid_case(s)["cost_impact"], "is not 80 %"),
        ("3.3", lambda s: e03_status._best(s), "overall takes the worst"),
        ("10.1", lambda s: e10_demand._no_flip(s, 0), "Delivery risk is counted the wrong way round"),
        ("10.2", lambda s: e10_demand._unweighted(s, 1), "each has its own weight"),
        ("10.3", lambda s: e10_demand._answers(s)["scores"].sum(), "every proposal's score together"),
        ("10.4", lambda s: e10_demand._answers(s)["ranked"]["score"], "That is the ranking walk"),
        ("10.5", lambda s: e10_demand._answers(s)["best"].chosen["proposal_id"].iloc[0], "That one is in the optimum"),
        ("10.6", lambda s: {"budget": "developers"}.get(e10_demand._answers(s)["binding"], "budget"), "Look again"),
    ],
)
def test_a_wrong_answer_gets_the_hint_for_its_misconception(task, wrong, words, progress):
    for seed in (0, 5):
        feedback = check(task, wrong(seed), seed=seed)
        assert not feedback.passed and words in feedback.message
        answer = feedback.message.lower()
        expected = e04_earned_value._evm(seed) if task.startswith("4") else {}
        for value in expected.values():  # a hint never gives the number away
            assert f"{value:.3f}" not in answer


def test_demand_case_worked_by_hand(progress):
    """Seed 0: budget GBP 700,000, 5 developers. D01 (fit 5, NPV 1.1 m, customers 2, urgency 5, risk 5) scores
    30 + 25 x 1.1/1.5 + 20 x 1/4 + 15 + 0 = 68.3; D04 (2, 1.0 m, 1, 5, 1) scores 7.5 + 16.7 + 0 + 15 + 10 = 49.2.
    Ranking walk: D01 (400k, 1 FTE), D05 (300k, 1 FTE), then nothing fits the 0 left: 68.3 + 58.3 = 126.6.
    Optimum: D01 + D04 + D06 (600k, 4 FTE) = 68.3 + 49.2 + 57.5 = 175.0; D05 is the highest-ranked left out,
    and beside the optimum it needs 300k with 100k left but only 1 FTE with 1 FTE free: the budget binds."""
    case = c.demand_case(0)
    assert (case.budget, case.capacity, c.two_proposals(0)) == (700_000, 5.0, ("D01", "D04"))
    for task, value in [("10.1", 68.3), ("10.2", 49.2), ("10.3", 126.6), ("10.4", 175.0), ("10.5", "D05")]:
        assert check(task, value, seed=0).passed, task
    assert check("10.6", "Budget", seed=0).passed and check("10.6", "money", seed=0).passed
    assert not check("10.4", 165.0, seed=0).passed  # D04 + D05 + D06: fits, but not the best


def test_every_demand_case_teaches_the_point():
    for seed in range(12):
        answers = e10_demand._answers(seed)
        assert answers["best"].value > answers["ranked"]["score"]  # the optimum beats the ranking walk
        case = c.demand_case(seed)
        chosen = case.proposals["proposal_id"].isin(answers["best"].chosen["proposal_id"])
        assert case.proposals.loc[chosen, "cost"].sum() <= case.budget
        assert case.proposals.loc[chosen, "developers"].sum() <= case.capacity


def test_commentary_is_judged_on_what_it_says(progress):
    thin = check("3.5", "Some issues.", seed=0)
    assert not thin.passed and "on schedule; say why" in thin.message and "two or three sentences" in thin.message
    good = ("Schedule is behind because the supplier delivered late, and cost is over plan on overtime. "
            "We will present a recovery plan to the sponsor on Friday and ask for a decision on extra testers.")  # fmt: skip
    assert check("3.5", good, seed=0).passed
    assert not check("3.5", 42, seed=0).passed


def test_seeds_change_the_data_and_the_answers(progress):
    assert c.evm_case(1) != c.evm_case(2)
    right = e04_earned_value._evm(1)["cpi"]
    assert check("4.1", right, seed=1).passed and not check("4.1", right, seed=2).passed


def test_hints_step_by_step_and_odd_input(progress):
    assert "hint 1 of 2" in hint("4.5").message and "hint 2 of 2" in hint("4.5", 2).message
    assert hint("4.5", 9).message == hint("4.5", 2).message
    assert not check("4.1", "about one").passed and "is a number" in check("4.1", "about one").message
    assert not check("9.99", 1).passed and "no task 9.99" in check("9.99", 1).message


def test_quiz_widget_judges_each_choice(progress):
    box = quiz("1.q1", learner="ann")
    choice, button, answer = box.children[1], box.children[2], box.children[3]
    button.click()
    assert "Pick an answer first" in answer.value
    choice.value = "Directive"
    button.click()
    assert "Not quite" in answer.value and "manages the projects itself" in answer.value
    choice.value = "Supportive"
    button.click()
    assert "Right" in answer.value
    assert json.loads(progress.read_text())["ann"]["1.q1"] == {
        **json.loads(progress.read_text())["ann"]["1.q1"],
        "passed": True,
        "attempts": 2,
    }


def test_status_and_export(progress, pmo):
    check("4.1", e04_earned_value._evm(0)["cpi"], learner="bo")
    check("4.2", 0.1, learner="bo")
    table = status("bo").set_index("exercise")
    assert table.loc[4, "passed"] == 1 and table.loc[4, "tasks"] == len(tasks_of(4)) and len(table) == len(PATH)
    rows = export_progress()
    assert rows[["learner", "task", "passed"]].values.tolist() == [["bo", "4.1", True], ["bo", "4.2", False]]


def test_exercises_commands(pmo, tmp_path, monkeypatch):
    store = tmp_path / "p.json"
    monkeypatch.setenv("PMO_LAB_PROGRESS", str(store))
    listing = pmo("exercises", "list")
    assert listing.returncode == 0 and " 4. Earned value and earned schedule" in listing.stdout
    check("1.1", sum(r["severity"] == "error" for r in shared.default_standard().rules), learner="cy")
    mine = pmo("exercises", "status", "--learner", "cy")
    assert " 1. What a PMO does, and our standard" in mine.stdout and f"1/{len(tasks_of(1))}" in mine.stdout
    out = tmp_path / "all.csv"
    exported = pmo("exercises", "export", "--out", str(out))
    assert exported.returncode == 0 and out.read_text().splitlines()[1].startswith("cy,1.1,True,1,")


def test_exercises_copy_keeps_a_learners_work_and_points_the_copies_at_the_sample(tmp_path):
    from conftest import run_pmo

    import pmo_lib as pmo

    folder = tmp_path / "mine"
    first = run_pmo("exercises", "copy", str(folder))
    assert first.returncode == 0 and first.stdout.count("Wrote ") == len(LEARNER) + 1
    params = nbformat.read(folder / "04_earned_value.ipynb", as_version=4).cells
    source = next(c.source for c in params if "parameters" in c.metadata.get("tags", []))
    assert f"data = {json.dumps(str(pmo.SAMPLE_DATA))}" in source
    # everything but that line is the shipped notebook
    shipped = (ROOT / "exercises" / "04_earned_value.ipynb").read_text(encoding="utf-8").splitlines()
    copied = (folder / "04_earned_value.ipynb").read_text(encoding="utf-8").splitlines()
    assert len(shipped) == len(copied) and sum(a != b for a, b in zip(shipped, copied, strict=True)) == 1
    (folder / "03_status_reporting.ipynb").write_text("my answers", encoding="utf-8")
    again = run_pmo("exercises", "copy", str(folder))
    assert again.returncode == 0 and "Wrote " not in again.stdout and again.stdout.count("Kept ") == len(LEARNER) + 1
    assert (folder / "03_status_reporting.ipynb").read_text(encoding="utf-8") == "my answers"
    forced = run_pmo("exercises", "copy", str(folder), "--force")
    assert forced.returncode == 0 and forced.stdout.count("Wrote ") == len(LEARNER) + 1
    assert nbformat.read(folder / "03_status_reporting.ipynb", as_version=4).cells


def test_exercises_copy_refuses_a_file_for_a_folder(tmp_path):
    from conftest import run_pmo

    target = tmp_path / "notes.txt"
    target.write_text("keep me", encoding="utf-8")
    done = run_pmo("exercises", "copy", str(target))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"Directory '{target}' is a file" in done.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
