"""The monthly report's numbers: computed RAG, mismatches, the portfolio summary, exceptions,
month-over-month changes and milestones.

Computations only: every function takes a :class:`~pmo_lib.data.Portfolio`
and a month and returns DataFrames; the report notebook lays them out.

Computed RAG
------------
Each dimension is rated by rules on measured indicators; a rule gives amber
when its value is worse than the amber limit and red when worse than the red
limit, and a dimension takes the worst of its rules (red > amber > green).
A rule whose indicator cannot be measured yet (e.g. CPI before any cost)
does not rate. The overall RAG is the worst dimension, the usual PMO
convention that one red dimension makes the project red [1]_. Only active and
on-hold projects are rated; closed and cancelled ones have blank RAG.

Default tolerances (:class:`Tolerances`; the standards issue makes them a
file):

========== ==================== ============ ========== ==========
dimension  rule                 worse when   amber      red
========== ==================== ============ ========== ==========
schedule   SPI                  below        0.95       0.85
schedule   finish slip          above        5 days     15 days
schedule   overdue milestones   above        0          2
cost       CPI                  below        0.95       0.85
cost       forecast over budget above        5 %        10 %
scope      approved change cost above        5 %        10 % of budget
scope      open high issues     above        0          2
scope      open critical issues above        (red only) 0
========== ==================== ============ ========== ==========

SPI and CPI are the cumulative indices of :func:`pmo_lib.evm.status` [2]_;
finish slip is the scheduled finish (critical path with progress, see
:func:`pmo_lib.schedule.schedule`) against the baseline finish in working
days; the budget rule compares the finance forecast at completion with the
phased budget (:func:`pmo_lib.finance.summary`).

References
----------
.. [1] Office of Government Commerce, *Managing Successful Projects with
   PRINCE2*, 2009, sec. 10.3 (tolerances and exception reporting: a forecast
   beyond tolerance on any one of time, cost or scope is an exception).
.. [2] Project Management Institute, *Practice Standard for Earned Value
   Management*, 2nd ed., 2011, ch. 6 (SPI and CPI thresholds for management
   attention).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

RAG_LEVEL = {"G": 0, "A": 1, "R": 2}
RAG_NAME = {0: "G", 1: "A", 2: "R"}
DIMENSIONS = ("schedule", "cost", "scope")
RATED_STATUSES = ("active", "on_hold")


@dataclass(frozen=True)
class Tolerances:
    """RAG limits as (amber, red); see the module notes for what each measures."""

    spi: tuple[float, float] = (0.95, 0.85)
    finish_slip_days: tuple[float, float] = (5, 15)
    overdue_milestones: tuple[float, float] = (0, 2)
    cpi: tuple[float, float] = (0.95, 0.85)
    budget_overrun: tuple[float, float] = (0.05, 0.10)
    change_share: tuple[float, float] = (0.05, 0.10)
    open_high_issues: tuple[float, float] = (0, 2)
    open_critical_issues: tuple[float, float] = (np.inf, 0)


#: The rules: (dimension, indicator column, tolerance name, True when lower is worse, words for the reason).
RULES = (
    ("schedule", "spi", "spi", True, "SPI {value:.2f} below {limit:.2f}"),
    ("schedule", "finish_slip_days", "finish_slip_days", False, "finish {value:.0f} working days late (limit {limit:.0f})"),
    ("schedule", "overdue_milestones", "overdue_milestones", False, "{value:.0f} milestone(s) overdue (limit {limit:.0f})"),
    ("cost", "cpi", "cpi", True, "CPI {value:.2f} below {limit:.2f}"),
    ("cost", "budget_overrun", "budget_overrun", False, "forecast {value:.1%} over budget (limit {limit:.0%})"),
    ("scope", "change_share", "change_share", False, "approved changes {value:.1%} of budget (limit {limit:.0%})"),
    ("scope", "open_high_issues", "open_high_issues", False, "{value:.0f} open high issue(s) (limit {limit:.0f})"),
    ("scope", "open_critical_issues", "open_critical_issues", False, "{value:.0f} open critical issue(s)"),
)  # fmt: skip


def month_end(month) -> pd.Timestamp:
    """The last day of a month given as ``"YYYY-MM"`` (or any date in it)."""
    return pd.Period(month, freq="M").to_timestamp(how="end").normalize()


def status_date(portfolio, month) -> pd.Timestamp:
    """The date a month's report is as of: the month's last day, or the data date if that is earlier."""
    from .evm import data_date

    return min(month_end(month), data_date(portfolio))


def _milestone_mask(tasks: pd.DataFrame) -> pd.Series:
    return tasks["is_milestone"].fillna(False).astype(bool) | (tasks["duration_days"] == 0)


def indicators(portfolio, month, *, actual_cost: str = "timesheets") -> pd.DataFrame:
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
    from . import evm, finance, risk
    from .calendar import WorkCalendars
    from .schedule import schedule

    as_of = status_date(portfolio, month)
    projects = portfolio.projects
    ids = projects["project_id"].astype(str)
    out = projects[["project_id", "name", "portfolio", "programme", "manager", "stage", "status"]].copy()
    out = out.set_index(ids.to_numpy())

    ev = evm.status(portfolio, month, actual_cost=actual_cost).set_index("project_id")
    for name in ("spi", "cpi", "pv", "ev", "ac", "bac", "eac", "vac", "percent_complete"):
        out[name] = ev[name].reindex(out.index).to_numpy()

    plan = schedule(portfolio, as_of=as_of)
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


def rate(table: pd.DataFrame, tolerances: Tolerances | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Computed RAG per dimension and overall, and the rule results behind them.

    ``table`` holds the indicator columns (see :func:`indicators`) and
    ``project_id`` and ``status``. Returns (``ratings``: ``project_id``,
    ``schedule_rag``, ``cost_rag``, ``scope_rag``, ``overall_rag``;
    ``findings``: one row per project and rule outside tolerance with
    ``dimension``, ``rule``, ``value``, ``limit``, ``rag``, ``reason``).
    """
    tol = tolerances or Tolerances()
    rated = table["status"].astype(str).isin(RATED_STATUSES).to_numpy()
    levels = {dim: np.full(len(table), -1) for dim in DIMENSIONS}
    found = []
    for dimension, column, name, lower_worse, words in RULES:
        amber, red = getattr(tol, name)
        value = table[column].astype(float).to_numpy()
        measured = ~np.isnan(value) & rated
        if lower_worse:
            is_red, is_amber = value < red, value < amber
        else:
            is_red, is_amber = value > red, value > amber
        level = np.where(is_red, 2, np.where(is_amber, 1, 0))
        levels[dimension] = np.where(measured, np.maximum(levels[dimension], level), levels[dimension])
        hit = measured & (level > 0)
        if hit.any():
            limits = np.where(is_red, red, amber)[hit]
            found.append(
                pd.DataFrame(
                    {
                        "project_id": table["project_id"].to_numpy()[hit],
                        "dimension": dimension,
                        "rule": column,
                        "value": value[hit],
                        "limit": limits,
                        "rag": [RAG_NAME[x] for x in level[hit]],
                        "reason": [words.format(value=v, limit=lim) for v, lim in zip(value[hit], limits, strict=True)],
                    }
                )
            )
    ratings = pd.DataFrame({"project_id": table["project_id"].to_numpy()})
    worst = np.full(len(table), -1)
    for dim in DIMENSIONS:
        rated_level = np.where(rated & (levels[dim] < 0), 0, levels[dim])  # nothing measurable yet: green
        ratings[f"{dim}_rag"] = pd.array([RAG_NAME.get(x) for x in rated_level], dtype="string")
        worst = np.maximum(worst, rated_level)
    ratings["overall_rag"] = pd.array([RAG_NAME.get(x) for x in worst], dtype="string")
    columns = ["project_id", "dimension", "rule", "value", "limit", "rag", "reason"]
    findings = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)
    order = {"R": 0, "A": 1}
    findings = findings.sort_values(
        ["project_id", "rag", "dimension"], key=lambda s: s.map(order) if s.name == "rag" else s, kind="stable"
    )
    return ratings, findings.reset_index(drop=True)


