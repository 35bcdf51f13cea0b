"""MS Project XML (MSPDI) -> PMO Lab tables: the rules, each stated, and the mapping report.

The file is read as a stream by ``mspdi_xml``; :func:`read` turns its records into tables.

- **Tasks**: every task that is not a summary, not the project summary (UID 0), not a blank row
  (``IsNull``) and not inactive. ``task_id`` is the UID (stable when rows move); ``wbs`` is the
  task's WBS code (else its outline number), so the summary tasks live on as the WBS.
  ``duration_days`` = ``Duration`` in minutes / minutes per day (the project's ``MinutesPerDay``,
  else the hours-per-day option); a milestone lasts 0. Baseline *n* (option, default 0) gives
  ``baseline_start`` / ``baseline_finish`` / ``planned_cost``; a plan without that baseline uses
  its scheduled dates and cost as the baseline, with a note. Costs are in hundredths.
- **Links**: ``Type`` 0 = FF, 1 = FS, 2 = SF, 3 = SS; ``LinkLag`` in tenths of a minute over
  minutes per day gives working days. An elapsed lag (``LagFormat`` 4, 6, 8, 10, 12 and their
  estimated forms) counts calendar days, taken as 5/7 of them in working days, with a warning; a
  percent lag (19, 20, 51, 52) cannot be carried and is refused. A link from a summary task is
  moved to its tasks when the link type makes that exact (FS or FF from a summary: the summary
  finishes when the last of them does; FS or SS to a summary: none of them starts before it);
  other links to or from a summary task, and links to another project, are dropped with a warning.
- **Resources**: work resources only (material and cost resources are counted and dropped).
  ``role`` and ``team`` are the resource's ``Group`` (a resource without a group is its own role,
  as generic resources such as "Developer" are), ``cost_rate`` its ``StandardRate`` per hour,
  ``fte`` its ``MaxUnits`` (a pool above 1.0 is taken as one full-time person, with a warning).
- **Calendars**: the project calendar becomes ``standard`` (the one the schedule uses); each base
  calendar keeps its name. Non-working days are its exceptions and the weekdays its week does not
  work, over the plan's dates; a resource's own calendar exceptions become its ``leave``.
- **Assignments**: a work resource on a task: ``fte`` = ``Units``, from its start to its finish.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .mapping import Imported, Options
from .mspdi_xml import PMO_LAB_ID, minutes, parse

LINK_TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}
ELAPSED = {"4", "6", "8", "10", "12", "36", "38", "40", "42", "44"}
PERCENT = {"19", "20", "51", "52"}
WORKING_PER_ELAPSED = 5 / 7
UNASSIGNED = "-65535"  # the UID MS Project gives "no resource"
PROJECT_CALENDAR = "standard"
# the MSPDI element behind each column, so a finding names what the user sees in their file
FIELDS = {
    "tasks": {"task_id": "UID", "name": "Name", "wbs": "WBS", "duration_days": "Duration",
              "baseline_start": "Baseline/Start", "baseline_finish": "Baseline/Finish", "actual_start": "ActualStart",
              "actual_finish": "ActualFinish", "percent_complete": "PercentComplete", "planned_cost": "Baseline/Cost"},
    "dependencies": {"predecessor_id": "PredecessorUID", "successor_id": "Task/UID", "type": "Type",
                     "lag_days": "LinkLag"},
    "resources": {"resource_id": "UID", "name": "Name", "role": "Group", "team": "Group",
                  "cost_rate": "StandardRate", "fte": "MaxUnits", "calendar": "CalendarUID"},
    "assignments": {"task_id": "TaskUID", "resource_id": "ResourceUID", "start": "Start", "finish": "Finish",
                    "fte": "Units"},
}  # fmt: skip


def _frame(records: list[dict], columns) -> pd.DataFrame:
    """Records as a frame of the named fields (an empty one when there are none)."""
    names = [*columns, "ordinal"]
    return pd.DataFrame.from_records(records, columns=names) if records else pd.DataFrame(columns=names)


def _day(values: pd.Series) -> pd.Series:
    """The date part of MSPDI date-times (``2026-01-05T08:00:00`` -> ``2026-01-05``), blank stays blank."""
    text = values.astype("string").str.slice(0, 10)
    return text.where(text.str.match(r"^\d{4}-\d{2}-\d{2}$", na=False))


def _number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce")


def _text_number(values: pd.Series, digits: int = 4) -> pd.Series:
    """Numbers back to the text a CSV would hold (blank for missing)."""
    rounded = values.round(digits)
    text = rounded.map(lambda v: f"{v:.{digits}f}".rstrip("0").rstrip(".") if pd.notna(v) else None)
    return text.astype(object)


def project_code(path: Path, options: Options) -> str:
    import re

    if options.project_id:
        return options.project_id
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-") or "P1"


def read(path: Path, options: Options | None = None) -> Imported:
    """An MSPDI file as PMO Lab tables, with what was mapped, what was dropped and why."""
    path = Path(path)
    return to_tables(path, parse(path), options or Options())


def to_tables(path: Path, found: dict, options: Options) -> Imported:
    """PMO Lab's tables from the records of one MSPDI file (see the module notes for every rule)."""
    name = path.name
    out = Imported(tables={}, labels={}, files=[path])
    for table, element in (("projects", "Project"), ("tasks", "Task"), ("dependencies", "PredecessorLink"),
                           ("resources", "Resource"), ("assignments", "Assignment"), ("calendars", "Calendar"),
                           ("leave", "Calendar")):  # fmt: skip
        out.labels[table] = f"{name}[{element}]"
    project = found["project"]
    pid = project_code(path, options)
    per_day = _number(pd.Series([project.get("MinutesPerDay")])).iloc[0]
    per_day = float(per_day) if pd.notna(per_day) and per_day > 0 else options.hours_per_day * 60

    # ---- tasks
    raw = _frame(found["tasks"], ["UID", "Name", "WBS", "OutlineNumber", "OutlineLevel", "Summary", "Milestone",
                                  "Duration", "Start", "Finish", "ActualStart", "ActualFinish", "PercentComplete",
                                  "Cost", "Active", "IsNull", "ConstraintType", "ConstraintDate"])  # fmt: skip
    base = {r["ordinal"]: r["baselines"].get(str(options.baseline), {}) for r in found["tasks"]}
    blank = raw["IsNull"].eq("1")
    top = raw["UID"].eq("0")
    summary = raw["Summary"].eq("1") & ~top
    inactive = raw["Active"].eq("0")
    leaf = ~(blank | top | summary | inactive)
    out.note("Task", int(leaf.sum()), "tasks")
    out.note("Task (summary)", int(summary.sum()), "dropped as tasks; kept as the WBS codes of their tasks")
    out.note("Task (project summary, UID 0)", int(top.sum()), "dropped: the project row holds its dates")
    out.note("Task (blank row)", int(blank.sum()), "dropped")
    out.note("Task (inactive)", int(inactive.sum()), "dropped: MS Project does not schedule inactive tasks")
    t = raw[leaf].reset_index(drop=True)
    _constraints(t, project, out)
    ids = _own_ids(found)
    if ids:  # a plan PMO Lab wrote: its task ids come back as they were
        raw["UID"] = raw["UID"].map(lambda uid: ids.get(uid, uid))
        t["UID"] = t["UID"].map(lambda uid: ids.get(uid, uid))
        for rec in found["tasks"]:
            rec["UID"] = ids.get(rec["UID"], rec["UID"])
            for link in rec["links"]:
                link["PredecessorUID"] = ids.get(link["PredecessorUID"], link["PredecessorUID"])
        for rec in found["assignments"]:
            rec["TaskUID"] = ids.get(rec["TaskUID"], rec["TaskUID"])
    duration = t["Duration"].map(minutes) / per_day
    milestone = t["Milestone"].eq("1")
    b_start = pd.Series([base[o].get("Start") for o in t["ordinal"]], dtype=object)
    b_finish = pd.Series([base[o].get("Finish") for o in t["ordinal"]], dtype=object)
    b_cost = _number(pd.Series([base[o].get("Cost") for o in t["ordinal"]], dtype=object))
    has_baseline = b_start.notna().any()
    if len(t) and not has_baseline:
        out.finding("note", "tasks",
                    f"the plan has no baseline {options.baseline}: its scheduled dates and cost are used as the baseline",
                    "set a baseline in MS Project (Project > Set Baseline) or choose another with --baseline")  # fmt: skip
    cost = (b_cost if has_baseline else _number(t["Cost"])) / 100
    tasks = pd.DataFrame(
        {
            "project_id": pid,
            "task_id": t["UID"],
            "name": t["Name"],
            "wbs": t["WBS"].fillna(t["OutlineNumber"]),
            "duration_days": _text_number(duration.where(~milestone, 0.0)),
            "baseline_start": _day(b_start if has_baseline else t["Start"]),
            "baseline_finish": _day(b_finish if has_baseline else t["Finish"]),
            "actual_start": _day(t["ActualStart"]),
            "actual_finish": _day(t["ActualFinish"]),
            "percent_complete": t["PercentComplete"],
            "planned_cost": _text_number(cost, 2),
            "is_milestone": np.where(milestone, "true", "false"),
            "_row": t["ordinal"],
        }
    )
    bad = t["Duration"].notna() & duration.isna()  # passed on as written: the checks say it is not a number
    tasks.loc[bad, "duration_days"] = t.loc[bad, "Duration"]
    out.tables["tasks"] = tasks
    out.fields.update(FIELDS)

    # ---- links (summary tasks' links moved to their tasks where that is exact)
    leaves_of = _leaves(raw, leaf, summary)
    out.tables["dependencies"] = _links(found["tasks"], raw, leaf, summary, leaves_of, pid, per_day, out)

    # ---- calendars, resources, leave, assignments
    calendars, names = _calendars(found["calendars"], project.get("CalendarUID"), raw, out)
    out.tables["calendars"] = calendars
    resources, work = _resources(found["resources"], names, found["calendars"], out)
    out.tables["resources"] = resources
    out.tables["leave"] = _leave(found["calendars"], found["resources"], work, out)
    spans = t.set_index("UID")[["Start", "Finish"]]
    out.tables["assignments"] = _assignments(found["assignments"], spans, work, pid, out)

    # ---- the project row
    started = tasks["actual_start"].notna().any()
    finished = len(tasks) and tasks["actual_finish"].notna().all()
    dates = pd.to_datetime(tasks["baseline_start"], errors="coerce")
    ends = pd.to_datetime(tasks["baseline_finish"], errors="coerce")
    forecast = pd.to_datetime(_day(t["Finish"]), errors="coerce")
    # the project's own start date is day 0 of its schedule (as in MS Project); else its first task's
    start = pd.to_datetime(_day(pd.Series([project.get("StartDate")])), errors="coerce")[0]
    if pd.isna(start) and dates.notna().any():
        start = dates.min()
    out.tables["projects"] = pd.DataFrame(
        {
            "project_id": [pid],
            "name": [options.project_name or project.get("Title") or project.get("Name") or path.stem],
            "portfolio": [options.portfolio],
            "stage": ["close" if finished else "execute" if started else "plan"],
            "status": ["closed" if finished else "active"],
            "priority": [None],
            "baseline_start": [None if pd.isna(start) else start.strftime("%Y-%m-%d")],
            "baseline_finish": [ends.max().strftime("%Y-%m-%d") if ends.notna().any() else None],
            "forecast_finish": [forecast.max().strftime("%Y-%m-%d") if forecast.notna().any() else None],
            "budget": _text_number(pd.Series([cost.sum()]), 2).tolist(),
            "currency": [project.get("CurrencyCode")],
            "_row": [1],
        }
    )
    out.note("Project", 1, f"one project, {pid}")
    return out


