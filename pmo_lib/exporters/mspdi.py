"""A PMO Lab schedule back to the scheduling tools: MS Project XML (MSPDI) that MS Project, ProjectLibre and MPXJ open.

One file per project. The dates PMO Lab worked out (the plan, a what-if scenario or a levelled
plan) are the tasks' scheduled ``Start`` / ``Finish`` (08:00 on the first day, 17:00 on the last);
the dataset's own baseline dates and planned cost are baseline 0, so the tool shows the move
against the approved plan. A task PMO Lab moved later than its links alone would put it (levelling,
a shifted project) gets a *start no earlier than* constraint on its new start, so the tool keeps
the date when it reschedules. Links keep their type and lag (``LinkLag`` in tenths of a minute,
working days); the calendar's non-working days are exceptions of the ``Standard`` calendar;
people are work resources (``Group`` = role, ``MaxUnits`` = FTE, ``StandardRate`` per hour) and
their bookings on tasks are assignments.

Task UIDs are the task ids when those are whole numbers (a plan imported from MS Project keeps
its UIDs), else 1, 2, 3 ... in task order; the PMO Lab id is kept in the ``Text1`` field either
way. Text from the data is written as XML text (escaped), never as markup, and characters XML
cannot hold (control characters) are dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd

NS = "http://schemas.microsoft.com/project"
TEXT1 = "188743731"  # MSPDI field id of the task field Text1
LINK_CODES = {"FF": "0", "FS": "1", "SF": "2", "SS": "3"}
SNET = "4"  # constraint type: start no earlier than
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value) -> str:
    return _NOT_XML.sub("", str(value))


def _sub(parent, tag: str, value=None):
    elem = ET.SubElement(parent, tag)
    if value is not None:
        elem.text = _clean(value)
    return elem


def _when(day, time: str) -> str | None:
    return None if pd.isna(day) else f"{pd.Timestamp(day):%Y-%m-%d}T{time}"


def _hours(days: float, hours_per_day: float) -> str:
    minutes = round(float(days) * hours_per_day * 60)
    return f"PT{minutes // 60}H{minutes % 60}M0S"


def _uids(ids: pd.Series) -> np.ndarray:
    """Whole-number task ids as they are (unique, positive), else 1..n."""
    as_int = pd.to_numeric(ids, errors="coerce")
    if len(ids) and as_int.notna().all() and (as_int > 0).all() and as_int.is_unique and (as_int % 1 == 0).all():
        return as_int.astype(int).to_numpy()
    return np.arange(1, len(ids) + 1)


def project_xml(
    portfolio, project_id: str, dates: pd.DataFrame, *, early: pd.DataFrame | None = None, hours_per_day: float = 8.0
) -> ET.Element:
    """The MSPDI ``Project`` element of one project.

    ``dates``: ``task_id``, ``start``, ``finish`` [dates] to write as the scheduled dates;
    ``early``: the same tasks' start by their links alone (the plain critical path), to tell which
    tasks were moved later and need a constraint (default: none get one).
    """
    ET.register_namespace("", NS)
    project = portfolio.projects.set_index("project_id").loc[project_id]
    tasks = portfolio.tasks[portfolio.tasks["project_id"] == project_id].reset_index(drop=True)
    links = portfolio.dependencies[portfolio.dependencies["project_id"] == project_id]
    when = dates.set_index("task_id").reindex(tasks["task_id"])
    moved = pd.Series(False, index=tasks["task_id"])
    if early is not None:
        before = early.set_index("task_id")["start"].reindex(tasks["task_id"])
        moved = (when["start"] > before).fillna(False)
    uid = pd.Series(_uids(tasks["task_id"]), index=tasks["task_id"])
    per_day = hours_per_day * 60

    root = ET.Element(f"{{{NS}}}Project")
    _sub(root, "SaveVersion", 14)
    _sub(root, "Name", f"{project_id}.xml")
    _sub(root, "Title", project["name"])
    _sub(root, "ScheduleFromStart", 1)
    starts = when["start"].dropna()
    _sub(root, "StartDate", _when(starts.min() if len(starts) else project["baseline_start"], "08:00:00"))
    finishes = when["finish"].dropna()
    if len(finishes):
        _sub(root, "FinishDate", _when(finishes.max(), "17:00:00"))
    _sub(root, "CalendarUID", 1)
    _sub(root, "MinutesPerDay", round(per_day))
    _sub(root, "MinutesPerWeek", round(per_day * 5))
    if not pd.isna(project.get("currency")):
        _sub(root, "CurrencyCode", project["currency"])
    attributes = _sub(root, "ExtendedAttributes")
    attribute = _sub(attributes, "ExtendedAttribute")
    _sub(attribute, "FieldID", TEXT1)
    _sub(attribute, "FieldName", "Text1")
    _sub(attribute, "Alias", "PMO Lab task id")

    _calendar(_sub(root, "Calendars"), portfolio, hours_per_day)

    holder = _sub(root, "Tasks")
    top = _sub(holder, "Task")
    for tag, value in (("UID", 0), ("ID", 0), ("Name", project["name"]), ("OutlineLevel", 0), ("Summary", 1)):
        _sub(top, tag, value)
    preds = links.groupby("successor_id")
    by_succ = {key: frame for key, frame in preds}
    for i, row in tasks.iterrows():  # one element per task: the writer's unit of output
        task_id = row["task_id"]
        elem = _sub(holder, "Task")
        _sub(elem, "UID", uid[task_id])
        _sub(elem, "ID", i + 1)
        _sub(elem, "Name", row["name"])
        _sub(elem, "Type", 1)  # fixed duration
        if not pd.isna(row["wbs"]):
            _sub(elem, "WBS", row["wbs"])
        _sub(elem, "OutlineLevel", 1)
        _sub(elem, "Summary", 0)
        days = 0.0 if pd.isna(row["duration_days"]) else float(row["duration_days"])
        milestone = bool(row["is_milestone"]) if not pd.isna(row["is_milestone"]) else days == 0
        _sub(elem, "Milestone", int(milestone))
        start, finish = when.loc[task_id, "start"], when.loc[task_id, "finish"]
        _sub(elem, "Start", _when(start, "08:00:00"))
        _sub(elem, "Finish", _when(start if milestone else finish, "08:00:00" if milestone else "17:00:00"))
        _sub(elem, "Duration", _hours(days, hours_per_day))
        _sub(elem, "DurationFormat", 7)
        if not pd.isna(row["actual_start"]):
            _sub(elem, "ActualStart", _when(row["actual_start"], "08:00:00"))
        if not pd.isna(row["actual_finish"]):
            _sub(elem, "ActualFinish", _when(row["actual_finish"], "17:00:00"))
        if not pd.isna(row["percent_complete"]):
            _sub(elem, "PercentComplete", round(float(row["percent_complete"])))
        if moved.get(task_id, False):
            _sub(elem, "ConstraintType", SNET)
            _sub(elem, "ConstraintDate", _when(start, "08:00:00"))
        for _, link in by_succ.get(task_id, pd.DataFrame()).iterrows():
            ref = _sub(elem, "PredecessorLink")
            _sub(ref, "PredecessorUID", uid[link["predecessor_id"]])
            _sub(ref, "Type", LINK_CODES[str(link["type"]) if not pd.isna(link["type"]) else "FS"])
            lag = 0.0 if pd.isna(link["lag_days"]) else float(link["lag_days"])
            _sub(ref, "LinkLag", round(lag * per_day * 10))
            _sub(ref, "LagFormat", 7)
        value = _sub(elem, "ExtendedAttribute")
        _sub(value, "FieldID", TEXT1)
        _sub(value, "Value", task_id)
        if not (pd.isna(row["baseline_start"]) and pd.isna(row["planned_cost"])):
            base = _sub(elem, "Baseline")
            _sub(base, "Number", 0)
            if not pd.isna(row["baseline_start"]):
                _sub(base, "Start", _when(row["baseline_start"], "08:00:00"))
            if not pd.isna(row["baseline_finish"]):
                _sub(base, "Finish", _when(row["baseline_finish"], "17:00:00"))
            _sub(base, "Duration", _hours(days, hours_per_day))
            if not pd.isna(row["planned_cost"]):
                _sub(base, "Cost", round(float(row["planned_cost"]) * 100))

    _people(root, portfolio, project_id, tasks, uid, when)
    return root


def _calendar(holder, portfolio, hours_per_day: float) -> None:
    """The Standard calendar: Monday to Friday, 08:00-12:00 and 13:00 onwards, less the dataset's non-working days."""
    cal = _sub(holder, "Calendar")
    _sub(cal, "UID", 1)
    _sub(cal, "Name", "Standard")
    _sub(cal, "IsBaseCalendar", 1)
    week = _sub(cal, "WeekDays")
    afternoon = 13 * 60 + max(round(hours_per_day * 60) - 4 * 60, 0)
    for day in range(1, 8):  # 1 = Sunday ... 7 = Saturday
        elem = _sub(week, "WeekDay")
        _sub(elem, "DayType", day)
        working = 2 <= day <= 6
        _sub(elem, "DayWorking", int(working))
        if working:
            times = _sub(elem, "WorkingTimes")
            for start, end in (
                ("08:00:00", "12:00:00"),
                ("13:00:00", f"{afternoon // 60:02d}:{afternoon % 60:02d}:00"),
            ):
                period = _sub(times, "WorkingTime")
                _sub(period, "FromTime", start)
                _sub(period, "ToTime", end)
    days = portfolio.calendars
    names = days["calendar"].astype(str)
    standard = days[names == ("standard" if (names == "standard").any() else "")]
    if len(standard):
        exceptions = _sub(cal, "Exceptions")
        for day in sorted(pd.to_datetime(standard["date"]).unique()):
            exc = _sub(exceptions, "Exception")
            period = _sub(exc, "TimePeriod")
            _sub(period, "FromDate", _when(day, "00:00:00"))
            _sub(period, "ToDate", _when(day, "23:59:00"))
            _sub(exc, "Occurrences", 1)
            _sub(exc, "Name", "Non-working day")
            _sub(exc, "Type", 1)
            _sub(exc, "DayWorking", 0)