def _reported(portfolio, month) -> pd.DataFrame:
    updates = portfolio.status_updates
    this = updates[updates["month"] == pd.Period(month, freq="M").to_timestamp()]
    cols = {"overall_rag": "reported_rag", "schedule_rag": "reported_schedule", "cost_rag": "reported_cost"}
    cols["scope_rag"] = "reported_scope"
    return this.set_index("project_id")[list(cols)].rename(columns=cols)


def summary(portfolio, month, *, tolerances: Tolerances | None = None, actual_cost: str = "timesheets") -> pd.DataFrame:
    """The portfolio summary: one row per project with its key indicators, reported and computed RAG.

    Everything in :func:`indicators`, plus ``reported_rag`` (and per
    dimension) from the month's status update, the computed ``overall_rag``,
    ``schedule_rag``, ``cost_rag``, ``scope_rag`` (:func:`rate`) and
    ``rag_mismatch`` (reported overall differs from computed; blank when
    either is missing).
    """
    table = indicators(portfolio, month, actual_cost=actual_cost)
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


def milestones(portfolio, month, *, horizon_days: int = 30) -> pd.DataFrame:
    """Milestones due, achieved and slipped in a month, and those coming in the next ``horizon_days``.

    One row per milestone of interest: ``project_id``, ``task_id``, ``name``,
    ``baseline_date``, ``forecast_date`` (scheduled, with progress),
    ``actual_date``, ``slip_days`` (forecast or actual against baseline
    [working days]), ``state``: ``"achieved"`` (done in the month),
    ``"slipped"`` (baseline date passed, not done, or done late in the
    month), ``"due"`` (baseline in the month, on track) or ``"upcoming"``
    (forecast within the horizon after the status date).
    """
    from .calendar import WorkCalendars
    from .schedule import schedule

    start = pd.Period(month, freq="M").to_timestamp()
    as_of = status_date(portfolio, month)
    horizon = as_of + pd.Timedelta(days=horizon_days)
    tasks = portfolio.tasks
    marks = tasks[_milestone_mask(tasks)]
    plan = schedule(portfolio, as_of=as_of).set_index(["project_id", "task_id"])["early_finish"]
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
    out = out[out["state"] != ""]
    order = {"slipped": 0, "due": 1, "achieved": 2, "upcoming": 3}
    return out.sort_values(
        ["state", "forecast_date", "project_id"], key=lambda s: s.map(order) if s.name == "state" else s
    ).reset_index(drop=True)


__all__ = [
    "DIMENSIONS",
    "RULES",
    "Tolerances",
    "exceptions",
    "indicators",
    "milestones",
    "month_end",
    "month_over_month",
    "rate",
    "status_date",
    "summary",
]
