"""The monthly report's tolerances and the computed RAG they give (the standard owns both).

The limits come from the standard file's ``tolerances:`` section
(:meth:`pmo_lib.standards.Standard.report_tolerances`); the monthly report
(:mod:`pmo_lib.reporting`) measures the indicators and calls :func:`rate`.

Computed RAG
------------
Each dimension is rated by rules on measured indicators; a rule gives amber
when its value is worse than the amber limit and red when worse than the red
limit, and a dimension takes the worst of its rules (red > amber > green).
A rule whose indicator cannot be measured yet (e.g. CPI before any cost)
does not rate. The overall RAG is the worst dimension, the usual PMO
convention that one red dimension makes the project red [1]_. Only active and
on-hold projects are rated; closed and cancelled ones have blank RAG.

Default tolerances (:class:`Tolerances`; a standard file may change each):

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
