"""How big a generated dataset is: the sample, and the enterprise-size benchmark shape."""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import AS_OF


@dataclass(frozen=True)
class Shape:
    """How big a generated dataset is."""

    projects: int = 24
    resources: int = 60
    min_tasks: int = 15
    max_tasks: int = 60
    seed: int = 20261031
    as_of: str = AS_OF
    max_people: int = 2  # people booked on one task
    start_window: tuple[int, int] = (240, 540)  # project starts, days after 2025-05-05
    proposals: int = 40  # demand intake: proposals waiting for a decision


SAMPLE = Shape()
LARGE = Shape(
    projects=2000,
    resources=1500,
    min_tasks=60,
    max_tasks=140,
    seed=7,
    max_people=16,
    start_window=(0, 420),
    proposals=1000,
)
