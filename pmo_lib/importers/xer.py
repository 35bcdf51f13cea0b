"""Primavera P6 XER -> PMO Lab tables: the tab-separated export P6 writes, with every rule stated.

An XER file is a series of tables: ``%T NAME``, then ``%F`` with the field names, then one ``%R``
line per row (``%E`` ends the file); a quote inside a text is written twice. The tables read are PROJECT, PROJWBS, TASK, TASKPRED,
CALENDAR, RSRC and TASKRSRC [1]_; the others (currencies, schedule options, codes ...) are
counted and left out. A row whose field count differs from its table's ``%F`` line is reported by
its line and left out.

- **Projects**: one per PROJECT row; ``project_id`` is its short name (``proj_short_name``), day 0
  of its schedule its ``plan_start_date``.
- **Activities**: every activity except WBS summaries and level-of-effort ones (``TT_WBS``,
  ``TT_LOE``: counted, dropped); ``task_id`` is the activity ID (``task_code``), ``wbs`` the path
  of WBS short names under the project node (``1.2`` style, joined with dots), ``duration_days``
  = ``target_drtn_hr_cnt`` / the hours per day of the activity's calendar (``day_hr_cnt``, else
  the hours-per-day option); milestones (``TT_Mile``, ``TT_FinMile``) last 0. P6 keeps baselines as
  separate projects, so the planned dates (``target_start_date`` / ``target_end_date``) are the
  baseline, with a note. Percent complete is ``phys_complete_pct`` for physical percent activities,
  else the share of the planned duration done (``1 - remain / target``); a completed activity is 100.
- **Relationships**: ``PR_FS``/``PR_SS``/``PR_FF``/``PR_SF``; ``lag_hr_cnt`` over the successor's hours
  per day (P6 counts a lag on the successor's calendar by default). A relationship to an activity
  of another project is dropped with a warning.
- **Calendars**: ``clndr_data`` gives the week (a day with no work periods is not worked) and the
  exceptions (an exception date with no work periods is a non-working day; dates are Excel day
  numbers). The project's calendar is ``standard``; the others keep their names.
- **Resources**: labour resources (``RT_Labor``; equipment and material counted and dropped),
  ``role`` = the resource's short name's role when RSRCROLE/ROLES are present, else its name;
  ``fte`` 1. **Assignments**: ``TASKRSRC`` with ``target_qty_per_hr`` (1 = full time) as FTE.

References
----------
.. [1] Oracle, *Primavera P6 XER file format*: the table and field names of the P6 schema (the
   same names as the P6 database tables).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .mapping import Imported, Options, SourceError

LINKS = {"PR_FS": "FS", "PR_SS": "SS", "PR_FF": "FF", "PR_SF": "SF"}
MILESTONES = {"TT_Mile", "TT_FinMile"}
NOT_TASKS = {"TT_WBS": "WBS summary", "TT_LOE": "level of effort"}
READ = ("PROJECT", "PROJWBS", "TASK", "TASKPRED", "CALENDAR", "RSRC", "TASKRSRC", "RSRCROLE", "ROLES")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# the fields read from each table (P6 writes many more); a table not named here keeps all of them
USED = {
    "TASK": {"task_id", "proj_id", "wbs_id", "clndr_id", "task_type", "status_code", "task_code", "task_name",
             "complete_pct_type", "phys_complete_pct", "target_drtn_hr_cnt", "remain_drtn_hr_cnt", "act_start_date",
             "act_end_date", "target_start_date", "target_end_date", "cstr_type", "cstr_date"},
    "TASKPRED": {"task_id", "pred_task_id", "proj_id", "pred_proj_id", "pred_type", "lag_hr_cnt"},
    "TASKRSRC": {"taskrsrc_id", "task_id", "proj_id", "rsrc_id", "target_qty_per_hr", "target_start_date",
                 "target_end_date"},
}  # fmt: skip
PROJECT_CALENDAR = "standard"
FIELDS = {
    "tasks": {"task_id": "task_code", "name": "task_name", "duration_days": "target_drtn_hr_cnt",
              "baseline_start": "target_start_date", "baseline_finish": "target_end_date",
              "actual_start": "act_start_date", "actual_finish": "act_end_date",
              "percent_complete": "phys_complete_pct"},
    "dependencies": {"predecessor_id": "pred_task_id", "successor_id": "task_id", "type": "pred_type",
                     "lag_days": "lag_hr_cnt"},
    "resources": {"resource_id": "rsrc_id", "name": "rsrc_name"},
    "assignments": {"task_id": "task_id", "resource_id": "rsrc_id", "fte": "target_qty_per_hr"},
    "projects": {"project_id": "proj_short_name", "name": "proj_short_name", "baseline_start": "plan_start_date"},
}  # fmt: skip


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def tables(path: Path, out: Imported) -> dict[str, pd.DataFrame]:
    """The XER's tables as text frames with a ``_line`` column (the line in the file); ragged rows reported."""
    # a quote inside text is written twice (as MPXJ and P6 exports do): one pass over the whole text
    lines = _decode(Path(path).read_bytes()).replace('""', '"').splitlines()
    if not lines or not lines[0].startswith("ERMHDR"):
        raise SourceError(
            "the file does not start with ERMHDR: it is not a Primavera P6 XER export",
            "export the project from P6 with File > Export > Primavera PM (XER)",
            row=1,
        )
    found: dict[str, pd.DataFrame] = {}
    starts = [i for i, line in enumerate(lines) if line.startswith("%T")]
    ends = [*starts[1:], len(lines)]
    skipped = {}
    for start, end in zip(starts, ends, strict=True):
        name = lines[start][2:].strip()
        if name not in READ:
            skipped[name] = sum(1 for line in lines[start:end] if line.startswith("%R"))
            continue
        header = next((line for line in lines[start:end] if line.startswith("%F")), None)
        if header is None:
            out.finding("error", "", f"table {name} has no %F line naming its fields", "export the file again from P6",
                        row=start + 1)  # fmt: skip
            continue
        fields = header.split("\t")[1:]
        at = [i for i in range(start + 1, end) if lines[i].startswith("%R")]
        counts = np.array([lines[i].count("\t") for i in at], dtype=int)
        fits = counts == len(fields)
        ragged = [(at[k] + 1, int(counts[k])) for k in np.flatnonzero(~fits)]
        where = [at[k] + 1 for k in np.flatnonzero(fits)]
        for line_no, count in ragged[:20]:
            out.finding("error", "", f"a {name} row has {count} fields where the %F line names {len(fields)}",
                        "export the file again from P6; a row was cut or has a tab in a text field",
                        row=line_no)  # fmt: skip
        if len(ragged) > 20:
            out.finding("error", "", f"{len(ragged) - 20} more {name} rows with the wrong number of fields",
                        "export the file again from P6")  # fmt: skip
        wanted = [f for f in fields if f in USED.get(name, fields)]
        text = "\n".join(lines[i - 1][3:] for i in where)  # the values after "%R\t", read by pandas' C parser
        frame = pd.read_csv(io.StringIO(text), sep="\t", header=None, names=fields, usecols=wanted, dtype=str,
                            quoting=csv.QUOTE_NONE, keep_default_na=False, na_filter=False, engine="c") if where \
            else pd.DataFrame(columns=wanted, dtype=object)  # fmt: skip
        frame = frame.astype(object).where(frame != "", None)  # a cell of nothing is blank
        frame["_line"] = where
        found[name] = frame
    for name, count in skipped.items():
        out.note(f"XER table {name}", count, "not used by PMO Lab")
    for name in ("PROJECT", "TASK"):
        if name not in found:
            out.finding("error", "", f"the file has no {name} table", "export the whole project from P6 (XER), not a "
                        "part of it")  # fmt: skip
    return found


