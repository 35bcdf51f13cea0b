"""MPXJ (a Java library that reads and writes every scheduling tool's format) as an outside oracle for the file formats.

Projects are built with MPXJ's own API from a seed, scheduled by MPXJ's ``MicrosoftScheduler``
(its implementation of MS Project's forward and backward pass) and written by MPXJ's writers, so
neither the files nor the expected dates were made by PMO Lab. Needs a Java runtime (Debian's
``default-jre-headless``; ``.ci/run`` installs it) and the ``mpxj`` package (the dev extra).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

HOLIDAYS = ("2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31")
START = pd.Timestamp("2026-03-30")  # a Monday


def jvm():
    """Start the Java VM once per process (JPype cannot restart it) and return the ``org.mpxj`` package."""
    if shutil.which("java") is None:
        raise RuntimeError("no Java runtime: install it (apt-get install default-jre-headless) to run the MPXJ checks")
    import jpype
    import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

    if not jpype.isJVMStarted():
        jpype.startJVM(convertStrings=True)
    import org.mpxj  # noqa: F401

    return jpype.JPackage("org").mpxj


def build(seed: int, tasks: int = 30, *, summaries: bool = False):
    """A seeded project in MPXJ: durations 0-10 days, links of all four types to earlier tasks, lags -2..5 days.

    With ``summaries``, the tasks sit under summary tasks of 3-6 tasks each (links join tasks only).
    Every task is given a *start no earlier than* the project start: MS Project lets an FF or SF
    link pull a task before the project starts, PMO Lab's critical path does not (no work before
    the project starts; see docs/decisions.md), and the constraint asks MPXJ for the same rule.
    """
    mp = jvm()
    from java.time import LocalDate, LocalDateTime

    rng = np.random.default_rng(seed)
    project = mp.ProjectFile()
    calendar = project.addDefaultBaseCalendar()
    project.setDefaultCalendar(calendar)
    for day in HOLIDAYS:
        d = pd.Timestamp(day)
        calendar.addCalendarException(LocalDate.of(d.year, d.month, d.day), LocalDate.of(d.year, d.month, d.day))
    properties = project.getProjectProperties()
    properties.setStartDate(LocalDateTime.of(START.year, START.month, START.day, 8, 0))
    properties.setName(f"Generated {seed}")
    properties.setProjectTitle(f"Generated project {seed}")
    days, hours = mp.TimeUnit.DAYS, mp.TimeUnit.HOURS
    kinds = [mp.RelationType.FINISH_START, mp.RelationType.START_START, mp.RelationType.FINISH_FINISH,
             mp.RelationType.START_FINISH]  # fmt: skip
    made = []
    parent = None
    left_in_group = 0
    for i in range(tasks):
        if summaries and left_in_group == 0:
            parent = project.addTask()
            parent.setName(f"Phase {len(made) // 4 + 1}")
            left_in_group = int(rng.integers(3, 7))
        task = parent.addTask() if summaries else project.addTask()
        left_in_group -= 1
        task.setName(f'Task {i + 1} <&> "quoted"')
        length = 0 if rng.random() < 0.1 else int(rng.integers(1, 11))
        task.setDuration(mp.Duration.getInstance(length * 8, hours))
        task.setMilestone(length == 0)
        task.setActualDuration(mp.Duration.getInstance(0, days))
        task.setConstraintType(mp.ConstraintType.START_NO_EARLIER_THAN)
        task.setConstraintDate(LocalDateTime.of(START.year, START.month, START.day, 8, 0))
        task.setRemainingDuration(task.getDuration())
        if made:
            for j in rng.choice(len(made), size=min(len(made), int(rng.integers(1, 3))), replace=False):
                kind = kinds[int(rng.choice(4, p=[0.55, 0.2, 0.15, 0.1]))]
                lag = int(rng.choice([0, 0, 0, 1, 2, 5, -1, -2]))
                task.addPredecessor(
                    mp.Relation.Builder()
                    .predecessorTask(made[int(j)])
                    .type(kind)
                    .lag(mp.Duration.getInstance(lag * 8, hours))
                )
        made.append(task)
    mp.cpm.MicrosoftScheduler().schedule(project, LocalDateTime.of(START.year, START.month, START.day, 8, 0))
    return project


def _day(value) -> pd.Timestamp:
    return pd.Timestamp(str(value)) if value is not None else pd.NaT


def dates(project) -> pd.DataFrame:
    """MPXJ's early and late dates per task (summary tasks left out), as PMO Lab counts days.

    MS Project puts a start that falls at the end of a working day (17:00, a milestone after a
    task) at that time; PMO Lab puts it on the next working day. So a start at 17:00 moves to the
    next working day, and a milestone's finish is its start.
    """
    rows = []
    for task in project.getTasks():
        if task.getUniqueID() == 0 or task.getSummary() or task.getName() is None:
            continue
        rows.append(
            {
                "uid": int(task.getUniqueID()),
                "name": str(task.getName()),
                "milestone": bool(task.getMilestone()),
                "early_start": _day(task.getEarlyStart()),
                "early_finish": _day(task.getEarlyFinish()),
                "late_start": _day(task.getLateStart()),
                "late_finish": _day(task.getLateFinish()),
            }
        )
    frame = pd.DataFrame(rows)
    holidays = np.array(HOLIDAYS, dtype="datetime64[D]")

    def next_day(ts: pd.Series) -> pd.Series:
        late = ts.dt.hour >= 17
        day = ts.dt.normalize().to_numpy().astype("datetime64[D]")
        rolled = np.busday_offset(day, 1, roll="forward", holidays=holidays)
        return pd.Series(np.where(late, rolled, day), index=ts.index).astype("datetime64[ns]")

    for kind in ("early", "late"):
        frame[f"{kind}_start"] = next_day(frame[f"{kind}_start"])
        finish = frame[f"{kind}_finish"].dt.normalize()
        frame[f"{kind}_finish"] = finish.where(~frame["milestone"], frame[f"{kind}_start"])
    return frame


def write(project, path: Path, kind: str = "MSPDI") -> Path:
    """Write the project with MPXJ's own writer (``MSPDI`` or ``XER``)."""
    mp = jvm()
    mp.writer.UniversalProjectWriter(getattr(mp.writer.FileFormat, kind)).write(project, str(path))
    return path


def read(path: Path):
    """Read any scheduling file with MPXJ's universal reader."""
    mp = jvm()
    return mp.reader.UniversalProjectReader().read(str(path))
