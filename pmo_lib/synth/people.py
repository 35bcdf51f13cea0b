"""People and their time: calendars, resources, assignments, timesheets and leave."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .common import _ids, _mondays
from .vocabulary import FIRST, LAST, ROLE_RATE, ROLE_SHARE, ROLE_TEAM, ROLES

if TYPE_CHECKING:
    from .shape import Shape


def _holidays(start="2024-01-01", end="2028-12-31") -> dict[str, np.ndarray]:
    """Public holidays of the fictional organisation's two calendars."""
    years = range(pd.Timestamp(start).year, pd.Timestamp(end).year + 1)
    easter = {2024: "03-31", 2025: "04-20", 2026: "04-05", 2027: "03-28", 2028: "04-16"}
    days = []
    for y in years:
        e = pd.Timestamp(f"{y}-{easter[y]}")
        days += [f"{y}-01-01", e - pd.Timedelta(days=2), e + pd.Timedelta(days=1), f"{y}-12-25", f"{y}-12-26"]
        days += [
            pd.Timestamp(f"{y}-05-31") - pd.offsets.Week(weekday=0),
            pd.Timestamp(f"{y}-08-31") - pd.offsets.Week(weekday=0),
        ]
    std = pd.DatetimeIndex(days)
    std = std[std.day_of_week < 5]
    north = std.append(pd.DatetimeIndex([f"{y}-12-{d}" for y in years for d in (27, 28, 29, 30)]))
    north = north[north.day_of_week < 5]
    return {
        "standard": np.sort(std.values.astype("datetime64[D]")),
        "site_north": np.sort(np.unique(north.values.astype("datetime64[D]"))),
    }


def _people(rng, n) -> np.ndarray:
    combos = np.array([f"{first} {last}" for first in FIRST for last in LAST])
    if n > combos.size:
        extra = np.array([f"{c} {i // combos.size + 2}" for i, c in enumerate(np.resize(combos, n - combos.size))])
        combos = np.concatenate([combos, extra])
    return combos[rng.permutation(combos.size)[:n]]


def _resources(rng, shape: Shape, names) -> pd.DataFrame:
    m = shape.resources
    role_idx = np.repeat(np.arange(ROLES.size), np.maximum(1, np.round(ROLE_SHARE * m).astype(int)))
    role_idx = np.resize(role_idx, m)
    teams = ROLE_TEAM[role_idx].astype(object)
    if m > 200:  # large organisations split each discipline into squads
        teams = teams + " " + np.array(list("ABCDEF"))[np.arange(m) % 6]
    start = np.datetime64("2023-01-02") + rng.integers(0, 700, m).astype("timedelta64[D]")
    late_joiner = rng.random(m) < 0.1
    start = np.where(late_joiner, np.datetime64("2025-09-01") + rng.integers(0, 300, m).astype("timedelta64[D]"), start)
    leaver = rng.random(m) < 0.05
    end = np.datetime64("2026-03-01") + rng.integers(0, 400, m).astype("timedelta64[D]")
    end = np.where(leaver, np.maximum(end, start + np.timedelta64(120, "D")), np.datetime64("NaT"))
    return pd.DataFrame(
        {
            "resource_id": _ids("R", m),
            "name": names,
            "role": ROLES[role_idx],
            "team": teams,
            "cost_rate": np.round(ROLE_RATE[role_idx] * (0.9 + 0.2 * rng.random(m)), 2),
            "fte": rng.choice([1.0, 0.8, 0.6], size=m, p=[0.8, 0.12, 0.08]),
            "start_date": start,
            "end_date": end,
            "calendar": np.where(rng.random(m) < 0.15, "site_north", "standard"),
        }
    )


