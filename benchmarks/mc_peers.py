"""Monte Carlo schedule-risk peers: one 1,000-task network for PMO Lab, pmcontrols.pert and trueppm-scheduler."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd


def network(n: int = 1_000, seed: int = 3):
    """A random finish-to-start network: each task waits on 1-2 of the 30 tasks before it;
    whole-day three-point estimates (optimistic 2-5, most likely +0-3, pessimistic +1-7)."""
    rng = np.random.default_rng(seed)
    ids = [f"T{i:04d}" for i in range(n)]
    a = rng.integers(2, 6, n).astype(float)
    m = a + rng.integers(0, 4, n)
    b = m + rng.integers(1, 8, n)
    preds = [[]] + [sorted(set(rng.integers(max(0, i - 30), i, rng.integers(1, 3)).tolist())) for i in range(1, n)]
    tasks = pd.DataFrame(
        {"project_id": "P", "task_id": ids, "duration_days": m, "optimistic_days": a, "most_likely_days": m,
         "pessimistic_days": b}
    )  # fmt: skip
    links = [(ids[p], ids[i]) for i in range(n) for p in preds[i]]
    deps = pd.DataFrame(links, columns=["predecessor_id", "successor_id"]).assign(project_id="P", type="FS", lag_days=0)
    return tasks, deps, preds


def pmcontrols_activities(tasks: pd.DataFrame, preds) -> list[dict]:
    ids = tasks["task_id"].tolist()
    a, m, b = (tasks[c].tolist() for c in ("optimistic_days", "most_likely_days", "pessimistic_days"))
    return [
        {"id": ids[i], "a": a[i], "m": m[i], "b": b[i], "predecessors": [ids[p] for p in preds[i]]}
        for i in range(len(ids))
    ]


def trueppm_project(tasks: pd.DataFrame, preds):
    import trueppm_scheduler as tp

    ids = tasks["task_id"].tolist()
    a, m, b = (tasks[c].astype(int).tolist() for c in ("optimistic_days", "most_likely_days", "pessimistic_days"))
    work = [
        tp.Task(id=ids[i], name=ids[i], duration=timedelta(days=a[i]), optimistic_duration=timedelta(days=a[i]),
                most_likely_duration=timedelta(days=m[i]), pessimistic_duration=timedelta(days=b[i]))
        for i in range(len(ids))
    ]  # fmt: skip
    links = [tp.Dependency(predecessor_id=ids[p], successor_id=ids[i]) for i in range(len(ids)) for p in preds[i]]
    every_day = tp.Calendar(working_days=0b1111111)  # 7-day week: working days are calendar days
    return tp.Project(id="P", name="P", start_date=date(2027, 1, 4), tasks=work, dependencies=links, calendar=every_day)
