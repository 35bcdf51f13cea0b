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

from .errors import PMOError

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


def status_date(portfolio, month, as_of=None) -> pd.Timestamp:
    """The date a month's report is as of: ``as_of`` if given (it must fall in the month), else the
    month's last day, or the data date if that is earlier."""
    from .evm import data_date

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
    from . import evm, finance, risk
    from .calendar import WorkCalendars
    from .schedule import schedule

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


def milestones(portfolio, month, *, horizon_days: int = 30, as_of=None, plan=None) -> pd.DataFrame:
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
    out = out[out["state"] != ""]
    order = {"slipped": 0, "due": 1, "achieved": 2, "upcoming": 3}
    return out.sort_values(
        ["state", "forecast_date", "project_id"], key=lambda s: s.map(order) if s.name == "state" else s
    ).reset_index(drop=True)


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
    from .evm import status

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


PORTFOLIO_COLUMNS = {
    "project_id": "Project",
    "name": "Name",
    "stage": "Stage",
    "manager": "Manager",
    "reported_rag": "Reported RAG",
    "overall_rag": "Computed RAG",
    "spi": "SPI",
    "cpi": "CPI",
    "eac": "EAC",
    "vac": "VAC",
    "forecast_finish": "Forecast finish",
    "finish_slip_days": "Slip (working days)",
    "next_milestone": "Next milestone",
    "next_milestone_date": "Milestone date",
}


def build(
    portfolio,
    month,
    *,
    name: str = "all",
    tolerances: Tolerances | None = None,
    risk_iterations: int = 2_000,
    seed: int = 0,
    horizon_days: int = 45,
    as_of=None,
    standard=None,
) -> dict:
    """Every table of the monthly report for one portfolio (or ``"all"``), computed once.

    ``standard`` is a loaded :class:`~pmo_lib.standards.Standard` or a path to
    a standard file (default: ``standards/default.yaml``); its tolerances rate
    the projects unless ``tolerances`` is given, and its rules give the
    compliance section. Returns a dict of DataFrames (and a few numbers) keyed
    by section; the notebook lays them out and ``pmo report`` writes the
    tables to Excel.
    """
    from . import evm, finance, risk, standards
    from . import resources as res
    from .schedule import schedule
    from .schedule_risk import forecast

    if not isinstance(standard, standards.Standard):
        standard = standards.load(standard or None)
    tolerances = tolerances or standard.report_tolerances()
    data = select(portfolio, name)
    as_of = status_date(data, month, as_of)
    start = pd.Period(month, freq="M").to_timestamp()
    plan = schedule(data, as_of=as_of)  # the schedule with progress, once for every section that needs it
    summary_table = summary(data, month, tolerances=tolerances, as_of=as_of, plan=plan)
    rated = summary_table[summary_table["overall_rag"].notna()]
    flagged = rated.loc[rated["overall_rag"].isin(["R", "A"]), "project_id"].tolist()
    money = finance.summary(data.financials, data.projects, as_of)
    phased = evm.time_phased(data, as_of)
    out: dict = {"as_of": as_of, "month": str(pd.Period(month, freq="M")), "name": name, "flagged": flagged}
    out["summary"] = summary_table
    out["rag_counts"] = pd.DataFrame(
        {
            "computed": rated["overall_rag"].value_counts().reindex(["R", "A", "G"], fill_value=0),
            "reported": rated["reported_rag"].value_counts().reindex(["R", "A", "G"], fill_value=0),
        }
    ).rename_axis("RAG")
    out["totals"] = pd.DataFrame(
        {
            "measure": ["Budget", "Actual to date", "Forecast at completion", "Variance (forecast - budget)"],
            "amount": [
                money["budget"].sum(),
                money["actual_to_date"].sum(),
                money["forecast_at_completion"].sum(),
                money["forecast_at_completion"].sum() - money["budget"].sum(),
            ],
        }
    )
    out["biggest_changes"] = biggest_changes(data, month)
    out["decisions"] = decisions_needed(data, month, as_of=as_of)
    out["portfolio"] = summary_table[list(PORTFOLIO_COLUMNS)].rename(columns=PORTFOLIO_COLUMNS)
    out["exceptions"] = exceptions(data, month, tolerances=tolerances, table=summary_table)
    out["milestones"] = milestones(data, month, horizon_days=horizon_days, as_of=as_of, plan=plan)
    if flagged:
        risky = forecast(data, as_of, iterations=risk_iterations, seed=seed, projects=flagged)["projects"]
        out["schedule_risk"] = risky[["project_id", "planned_finish", "p50", "p80", "baseline_finish",
                                      "chance_by_baseline", "most_critical"]]  # fmt: skip
    else:
        out["schedule_risk"] = pd.DataFrame(columns=["project_id", "planned_finish", "p50", "p80"])
    out["s_curve"] = evm.s_curve(phased)
    out["s_curve_flagged"] = evm.s_curve(phased, flagged)
    monthly = finance.monthly(data.financials, data.projects, by="portfolio")
    out["burn"] = monthly.groupby("month")[["budget_cum", "forecast_cum", "actual_cum"]].sum(min_count=1).reset_index()
    out["burn_by_project"] = finance.burn_against_bac(data.financials, data.projects, as_of)
    out["risk_heat_map"] = risk.heat_map(data.risks)
    out["top_risks"] = risk.top_exposure(data.risks, 10)[
        ["risk_id", "project_id", "title", "probability", "impact", "score", "rating", "emv", "owner", "review_by"]
    ]
    out["overdue_reviews"] = risk.overdue_reviews(data.risks, as_of)[
        ["risk_id", "project_id", "title", "owner", "review_by", "days_overdue"]
    ]
    issues = data.issues
    late = issues[(issues["status"].astype(str) != "closed") & (issues["due_on"] < as_of)].copy()
    late["days_overdue"] = (as_of - late["due_on"]).dt.days
    out["overdue_issues"] = late.sort_values("days_overdue", ascending=False)[
        ["issue_id", "project_id", "title", "severity", "owner", "due_on", "days_overdue"]
    ]
    out["issues_by_age"] = risk.open_issues_by_severity_and_age(issues[issues["raised_on"] <= as_of], as_of)
    changes = data.changes
    decided = changes[changes["decided_on"].between(start, as_of)]
    out["changes_decided"] = decided[
        ["change_id", "project_id", "title", "status", "cost_impact", "schedule_impact_days", "decided_on"]
    ].sort_values("decided_on")
    quarter_end = month_end(pd.Period(month, freq="M") + 3)
    out["utilisation"] = res.utilisation(portfolio, start, quarter_end, by="team", freq="M")
    out["over_allocated"] = res.over_allocated(portfolio, start, month_end(month), freq="M")
    out["month_over_month"] = month_over_month(data, month)
    findings = standards.evaluate(data, standard, as_of)
    previous = min(as_of, (pd.Period(month, freq="M") - 1).to_timestamp(how="end").normalize())
    out["standard"] = standard.name
    out["compliance"] = standards.scores(data, findings, standard)
    out["compliance_portfolios"] = standards.portfolio_scores(out["compliance"])
    out["findings"] = findings
    out["findings_changes"] = standards.changes_since(data, standard, as_of, previous, now=findings)
    return out


