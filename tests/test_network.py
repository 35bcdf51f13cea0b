"""pmo_lib.network and pmo_lib.graph: a network compiled once gives the same schedule as the
tables; levels agree between the numpy and the node-by-node paths; bad networks are named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_schedule import network, random_networks

import pmo_lib as pmo
from pmo_lib import graph
from pmo_lib.network import compile_network
from pmo_lib.schedule import ScheduleError, critical_path


def test_a_compiled_network_answers_what_if_durations_like_the_tables():
    sample = pmo.load_sample()
    tasks, deps = sample.tasks, sample.dependencies
    compiled = compile_network(tasks, deps)
    pd.testing.assert_frame_equal(critical_path(tasks, deps, compiled), critical_path(tasks, deps))
    # what if every task took 50 % longer and every lag were one day more: the same network answers
    longer = tasks.assign(duration_days=tasks["duration_days"] * 1.5)
    lagged = deps.assign(lag_days=deps["lag_days"].fillna(0) + 1)
    fresh = critical_path(longer, lagged)
    pd.testing.assert_frame_equal(critical_path(longer, lagged, compiled), fresh)
    assert (fresh["early_finish"] != critical_path(tasks, deps)["early_finish"]).any()  # the what-if moved dates


def test_a_compiled_network_keeps_the_progress_rules():
    # the hand-computed progress example of test_schedule: A finished, B in progress, status day 5
    tasks, deps = network({"A": 3, "B": 4, "C": 2, "D": 2}, [("A", "B", "FS", 0), ("B", "C", "FS", 0)])
    compiled = compile_network(tasks, deps)
    tasks["actual_start_day"] = [0, 4, None, None]
    tasks["actual_finish_day"] = [3, None, None, None]
    tasks["remaining_days"] = [0, 3, 2, 2]
    tasks["status_day"] = 5
    result = critical_path(tasks, deps, compiled).set_index("task_id")
    assert result[["early_start", "early_finish", "total_float"]].to_numpy().tolist() == [
        [0, 4, 0],
        [4, 8, 0],
        [8, 10, 0],
        [5, 7, 3],
    ]


def test_a_network_from_other_tables_is_refused():
    tasks, deps = network({"A": 3, "B": 4}, [("A", "B", "FS", 0)])
    compiled = compile_network(tasks, deps)
    more, _ = network({"A": 3, "B": 4, "C": 1}, [])
    with pytest.raises(ValueError, match=r"compiled from 2 task\(s\) and 1 link\(s\), not 3 and 1"):
        critical_path(more, deps, compiled)


def test_ids_unique_across_projects_take_the_hash_path_and_agree():
    # 40 projects of 30 tasks: ids T1..T30 repeat (a direct table) or carry the project (a hash table)
    rng = np.random.default_rng(5)
    rows, links = [], []
    for p in range(40):
        rows += [(f"P{p}", f"T{i}", int(rng.integers(0, 9))) for i in range(30)]
        links += [
            (f"P{p}", f"T{i}", f"T{j}", "FS", int(rng.integers(-1, 3)))
            for i, j in rng.integers(0, 30, (50, 2))
            if i < j
        ]
    tasks = pd.DataFrame(rows, columns=["project_id", "task_id", "duration_days"])
    deps = pd.DataFrame(
        links, columns=["project_id", "predecessor_id", "successor_id", "type", "lag_days"]
    ).drop_duplicates(["project_id", "predecessor_id", "successor_id"])
    repeated = critical_path(tasks, deps)
    own = tasks.assign(task_id=tasks["project_id"] + "-" + tasks["task_id"])
    own_deps = deps.assign(
        predecessor_id=deps["project_id"] + "-" + deps["predecessor_id"],
        successor_id=deps["project_id"] + "-" + deps["successor_id"],
    )
    unique = critical_path(own, own_deps)
    columns = ["early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float"]
    pd.testing.assert_frame_equal(repeated[columns], unique[columns])
    assert (
        unique["driving_predecessor"].str.split("-").str[1].fillna("") == repeated["driving_predecessor"].fillna("")
    ).all()


def test_bad_networks_are_named():
    tasks, deps = network({"A": 1, "B": 1}, [("A", "B", "XX", 0)])
    with pytest.raises(ScheduleError, match=r"unknown link type\(s\) \['XX'\]; use one of FS, SS, FF, SF"):
        compile_network(tasks, deps)
    twice = pd.concat([tasks, tasks.iloc[[1]]], ignore_index=True)
    with pytest.raises(ScheduleError, match="the same task appears twice: P / B"):
        compile_network(twice, deps.iloc[:0])
    tasks, deps = network({"A": 1, "B": 1, "C": 1}, [("A", "B", "FS", 0), ("B", "C", "FS", 0), ("C", "B", "FS", 0)])
    with pytest.raises(ScheduleError, match=r"loop.*P / B, P / C"):
        compile_network(tasks, deps)


def reference_levels(pred, succ, n):
    """Longest path (in links) from a node without predecessors; -1 on a loop or after one."""
    level = [-1] * n
    done = False
    indeg = [0] * n
    for s in succ:
        indeg[s] += 1
    current = [v for v in range(n) if indeg[v] == 0]
    depth = 0
    while current and not done:
        nxt = []
        for v in current:
            level[v] = depth
            for p, s in zip(pred, succ, strict=True):
                if p == v:
                    indeg[s] -= 1
                    if indeg[s] == 0:
                        nxt.append(s)
        current, depth = nxt, depth + 1
    return level


@st.composite
def digraphs(draw):
    n = draw(st.integers(1, 30))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60))
    if not draw(st.booleans()):  # most networks have no loop: keep links pointing forward
        edges = [(a, b) for a, b in edges if a < b]
    edges = sorted(set((a, b) for a, b in edges if a != b))
    pred = np.array([a for a, _ in edges], dtype=np.int64)
    succ = np.array([b for _, b in edges], dtype=np.int64)
    return pred, succ, n


@settings(max_examples=300, deadline=None)
@given(digraphs(), st.integers(0, 5))
def test_levels_node_by_node_agree_with_the_numpy_steps(g, switch_after):
    pred, succ, n = g
    expected = reference_levels(pred.tolist(), succ.tolist(), n)
    assert graph.topological_levels(pred, succ, n).tolist() == expected
    saved = graph.NARROW_AFTER, graph.NARROW
    graph.NARROW_AFTER, graph.NARROW = switch_after, 10**9  # finish node by node after a few levels
    try:
        assert graph.topological_levels(pred, succ, n).tolist() == expected
    finally:
        graph.NARROW_AFTER, graph.NARROW = saved


@settings(max_examples=100, deadline=None)
@given(random_networks())
def test_a_compiled_network_gives_the_schedule_of_the_tables(net):
    durations, links = net
    tasks, deps = network(durations, links)
    pd.testing.assert_frame_equal(critical_path(tasks, deps, compile_network(tasks, deps)), critical_path(tasks, deps))


@st.composite
def networks_with_progress(draw):
    durations, links = draw(random_networks())
    status = draw(st.integers(0, 12))
    start, finish = [], []
    for _ in durations:
        state = draw(st.sampled_from(["not started", "in progress", "finished"]))
        begun = draw(st.integers(0, max(status - 1, 0))) if state != "not started" else None
        start.append(begun)
        finish.append(draw(st.integers(begun, max(begun, status - 1))) if state == "finished" else None)
    return durations, links, status, start, finish


@settings(max_examples=200, deadline=None)
@given(networks_with_progress())
def test_progress_rules_hold_on_both_passes(case):
    from pmo_lib import schedule

    durations, links, status, start, finish = case
    tasks, deps = network(durations, links)
    tasks["actual_start_day"] = pd.array(start, dtype="Int64").astype(float)
    tasks["actual_finish_day"] = pd.array(finish, dtype="Int64").astype(float)
    tasks["remaining_days"] = 1.0
    tasks["status_day"] = status
    by_level = critical_path(tasks, deps)
    saved = schedule.DEEP_LEVELS, schedule.WIDE_ENOUGH
    schedule.DEEP_LEVELS, schedule.WIDE_ENOUGH = -1, 10**9  # force the link-by-link passes
    try:
        pd.testing.assert_frame_equal(by_level, critical_path(tasks, deps))
    finally:
        schedule.DEEP_LEVELS, schedule.WIDE_ENOUGH = saved
    result = by_level.set_index("task_id")
    for t, s, f in zip(tasks["task_id"], start, finish, strict=True):
        row = result.loc[t]
        if f is not None:  # finished: its actual dates, no float
            assert (row["early_start"], row["early_finish"], row["total_float"]) == (s, f + 1, 0)
            assert row["progress"] == "finished"
        elif s is not None:  # in progress: its actual start, one remaining day from the status day
            assert (row["early_start"], row["early_finish"]) == (s, max(status + 1, s + 1))
        else:  # not started: never before the status day, and after its predecessors
            assert row["early_start"] >= status
        # float may be negative: a task that started before its unstarted predecessor (out of
        # sequence) makes that predecessor late; such a predecessor is critical, free float is never < 0
        assert row["free_float"] >= 0 and (row["total_float"] > 0 or row["is_critical"] or f is not None)
