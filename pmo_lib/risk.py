"""RAID analytics: risk scores, the heat map, expected monetary value, ageing, overdue reviews,
open issues by severity and age, and approved change impact.

Pure functions over the ``risks``, ``issues``, ``changes`` and ``projects``
tables of a :class:`~pmo_lib.data.Portfolio`; every one is vectorised over the
whole table.

References
----------
.. [1] Project Management Institute, *A Guide to the Project Management Body of
   Knowledge (PMBOK Guide)*, 6th ed., 2017, sec. 11.3.2.6 and fig. 11-5
   (probability and impact matrix; probability bands very low 1-10 %, low
   11-30 %, medium 31-50 %, high 51-70 %, very high over 70 %).
.. [2] PMBOK Guide, 6th ed., sec. 11.4.2.5 (expected monetary value:
   EMV = probability x impact).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd

from ._vector import like

#: A 1-5 probability score as a probability, the middle of each PMBOK band [1]_ (5: 85 %).
PROBABILITY_OF_SCORE = {1: 0.05, 2: 0.20, 3: 0.40, 4: 0.60, 5: 0.85}
#: Score bands of the default 5x5 matrix (score = probability x impact, 1-25): lower bounds.
BANDS = {"high": 15, "medium": 6, "low": 1}
AGE_BUCKETS = (0, 30, 90, 180)  # days: 0-30, 31-90, 91-180, over 180


def score(probability, impact, matrix: np.ndarray | None = None):
    """Risk score from 1-5 probability and impact scores [score].

    The default is the multiplicative 5x5 matrix, probability x impact (1-25) [1]_.
    ``matrix`` (5x5, rows = probability 1..5, columns = impact 1..5) replaces it,
    e.g. to weigh impact more than probability. Missing scores give ``NaN``.
    """
    p = np.atleast_1d(pd.Series(np.atleast_1d(probability), dtype="Float64").astype(float).to_numpy())
    i = np.atleast_1d(pd.Series(np.atleast_1d(impact), dtype="Float64").astype(float).to_numpy())
    ok = ~np.isnan(p) & ~np.isnan(i)
    if matrix is None:
        out = p * i
    else:
        table = np.asarray(matrix, dtype=float)
        if table.shape != (5, 5):
            raise ValueError(f"a risk matrix is 5x5 (probability x impact); this one is {table.shape}")
        out = np.full(p.shape, np.nan)
        out[ok] = table[p[ok].astype(int) - 1, i[ok].astype(int) - 1]
    return like(np.where(ok, out, np.nan), probability, impact)


def rating(scores, bands: dict[str, float] | None = None):
    """``"high"``, ``"medium"`` or ``"low"`` for each score, by the lower bounds in ``bands``.

    Defaults: high from 15, medium from 6, low below (of 25) - a common 5x5 split;
    a PMO sets its own in its standard.
    """
    bands = bands or BANDS
    values = np.asarray(scores, dtype=float)
    labels = np.full(values.shape, None, dtype=object)
    for name, low in sorted(bands.items(), key=lambda kv: kv[1]):
        labels[values >= low] = name
    return pd.Series(labels, index=scores.index if isinstance(scores, pd.Series) else None)


def expected_monetary_value(probability, cost_impact, probability_of_score: dict | None = None):
    """EMV = probability x cost impact [currency] [2]_, with the 1-5 score taken as a probability.

    ``probability_of_score`` maps each score to a probability (default:
    :data:`PROBABILITY_OF_SCORE`).
    """
    mapping = probability_of_score or PROBABILITY_OF_SCORE
    p = pd.Series(np.atleast_1d(probability)).map(mapping).astype(float).to_numpy()
    return like(p * np.asarray(cost_impact, dtype=float), probability, cost_impact)


def heat_map(risks: pd.DataFrame, *, status: str | None = "open") -> pd.DataFrame:
    """Counts of risks per probability (rows, 5 at the top) and impact (columns 1-5) [risks]."""
    frame = risks if status is None else risks[risks["status"].astype(str) == status]
    counts = pd.crosstab(
        pd.Categorical(frame["probability"].astype("Int64"), categories=range(1, 6)),
        pd.Categorical(frame["impact"].astype("Int64"), categories=range(1, 6)),
        dropna=False,
    )
    counts = counts.reindex(index=range(5, 0, -1), columns=range(1, 6), fill_value=0)
    counts.index.name, counts.columns.name = "probability", "impact"
    return counts


def exposure(risks: pd.DataFrame, **emv_options) -> pd.DataFrame:
    """The risks with their ``score``, ``rating`` and ``emv`` (expected monetary value) added."""
    out = risks.copy()
    out["score"] = score(out["probability"], out["impact"])
    out["rating"] = rating(out["score"]).to_numpy()
    out["emv"] = expected_monetary_value(out["probability"], out["cost_impact"], **emv_options)
    return out


def top_exposure(risks: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` open risks with the largest expected monetary value (then score)."""
    open_risks = exposure(risks[risks["status"].astype(str) == "open"])
    return open_risks.sort_values(["emv", "score", "risk_id"], ascending=[False, False, True]).head(n)


