"""Demand intake: proposals that compete for the organisation's people and a stated yearly budget."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .common import _ids
from .vocabulary import HOURS_PER_DAY, PORTFOLIOS, PROPOSAL_WORDS, ROLE_RATE, ROLE_SHARE, ROLES

if TYPE_CHECKING:
    from .shape import Shape

DAYS_PER_QUARTER = 63  # working days in a quarter, for the labour cost of a proposal's demand


def _proposals(shape: Shape, people: np.ndarray) -> dict[str, pd.DataFrame]:
    """``proposals``, ``proposal_demand``, ``proposal_links`` and ``investment_budget`` of a generated dataset.

    A stream of its own (seeded from the shape's seed), so the other tables do not change when
    the intake does. Proposals start from the first quarter after the as-of date; about half the
    eligible ones fit the budget, so the selection has something to decide.
    """
    rng = np.random.default_rng([shape.seed, 16])
    n = shape.proposals
    if n == 0:
        return _empty()
    first = pd.Timestamp(shape.as_of).to_period("Q").end_time.normalize() + pd.Timedelta(days=1)
    pid = _ids("D", n)
    a, b = PROPOSAL_WORDS
    name = np.array([f"{a[i % len(a)]} {b[(i * 5 + i // len(a)) % len(b)]}" for i in range(n)], dtype=object)
    name = np.where(
        np.arange(n) >= len(a) * len(b), name + " " + (np.arange(n) // (len(a) * len(b)) + 1).astype(str), name
    )
    start_q = rng.integers(0, 6, n)
    window = np.where(rng.random(n) < 0.6, rng.integers(1, 4, n), 0)
    quarter_starts = pd.date_range(first, periods=12, freq="QS")
    earliest = quarter_starts[start_q]
    latest = pd.DatetimeIndex(np.where(window > 0, quarter_starts[np.minimum(start_q + window, 11)], pd.NaT))
    duration = rng.integers(2, 7, n)
    stage = rng.choice(["idea", "business_case", "approved", "rejected"], size=n, p=[0.15, 0.6, 0.15, 0.1])
    mandatory = np.zeros(n, dtype=bool)
    mandatory[rng.choice(n, size=max(1, n // 13), replace=False)] = True
    stage = np.where(mandatory, "approved", stage)

    # people: 2-4 roles each, a ramp up and down over the quarters of the work
    roles_each = rng.integers(2, 5, n)
    p = np.repeat(np.arange(n), roles_each)
    role = np.concatenate([rng.choice(ROLES.size, size=k, replace=False, p=ROLE_SHARE) for k in roles_each])
    size = rng.choice([0.5, 1.0, 1.5, 2.0, 3.0], size=p.size, p=[0.25, 0.35, 0.2, 0.12, 0.08])
    q = np.repeat(np.arange(p.size), duration[p])
    offset = np.arange(q.size) - np.repeat(np.cumsum(duration[p]) - duration[p], duration[p])
    ramp = np.where((offset == 0) | (offset == duration[p][q] - 1), 0.5, 1.0)
    fte = np.round(size[q] * ramp * 2) / 2
    keep = fte > 0
    demand = pd.DataFrame({"proposal_id": pid[p[q]], "role": ROLES[role[q]], "quarter": offset + 1, "fte": fte})[keep]

    # money: the labour of that demand plus bought-in costs, phased by year from the start
    labour = np.zeros((n, 12))
    np.add.at(
        labour, (p[q][keep], offset[keep]), fte[keep] * ROLE_RATE[role[q][keep]] * HOURS_PER_DAY * DAYS_PER_QUARTER
    )
    total = labour * (1.0 + rng.uniform(0.1, 0.6, n))[:, None]
    yearly = np.round(total.reshape(n, 3, 4).sum(axis=2), -3)
    benefit = total.sum(axis=1) * rng.lognormal(0.35, 0.45, n)
    npv = np.round(benefit - total.sum(axis=1), -3)
    fit = np.clip(np.round(2.5 + npv / np.abs(npv).max() * 2 + rng.normal(0, 1, n)), 1, 5).astype(int)
    proposals = pd.DataFrame(
        {
            "proposal_id": pid,
            "name": name,
            "portfolio": np.array(PORTFOLIOS, dtype=object)[np.arange(n) % len(PORTFOLIOS)],
            "sponsor": people[rng.integers(0, people.size, n)],
            "submitted_on": pd.Timestamp(shape.as_of) - pd.to_timedelta(rng.integers(5, 300, n), unit="D"),
            "stage": stage,
            "earliest_start": earliest,
            "latest_start": latest,
            "duration_quarters": duration,
            **{f"cost_year_{y + 1}": yearly[:, y] for y in range(3)},
            "npv": npv,
            "strategic_fit": fit,
            "customer_impact": rng.integers(1, 6, n),
            "urgency": np.where(mandatory, 5, rng.integers(1, 6, n)),
            "delivery_risk": rng.integers(1, 6, n),
            "mandatory": mandatory,
            "currency": "GBP",
        }
    )

    # links: a later proposal requires an earlier one; a few pairs exclude each other (no loops)
    later = rng.choice(np.arange(1, n), size=min(n - 1, max(1, n // 8)), replace=False)
    earlier = (rng.random(later.size) * later).astype(int)
    pairs = rng.choice(n, size=(max(1, n // 13), 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    links = pd.DataFrame(
        {
            "proposal_id": np.concatenate([pid[later], pid[pairs[:, 0]]]),
            "link": ["requires"] * later.size + ["excludes"] * len(pairs),
            "other_id": np.concatenate([pid[earlier], pid[pairs[:, 1]]]),
        }
    ).drop_duplicates(["proposal_id", "other_id"])
    links = links[
        ~links.set_index(["proposal_id", "other_id"]).index.isin(links.set_index(["other_id", "proposal_id"]).index)
    ]

    # the budget: about half of what the eligible proposals would spend if all started at once
    eligible = np.isin(stage, ["business_case", "approved"])
    spend = np.zeros(24)
    np.add.at(spend, start_q[eligible, None] + np.arange(12), total[eligible])
    yearly_envelope = np.round(spend[:8].reshape(2, 4).sum(axis=1).mean() * 0.45, -5)  # the same each year
    budget = pd.DataFrame({"year": first.year + np.arange(3), "budget": yearly_envelope, "currency": "GBP"})
    return {"proposals": proposals, "proposal_demand": demand, "proposal_links": links, "investment_budget": budget}


def _empty() -> dict[str, pd.DataFrame]:
    from ..data import empty_table

    return {name: empty_table(name) for name in ("proposals", "proposal_demand", "proposal_links", "investment_budget")}
