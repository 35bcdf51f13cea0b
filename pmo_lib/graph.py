"""Directed networks as integer arrays: topological levels for every node at once."""

from __future__ import annotations

import numpy as np

NARROW_AFTER = 100  # levels done with numpy before a narrow network is finished node by node
NARROW = 64  # a level with fewer nodes than this is narrow


def topological_levels(pred: np.ndarray, succ: np.ndarray, n: int) -> np.ndarray:
    """Level of every node: 0 without predecessors, else one more than its deepest predecessor.

    Kahn's algorithm, one numpy step per level for all nodes of that level (all
    projects at once): links are held in CSR form (sorted by predecessor), so a
    step touches only the links leaving the current frontier. Nodes on a loop,
    or after one, never reach in-degree zero and get level -1.

    A numpy step costs about as much as plain Python spends on 50 nodes, so a
    deep, narrow network (a chain of thousands of levels) is finished node by
    node once it is past ``NARROW_AFTER`` levels and a level has fewer than
    ``NARROW`` nodes: 100,000 levels take 0.03 s instead of 0.85 s.

    Examples
    --------
    >>> topological_levels(np.array([0, 0, 1]), np.array([1, 2, 2]), 4).tolist()
    [0, 1, 2, 0]
    >>> topological_levels(np.array([0, 1]), np.array([1, 0]), 2).tolist()
    [-1, -1]
    """
    pred = np.asarray(pred, dtype=np.int64)
    succ = np.asarray(succ, dtype=np.int64)
    order = np.argsort(pred)  # the order of a node's own links does not matter: the unstable sort is 5x faster
    succ_sorted = succ[order]
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(pred, minlength=n), out=starts[1:])
    indeg = np.bincount(succ, minlength=n)
    slot = np.empty(n, dtype=np.int64)  # scratch: where a ready node was last listed
    level = np.full(n, -1, dtype=np.int64)
    frontier = np.flatnonzero(indeg == 0)
    depth = 0
    while frontier.size:
        if depth >= NARROW_AFTER and frontier.size < NARROW:
            return _levels_node_by_node(level, indeg, frontier, depth, starts, succ_sorted)
        level[frontier] = depth
        counts = starts[frontier + 1] - starts[frontier]
        total = int(counts.sum())
        if total == 0:
            break
        offsets = np.repeat(starts[frontier] - np.cumsum(counts) + counts, counts) + np.arange(total)
        targets = succ_sorted[offsets]
        np.subtract.at(indeg, targets, 1)  # touches only the links of this level
        ready = targets[indeg[targets] == 0]
        indeg[ready] = -1  # taken
        if ready.size > 1:  # a node with two links from this frontier is listed twice: keep its last listing
            slot[ready] = np.arange(ready.size)
            ready = ready[slot[ready] == np.arange(ready.size)]
        frontier = ready
        depth += 1
    return level


def _levels_node_by_node(level, indeg, frontier, depth, starts, succ_sorted) -> np.ndarray:
    """The rest of Kahn's algorithm in plain Python, from ``frontier`` at ``depth``."""
    level = level.tolist()
    indeg, starts, succ_sorted = indeg.tolist(), starts.tolist(), succ_sorted.tolist()
    current = frontier.tolist()
    while current:
        ready = []
        for node in current:
            level[node] = depth
            for target in succ_sorted[starts[node] : starts[node + 1]]:
                indeg[target] -= 1
                if indeg[target] == 0:  # once per node: no node is listed twice
                    ready.append(target)
        current = ready
        depth += 1
    return np.asarray(level, dtype=np.int64)


def by_level(keys: np.ndarray) -> np.ndarray:
    """Stable order of items by their level: a radix sort on 16-bit keys when levels allow (6x faster).

    >>> by_level(np.array([2, 0, 1, 0])).tolist()
    [1, 3, 2, 0]
    """
    keys = np.asarray(keys)
    if keys.size and keys.min() >= np.iinfo(np.int16).min and keys.max() <= np.iinfo(np.int16).max:
        keys = keys.astype(np.int16)
    return np.argsort(keys, kind="stable")
