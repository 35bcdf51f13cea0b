"""The task network in integer form: compiled once, scheduled as often as needed.

Before a forward pass can run, the 400k links of a large portfolio must be
joined onto its 200k tasks by their text ids, every task needs its
topological level, and the links must be laid out level by level. None of
that depends on durations, lags or progress. :func:`compile_network` does it
once and returns a :class:`Network`; :func:`pmo_lib.schedule.critical_path`
compiles one itself unless it is handed one, so a caller that schedules the
same tasks and links again (new durations, another status date, the risk
forecast beside the plan) pays for the join only once, the way a graph is
built once in networkx or rustworkx and then asked for paths.

A network describes its tables as they were: durations, lags and progress
columns may change afterwards, the task and link rows may not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa

from ._vector import encode, positions
from .errors import PMOError
from .graph import by_level, topological_levels

LINK_TYPES = ("FS", "SS", "FF", "SF")


class ScheduleError(PMOError):
    """The network cannot be scheduled (a loop, or a link to a task that does not exist)."""


@dataclass(frozen=True, eq=False)
class Layout:
    """The links in the order one pass visits them: by level, then by row.

    ``bounds[k]:bounds[k + 1]`` are the links of the k-th level visited, so
    each step of a pass reads contiguous slices. A link's constant in a pass
    is lag + d(plus) - d(minus) (forward) or d(plus) - d(minus) - lag
    (backward), read from durations padded with one zero at ``n`` so that no
    link type needs a branch.
    """

    order: np.ndarray  # link rows in visiting order
    pred: np.ndarray
    succ: np.ndarray
    plus: np.ndarray  # the task whose duration the link's constant adds (n if none)
    minus: np.ndarray  # the task whose duration it subtracts (n if none)
    bounds: np.ndarray


@dataclass(frozen=True, eq=False)
class Network:
    """Tasks as nodes 0..n-1 (their row order), links as integer arrays, levels and pass layouts."""

    pred: np.ndarray  # row of each link's predecessor task, in the order of the links table
    succ: np.ndarray
    kind: np.ndarray  # 0 FS, 1 SS, 2 FF, 3 SF
    project_codes: np.ndarray  # per task
    task_codes: np.ndarray  # per task: its id's position in task_values
    task_values: pa.Array  # the distinct task ids
    level: np.ndarray  # per task: 0 without predecessors, else one more than its deepest predecessor

    @cached_property
    def forward(self) -> Layout:
        """ES(s) >= ES(p) + lag + [d(p) if from finish] - [d(s) if to finish], by the successor's level."""
        n, from_finish, to_finish = self.n_tasks, self._from_finish, self._to_finish
        plus, minus = np.where(from_finish, self.pred, n), np.where(to_finish, self.succ, n)
        return _layout(self.pred, self.succ, plus, minus, self.level[self.succ])

    @cached_property
    def backward(self) -> Layout:
        """LF(p) <= LF(s) + [d(p) if from start] - [d(s) if to start] - lag, by the predecessor's level, deepest first."""
        n, from_finish, to_finish = self.n_tasks, self._from_finish, self._to_finish
        plus, minus = np.where(from_finish, n, self.pred), np.where(to_finish, n, self.succ)
        depth = int(self.level.max(initial=0))
        return _layout(self.pred, self.succ, plus, minus, depth - self.level[self.pred])

    @property
    def _from_finish(self) -> np.ndarray:
        return (self.kind == 0) | (self.kind == 2)  # FS, FF read the predecessor's finish

    @property
    def _to_finish(self) -> np.ndarray:
        return self.kind >= 2  # FF, SF constrain the successor's finish

    @property
    def n_tasks(self) -> int:
        return self.level.size

    @property
    def n_links(self) -> int:
        return self.pred.size

    def matches(self, tasks: pd.DataFrame, dependencies: pd.DataFrame) -> None:
        """Refuse tables that cannot be the ones this network was compiled from."""
        if len(tasks) != self.n_tasks or len(dependencies) != self.n_links:
            raise ValueError(
                f"this network was compiled from {self.n_tasks} task(s) and {self.n_links} link(s), "
                f"not {len(tasks)} and {len(dependencies)}; compile it again from these tables"
            )


