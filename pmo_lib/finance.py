"""Finance: budget, actual and forecast by month and by project, programme, portfolio or category.

Pure functions over the ``financials`` table (one row per project, month and
cost category) and the ``projects`` table. Money is in the projects' currency
(one currency per portfolio is assumed when rolling up); months are the first
day of the month.

The forecast at completion of a project is what it has spent to date plus
what it forecasts for the months after the as-of month:
FAC = sum(actual, month <= as-of) + sum(forecast, month > as-of).
The run rate is the mean actual of the last ``run_months`` months up to the
as-of month; months of budget left = (budget - actual to date) / run rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._vector import ratio

LEVELS = ("project_id", "programme", "portfolio", "category")


def _with_levels(financials: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    levels = projects[["project_id", "programme", "portfolio"]].astype({"programme": "str", "portfolio": "str"})
    return financials.merge(levels, on="project_id", how="left")


def _check_level(by: str) -> None:
    if by not in LEVELS:
        raise ValueError(f"unknown level {by!r}; choose one of: {', '.join(LEVELS)}")


def monthly(financials: pd.DataFrame, projects: pd.DataFrame, by: str = "portfolio") -> pd.DataFrame:
    """Budget, actual and forecast per month at one level, with cumulative columns [currency].

    Columns: ``<by>``, ``month``, ``budget``, ``actual``, ``forecast`` and
    ``budget_cum``, ``actual_cum`` (cumulative burn), ``forecast_cum``. Months
    without actuals (the future) have a blank ``actual`` and ``actual_cum``.
    """
    _check_level(by)
    rows = _with_levels(financials, projects)
    table = (
        rows.groupby([by, "month"], observed=True)
        .agg(budget=("budget", "sum"), actual=("actual", lambda s: s.sum(min_count=1)), forecast=("forecast", "sum"))
        .reset_index()
        .sort_values([by, "month"])
    )
    grouped = table.groupby(by, observed=True)
    table["budget_cum"] = grouped["budget"].cumsum()
    table["forecast_cum"] = grouped["forecast"].cumsum()
    table["actual_cum"] = grouped["actual"].cumsum().where(table["actual"].notna())
    return table.reset_index(drop=True)


def summary(
    financials: pd.DataFrame, projects: pd.DataFrame, as_of, by: str = "project_id", run_months: int = 3
) -> pd.DataFrame:
    """Forecast at completion against budget, variance, run rate and months of budget left.

    Parameters
    ----------
    financials, projects
        The portfolio's tables.
    as_of
        Status date; its month is the last month of actuals [date].
    by
        ``"project_id"``, ``"programme"``, ``"portfolio"`` or ``"category"``.
    run_months
        Months of actuals averaged for the run rate [months].

    Returns
    -------
    DataFrame
        One row per ``by`` value: ``budget`` (phased budget, all months),
        ``actual_to_date``, ``forecast_remaining``, ``forecast_at_completion``,
        ``variance`` (FAC - budget; positive is an overspend), ``variance_pct``
        (of budget), ``run_rate`` (per month), ``months_left`` [currency,
        currency per month, months]. With no spend in the run-rate window,
        ``months_left`` is blank (not infinite).
    """
    _check_level(by)
    month = pd.Timestamp(as_of).to_period("M").to_timestamp()
    rows = _with_levels(financials, projects)
    past = rows["month"] <= month
    recent = past & (rows["month"] > month - pd.DateOffset(months=run_months))
    parts = pd.DataFrame(
        {
            by: rows[by],
            "budget": rows["budget"],
            "actual_to_date": rows["actual"].where(past, 0.0).fillna(0.0),
            "forecast_remaining": rows["forecast"].where(~past, 0.0).fillna(0.0),
            "recent_actual": rows["actual"].where(recent, 0.0).fillna(0.0),
        }
    )
    out = parts.groupby(by, observed=True).sum()
    out["forecast_at_completion"] = out["actual_to_date"] + out["forecast_remaining"]
    out["variance"] = out["forecast_at_completion"] - out["budget"]
    out["variance_pct"] = ratio(out["variance"], out["budget"])
    out["run_rate"] = out.pop("recent_actual") / run_months
    left = (out["budget"] - out["actual_to_date"]).clip(lower=0)
    out["months_left"] = ratio(left, out["run_rate"])
    columns = ["budget", "actual_to_date", "forecast_remaining", "forecast_at_completion", "variance"]
    columns += ["variance_pct", "run_rate", "months_left"]
    return out[columns].reset_index()


def burn_against_bac(financials: pd.DataFrame, projects: pd.DataFrame, as_of) -> pd.DataFrame:
    """Per project: the approved budget (BAC), spent to date and the share of BAC spent [currency, ratio]."""
    spent = summary(financials, projects, as_of)[["project_id", "actual_to_date", "forecast_at_completion"]]
    out = projects[["project_id", "budget"]].rename(columns={"budget": "bac"}).merge(spent, on="project_id", how="left")
    out[["actual_to_date", "forecast_at_completion"]] = out[["actual_to_date", "forecast_at_completion"]].fillna(0.0)
    out["spent_share"] = ratio(out["actual_to_date"], out["bac"])
    out["fac_over_bac"] = np.where(out["bac"] > 0, out["forecast_at_completion"] - out["bac"], np.nan)
    return out
