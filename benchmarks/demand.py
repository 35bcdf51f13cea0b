"""Portfolio selection at enterprise size: HiGHS (the library's solver) against OR-Tools CP-SAT and greedy, one run.

``python benchmarks/demand.py [--proposals 1000] [--limit 60]``: a seeded intake of proposals x 12
quarters x 25 roles, each proposal with a start window of up to three quarters and a budget of
about 45 % of what all would spend, on two kinds of capacity:

- ``bottlenecks``: five roles scarce (free capacity 30 % of what all proposals would need), the
  other twenty at 100 %, the way a PMO's shortage usually looks;
- ``every role tight``: all 25 roles at 40 %, a multidimensional knapsack with 300 binding rows.

The same model goes to HiGHS (``demand.solve``: to a proven optimum, and to a 0.1 % gap) and to
CP-SAT (costs in thousands, FTE in hundredths, both rounded up so its answers keep the real
limits); the greedy ratio rule is the floor. All within ``--limit`` seconds each.

Measured on 2 cores (2026-12-03, ``--limit 60``): bottlenecks: HiGHS proven optimum in 10.5 s,
within 0.03 % in 1.1 s, CP-SAT 1.5 % lower after 60 s, greedy 89.5 %; every role tight: no proof
in 60 s (gap 0.5-0.6 %; a 1 % gap takes about 22 s), CP-SAT 1.6 % lower, greedy 81.8 %. Random multidimensional knapsacks of this size are not proved optimal by any solver in
seconds: several of the OR-Library instances with 500 items and 30 constraints (Chu & Beasley,
1998) are still open.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np

from pmo_lib.demand import Problem, greedy, solve


def intake(n: int, quarters: int = 12, roles: int = 25, seed: int = 16) -> Problem:
    rng = np.random.default_rng(seed)
    k = 8
    duration = rng.integers(2, k + 1, n)
    live = np.arange(k)[None, :] < duration[:, None]
    cost = np.round(rng.uniform(50, 400, (n, 1)) * live, 0) * 1000.0
    demand = np.zeros((n, roles, k))
    for p in range(n):  # set-up only: 2-4 roles per proposal
        who = rng.choice(roles, size=rng.integers(2, 5), replace=False)
        demand[p, who] = np.round(rng.choice([0.5, 1.0, 1.5, 2.0], size=(who.size, 1)) * live[p], 2)
    earliest = rng.integers(0, quarters - 2, n)
    latest = np.minimum(earliest + rng.integers(0, 3, n), quarters - 1)
    value = np.round(cost.sum(axis=1) / 1000 * rng.lognormal(0, 0.5, n), 1)
    per_quarter = cost.sum() / quarters
    return Problem(
        ids=np.array([f"D{i:04d}" for i in range(n)], dtype=object),
        value=value,
        cost=cost,
        demand=demand,
        capacity=np.full((roles, quarters), 0.4 * demand.sum() / roles / quarters),
        budget=np.full(quarters // 4, 0.45 * per_quarter * 4),
        earliest=earliest,
        latest=latest,
        mandatory=np.zeros(n, bool),
        requires=np.column_stack([np.arange(1, n // 25 * 2, 2), np.arange(0, n // 25 * 2 - 1, 2)]),
        excludes=np.column_stack([np.arange(n // 25 * 2, n // 25 * 3), np.arange(n // 25 * 3, n // 25 * 4)]),
    )


def cp_sat(problem: Problem, limit: float) -> tuple[float, str, float]:
    from ortools.sat.python import cp_model

    clock = time.perf_counter()
    model = cp_model.CpModel()
    x = {}
    for p in range(len(problem.ids)):
        starts = range(problem.earliest[p], problem.latest[p] + 1)
        x[p] = {s: model.new_bool_var(f"x{p}_{s}") for s in starts}
        model.add(sum(x[p].values()) <= 1)
    money = [[] for _ in problem.budget]
    people = {}
    for p, options in x.items():
        for s, var in options.items():
            spend, need = problem.load(p, s)
            for y in np.flatnonzero(spend):
                money[y].append(int(np.ceil(spend[y] / 1000)) * var)
            for r, q in zip(*np.nonzero(need), strict=True):
                people.setdefault((r, q), []).append(int(np.ceil(need[r, q] * 100)) * var)
    for y, terms in enumerate(money):
        model.add(sum(terms) <= int(problem.budget[y] // 1000))
    for (r, q), terms in people.items():
        model.add(sum(terms) <= int(problem.capacity[r, q] * 100))
    for a, b in problem.requires:
        model.add(sum(x[a].values()) <= sum(x[b].values()))
    for a, b in problem.excludes:
        model.add(sum(x[a].values()) + sum(x[b].values()) <= 1)
    model.maximize(sum(round(float(problem.value[p]) * 10) * v for p, o in x.items() for v in o.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    return solver.objective_value / 10, solver.status_name(status), time.perf_counter() - clock


def bottlenecks(problem: Problem, scarce: int = 5) -> Problem:
    """The same intake with ``scarce`` roles at 30 % of what all proposals would need and the rest at 100 %."""
    roles = problem.capacity.shape[0]
    share = np.r_[np.full(scarce, 0.3), np.full(roles - scarce, 1.0)]
    per_role = problem.demand.sum() / roles / problem.quarters
    return replace(problem, capacity=share[:, None] * per_role * np.ones(problem.capacity.shape))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--limit", type=float, default=60.0)
    args = parser.parse_args()
    tight = intake(args.proposals)
    print(f"{args.proposals} proposals x 12 quarters x 25 roles, start windows of 1-3 quarters, limit {args.limit:g} s")
    for label, problem in (("bottlenecks", bottlenecks(tight)), ("every role tight", tight)):
        best = solve(problem, time_limit=args.limit)
        near = solve(problem, time_limit=args.limit, gap=1e-3)
        quick = greedy(problem)
        peer = cp_sat(problem, args.limit)
        print(f"{label}:", flush=True)
        print(f"  HiGHS         value {best.value:10.1f}  {best.status:<10} gap {best.gap:6.2%}  {best.seconds:6.1f} s")
        print(f"  HiGHS to 0.1% value {near.value:10.1f}  {near.status:<10} gap {near.gap:6.2%}  {near.seconds:6.1f} s")
        print(f"  CP-SAT        value {peer[0]:10.1f}  {peer[1]:<10}             {peer[2]:6.1f} s")
        print(
            f"  greedy        value {quick.value:10.1f}  ({quick.value / best.value:.1%} of HiGHS)   {quick.seconds:6.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