def _links(tasks: pd.DataFrame, dependencies: pd.DataFrame):
    """Integer node ids per task and link arrays; clear errors for duplicate or unknown tasks.

    Codes, not strings: project and task ids are dictionary-encoded once and a
    task is the pair (project code, task code), so joining 400k links onto 200k
    tasks is integer work.
    """
    project_codes, projects = encode(tasks["project_id"])
    task_codes, task_values = encode(tasks["task_id"])
    width = len(task_values) + 1
    keys = project_codes * width + task_codes
    dep_project = positions(dependencies["project_id"], projects)
    pred_key = dep_project * width + positions(dependencies["predecessor_id"], task_values)
    succ_key = dep_project * width + positions(dependencies["successor_id"], task_values)
    n = keys.size
    blank = n and min(project_codes.min(), task_codes.min()) < 0
    if not blank and len(projects) * width <= 4 * n + 1024:  # ids repeat across projects (T001, ...): a direct table
        row = np.full(len(projects) * width, -1, dtype=np.int64)
        row[keys] = np.arange(n)
        unique = bool((row[keys] == np.arange(n)).all())

        def lookup(key):  # a key is negative, or a task code that does not exist, when not found
            return np.where(key >= 0, row[np.maximum(key, 0)], -1)
    else:  # ids unique across the portfolio: a hash table
        nodes = pd.Index(keys)
        unique = nodes.is_unique
        lookup = nodes.get_indexer
    if not unique:
        dup = tasks.loc[pd.Index(keys).duplicated(), ["project_id", "task_id"]].astype(str).agg(" / ".join, axis=1)
        raise ScheduleError(f"the same task appears twice: {', '.join(dup.tolist()[:5])}")
    pred, succ = lookup(pred_key), lookup(succ_key)
    unknown = (pred < 0) | (succ < 0)
    if unknown.any():
        bad = dependencies[unknown]
        listed = ", ".join(
            f"{p}: {a} → {b}"
            for p, a, b in bad[["project_id", "predecessor_id", "successor_id"]].head(5).itertuples(index=False)
        )
        raise ScheduleError(f"{int(unknown.sum())} link(s) refer to tasks that do not exist ({listed})")
    types = dependencies["type"]
    if isinstance(types.dtype, pd.CategoricalDtype):  # as loaded: map the few categories, not every row
        known = positions(pd.Series(types.cat.categories, dtype="str"), pa.array(["", *LINK_TYPES]))
        kind = np.append(known, 0)[types.cat.codes.to_numpy()] - 1  # code -1 (blank) reads the appended 0
    else:
        kind = positions(types, pa.array(["", *LINK_TYPES])) - 1  # -1 blank, 0 FS, 1 SS, 2 FF, 3 SF
    wrong = (kind < -1) & types.notna().to_numpy()
    if wrong.any():
        found = sorted(set(types[wrong].astype(str)))
        raise ScheduleError(f"unknown link type(s) {found}; use one of {', '.join(LINK_TYPES)}")
    kind = np.maximum(kind, 0).astype(np.int8)  # blank is FS
    return pred.astype(np.int64), succ.astype(np.int64), kind, project_codes, (task_codes, task_values)


def levels(pred: np.ndarray, succ: np.ndarray, n: int, names) -> np.ndarray:
    """Topological level of every node; a loop is a ScheduleError naming its tasks (``names(rows)``)."""
    level = topological_levels(pred, succ, n)
    if (level < 0).any():
        stuck = names(np.flatnonzero(level < 0)[:10])
        raise ScheduleError(f"dependency loop: these tasks wait on each other in a circle: {', '.join(stuck)}")
    return level


def _layout(pred, succ, plus, minus, key) -> Layout:
    """Links by ``key`` (a level), then by row."""
    order = by_level(key)
    return Layout(
        order=order,
        pred=pred[order],
        succ=succ[order],
        plus=plus[order],
        minus=minus[order],
        bounds=np.searchsorted(key[order], np.arange(int(key.max(initial=0)) + 2)),
    )


def compile_network(tasks: pd.DataFrame, dependencies: pd.DataFrame) -> Network:
    """Join the links onto the tasks, find every task's level and lay out both passes.

    Parameters
    ----------
    tasks
        ``project_id``, ``task_id`` (one row per task; rows are the nodes, in order).
    dependencies
        ``project_id``, ``predecessor_id``, ``successor_id``, ``type``
        (FS/SS/FF/SF; blank is FS).

    Raises
    ------
    ScheduleError
        For a task listed twice, a link to an unknown task, an unknown link
        type, or a dependency loop (naming its tasks).

    Examples
    --------
    >>> tasks = pd.DataFrame({"project_id": "P", "task_id": ["A", "B", "C"]})
    >>> links = pd.DataFrame({"project_id": "P", "predecessor_id": ["A", "B"], "successor_id": ["B", "C"],
    ...                       "type": ["FS", "SS"]})
    >>> compile_network(tasks, links).level.tolist()
    [0, 1, 2]
    """
    network = nodes_and_links(tasks, dependencies)
    _ = network.forward, network.backward  # laid out now: every call after this runs only the passes
    return network


def nodes_and_links(tasks: pd.DataFrame, dependencies: pd.DataFrame) -> Network:
    """The network without its pass layouts (they are laid out when first used)."""
    pred, succ, kind, project_codes, (task_codes, task_values) = _links(tasks, dependencies)
    n = len(tasks)

    def names(rows):
        return (tasks["project_id"].astype(str).iloc[rows] + " / " + tasks["task_id"].astype(str).iloc[rows]).tolist()

    level = levels(pred, succ, n, names) if n else np.zeros(0, dtype=np.int64)
    return Network(
        pred=pred,
        succ=succ,
        kind=kind,
        project_codes=project_codes,
        task_codes=task_codes,
        task_values=task_values,
        level=level,
    )
