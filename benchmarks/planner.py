"""What-if planner and resource planning speed: ``python benchmarks/planner.py [--quick]`` (also part of ``make bench``).

Cases:
- a planner callback on the sample (a slider moves: the scenario is rebuilt,
  recomputed and the four HTML outputs redrawn), against the same scenario
  by a full recomputation (:func:`pmo_lib.scenarios.measures` after
  :func:`~pmo_lib.scenarios.apply`), and against the 0.1 s human limit;
- the same with levelling against role capacity switched on;
- capacity, utilisation, over-allocation, role gaps of the 2,000-project
  dataset (1,500 people x 104 weeks) against the 1 s target;
- the planner's recompute and the portfolio levelling on the 2,000-project
  dataset (reported, no target).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from harness import Result, compare, print_results, quick_option  # noqa: E402

from pmo_lib import data, load_sample  # noqa: E402
from pmo_lib import resources as res  # noqa: E402
from pmo_lib import scenarios as sc  # noqa: E402

LARGE_DIR = HERE / "data" / "large"


def _slider_moves(ui, values):
    """Move the shift slider through ``values``; each move is one callback (recompute + redraw)."""

    def run():
        for v in values:
            ui.shift.value = v

    return run


def sample_cases(repeat: int) -> list[Result]:
    from pmo_lib import widgets

    sample = load_sample()
    ui = widgets.planner(sample, folder=HERE / "data" / "scenarios")
    ui.project.value = "P001"
    moves = [1, 2, 3, 4, 0]
    run = _slider_moves(ui, moves)
    last = sc.Scenario("later", [{"kind": "shift_project", "project_id": "P001", "days": 28}])

    def full():
        for _ in moves:
            sc.measures(sc.apply(sample, last), ui.engine.start, ui.engine.end)

    results = [compare("planner callback, sample (5 moves)", run, full, "full recomputation x5", repeat=repeat)]
    ui.timings.clear()
    for _ in range(repeat):
        run()
    per = [t["compute_ms"] + t["render_ms"] for t in ui.timings]
    compute = statistics.median(t["compute_ms"] for t in ui.timings)
    render = statistics.median(t["render_ms"] for t in ui.timings)
    print(f"planner callback on the sample: median {statistics.median(per):.1f} ms "
          f"(compute {compute:.1f} ms, redraw {render:.1f} ms), worst {max(per):.1f} ms over {len(per)} moves")  # fmt: skip
    results.append(Result("planner callback, sample", statistics.median(per) / 1e3, 0.1, "the 0.1 s limit", 1.0))
    ui.levelling.value = True
    ui.timings.clear()
    for _ in range(repeat):
        run()
    per = [t["compute_ms"] + t["render_ms"] for t in ui.timings]
    print(f"planner callback with levelling: median {statistics.median(per):.1f} ms, worst {max(per):.1f} ms")
    results.append(Result("planner callback + levelling, sample", statistics.median(per) / 1e3, 0.1, "the 0.1 s limit", 1.0))  # fmt: skip
    return results


def large_cases(repeat: int) -> list[Result]:
    from pmo_lib.leveling import level
    from pmo_lib.planner import Planner

    if not LARGE_DIR.exists():
        print("benchmarks/data/large is missing: run benchmarks/run.py once to generate it")
        return []
    portfolio = data.load_portfolio(LARGE_DIR)
    start, end = "2026-11-02", "2028-10-29"  # 104 weeks
    weeks = res.periods(start, end).size
    print(f"2,000-project dataset: {len(portfolio.resources):,} people, {len(portfolio.assignments):,} bookings, {weeks} weeks")  # fmt: skip
    results = []
    for name, fn in (
        ("capacity", lambda: res.capacity(portfolio, start, end)),
        ("utilisation by team", lambda: res.utilisation(portfolio, start, end)),
        ("over-allocation", lambda: res.over_allocated(portfolio, start, end)),
        ("role gaps", lambda: res.role_gaps(portfolio, start, end)),
    ):
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        results.append(Result(f"{name}, 1,500 x 104 weeks", statistics.median(times), 1.0, "the 1 s target", 1.0))
    planner = Planner(portfolio)
    project = portfolio.projects.loc[portfolio.projects["status"] == "active", "project_id"].iloc[0]
    shift = sc.Scenario("later", [{"kind": "shift_project", "project_id": project, "days": 14}])
    times = []
    for _ in range(max(2, repeat // 2)):
        t = time.perf_counter()
        planner.evaluate(shift)
        times.append(time.perf_counter() - t)
    print(f"planner recompute, 2,000 projects (26 weeks): {statistics.median(times):.2f} s")
    t = time.perf_counter()
    plan = level(portfolio)
    seconds = time.perf_counter() - t
    print(f"levelling 2,000 projects: {len(plan.tasks):,} unfinished tasks in {seconds:.1f} s, "
          f"{int((plan.projects['delay_days'] > 0).sum())} projects delayed")  # fmt: skip
    return results


def main() -> int:
    quick, repeat = quick_option(__doc__, full=7)
    results = sample_cases(repeat)
    if not quick:
        results += large_cases(repeat)
    return print_results(results)


if __name__ == "__main__":
    raise SystemExit(main())
