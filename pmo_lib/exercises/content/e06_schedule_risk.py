"""Exercise 6: schedule risk (Monte Carlo)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from ..core import Question, Task, register


# --- 6. Schedule risk ------------------------------------------------------------------------------------


def risk_case(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A chain of three tasks with three-point estimates in working days (seeded)."""
    rng = np.random.default_rng(4000 + seed)
    low = rng.integers(3, 7, 3).astype(float)
    likely = low + rng.integers(1, 4, 3)
    high = likely + rng.integers(3, 10, 3)
    tasks = pd.DataFrame({"project_id": "X", "task_id": ["A", "B", "C"], "duration_days": likely,
                          "optimistic_days": low, "most_likely_days": likely, "pessimistic_days": high})  # fmt: skip
    deps = pd.DataFrame([("A", "B"), ("B", "C")], columns=["predecessor_id", "successor_id"])
    return tasks, deps.assign(project_id="X", type="FS", lag_days=0)


@cache
def _simulated(seed: int):
    from ...schedule_risk import simulate

    tasks, deps = risk_case(seed)
    return simulate(tasks, deps, iterations=10_000, distribution="pert", seed=seed)["finish"]["X"]


register(
    Task(
        "6.1",
        "The PERT mean duration of task A ((optimistic + 4 x most likely + pessimistic) / 6)?",
        lambda seed: float(
            (risk_case(seed)[0].loc[0, ["optimistic_days", "most_likely_days", "pessimistic_days"]] * [1, 4, 1]).sum()
            / 6
        ),
        "The PERT mean weighs the most likely value four times: long tails pull it above the most likely duration.",
        ["Weigh the most likely value four times, add the two extremes, divide by six."],
        [
            (
                lambda v, e, s: (
                    float(v)
                    == float(risk_case(s)[0].loc[0, ["optimistic_days", "most_likely_days", "pessimistic_days"]].mean())
                ),
                "That is the plain average of the three; PERT weighs the most likely value four times.",
            )
        ],
        tolerance=0.002,
        unit="working days",
    ),
    Task(
        "6.2",
        "The deterministic finish: the chain's duration with every task at its most likely duration?",
        lambda seed: float(risk_case(seed)[0]["most_likely_days"].sum()),
        "The single-point plan assumes every task goes as most likely: rarely true all at once.",
        ["A chain: add up the most likely durations."],
        tolerance=0.0,
        unit="working days",
    ),
    Task(
        "6.3",
        "The P80 finish from 10,000 PERT simulations with your seed (working days)?",
        lambda seed: float(np.percentile(_simulated(seed), 80)),
        "P80 is met in 80 % of outcomes: the usual commitment date for a sponsor, with the risk priced in.",
        [
            'Run `schedule_risk.simulate(tasks, deps, iterations=10_000, distribution="pert", seed=seed)` and take the 80th percentile of its finish.'
        ],
        [
            (
                lambda v, e, s: float(v) == float(np.percentile(_simulated(s), 50)),
                "That is the P50, the median; P80 is met in 80 % of outcomes.",
            )
        ],
        tolerance=0.0,
        unit="working days",
    ),
    Task(
        "6.4",
        "The chance of finishing by the deterministic finish (a share between 0 and 1)?",
        lambda seed: float((_simulated(seed) <= risk_case(seed)[0]["most_likely_days"].sum()).mean()),
        "The most-likely plan is usually met in well under half of the outcomes: that is why a P80 date is safer.",
        ["Count the simulated finishes at or before the deterministic finish, divided by the number of simulations."],
        [(lambda v, e, s: 1 < float(v) <= 100, "Give a share between 0 and 1, not a percentage.")],
        tolerance=0.01,
    ),
    Question(
        "6.q1",
        "The sponsor asks for one date to commit to the board. Which do you give?",
        ["The deterministic (most likely) finish", "The P50 finish", "The P80 finish"],
        2,
        [
            "The most likely finish is met in a minority of outcomes when tasks are uncertain: a promise you will probably break.",
            "P50 is a coin toss: half of the outcomes are later.",
            "Yes: P80 is met in 80 % of outcomes; say so, and say what P95 would be for a contractual date.",
        ],
    ),
)