def _constraints(t: pd.DataFrame, project: dict, out: Imported) -> None:
    """Date constraints are not carried (PMO Lab schedules every task as soon as its links allow): count them.

    A *start no earlier than* on or before the project start changes nothing and is not counted.
    """
    kind = t["ConstraintType"].fillna("0")
    start = pd.to_datetime(_day(pd.Series([project.get("StartDate")])), errors="coerce")[0]
    when = pd.to_datetime(_day(t["ConstraintDate"]), errors="coerce")
    harmless = (kind == "0") | ((kind == "4") & (when <= start))
    count = int((~harmless).sum())
    out.note("Task (date constraint)", count, "constraint dropped: PMO Lab schedules as soon as the links allow")
    if count:
        out.finding("warning", "tasks",
                    f"{count} task(s) have a date constraint (start no earlier than, must finish on ...), which PMO "
                    "Lab does not carry; their dates follow from the links", "model a fixed date as a milestone "
                    "with a link, or check those tasks' dates after the import")  # fmt: skip


def _own_ids(found: dict) -> dict:
    """UID -> PMO Lab task id, when the file was written by PMO Lab (Text1 aliased as its task id)."""
    field_id = next((f["FieldID"] for f in found["fields"] if f["Alias"] == PMO_LAB_ID), None)
    if field_id is None:
        return {}
    ids = {rec["UID"]: rec["fields"].get(field_id) for rec in found["tasks"]}
    ids = {uid: value for uid, value in ids.items() if value}
    return ids if len(set(ids.values())) == len(ids) else {}


