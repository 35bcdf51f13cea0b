"""Every table of one month's report for one portfolio, computed once: what the page and the workbook show.

:func:`build` is the one step from a portfolio and a month to the report's parts (a dict of
DataFrames keyed by section); the report notebook lays them out with
:mod:`~pmo_lib.reporting.tables` and :mod:`~pmo_lib.reporting.charts`, and
:func:`~pmo_lib.reporting.publish.workbook` writes them to Excel.
"""

from __future__ import annotations

import pandas as pd

from ..standards.tolerances import Tolerances
from .month import (
    biggest_changes,
    decisions_needed,
    exceptions,
    milestones,
    month_end,
    month_over_month,
    select,
    status_date,
    summary,
)

# the milestone states the report lists (the others, "done" and "later", are kept for the trend analysis)
LISTED_STATES = ("slipped", "due", "achieved", "upcoming")
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


def snapshot(
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
    """The parts of the month's report the history store keeps (:func:`pmo_lib.store.record`).

    ``summary`` (indicators and RAG per project), ``exceptions``, ``milestones`` (those the
    report lists) and ``milestones_all`` (every milestone with its forecast date, for the
    milestone trend analysis), ``schedule_risk`` (P50/P80 of the red and amber projects) and the
    standard's ``findings``; the arguments are :func:`build`'s. About half of :func:`build`'s work.
    """
    return _core(portfolio, month, name, tolerances, risk_iterations, seed, horizon_days, as_of, standard)[0]


def _core(portfolio, month, name, tolerances, risk_iterations, seed, horizon_days, as_of, standard):
    from ..schedule import schedule
    from ..schedule_risk import forecast
    from ..standards import loading, scoring

    if not isinstance(standard, loading.Standard):
        standard = loading.load(standard or None)
    tolerances = tolerances or standard.report_tolerances()
    data = select(portfolio, name)
    as_of = status_date(data, month, as_of)
    plan = schedule(data, as_of=as_of)  # the schedule with progress, once for every section that needs it
    summary_table = summary(data, month, tolerances=tolerances, as_of=as_of, plan=plan)
    rated = summary_table[summary_table["overall_rag"].notna()]
    flagged = rated.loc[rated["overall_rag"].isin(["R", "A"]), "project_id"].tolist()
    out: dict = {"as_of": as_of, "month": str(pd.Period(month, freq="M")), "name": name, "flagged": flagged}
    out["summary"] = summary_table
    out["exceptions"] = exceptions(data, month, tolerances=tolerances, table=summary_table)
    every = milestones(data, month, horizon_days=horizon_days, as_of=as_of, plan=plan, every=True)
    out["milestones_all"] = every
    out["milestones"] = every[every["state"].isin(LISTED_STATES)].reset_index(drop=True)
    if flagged:
        risky = forecast(data, as_of, iterations=risk_iterations, seed=seed, projects=flagged)["projects"]
        out["schedule_risk"] = risky[["project_id", "planned_finish", "p50", "p80", "baseline_finish",
                                      "chance_by_baseline", "most_critical"]]  # fmt: skip
    else:
        out["schedule_risk"] = pd.DataFrame(columns=["project_id", "planned_finish", "p50", "p80"])
    out["standard"] = standard.name
    out["findings"] = scoring.evaluate(data, standard, as_of)
    return out, data, standard, tolerances


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
    a standard file (default: the standard PMO Lab ships); its tolerances rate
    the projects unless ``tolerances`` is given, and its rules give the
    compliance section. Returns a dict of DataFrames (and a few numbers) keyed
    by section; the notebook lays them out and ``pmo report`` writes the
    tables to Excel. It holds :func:`snapshot`'s parts too.
    """
    from .. import evm, finance, risk
    from .. import resources as res
    from ..standards import scoring

    out, data, standard, tolerances = _core(
        portfolio, month, name, tolerances, risk_iterations, seed, horizon_days, as_of, standard
    )
    as_of, flagged, summary_table = out["as_of"], out["flagged"], out["summary"]
    rated = summary_table[summary_table["overall_rag"].notna()]
    start = pd.Period(month, freq="M").to_timestamp()
    money = finance.summary(data.financials, data.projects, as_of)
    phased = evm.time_phased(data, as_of)
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
    previous = min(as_of, (pd.Period(month, freq="M") - 1).to_timestamp(how="end").normalize())
    out["compliance"] = scoring.scores(data, out["findings"], standard)
    out["compliance_portfolios"] = scoring.portfolio_scores(out["compliance"])
    out["findings_changes"] = scoring.changes_since(data, standard, as_of, previous, now=out["findings"])
    return out


__all__ = ["LISTED_STATES", "PORTFOLIO_COLUMNS", "build", "snapshot"]
