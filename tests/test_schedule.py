"""pmo_lib.schedule: the critical path on hand-computed networks, against a plain-Python oracle,
and by the invariants every schedule must keep."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pmo_lib as pmo
from pmo_lib.schedule import ScheduleError, critical_path, milestone_slippage
from pmo_lib.schedule import schedule as schedule_dates

ROOT = Path(__file__).resolve().parents[1]  # the checkout


def network(durations: dict[str, int], links: list[tuple[str, str, str, int]], project: str = "P"):
    tasks = pd.DataFrame({"project_id": project, "task_id": list(durations), "duration_days": list(durations.values())})
    deps = pd.DataFrame(links, columns=["predecessor_id", "successor_id", "type", "lag_days"])
    deps.insert(0, "project_id", project)
    return tasks, deps


def table(result) -> dict:
    cols = ["early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float"]
    return {t: tuple(int(v) for v in row) for t, row in zip(result["task_id"], result[cols].to_numpy(), strict=True)}


def test_textbook_finish_to_start_network():
    # Hand-computed: A3 -> B4, A -> C2, B -> D5, C -> D, D -> E1; critical path A-B-D-E, 13 days;
    # C can slip 2 days (total and free float), cf. PMBOK 6th ed. fig. 6-16 style examples.
    tasks, deps = network(
        {"A": 3, "B": 4, "C": 2, "D": 5, "E": 1},
        [("A", "B", "FS", 0), ("A", "C", "FS", 0), ("B", "D", "FS", 0), ("C", "D", "FS", 0), ("D", "E", "FS", 0)],
    )
    got = table(critical_path(tasks, deps))
    assert got == {
        "A": (0, 3, 0, 3, 0, 0),
        "B": (3, 7, 3, 7, 0, 0),
        "C": (3, 5, 5, 7, 2, 2),
        "D": (7, 12, 7, 12, 0, 0),
        "E": (12, 13, 12, 13, 0, 0),
    }
    result = critical_path(tasks, deps).set_index("task_id")
    assert result["is_critical"].to_dict() == {"A": True, "B": True, "C": False, "D": True, "E": True}
    assert result.loc["D", "driving_predecessor"] == "B"


def test_lead_and_start_to_finish_links():
    # Hand-computed: A4 -FS-2-> B3 (a lead: B starts at 2), A -SF+6-> C2 (C must finish by A's start + 6).
    # Project finish 6; B has 1 day of float; A and C are critical.
    tasks, deps = network({"A": 4, "B": 3, "C": 2}, [("A", "B", "FS", -2), ("A", "C", "SF", 6)])
    assert table(critical_path(tasks, deps)) == {
        "A": (0, 4, 0, 4, 0, 0),
        "B": (2, 5, 3, 6, 1, 1),
        "C": (4, 6, 4, 6, 0, 0),
    }


def test_start_to_start_and_finish_to_finish_with_lags():
    # Hand-computed: A5 -SS+2-> B4 (B 2-6), B -FF+1-> C3 (C must finish at 7 or later: 4-7), A -FS-> D2 (5-7).
    tasks, deps = network(
        {"A": 5, "B": 4, "C": 3, "D": 2}, [("A", "B", "SS", 2), ("B", "C", "FF", 1), ("A", "D", "FS", 0)]
    )
    assert table(critical_path(tasks, deps)) == {
        "A": (0, 5, 0, 5, 0, 0),
        "B": (2, 6, 2, 6, 0, 0),
        "C": (4, 7, 4, 7, 0, 0),
        "D": (5, 7, 5, 7, 0, 0),
    }


def test_milestones_and_several_projects_in_one_call():
    t1, d1 = network({"S": 0, "W": 5, "F": 0}, [("S", "W", "FS", 0), ("W", "F", "FS", 0)], project="P1")
    t2, d2 = network({"X": 2}, [], project="P2")
    result = critical_path(pd.concat([t1, t2], ignore_index=True), pd.concat([d1, d2], ignore_index=True))
    got = table(result)
    assert got["F"] == (5, 5, 5, 5, 0, 0) and got["X"] == (0, 2, 0, 2, 0, 0)


def test_a_loop_names_its_tasks():
    tasks, deps = network({"A": 1, "B": 1, "C": 1}, [("A", "B", "FS", 0), ("B", "C", "FS", 0), ("C", "B", "FS", 0)])
    with pytest.raises(ScheduleError, match=r"loop.*P / B, P / C"):
        critical_path(tasks, deps)


def test_a_link_to_an_unknown_task_is_named():
    tasks, deps = network({"A": 1}, [("A", "Z", "FS", 0)])
    with pytest.raises(ScheduleError, match="do not exist \\(P: A → Z\\)"):
        critical_path(tasks, deps)


def test_negative_duration_is_refused():
    tasks, deps = network({"A": -1}, [])
    with pytest.raises(ScheduleError, match="zero or more"):
        critical_path(tasks, deps)


def oracle(durations: dict[str, int], links: list[tuple[str, str, str, int]]) -> dict:
    """A plain-Python forward and backward pass, task by task, written straight from the definitions."""
    order, seen = [], set()

    def visit(t):
        if t in seen:
            return
        seen.add(t)
        for p, s, _, _ in links:
            if s == t:
                visit(p)
        order.append(t)

    for t in durations:
        visit(t)
    es = {t: 0 for t in durations}
    for t in order:
        for p, s, k, lag in links:
            if s == t:
                base = es[p] + (durations[p] if k in ("FS", "FF") else 0) + lag
                es[t] = max(es[t], base - (durations[t] if k in ("FF", "SF") else 0))
    ef = {t: es[t] + durations[t] for t in durations}
    end = max(ef.values())
    lf = {t: end for t in durations}
    for t in reversed(order):
        for p, s, k, lag in links:
            if p == t:
                ls_s = lf[s] - durations[s]
                read = (lf[s] if k in ("FF", "SF") else ls_s) - lag
                lf[t] = min(lf[t], read if k in ("FS", "FF") else read + durations[t])
    return {t: (es[t], ef[t], lf[t] - durations[t], lf[t]) for t in durations}


@st.composite
def random_networks(draw):
    n = draw(st.integers(1, 12))
    names = [f"T{i}" for i in range(n)]
    durations = {t: draw(st.integers(0, 9)) for t in names}
    links = {}
    for _ in range(draw(st.integers(0, 20))):
        a, b = sorted(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))) if n > 1 else (0, 0)
        if a != b:
            links[(names[a], names[b])] = (draw(st.sampled_from(["FS", "SS", "FF", "SF"])), draw(st.integers(-3, 5)))
    return durations, [(a, b, k, lag) for (a, b), (k, lag) in links.items()]


@settings(max_examples=300, deadline=None)
@given(random_networks())
def test_agrees_with_the_plain_python_oracle_and_keeps_the_invariants(net):
    durations, links = net
    tasks, deps = network(durations, links)
    result = critical_path(tasks, deps).set_index("task_id")
    expected = oracle(durations, links)
    for t, (es, ef, ls, lf) in expected.items():
        assert tuple(result.loc[t, ["early_start", "early_finish", "late_start", "late_finish"]]) == (es, ef, ls, lf)
    assert (result["total_float"] >= 0).all()
    assert (result["free_float"] >= 0).all() and (result["free_float"] <= result["total_float"]).all()
    assert result["is_critical"].any()  # some chain always sets the finish
    assert (result["total_float"][result["is_critical"]] == 0).all()
    for a, b, k, lag in links:  # every link is respected
        start_b, finish_b = result.loc[b, "early_start"], result.loc[b, "early_finish"]
        ref = result.loc[a, "early_finish"] if k in ("FS", "FF") else result.loc[a, "early_start"]
        assert (finish_b if k in ("FF", "SF") else start_b) >= ref + lag
    free, drivers = free_float_and_drivers(durations, links, expected)
    assert result["free_float"].to_dict() == free
    assert result["driving_predecessor"].fillna("").to_dict() == drivers


def free_float_and_drivers(durations, links, dates):
    """By hand from the oracle's dates: a task's free float is its smallest slack over its outgoing
    links, or to the project finish, never below 0; its driving predecessor is the last link in the
    file whose constraint equals its early start (none at day 0)."""
    end = max(ef for _, ef, _, _ in dates.values())
    free = {t: end - dates[t][1] for t in durations}
    drivers = dict.fromkeys(durations, "")
    for a, b, k, lag in links:
        es_a, ef_a = dates[a][:2]
        es_b, ef_b = dates[b][:2]
        ref = (ef_a if k in ("FS", "FF") else es_a) + lag
        free[a] = min(free[a], (ef_b if k in ("FF", "SF") else es_b) - ref)
        if es_b > 0 and ref - (durations[b] if k in ("FF", "SF") else 0) == es_b:
            drivers[b] = a
    return {t: max(f, 0) for t, f in free.items()}, drivers


def test_whole_sample_portfolio_in_one_call():
    sample = pmo.load_sample()
    result = critical_path(sample.tasks, sample.dependencies)
    assert len(result) == len(sample.tasks)
    per_project = result.groupby("project_id")["is_critical"].any()
    assert per_project.all() and len(per_project) == sample.projects["project_id"].nunique()


@settings(max_examples=150, deadline=None)
@given(random_networks())
def test_deep_network_path_gives_the_same_schedule(net):
    from pmo_lib import schedule

    durations, links = net
    tasks, deps = network(durations, links)
    by_level = critical_path(tasks, deps)
    saved = schedule.DEEP_LEVELS, schedule.WIDE_ENOUGH
    schedule.DEEP_LEVELS, schedule.WIDE_ENOUGH = -1, 10**9  # force the link-by-link passes
    try:
        by_link = critical_path(tasks, deps)
    finally:
        schedule.DEEP_LEVELS, schedule.WIDE_ENOUGH = saved
    pd.testing.assert_frame_equal(by_level, by_link)


def test_a_deep_chain_is_scheduled_link_by_link():
    n = 5_000
    tasks = pd.DataFrame({"project_id": "P", "task_id": [f"T{i}" for i in range(n)], "duration_days": 1})
    deps = pd.DataFrame(
        {
            "project_id": "P",
            "predecessor_id": [f"T{i}" for i in range(n - 1)],
            "successor_id": [f"T{i + 1}" for i in range(n - 1)],
            "type": "FS",
            "lag_days": 0,
        }
    )
    result = critical_path(tasks, deps)
    assert result["early_finish"].max() == n and result["is_critical"].all()


def test_progress_as_of_a_status_date():
    # Hand-computed. A3 -> B4 -> C2 (FS); D2 has no links. Status day 5 (days 0-4 are past).
    # A finished: started day 0, last day 3 (one day late) -> 0-4, no float.
    # B in progress: started day 4, 3 days left -> finishes at status 5 + 3 = 8.
    # C not started: after B -> 8-10. D not started: not before the status day -> 5-7, float 3.
    tasks, deps = network({"A": 3, "B": 4, "C": 2, "D": 2}, [("A", "B", "FS", 0), ("B", "C", "FS", 0)])
    tasks["actual_start_day"] = [0, 4, None, None]
    tasks["actual_finish_day"] = [3, None, None, None]
    tasks["remaining_days"] = [0, 3, 2, 2]
    tasks["status_day"] = 5
    result = critical_path(tasks, deps)
    assert table(result) == {
        "A": (0, 4, 0, 4, 0, 0),
        "B": (4, 8, 4, 8, 0, 0),
        "C": (8, 10, 8, 10, 0, 0),
        "D": (5, 7, 8, 10, 3, 3),
    }
    assert result.set_index("task_id")["progress"].to_dict() == {
        "A": "finished", "B": "in progress", "C": "not started", "D": "not started",
    }  # fmt: skip
    assert result.set_index("task_id")["is_critical"].to_dict() == {"A": False, "B": True, "C": True, "D": False}


def test_a_started_task_keeps_its_actual_start_even_out_of_sequence():
    # B started on day 2 although A (its predecessor) ran until day 4: B is not pushed back.
    tasks, deps = network({"A": 5, "B": 3}, [("A", "B", "FS", 0)])
    tasks["actual_start_day"] = [0, 2]
    tasks["actual_finish_day"] = [4, None]
    tasks["remaining_days"] = [0, 1]
    tasks["status_day"] = 5
    got = table(critical_path(tasks, deps))
    assert got["B"][:2] == (2, 6)  # finishes at status 5 + 1 remaining


def test_schedule_in_dates_on_the_mini_dataset():
    # Hand-computed on the fixture's calendar: P001/T3 (20 days, 60 % done) started 2026-01-22;
    # status date Friday 2026-01-30, so its 8 remaining days run Monday 2 to Wednesday 11 February.
    mini = pmo.load_portfolio(ROOT / "tests" / "fixtures" / "mini")
    result = schedule_dates(mini, as_of="2026-01-30").set_index(["project_id", "task_id"])
    t3 = result.loc[("P001", "T3")]
    assert t3["progress"] == "in progress"
    assert str(t3["early_start"].date()) == "2026-01-22" and str(t3["early_finish"].date()) == "2026-02-11"
    t2 = result.loc[("P001", "T2")]
    assert (str(t2["early_start"].date()), str(t2["early_finish"].date())) == ("2026-01-06", "2026-01-21")
    assert t2["finish_variance"] == 2  # baseline finish 19 January, actual 21 January
    p2 = result.loc[("P002", "T1")]  # not started, planned for March: stays in March
    assert str(p2["early_start"].date()) == "2026-03-02"


def test_schedule_on_the_sample_respects_the_status_date():
    sample = pmo.load_sample()
    result = schedule_dates(sample, as_of="2026-10-31")
    tasks = sample.tasks
    unstarted = result["progress"] == "not started"
    assert (result.loc[unstarted, "early_start"] > pd.Timestamp("2026-10-31")).all()
    finished = (result["progress"] == "finished").to_numpy()
    assert (result.loc[finished, "early_start"].to_numpy() == tasks.loc[finished, "actual_start"].to_numpy()).all()
    assert (result.loc[finished, "early_finish"].to_numpy() == tasks.loc[finished, "actual_finish"].to_numpy()).all()
    running = (result["progress"] == "in progress").to_numpy()
    assert (result.loc[running, "early_start"].to_numpy() == tasks.loc[running, "actual_start"].to_numpy()).all()
    assert (result.loc[running, "early_finish"] > pd.Timestamp("2026-10-31")).all()
    slips = milestone_slippage(result, tasks)
    assert len(slips) == sample.projects["project_id"].nunique() and (slips["slipped"] <= slips["milestones"]).all()


def test_no_tasks_give_an_empty_schedule_with_every_column():
    sample = pmo.load_sample()
    full = schedule_dates(sample, as_of="2026-10-31")
    for as_of in (None, "2026-10-31"):
        empty = schedule_dates(sample, as_of=as_of, projects=[])
        assert empty.empty and list(empty.columns) == list(full.columns)
