"""PMO standards as data: load a standard file, check a portfolio against it, score compliance.

A standard is a YAML file (``standards/default.yaml``): lifecycle stages with
their gates, the RAG tolerances the monthly report uses, and rules. Each rule
names a *check* (a function here, registered with :func:`check`), a plain
statement, a severity (``error``, ``warning`` or ``note``), parameters and
how to fix a breach. An organisation writes its own file with
``extends: default`` and only what differs: tolerances merge key by key,
rules merge by id (``enabled: false`` switches one off), new rules are added.

Every check runs on whole tables (no loop over projects) and returns the
breaches: one row per project and thing found, with the evidence. The
compliance score of a project is the share of rules it meets (100 = all);
a portfolio's is the mean of its projects'. Only live projects (active or on
hold) are checked, except by rules about closed work.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import PMOError

STANDARDS_DIR = Path(__file__).resolve().parents[1] / "standards"
SEVERITIES = ("error", "warning", "note")
LIVE = ("active", "on_hold")
TOP_KEYS = {"standard", "version", "description", "extends", "stages", "tolerances", "rules"}
RULE_KEYS = {"id", "check", "statement", "severity", "params", "fix", "enabled"}
TOLERANCE_KEYS = {"amber", "red", "statement"}
FINDING_COLUMNS = ["rule_id", "severity", "portfolio", "project_id", "project", "found", "evidence", "fix"]

_CHECKS: dict[str, Callable] = {}


class StandardError(PMOError):
    """A standard file that cannot be used; the message lists every problem (file, key path, what is wrong)."""


def check(name: str):
    """Register a check function under the name a standard's rules use."""

    def register(fn):
        _CHECKS[name] = fn
        return fn

    return register


@dataclass
class Standard:
    """A loaded, validated standard: its name, stages, tolerances and enabled rules."""

    name: str
    version: object
    description: str
    stages: dict
    tolerances: dict
    rules: list[dict]
    source: str

    def report_tolerances(self):
        """The tolerances as the monthly report's :class:`~pmo_lib.report.Tolerances`."""
        from .report import Tolerances

        values = {}
        for key, limits in self.tolerances.items():
            values[key] = (float(limits.get("amber", np.inf)), float(limits.get("red", np.inf)))
        return Tolerances(**values)

    def rules_frame(self) -> pd.DataFrame:
        """One row per rule: id, severity, statement, parameters and fix (for documentation)."""
        rows = [
            {
                "id": r["id"],
                "severity": r["severity"],
                "statement": r["statement"],
                "parameters": ", ".join(f"{k} = {v}" for k, v in (r.get("params") or {}).items()),
                "fix": r["fix"],
            }
            for r in self.rules
        ]
        return pd.DataFrame(rows, columns=["id", "severity", "statement", "parameters", "fix"])


def _read_yaml(path: Path) -> dict:
    import yaml

    if not path.exists():
        raise StandardError(f"{path}: no such standard file")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: 10x faster
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise StandardError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise StandardError(f"{path}: not a UTF-8 text file; save it as UTF-8") from None
    if not isinstance(data, dict):
        raise StandardError(f"{path}: a standard file is a mapping of keys (standard, tolerances, rules, ...)")
    return data


def _resolve(path: Path, seen: tuple = ()) -> dict:
    data = _read_yaml(path)
    parent = data.get("extends")
    if parent is None:
        return data
    base_path = STANDARDS_DIR / f"{parent}.yaml" if "/" not in str(parent) and not str(parent).endswith(".yaml") else (
        path.parent / str(parent)
    )  # fmt: skip
    if not base_path.exists():
        known = ", ".join(sorted(p.stem for p in STANDARDS_DIR.glob("*.yaml")))
        raise StandardError(f"{path}: extends: no standard {parent!r} (looked for {base_path}); known: {known}")
    if base_path.resolve() in seen:
        raise StandardError(f"{path}: extends: {parent} makes a loop")
    base = _resolve(base_path, (*seen, path.resolve()))
    return _merge(base, data)


