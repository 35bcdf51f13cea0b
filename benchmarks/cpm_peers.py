"""Peers for the critical-path benchmark: a plain-Python pass, and graph libraries' longest path.

The plain-Python pass is the full forward and backward pass (all four link types), task by
task, as one would write it without numpy. networkx and rustworkx only compute the longest
path (finish-to-start weights: predecessor duration + lag), which is less work than the full
pass PMO Lab does; their graphs are built before timing starts.
"""

from __future__ import annotations

from collections import defaultdict, deque

import pandas as pd


def plain_python_cpm(tasks: pd.DataFrame, deps: pd.DataFrame) -> dict:
    key = list(zip(tasks["project_id"], tasks["task_id"], strict=True))
    dur = dict(zip(key, tasks["duration_days"].astype(int), strict=True))
    out_links = defaultdict(list)
    indeg = dict.fromkeys(key, 0)
    for p, a, b, k, lag in deps[["project_id", "predecessor_id", "successor_id", "type", "lag_days"]].itertuples(
        index=False
    ):
        out_links[(p, a)].append(((p, b), k, int(lag)))
        indeg[(p, b)] += 1
    queue = deque(t for t in key if indeg[t] == 0)
    order = []
    while queue:
        t = queue.popleft()
        order.append(t)
        for s, _, _ in out_links[t]:
            indeg[s] -= 1
            if indeg[s] == 0:
                queue.append(s)
    es = dict.fromkeys(key, 0)
    for t in order:
        for s, k, lag in out_links[t]:
            base = es[t] + (dur[t] if k in ("FS", "FF") else 0) + lag - (dur[s] if k in ("FF", "SF") else 0)
            if base > es[s]:
                es[s] = base
    finish = defaultdict(int)
    for t in key:
        finish[t[0]] = max(finish[t[0]], es[t] + dur[t])
    lf = {t: finish[t[0]] for t in key}
    for t in reversed(order):
        for s, k, lag in out_links[t]:
            read = (lf[s] if k in ("FF", "SF") else lf[s] - dur[s]) - lag
            cand = read if k in ("FS", "FF") else read + dur[t]
            if cand < lf[t]:
                lf[t] = cand
    return {t: (es[t], lf[t] - dur[t] - es[t]) for t in key}


def graphs(tasks: pd.DataFrame, deps: pd.DataFrame):
    """The portfolio as one weighted DAG for networkx and for rustworkx (built once, not timed)."""
    import networkx as nx
    import rustworkx as rx

    ids = {t: i for i, t in enumerate(zip(tasks["project_id"], tasks["task_id"], strict=True))}
    dur = tasks["duration_days"].astype(int).to_numpy()
    edges = [
        (ids[(p, a)], ids[(p, b)], max(0, int(dur[ids[(p, a)]] + lag)))  # rustworkx needs weights >= 0
        for p, a, b, lag in deps[["project_id", "predecessor_id", "successor_id", "lag_days"]].itertuples(index=False)
    ]
    g_nx = nx.DiGraph()
    g_nx.add_nodes_from(range(len(ids)))
    g_nx.add_weighted_edges_from(edges)
    g_rx = rx.PyDiGraph()
    g_rx.add_nodes_from(range(len(ids)))
    g_rx.add_edges_from(edges)
    return g_nx, g_rx


def networkx_longest(g) -> int:
    import networkx as nx

    return nx.dag_longest_path_length(g)


def rustworkx_longest(g) -> int:
    import rustworkx as rx

    return rx.dag_longest_path_length(g, weight_fn=lambda source, target, weight: weight)


def deep_network(n: int = 100_000, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One project of ``n`` tasks in a long chain with short skip links of every type: thousands of levels."""
    import numpy as np

    rng = np.random.default_rng(seed)
    ids = np.char.add("T", np.arange(n).astype(str)).astype(object)
    tasks = pd.DataFrame({"project_id": "DEEP", "task_id": ids, "duration_days": rng.integers(0, 6, n)})
    chain = np.arange(n - 1)
    skip_from = rng.integers(0, n - 10, n // 2)
    skip_to = skip_from + rng.integers(2, 10, n // 2)
    pred = np.concatenate([chain, skip_from])
    succ = np.concatenate([chain + 1, skip_to])
    links = pd.DataFrame({"pred": pred, "succ": succ}).drop_duplicates()
    m = len(links)
    deps = pd.DataFrame(
        {
            "project_id": "DEEP",
            "predecessor_id": ids[links["pred"].to_numpy()],
            "successor_id": ids[links["succ"].to_numpy()],
            "type": rng.choice(["FS", "SS", "FF", "SF"], m, p=[0.7, 0.1, 0.1, 0.1]),
            "lag_days": rng.integers(-1, 3, m),
        }
    )
    return tasks, deps


def rustworkx_from_tables(tasks: pd.DataFrame, deps: pd.DataFrame) -> int:
    """rustworkx's longest path starting from the same tables PMO Lab starts from: ids joined
    with pandas (vectorised), the edge list handed over, then the longest path."""
    import numpy as np
    import rustworkx as rx

    keys = pd.MultiIndex.from_arrays([tasks["project_id"], tasks["task_id"]])
    pred = keys.get_indexer(pd.MultiIndex.from_arrays([deps["project_id"], deps["predecessor_id"]]))
    succ = keys.get_indexer(pd.MultiIndex.from_arrays([deps["project_id"], deps["successor_id"]]))
    weight = np.maximum(tasks["duration_days"].to_numpy()[pred] + deps["lag_days"].fillna(0).to_numpy(), 0).astype(int)
    graph = rx.PyDiGraph()
    graph.add_nodes_from(range(len(tasks)))
    graph.extend_from_weighted_edge_list(list(zip(pred.tolist(), succ.tolist(), weight.tolist(), strict=True)))
    return rx.dag_longest_path_length(graph, weight_fn=lambda source, target, weight: weight)
