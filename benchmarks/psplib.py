"""Levelling quality on the PSPLIB instances (``../shared/psplib``): the table the literature prints.

``python benchmarks/psplib.py [--sets j30 j120] [--budgets 1000 5000 50000] [--seeds 1 2 3] [--jobs 2]
[--exact SECONDS]``: for each set and budget of generated schedules, the average deviation of our
genetic search (seed-averaged) from the proven optimum (j30) or the critical-path lower bound
(j120), beside the plain serial SGS with LFT (one pass) and the best known solutions, with the time
per instance. Every instance of each set, never a subset. ``--exact`` then hands each j120 instance,
with the heuristic's 5,000-schedule plan as the hint, to OR-Tools CP-SAT for at most that many
seconds: how many are proved optimal and the average gap to the best known.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pmo_lib import leveling as lv  # noqa: E402

PSPLIB = HERE.parent.parent / "shared" / "psplib"


def _column(file: str, prefix: str) -> dict[str, int]:
    """The third column of a bounds file (parameter, instance, makespan), keyed by instance name."""
    out = {}
    for line in (PSPLIB / "bounds" / file).read_text(encoding="latin-1").splitlines():
        parts = line.split()
        if len(parts) >= 3 and all(p.isdigit() for p in parts[:3]):
            out[f"{prefix}{parts[0]}_{parts[1]}"] = int(parts[2])
    return out


def best_known(which: str) -> dict[str, int]:
    """The optimum (j30) or the best known makespan (j120: the smaller of the heuristic list and the UB column)."""
    if which == "j30":
        return _column("j30opt.sm", "j30")
    known = _column("j120hrs.sm", "j120")
    for key, upper in _column("j120lb.sm", "j120").items():
        known[key] = min(known.get(key, upper), upper)
    return known


def instances(name: str) -> list[Path]:
    return sorted((PSPLIB / name).glob("*.sm"), key=lambda p: [int(x) for x in re.findall(r"\d+", p.stem)[1:]])


def _one(job):
    path, budgets, seeds = job
    problem = lv.read_psplib(path)
    plain = int(lv.makespan(problem, lv.serial_sgs(problem, lv.priorities(problem, "lft")[None, :]))[0])
    out = {"name": path.stem, "cp": problem.early_late()[2], "plain": plain, "runs": {}}
    for budget in budgets:
        for seed in seeds:
            started = time.perf_counter()
            result = lv.solve(problem, schedules=budget, seed=seed)
            seconds = time.perf_counter() - started
            assert lv.feasible(problem, result["start"]), path.name
            out["runs"][budget, seed] = (result["makespan"], result["schedules"], seconds, result["start"])
    return out


def _exact(job):
    path, hint, limit = job
    problem = lv.read_psplib(path)
    solved = lv.exact(problem, time_limit=limit, hint=hint, workers=1)
    assert lv.feasible(problem, solved["start"]), path.name
    return path.stem, solved["makespan"], solved["optimal"], solved["bound"], solved["seconds"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", nargs="+", default=["j30", "j120"], choices=["j30", "j120"])
    parser.add_argument("--budgets", nargs="+", type=int, default=[1000, 5000, 50000])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--jobs", type=int, default=2, help="instances solved side by side (one core each)")
    parser.add_argument("--exact", type=float, default=None, help="CP-SAT time limit per j120 instance [s]")
    args = parser.parse_args()
    lv.solve(lv.read_psplib(instances("j30")[0]), schedules=50)  # compile the search once, outside the timings
    print(f"PSPLIB, every instance, seeds {', '.join(map(str, args.seeds))} averaged, {args.jobs} at a time\n")
    print("| set | schedules | ours | per instance | plain serial SGS + LFT | best known | optimum found |")
    print("|---|---|---|---|---|---|---|")
    keep = {}
    for name in args.sets:
        paths = instances(name)
        known = best_known(name)
        with Pool(args.jobs) as pool:
            rows = pool.map(_one, [(p, args.budgets, args.seeds) for p in paths], chunksize=4)
        keep[name] = rows
        base = np.array([known[r["name"]] if name == "j30" else r["cp"] for r in rows], dtype=float)
        best = np.array([known.get(r["name"], r["cp"]) for r in rows], dtype=float)
        plain = np.array([r["plain"] for r in rows], dtype=float)
        for budget in args.budgets:
            spans = np.array([[r["runs"][budget, s][0] for s in args.seeds] for r in rows], dtype=float)
            secs = np.array([[r["runs"][budget, s][2] for s in args.seeds] for r in rows])
            per_seed = 100 * (spans / base[:, None] - 1).mean(axis=0)
            found = f"{(spans == best[:, None]).sum(axis=0).mean():.0f} of {len(rows)}" if name == "j30" else "-"
            print(f"| {name} | {budget:,} | **{per_seed.mean():.2f} %** (seeds: {', '.join(f'{x:.2f}' for x in per_seed)}) "
                  f"| {secs.mean():.3f} s (max {secs.max():.2f}) | {100 * np.mean(plain / base - 1):.2f} % "
                  f"| {100 * np.mean(best / base - 1):.2f} % | {found} |")  # fmt: skip
    what = "j30 against the proven optimum, j120 against the critical-path lower bound"
    print(f"\n({what}; schedules counted as the literature does, each forward-backward pass included)")
    if args.exact and "j120" in keep:
        rows = keep["j120"]
        budget = 5000 if 5000 in args.budgets else args.budgets[-1]
        jobs = [(PSPLIB / "j120" / f"{r['name']}.sm", r["runs"][budget, args.seeds[0]][3], args.exact) for r in rows]
        with Pool(args.jobs) as pool:
            solved = pool.map(_exact, jobs, chunksize=2)
        known = best_known("j120")
        cp = np.array([r["cp"] for r in rows], dtype=float)
        heur = np.array([r["runs"][budget, args.seeds[0]][0] for r in rows], dtype=float)
        spans = np.array([s[1] for s in solved], dtype=float)
        best = np.array([known.get(r["name"], r["cp"]) for r in rows], dtype=float)
        proved = np.array([s[2] for s in solved])
        secs = np.array([s[4] for s in solved])
        print(
            f"\nj120 exact mode (CP-SAT, {args.exact:g} s per instance, one worker, the {budget:,}-schedule plan as hint):"
        )
        print(f"  proved optimal: {int(proved.sum())} of {len(rows)}; deviation from the critical-path bound "
              f"{100 * np.mean(spans / cp - 1):.2f} % (heuristic {100 * np.mean(heur / cp - 1):.2f} %, "
              f"best known {100 * np.mean(best / cp - 1):.2f} %)")  # fmt: skip
        print(f"  average gap to the best known: {100 * np.mean(spans / best - 1):.2f} % "
              f"(heuristic {100 * np.mean(heur / best - 1):.2f} %); matched or beat the best known on "
              f"{int((spans <= best).sum())}; {secs.mean():.1f} s per instance on average")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