def _merge(base: dict, child: dict) -> dict:
    """``child`` over ``base``: scalars replace, tolerances merge per key, rules merge by id."""
    out = copy.deepcopy(base)
    for key, value in child.items():
        if key == "extends":
            continue
        if key == "tolerances" and isinstance(value, dict) and isinstance(out.get(key), dict):
            for name, limits in value.items():
                merged = dict(out[key].get(name) or {})
                merged.update(limits or {}) if isinstance(limits, dict) else merged.update({"_bad": limits})
                out[key][name] = merged
        elif key == "stages" and isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(copy.deepcopy(value))
        elif key == "rules" and isinstance(value, list) and isinstance(out.get(key), list):
            by_id = {r.get("id"): i for i, r in enumerate(out[key]) if isinstance(r, dict)}
            for rule in value:
                if isinstance(rule, dict) and rule.get("id") in by_id:
                    target = out[key][by_id[rule["id"]]]
                    for k, v in rule.items():
                        if k == "params" and isinstance(v, dict):
                            target["params"] = {**(target.get("params") or {}), **v}
                        else:
                            target[k] = v
                else:
                    out[key].append(copy.deepcopy(rule))
        else:
            out[key] = copy.deepcopy(value)
    return out


def _validate(data: dict, label: str) -> list[str]:
    from .report import Tolerances

    problems = []
    for key in sorted(set(data) - TOP_KEYS):
        problems.append(f"{label}: {key}: unknown key; a standard has {', '.join(sorted(TOP_KEYS))}")
    if not isinstance(data.get("standard"), str) or not data.get("standard"):
        problems.append(f"{label}: standard: give the standard a name (text)")
    known_tolerances = set(Tolerances.__dataclass_fields__)
    tolerances = data.get("tolerances") or {}
    if not isinstance(tolerances, dict):
        problems.append(f"{label}: tolerances: must be a mapping of indicator -> {{amber, red}}")
        tolerances = {}
    for name, limits in tolerances.items():
        path = f"{label}: tolerances.{name}"
        if name not in known_tolerances:
            problems.append(f"{path}: unknown indicator; known: {', '.join(sorted(known_tolerances))}")
            continue
        if not isinstance(limits, dict) or "_bad" in limits:
            problems.append(f"{path}: must be a mapping with amber and/or red limits")
            continue
        for key in sorted(set(limits) - TOLERANCE_KEYS):
            problems.append(f"{path}.{key}: unknown key; use amber, red, statement")
        for key in ("amber", "red"):
            value = limits.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                problems.append(f"{path}.{key}: must be a number (found {value!r})")
        if "amber" not in limits and "red" not in limits:
            problems.append(f"{path}: give an amber or a red limit")
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        problems.append(f"{label}: rules: must be a list of rules")
        rules = []
    seen = set()
    for i, rule in enumerate(rules):
        path = f"{label}: rules[{i}]"
        if not isinstance(rule, dict):
            problems.append(f"{path}: must be a mapping with id, check, statement, severity, fix")
            continue
        rid = rule.get("id")
        path = f"{label}: rules[{i}] ({rid})" if rid else path
        if not rid or not isinstance(rid, str):
            problems.append(f"{path}.id: every rule needs an id (text)")
        elif rid in seen:
            problems.append(f"{path}.id: the id {rid} is used twice")
        seen.add(rid)
        for key in sorted(set(rule) - RULE_KEYS):
            problems.append(f"{path}.{key}: unknown key; a rule has {', '.join(sorted(RULE_KEYS))}")
        if rule.get("check") not in _CHECKS:
            problems.append(f"{path}.check: unknown check {rule.get('check')!r}; known: {', '.join(sorted(_CHECKS))}")
        if rule.get("severity") not in SEVERITIES:
            problems.append(f"{path}.severity: must be one of {', '.join(SEVERITIES)} (found {rule.get('severity')!r})")
        for key in ("statement", "fix"):
            if not isinstance(rule.get(key), str) or not rule.get(key):
                problems.append(f"{path}.{key}: missing; write it in plain words")
        params = rule.get("params") or {}
        if not isinstance(params, dict):
            problems.append(f"{path}.params: must be a mapping of name -> value")
        elif rule.get("check") in _CHECKS:
            expected = _CHECKS[rule["check"]].defaults
            for name in sorted(set(params) - set(expected)):
                problems.append(
                    f"{path}.params.{name}: unknown parameter; {rule['check']} takes {', '.join(expected) or 'none'}"
                )
            for name, value in params.items():
                if name in expected and (isinstance(value, bool) or not isinstance(value, int | float)):
                    problems.append(f"{path}.params.{name}: must be a number (found {value!r})")
    return problems


