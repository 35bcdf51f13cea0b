"""The onboarding exercises: tasks with checks and hints, quizzes, per-learner data and progress.

A learner notebook calls :func:`check` with a value it computed; the check
compares it with the answer for the learner's seed, and replies with why it
matters when right, or with a hint aimed at the likely misconception when
wrong (never the answer). :func:`hint` reveals further hints one at a time;
:func:`quiz` shows a multiple-choice question as a widget with an
explanation for each choice. Passed tasks are recorded in a small JSON file
(``PMO_LAB_PROGRESS``, default ``~/.pmo_lab/progress.json``).
"""

from . import content  # noqa: F401  (registers every exercise's tasks; the machinery in core never imports it)
from .core import PATH, Feedback, Question, Task, check, export_progress, hint, quiz, status, tasks_of

__all__ = ["PATH", "Feedback", "Question", "Task", "check", "export_progress", "hint", "quiz", "status", "tasks_of"]
