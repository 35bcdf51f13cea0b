"""Levelling quality on the PSPLIB instances (``../shared/psplib``), against plain serial SGS + LFT in the same run.

``python benchmarks/psplib.py --set j30 --schedules 1000 [--limit N] [--exact SECONDS]``: j30 as
the average deviation from the proven optimum, j120 from the critical-path lower bound, with the
schedules generated and the time per instance. ``--exact`` then hands each instance, with the
heuristic's plan as the hint, to OR-Tools CP-SAT for at most that many seconds and counts the plans
proved optimal.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pmo_lib import leveling as lv  # noqa: E402

PSPLIB = HERE.parent.parent / "shared" / "psplib"


def optima() -> dict[str, int]:
    out = {}
    for line in (PSPLIB / "bounds" / "j30opt.sm").read_text(encoding="latin-1").splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].isdigit() and parts[1].isdigit():
            out[f"j30{parts[0]}_{parts[1]}"] = int(parts[2])
    return out


def instances(name: str, limit: int | None) -> list[Path]:
    files = sorted((PSPLIB / name).glob("*.sm"), key=lambda p: [int(x) for x in re.findall(r"\d+", p.stem)[1:]] or [0])
    if limit:
        step = max(1, len(files) // limit)
        files = files[::step][:limit]
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", default="j30", choices=["j30", "j120"])
    parser.add_argument("--schedules", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=None, help="an evenly spread subset of this many instances")
    parser.add_argument("--exact", type=float, default=None, help="CP-SAT time limit per instance [s]")
    args = parser.parse_args()
    best = optima() if args.set == "j30" else {}
    rows = []
    for path in instances(args.set, args.limit):
        problem = lv.read_psplib(path)
        bound = best.get(path.stem) or problem.early_late()[2]
        plain = int(lv.makespan(problem, lv.serial_sgs(problem, lv.priorities(problem, "lft")[None, :]))[0])
        start = time.perf_counter()
        result = lv.solve(problem, schedules=args.schedules, seed=1)
        seconds = time.perf_counter() - start
        assert lv.feasible(problem, result["start"]), path.name
        row = [path.stem, bound, plain, result["makespan"], result["schedules"], seconds]
        if args.exact:
            solved = lv.exact(problem, time_limit=args.exact, hint=result["start"])
            assert lv.feasible(problem, solved["start"]), path.name
            row += [solved["makespan"], solved["optimal"], solved["seconds"]]
        rows.append(tuple(row))
    bounds = np.array([r[1] for r in rows], dtype=float)
    plain = np.array([r[2] for r in rows], dtype=float)
    ours = np.array([r[3] for r in rows], dtype=float)
    what = "optimum" if args.set == "j30" else "critical-path lower bound"
    print(f"{args.set}: {len(rows)} instances, deviation from the {what}")
    print(f"  serial SGS + LFT, one pass:              {100 * np.mean(plain / bounds - 1):6.2f} %")
    print(f"  sampling + justification, {args.schedules:>5} schedules: {100 * np.mean(ours / bounds - 1):6.2f} %  "
          f"({np.mean([r[5] for r in rows]):.2f} s per instance, {np.mean([r[4] for r in rows]):.0f} schedules)")  # fmt: skip
    if args.set == "j30":
        print(f"  optimum found: {int((ours == bounds).sum())} of {len(rows)}")
    if args.exact:
        exact = np.array([r[6] for r in rows], dtype=float)
        proved = np.array([r[7] for r in rows])
        secs = np.array([r[8] for r in rows])
        print(f"  exact (CP-SAT, {args.exact:g} s limit, heuristic as hint): {100 * np.mean(exact / bounds - 1):6.2f} %, "
              f"proved optimal {int(proved.sum())} of {len(rows)} ({100 * proved.mean():.1f} %), "
              f"{secs.mean():.2f} s per instance on average, {np.median(secs):.2f} s median, {secs.max():.1f} s max")  # fmt: skip
        both = secs + np.array([r[5] for r in rows])
        print(f"  heuristic then CP-SAT, per instance: {both.mean():.2f} s on average, {both.max():.2f} s max")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
