"""The monthly report's numbers for one month: indicators, the portfolio summary with reported and
computed RAG, exceptions, month-over-month changes, milestones, biggest changes and decisions needed.

Computations only: every function takes a :class:`~pmo_lib.data.Portfolio`
and a month and returns DataFrames; :func:`pmo_lib.reporting.sections.build`
gathers them for the page and the report notebook lays them out. The RAG
rules and their tolerances belong to the standard
(:mod:`pmo_lib.standards.tolerances`, where the rules and their sources are
listed); this module measures the indicators they rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import PMOError
from ..standards.tolerances import RATED_STATUSES, Tolerances, rate


def month_end(month) -> pd.Timestamp:
    """The last day of a month given as ``"YYYY-MM"`` (or any date in it)."""
    return pd.Period(month, freq="M").to_timestamp(how="end").normalize()


def status_date(portfolio, month, as_of=None) -> pd.Timestamp:
    """The date a month's report is as of: ``as_of`` if given (it must fall in the month), else the
    month's last day, or the data date if that is earlier."""
    from ..evm import data_date

    if as_of is not None and not pd.isna(as_of) and str(as_of) != "":
        day = pd.Timestamp(as_of).normalize()
        if day.to_period("M") != pd.Period(month, freq="M"):
            raise PMOError(f"as-of date {day.date()} is not in the report month {pd.Period(month, freq='M')}")
        return day
    return min(month_end(month), data_date(portfolio))


def _milestone_mask(tasks: pd.DataFrame) -> pd.Series:
    return tasks["is_milestone"].fillna(False).astype(bool) | (tasks["duration_days"] == 0)


def indicators(portfolio, month, *, actual_cost: str = "timesheets", as_of=None, plan=None) -> pd.DataFrame:
    """Every measured indicator per project for a month: one row per project (the rules' inputs).

    Columns: ``spi``, ``cpi``, ``ev``, ``ac``, ``pv``, ``bac``, ``eac``,
    ``vac``, ``percent_complete`` (from :func:`pmo_lib.evm.status`),
    ``forecast_finish`` (scheduled finish as of the status date),
    ``baseline_finish``, ``finish_slip_days`` [working days, late is
    positive], ``overdue_milestones`` (baseline date passed, not achieved),
    ``next_milestone`` and ``next_milestone_date``, ``budget``,
    ``actual_to_date``, ``forecast_at_completion``, ``budget_overrun`` (FAC /
    budget - 1), ``open_risks``, ``risk_exposure`` (EMV of open risks),
    ``open_high_issues``, ``open_critical_issues``, ``change_share``
    (approved change cost / budget).
    """
    from .. import evm, finance, risk
    from ..calendar import WorkCalendars
    from ..schedule import schedule

    as_of = status_date(portfolio, month, as_of)
    projects = portfolio.projects
    ids = projects["project_id"].astype(str)
    out = projects[["project_id", "name", "portfolio", "programme", "manager", "stage", "status"]].copy()
    out = out.set_index(ids.to_numpy())

    ev = evm.status(portfolio, month, as_of=as_of, actual_cost=actual_cost).set_index("project_id")
    for name in ("spi", "cpi", "pv", "ev", "ac", "bac", "eac", "vac", "percent_complete"):
        out[name] = ev[name].reindex(out.index).to_numpy()

    plan = schedule(portfolio, as_of=as_of) if plan is None else plan
    cal = WorkCalendars.from_table(portfolio.calendars)
    calendar = "standard" if "standard" in cal.names else ""
    finish = plan.groupby("project_id")["early_finish"].max()
    out["forecast_finish"] = pd.to_datetime(finish.reindex(out.index).to_numpy())
    out["baseline_finish"] = projects["baseline_finish"].to_numpy()
    slip = cal.count(out["baseline_finish"].to_numpy(), out["forecast_finish"].to_numpy(), calendar)
    out["finish_slip_days"] = slip

    tasks = portfolio.tasks
    marks = tasks[_milestone_mask(tasks)].assign(
        forecast=plan.set_index(["project_id", "task_id"])["early_finish"]
        .reindex(pd.MultiIndex.from_frame(tasks.loc[_milestone_mask(tasks), ["project_id", "task_id"]]))
        .to_numpy()
    )
    done = marks["actual_finish"].notna() & (marks["actual_finish"] <= as_of)
    overdue = ~done & (marks["baseline_finish"] <= as_of)
    out["overdue_milestones"] = overdue.groupby(marks["project_id"]).sum().reindex(out.index).fillna(0).astype(int)
    upcoming = marks[~done].sort_values(["project_id", "forecast", "task_id"])
    first = upcoming.groupby("project_id").head(1).set_index("project_id")
    out["next_milestone"] = first["name"].reindex(out.index)
    out["next_milestone_date"] = pd.to_datetime(first["forecast"].reindex(out.index))

    money = finance.summary(portfolio.financials, projects, as_of).set_index("project_id")
    for name in ("budget", "actual_to_date", "forecast_at_completion"):
        out[name] = money[name].reindex(out.index).to_numpy()
    out["budget"] = out["budget"].fillna(projects.set_index("project_id")["budget"].reindex(out.index))
    out["actual_to_date"] = out["actual_to_date"].fillna(0.0)  # no financial records: nothing spent
    with np.errstate(divide="ignore", invalid="ignore"):
        out["budget_overrun"] = np.where(out["budget"] > 0, out["forecast_at_completion"] / out["budget"] - 1, np.nan)

    risks = risk.exposure(portfolio.risks[portfolio.risks["status"].astype(str) == "open"])
    out["open_risks"] = risks.groupby("project_id").size().reindex(out.index).fillna(0).astype(int)
    out["risk_exposure"] = risks.groupby("project_id")["emv"].sum().reindex(out.index).fillna(0.0)
    issues = portfolio.issues
    live = issues[(issues["status"].astype(str) != "closed") & (issues["raised_on"] <= as_of)]
    for severity in ("high", "critical"):
        count = (live["severity"].astype(str) == severity).groupby(live["project_id"]).sum()
        out[f"open_{severity}_issues"] = count.reindex(out.index).fillna(0).astype(int)
    changes = portfolio.changes
    decided = changes[(changes["decided_on"] <= as_of) | changes["decided_on"].isna()]
    impact = risk.approved_change_impact(decided, projects).set_index("project_id")
    out["change_share"] = impact["change_share"].reindex(out.index).to_numpy()
    return out.reset_index(drop=True)