def load(path=None) -> Standard:
    """Load and check a standard file (default: ``standards/default.yaml``), following ``extends``.

    Raises :class:`StandardError` listing every problem, each as ``file: key path: what is wrong``.
    """
    path = Path(path) if path else STANDARDS_DIR / "default.yaml"
    data = _resolve(path)
    problems = _validate(data, str(path))
    if problems:
        raise StandardError(f"{len(problems)} problem(s) in the standard:\n  " + "\n  ".join(problems))
    rules = [
        {**r, "params": {**_CHECKS[r["check"]].defaults, **(r.get("params") or {})}}
        for r in data.get("rules") or []
        if r.get("enabled", True)
    ]
    return Standard(
        name=data["standard"],
        version=data.get("version"),
        description=str(data.get("description") or ""),
        stages=data.get("stages") or {},
        tolerances=data.get("tolerances") or {},
        rules=rules,
        source=str(path),
    )


# --- the checks -------------------------------------------------------------------------------------
# Each takes (portfolio, as_of, **params) and returns a frame: project_id, found, evidence.


def _live(portfolio) -> pd.DataFrame:
    projects = portfolio.projects
    return projects[projects["status"].astype(str).isin(LIVE)]


def _frame(project_id, found, evidence) -> pd.DataFrame:
    return pd.DataFrame({"project_id": project_id, "found": found, "evidence": evidence})


def _registered(name: str, **defaults):
    def wrap(fn):
        fn.defaults = defaults
        return check(name)(fn)

    return wrap


@_registered("sponsor_and_manager_named")
def _sponsor_and_manager(portfolio, as_of):
    live = _live(portfolio)
    missing = [(c, live[c].isna() | (live[c].astype(str).str.strip() == "")) for c in ("sponsor", "manager")]
    rows = [_frame(live.loc[m, "project_id"], f"no {c} named", f"{c}: blank") for c, m in missing]
    return pd.concat(rows, ignore_index=True)


@_registered("baseline_before_execute")
def _baseline_before_execute(portfolio, as_of):
    projects = portfolio.projects
    late_stage = projects[
        projects["stage"].astype(str).isin(["execute", "close"]) & projects["status"].astype(str).isin(LIVE)
    ]
    tasks = portfolio.tasks
    no_dates = tasks["baseline_start"].isna() | tasks["baseline_finish"].isna()
    unbaselined = no_dates.groupby(tasks["project_id"]).sum()
    counts = unbaselined.reindex(late_stage["project_id"]).fillna(0).to_numpy()
    no_tasks = ~late_stage["project_id"].isin(tasks["project_id"]).to_numpy()
    no_budget = (late_stage["budget"].isna() | (late_stage["budget"] <= 0)).to_numpy()
    ids = late_stage["project_id"].to_numpy()
    rows = [
        _frame(ids[counts > 0], "tasks without baseline dates", [f"{int(c)} task(s) without baseline dates" for c in counts[counts > 0]]),
        _frame(ids[no_tasks], "no baseline schedule", "no tasks in the plan"),
        _frame(ids[no_budget], "no approved budget", "budget: blank or zero"),
    ]  # fmt: skip
    return pd.concat(rows, ignore_index=True)


@_registered("risk_register_before_execute")
def _risk_register(portfolio, as_of):
    live = _live(portfolio)
    executing = live[live["stage"].astype(str) == "execute"]
    empty = ~executing["project_id"].isin(portfolio.risks["project_id"])
    return _frame(executing.loc[empty, "project_id"], "no risks recorded", "risk register: empty")