def _people(root, portfolio, project_id: str, tasks: pd.DataFrame, uid: pd.Series, when: pd.DataFrame) -> None:
    """The people booked on the project's tasks, and their bookings over the task's written dates."""
    bookings = portfolio.assignments[
        (portfolio.assignments["project_id"] == project_id)
        & portfolio.assignments["task_id"].isin(tasks["task_id"])
        & portfolio.assignments["resource_id"].notna()
    ].reset_index(drop=True)
    people = portfolio.resources[portfolio.resources["resource_id"].isin(bookings["resource_id"])].reset_index(
        drop=True
    )
    who = pd.Series(np.arange(1, len(people) + 1), index=people["resource_id"])
    holder = _sub(root, "Resources")
    for i, person in people.iterrows():
        elem = _sub(holder, "Resource")
        _sub(elem, "UID", who[person["resource_id"]])
        _sub(elem, "ID", i + 1)
        _sub(elem, "Name", person["name"])
        _sub(elem, "Type", 1)
        if not pd.isna(person["role"]):
            _sub(elem, "Group", person["role"])
        if not pd.isna(person["fte"]):
            _sub(elem, "MaxUnits", f"{float(person['fte']):.2f}")
        if not pd.isna(person["cost_rate"]):
            _sub(elem, "StandardRate", f"{float(person['cost_rate']):.2f}")
            _sub(elem, "StandardRateFormat", 2)  # per hour
    holder = _sub(root, "Assignments")
    for i, booking in bookings.iterrows():
        elem = _sub(holder, "Assignment")
        _sub(elem, "UID", i + 1)
        _sub(elem, "TaskUID", uid[booking["task_id"]])
        _sub(elem, "ResourceUID", who[booking["resource_id"]])
        _sub(elem, "Units", f"{float(booking['fte']):.2f}")
        _sub(elem, "Start", _when(when.loc[booking["task_id"], "start"], "08:00:00"))
        _sub(elem, "Finish", _when(when.loc[booking["task_id"], "finish"], "17:00:00"))


def write(portfolio, project_id: str, dates: pd.DataFrame, target: Path, **options) -> Path:
    """Write one project as an MSPDI file, atomically (see :func:`project_xml` for the options)."""
    from ..files import atomic_open

    root = project_xml(portfolio, project_id, dates, **options)
    ET.indent(root)
    with atomic_open(Path(target), "wb") as fh:
        ET.ElementTree(root).write(fh, encoding="UTF-8", xml_declaration=True)
    return Path(target)