def _leaves(raw: pd.DataFrame, leaf: pd.Series, summary: pd.Series) -> dict[str, list[str]]:
    """Each summary task's UID -> the UIDs of the tasks under it, from the outline levels (one pass)."""
    level = _number(raw["OutlineLevel"]).fillna(1).astype(int).to_numpy()
    uids = raw["UID"].to_numpy()
    is_leaf, is_summary = leaf.to_numpy(), summary.to_numpy()
    open_: list[tuple[int, str]] = []
    under: dict[str, list[str]] = {}
    for i in range(len(uids)):  # one pass over the outline: a stack of the open summary tasks
        while open_ and open_[-1][0] >= level[i]:
            open_.pop()
        if is_leaf[i]:
            for _, uid in open_:
                under[uid].append(uids[i])
        if is_summary[i]:
            open_.append((level[i], uids[i]))
            under[uids[i]] = []
    return under


def _links(records, raw, leaf, summary, leaves_of, pid: str, per_day: float, out: Imported) -> pd.DataFrame:
    """The PredecessorLink elements as dependencies, whole columns at a time (the rules: module notes)."""
    flat = [(rec["UID"], *(link[k] for k in ("PredecessorUID", "Type", "CrossProject", "LinkLag", "LagFormat")))
            for rec in records for link in rec["links"]]  # fmt: skip
    links = pd.DataFrame(flat, columns=["succ", "pred", "Type", "CrossProject", "LinkLag", "LagFormat"], dtype=object)
    links["_row"] = np.arange(1, len(links) + 1)  # the n-th PredecessorLink of the file
    n = len(links)
    kind = pd.Series(np.where(summary, "summary", np.where(leaf, "task", "other")), index=raw["UID"].to_numpy())
    kind = kind[~kind.index.duplicated()]
    code = links["Type"].fillna("1").map(LINK_TYPES)
    cross = links["CrossProject"].eq("1")
    bad_type = code.isna() & ~cross
    for _, link in links[bad_type].iterrows():  # only the broken ones
        out.finding("error", "dependencies", "the link Type is not 0 (FF), 1 (FS), 2 (SF) or 3 (SS)",
                    "save the plan again from the scheduling tool", row=int(link["_row"]), column="Type",
                    value=link["Type"])  # fmt: skip
    succ_kind = links["succ"].map(kind)
    pred_kind = links["pred"].map(kind)
    keep = ~cross & ~bad_type & succ_kind.isin(["task", "summary"])
    fmt = links["LagFormat"].fillna("7")
    tenths = _number(links["LinkLag"].fillna("0")).fillna(0.0)
    percent = keep & fmt.isin(list(PERCENT)) & (tenths != 0)
    for _, link in links[percent].iterrows():
        out.finding("error", "dependencies",
                    f"the link from task {link['pred']} to task {link['succ']} has a percent lag, which PMO Lab cannot "
                    "carry", "give the lag in days in the scheduling tool (Task Information > Predecessors)",
                    row=int(link["_row"]), column="LinkLag", value=f"{tenths[_] / 10:g}")  # fmt: skip
    keep &= ~percent
    elapsed = fmt.isin(list(ELAPSED)) & (tenths != 0)
    lag = np.where(elapsed, tenths / 10 / (24 * 60) * WORKING_PER_ELAPSED, tenths / 10 / per_day)
    links = links.assign(type=code, lag=lag)
    from_summary = pred_kind.eq("summary")
    to_summary = succ_kind.eq("summary")
    inexact = (from_summary & ~code.isin(["FS", "FF"])) | (to_summary & ~code.isin(["FS", "SS"]))
    dropped_summary = int((keep & inexact).sum())
    keep &= ~inexact
    moved = keep & (from_summary | to_summary)
    chosen = links[keep].copy()
    chosen["pred"] = [
        leaves_of.get(p, []) if k else [p] for p, k in zip(chosen["pred"], from_summary[keep], strict=True)
    ]
    chosen["succ"] = [leaves_of.get(x, []) if k else [x] for x, k in zip(chosen["succ"], to_summary[keep], strict=True)]
    chosen = chosen.explode("pred").explode("succ").dropna(subset=["pred", "succ"])
    chosen = chosen[chosen["pred"] != chosen["succ"]].drop_duplicates(["pred", "succ"])
    dropped = {"cross": int(cross.sum()), "summary": dropped_summary, "moved": int(moved.sum()),
               "elapsed": int((keep & elapsed).sum())}  # fmt: skip
    out.note("PredecessorLink", n - dropped["cross"] - dropped["summary"], "dependencies")
    out.note("PredecessorLink (summary task)", dropped["moved"], "moved to the tasks under the summary task")
    out.note("PredecessorLink (summary task, SS/SF/FF)", dropped["summary"],
             "dropped: no exact equivalent between single tasks")  # fmt: skip
    out.note("PredecessorLink (other project)", dropped["cross"], "dropped: import the other project too")
    if dropped["summary"]:
        out.finding("warning", "dependencies",
                    f"{dropped['summary']} link(s) to or from a summary task could not be moved to its tasks exactly "
                    "and were dropped", "link the tasks themselves in the scheduling tool")  # fmt: skip
    if dropped["cross"]:
        out.finding("warning", "dependencies", f"{dropped['cross']} link(s) to tasks of another project were dropped",
                    "import the other project in the same run, or model the hand-over as a milestone")  # fmt: skip
    if dropped["elapsed"]:
        out.finding("warning", "dependencies",
                    f"{dropped['elapsed']} link(s) have an elapsed lag; each is taken as 5/7 of its calendar days "
                    "in working days", "use working-day lags in the scheduling tool for exact dates")  # fmt: skip
    return pd.DataFrame(
        {
            "project_id": pid,
            "predecessor_id": chosen["pred"],
            "successor_id": chosen["succ"],
            "type": chosen["type"],
            "lag_days": _text_number(chosen["lag"].astype(float)),
            "_row": chosen["_row"],
        }
    ).reset_index(drop=True)