@_registered("monthly_status_update", submit_within_days=5, months=3)
def _monthly_status(portfolio, as_of, submit_within_days, months):
    live = _live(portfolio)
    as_of = pd.Timestamp(as_of)
    # the last `months` months whose submission deadline has passed by the as-of date
    deadline_of = lambda m: m.to_timestamp(how="end").normalize() + pd.Timedelta(days=int(submit_within_days))  # noqa: E731
    candidates = [as_of.to_period("M") - k for k in range(int(months) + 2)]
    due_months = [m for m in candidates if deadline_of(m) <= as_of][: int(months)]
    if not due_months:
        return _frame([], [], [])
    grid = pd.MultiIndex.from_product(
        [live["project_id"], [m.to_timestamp() for m in due_months]], names=["project_id", "month"]
    )
    starts = live.set_index("project_id")["baseline_start"]
    frame = grid.to_frame(index=False)
    frame = frame[frame["month"] >= starts.reindex(frame["project_id"]).dt.to_period("M").dt.to_timestamp().to_numpy()]
    updates = portfolio.status_updates.set_index(["project_id", "month"])["submitted_on"]
    submitted = updates.reindex(pd.MultiIndex.from_frame(frame)).to_numpy()
    deadline = (frame["month"] + pd.offsets.MonthEnd(0) + pd.Timedelta(days=int(submit_within_days))).to_numpy()
    missing = pd.isna(submitted)
    late = ~missing & (submitted > deadline)
    months_text = frame["month"].dt.strftime("%Y-%m").to_numpy()
    days_late = (pd.to_datetime(submitted) - pd.to_datetime(deadline)).days.to_numpy() if len(frame) else np.array([])
    rows = [
        _frame(frame["project_id"].to_numpy()[missing], "status update missing", [f"month {m}: none" for m in months_text[missing]]),
        _frame(frame["project_id"].to_numpy()[late], "status update late",
               [f"month {m}: {int(d)} day(s) after the deadline" for m, d in zip(months_text[late], days_late[late], strict=True)]),
    ]  # fmt: skip
    return pd.concat(rows, ignore_index=True)


@_registered("commentary_when_not_green", months=3)
def _commentary(portfolio, as_of, months):
    updates = portfolio.status_updates
    since = pd.Timestamp(as_of).to_period("M").to_timestamp() - pd.DateOffset(months=int(months) - 1)
    recent = updates[(updates["month"] >= since) & (updates["month"] <= pd.Timestamp(as_of))]
    recent = recent[recent["project_id"].isin(_live(portfolio)["project_id"])]
    silent = (recent["overall_rag"].astype(str) != "G") & (
        recent["commentary"].isna() | (recent["commentary"].astype(str).str.strip().str.len() < 10)
    )
    hit = recent[silent]
    evidence = (
        "month " + hit["month"].dt.strftime("%Y-%m") + ": " + hit["overall_rag"].astype(str) + " without commentary"
    )
    return _frame(hit["project_id"], "RAG not green without an explanation", evidence)


def _open_risks(portfolio, as_of):
    risks = portfolio.risks
    live = risks["project_id"].isin(_live(portfolio)["project_id"])
    return risks[live & (risks["status"].astype(str) == "open") & (risks["raised_on"] <= pd.Timestamp(as_of))]


@_registered("open_risks_have_owner")
def _risk_owner(portfolio, as_of):
    risks = _open_risks(portfolio, as_of)
    hit = risks[risks["owner"].isna() | (risks["owner"].astype(str).str.strip() == "")]
    return _frame(hit["project_id"], "open risk without an owner", hit["risk_id"] + ": " + hit["title"].astype(str))


@_registered("open_risks_have_mitigation")
def _risk_mitigation(portfolio, as_of):
    risks = _open_risks(portfolio, as_of)
    hit = risks[risks["mitigation"].isna() | (risks["mitigation"].astype(str).str.strip() == "")]
    return _frame(hit["project_id"], "open risk without a mitigation", hit["risk_id"] + ": " + hit["title"].astype(str))


@_registered("risk_reviews_current")
def _risk_reviews(portfolio, as_of):
    risks = _open_risks(portfolio, as_of)
    hit = risks[risks["review_by"] < pd.Timestamp(as_of)]
    days = (pd.Timestamp(as_of) - hit["review_by"]).dt.days.astype(str)
    return _frame(
        hit["project_id"],
        "risk review overdue",
        hit["risk_id"] + ": review due " + hit["review_by"].dt.strftime("%Y-%m-%d") + " (" + days + " days ago)",
    )


