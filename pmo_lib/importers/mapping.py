"""The shared mapping layer: what every importer hands back, the options a user sets, and the checks.

A reader (``mspdi``, ``xer``, ``jira``) turns one source file into an :class:`Imported`: PMO Lab's
tables as text cells (dates as ``YYYY-MM-DD``), each row carrying where it came from
(``_row``: the n-th element or line of its kind), the label of that kind (``plan.xml[Task]``),
its own findings (what it could not map, and why) and the mapping report (element, count, what
became of them). :func:`combine` joins several files into one portfolio (one project per file),
and ``importers.validate`` sends the result through the dataset checks, so a finding names the
source file and the element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import Finding, PMOError

DEFAULT_PORTFOLIO = "Imported"
DEFAULT_HOURS_PER_DAY = 8.0
# Jira status -> percent complete, when the import options do not say otherwise
DEFAULT_STATUS_PERCENT = {"to do": 0, "open": 0, "backlog": 0, "selected for development": 0,
                          "in progress": 50, "in review": 75, "review": 75, "done": 100, "closed": 100,
                          "resolved": 100}  # fmt: skip


class SourceError(PMOError):
    """A source file that cannot be read at all (not XML, damaged, hostile): one finding, nothing imported."""

    def __init__(self, problem: str, fix: str, *, row: int | None = None, value: str | None = None):
        super().__init__(problem)
        self.problem, self.fix, self.row, self.value = problem, fix, row, value


@dataclass(frozen=True)
class Options:
    """What the user tells an import when the source does not say it (defaults stated in ``pmo import --help``).

    ``project_id`` / ``project_name``: for a single source file (default: from the file);
    ``portfolio``: the portfolio every imported project reports to; ``hours_per_day``: the
    working day, when the source does not give one [hours]; ``baseline``: which MS Project
    baseline (0-10) becomes the baseline dates and cost; ``status_percent``: Jira status ->
    percent complete; ``points_per_day``: Jira story points delivered per working day, for the
    duration of an issue without an original estimate; ``sprints``: Jira sprint name -> its
    first day, each ``sprint_weeks`` long; ``jira_role``: the role of Jira's assignees.
    """

    project_id: str | None = None
    project_name: str | None = None
    portfolio: str = DEFAULT_PORTFOLIO
    hours_per_day: float = DEFAULT_HOURS_PER_DAY
    baseline: int = 0
    status_percent: dict = field(default_factory=lambda: dict(DEFAULT_STATUS_PERCENT))
    points_per_day: float = 1.0
    sprints: dict = field(default_factory=dict)
    sprint_weeks: int = 2
    jira_role: str = "team member"


@dataclass
class Imported:
    """One or more source files as PMO Lab tables (text cells), with findings and the mapping report."""

    tables: dict[str, pd.DataFrame]  # each with a "_row" column: the element's number in its kind
    labels: dict[str, str]  # table -> what the user sees, e.g. plan.xml[Task]
    fields: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> column -> the source's field name
    findings: list[Finding] = field(default_factory=list)
    mapped: list[dict] = field(default_factory=list)  # element, count, became
    files: list[Path] = field(default_factory=list)

    def note(self, element: str, count: int, became: str) -> None:
        """One line of the mapping report (skipped when nothing was counted)."""
        if count:
            self.mapped.append({"source": ", ".join(f.name for f in self.files), "element": element,
                                "count": int(count), "became": became})  # fmt: skip

    def finding(self, severity: str, table: str, problem: str, fix: str, *, row=None, column=None, value=None):
        self.findings.append(Finding(severity, table, self.labels.get(table, self.files[0].name if self.files else ""),
                                     row, column, value, problem, fix))  # fmt: skip

    def report(self) -> pd.DataFrame:
        """The mapping report: per source file and element, how many, and what became of them."""
        return pd.DataFrame(self.mapped, columns=["source", "element", "count", "became"])


def failed(path: Path, exc: SourceError) -> Imported:
    """An import that could not read its file: no tables, one error finding."""
    out = Imported(tables={}, labels={}, files=[path])
    out.findings.append(Finding("error", "", path.name, exc.row, None, exc.value, exc.problem, exc.fix))
    return out


def _one_pool(parts: list[Imported]) -> list[Imported]:
    """The people of several files as one pool: the same name is the same person in every file.

    Each file numbers its resources on its own (UID 1 is someone else in each plan). The first
    file a person appears in gives their id; in later files their bookings and leave are moved to
    it, and a new person whose id is taken gets the id with the file's name after it.
    """
    taken: dict[str, str] = {}  # id -> name
    by_name: dict[str, str] = {}  # name -> id
    moved = []
    for part in parts:
        people = part.tables.get("resources")
        if people is None or people.empty:
            moved.append(part)
            continue
        remap, new_here = {}, []
        for rid, name in zip(people["resource_id"].astype(str), people["name"].astype(str), strict=True):
            known = name in by_name
            if not known:
                new = rid if rid not in taken else f"{rid}-{part.files[0].stem}"
                taken[new], by_name[name] = name, new
            remap[rid] = by_name[name]
            new_here.append(not known)
        tables = dict(part.tables)
        ids = people["resource_id"].astype(str).map(remap)
        tables["resources"] = people.assign(resource_id=ids)[pd.Series(new_here, index=people.index)]
        for name in ("assignments", "leave"):
            if name in tables and len(tables[name]):
                frame = tables[name]
                tables[name] = frame.assign(resource_id=frame["resource_id"].astype(str).map(remap))
        moved.append(Imported(tables, part.labels, part.fields, part.findings, part.mapped, part.files))
    return moved


def combine(parts: list[Imported]) -> Imported:
    """Several imported files (each already checked on its own) as one portfolio: tables stacked, reports kept.

    Each file is one project; two files that give the same project id are then reported by the
    checks as a duplicate key in the projects table, whose row *n* is the *n*-th file. A calendar
    of the same name in two files with different non-working days keeps the days of both, with
    a warning.
    """
    if len(parts) == 1:
        return parts[0]
    out = Imported(tables={}, labels={}, fields=parts[0].fields)
    tables: dict[str, list[pd.DataFrame]] = {}
    parts = _one_pool(parts)
    for part in parts:
        for name, frame in part.tables.items():
            tables.setdefault(name, []).append(frame)
        out.findings.extend(part.findings)
        out.mapped.extend(part.mapped)
        out.files.extend(part.files)
    for name, frames in tables.items():
        stacked = pd.concat(frames, ignore_index=True)
        stacked["_row"] = range(1, len(stacked) + 1)
        out.tables[name] = stacked
        out.labels[name] = f"{name} of the {len(parts)} files"
    calendars = out.tables.get("calendars")
    if calendars is not None and len(calendars):
        days = {}
        for part in parts:
            cal = part.tables.get("calendars")
            if cal is not None:
                for calendar, dates in cal.groupby("calendar")["date"]:
                    days.setdefault(calendar, []).append((part.files[0].name, frozenset(dates)))
        for calendar, seen in days.items():
            if len({dates for _, dates in seen}) > 1:
                out.finding("warning", "calendars",
                            f"calendar '{calendar}' has different non-working days in "
                            f"{', '.join(name for name, _ in seen)}; the days of all of them are used",
                            "give the calendars different names in the scheduling tool if they differ on purpose")  # fmt: skip
        merged = calendars.drop_duplicates(["calendar", "date"]).reset_index(drop=True)
        out.tables["calendars"] = merged.assign(_row=range(1, len(merged) + 1))
    return out
