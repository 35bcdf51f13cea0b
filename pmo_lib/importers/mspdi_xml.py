"""MS Project XML (MSPDI), the format MS Project, ProjectLibre, GanttProject and MPXJ write, read as a stream.

The file is parsed with ``defusedxml`` (a DTD, entity declarations and external references are
refused, so an entity bomb or a file that reaches out to the disk or network never expands) and
read with ``iterparse``: each ``Task``, ``Resource``, ``Assignment`` and ``Calendar`` element is
turned into plain values when it closes and then cleared, so memory stays near the size of the
values, not of the XML tree.

The values are those of the MSPDI schema [1]_: durations and work are ISO 8601 durations in
working time (``PT16H0M0S`` is two days of 8 hours), a link's ``LinkLag`` is in tenths of a
minute with ``LagFormat`` saying whether it counts working or elapsed time, costs are in
hundredths of the currency, ``Type`` of a link is 0 = FF, 1 = FS, 2 = SF, 3 = SS, and the
project summary task has UID 0. Turning these values into PMO Lab's tables is ``importers.plan``.

References
----------
.. [1] Microsoft, *Project XML Data Interchange Schema Reference* (mspdi_pj12.xsd and later),
   elements Project, Task, PredecessorLink, Resource, Assignment, Calendar.
"""

from __future__ import annotations

import re
from pathlib import Path

from .mapping import SourceError