def _span(raw: pd.DataFrame) -> pd.DatetimeIndex:
    """Every day the plan can touch: its dates from a year before to three years after."""
    dates = pd.concat([pd.to_datetime(_day(raw[c]), errors="coerce") for c in ("Start", "Finish", "ActualStart")])
    dates = dates.dropna()
    first = (dates.min() if len(dates) else pd.Timestamp("2026-01-01")) - pd.DateOffset(years=1)
    last = (dates.max() if len(dates) else pd.Timestamp("2026-01-01")) + pd.DateOffset(years=3)
    return pd.date_range(first.normalize(), last.normalize(), freq="D")


def _days_of(record: dict, span: pd.DatetimeIndex, by_uid: dict, seen=()) -> set:
    """A calendar's non-working weekdays in ``span``: its base calendar's, its week's, its exceptions."""
    days: set = set()
    base = record.get("BaseCalendarUID")
    if base and base in by_uid and base not in seen:
        days |= _days_of(by_uid[base], span, by_uid, (*seen, record["UID"]))
    weekday = span.day_of_week  # Monday = 0
    for mspdi_day, working in record["week"].items():
        ours = (mspdi_day + 5) % 7  # MSPDI: 1 = Sunday ... 7 = Saturday
        if ours < 5:
            chosen = span[weekday == ours]
            days = days - set(chosen) if working else days | set(chosen)
    for start, finish, working in record["exceptions"]:
        first, last = pd.to_datetime(_day(pd.Series([start, finish])), errors="coerce")
        if pd.isna(first):
            continue
        block = pd.date_range(first, last if pd.notna(last) else first, freq="D")
        block = block[block.day_of_week < 5]
        days = days - set(block) if working else days | set(block)
    return days