def _age_bucket(days: pd.Series) -> pd.Categorical:
    edges = [*AGE_BUCKETS, np.inf]
    labels = [f"{lo + (lo > 0)}-{hi} days" if np.isfinite(hi) else f"over {lo} days" for lo, hi in pairwise(edges)]
    return pd.cut(days, bins=[-np.inf, *edges[1:]], labels=labels)


def ageing(risks: pd.DataFrame, as_of) -> pd.DataFrame:
    """Open risks with their age on ``as_of`` [days] and age bucket."""
    as_of = pd.Timestamp(as_of)
    open_risks = risks[risks["status"].astype(str) == "open"].copy()
    open_risks["age_days"] = (as_of - open_risks["raised_on"]).dt.days
    open_risks["age"] = _age_bucket(open_risks["age_days"])
    return open_risks


def overdue_reviews(risks: pd.DataFrame, as_of) -> pd.DataFrame:
    """Open risks whose review date is before ``as_of``, most overdue first, with ``days_overdue``."""
    as_of = pd.Timestamp(as_of)
    late = risks[(risks["status"].astype(str) == "open") & (risks["review_by"] < as_of)].copy()
    late["days_overdue"] = (as_of - late["review_by"]).dt.days
    return late.sort_values(["days_overdue", "risk_id"], ascending=[False, True])


def open_issues_by_severity_and_age(issues: pd.DataFrame, as_of) -> pd.DataFrame:
    """Counts of open issues (not closed) by severity (rows) and age bucket (columns) [issues]."""
    as_of = pd.Timestamp(as_of)
    live = issues[issues["status"].astype(str) != "closed"]
    age = _age_bucket((as_of - live["raised_on"]).dt.days)
    severity = pd.Categorical(live["severity"].astype(str), categories=["critical", "high", "medium", "low"])
    return pd.crosstab(severity, age, dropna=False).rename_axis(index="severity", columns="age")


def approved_change_impact(changes: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Per project: approved change cost and delay, and the budget they imply [currency, working days].

    Columns: ``approved_changes``, ``approved_cost``, ``approved_delay_days``,
    ``budget`` (BAC), ``budget_with_changes`` and ``change_share`` (approved
    cost as a share of the budget).
    """
    approved = changes[changes["status"].astype(str) == "approved"]
    per_project = approved.groupby("project_id").agg(
        approved_changes=("change_id", "size"),
        approved_cost=("cost_impact", "sum"),
        approved_delay_days=("schedule_impact_days", "sum"),
    )
    out = (
        projects.set_index("project_id")[["budget"]]
        .join(per_project)
        .fillna({"approved_changes": 0, "approved_cost": 0.0, "approved_delay_days": 0.0})
    )
    out["approved_changes"] = out["approved_changes"].astype(int)
    out["budget_with_changes"] = out["budget"] + out["approved_cost"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_share"] = np.where(out["budget"] > 0, out["approved_cost"] / out["budget"], np.nan)
    return out.reset_index()