def _assignments(rng, tdf, tasks, resources, tprofile, started, a_start, a_finish):
    role_of = resources["role"].to_numpy()
    work = (tdf["duration_days"].to_numpy() > 0) & ((tprofile != "cancelled") | started)
    idx = np.flatnonzero(work)
    people = tasks["people"].to_numpy()[idx]
    idx = np.repeat(idx, people)
    second = np.arange(idx.size) - np.repeat(np.cumsum(people) - people, people)  # 0 for the first person
    role = tdf["role"].to_numpy()[idx]
    pool = {r: np.flatnonzero(role_of == r) for r in ROLES}
    pick = np.full(idx.size, -1, dtype=np.int64)
    base = rng.integers(0, 1 << 30, len(tdf))[idx]  # one draw per task: its people all differ
    for r in ROLES:
        members = pool[r]
        sel = (role == r) & (second < members.size)  # never more people than the role has
        pick[sel] = members[(base[sel] + second[sel]) % members.size]
    keep = pick >= 0
    idx, second, role, pick = idx[keep], second[keep], role[keep], pick[keep]
    unnamed = (~started[idx]) & (rng.random(idx.size) < 0.25)
    start = np.where(started[idx], a_start[idx], tdf["baseline_start"].to_numpy()[idx])
    finish = np.where(started[idx], a_finish[idx], tdf["baseline_finish"].to_numpy()[idx])
    fte = tasks["fte"].to_numpy()[idx]
    out = pd.DataFrame(
        {
            "assignment_id": _ids("A", idx.size),
            "project_id": tdf["project_id"].to_numpy()[idx],
            "task_id": tdf["task_id"].to_numpy()[idx],
            "resource_id": np.where(unnamed, None, resources["resource_id"].to_numpy()[pick]),
            "role": role,
            "start": start,
            "finish": finish,
            "fte": fte,
        }
    )
    named = out[~unnamed].assign(started=started[idx][~unnamed], task=idx[~unnamed])
    named = named[named["started"]]
    return out, named


def _timesheets(rng, named, resources, pcost, tcut, as_of, projects) -> pd.DataFrame:
    pindex = pd.Index(projects["project_id"])
    p = pindex.get_indexer(named["project_id"])
    task = named["task"].to_numpy()
    first = _mondays(named["start"].to_numpy())
    end = np.minimum(named["finish"].to_numpy().astype("datetime64[D]"), tcut[task])
    last = _mondays(end)
    weeks = ((last - first).astype(np.int64) // 7 + 1).clip(min=1)
    rep = np.repeat(np.arange(len(named)), weeks)
    offset = np.arange(rep.size) - np.repeat(np.cumsum(weeks) - weeks, weeks)
    week = first[rep] + (7 * offset).astype("timedelta64[D]")
    hours = named["fte"].to_numpy()[rep] * 37.5 * pcost[p[rep]] * (0.85 + 0.25 * rng.random(rep.size))
    edge = (offset == 0) | (offset == weeks[rep] - 1)
    hours = np.where(edge, hours * 0.6, hours)
    ts = pd.DataFrame(
        {
            "resource_id": named["resource_id"].to_numpy()[rep],
            "project_id": named["project_id"].to_numpy()[rep],
            "task_id": named["task_id"].to_numpy()[rep],
            "week_start": week,
            "hours": np.round(hours * 2) / 2,
        }
    )
    ts = ts[ts["week_start"] <= as_of]
    # the project manager books weekly project-management time (no task)
    rid = resources.set_index("name")["resource_id"]
    pm = rid.reindex(projects["manager"]).to_numpy()
    started = projects["status"].ne("cancelled").to_numpy() | True
    pfirst = _mondays(projects["baseline_start"].to_numpy())
    plast = _mondays(np.minimum(projects["forecast_finish"].to_numpy().astype("datetime64[D]"), as_of))
    n_weeks = np.where(started & (plast >= pfirst), (plast - pfirst).astype(np.int64) // 7 + 1, 0)
    rep = np.repeat(np.arange(len(projects)), n_weeks)
    off = np.arange(rep.size) - np.repeat(np.cumsum(n_weeks) - n_weeks, n_weeks)
    pm_ts = pd.DataFrame(
        {
            "resource_id": pm[rep],
            "project_id": projects["project_id"].to_numpy()[rep],
            "task_id": None,
            "week_start": pfirst[rep] + (7 * off).astype("timedelta64[D]"),
            "hours": np.round((3 + 4 * rng.random(rep.size)) * 2) / 2,
        }
    )
    ts = pd.concat([ts, pm_ts], ignore_index=True)
    ts = ts.sort_values(["project_id", "week_start", "resource_id", "task_id"], na_position="first", kind="stable")
    return ts.reset_index(drop=True)


def _leave(rng, resources, as_of, holidays) -> pd.DataFrame:
    m = len(resources)
    count = rng.integers(1, 5, m)
    rep = np.repeat(np.arange(m), count)
    start = np.datetime64("2025-05-05") + rng.integers(0, 700, rep.size).astype("timedelta64[D]")
    start = np.busday_offset(start, 0, roll="forward", holidays=holidays)
    finish = np.busday_offset(start, rng.integers(0, 10, rep.size), holidays=holidays)
    leave = pd.DataFrame({"resource_id": resources["resource_id"].to_numpy()[rep], "start": start, "finish": finish})
    return leave.drop_duplicates(["resource_id", "start"]).sort_values(["resource_id", "start"]).reset_index(drop=True)
