"""A tiny benchmark harness: time a case and its floor in the same run, report the ratio.

Each case and its baseline run alternately ``repeat`` times in this process,
so both see the same machine state; the figure that matters is the ratio of
the medians (case / baseline), not the absolute time.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    case: float  # median seconds
    baseline: float  # median seconds
    baseline_name: str
    target: float | None = None  # the ratio the case must stay under

    @property
    def ratio(self) -> float:
        return self.case / self.baseline if self.baseline else float("inf")

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "ok" if self.ratio <= self.target else "OVER TARGET"


def timed(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare(
    name: str,
    case: Callable[[], object],
    baseline: Callable[[], object],
    baseline_name: str,
    *,
    repeat: int = 5,
    warmup: int = 1,
    target: float | None = None,
) -> Result:
    """Median time of ``case`` and ``baseline``, interleaved, after ``warmup`` runs of each."""
    for _ in range(warmup):
        case()
        baseline()
    case_times, base_times = [], []
    for _ in range(repeat):
        base_times.append(timed(baseline))
        case_times.append(timed(case))
    return Result(name, statistics.median(case_times), statistics.median(base_times), baseline_name, target)


def table(results: list[Result]) -> str:
    lines = [f"{'case':<38}{'median s':>10}  {'floor / peer':<34}{'median s':>10}{'ratio':>8}  target"]
    for r in results:
        target = f"<= {r.target:g}x {r.verdict}" if r.target else ""
        lines.append(f"{r.name:<38}{r.case:>10.3f}  {r.baseline_name:<34}{r.baseline:>10.3f}{r.ratio:>7.2f}x  {target}")
    return "\n".join(lines)


def quick_option(description: str | None, full: int) -> tuple[bool, int]:
    """Parse ``--quick`` (fewer repeats, the sample only); returns it and the repeats to run (3 or ``full``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, the sample only")
    quick = parser.parse_args().quick
    return quick, 3 if quick else full


def print_results(results: list[Result]) -> int:
    """Print the table; the exit code is 1 when a case is over its target."""
    print(table(results))
    return 0 if all(r.verdict != "OVER TARGET" for r in results) else 1