def _reported(portfolio, month) -> pd.DataFrame:
    updates = portfolio.status_updates
    this = updates[updates["month"] == pd.Period(month, freq="M").to_timestamp()]
    cols = {"overall_rag": "reported_rag", "schedule_rag": "reported_schedule", "cost_rag": "reported_cost"}
    cols["scope_rag"] = "reported_scope"
    return this.set_index("project_id")[list(cols)].rename(columns=cols)


def summary(
    portfolio,
    month,
    *,
    tolerances: Tolerances | None = None,
    actual_cost: str = "timesheets",
    as_of=None,
    plan=None,
) -> pd.DataFrame:
    """The portfolio summary: one row per project with its key indicators, reported and computed RAG.

    Everything in :func:`indicators`, plus ``reported_rag`` (and per
    dimension) from the month's status update, the computed ``overall_rag``,
    ``schedule_rag``, ``cost_rag``, ``scope_rag`` (:func:`rate`) and
    ``rag_mismatch`` (reported overall differs from computed; blank when
    either is missing). ``plan`` is :func:`pmo_lib.schedule.schedule` as of
    the status date, when it is at hand already.
    """
    table = indicators(portfolio, month, actual_cost=actual_cost, as_of=as_of, plan=plan)
    ratings, _ = rate(table, tolerances)
    reported = _reported(portfolio, month).reindex(table["project_id"].astype(str))
    for column in reported.columns:
        table[column] = pd.array(reported[column].astype("string").to_numpy(), dtype="string")
    for column in ("overall_rag", "schedule_rag", "cost_rag", "scope_rag"):
        table[column] = ratings[column].to_numpy()
    both = table["reported_rag"].notna() & table["overall_rag"].notna()
    mismatch = table["reported_rag"].astype(str) != table["overall_rag"].astype(str)
    table["rag_mismatch"] = pd.array(np.where(both, mismatch, pd.NA), dtype="boolean")
    return table


