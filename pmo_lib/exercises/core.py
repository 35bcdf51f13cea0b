"""Checks, hints, quizzes and progress for the exercises; the tasks themselves live in :mod:`pmo_lib.exercises.content`."""

from __future__ import annotations

import html
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

#: The path: (number, title, minutes). The notebooks are exercises/NN_<slug>.ipynb.
PATH = [
    (1, "What a PMO does, and our standard", 25),
    (2, "Reading the portfolio data", 30),
    (3, "Status reporting and RAG", 30),
    (4, "Earned value and earned schedule", 45),
    (5, "Critical path and float", 40),
    (6, "Schedule risk", 35),
    (7, "Risks, issues and changes", 30),
    (8, "Resource capacity and a what-if", 40),
    (9, "Capstone: the monthly report", 45),
    (10, "Demand: scoring proposals and choosing a portfolio", 40),
]

Misconception = tuple[Callable[[object, object, int], bool], str]  # (value, expected, seed) -> matches?


@dataclass
class Task:
    """One task: its answer for a seed, how close is close enough, why it matters and the hints."""

    id: str
    prompt: str
    answer: Callable[[int], object]
    why: str
    hints: list[str]
    misconceptions: list[Misconception] = field(default_factory=list)
    tolerance: float = 0.005  # relative, for numbers
    kind: str = "number"  # number, text, set, date, or judge (answer(seed) is a test of the value)
    unit: str = ""
    explain: Callable[[int, object], str | None] | None = None  # a tailored hint for a wrong value


@dataclass
class Question:
    """A multiple-choice concept question: the choices, the right one, an explanation for each."""

    id: str
    text: str
    choices: list[str]
    right: int
    explanations: list[str]


_TASKS: dict[str, Task] = {}
_QUESTIONS: dict[str, Question] = {}


def register(*items) -> None:
    for item in items:
        (_TASKS if isinstance(item, Task) else _QUESTIONS)[item.id] = item


def tasks_of(number: int) -> list[str]:
    """The ids of an exercise's tasks and questions, in order."""
    ids = [*_TASKS, *_QUESTIONS]
    mine = [i for i in ids if i.split(".")[0] == str(number)]
    return sorted(mine, key=lambda i: (i.split(".")[1].startswith("q"), i.split(".")[1].lstrip("q").zfill(3)))


# --- feedback -----------------------------------------------------------------------------------------


@dataclass
class Feedback:
    """What a check says: passed or not, and a message for the learner (shown as Markdown)."""

    task: str
    passed: bool
    message: str

    def _repr_markdown_(self) -> str:
        mark = "✅ **Right.**" if self.passed else "❌ **Not yet.**"
        return f"{mark} {self.message}  \n<small>task {html.escape(self.task)}</small>"

    def __repr__(self) -> str:
        return f"{'passed' if self.passed else 'not yet'} {self.task}: {self.message}"


def _number(value):
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _same(task: Task, value, expected) -> bool:
    if task.kind == "judge":
        return _safe(lambda v, e, s: expected(v), value, expected, 0)
    if task.kind == "number":
        got, want = _number(value), float(expected)
        if got is None:
            return False
        return abs(got - want) <= max(abs(want) * task.tolerance, 1e-9)
    if task.kind == "set":
        try:
            return {str(v).strip().upper() for v in value} == {str(v).strip().upper() for v in expected}
        except TypeError:
            return False
    if task.kind == "date":
        import pandas as pd

        try:
            return pd.Timestamp(value).normalize() == pd.Timestamp(expected).normalize()
        except (TypeError, ValueError):
            return False
    return str(value).strip().upper() == str(expected).strip().upper()


