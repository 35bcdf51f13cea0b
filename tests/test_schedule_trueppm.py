"""Differential test: PMO Lab's critical path against trueppm-scheduler, a published CPM engine.

Random networks with all four link types and leads and lags, on a 7-day calendar (every day a
working day) so that calendar conventions cannot differ. Two conventions do differ and are kept
out of the generated networks, each stated here so that nothing is hidden:
- PMO Lab, like MS Project's "as soon as possible" tasks, starts no task before the project
  start; trueppm-scheduler lets an SF/FF link or a lead pull a task before it. Networks in which
  a link would pull a task before the start are skipped.
- trueppm-scheduler places a milestone at the start or the end of a day depending on how it is
  linked, and reads SS/FF/SF links into milestones and the late date of a milestone that ends
  the project from that display day; PMO Lab treats a milestone as one instant. So here
  milestones are linked to work (not to other milestones) by finish-to-start links only, and
  always have a successor. Milestone conventions are pinned by worked examples in test_schedule.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import trueppm_scheduler as tp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pmo_lib.schedule import critical_path

START = date(2027, 1, 4)
KINDS = {"FS": tp.DependencyType.FS, "SS": tp.DependencyType.SS, "FF": tp.DependencyType.FF, "SF": tp.DependencyType.SF}


@st.composite
def networks(draw):
    n = draw(st.integers(2, 10))
    milestone = [draw(st.booleans()) and draw(st.booleans()) and i < n - 1 for i in range(n)]
    durations = {f"T{i}": 0 if milestone[i] else draw(st.integers(1, 6)) for i in range(n)}
    links = []
    for j in range(1, n):
        for i in sorted(draw(st.sets(st.integers(0, j - 1), max_size=min(j, 3)))):
            if milestone[i] and milestone[j]:
                continue
            kind = "FS" if milestone[i] or milestone[j] else draw(st.sampled_from(list(KINDS)))
            links.append((f"T{i}", f"T{j}", kind, draw(st.integers(-3, 4))))
    linked_out = {p for p, *_ in links}
    links += [(f"T{i}", f"T{n - 1}", "FS", 0) for i in range(n) if milestone[i] and f"T{i}" not in linked_out]
    return durations, links


def ours(durations, links) -> pd.DataFrame:
    tasks = pd.DataFrame({"project_id": "P", "task_id": list(durations), "duration_days": list(durations.values())})
    deps = pd.DataFrame(links, columns=["predecessor_id", "successor_id", "type", "lag_days"]).assign(project_id="P")
    return critical_path(tasks, deps).set_index("task_id")


def pulls_before_start(durations, links, result) -> bool:
    for p, s, kind, lag in links:
        reads = result.loc[p, "early_finish"] if kind in ("FS", "FF") else result.loc[p, "early_start"]
        if reads + lag - (durations[s] if kind in ("FF", "SF") else 0) < 0:
            return True
    return False


def theirs(durations, links) -> dict:
    project = tp.Project(
        id="P",
        name="P",
        start_date=START,
        tasks=[tp.Task(id=k, name=k, duration=timedelta(days=d)) for k, d in durations.items()],
        dependencies=[
            tp.Dependency(predecessor_id=p, successor_id=s, dep_type=KINDS[k], lag=timedelta(days=g))
            for p, s, k, g in links
        ],
        calendar=tp.Calendar(working_days=0b1111111),  # every day is a working day
    )
    return {t.id: t for t in tp.schedule(project).tasks}


def day(value: date) -> int:
    return (value - START).days


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(networks())
def test_dates_and_floats_agree_with_trueppm(net):
    durations, links = net
    mine = ours(durations, links)
    assume(not pulls_before_start(durations, links, mine))
    peer = theirs(durations, links)
    for task, duration in durations.items():
        t, m = peer[task], mine.loc[task]
        if duration > 0:  # work: the peer's finish is the last day worked, PMO Lab's the day after
            expected = (day(t.early_start), day(t.early_finish) + 1, day(t.late_start), day(t.late_finish) + 1)
            assert (m["early_start"], m["early_finish"], m["late_start"], m["late_finish"]) == expected, task
        else:  # a milestone is an instant: the end of its display day, or the start
            instant = day(t.early_finish) + (1 if t.milestone_at_day_end else 0)
            assert m["early_start"] == m["early_finish"] == instant, task
        assert m["total_float"] == t.total_float.days, task
        assert m["free_float"] == t.free_float.days, task
        assert bool(m["is_critical"]) == t.is_critical, task