def exceptions(portfolio, month, *, tolerances: Tolerances | None = None, table: pd.DataFrame | None = None):
    """Every rated project outside tolerance, with the reason; plus RAG mismatches and missing status reports.

    One row per project and reason: ``project_id``, ``name``, ``dimension``
    (schedule, cost, scope or reporting), ``rag``, ``reason``; red first.
    """
    table = summary(portfolio, month, tolerances=tolerances) if table is None else table
    _, findings = rate(table, tolerances)
    names = table.set_index("project_id")["name"]
    rows = [findings[["project_id", "dimension", "rag", "reason"]]]
    rated = table["status"].astype(str).isin(RATED_STATUSES)
    mism = table[table["rag_mismatch"].fillna(False).astype(bool)]
    if len(mism):
        rows.append(
            pd.DataFrame(
                {
                    "project_id": mism["project_id"].to_numpy(),
                    "dimension": "reporting",
                    "rag": mism["overall_rag"].astype(str).to_numpy(),
                    "reason": ("reported " + mism["reported_rag"].astype(str) + ", computed "
                               + mism["overall_rag"].astype(str)).to_numpy(),
                }
            )
        )  # fmt: skip
    missing = table[rated & table["reported_rag"].isna()]
    if len(missing):
        rows.append(
            pd.DataFrame(
                {
                    "project_id": missing["project_id"].to_numpy(),
                    "dimension": "reporting",
                    "rag": "A",
                    "reason": f"no status update for {pd.Period(month, freq='M')}",
                }
            )
        )
    out = pd.concat(rows, ignore_index=True)
    out.insert(1, "name", names.reindex(out["project_id"]).to_numpy())
    out["_order"] = out["rag"].map({"R": 0, "A": 1, "G": 2})
    return (
        out.sort_values(["_order", "project_id", "dimension"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def month_over_month(portfolio, month) -> pd.DataFrame:
    """What changed since the previous month: new and closed risks, reported RAG moves, milestones that slipped.

    One row per change: ``project_id``, ``kind`` (``"new risk"``, ``"closed
    risk"``, ``"RAG move"``, ``"milestone slipped"``), ``item`` (risk id,
    ``overall`` or milestone task id), ``detail``. A milestone slipped in the
    month when its baseline date fell in the month and it was not achieved
    by then.
    """
    start = pd.Period(month, freq="M").to_timestamp()
    end = month_end(month)
    rows = []
    risks = portfolio.risks
    for kind, column in (("new risk", "raised_on"), ("closed risk", "closed_on")):
        hit = risks[(risks[column] >= start) & (risks[column] <= end)]
        rows.append(pd.DataFrame({"project_id": hit["project_id"], "kind": kind, "item": hit["risk_id"],
                                  "detail": hit["title"]}))  # fmt: skip
    updates = portfolio.status_updates
    now = updates[updates["month"] == start].set_index("project_id")["overall_rag"].astype(str)
    before = updates[updates["month"] == start - pd.DateOffset(months=1)].set_index("project_id")["overall_rag"]
    before = before.astype(str).reindex(now.index)
    moved = now[before.notna() & (before != now)]
    rows.append(
        pd.DataFrame(
            {
                "project_id": moved.index,
                "kind": "RAG move",
                "item": "overall",
                "detail": before[moved.index] + " → " + moved,
            }
        )
    )
    tasks = portfolio.tasks
    marks = tasks[_milestone_mask(tasks)]
    due = marks[(marks["baseline_finish"] >= start) & (marks["baseline_finish"] <= end)]
    slipped = due[due["actual_finish"].isna() | (due["actual_finish"] > due["baseline_finish"])]
    rows.append(
        pd.DataFrame(
            {
                "project_id": slipped["project_id"],
                "kind": "milestone slipped",
                "item": slipped["task_id"],
                "detail": slipped["name"] + " (baseline " + slipped["baseline_finish"].dt.strftime("%Y-%m-%d") + ")",
            }
        )
    )
    out = pd.concat([r.astype({"project_id": "str"}) for r in rows], ignore_index=True)
    return out.sort_values(["project_id", "kind", "item"], kind="stable").reset_index(drop=True)


def milestones(portfolio, month, *, horizon_days: int = 30, as_of=None, plan=None, every: bool = False) -> pd.DataFrame:
    """Milestones due, achieved and slipped in a month, and those coming in the next ``horizon_days``.

    One row per milestone of interest: ``project_id``, ``task_id``, ``name``,
    ``baseline_date``, ``forecast_date`` (scheduled, with progress),
    ``actual_date``, ``slip_days`` (forecast or actual against baseline
    [working days]), ``state``: ``"achieved"`` (done in the month),
    ``"slipped"`` (baseline date passed, not done, or done late in the
    month), ``"due"`` (baseline in the month, on track) or ``"upcoming"``
    (forecast within the horizon after the status date). ``every``: every milestone, the others
    with state ``"done"`` (achieved before the month) or ``"later"`` (the milestone trend analysis
    of the history store reads them).
    """
    from ..calendar import WorkCalendars
    from ..schedule import schedule

    start = pd.Period(month, freq="M").to_timestamp()
    as_of = status_date(portfolio, month, as_of)
    horizon = as_of + pd.Timedelta(days=horizon_days)
    tasks = portfolio.tasks
    marks = tasks[_milestone_mask(tasks)]
    plan = (schedule(portfolio, as_of=as_of) if plan is None else plan).set_index(["project_id", "task_id"])[
        "early_finish"
    ]
    forecast = plan.reindex(pd.MultiIndex.from_frame(marks[["project_id", "task_id"]])).to_numpy()
    out = pd.DataFrame(
        {
            "project_id": marks["project_id"].to_numpy(),
            "task_id": marks["task_id"].to_numpy(),
            "name": marks["name"].to_numpy(),
            "baseline_date": marks["baseline_finish"].to_numpy(),
            "forecast_date": pd.to_datetime(forecast),
            "actual_date": marks["actual_finish"].to_numpy(),
        }
    )
    cal = WorkCalendars.from_table(portfolio.calendars)
    calendar = "standard" if "standard" in cal.names else ""
    seen = out["actual_date"].where(out["actual_date"].notna() & (out["actual_date"] <= as_of), out["forecast_date"])
    out["slip_days"] = pd.array(cal.count(out["baseline_date"].to_numpy(), seen.to_numpy(), calendar), dtype="Int64")
    achieved = out["actual_date"].notna() & (out["actual_date"] <= as_of)
    in_month = out["actual_date"].between(start, as_of)
    late = out["slip_days"].fillna(0) > 0
    passed = out["baseline_date"] <= as_of
    state = np.select(
        [
            achieved & in_month & ~late,
            (~achieved & passed) | (achieved & in_month & late),
            ~achieved & out["baseline_date"].between(start, month_end(month)),
            ~achieved & (out["forecast_date"] > as_of) & (out["forecast_date"] <= horizon),
        ],
        ["achieved", "slipped", "due", "upcoming"],
        default="",
    )
    out["state"] = state
    if every:
        out["state"] = out["state"].where(out["state"] != "", np.where(achieved, "done", "later"))
    else:
        out = out[out["state"] != ""]
    order = {"slipped": 0, "due": 1, "achieved": 2, "upcoming": 3, "done": 4, "later": 5}
    return out.sort_values(
        ["state", "forecast_date", "project_id"], key=lambda s: s.map(order) if s.name == "state" else s
    ).reset_index(drop=True)


def months_in(portfolio) -> list[str]:
    """The months a report can be made for: from the first planned or booked month to the data date's month."""
    from ..evm import data_date

    starts = [portfolio.projects["baseline_start"].min(), portfolio.timesheets["week_start"].min()]
    first = min(d for d in starts if not pd.isna(d))
    last = data_date(portfolio)
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def portfolios(portfolio) -> list[str]:
    """The portfolio names in the data, sorted."""
    return sorted(portfolio.projects["portfolio"].dropna().astype(str).unique())


def select(portfolio, name: str):
    """The part of the data for one portfolio (``"all"``: everything).

    Every project table is cut to the portfolio's projects; people, calendars
    and leave stay whole, because teams serve every portfolio.
    """
    import dataclasses

    if name == "all":
        return portfolio
    known = portfolios(portfolio)
    if name not in known:
        raise PMOError(f"unknown portfolio {name!r}; the data has: {', '.join(known)}")
    ids = set(portfolio.projects.loc[portfolio.projects["portfolio"].astype(str) == name, "project_id"])
    cut = {}
    for table in ("projects", "tasks", "dependencies", "assignments", "timesheets", "financials", "risks",
                  "issues", "changes", "status_updates"):  # fmt: skip
        frame = getattr(portfolio, table)
        cut[table] = frame[frame["project_id"].isin(ids)].reset_index(drop=True)
    return dataclasses.replace(portfolio, **cut)


def biggest_changes(portfolio, month, n: int = 3, *, actual_cost: str = "timesheets") -> pd.DataFrame:
    """The ``n`` live (active or on-hold) projects whose estimate at completion moved most since last month.

    Earned value of both months comes from the same time-phased curves
    (:func:`pmo_lib.evm.status`), so the change is what happened in the month.
    Columns: ``project_id``, ``name``, ``eac_before``, ``eac_now``,
    ``eac_change`` [currency], ``cpi_before``, ``cpi_now``, ``spi_before``,
    ``spi_now``, ``reported_before``, ``reported_now``, ``what`` (one sentence).
    """
    from ..evm import status

    before_month = str(pd.Period(month, freq="M") - 1)
    now = status(portfolio, month, actual_cost=actual_cost).set_index("project_id")
    try:
        before = status(portfolio, before_month, actual_cost=actual_cost).set_index("project_id")
    except PMOError:  # the month is the first in the data
        before = now.assign(eac=np.nan, cpi=np.nan, spi=np.nan)
    table = pd.DataFrame(
        {
            "eac_before": before["eac"],
            "eac_now": now["eac"],
            "cpi_before": before["cpi"],
            "cpi_now": now["cpi"],
            "spi_before": before["spi"],
            "spi_now": now["spi"],
        }
    )
    table["eac_change"] = table["eac_now"] - table["eac_before"]
    updates = portfolio.status_updates.dropna(subset=["overall_rag"]).set_index(["project_id", "month"])
    updates = updates["overall_rag"].astype(str)
    start = pd.Period(month, freq="M").to_timestamp()
    for column, when in (("reported_before", start - pd.DateOffset(months=1)), ("reported_now", start)):
        key = pd.MultiIndex.from_arrays([table.index, [when] * len(table)])
        table[column] = updates.reindex(key).to_numpy()
    info = portfolio.projects.set_index("project_id")
    table.insert(0, "name", info["name"].reindex(table.index))
    table["currency"] = info["currency"].astype(str).reindex(table.index).fillna("")
    live = portfolio.projects.set_index("project_id")["status"].astype(str).isin(RATED_STATUSES)
    table = table[table["eac_change"].notna() & live.reindex(table.index, fill_value=False)]
    top = table.reindex(table["eac_change"].abs().sort_values(ascending=False, kind="stable").index).head(n)

    def sentence(row) -> str:
        direction = "up" if row.eac_change > 0 else "down"
        words = f"EAC {direction} by {row.currency} {abs(row.eac_change):,.0f} (CPI {row.cpi_before:.2f} → {row.cpi_now:.2f}"
        words += f", SPI {row.spi_before:.2f} → {row.spi_now:.2f})"
        before, now = row.reported_before, row.reported_now
        if isinstance(before, str) and isinstance(now, str) and before != now:
            words += f"; reported RAG {row.reported_before} → {row.reported_now}"
        return words

    top = top.reset_index()
    top["what"] = [sentence(r) for r in top.itertuples()]  # at most n rows
    return top


def decisions_needed(portfolio, month, n: int = 5, *, as_of=None) -> pd.DataFrame:
    """Change requests of live projects still waiting for a decision at the status date, largest cost first."""
    as_of = status_date(portfolio, month, as_of)
    changes = portfolio.changes
    live = portfolio.projects.loc[portfolio.projects["status"].astype(str).isin(RATED_STATUSES), "project_id"]
    waiting = changes[
        (changes["status"].astype(str) == "proposed")
        & (changes["raised_on"] <= as_of)
        & changes["project_id"].isin(live)
    ].copy()
    waiting["waiting_days"] = (as_of - waiting["raised_on"]).dt.days
    names = portfolio.projects.set_index("project_id")["name"]
    waiting.insert(1, "project", names.reindex(waiting["project_id"]).to_numpy())
    columns = ["change_id", "project_id", "project", "title", "cost_impact", "schedule_impact_days", "waiting_days"]
    return waiting.sort_values(["cost_impact", "change_id"], ascending=[False, True])[columns].head(n)
