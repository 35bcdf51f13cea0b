"""Demand intake: proposals scored by the standard's weighted criteria, gated, and turned into a selection problem.

The score is a weighted scoring model [1]_ [2]_: each criterion *i* of a proposal is put on a
0-1 scale between the value that scores nothing (:math:`a_i`) and the value that scores full
marks (:math:`b_i`), and the weights :math:`w_i` (relative) combine them into a score out of 100:

.. math::

    s = 100 \\, \\frac{\\sum_i w_i \\, \\min(1, \\max(0, (x_i - a_i) / (b_i - a_i)))}{\\sum_i w_i}

(:math:`b_i < a_i` for a criterion where lower is better, such as delivery risk). A blank
criterion scores nothing and is named in ``missing``. The gates are the standard's eligibility
rules (a stage, a minimum score, ...); a mandatory proposal is eligible whatever the gates say.

The free capacity a proposal can use is what the people in ``resources`` can work in each
quarter less what the committed projects have booked (named bookings and open role demand), in
FTE of the quarter's working days, never below zero.

References
----------
.. [1] PMI, *The Standard for Portfolio Management*, 4th ed., 2017, section 4 (portfolio
   strategic management: weighted scoring of components against strategic criteria).
.. [2] N. P. Archer, F. Ghasemzadeh, "An integrated framework for project portfolio selection",
   *International Journal of Project Management* 17 (4), 1999, 207-216 (screening, then
   scoring, then optimal selection under resource constraints).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..errors import PMOError
from ..schemas import COST_YEARS
from .selection import Problem

QUARTERS_MAX = 12  # the longest proposal (duration_quarters is at most 12)


class DemandError(PMOError):
    """A selection that cannot be set up: no proposals, no budget for a year, a bad horizon."""


def score(proposals: pd.DataFrame, demand: dict) -> pd.DataFrame:
    """Every proposal's score out of 100 with its breakdown, its rank and whether the gates let it compete.

    ``demand`` is the standard's ``demand`` section (``Standard.demand``). Columns: ``proposal_id``,
    ``name``, ``portfolio``, ``stage``, ``mandatory``, ``score`` [0-100], one ``points_<criterion>``
    per criterion (its share of the score), ``missing`` (blank criteria), ``eligible``, ``gates``
    (the gates it fails, in words) and ``rank`` (1 = highest score; ties share a rank).
    """
    criteria = demand.get("criteria") or {}
    total = sum(float(c["weight"]) for c in criteria.values()) or 1.0
    out = proposals[["proposal_id", "name", "portfolio", "stage"]].reset_index(drop=True).copy()
    out["mandatory"] = proposals["mandatory"].fillna(False).astype(bool).to_numpy()
    points, missing = {}, pd.Series("", index=out.index)
    for name, spec in criteria.items():
        worst, best = map(float, spec["scale"])
        x = pd.to_numeric(proposals[name], errors="coerce").astype(float).to_numpy()
        share = np.clip((x - worst) / (best - worst), 0.0, 1.0)
        points[f"points_{name}"] = np.round(100 * float(spec["weight"]) / total * np.nan_to_num(share), 2) + 0.0
        blank = np.isnan(x)
        missing = missing.where(~blank, missing + np.where(missing == "", "", ", ") + name)
    out["score"] = np.round(np.sum(list(points.values()), axis=0), 1) if points else 0.0
    for key, value in points.items():
        out[key] = value
    out["missing"] = missing.to_numpy()
    failed = pd.Series("", index=out.index)
    for gate in demand.get("gates") or []:
        column = out["score"] if gate["column"] == "score" else proposals[gate["column"]].reset_index(drop=True)
        passes = pd.Series(True, index=out.index)
        if "in" in gate:
            passes &= column.astype(str).isin([str(v) for v in gate["in"]])
        if "min" in gate:
            passes &= pd.to_numeric(column, errors="coerce") >= float(gate["min"])
        if "max" in gate:
            passes &= pd.to_numeric(column, errors="coerce") <= float(gate["max"])
        words = f"{gate['id']}: {gate['statement']}"
        failed = failed.where(passes, failed + np.where(failed == "", "", "; ") + words)
    rejected = out["stage"].astype(str) == "rejected"
    out["eligible"] = ((failed == "") | out["mandatory"]) & ~rejected
    out["gates"] = np.where(rejected, "rejected at intake", failed)
    out["rank"] = out["score"].rank(method="min", ascending=False).astype(int)
    return out.sort_values(["rank", "proposal_id"], ignore_index=True)


def quarter_labels(start: pd.Timestamp, quarters: int) -> list[str]:
    """``2027 Q1``, ``2027 Q2``, ... for the quarters of the horizon."""
    return [f"{p.year} Q{p.quarter}" for p in pd.period_range(pd.Period(start, freq="Q"), periods=quarters)]


def first_quarter(day) -> pd.Timestamp:
    """The first day of the quarter after ``day`` (the horizon's start when none is given)."""
    return (pd.Period(pd.Timestamp(day), freq="Q") + 1).start_time


def free_capacity(portfolio, start, quarters: int, *, hours_per_day: float | None = None) -> pd.DataFrame:
    """People per role and quarter: capacity, committed to the projects, and free for new work [FTE].

    Columns ``role``, ``quarter`` (position from ``start``), ``label``, ``capacity_fte``,
    ``committed_fte``, ``free_fte`` (capacity less committed, at least 0). One FTE is a person
    working every working day of the quarter (the default calendar).
    """
    from .. import resources

    hours_per_day = hours_per_day or resources.HOURS_PER_DAY
    start = pd.Timestamp(start)
    end = (pd.Period(start, freq="Q") + quarters - 1).end_time.normalize()
    load = resources.load(portfolio, start, end, freq="M", hours_per_day=hours_per_day)
    roles, capacity, booked = load.by("role")
    month_q = ((load.grid.to_period("Q") - pd.Period(start, freq="Q")).map(lambda d: d.n)).to_numpy()
    open_roles = load.open_roles.rename("hours").reset_index()
    all_roles = np.union1d(roles, open_roles["role"].astype(str).unique()) if len(open_roles) else roles
    cap = np.zeros((all_roles.size, quarters))
    used = np.zeros((all_roles.size, quarters))
    at = np.searchsorted(all_roles, roles)
    for m in range(load.grid.size):  # a few dozen months: one column add each
        cap[at, month_q[m]] += capacity[:, m]
        used[at, month_q[m]] += booked[:, m]
    if len(open_roles):
        r = np.searchsorted(all_roles, open_roles["role"].astype(str).to_numpy())
        q = month_q[load.grid.get_indexer(pd.DatetimeIndex(open_roles["period"]))]
        np.add.at(used, (r, q), open_roles["hours"].to_numpy())
    cal = portfolio.calendars
    holidays = cal.loc[cal["calendar"] == "standard", "date"].to_numpy(dtype="datetime64[D]")
    edges = pd.period_range(pd.Period(start, freq="Q"), periods=quarters + 1).start_time.to_numpy(dtype="datetime64[D]")
    days = np.busday_count(edges[:-1], edges[1:], holidays=holidays)
    per_fte = hours_per_day * np.maximum(days, 1)
    frame = pd.DataFrame(
        {
            "role": np.repeat(all_roles, quarters),
            "quarter": np.tile(np.arange(quarters), all_roles.size),
            "label": np.tile(quarter_labels(start, quarters), all_roles.size),
            "capacity_fte": (cap / per_fte).ravel(),
            "committed_fte": (used / per_fte).ravel(),
        }
    )
    frame["free_fte"] = np.maximum(frame["capacity_fte"] - frame["committed_fte"], 0.0)
    return frame


@dataclass
class Intake:
    """What the selection works on: the scored proposals, the problem in arrays, and the words around it."""

    scores: pd.DataFrame  # every proposal (see :func:`score`)
    problem: Problem  # the eligible proposals that can start inside the horizon
    capacity: pd.DataFrame  # :func:`free_capacity`
    budget: pd.Series  # per budget year [currency]
    start: pd.Timestamp
    labels: list[str]
    objective: str
    left_out: pd.DataFrame  # proposal_id, reason: eligible proposals that cannot start inside the horizon
    proposals: pd.DataFrame  # the proposals table as loaded
    currency: str = ""


def _quarter_index(dates: pd.Series, start: pd.Timestamp, *, up: bool) -> np.ndarray:
    """Quarter position from ``start`` of each date; a date inside a quarter rounds up (earliest) or down (latest)."""
    period = pd.PeriodIndex(pd.DatetimeIndex(dates), freq="Q")
    n = np.asarray((period - pd.Period(start, freq="Q")).map(lambda d: d.n), dtype=int)
    if up:
        n = n + (pd.DatetimeIndex(dates) > period.start_time).astype(int)
    return n


def build(
    portfolio, demand: dict, *, start=None, horizon: int = 8, budget=None, objective: str | None = None
) -> Intake:
    """Score the proposals and set up the selection: ``horizon`` quarters from ``start``, the budget per year.

    ``start`` defaults to the quarter after the data date; ``budget`` (one number per year, or a
    mapping year -> amount) defaults to ``investment_budget``; ``objective`` (``"score"`` or
    ``"npv"``) to the standard's. Raises :class:`DemandError` naming what is missing.
    """
    from ..evm import data_date

    if not 1 <= int(horizon) <= 40:
        raise DemandError(f"horizon {horizon}: give 1 to 40 quarters")
    proposals = portfolio.proposals
    if proposals.empty:
        raise DemandError("no proposals: add proposals.csv (see the data dictionary) to choose from")
    start = (
        first_quarter(data_date(portfolio)) if start is None else pd.Period(pd.Timestamp(start), freq="Q").start_time
    )
    objective = objective or demand.get("objective", "score")
    labels = quarter_labels(start, horizon)
    years = np.array([int(label[:4]) for label in labels])
    year_list = np.unique(years)
    per_year = _budget(portfolio, year_list, budget)
    scored = score(proposals, demand)
    capacity = free_capacity(portfolio, start, horizon)

    rows = proposals.reset_index(drop=True)
    eligible = rows["proposal_id"].isin(scored.loc[scored["eligible"], "proposal_id"]).to_numpy()
    earliest = np.maximum(_quarter_index(rows["earliest_start"], start, up=True), 0)
    latest_date = rows["latest_start"].fillna(rows["earliest_start"])
    latest = np.minimum(np.maximum(_quarter_index(latest_date, start, up=False), earliest), horizon - 1)
    inside = earliest <= horizon - 1
    left_out = pd.DataFrame(
        {
            "proposal_id": rows.loc[eligible & ~inside, "proposal_id"],
            "reason": f"cannot start before the horizon ends ({labels[-1]})",
        }
    )
    keep = np.flatnonzero(eligible & inside)
    chosen = rows.take(keep).reset_index(drop=True)
    n = len(chosen)

    duration = chosen["duration_quarters"].astype(int).to_numpy()
    k = np.arange(QUARTERS_MAX)
    year_from_start = k // 4
    in_work = k[None, :] < duration[:, None]
    quarters_in_year = np.clip(duration[:, None] - 4 * year_from_start[None, :], 0, 4)
    yearly = chosen[[f"cost_year_{y + 1}" for y in range(COST_YEARS)]].fillna(0.0).to_numpy(float)
    cost = np.where(
        in_work, yearly[:, np.minimum(year_from_start, COST_YEARS - 1)] / np.maximum(quarters_in_year, 1), 0.0
    )

    roles = capacity["role"].unique().tolist()
    asked = portfolio.proposal_demand
    asked = asked[asked["proposal_id"].isin(chosen["proposal_id"])]
    roles += sorted(set(asked["role"].astype(str)) - set(roles))
    need = np.zeros((n, len(roles), QUARTERS_MAX))
    p = pd.Index(chosen["proposal_id"]).get_indexer(asked["proposal_id"])
    r = pd.Index(roles).get_indexer(asked["role"].astype(str))
    q = asked["quarter"].astype(int).to_numpy() - 1
    ok = q < QUARTERS_MAX
    np.add.at(need, (p[ok], r[ok], q[ok]), asked["fte"].to_numpy(float)[ok])
    free = np.zeros((len(roles), horizon))
    grid = capacity.set_index(["role", "quarter"])["free_fte"]
    known = pd.Index(roles).get_indexer(grid.index.get_level_values(0))
    free[known, grid.index.get_level_values(1).to_numpy()] = grid.to_numpy()

    value_of = (
        scored.set_index("proposal_id")["score"] if objective == "score" else rows.set_index("proposal_id")["npv"]
    )
    links = portfolio.proposal_links
    position = pd.Index(chosen["proposal_id"])

    def pairs(kind):
        part = links[links["link"].astype(str) == kind]
        a, b = position.get_indexer(part["proposal_id"]), position.get_indexer(part["other_id"])
        return np.column_stack([a, b])[(a >= 0) & (b >= 0)] if kind == "excludes" else np.column_stack([a, b])[a >= 0]

    requires = pairs("requires")
    problem = Problem(
        ids=chosen["proposal_id"].to_numpy(dtype=object),
        value=value_of.reindex(chosen["proposal_id"]).fillna(0.0).to_numpy(float),
        cost=cost,
        demand=need,
        capacity=free,
        budget=per_year.to_numpy(float),
        earliest=earliest[keep],
        latest=latest[keep],
        mandatory=chosen["mandatory"].fillna(False).astype(bool).to_numpy(),
        requires=requires[requires[:, 1] >= 0],
        excludes=pairs("excludes"),
        roles=tuple(roles),
        year_of=np.searchsorted(year_list, years),
        quarter_names=tuple(labels),
        year_names=tuple(map(str, year_list)),
    )
    # a proposal that requires one that cannot be chosen (not eligible, or outside the horizon) cannot be chosen either
    blocked = requires[requires[:, 1] < 0, 0]
    if blocked.size:
        problem = replace(problem, latest=np.where(np.isin(np.arange(n), blocked), -1, problem.latest))
        missing = links[(links["link"].astype(str) == "requires") & links["proposal_id"].isin(problem.ids[blocked])]
        left_out = pd.concat(
            [
                left_out,
                pd.DataFrame(
                    {
                        "proposal_id": missing["proposal_id"],
                        "reason": "requires " + missing["other_id"] + ", which cannot be chosen",
                    }
                ),
            ],
            ignore_index=True,
        )
    currency = proposals["currency"].dropna()
    return Intake(
        scored,
        problem,
        capacity,
        per_year,
        start,
        labels,
        objective,
        left_out,
        proposals,
        str(currency.iloc[0]) if len(currency) else "",
    )


def _budget(portfolio, years: np.ndarray, budget) -> pd.Series:
    """The budget of each year of the horizon: given, or from ``investment_budget``; a missing year is an error."""
    if budget is not None:
        if isinstance(budget, dict):
            given = pd.Series({int(y): float(v) for y, v in budget.items()})
        else:
            values = np.atleast_1d(np.asarray(budget, dtype=float))
            given = pd.Series(np.resize(values, years.size), index=years)
    else:
        table = portfolio.investment_budget
        given = pd.Series(table["budget"].to_numpy(float), index=table["year"].astype(int).to_numpy())
    missing = [int(y) for y in years if y not in given.index]
    if missing:
        raise DemandError(
            f"no budget for {', '.join(map(str, missing))}: add a row per year to investment_budget.csv, or give one"
        )
    if (given.reindex(years) < 0).any():
        raise DemandError("a budget is negative: give 0 or more for every year")
    return given.reindex(years).astype(float).rename_axis("year")
