"""The checks a standard's rules name: each takes (portfolio, as_of, **params) and returns the breaches.

Every check runs on whole tables (no loop over projects) and returns one row per project and thing
found: ``project_id``, ``found``, ``evidence``. A check is registered under the name a rule's
``check:`` key uses, with its parameters' defaults (:func:`check` or ``_registered``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

SEVERITIES = ("error", "warning", "note")
LIVE = ("active", "on_hold")
FINDING_COLUMNS = ["rule_id", "severity", "portfolio", "project_id", "project", "found", "evidence", "fix"]

CHECKS: dict[str, Callable] = {}


def check(name: str):
    """Register a check function under the name a standard's rules use."""

    def register(fn):
        CHECKS[name] = fn
        return fn

    return register


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
    from ..risk import score as risk_score

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
    from ..finance import summary

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
    from ..calendar import WorkCalendars
    from ..schedule import schedule

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