NS = "{http://schemas.microsoft.com/project}"
_DURATION = re.compile(r"^-?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
                       r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")  # fmt: skip

TASK_FIELDS = (
    "UID", "ID", "Name", "WBS", "OutlineNumber", "OutlineLevel", "Summary", "Milestone", "Duration",
    "Start", "Finish", "ActualStart", "ActualFinish", "PercentComplete", "Cost", "Active", "IsNull", "Notes",
    "ConstraintType", "ConstraintDate",
)  # fmt: skip
RESOURCE_FIELDS = ("UID", "ID", "Name", "Type", "Group", "StandardRate", "MaxUnits", "CalendarUID", "IsNull")
ASSIGNMENT_FIELDS = ("UID", "TaskUID", "ResourceUID", "Units", "Start", "Finish", "Work")
PROJECT_FIELDS = ("Name", "Title", "StartDate", "FinishDate", "StatusDate", "CalendarUID", "MinutesPerDay",
                  "CurrencyCode")  # fmt: skip


def minutes(text: str | None) -> float | None:
    """Minutes in an ISO 8601 duration as MSPDI writes it (``PT8H30M0S`` -> 510; a day counts 24 hours).

    >>> minutes("PT16H0M0S"), minutes("PT0H30M0S"), minutes("P1DT2H")
    (960.0, 30.0, 1560.0)
    """
    if text is None:
        return None
    match = _DURATION.match(text.strip())
    if not match or text.strip() in ("P", "PT", "-P"):
        return None
    y, mo, d, h, m, s = (float(g) if g else 0.0 for g in match.groups())
    total = ((y * 365 + mo * 30 + d) * 24 + h) * 60 + m + s / 60
    return -total if text.strip().startswith("-") else total


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(elem, name: str) -> str | None:
    child = elem.find(NS + name)
    if child is None:
        child = elem.find(name)  # a file written without the namespace
    return None if child is None or child.text is None else child.text.strip()


def _children(elem, name: str) -> list:
    return elem.findall(NS + name) + elem.findall(name)


RECORDS = {"Task": "tasks", "Resource": "resources", "Assignment": "assignments", "Calendar": "calendars",
           "ExtendedAttribute": "fields"}  # fmt: skip
PMO_LAB_ID = "PMO Lab task id"  # the alias PMO Lab's own export gives Text1: the task ids it came from


def parse(path: Path) -> dict:
    """The elements of an MSPDI file as plain records; raises :class:`SourceError` for a file that cannot be read."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    found = {"project": {}, "tasks": [], "resources": [], "assignments": [], "calendars": [], "fields": []}
    make = {
        "Task": task_record,
        "Resource": resource_record,
        "Assignment": assignment_record,
        "Calendar": calendar_record,
        "ExtendedAttribute": field_record,
    }
    depth = 0
    root_tag = None
    try:
        with open(path, "rb") as fh:
            for event, elem in iterparse(fh, events=("start", "end"), forbid_dtd=True):
                if event == "start":
                    depth += 1
                    if depth == 1:
                        root_tag = _local(elem.tag)
                        if root_tag != "Project":
                            raise SourceError(
                                f"the root element is <{root_tag}>, not <Project>: this is not an MS Project XML file",
                                "save the plan from MS Project (or ProjectLibre) as 'XML format (*.xml)'",
                            )
                    continue
                depth -= 1
                if depth > 2:  # inside a record: read when the record closes
                    continue
                tag = _local(elem.tag)
                if depth == 2 and tag in make:  # Project/Tasks/Task and the like
                    kind = found[RECORDS[tag]]
                    kind.append(make[tag](elem, len(kind) + 1))
                    elem.clear()
                elif depth == 1 and tag in PROJECT_FIELDS:
                    found["project"][tag] = (elem.text or "").strip()
                elif depth == 1:
                    elem.clear()
    except SourceError:
        raise
    except DefusedXmlException as exc:
        raise SourceError(
            f"the file declares a DTD, entities or external references ({type(exc).__name__}), which PMO Lab refuses",
            "save the plan again from MS Project or ProjectLibre; a plan never needs them",
        ) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise SourceError(
            f"the XML is not well formed ({exc}); the file may be cut short or damaged",
            "save the plan again from the scheduling tool and copy the whole file",
            row=line,
        ) from None
    if root_tag is None:
        raise SourceError("the file is empty", "save the plan again from the scheduling tool")
    return found


def task_record(elem, ordinal: int) -> dict:
    """One ``Task`` element as plain values (its baseline and links included)."""
    record = {name: _text(elem, name) for name in TASK_FIELDS}
    record["ordinal"] = ordinal
    baselines = {}
    for base in _children(elem, "Baseline"):
        number = _text(base, "Number") or "0"
        baselines[number] = {name: _text(base, name) for name in ("Start", "Finish", "Cost", "Work", "Duration")}
    record["baselines"] = baselines
    record["fields"] = {
        _text(value, "FieldID"): _text(value, "Value") for value in _children(elem, "ExtendedAttribute")
    }
    record["links"] = [
        {name: _text(link, name) for name in ("PredecessorUID", "Type", "CrossProject", "LinkLag", "LagFormat")}
        for link in _children(elem, "PredecessorLink")
    ]
    return record


def field_record(elem, ordinal: int) -> dict:
    """A custom field the project defines (``Project/ExtendedAttributes/ExtendedAttribute``)."""
    return {"FieldID": _text(elem, "FieldID"), "Alias": _text(elem, "Alias"), "ordinal": ordinal}


def resource_record(elem, ordinal: int) -> dict:
    record = {name: _text(elem, name) for name in RESOURCE_FIELDS}
    record["ordinal"] = ordinal
    return record


def assignment_record(elem, ordinal: int) -> dict:
    record = {name: _text(elem, name) for name in ASSIGNMENT_FIELDS}
    record["ordinal"] = ordinal
    return record


def calendar_record(elem, ordinal: int) -> dict:
    """A calendar: its base calendar, the days of the week it does not work, its exceptions."""
    record = {name: _text(elem, name) for name in ("UID", "Name", "IsBaseCalendar", "BaseCalendarUID")}
    record["ordinal"] = ordinal
    week, exceptions = {}, []
    for day in _children(elem.find(NS + "WeekDays") if elem.find(NS + "WeekDays") is not None else elem, "WeekDay"):
        kind = _text(day, "DayType")
        working = _text(day, "DayWorking") == "1"
        if kind == "0":  # the older form of an exception: a WeekDay of type 0 with a date range
            period = day.find(NS + "TimePeriod")
            if period is None:
                period = day.find("TimePeriod")
            if period is not None:
                exceptions.append((_text(period, "FromDate"), _text(period, "ToDate"), working))
        elif kind:
            week[int(kind)] = working  # 1 = Sunday ... 7 = Saturday
    holder = elem.find(NS + "Exceptions")
    for exc in _children(holder, "Exception") if holder is not None else []:
        period = exc.find(NS + "TimePeriod")
        if period is None:
            period = exc.find("TimePeriod")
        if period is not None:
            exceptions.append((_text(period, "FromDate"), _text(period, "ToDate"), _text(exc, "DayWorking") == "1"))
    record["week"], record["exceptions"] = week, exceptions
    return record
