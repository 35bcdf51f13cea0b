"""Exercise 2: reading the portfolio data (and a broken copy of it to fix)."""

from __future__ import annotations


import numpy as np

from ..core import Question, Task, register
from .shared import sample_portfolio


# --- 2. Reading the portfolio data ------------------------------------------------------------------------


def _project_for(seed: int) -> str:
    return f"P{1 + seed % 24:03d}"


register(
    Task(
        "2.1",
        "How many tasks does your project (`my_project`) have in the sample's `tasks` table?",
        lambda seed: int((sample_portfolio().tasks["project_id"] == _project_for(seed)).sum()),
        "A table's key tells you how to count: tasks are keyed by project_id and task_id together.",
        ["Filter `portfolio.tasks` to rows whose project_id is your project, then count the rows."],
        [
            (
                lambda v, e, s: float(v) == len(sample_portfolio().tasks),
                "That is every task in the portfolio; keep only your project's rows.",
            )
        ],
        tolerance=0.0,
    ),
    Task(
        "2.2",
        "Which table holds the hours people booked?",
        lambda seed: "timesheets",
        "Actual cost from timesheets (hours x rate) is one of the two ways PMO Lab measures AC.",
        ["The data dictionary (datasets/README.md) lists every table with its key and columns."],
        [
            (
                lambda v, e, s: str(v).strip().lower() == "assignments",
                "Assignments are planned bookings (FTE over dates); the hours actually booked are elsewhere.",
            )
        ],
        kind="text",
    ),
    Task(
        "2.3",
        "In the broken file made for you, on which row of tasks.csv is the impossible percent complete?",
        lambda seed: broken_row(seed),
        "Row numbers count the header as row 1, as Excel shows them: the analyst can go straight to the cell.",
        [
            "Run `pmo.validate(folder)` and read its findings: each names the file, the row and the column.",
            "`result.findings_frame()` is a table; look at the row whose column is percent_complete.",
        ],
        [
            (
                lambda v, e, s: float(v) == e - 2,
                "Off by two: that is the pandas index. Rows count the header as row 1, like Excel.",
            ),
            (lambda v, e, s: float(v) == e - 1, "Off by one: the header is row 1, so the first task is row 2."),
        ],
        tolerance=0.0,
    ),
    Question(
        "2.q1",
        "Two tasks of different projects both have task_id T001. Is that a problem?",
        ["Yes, task ids must be unique", "No, a task is identified by project_id and task_id together"],
        1,
        [
            "Task ids only need to be unique within their project: the key of tasks is project_id + task_id.",
            "Right: the key of tasks is the pair, so T001 can appear in every project.",
        ],
    ),
)


def broken_row(seed: int) -> int:
    """The Excel row (header = 1) of the bad value in the learner's broken copy."""
    return 2 + int(np.random.default_rng(seed).integers(3, 20))


def make_broken_copy(seed: int, folder) -> str:
    """Write a small copy of one sample project with one impossible percent complete; returns the folder."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sample = sample_portfolio()
    project = "P001"
    for name in ("projects", "tasks", "dependencies"):
        frame = getattr(sample, name)
        frame = frame[frame["project_id"] == project].reset_index(drop=True)
        if name == "tasks":
            frame["percent_complete"] = frame["percent_complete"].astype(object)
            frame.loc[broken_row(seed) - 2, "percent_complete"] = 140
        frame.to_csv(folder / f"{name}.csv", index=False, date_format="%Y-%m-%d")
    return str(folder)