@_registered("high_exposure_risks_escalated", score=15, review_every_days=30)
def _risk_escalation(portfolio, as_of, score, review_every_days):
    from .risk import score as risk_score

    risks = _open_risks(portfolio, as_of)
    scores = np.asarray(risk_score(risks["probability"], risks["impact"]), dtype=float)
    high = scores >= float(score)
    limit = pd.Timestamp(as_of) + pd.Timedelta(days=int(review_every_days))
    stale = (
        risks["review_by"].isna().to_numpy()
        | (risks["review_by"] > limit).to_numpy()
        | (risks["review_by"] < pd.Timestamp(as_of)).to_numpy()
    )
    hit = risks[high & stale]
    evidence = hit["risk_id"] + ": score " + pd.Series(scores[high & stale], index=hit.index).astype(int).astype(str)
    evidence = evidence + ", next review " + hit["review_by"].dt.strftime("%Y-%m-%d").fillna("none")
    return _frame(hit["project_id"], "high-exposure risk not under monthly review", evidence)


@_registered("issues_not_past_due")
def _issues_due(portfolio, as_of):
    issues = portfolio.issues
    live = issues["project_id"].isin(_live(portfolio)["project_id"])
    hit = issues[live & (issues["status"].astype(str) != "closed") & (issues["due_on"] < pd.Timestamp(as_of))]
    days = (pd.Timestamp(as_of) - hit["due_on"]).dt.days.astype(str)
    return _frame(
        hit["project_id"],
        "issue past its due date",
        hit["issue_id"] + ": " + hit["severity"].astype(str) + ", " + days + " days late",
    )


def _approved(portfolio, as_of) -> pd.DataFrame:
    changes = portfolio.changes
    ok = (changes["status"].astype(str) == "approved") & (
        (changes["decided_on"] <= pd.Timestamp(as_of)) | changes["decided_on"].isna()
    )
    return changes[ok].groupby("project_id")[["cost_impact", "schedule_impact_days"]].sum()


@_registered("cost_growth_has_approved_change", threshold=0.10)
def _cost_growth(portfolio, as_of, threshold):
    from .finance import summary

    live = _live(portfolio)
    money = summary(portfolio.financials, portfolio.projects, as_of).set_index("project_id")
    budget = live.set_index("project_id")["budget"]
    fac = money["forecast_at_completion"].reindex(budget.index)
    covered = _approved(portfolio, as_of)["cost_impact"].reindex(budget.index).fillna(0.0)
    over = fac - budget - covered
    hit = over[(over > float(threshold) * budget) & budget.gt(0)]
    evidence = [
        f"forecast {fac[p]:,.0f} vs budget {budget[p]:,.0f} + approved changes {covered[p]:,.0f}" for p in hit.index
    ]
    return _frame(hit.index.to_numpy(), "cost growth without an approved change", evidence)


@_registered("slip_has_approved_change", threshold_days=20)
def _slip(portfolio, as_of, threshold_days):
    from .calendar import WorkCalendars
    from .schedule import schedule

    live = _live(portfolio)
    plan = schedule(portfolio, as_of=as_of, projects=live["project_id"].tolist())
    finish = plan.groupby("project_id")["early_finish"].max()
    base = live.set_index("project_id")["baseline_finish"]
    cal = WorkCalendars.from_table(portfolio.calendars)
    calendar = "standard" if "standard" in cal.names else ""
    slip = pd.Series(cal.count(base.to_numpy(), finish.reindex(base.index).to_numpy(), calendar), index=base.index)
    covered = _approved(portfolio, as_of)["schedule_impact_days"].reindex(base.index).fillna(0.0)
    hit = slip[(slip - covered) > float(threshold_days)]
    evidence = [
        f"finish {int(slip[p])} working days after the baseline; approved changes cover {int(covered[p])}"
        for p in hit.index
    ]
    return _frame(hit.index.to_numpy(), "delay without an approved change", evidence)


