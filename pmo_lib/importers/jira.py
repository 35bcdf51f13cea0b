"""Jira's CSV export ("Export > CSV (all fields)") -> PMO Lab tables, with every rule stated.

Jira writes one row per issue and repeats a header once per value of a many-valued field
(``Sprint``, ``Labels``, ``Outward issue link (Blocks)`` ...); all the columns of one name are read
together. A text cell may run over several lines (descriptions do); the row a finding names is
the issue's row as a spreadsheet shows it (the header is row 1).

- **Projects**: one per ``Project key`` (name from ``Project name``).
- **Issues -> tasks**: every issue except epics; ``task_id`` is the issue key, ``name`` its summary.
  Epics are the WBS: an issue's ``wbs`` is its epic's key (``Parent`` or ``Custom field (Epic
  Link)``), a sub-task takes its parent's. Duration in working days = ``Original Estimate``
  (seconds) / (hours per day x 3600); else story points / points per day (options); an issue
  with neither lasts one day, with a warning that counts them.
- **Status -> percent complete**: the import options' mapping (default: to do 0, in progress 50, in
  review 75, done 100, by status name, case ignored); a status it does not name falls back on the
  ``Status Category`` (To Do 0, In Progress 50, Done 100), else 0 with a warning. A resolved issue
  has its ``Resolved`` date as actual finish; an issue with progress started with its first sprint
  (without sprint dates: when it was created, the earliest date the export gives).
- **Blocks links -> finish-to-start dependencies**: "A blocks B" (A's outward link, or B's inward
  "is blocked by") makes A a predecessor of B. A link to an issue that is not in the file, or in
  another project, is dropped with a warning.
- **Sprints -> dates**: a sprint's start is given in the options (``sprints``: name -> first day,
  each ``sprint_weeks`` long); an issue's baseline runs from the start of its first sprint to the
  end of its last. Without sprint dates the project starts at its first issue's ``Created`` date.
- **Assignee -> resource** (role from the options' ``jira_role``, one full-time booking over the
  issue's sprints when they have dates).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .mapping import Imported, Options, SourceError

REQUIRED = ("Issue key", "Summary")
CATEGORY_PERCENT = {"to do": 0, "in progress": 50, "done": 100}
STORY_POINTS = ("Custom field (Story Points)", "Custom field (Story point estimate)", "Story Points")
EPIC_LINK = ("Parent", "Parent key", "Custom field (Epic Link)")
FIELDS = {"tasks": {"task_id": "Issue key", "name": "Summary", "duration_days": "Original Estimate",
                    "percent_complete": "Status", "actual_finish": "Resolved"},
          "dependencies": {"predecessor_id": "Outward issue link (Blocks)", "successor_id": "Issue key"},
          "projects": {"project_id": "Project key", "name": "Project name"}}  # fmt: skip


def looks_like_jira(path: Path) -> bool:
    """True for a CSV file whose header names Jira's ``Issue key`` and ``Summary``."""
    try:
        head = Path(path).read_bytes()[:65536].decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    first = next(csv.reader(io.StringIO(head)), [])
    return all(name in first for name in REQUIRED)


def _rows(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, rows and each row's number as a spreadsheet shows it (header = 1; a cell with line breaks
    stays in its row, so a multi-line description does not shift the rows after it)."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise SourceError("the file is empty", "export the issues again from Jira (CSV, all fields)") from None
    rows, numbers = [], []
    try:
        for number, row in enumerate(reader, start=2):
            if any(cell.strip() for cell in row):
                rows.append(row)
                numbers.append(number)
    except csv.Error as exc:
        raise SourceError(f"the CSV cannot be read past line {reader.line_num} ({exc})",
                          "export the issues again from Jira", row=reader.line_num) from None  # fmt: skip
    return header, rows, numbers


def _columns(header: list[str], rows: list[list[str]]) -> dict[str, list[list[str]]]:
    """Each header name -> per row, the non-blank values of all the columns of that name (Jira repeats them)."""
    where: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        where.setdefault(name.strip(), []).append(i)
    out = {}
    for name, positions in where.items():
        out[name] = [[row[i].strip() for i in positions if i < len(row) and row[i].strip()] for row in rows]
    return out


def _first(columns: dict, names, n: int) -> pd.Series:
    for name in names if isinstance(names, tuple) else (names,):
        if name in columns:
            return pd.Series([values[0] if values else None for values in columns[name]], dtype=object)
    return pd.Series([None] * n, dtype=object)


def _date(values: pd.Series) -> pd.Series:
    """Jira's date-times (``2026-04-07 09:30``, ``07/Apr/26 9:30 AM``) as days; blank stays blank."""
    text = values.astype("string")
    iso = pd.to_datetime(text, errors="coerce", format="ISO8601")
    jira = pd.to_datetime(text, errors="coerce", format="%d/%b/%y %I:%M %p")
    return iso.fillna(jira).dt.normalize()