#: The report's tables as workbook sheets: sheet name -> key in :func:`build`'s result.
SHEETS = {
    "Portfolio": "portfolio",
    "Exceptions": "exceptions",
    "Totals": "totals",
    "Biggest changes": "biggest_changes",
    "Decisions needed": "decisions",
    "Milestones": "milestones",
    "Schedule risk": "schedule_risk",
    "Burn by project": "burn_by_project",
    "Top risks": "top_risks",
    "Overdue reviews": "overdue_reviews",
    "Overdue issues": "overdue_issues",
    "Changes decided": "changes_decided",
    "Utilisation": "utilisation",
    "Over-allocated": "over_allocated",
    "Month over month": "month_over_month",
    "Compliance": "compliance",
    "Findings": "findings",
    "Findings new, resolved": "findings_changes",
}
NUMBER_FORMATS = {
    **dict.fromkeys(
        ["EAC", "VAC", "amount", "eac_before", "eac_now", "eac_change", "cost_impact", "emv", "bac"], "#,##0"
    ),
    **dict.fromkeys(["actual_to_date", "forecast_at_completion", "fac_over_bac"], "#,##0"),
    **dict.fromkeys(["capacity_hours", "demand_hours", "over_hours"], "#,##0.0"),
    **dict.fromkeys(["SPI", "CPI", "cpi_before", "cpi_now", "spi_before", "spi_now"], "0.00"),
    **dict.fromkeys(["utilisation", "spent_share", "chance_by_baseline"], "0%"),
    "score": "0",
}


def workbook(result: dict, target) -> None:
    """Write the report's tables (one sheet each, see :data:`SHEETS`) to an Excel workbook, atomically."""
    from .export import write_xlsx

    sheets = {title: result[key] for title, key in SHEETS.items() if key in result}
    write_xlsx(sheets, target, number_formats=NUMBER_FORMATS)


__all__ = [
    "DIMENSIONS",
    "NUMBER_FORMATS",
    "PORTFOLIO_COLUMNS",
    "RULES",
    "SHEETS",
    "Tolerances",
    "biggest_changes",
    "build",
    "decisions_needed",
    "exceptions",
    "indicators",
    "milestones",
    "month_end",
    "month_over_month",
    "portfolios",
    "rate",
    "select",
    "status_date",
    "summary",
    "workbook",
]