@_registered("timesheets_complete", weeks=4)
def _timesheets(portfolio, as_of, weeks):
    as_of = pd.Timestamp(as_of)
    this_monday = as_of - pd.Timedelta(days=as_of.weekday())
    mondays = pd.DatetimeIndex([this_monday - pd.Timedelta(weeks=k) for k in range(1, int(weeks) + 1)])
    jobs = portfolio.assignments
    jobs = jobs[jobs["resource_id"].notna() & jobs["project_id"].isin(_live(portfolio)["project_id"])]
    grid = jobs[["project_id", "resource_id", "start", "finish"]].merge(pd.DataFrame({"week": mondays}), how="cross")
    booked = grid[(grid["start"] <= grid["week"] + pd.Timedelta(days=4)) & (grid["finish"] >= grid["week"])]
    booked = booked.drop_duplicates(["project_id", "resource_id", "week"])
    sheets = portfolio.timesheets.groupby(["project_id", "resource_id", "week_start"])["hours"].sum()
    hours = sheets.reindex(pd.MultiIndex.from_frame(booked[["project_id", "resource_id", "week"]])).to_numpy()
    hit = booked[pd.isna(hours) | (hours <= 0)]
    evidence = hit["resource_id"] + ": week of " + hit["week"].dt.strftime("%Y-%m-%d")
    return _frame(hit["project_id"], "booked week without a timesheet", evidence)


@_registered("no_hours_on_closed_projects")
def _closed_hours(portfolio, as_of):
    projects = portfolio.projects
    done = projects[projects["status"].astype(str).isin(["closed", "cancelled"])]
    tasks = portfolio.tasks
    ended = (
        pd.concat([tasks["actual_finish"], tasks["actual_start"]]).groupby(pd.concat([tasks["project_id"]] * 2)).max()
    )
    end = ended.reindex(done["project_id"])
    sheets = portfolio.timesheets
    sheets = sheets[sheets["project_id"].isin(done["project_id"]) & (sheets["hours"] > 0)]
    last = end.reindex(sheets["project_id"]).to_numpy()
    after = sheets[(sheets["week_start"].to_numpy() > last) & ~pd.isna(last)]
    summary = after.groupby("project_id").agg(
        hours=("hours", "sum"), weeks=("week_start", "nunique"), first=("week_start", "min")
    )
    evidence = [
        f"{r.hours:,.1f} hours in {r.weeks} week(s) from {r.first:%Y-%m-%d}, after work ended"
        for r in summary.itertuples()
    ]
    return _frame(summary.index.to_numpy(), "time booked after the project ended", evidence)


@_registered("tasks_have_plan_fields")
def _plan_fields(portfolio, as_of):
    tasks = portfolio.tasks[portfolio.tasks["project_id"].isin(_live(portfolio)["project_id"])]
    rows = []
    for column in ("duration_days", "baseline_start", "baseline_finish", "planned_cost"):
        blank = tasks[column].isna().groupby(tasks["project_id"]).sum()
        blank = blank[blank > 0]
        rows.append(_frame(blank.index.to_numpy(), f"tasks without {column}", [f"{int(n)} task(s)" for n in blank]))
    return pd.concat(rows, ignore_index=True)


@_registered("dates_consistent")
def _dates(portfolio, as_of):
    tasks = portfolio.tasks[portfolio.tasks["project_id"].isin(_live(portfolio)["project_id"])]
    pct = tasks["percent_complete"]
    problems = {
        "finish before start": (tasks["actual_finish"] < tasks["actual_start"])
        | (tasks["baseline_finish"] < tasks["baseline_start"]),
        "finished but not 100 % complete": tasks["actual_finish"].notna() & (pct < 100),
        "100 % complete but no actual finish": (pct >= 100) & tasks["actual_finish"].isna(),
    }
    rows = []
    for found, mask in problems.items():
        hit = tasks[mask.fillna(False).astype(bool)]
        rows.append(_frame(hit["project_id"], found, "task " + hit["task_id"].astype(str)))
    return pd.concat(rows, ignore_index=True)


# --- evaluation ---------------------------------------------------------------------------------------


