"""Task networks: tasks ordered by phase, forward-pointing links of all four types, the forward pass."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .vocabulary import OBJECTS, PHASES

if TYPE_CHECKING:
    from .shape import Shape


def _network(rng, shape: Shape, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tasks ordered by phase, and links that always point forward (no loops)."""
    counts = rng.integers(shape.min_tasks, shape.max_tasks + 1, n)
    total = int(counts.sum())
    p = np.repeat(np.arange(n), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    j = np.arange(total) - first  # position within project
    size = counts[p]
    frac = j / np.maximum(size - 1, 1)
    bounds = np.cumsum([ph[1] for ph in PHASES])
    phase = np.minimum(np.searchsorted(bounds, frac, side="right"), len(PHASES) - 1)
    phase_start = np.zeros(total, dtype=np.int64)
    key = p * len(PHASES) + phase
    _, first_in = np.unique(key, return_index=True)
    starts = np.zeros(key.max() + 1, dtype=np.int64)
    starts[key[first_in]] = j[first_in]
    phase_start = starts[key]
    k = j - phase_start + 1
    roles_of = [ph[2] for ph in PHASES]
    role_idx = np.array([roles_of[ph][0] for ph in phase])
    alt = np.array([roles_of[ph][-1] for ph in phase])
    role_idx = np.where(rng.random(total) < 0.4, alt, role_idx)
    verbs = [ph[3] for ph in PHASES]
    verb = np.array(
        [verbs[ph][i % len(verbs[ph])] for ph, i in zip(phase, rng.integers(0, 12, total), strict=True)], dtype=object
    )
    obj = np.array(OBJECTS, dtype=object)[rng.integers(0, len(OBJECTS), total)]
    name = verb + " " + obj
    milestone = (j == 0) | (j == size - 1) | (rng.random(total) < 0.06)
    name = np.where(j == 0, "Project start", np.where(j == size - 1, "Project complete", name))
    name = np.where(
        milestone & (j > 0) & (j < size - 1), np.array([ph[0] for ph in PHASES], dtype=object)[phase] + " gate", name
    )
    dur = np.where(milestone, 0, rng.integers(3, 31, total))
    tasks = pd.DataFrame(
        {
            "p": p,
            "j": j,
            "task_id": np.char.add("T", np.char.zfill((j + 1).astype(str), 3)).astype(object),
            "name": name,
            "wbs": (phase + 1).astype(str).astype(object) + "." + k.astype(str),
            "dur": dur,
            "role_idx": role_idx,
            "fte": rng.choice([0.2, 0.4, 0.6, 0.8], size=total, p=[0.3, 0.4, 0.2, 0.1]),
            "people": 1 + rng.binomial(shape.max_people - 1, 0.2 if shape.max_people <= 2 else 0.5, total),
        }
    )
    # links: one from the last few tasks, sometimes a second from further back
    g = np.arange(total)
    has = j > 0
    back1 = 1 + np.floor(rng.random(total) * np.minimum(j, 4)).astype(np.int64)
    back2 = 1 + np.floor(rng.random(total) * np.minimum(j, 10)).astype(np.int64)
    back3 = 1 + np.floor(rng.random(total) * np.minimum(j, 8)).astype(np.int64)
    second = has & (rng.random(total) < 0.6) & (back2 != back1)
    third = has & (rng.random(total) < 0.4) & (back3 != back1) & (back3 != back2)
    last = j == size - 1
    pred = np.concatenate(
        [g[has] - back1[has], g[second] - back2[second], g[third] - back3[third], g[last] - 2, g[last] - 3]
    )
    succ = np.concatenate([g[has], g[second], g[third], g[last], g[last]])
    keep = (pred >= first[succ]) & (pred != succ)
    pred, succ = pred[keep], succ[keep]
    links = (
        pd.DataFrame({"pred": pred, "succ": succ})
        .drop_duplicates()
        .sort_values(["succ", "pred"])
        .reset_index(drop=True)
    )
    m = len(links)
    kind = rng.choice(np.array(["FS", "SS", "FF", "SF"]), size=m, p=[0.84, 0.08, 0.05, 0.03])
    r = rng.random(m)
    lag = np.where(r < 0.12, rng.integers(1, 6, m), np.where(r < 0.17, -rng.integers(1, 3, m), 0))
    lag = np.where(kind == "SF", 0, lag)
    links["type"] = kind
    links["lag"] = lag
    links["p"] = p[links["succ"].to_numpy()]
    return tasks, links


def _forward_pass(tasks: pd.DataFrame, links: pd.DataFrame) -> np.ndarray:
    """Early starts in working days from project start, all projects at once.

    Links always point from a lower to a higher position, so positions are
    processed in order; each step handles that position in every project.
    Constraint per link type (successor start S, duration d):
    FS: S >= F_pred + lag; SS: S >= S_pred + lag; FF: S >= F_pred + lag - d;
    SF: S >= S_pred + lag - d (PMBOK 7th ed., precedence diagramming).
    """
    dur = tasks["dur"].to_numpy()
    pos = tasks["j"].to_numpy()
    es = np.zeros(len(dur), dtype=np.int64)
    pred = links["pred"].to_numpy()
    succ = links["succ"].to_numpy()
    kind = links["type"].to_numpy()
    lag = links["lag"].to_numpy()
    from_finish = np.isin(kind, ["FS", "FF"])
    to_finish = np.isin(kind, ["FF", "SF"])
    order = np.argsort(pos[succ], kind="stable")
    bounds = np.searchsorted(pos[succ][order], np.arange(pos.max() + 2))
    for step in range(1, pos.max() + 1):
        e = order[bounds[step] : bounds[step + 1]]
        if e.size == 0:
            continue
        s = succ[e]
        base = es[pred[e]] + np.where(from_finish[e], dur[pred[e]], 0) + lag[e] - np.where(to_finish[e], dur[s], 0)
        np.maximum.at(es, s, np.maximum(base, 0))
    return es