def _calendars(records: list[dict], project_uid, raw, out: Imported) -> tuple[pd.DataFrame, dict]:
    """Base calendars as non-working days; the project calendar as ``standard``. Returns the table and UID -> name."""
    by_uid = {r["UID"]: r for r in records}
    span = _span(raw)
    names = {}
    rows = []
    weekend_work = []
    for rec in records:
        if rec["IsBaseCalendar"] != "1" and rec["UID"] != project_uid:
            continue
        name = PROJECT_CALENDAR if rec["UID"] == project_uid else (rec["Name"] or f"calendar {rec['UID']}")
        names[rec["UID"]] = name
        if any(working and day in (1, 7) for day, working in rec["week"].items()):
            weekend_work.append(rec["Name"] or rec["UID"])
        for day in sorted(_days_of(rec, span, by_uid)):
            rows.append((name, day.strftime("%Y-%m-%d"), rec["ordinal"]))
    if weekend_work:
        out.finding("warning", "calendars",
                    f"calendar(s) {', '.join(weekend_work)} work at weekends; PMO Lab's calendars work Monday to "
                    "Friday, so weekend work is not counted", "check the dates of tasks that rely on weekend work")  # fmt: skip
    base_count = sum(1 for r in records if r["IsBaseCalendar"] == "1")
    out.note("Calendar (base)", base_count, "calendars: their non-working days (the project's as 'standard')")
    frame = pd.DataFrame(rows, columns=["calendar", "date", "_row"])
    return frame, names