def evaluate(portfolio, standard: Standard | None = None, as_of=None) -> pd.DataFrame:
    """Every breach of the standard's rules as of a date: one row per project and thing found.

    Columns: ``rule_id``, ``severity``, ``portfolio``, ``project_id``,
    ``project`` (name), ``found``, ``evidence``, ``fix``; errors first.
    """
    from .evm import data_date

    standard = standard or load()
    as_of = pd.Timestamp(data_date(portfolio) if as_of is None else as_of).normalize()
    parts = []
    for rule in standard.rules:
        found = _CHECKS[rule["check"]](portfolio, as_of, **rule["params"])
        if len(found):
            parts.append(found.assign(rule_id=rule["id"], severity=rule["severity"], fix=rule["fix"]))
    if not parts:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    info = portfolio.projects.set_index("project_id")
    out["portfolio"] = info["portfolio"].astype(str).reindex(out["project_id"]).to_numpy()
    out["project"] = info["name"].astype(str).reindex(out["project_id"]).to_numpy()
    order = {s: i for i, s in enumerate(SEVERITIES)}
    out = out.sort_values(
        ["project_id", "severity", "rule_id"], key=lambda s: s.map(order) if s.name == "severity" else s, kind="stable"
    )
    return out[FINDING_COLUMNS].reset_index(drop=True)


def scores(portfolio, findings: pd.DataFrame, standard: Standard | None = None) -> pd.DataFrame:
    """Compliance score per live project: the share of the standard's rules it meets [%] (100 = all)."""
    standard = standard or load()
    live = _live(portfolio)
    broken = findings.groupby("project_id")["rule_id"].nunique()
    total = max(len(standard.rules), 1)
    out = live[["project_id", "name", "portfolio"]].copy()
    out["rules_broken"] = broken.reindex(out["project_id"]).fillna(0).astype(int).to_numpy()
    errors = findings[findings["severity"] == "error"].groupby("project_id").size()
    out["errors"] = errors.reindex(out["project_id"]).fillna(0).astype(int).to_numpy()
    out["score"] = 100.0 * (1 - out["rules_broken"] / total)
    return out.reset_index(drop=True)


def portfolio_scores(project_scores: pd.DataFrame) -> pd.DataFrame:
    """Mean compliance score per portfolio [%]."""
    return project_scores.groupby("portfolio", observed=True)["score"].mean().rename("score").reset_index()


def trend(portfolio, standard: Standard | None = None, months: int = 6, as_of=None) -> pd.DataFrame:
    """Compliance score per portfolio at the end of each of the last ``months`` months up to ``as_of``."""
    from .evm import data_date

    standard = standard or load()
    end = pd.Timestamp(data_date(portfolio) if as_of is None else as_of)
    rows = []
    for k in range(int(months) - 1, -1, -1):  # a handful of months: each is a whole evaluation
        day = min(end, (end.to_period("M") - k).to_timestamp(how="end").normalize())
        found = evaluate(portfolio, standard, day)
        per = portfolio_scores(scores(portfolio, found, standard)).assign(month=str(day.to_period("M")))
        rows.append(per)
    return pd.concat(rows, ignore_index=True)[["month", "portfolio", "score"]]


def changes_since(portfolio, standard: Standard | None, as_of, before, now: pd.DataFrame | None = None) -> pd.DataFrame:
    """Findings new since ``before`` and resolved since then: ``change`` is ``"new"`` or ``"resolved"``.

    ``now`` may be the findings as of ``as_of`` when they are at hand already.
    """
    now = evaluate(portfolio, standard, as_of) if now is None else now
    then = evaluate(portfolio, standard, before)

    def keyed(frame):
        # the same breach keeps its key from month to month: the item it names (a risk, an issue, a month,
        # a person and week) before the first colon of the evidence, not the counts that change daily
        item = frame["evidence"].astype(str).str.extract(r"^([^:]+):", expand=False).fillna("")
        return frame.assign(item=item.to_numpy())

    now, then = keyed(now), keyed(then)
    key = ["rule_id", "project_id", "found", "item"]
    new = now.merge(then[key].drop_duplicates(), on=key, how="left", indicator=True)
    new = new[new["_merge"] == "left_only"].assign(change="new")
    resolved = then.merge(now[key].drop_duplicates(), on=key, how="left", indicator=True)
    resolved = resolved[resolved["_merge"] == "left_only"].assign(change="resolved")
    out = pd.concat([new, resolved], ignore_index=True)
    return out[["change", *FINDING_COLUMNS]].reset_index(drop=True)


