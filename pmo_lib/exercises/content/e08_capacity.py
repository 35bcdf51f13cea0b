"""Exercise 8: resource capacity and a what-if."""

from __future__ import annotations

from functools import cache

import pandas as pd

from ..core import Task, register
from .shared import sample_portfolio


# --- 8. Resource capacity and a what-if -------------------------------------------------------------------

WEEKS = ["2026-11-02", "2026-12-07", "2026-12-21", "2027-01-04", "2026-11-23"]  # each with a different person at its worst


def capacity_week(seed: int) -> str:
    return WEEKS[seed % len(WEEKS)]


@cache
def _worst(seed: int) -> pd.Series:
    from ...resources import over_allocated

    week = capacity_week(seed)
    table = over_allocated(sample_portfolio(), week, week)
    table = table[table["capacity_hours"] > 0]  # people at work that week, booked beyond their hours
    return table.sort_values(["over_hours", "resource_id"], ascending=[False, True]).iloc[0]


def _fixes(seed: int):
    """A test of a learner's scenario: the person is within capacity that week, and no project is cancelled."""

    def test(scenario) -> bool:
        from ...resources import over_allocated
        from ...scenarios import Scenario, apply

        if not isinstance(scenario, Scenario) or any(c.get("kind") == "cancel_project" for c in scenario.changes):
            return False
        week = capacity_week(seed)
        after = over_allocated(apply(sample_portfolio(), scenario), week, week)
        return _worst(seed)["resource_id"] not in set(after["resource_id"])

    return test


register(
    Task(
        "8.1",
        "Who (resource id) is booked furthest beyond their available hours in your week?",
        lambda seed: str(_worst(seed)["resource_id"]),
        "Over-allocation is found per person and week: team totals hide it, because others are under-used.",
        [
            "`resources.over_allocated(portfolio, week, week)` lists everyone booked beyond their hours that week.",
            "Sort by over_hours, largest first; leave out anyone with no capacity that week (on leave).",
        ],
        kind="text",
    ),
    Task(
        "8.2",
        "By how many hours is that person over their capacity that week?",
        lambda seed: float(_worst(seed)["over_hours"]),
        "Hours over is what has to move: to someone else, to a later week, or off the plan.",
        ["Demand hours minus capacity hours, for that person and week."],
        [
            (
                lambda v, e, s: float(v) == float(_worst(s)["demand_hours"]),
                "That is all their booked hours; subtract what they can work.",
            )
        ],
        tolerance=0.001,
        unit="hours",
    ),
    Task(
        "8.3",
        "Propose a scenario (a `scenarios.Scenario`) that brings that person within capacity that week without cancelling a project.",
        _fixes,
        "A what-if answers in minutes what a resource meeting argues about for an hour: compare it with the baseline before you propose it.",
        [
            "Look at the person's bookings that week (`portfolio.assignments`): which could be smaller, later or someone else's?",
            '`Scenario("my fix", [{"kind": "change_booking", "assignment_id": "A...", "fte": 0.2}])` changes one booking\'s FTE; `shift_project` moves a whole project.',
        ],
        [
            (
                lambda v, e, s: not hasattr(v, "changes"),
                "Give a `scenarios.Scenario(name, [changes])`, not a number or text.",
            ),
            (
                lambda v, e, s: any(c.get("kind") == "cancel_project" for c in v.changes),
                "Cancelling a project is not a fix the sponsor will accept; move or share the work.",
            ),
        ],
        kind="judge",
    ),
)