def _day(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.slice(0, 10)
    return text.where(text.str.match(r"^\d{4}-\d{2}-\d{2}$", na=False)).astype(object)


def _num(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce")


def _text(values: pd.Series, digits: int = 4) -> pd.Series:
    """Numbers as the text a CSV would hold (``2.5``, ``3``), blank for missing; whole columns at once."""
    values = pd.Series(values, dtype=float).round(digits)
    text = values.astype(str).str.replace(r"\.0$", "", regex=True)
    return text.where(values.notna(), None).astype(object)


_DAY = re.compile(r"\(0\|\|([1-7])\(\)\((.*?)\)\)(?=\(0\|\|[1-7]\(\)|\)\)\(0\|\|Exceptions|\)\)\)|$)")
_EXCEPTION = re.compile(r"\(0\|\|\d+\(d\|(\d+)\)\((.*?)\)\)")


def calendar_days(data: str | None, span: pd.DatetimeIndex) -> set:
    """Non-working weekdays in ``span`` from a P6 ``clndr_data`` text: days of the week off, exceptions off."""
    if not data:
        return set()
    days: set = set()
    week_part, _, exceptions_part = data.partition("Exceptions()")
    weekday = span.day_of_week
    for number, periods in _DAY.findall(week_part):
        ours = (int(number) + 5) % 7  # P6: 1 = Sunday ... 7 = Saturday
        if ours < 5 and "s|" not in periods and "f|" not in periods:
            days |= set(span[weekday == ours])
    for serial, periods in _EXCEPTION.findall(exceptions_part):
        day = EXCEL_EPOCH + pd.Timedelta(days=int(serial))
        if day.day_of_week < 5:
            if "s|" in periods or "f|" in periods:
                days.discard(day)
            else:
                days.add(day)
    return days


def read(path: Path, options: Options | None = None) -> Imported:
    """A Primavera P6 XER file as PMO Lab tables (see the module notes for every rule)."""
    options = options or Options()
    path = Path(path)
    out = Imported(tables={}, labels={}, files=[path])
    name = path.name
    for table, element in (("projects", "PROJECT"), ("tasks", "TASK"), ("dependencies", "TASKPRED"),
                           ("resources", "RSRC"), ("assignments", "TASKRSRC"), ("calendars", "CALENDAR")):  # fmt: skip
        out.labels[table] = f"{name}[{element}]"
    out.fields.update(FIELDS)
    xer = tables(path, out)
    if any(f.severity == "error" for f in out.findings):
        return out
    empty = pd.DataFrame
    project = xer["PROJECT"]
    task = xer["TASK"]
    if options.project_id and len(project) == 1:
        project = project.assign(proj_short_name=options.project_id)
    code_of = project.set_index("proj_id")["proj_short_name"]

    # calendars: hours per day and non-working days
    calendars = xer.get("CALENDAR", empty(columns=["clndr_id", "clndr_name", "day_hr_cnt", "clndr_data", "_line"]))
    hours = _num(calendars.set_index("clndr_id")["day_hr_cnt"]).where(lambda h: h > 0)
    hours_of = task["clndr_id"].map(hours).fillna(options.hours_per_day).astype(float)
    dates = pd.to_datetime(
        pd.concat([_day(task[c]) for c in ("target_start_date", "target_end_date")]), errors="coerce"
    )
    dates = dates.dropna()
    first = (dates.min() if len(dates) else pd.Timestamp("2026-01-01")) - pd.DateOffset(years=1)
    span = pd.date_range(first, first + pd.DateOffset(years=5), freq="D")
    project_calendars = set(project.get("clndr_id", pd.Series(dtype=object)).dropna())
    cal_rows = []
    for _, cal in calendars.iterrows():  # a few calendars per file
        label = PROJECT_CALENDAR if cal["clndr_id"] in project_calendars else (cal["clndr_name"] or cal["clndr_id"])
        for day in sorted(calendar_days(cal.get("clndr_data"), span)):
            cal_rows.append((label, day.strftime("%Y-%m-%d"), cal["_line"]))
    out.tables["calendars"] = empty(cal_rows, columns=["calendar", "date", "_row"]).drop_duplicates(
        ["calendar", "date"]
    )
    out.note("CALENDAR", len(calendars), "calendars: their non-working days (the project's as 'standard')")

    # WBS paths
    wbs = xer.get("PROJWBS")
    path_of = {}
    if wbs is not None and len(wbs):
        parent = dict(zip(wbs["wbs_id"], wbs["parent_wbs_id"], strict=True))
        short = dict(zip(wbs["wbs_id"], wbs["wbs_short_name"], strict=True))
        root = set(wbs.loc[wbs.get("proj_node_flag", pd.Series("N", index=wbs.index)) == "Y", "wbs_id"])
        for wid in wbs["wbs_id"]:  # one walk up the tree per WBS element (a few hundred at most)
            parts, node, seen = [], wid, set()
            while node in short and node not in root and node not in seen:
                seen.add(node)
                parts.append(str(short[node]))
                node = parent.get(node)
            path_of[wid] = ".".join(reversed(parts)) or None
        out.note("PROJWBS", len(wbs), "the WBS codes of the activities")

    # activities
    kind = task["task_type"].fillna("TT_Task")
    keep = ~kind.isin(list(NOT_TASKS))
    for code, label in NOT_TASKS.items():
        out.note(f"TASK ({label})", int((kind == code).sum()), "dropped: not a piece of work PMO Lab schedules")
    out.note("TASK", int(keep.sum()), "tasks")
    t = task[keep].reset_index(drop=True)
    h = hours_of[keep].reset_index(drop=True)
    milestone = t["task_type"].isin(list(MILESTONES))
    target = _num(t["target_drtn_hr_cnt"])
    remain = _num(t["remain_drtn_hr_cnt"])
    done = t["status_code"] == "TK_Complete"
    physical = t.get("complete_pct_type", pd.Series(None, index=t.index)) == "CP_Phys"
    by_duration = ((1 - remain / target.where(target > 0)) * 100).clip(0, 100)
    percent = np.where(done, 100.0, np.where(physical, _num(t["phys_complete_pct"]), by_duration))
    percent = pd.Series(percent, index=t.index).where(lambda p: p.notna(), np.where(done, 100.0, 0.0))
    pid = t["proj_id"].map(code_of)
    _constraints(t, project, out)
    out.tables["tasks"] = pd.DataFrame(
        {
            "project_id": pid,
            "task_id": t["task_code"],
            "name": t["task_name"],
            "wbs": t["wbs_id"].map(path_of) if path_of else None,
            "duration_days": _text((target / h).where(~milestone, 0.0)),
            "baseline_start": _day(t["target_start_date"]),
            "baseline_finish": _day(t["target_end_date"]),
            "actual_start": _day(t["act_start_date"]),
            "actual_finish": _day(t["act_end_date"]),
            "percent_complete": _text(percent, 2),
            "is_milestone": np.where(milestone, "true", "false"),
            "_row": t["_line"],
        }
    )
    if len(t):
        out.finding("note", "tasks", "P6 keeps baselines as separate projects: the planned dates "
                    "(target_start_date, target_end_date) are used as the baseline", "nothing to do")  # fmt: skip

    # relationships
    links = xer.get("TASKPRED", empty(columns=["task_id", "pred_task_id", "proj_id", "pred_proj_id", "pred_type",
                                               "lag_hr_cnt", "_line"]))  # fmt: skip
    by_task = task.set_index("task_id")  # lookups by P6's internal activity id, whole columns at a time
    code = by_task["task_code"]
    task_project = by_task["proj_id"]
    own = links["task_id"].map(task_project)
    other = links["pred_task_id"].map(task_project)
    cross = own.notna() & other.notna() & (own != other)
    out.note("TASKPRED", int((~cross).sum()), "dependencies")
    out.note("TASKPRED (another project)", int(cross.sum()), "dropped: PMO Lab links tasks within a project")
    if cross.any():
        out.finding("warning", "dependencies", f"{int(cross.sum())} relationship(s) join activities of different "
                    "projects and were dropped", "model the hand-over as a milestone in each project")  # fmt: skip
    links = links[~cross]
    lag_hours = _num(links["lag_hr_cnt"]).fillna(0.0)
    per_day = links["task_id"].map(pd.Series(hours_of.to_numpy(), index=task["task_id"])).fillna(options.hours_per_day)
    out.tables["dependencies"] = pd.DataFrame(
        {
            "project_id": links["task_id"].map(task_project).fillna(links["proj_id"]).map(code_of),
            "predecessor_id": links["pred_task_id"].map(code).fillna(links["pred_task_id"]),
            "successor_id": links["task_id"].map(code).fillna(links["task_id"]),
            "type": links["pred_type"].map(LINKS).fillna(links["pred_type"]),
            "lag_days": _text(lag_hours / per_day),
            "_row": links["_line"],
        }
    )

    # people and their bookings
    people = xer.get("RSRC", empty(columns=["rsrc_id", "rsrc_name", "rsrc_short_name", "rsrc_type", "_line"]))
    labour = people.get("rsrc_type", pd.Series("RT_Labor", index=people.index)).fillna("RT_Labor") == "RT_Labor"
    out.note("RSRC", int(labour.sum()), "resources")
    out.note("RSRC (equipment or material)", int((~labour).sum()), "dropped: PMO Lab plans people's time")
    p = people[labour]
    role = _roles(xer, p)
    out.tables["resources"] = pd.DataFrame(
        {
            "resource_id": p["rsrc_id"],
            "name": p["rsrc_name"],
            "role": role,
            "team": None,
            "fte": "1",
            "_row": p["_line"],
        }
    )
    booked = xer.get("TASKRSRC", empty(columns=["taskrsrc_id", "task_id", "rsrc_id", "target_qty_per_hr",
                                                "target_start_date", "target_end_date", "_line"]))  # fmt: skip
    ok = booked["task_id"].isin(t["task_id"]) & booked["rsrc_id"].isin(p["rsrc_id"])
    out.note("TASKRSRC", int(ok.sum()), "assignments")
    out.note("TASKRSRC (not labour, or not on an activity)", int((~ok).sum()), "dropped")
    b = booked[ok]
    start_of = by_task["target_start_date"]
    end_of = by_task["target_end_date"]
    out.tables["assignments"] = pd.DataFrame(
        {
            "assignment_id": "X" + b["taskrsrc_id"].astype(str),
            "project_id": b["task_id"].map(task_project).map(code_of),
            "task_id": b["task_id"].map(code),
            "resource_id": b["rsrc_id"],
            "start": _day(b["target_start_date"].fillna(b["task_id"].map(start_of))),
            "finish": _day(b["target_end_date"].fillna(b["task_id"].map(end_of))),
            "fte": _text(_num(b["target_qty_per_hr"]).fillna(1.0), 3),
            "_row": b["_line"],
        }
    )

    # projects
    starts = pd.to_datetime(_day(project.get("plan_start_date", pd.Series(None, index=project.index))), errors="coerce")
    finishes = t.groupby("proj_id")["target_end_date"].max()
    started = t.groupby("proj_id")["act_start_date"].apply(lambda s: s.notna().any())
    out.tables["projects"] = pd.DataFrame(
        {
            "project_id": project["proj_short_name"],
            "name": options.project_name if options.project_name and len(project) == 1 else project["proj_short_name"],
            "portfolio": options.portfolio,
            "stage": np.where(project["proj_id"].map(started).fillna(False).astype(bool), "execute", "plan"),
            "status": "active",
            "baseline_start": starts.dt.strftime("%Y-%m-%d").where(starts.notna(), None),
            "baseline_finish": _day(project["proj_id"].map(finishes)),
            "_row": project["_line"],
        }
    )
    out.note("PROJECT", len(project), "projects")
    return out


def _constraints(t: pd.DataFrame, project: pd.DataFrame, out: Imported) -> None:
    """Date constraints are not carried (PMO Lab schedules as soon as the links allow): count and warn.

    A *start on or after* on or before the project's planned start changes nothing and is not counted.
    """
    kind = t.get("cstr_type", pd.Series(None, index=t.index, dtype=object)).astype(object).fillna("")
    when = pd.to_datetime(_day(t.get("cstr_date", pd.Series(None, index=t.index, dtype=object))), errors="coerce")
    start = t["proj_id"].map(
        dict(
            zip(
                project["proj_id"],
                pd.to_datetime(
                    _day(project.get("plan_start_date", pd.Series(None, index=project.index))), errors="coerce"
                ),
                strict=True,
            )
        )
    )
    harmless = (kind == "") | ((kind == "CS_MSOA") & (when <= start))
    count = int((~harmless).sum())
    out.note("TASK (date constraint)", count, "constraint dropped: PMO Lab schedules as soon as the links allow")
    if count:
        out.finding("warning", "tasks", f"{count} activit(ies) have a date constraint, which PMO Lab does not carry; "
                    "their dates follow from the relationships", "check those activities' dates after the import")  # fmt: skip


def _roles(xer: dict, people: pd.DataFrame) -> pd.Series:
    """Each labour resource's role: its first role in RSRCROLE (named in ROLES), else its name."""
    links, names = xer.get("RSRCROLE"), xer.get("ROLES")
    role = pd.Series(people["rsrc_name"].to_numpy(), index=people["rsrc_id"].to_numpy(), dtype=object)
    if links is not None and names is not None and len(links):
        first = links.drop_duplicates("rsrc_id").set_index("rsrc_id")["role_id"]
        named = first.map(names.set_index("role_id")["role_short_name"]).dropna()
        role.update(named)
    return pd.Series(role.reindex(people["rsrc_id"]).to_numpy(), index=people.index)