# --- documentation and tailoring ------------------------------------------------------------------------


def describe(standard: Standard) -> str:
    """The standard in plain words (Markdown), written from the file itself so the text never drifts."""
    import html

    def esc(text) -> str:
        return html.escape(str(text)).replace("|", "\\|")

    lines = [f"## {esc(standard.name)}", "", esc(standard.description), "", "### Lifecycle stages and gates", ""]
    lines += ["| stage | purpose | gate | artefacts |", "|---|---|---|---|"]
    for name, stage in standard.stages.items():
        artefacts = ", ".join(map(str, stage.get("artefacts", [])))
        lines.append(
            f"| {esc(name)} | {esc(stage.get('purpose', ''))} | {esc(stage.get('gate', ''))} | {esc(artefacts)} |"
        )
    lines += ["", "### RAG tolerances (used by the monthly report)", ""]
    lines += ["| indicator | amber when worse than | red when worse than | what it measures |", "|---|---|---|---|"]
    for name, limits in standard.tolerances.items():
        amber, red = limits.get("amber", "-"), limits.get("red", "-")
        lines.append(f"| {esc(name)} | {esc(amber)} | {esc(red)} | {esc(limits.get('statement', ''))} |")
    lines += ["", "### Rules", ""]
    lines += ["| id | severity | rule | parameters | how to fix |", "|---|---|---|---|---|"]
    for rule in standard.rules:
        params = ", ".join(f"{k} = {v}" for k, v in rule["params"].items())
        lines.append(
            f"| {esc(rule['id'])} | {esc(rule['severity'])} | {esc(rule['statement'])} | {esc(params)} | {esc(rule['fix'])} |"
        )
    return "\n".join(lines)


PMO_TYPES = {  # how firmly the office enforces: the severity its rules carry
    "supportive": "warning",  # advises and provides templates; breaches are warnings
    "controlling": None,  # the default standard's severities: errors where compliance is required
    "directive": "error",  # manages the projects directly; every breach is an error
}


def tailor(
    name: str,
    *,
    pmo_type: str = "controlling",
    tolerances: dict | None = None,
    params: dict | None = None,
    disabled=(),
    description: str = "",
) -> dict:
    """A standard that extends the default and changes only what is given (ready to write as YAML).

    ``pmo_type`` sets the rules' severity (supportive: warnings, directive:
    errors, controlling: as in the default); ``tolerances`` maps indicators to
    ``{amber, red}``; ``params`` maps rule ids to parameter overrides;
    ``disabled`` lists rule ids to switch off.
    """
    if pmo_type not in PMO_TYPES:
        raise StandardError(f"unknown PMO type {pmo_type!r}; choose one of: {', '.join(PMO_TYPES)}")
    base = load()
    rules = []
    for rule in base.rules:
        change: dict = {}
        if PMO_TYPES[pmo_type] and rule["severity"] != PMO_TYPES[pmo_type]:
            change["severity"] = PMO_TYPES[pmo_type]
        if rule["id"] in (params or {}):
            change["params"] = dict(params[rule["id"]])
        if rule["id"] in disabled:
            change["enabled"] = False
        if change:
            rules.append({"id": rule["id"], **change})
    out: dict = {"extends": "default", "standard": name}
    if description:
        out["description"] = description
    if tolerances:
        out["tolerances"] = {k: dict(v) for k, v in tolerances.items()}
    if rules:
        out["rules"] = rules
    return out


def write(standard: dict, path) -> Path:
    """Write a standard (as made by :func:`tailor`) to a YAML file, atomically, after checking it."""
    import yaml

    from .files import atomic_open

    path = Path(path)
    parent = standard.get("extends")
    merged = _merge(_resolve(STANDARDS_DIR / f"{parent}.yaml"), standard) if parent else standard
    problems = _validate(merged, str(path))
    if problems:  # a file the PMO cannot use is never written
        raise StandardError(f"{len(problems)} problem(s) in the standard:\n  " + "\n  ".join(problems))
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(standard, sort_keys=False, allow_unicode=True, width=100)
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path