def read(path: Path, options: Options | None = None) -> Imported:
    """A Jira CSV export as PMO Lab tables (see the module notes for every rule)."""
    options = options or Options()
    path = Path(path)
    out = Imported(tables={}, labels={}, files=[path])
    for table in ("projects", "tasks", "dependencies", "resources", "assignments"):
        out.labels[table] = path.name
    out.fields.update(FIELDS)
    header, rows, lines = _rows(path)
    missing = [name for name in REQUIRED if name not in [h.strip() for h in header]]
    if missing:
        raise SourceError(f"the header has no {', '.join(missing)} column: this is not a Jira CSV export",
                          "export from Jira with Export > CSV (all fields)", row=1)  # fmt: skip
    repeated = sorted({h.strip() for h in header if [x.strip() for x in header].count(h.strip()) > 1})
    if repeated:
        out.note(f"repeated columns ({', '.join(repeated)})", len(repeated), "read together, as Jira means them")
    cols = _columns(header, rows)
    n = len(rows)
    frame = pd.DataFrame(
        {
            "key": _first(cols, "Issue key", n),
            "summary": _first(cols, "Summary", n),
            "type": _first(cols, "Issue Type", n).fillna("Task"),
            "status": _first(cols, "Status", n),
            "category": _first(cols, "Status Category", n),
            "project": _first(cols, "Project key", n),
            "project_name": _first(cols, "Project name", n),
            "parent": _first(cols, EPIC_LINK, n),
            "estimate": pd.to_numeric(_first(cols, "Original Estimate", n), errors="coerce"),
            "points": pd.to_numeric(_first(cols, STORY_POINTS, n), errors="coerce"),
            "assignee": _first(cols, "Assignee", n),
            "created": _date(_first(cols, "Created", n)),
            "resolved": _date(_first(cols, "Resolved", n)),
            "_row": lines,
        }
    )
    if options.project_id:
        frame["project"] = options.project_id
    frame["project"] = frame["project"].fillna(re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem))
    sprints = cols.get("Sprint", [[] for _ in range(n)])
    epic = frame["type"].str.lower().eq("epic")
    out.note("Issue (epic)", int(epic.sum()), "the WBS: each issue under an epic has the epic's key as its WBS code")
    out.note("Issue", int((~epic).sum()), "tasks")

    # WBS: the epic (a sub-task takes its parent's epic)
    parent = frame.set_index("key")["parent"]
    is_epic = set(frame.loc[epic, "key"])
    wbs = frame["parent"].where(frame["parent"].isin(is_epic))
    via_parent = frame["parent"].map(parent)
    wbs = wbs.fillna(via_parent.where(via_parent.isin(is_epic)))

    # duration
    hours = options.hours_per_day
    days = (frame["estimate"] / 3600 / hours).where(frame["estimate"] != 0)  # a negative one is reported by the checks
    days = days.fillna(frame["points"] / options.points_per_day)
    guessed = days.isna() & ~epic
    if guessed.any():
        out.finding("warning", "tasks", f"{int(guessed.sum())} issue(s) have neither an original estimate nor story "
                    "points; each is taken as one working day", "estimate them in Jira, or give --points-per-day",
                    column="Original Estimate")  # fmt: skip
    days = days.fillna(1.0)

    # status -> percent complete
    mapping = {str(k).lower(): float(v) for k, v in options.status_percent.items()}
    percent = frame["status"].str.lower().map(mapping)
    percent = percent.fillna(frame["category"].str.lower().map(CATEGORY_PERCENT))
    unknown = percent.isna() & frame["status"].notna() & ~epic
    if unknown.any():
        names = ", ".join(sorted(frame.loc[unknown, "status"].unique()))
        out.finding("warning", "tasks", f"status(es) {names} are not in the status mapping; taken as 0 % complete",
                    "give the mapping in the import options (status -> percent)", column="Status")  # fmt: skip
    percent = percent.fillna(0.0)

    # sprint dates
    start_of = {name: pd.Timestamp(day) for name, day in (options.sprints or {}).items()}
    length = pd.Timedelta(weeks=options.sprint_weeks) - pd.Timedelta(days=3)  # to the Friday of its last week
    first_sprint = pd.Series([min((start_of[s] for s in names if s in start_of), default=pd.NaT) for names in sprints])
    last_sprint = pd.Series([max((start_of[s] for s in names if s in start_of), default=pd.NaT) for names in sprints])
    last_sprint = last_sprint + length
    unknown_sprints = sorted({s for names in sprints for s in names} - set(start_of))
    if unknown_sprints and start_of:
        out.finding("warning", "tasks", f"sprint(s) {', '.join(unknown_sprints[:10])} have no start date in the "
                    "options; their issues have no baseline dates", "give each sprint's first day")  # fmt: skip

    t = frame[~epic]
    done = percent[~epic] >= 100
    out.tables["tasks"] = pd.DataFrame(
        {
            "project_id": t["project"],
            "task_id": t["key"],
            "name": t["summary"],
            "wbs": wbs[~epic],
            "duration_days": days[~epic].round(4).map(lambda v: f"{v:g}"),
            "baseline_start": first_sprint[~epic].dt.strftime("%Y-%m-%d"),
            "baseline_finish": last_sprint[~epic].dt.strftime("%Y-%m-%d"),
            "actual_start": first_sprint[~epic].fillna(t["created"]).where(percent[~epic] > 0).dt.strftime("%Y-%m-%d"),
            "actual_finish": t["resolved"].where(done).dt.strftime("%Y-%m-%d"),
            "percent_complete": percent[~epic].map(lambda v: f"{v:g}"),
            "_row": t["_row"],
        }
    ).replace({np.nan: None})

    # Blocks links
    position = dict(zip(frame["key"], frame["project"], strict=True))
    links = []
    for i, (key, row) in enumerate(zip(frame["key"], frame["_row"], strict=True)):  # the links of each issue
        for other in cols.get("Outward issue link (Blocks)", [[]] * n)[i]:
            links.append((key, other, row))
        for other in cols.get("Inward issue link (Blocks)", [[]] * n)[i]:
            links.append((other, key, row))
    deps = pd.DataFrame(links, columns=["pred", "succ", "_row"]).drop_duplicates(["pred", "succ"])
    known = deps["pred"].isin(t["key"]) & deps["succ"].isin(t["key"])
    same = deps["pred"].map(position) == deps["succ"].map(position)
    dropped = int((~(known & same)).sum())
    out.note("Blocks link", int((known & same).sum()), "finish-to-start dependencies")
    out.note("Blocks link (issue not in the file, an epic, or another project)", dropped, "dropped")
    if dropped:
        out.finding("warning", "dependencies", f"{dropped} Blocks link(s) point to an issue that is not in the file, "
                    "is an epic, or is in another project; they were dropped",
                    "export the linked issues too (one JQL for all of them)")  # fmt: skip
    deps = deps[known & same]
    out.tables["dependencies"] = pd.DataFrame(
        {
            "project_id": deps["pred"].map(position),
            "predecessor_id": deps["pred"],
            "successor_id": deps["succ"],
            "type": "FS",
            "lag_days": "0",
            "_row": deps["_row"],
        }
    )

    # people
    people = sorted(t["assignee"].dropna().unique())
    ids = {name: f"J{i + 1:03d}" for i, name in enumerate(people)}
    first_row = t.dropna(subset=["assignee"]).drop_duplicates("assignee").set_index("assignee")["_row"]
    out.tables["resources"] = pd.DataFrame(
        {
            "resource_id": [ids[p] for p in people],
            "name": people,
            "role": options.jira_role,
            "fte": "1",
            "_row": [first_row[p] for p in people],
        }
    )
    out.note("Assignee", len(people), f"resources (role '{options.jira_role}')")
    booked = t.dropna(subset=["assignee"])
    dated = first_sprint[booked.index].notna()
    b = booked[dated.to_numpy()]
    out.tables["assignments"] = pd.DataFrame(
        {
            "assignment_id": "J-" + b["key"],
            "project_id": b["project"],
            "task_id": b["key"],
            "resource_id": b["assignee"].map(ids),
            "start": first_sprint[b.index].dt.strftime("%Y-%m-%d"),
            "finish": last_sprint[b.index].dt.strftime("%Y-%m-%d"),
            "fte": "1",
            "_row": b["_row"],
        }
    )
    out.note("Issue with an assignee", len(b), "assignments (over the issue's sprints)")
    if len(booked) > len(b):
        out.note("Issue with an assignee, no sprint dates", len(booked) - len(b), "no booking: no dates to book")

    # projects
    starts = first_sprint.groupby(frame["project"]).min().fillna(frame.groupby("project")["created"].min())
    names = frame.groupby("project")["project_name"].first()
    first_line = frame.groupby("project")["_row"].min()
    codes = list(first_line.index)
    out.tables["projects"] = pd.DataFrame(
        {
            "project_id": codes,
            "name": [options.project_name or names.get(c) or c for c in codes],
            "portfolio": options.portfolio,
            "stage": "execute",
            "status": "active",
            "baseline_start": [None if pd.isna(starts.get(c)) else starts[c].strftime("%Y-%m-%d") for c in codes],
            "_row": first_line.to_numpy(),
        }
    )
    return out
