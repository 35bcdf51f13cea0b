"""What-if scenarios: named lists of changes applied to a copy of a portfolio, compared side by side.

A scenario never changes the baseline: :func:`apply` returns a new
:class:`~pmo_lib.data.Portfolio`. The changes a scenario can hold:

============== ==================================================== =====================================
kind           fields                                               effect
============== ==================================================== =====================================
add_person     resource_id, name, role, team, fte, cost_rate, start a new person from ``start``
remove_person  resource_id, date                                    leaves on ``date``; bookings end then
change_fte     resource_id, fte                                     works ``fte`` of full time
change_booking assignment_id, fte                                   the booking's FTE
shift_project  project_id, days                                     plan and bookings move ``days`` later
set_priority   project_id, priority                                 1 = highest
pause_project  project_id, date, weeks                              work from ``date`` resumes ``weeks``
                                                                    later (bookings and unstarted tasks)
cancel_project project_id, date                                     cancelled; bookings end on ``date``
start_proposal proposal_id, start                                   the proposal becomes a project from
                                                                    ``start``, its role demand booked
============== ==================================================== =====================================

Days are calendar days. :func:`compare` gives one row per measure and a
column per scenario: each project's finish, team peak and average
utilisation, person-weeks over capacity, cost of the booked hours, and the
unassigned role demand.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import PMOError

KINDS = {
    "add_person": ("resource_id", "name", "role", "team", "fte", "cost_rate", "start"),
    "remove_person": ("resource_id", "date"),
    "change_fte": ("resource_id", "fte"),
    "change_booking": ("assignment_id", "fte"),
    "shift_project": ("project_id", "days"),
    "set_priority": ("project_id", "priority"),
    "pause_project": ("project_id", "date", "weeks"),
    "cancel_project": ("project_id", "date"),
    "start_proposal": ("proposal_id", "start"),
}
NUMBERS = {"fte", "cost_rate", "days", "priority", "weeks"}
DATES = {"start", "date"}


class ScenarioError(PMOError):
    """A scenario that cannot be used; the message lists every problem."""


@dataclass
class Scenario:
    """A named list of changes (each a dict with ``kind`` and its fields)."""

    name: str
    changes: list[dict] = field(default_factory=list)
    description: str = ""

    def check(self, portfolio=None, label: str | None = None) -> None:
        """Raise :class:`ScenarioError` listing every problem (and unknown ids, given a portfolio)."""
        label = label or f"scenario {self.name!r}"
        problems = []
        known = _known_ids(portfolio) if portfolio is not None else None
        for i, change in enumerate(self.changes):
            where = f"{label}: changes[{i}]"
            if not isinstance(change, dict):
                problems.append(f"{where}: must be a mapping with a kind and its fields")
                continue
            kind = change.get("kind")
            if kind not in KINDS:
                problems.append(f"{where}.kind: unknown change {kind!r}; choose one of: {', '.join(KINDS)}")
                continue
            for name in KINDS[kind]:
                if name not in change:
                    problems.append(f"{where}.{name}: missing ({kind} needs {', '.join(KINDS[kind])})")
            for name in sorted(set(change) - set(KINDS[kind]) - {"kind"}):
                problems.append(f"{where}.{name}: {kind} has no field {name}; it takes {', '.join(KINDS[kind])}")
            for name in NUMBERS & set(change):
                value = change[name]
                if isinstance(value, bool) or not isinstance(value, int | float):
                    problems.append(f"{where}.{name}: must be a number (found {value!r})")
                elif name == "fte" and not 0 <= value <= 1.5:
                    problems.append(f"{where}.fte: {value} is not a share of full time between 0 and 1.5")
            for name in DATES & set(change):
                try:
                    pd.Timestamp(str(change[name]))
                except ValueError:
                    problems.append(f"{where}.{name}: {change[name]!r} is not a date YYYY-MM-DD")
            if known is not None:
                for id_field, table in (
                    ("resource_id", "resources"),
                    ("project_id", "projects"),
                    ("assignment_id", "assignments"),
                ):
                    value = change.get(id_field)
                    exists = value in known[table]
                    if value is not None and kind != "add_person" and not exists:
                        problems.append(f"{where}.{id_field}: no {table[:-1]} {value!r} in the data")
                    if kind == "add_person" and id_field == "resource_id" and exists:
                        problems.append(f"{where}.resource_id: {value!r} already exists; choose a new id")
                proposal = change.get("proposal_id")
                if kind == "start_proposal" and proposal not in known["proposals"]:
                    problems.append(f"{where}.proposal_id: no proposal {proposal!r} in the data")
                elif kind == "start_proposal" and proposal in known["projects"]:
                    problems.append(f"{where}.proposal_id: {proposal!r} is already a project code; rename the proposal")
        if problems:
            raise ScenarioError(f"{len(problems)} problem(s):\n  " + "\n  ".join(problems))


def _known_ids(portfolio) -> dict[str, set]:
    return {
        "resources": set(portfolio.resources["resource_id"].astype(str)),
        "projects": set(portfolio.projects["project_id"].astype(str)),
        "assignments": set(portfolio.assignments["assignment_id"].astype(str)),
        "proposals": set(portfolio.proposals["proposal_id"].astype(str)),
    }


def apply(portfolio, scenario: Scenario):
    """The portfolio as the scenario would make it (the baseline is not touched)."""
    scenario.check(portfolio)
    tables = {
        "resources": portfolio.resources.copy(),
        "assignments": portfolio.assignments.copy(),
        "tasks": portfolio.tasks.copy(),
        "projects": portfolio.projects.copy(),
    }
    for change in scenario.changes:
        if change["kind"] == "start_proposal":
            _start_proposal(tables, change, portfolio)
            continue
        _CHANGES[change["kind"]](tables, change)
    return dataclasses.replace(portfolio, **tables)


def _add_person(t, c):
    row = {col: np.nan for col in t["resources"].columns}
    row.update({"resource_id": c["resource_id"], "name": c["name"], "role": c["role"], "team": c["team"],
                "fte": float(c["fte"]), "cost_rate": float(c["cost_rate"]), "start_date": pd.Timestamp(str(c["start"]))})  # fmt: skip
    row["calendar"] = "standard"
    added = pd.DataFrame([row]).astype({k: v for k, v in t["resources"].dtypes.items() if k in row})
    t["resources"] = pd.concat([t["resources"], added], ignore_index=True)


def _remove_person(t, c):
    day = pd.Timestamp(str(c["date"]))
    people, jobs = t["resources"], t["assignments"]
    people.loc[people["resource_id"] == c["resource_id"], "end_date"] = day
    mine = jobs["resource_id"] == c["resource_id"]
    jobs.loc[mine, "finish"] = jobs.loc[mine, "finish"].clip(upper=day)
    t["assignments"] = jobs[~(mine & (jobs["start"] > day))]


def _change_fte(t, c):
    t["resources"].loc[t["resources"]["resource_id"] == c["resource_id"], "fte"] = float(c["fte"])


def _change_booking(t, c):
    t["assignments"].loc[t["assignments"]["assignment_id"] == c["assignment_id"], "fte"] = float(c["fte"])


def _shift(frame, mask, columns, offset):
    for column in columns:
        frame.loc[mask, column] = frame.loc[mask, column] + offset


def _shift_project(t, c):
    offset = pd.Timedelta(days=int(c["days"]))
    _shift(t["assignments"], t["assignments"]["project_id"] == c["project_id"], ["start", "finish"], offset)
    tasks = t["tasks"]
    _shift(tasks, tasks["project_id"] == c["project_id"], ["baseline_start", "baseline_finish"], offset)
    projects = t["projects"]
    _shift(
        projects,
        projects["project_id"] == c["project_id"],
        ["baseline_start", "baseline_finish", "forecast_finish"],
        offset,
    )


def _set_priority(t, c):
    t["projects"].loc[t["projects"]["project_id"] == c["project_id"], "priority"] = int(c["priority"])


def _pause_project(t, c):
    day, offset = pd.Timestamp(str(c["date"])), pd.Timedelta(weeks=float(c["weeks"]))
    jobs = t["assignments"]
    mine = jobs["project_id"] == c["project_id"]
    later = mine & (jobs["start"] >= day)
    _shift(jobs, later, ["start", "finish"], offset)
    across = mine & (jobs["start"] < day) & (jobs["finish"] >= day)
    if across.any():  # a booking running through the pause is split: before, and the rest after it
        rest = jobs[across].copy()
        rest["assignment_id"] = rest["assignment_id"].astype(str) + "-resumed"
        rest["start"] = day + offset
        rest["finish"] = rest["finish"] + offset
        jobs.loc[across, "finish"] = day - pd.Timedelta(days=1)
        jobs = pd.concat([jobs, rest], ignore_index=True)
    t["assignments"] = jobs
    tasks = t["tasks"]
    waiting = (tasks["project_id"] == c["project_id"]) & tasks["actual_start"].isna() & (tasks["baseline_start"] >= day)
    _shift(tasks, waiting, ["baseline_start", "baseline_finish"], offset)
    projects = t["projects"]
    _shift(projects, projects["project_id"] == c["project_id"], ["forecast_finish"], offset)


def _cancel_project(t, c):
    day = pd.Timestamp(str(c["date"]))
    projects = t["projects"]
    projects.loc[projects["project_id"] == c["project_id"], "status"] = "cancelled"
    jobs = t["assignments"]
    mine = jobs["project_id"] == c["project_id"]
    jobs.loc[mine, "finish"] = jobs.loc[mine, "finish"].clip(upper=day)
    t["assignments"] = jobs[~(mine & (jobs["start"] > day))]


def _start_proposal(t, c, portfolio):
    """The proposal as a new project (stage initiate) with one unnamed role booking per quarter of its demand."""
    proposal = portfolio.proposals.set_index("proposal_id").loc[c["proposal_id"]]
    start = pd.Period(pd.Timestamp(str(c["start"])), freq="Q")
    cost = sum(float(proposal[f"cost_year_{y}"]) for y in (1, 2, 3) if pd.notna(proposal[f"cost_year_{y}"]))
    row = {col: np.nan for col in t["projects"].columns}
    row.update({"project_id": c["proposal_id"], "name": proposal["name"], "portfolio": proposal["portfolio"],
                "sponsor": proposal["sponsor"], "stage": "initiate", "status": "active", "budget": cost,
                "baseline_start": start.start_time,
                "baseline_finish": (start + int(proposal["duration_quarters"]) - 1).end_time.normalize(),
                "currency": proposal["currency"]})  # fmt: skip
    t["projects"] = pd.concat([t["projects"], pd.DataFrame([row]).astype(t["projects"].dtypes)], ignore_index=True)
    need = portfolio.proposal_demand[portfolio.proposal_demand["proposal_id"] == c["proposal_id"]]
    quarter = [start + int(q) - 1 for q in need["quarter"]]
    jobs = pd.DataFrame({col: pd.Series(np.nan, index=range(len(need))) for col in t["assignments"].columns})
    jobs["assignment_id"] = [f"{c['proposal_id']}-{r}-Q{q}" for r, q in zip(need["role"], need["quarter"], strict=True)]
    jobs["project_id"] = c["proposal_id"]
    jobs["role"] = need["role"].to_numpy()
    jobs["start"] = [q.start_time for q in quarter]
    jobs["finish"] = [q.end_time.normalize() for q in quarter]
    jobs["fte"] = need["fte"].to_numpy(float)
    t["assignments"] = pd.concat([t["assignments"], jobs.astype(t["assignments"].dtypes)], ignore_index=True)


_CHANGES = {
    "add_person": _add_person,
    "remove_person": _remove_person,
    "change_fte": _change_fte,
    "change_booking": _change_booking,
    "shift_project": _shift_project,
    "set_priority": _set_priority,
    "pause_project": _pause_project,
    "cancel_project": _cancel_project,
}


# --- in words -------------------------------------------------------------------------------------------

_WORDS = {
    "add_person": "Hire {name} ({role}, {team}) at {fte:g} FTE from {start}, at {cost_rate:g} an hour",
    "remove_person": "{who} leaves on {date}; their bookings end then",
    "change_fte": "{who} works {fte:g} FTE",
    "change_booking": "Booking {assignment_id} at {fte:g} FTE",
    "shift_project": "{project} starts {span} {direction}",
    "set_priority": "{project} gets priority {priority:g}",
    "pause_project": "{project} pauses from {date} for {weeks:g} week(s)",
    "cancel_project": "{project} is cancelled on {date}",
    "start_proposal": "{proposal} starts as a project on {start}",
}


def describe(scenario: Scenario, portfolio=None) -> list[str]:
    """Each change as a sentence for readers, with names from ``portfolio`` when given."""
    names = {}
    if portfolio is not None:
        names.update(zip(portfolio.projects["project_id"], portfolio.projects["name"], strict=True))
        names.update(zip(portfolio.resources["resource_id"], portfolio.resources["name"], strict=True))
        names.update(zip(portfolio.proposals["proposal_id"], portfolio.proposals["name"], strict=True))
    lines = []
    for c in scenario.changes:
        fields = dict(c)
        if "project_id" in c:
            fields["project"] = f"{c['project_id']} {names.get(c['project_id'], '')}".strip()
        if "proposal_id" in c:
            fields["proposal"] = f"{c['proposal_id']} {names.get(c['proposal_id'], '')}".strip()
        if "resource_id" in c:
            fields["who"] = f"{names.get(c['resource_id'], c['resource_id'])} ({c['resource_id']})"
        if c["kind"] == "shift_project":
            days = int(c["days"])
            fields["span"] = f"{abs(days) // 7} week(s)" if days % 7 == 0 else f"{abs(days)} day(s)"
            fields["direction"] = "later" if days >= 0 else "earlier"
        lines.append(_WORDS[c["kind"]].format(**fields))
    return lines


# --- comparing ------------------------------------------------------------------------------------------


def measures(portfolio, start, end) -> pd.DataFrame:
    """The measures a scenario is judged by, for one portfolio over ``[start, end]`` (weeks).

    One row per measure: ``group`` (finish, utilisation, capacity, cost,
    role gap), ``item`` (project, team or role) and ``value``.
    """
    from . import resources as res
    from .evm import data_date
    from .schedule import schedule

    rows = []
    live = portfolio.projects[portfolio.projects["status"].astype(str).isin(["active", "on_hold"])]
    plan = schedule(portfolio, as_of=data_date(portfolio), projects=live["project_id"].tolist())
    finish = plan.groupby("project_id")["early_finish"].max()
    stretched = portfolio.projects.set_index("project_id")["forecast_finish"]
    for project in live["project_id"]:
        planned = finish.get(project, pd.NaT)
        held = stretched.get(project, pd.NaT)
        value = (
            max(d for d in (planned, held) if not pd.isna(d)) if not (pd.isna(planned) and pd.isna(held)) else pd.NaT
        )
        rows.append(("finish", project, value))
    team = res.utilisation(portfolio, start, end, by="team", freq="W")
    for name, part in team.groupby("team"):
        rows.append(("peak utilisation", name, float(part["utilisation"].max())))
        rows.append(
            ("average utilisation", name, float(part["demand_hours"].sum() / max(part["capacity_hours"].sum(), 1e-9)))
        )
    over = res.over_allocated(portfolio, start, end, freq="W")
    rows.append(("person-weeks over capacity", "all", float(len(over))))
    rows.append(("hours over capacity", "all", float(over["over_hours"].sum())))
    need = res.demand(portfolio, start, end, freq="W")
    rates = portfolio.resources.set_index("resource_id")["cost_rate"].astype(float)
    named = need[need["resource_id"].notna()]
    rows.append(("cost of booked hours", "all", float((named["demand_hours"] * named["resource_id"].map(rates)).sum())))
    gaps = res.utilisation(portfolio, start, end, by="role", freq="W").groupby("role")["unassigned_hours"].sum()
    for role, hours in gaps[gaps > 0].items():
        rows.append(("unassigned hours", role, float(hours)))
    return pd.DataFrame(rows, columns=["group", "item", "value"])


def compare(baseline, *scenarios: Scenario, start, end) -> pd.DataFrame:
    """Side by side: one row per measure, a column for the baseline and for each scenario.

    Finish dates are dates; utilisation is a share (1.0 = every available
    hour booked); cost in the portfolio's currency; gaps in hours.
    """
    columns = {"baseline": measures(baseline, start, end)}
    for scenario in scenarios:
        columns[scenario.name] = measures(apply(baseline, scenario), start, end)
    table = None
    for name, frame in columns.items():
        frame = frame.rename(columns={"value": name}).set_index(["group", "item"])
        table = frame if table is None else table.join(frame, how="outer")
    return table.reset_index()


# --- files ---------------------------------------------------------------------------------------------------


def save(scenario: Scenario, path) -> Path:
    """Write a scenario to a small YAML file, atomically."""
    import yaml

    from .files import atomic_open

    scenario.check()
    path = Path(path)
    body = {"scenario": scenario.name, "description": scenario.description, "changes": scenario.changes}
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(yaml.safe_dump(body, sort_keys=False, allow_unicode=True, default_flow_style=False))
    return path


def load(path, portfolio=None) -> Scenario:
    """Read a scenario file; every problem is reported with the file and the key path."""
    from .files import read_yaml

    path = Path(path)
    data = read_yaml(path, ScenarioError, "scenario")
    if not isinstance(data, dict) or not isinstance(data.get("scenario"), str):
        raise ScenarioError(f"{path}: a scenario file has a name (scenario: ...) and a list of changes")
    unknown = sorted(set(data) - {"scenario", "description", "changes"})
    if unknown:
        raise ScenarioError(f"{path}: {', '.join(unknown)}: unknown key(s); use scenario, description, changes")
    changes = data.get("changes") or []
    if not isinstance(changes, list):
        raise ScenarioError(f"{path}: changes: must be a list")
    for change in changes:
        for key in DATES & set(change if isinstance(change, dict) else {}):
            change[key] = str(change[key])
    scenario = Scenario(data["scenario"], changes, str(data.get("description") or ""))
    scenario.check(portfolio, label=str(path))
    return scenario
