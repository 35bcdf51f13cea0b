"""The exercises' tasks, questions and per-learner data (seeded, so answers cannot be copied).

One module per exercise (``e01_standard`` ... ``e10_demand``); importing this package registers
every task and question with the checking machinery (:mod:`pmo_lib.exercises.core`), which never
imports the content. Every answer is computed from the same seed the learner's notebook uses,
with the library's own functions or a textbook formula, so a check can never disagree with what
the learner is taught. The learner notebooks import their data from here
(``from pmo_lib.exercises.content import evm_case``).
"""

from __future__ import annotations

from . import (  # noqa: F401  (each registers its exercise's tasks)
    e01_standard,
    e02_data,
    e03_status,
    e04_earned_value,
    e05_critical_path,
    e06_schedule_risk,
    e07_raid,
    e08_capacity,
    e09_capstone,
    e10_demand,
)
from .e02_data import broken_row, make_broken_copy
from .e03_status import status_case
from .e04_earned_value import evm_case
from .e05_critical_path import network_case
from .e06_schedule_risk import risk_case
from .e07_raid import raid_case
from .e08_capacity import capacity_week
from .e09_capstone import capstone_portfolio
from .e10_demand import demand_case, two_proposals

__all__ = [
    "broken_row",
    "capacity_week",
    "capstone_portfolio",
    "demand_case",
    "evm_case",
    "make_broken_copy",
    "network_case",
    "raid_case",
    "risk_case",
    "status_case",
    "two_proposals",
]