def _resources(records: list[dict], names: dict, calendars: list[dict], out: Imported) -> tuple[pd.DataFrame, set]:
    raw = _frame(records, ["UID", "Name", "Type", "Group", "StandardRate", "MaxUnits", "CalendarUID", "IsNull"])
    by_uid = {r["UID"]: r for r in calendars}
    work = raw["Type"].fillna("1").eq("1") & raw["Name"].notna() & ~raw["IsNull"].eq("1")
    out.note("Resource", int(work.sum()), "resources")
    out.note("Resource (material or cost)", int((~work & raw["Name"].notna()).sum()),
             "dropped: PMO Lab plans people's time")  # fmt: skip
    r = raw[work].reset_index(drop=True)
    units = _number(r["MaxUnits"]).fillna(1.0)
    if (units > 1).any():
        out.finding("warning", "resources",
                    f"{int((units > 1).sum())} resource(s) have max units above 100 % (a pool); each is taken as one "
                    "full-time person", "list the people of a pool one by one for capacity planning",
                    column="MaxUnits")  # fmt: skip

    def calendar_of(uid):  # a resource's own calendar is based on a base calendar: the person works to that one
        rec = by_uid.get(uid)
        if rec is None:
            return None
        if uid in names:
            return names[uid]
        return names.get(rec.get("BaseCalendarUID"))

    frame = pd.DataFrame(
        {
            "resource_id": r["UID"],
            "name": r["Name"],
            "role": r["Group"].fillna(r["Name"]),
            "team": r["Group"],
            "cost_rate": _text_number(_number(r["StandardRate"]), 2),
            "fte": _text_number(units.clip(upper=1.0), 3),
            "calendar": r["CalendarUID"].map(calendar_of),
            "_row": r["ordinal"],
        }
    )
    return frame, set(r["UID"])


def _leave(calendars: list[dict], resources: list[dict], work: set, out: Imported) -> pd.DataFrame:
    """A person's own calendar exceptions (non-working) as leave."""
    own = {r["CalendarUID"]: r["UID"] for r in resources if r["UID"] in work and r.get("CalendarUID")}
    rows = []
    for rec in calendars:
        who = own.get(rec["UID"])
        if who is None or rec["IsBaseCalendar"] == "1":
            continue
        for start, finish, working in rec["exceptions"]:
            if not working:
                first, last = _day(pd.Series([start, finish]))
                if first is not None and not pd.isna(first):
                    rows.append((who, first, last if last is not None and not pd.isna(last) else first, rec["ordinal"]))
    out.note("Calendar (a resource's exceptions)", len(rows), "leave")
    return pd.DataFrame(rows, columns=["resource_id", "start", "finish", "_row"])


def _assignments(records: list[dict], spans: pd.DataFrame, work: set, pid: str, out: Imported) -> pd.DataFrame:
    """Work resources on tasks; an assignment without its own dates runs over its task's."""
    raw = _frame(records, ["UID", "TaskUID", "ResourceUID", "Units", "Start", "Finish", "Work"])
    keep = raw["TaskUID"].isin(spans.index) & raw["ResourceUID"].isin(work)
    out.note("Assignment", int(keep.sum()), "assignments")
    out.note("Assignment (no resource, or not on a task)", int((~keep).sum()), "dropped")
    a = raw[keep].reset_index(drop=True)
    return pd.DataFrame(
        {
            "assignment_id": pid + "-A" + a["UID"].astype(str),  # unique across the files of one import
            "project_id": pid,
            "task_id": a["TaskUID"],
            "resource_id": a["ResourceUID"],
            "role": None,
            "start": _day(a["Start"].fillna(a["TaskUID"].map(spans["Start"]))),
            "finish": _day(a["Finish"].fillna(a["TaskUID"].map(spans["Finish"]))),
            "fte": _text_number(_number(a["Units"]).fillna(1.0), 3),
            "_row": a["ordinal"],
        }
    )