def check(task_id: str, value, *, seed: int = 0, learner: str | None = None) -> Feedback:
    """Judge a learner's value for a task; record the attempt; reply with why it matters or a hint.

    Never raises for a wrong or missing value: the learner gets guidance instead.
    """
    if task_id not in _TASKS:
        return Feedback(task_id, False, f"There is no task {html.escape(str(task_id))}; check the task number.")
    task = _TASKS[task_id]
    if value is None or value is Ellipsis:
        feedback = Feedback(
            task_id, False, f"No answer yet: {task.prompt} Put your value in place of `None` and run the cell again."
        )
        _record(task_id, False, learner)
        return feedback
    expected = task.answer(seed)
    if task.kind == "number" and _number(value) is None:
        feedback = Feedback(
            task_id,
            False,
            f"The answer is a number{' in ' + task.unit if task.unit else ''}; you gave {html.escape(repr(value))}.",
        )
    elif _same(task, value, expected):
        feedback = Feedback(task_id, True, task.why)
    else:
        message = next((text for test, text in task.misconceptions if _safe(test, value, expected, seed)), None)
        if message is None and task.explain is not None:
            message = task.explain(seed, value)
        feedback = Feedback(
            task_id,
            False,
            message
            or f"Hint: {task.hints[0]}" + (f' (`hint("{task_id}", 2)` gives another)' if len(task.hints) > 1 else ""),
        )
    _record(task_id, feedback.passed, learner)
    return feedback


def _safe(test, value, expected, seed) -> bool:
    try:
        return bool(test(value, expected, seed))
    except Exception:
        return False


def hint(task_id: str, level: int = 1) -> Feedback:
    """The ``level``-th hint of a task (1 = the first); hints never give the answer."""
    task = _TASKS.get(task_id)
    if task is None:
        return Feedback(task_id, False, f"There is no task {html.escape(str(task_id))}.")
    level = max(1, min(int(level), len(task.hints)))
    more = f" (hint {level} of {len(task.hints)})"
    return Feedback(task_id, False, f"Hint{more}: {task.hints[level - 1]}")


def quiz(question_id: str, learner: str | None = None):
    """A multiple-choice question as a widget: pick, press Check, read why each choice is right or wrong."""
    import ipywidgets as w

    q = _QUESTIONS[question_id]
    choice = w.RadioButtons(options=list(q.choices), value=None, layout=w.Layout(width="auto"))
    button = w.Button(description="Check", button_style="primary")
    answer = w.HTML()

    def judge(_):
        if choice.value is None:
            answer.value = "<b>Pick an answer first.</b>"
            return
        picked = q.choices.index(choice.value)
        passed = picked == q.right
        _record(question_id, passed, learner)
        mark = "✅ Right." if passed else "❌ Not quite."
        answer.value = f"<b>{mark}</b> {html.escape(q.explanations[picked])}"

    button.on_click(judge)
    box = w.VBox([w.HTML(f"<b>{html.escape(q.text)}</b>"), choice, button, answer])
    box.judge = judge  # for tests and for keyboard-only use
    return box


# --- progress -------------------------------------------------------------------------------------------


def _store() -> Path:
    return Path(os.environ.get("PMO_LAB_PROGRESS") or Path.home() / ".pmo_lab" / "progress.json")


def _learner(learner: str | None) -> str:
    return learner or os.environ.get("PMO_LAB_LEARNER") or os.environ.get("USER") or "learner"


def _read() -> dict:
    path = _store()
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}  # a damaged file starts over rather than stopping the lesson


def _record(task_id: str, passed: bool, learner: str | None) -> None:
    from ..files import atomic_write_bytes

    data = _read()
    person = data.setdefault(_learner(learner), {})
    entry = person.setdefault(task_id, {"passed": False, "attempts": 0})
    entry["attempts"] += 1
    entry["passed"] = entry["passed"] or passed
    entry["last"] = datetime.now(UTC).isoformat(timespec="seconds")
    path = _store()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))


def status(learner: str | None = None):
    """One row per exercise: tasks passed of all, for a learner."""
    import pandas as pd

    mine = _read().get(_learner(learner), {})
    rows = []
    for number, title, minutes in PATH:
        ids = tasks_of(number)
        done = [i for i in ids if mine.get(i, {}).get("passed")]
        rows.append({"exercise": number, "title": title, "minutes": minutes, "passed": len(done), "tasks": len(ids)})
    return pd.DataFrame(rows)


def export_progress():
    """Everyone's progress: one row per learner and task (for a PMO lead)."""
    import pandas as pd

    rows = [
        {"learner": who, "task": task, **entry}
        for who, tasks in sorted(_read().items())
        for task, entry in sorted(tasks.items())
    ]
    return pd.DataFrame(rows, columns=["learner", "task", "passed", "attempts", "last"])
