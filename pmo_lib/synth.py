"""A seeded generator of realistic, fictional portfolio datasets.

``datasets/sample`` is ``generate(SAMPLE)`` written with :func:`write`; a test
regenerates it and compares byte for byte. The same generator, with more
projects, makes the enterprise-size datasets used by ``benchmarks/``.

Everything is vectorised over projects and tasks (numpy), so 2,000 projects
with about 200k tasks and 2M timesheet rows take seconds, not minutes. All
names of people, projects and the organisation are invented.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

AS_OF = "2026-10-31"
HOURS_PER_DAY = 7.5

PROFILES = np.array(
    [
        "healthy", "late", "over_budget", "on_hold", "healthy", "closed",
        "late_over", "new", "healthy", "rebaselined", "cancelled", "healthy",
    ]
)  # fmt: skip
PORTFOLIOS = ["Digital Services", "Operations Excellence", "Infrastructure & Security"]
PROGRAMMES = {
    "Digital Services": ["Customer Channels", "Data Platform"],
    "Operations Excellence": ["Process Automation", "Supply Chain"],
    "Infrastructure & Security": ["Cloud Migration", "Cyber Resilience"],
}
PROJECT_WORDS = (
    ["Customer", "Partner", "Finance", "Payroll", "Warehouse", "Field Service", "Identity", "Analytics",
     "Billing", "Network", "Procurement", "Onboarding", "Claims", "Fleet", "Inventory", "Service Desk"],
    ["Portal", "Platform", "Migration", "Automation", "Upgrade", "Consolidation", "Redesign", "Rollout",
     "Integration", "Modernisation", "Hardening", "Replacement"],
)  # fmt: skip
FIRST = ["Avery", "Bryn", "Cato", "Dara", "Elio", "Fenna", "Goran", "Hale", "Ilsa", "Joss", "Kit", "Lorne",
         "Mira", "Nell", "Orrin", "Pia", "Quill", "Rhea", "Soren", "Tamsin", "Ulla", "Vance", "Wren", "Xan",
         "Yara", "Zeb", "Ansel", "Brisa", "Corin", "Delphine", "Emrys", "Faye", "Galen", "Hesper", "Ives",
         "Juno", "Kestrel", "Linnea", "Marek", "Noor"]  # fmt: skip
LAST = ["Ashgrove", "Brackwell", "Coldmere", "Dunmore", "Elderby", "Fallowfield", "Greythorn", "Hollins",
        "Ivesdale", "Juniper", "Kettleby", "Larchmont", "Marlowe", "Netherby", "Oakridge", "Pennick",
        "Quarrendon", "Rookwood", "Stanbury", "Thornfield", "Underhill", "Valemont", "Westacre", "Yewdale",
        "Ambleside", "Birchall", "Copperfield", "Dovecote", "Emberley", "Foxley", "Gorsey", "Heathcote",
        "Inchbury", "Jessop", "Kingsmere", "Lowther", "Millbrook", "Norcott", "Orchardson", "Pembury"]  # fmt: skip
ROLES = np.array(
    ["project_manager", "business_analyst", "developer", "tester", "architect", "designer",
     "data_engineer", "change_manager"]
)  # fmt: skip
ROLE_SHARE = np.array([0.12, 0.12, 0.30, 0.15, 0.06, 0.08, 0.10, 0.07])
ROLE_RATE = np.array([75.0, 65.0, 70.0, 55.0, 95.0, 60.0, 75.0, 60.0])
ROLE_TEAM = np.array(
    ["Delivery Management", "Business Analysis", "Engineering", "Quality Assurance", "Architecture",
     "Design", "Data", "Business Change"]
)  # fmt: skip
# phase name, share of tasks, roles (indexes into ROLES), task verbs
PHASES = [
    ("Initiation", 0.08, [0], ["Agree scope of", "Approve business case for", "Mobilise team for"]),
    ("Analysis", 0.14, [1], ["Gather requirements for", "Map current process of", "Analyse data for"]),
    ("Design", 0.14, [4, 5], ["Design", "Prototype", "Review architecture of"]),
    ("Build", 0.30, [2, 6], ["Build", "Configure", "Integrate", "Migrate data for"]),
    ("Test", 0.16, [3], ["System test", "Performance test", "User acceptance test of"]),
    ("Deploy", 0.12, [2, 7], ["Train users on", "Cut over", "Deploy"]),
    ("Close", 0.06, [0], ["Hand over", "Close out", "Capture lessons from"]),
]
OBJECTS = ["order flow", "reporting", "user accounts", "interfaces", "data model", "workflows", "access rules",
           "dashboards", "notifications", "batch jobs", "pricing rules", "audit trail"]  # fmt: skip
RISK_TEMPLATES = [
    ("technical", "Legacy interface may not support the new data volumes"),
    ("resource", "Key developer also committed to another project"),
    ("supplier", "Supplier quote marked =HOLD in finance system until contract signed"),
    ("commercial", "Licence costs may rise at renewal"),
    ("schedule", "Test environment delivery could slip"),
    ("regulatory", "New reporting rule may change scope"),
    ("technical", "Data quality in source systems <70% complete"),
    ("people", "Business users unavailable during year-end"),
    ("security", "Penetration test may find high-severity issues"),
    ("schedule", "Dependency on network upgrade in another programme"),
]
ISSUE_TITLES = ["Build server outage delayed testing", "Requirements sign-off overdue",
                "Defect backlog above threshold", "Supplier missed delivery date",
                "Key stakeholder left the organisation", "Environment access not granted"]  # fmt: skip
CHANGE_TITLES = ["Add reporting dashboard to scope", "Extend pilot to second site", "Descope legacy archive",
                 "Additional security controls", "Replace supplier component"]  # fmt: skip
COMMENTARY = {
    "G": ["On track against baseline; next milestone expected on time.",
          "Good progress this month; no new issues raised."],
    "A": ["Some slippage on build tasks; recovery plan agreed with the sponsor.",
          "Costs trending above plan; reviewing supplier spend.",
          "Velocity < plan for two sprints; team rebalancing in progress."],
    "R": ["Forecast finish is well past baseline; re-plan needed.",
          "Overspend beyond tolerance; escalated to the portfolio board."],
}  # fmt: skip


@dataclass(frozen=True)
class Shape:
    """How big a generated dataset is."""

    projects: int = 24
    resources: int = 60
    min_tasks: int = 15
    max_tasks: int = 60
    seed: int = 20261031
    as_of: str = AS_OF
    max_people: int = 2  # people booked on one task
    start_window: tuple[int, int] = (240, 540)  # project starts, days after 2025-05-05


SAMPLE = Shape()
LARGE = Shape(projects=2000, resources=1500, min_tasks=60, max_tasks=140, seed=7, max_people=16, start_window=(0, 420))


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


def _ids(prefix, n, width=None) -> np.ndarray:
    if n == 0:
        return np.array([], dtype=object)
    width = width or max(3, len(str(n)))
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width)).astype(object)


def _busday(dates, offsets, holidays) -> np.ndarray:
    return np.busday_offset(dates.astype("datetime64[D]"), offsets, roll="forward", holidays=holidays)


def generate(shape: Shape = SAMPLE) -> dict[str, pd.DataFrame]:
    """Generate every table of a fictional portfolio.

    Parameters
    ----------
    shape
        Number of projects and resources, the range of tasks per project, the
        random seed and the as-of date. ``SAMPLE`` is the bundled dataset.

    Returns
    -------
    dict of DataFrame
        One frame per table name of the data model, with the canonical columns.
    """
    rng = np.random.default_rng(shape.seed)
    as_of = np.datetime64(shape.as_of, "D")
    hol = _holidays()
    std = hol["standard"]
    people = _people(rng, shape.resources + 40)
    resources = _resources(rng, shape, people[: shape.resources])
    sponsors = people[shape.resources :]

    n = shape.projects
    pid = _ids("P", n)
    profile = (
        PROFILES[rng.permutation(np.resize(np.arange(PROFILES.size), n))]
        if n >= PROFILES.size
        else np.resize(PROFILES, n)
    )
    n_port = max(3, n // 150)
    portfolios = np.array(PORTFOLIOS + [f"Portfolio {i:02d}" for i in range(4, n_port + 1)], dtype=object)
    port = portfolios[np.arange(n) % n_port]
    programme = np.array(
        [PROGRAMMES.get(p, [f"{p} Change", f"{p} Run"])[i % 2] for i, p in enumerate(port)], dtype=object
    )
    a, b = PROJECT_WORDS
    pname = np.array([f"{a[i % len(a)]} {b[(i * 7 + i // len(a)) % len(b)]}" for i in range(n)], dtype=object)
    pname = np.where(
        np.arange(n) >= len(a) * len(b), pname + " " + (np.arange(n) // (len(a) * len(b)) + 1).astype(str), pname
    )

    # project start: closed ones early enough to finish; new ones after the as-of date
    window0 = np.datetime64("2025-05-05")
    start_off = rng.integers(*shape.start_window, n)
    start_off = np.where(profile == "closed", rng.integers(0, 60, n), start_off)
    start_off = np.where(profile == "new", (as_of - window0).astype(int) + rng.integers(5, 90, n), start_off)
    pstart = _busday(np.full(n, window0), 0, std) + start_off.astype("timedelta64[D]")
    pstart = _busday(pstart, 0, std)

    tasks, deps = _network(rng, shape, n)
    tproj = tasks["p"].to_numpy()
    dur = tasks["dur"].to_numpy()
    es = _forward_pass(tasks, deps)
    # closed projects must fit in the window: compress their plan
    span = np.zeros(n, dtype=np.int64)
    np.maximum.at(span, tproj, es + dur)
    closed_scale = np.where(profile == "closed", np.minimum(1.0, 240 / np.maximum(span, 1)), 1.0)
    es = np.floor(es * closed_scale[tproj]).astype(np.int64)
    dur = np.where(dur > 0, np.maximum(1, np.round(dur * closed_scale[tproj])), 0).astype(np.int64)

    slip = {
        "healthy": (1.0, 1.06), "late": (1.25, 1.45), "over_budget": (1.0, 1.05), "late_over": (1.25, 1.4),
        "on_hold": (1.05, 1.15), "closed": (1.0, 1.08), "new": (1.0, 1.0), "rebaselined": (1.3, 1.4),
        "cancelled": (1.1, 1.2),
    }  # fmt: skip
    cost = {"over_budget": (1.25, 1.4), "late_over": (1.2, 1.35), "late": (1.05, 1.12), "cancelled": (1.1, 1.2)}
    lo = np.array([slip[p][0] for p in profile])
    hi = np.array([slip[p][1] for p in profile])
    pslip = lo + (hi - lo) * rng.random(n)
    clo = np.array([cost.get(p, (0.95, 1.05))[0] for p in profile])
    chi = np.array([cost.get(p, (0.95, 1.05))[1] for p in profile])
    pcost = clo + (chi - clo) * rng.random(n)
    # when work stopped: hold / cancellation dates
    cut = np.full(n, as_of)
    cut = np.where(profile == "on_hold", as_of - rng.integers(40, 80, n).astype("timedelta64[D]"), cut)
    cut = np.where(profile == "cancelled", as_of - rng.integers(60, 150, n).astype("timedelta64[D]"), cut)
    stopped = np.isin(profile, ["on_hold", "cancelled"])
    cut = np.where(stopped, np.maximum(cut, pstart + np.timedelta64(30, "D")), cut)
    cut = np.minimum(cut, as_of)

    # actual plan: the baseline stretched by the project's slip
    noise = 0.9 + 0.2 * rng.random(len(dur))
    a_es = np.round(es * pslip[tproj]).astype(np.int64)
    a_dur = np.where(dur > 0, np.maximum(1, np.round(dur * pslip[tproj] * noise)), 0).astype(np.int64)
    rebase = profile[tproj] == "rebaselined"
    b_es = np.where(rebase, a_es, es)
    b_dur = np.where(rebase, np.maximum(a_dur, (dur > 0).astype(np.int64)), dur)

    tstart0 = pstart[tproj]
    b_start = _busday(tstart0, b_es, std)
    b_finish = _busday(tstart0, b_es + np.maximum(b_dur - 1, 0), std)
    a_start_d = _busday(tstart0, a_es, std)
    a_finish_d = _busday(tstart0, a_es + np.maximum(a_dur - 1, 0), std)
    tcut = cut[tproj]
    started = (a_start_d <= tcut) & (profile[tproj] != "new")
    finished = started & (a_finish_d <= tcut)
    if (profile == "closed").any():
        closed_t = profile[tproj] == "closed"
        started |= closed_t
        finished |= closed_t
    done_days = np.busday_count(a_start_d, np.minimum(tcut, a_finish_d) + 1, holidays=std)
    pct = np.where(
        finished, 100.0, np.where(started, np.clip(np.round(100 * done_days / np.maximum(a_dur, 1)), 5, 95), 0.0)
    )

    rates = ROLE_RATE[tasks["role_idx"].to_numpy()]
    fte = tasks["fte"].to_numpy()
    planned_cost = np.round(b_dur * HOURS_PER_DAY * fte * rates * tasks["people"].to_numpy(), -1)

    tdf = pd.DataFrame(
        {
            "project_id": pid[tproj],
            "task_id": tasks["task_id"].to_numpy(),
            "name": tasks["name"].to_numpy(),
            "wbs": tasks["wbs"].to_numpy(),
            "duration_days": b_dur.astype(float),
            "baseline_start": b_start,
            "baseline_finish": b_finish,
            "actual_start": np.where(started, a_start_d, np.datetime64("NaT")),
            "actual_finish": np.where(finished, a_finish_d, np.datetime64("NaT")),
            "percent_complete": pct,
            "planned_cost": planned_cost,
            "is_milestone": b_dur == 0,
            "optimistic_days": np.floor(b_dur * 0.8),
            "most_likely_days": b_dur.astype(float),
            "pessimistic_days": np.ceil(b_dur * (1.3 + 0.5 * rng.random(len(b_dur)))),
            "role": np.where(b_dur == 0, None, ROLES[tasks["role_idx"].to_numpy()]).astype(object),
        }
    )
    ddf = pd.DataFrame(
        {
            "project_id": pid[deps["p"].to_numpy()],
            "predecessor_id": tasks["task_id"].to_numpy()[deps["pred"].to_numpy()],
            "successor_id": tasks["task_id"].to_numpy()[deps["succ"].to_numpy()],
            "type": deps["type"].to_numpy(),
            "lag_days": deps["lag"].to_numpy().astype(float),
        }
    )

    # project table
    bfin = np.full(n, np.datetime64("1970-01-01"), dtype="datetime64[D]")
    np.maximum.at(bfin, tproj, b_finish)
    afin = np.full(n, np.datetime64("1970-01-01"), dtype="datetime64[D]")
    np.maximum.at(afin, tproj, a_finish_d)
    labour = np.bincount(tproj, weights=planned_cost, minlength=n)
    budget = np.round(labour / 0.75, -3)
    done = np.bincount(tproj, weights=finished, minlength=n) == np.bincount(tproj, minlength=n)
    profile = np.where(done & ~np.isin(profile, ["cancelled", "new"]), "closed", profile)
    stage = np.select(
        [profile == "new", profile == "closed", profile == "cancelled"],
        [np.where(rng.random(n) < 0.5, "initiate", "plan"), "close", "execute"],
        "execute",
    )
    status = np.select(
        [profile == "on_hold", profile == "closed", profile == "cancelled"],
        ["on_hold", "closed", "cancelled"],
        "active",
    )
    pm = resources.loc[resources["role"] == "project_manager", "name"].to_numpy()
    projects = pd.DataFrame(
        {
            "project_id": pid,
            "name": pname,
            "portfolio": port,
            "programme": programme,
            "sponsor": sponsors[np.arange(n) % sponsors.size],
            "manager": pm[np.arange(n) % pm.size],
            "stage": stage,
            "status": status,
            "priority": rng.integers(1, 6, n),
            "baseline_start": pstart,
            "baseline_finish": bfin,
            "forecast_finish": np.where(np.isin(profile, ["closed", "cancelled"]), np.minimum(afin, cut), afin),
            "budget": budget,
            "currency": "GBP",
        }
    )
    tables = {"projects": projects, "tasks": tdf, "dependencies": ddf, "resources": resources}
    tables["assignments"], named = _assignments(
        rng, tdf, tasks, resources, profile[tproj], started, a_start_d, a_finish_d
    )
    tables["timesheets"] = _timesheets(rng, named, resources, pcost, tcut, as_of, projects)
    tables["financials"] = _financials(rng, projects, tables["timesheets"], resources, pcost, cut, as_of, profile)
    raid = _raid(rng, projects, profile, cut, as_of, people)
    tables.update(raid)
    tables["status_updates"] = _status_updates(rng, projects, profile, pslip, pcost, cut, as_of)
    tables["calendars"] = pd.DataFrame(
        {
            "calendar": np.concatenate([np.full(v.size, k, dtype=object) for k, v in hol.items()]),
            "date": np.concatenate(list(hol.values())),
        }
    )
    tables["leave"] = _leave(rng, resources, as_of, std)
    # as a database export would be: each table sorted by its key
    from .schemas import TABLES

    return {
        name: frame.sort_values(list(TABLES[name].key), na_position="first", kind="stable").reset_index(drop=True)
        for name, frame in tables.items()
    }


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


def _mondays(d) -> np.ndarray:
    d = d.astype("datetime64[D]")
    return d - ((d.astype(np.int64) - 4) % 7).astype("timedelta64[D]")  # 1970-01-05 was a Monday


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


def _month_range(first, last) -> tuple[np.ndarray, np.ndarray]:
    f = first.astype("datetime64[M]")
    l_ = last.astype("datetime64[M]")
    count = (l_ - f).astype(np.int64) + 1
    count = np.maximum(count, 1)
    rep = np.repeat(np.arange(first.size), count)
    off = np.arange(rep.size) - np.repeat(np.cumsum(count) - count, count)
    return rep, f[rep] + off.astype("timedelta64[M]")


def _financials(rng, projects, timesheets, resources, pcost, cut, as_of, profile) -> pd.DataFrame:
    n = len(projects)
    start = projects["baseline_start"].to_numpy().astype("datetime64[D]")
    bfin = projects["baseline_finish"].to_numpy().astype("datetime64[D]")
    ffin = projects["forecast_finish"].to_numpy().astype("datetime64[D]")
    rep, month = _month_range(start, np.maximum(bfin, ffin))
    first_m = start.astype("datetime64[M]")[rep]
    span = (np.maximum(bfin, start).astype("datetime64[M]") - start.astype("datetime64[M]")).astype(np.int64) + 1
    pos = (month - first_m).astype(np.int64)
    in_plan = pos < span[rep]
    shape = np.where(in_plan, np.sin(np.pi * (pos + 0.5) / span[rep]) + 0.3, 0.0)
    total = np.bincount(rep, weights=shape, minlength=n)
    share = shape / total[rep]
    budget = projects["budget"].to_numpy()
    rate = resources.set_index("resource_id")["cost_rate"]
    labour = timesheets["hours"].to_numpy() * rate.reindex(timesheets["resource_id"]).to_numpy()
    lab = (
        pd.DataFrame(
            {
                "project_id": timesheets["project_id"],
                "month": timesheets["week_start"].to_numpy().astype("datetime64[M]"),
                "v": labour,
            }
        )
        .groupby(["project_id", "month"])["v"]
        .sum()
    )
    pid = projects["project_id"].to_numpy()[rep]
    lab_actual = lab.reindex(pd.MultiIndex.from_arrays([pid, month.astype("datetime64[ns]")])).fillna(0).to_numpy()
    past = month <= np.minimum(cut[rep], as_of).astype("datetime64[M]")
    rows = []
    for cat, part in (("labour", 0.75), ("external", 0.18), ("other", 0.07)):
        b = np.round(budget[rep] * part * share, 2)
        if cat == "labour":
            actual = np.where(past, np.round(lab_actual, 2), np.nan)
        else:
            actual = np.where(past, np.round(b * pcost[rep] * (0.8 + 0.4 * rng.random(rep.size)), 2), np.nan)
        stopped = np.isin(profile[rep], ["closed", "cancelled"]) | (month > as_of.astype("datetime64[M]")) & (
            profile[rep] == "on_hold"
        )
        future = np.where(stopped, 0.0, np.round(b * pcost[rep], 2))
        forecast = np.where(past, actual, future)
        rows.append(
            pd.DataFrame(
                {
                    "project_id": pid,
                    "month": month,
                    "category": cat,
                    "budget": b,
                    "actual": actual,
                    "forecast": forecast,
                }
            )
        )
    fin = pd.concat(rows, ignore_index=True).sort_values(["project_id", "month", "category"], kind="stable")
    return fin.reset_index(drop=True)


def _raid(rng, projects, profile, cut, as_of, people) -> dict[str, pd.DataFrame]:
    n = len(projects)
    start = projects["baseline_start"].to_numpy().astype("datetime64[D]")
    live = profile != "new"
    end = np.where(live, np.minimum(cut, as_of), start + 20)
    span = np.maximum((end - start).astype(np.int64), 1)
    pid = projects["project_id"].to_numpy()
    manager = projects["manager"].to_numpy()

    def spread(count):
        rep = np.repeat(np.arange(n), count)
        raised = start[rep] + (rng.random(rep.size) * span[rep]).astype("timedelta64[D]")
        return rep, raised

    # risks
    rep, raised = spread(rng.integers(3, 9, n))
    m = rep.size
    tmpl = rng.integers(0, len(RISK_TEMPLATES), m)
    status = np.where((rng.random(m) < 0.25) | np.isin(profile[rep], ["closed", "cancelled"]), "closed", "open")
    closed_on = np.where(
        status == "closed",
        np.minimum(raised + rng.integers(10, 120, m).astype("timedelta64[D]"), as_of),
        np.datetime64("NaT"),
    )
    closed_on = np.where(status == "closed", np.maximum(closed_on, raised), closed_on)
    owner = np.where(
        rng.random(m) < 0.08, None, np.where(rng.random(m) < 0.6, manager[rep], people[rng.integers(0, people.size, m)])
    )
    risks = pd.DataFrame(
        {
            "risk_id": _ids("RK", m),
            "project_id": pid[rep],
            "title": np.array([RISK_TEMPLATES[t][1] for t in tmpl], dtype=object),
            "category": np.array([RISK_TEMPLATES[t][0] for t in tmpl], dtype=object),
            "probability": rng.integers(1, 6, m),
            "impact": rng.integers(1, 6, m),
            "cost_impact": np.round(projects["budget"].to_numpy()[rep] * (0.01 + 0.12 * rng.random(m)), -2),
            "owner": owner,
            "mitigation": np.where(rng.random(m) < 0.1, None, "Agree contingency and monitor weekly"),
            "status": status,
            "raised_on": raised,
            "review_by": raised + rng.integers(30, 150, m).astype("timedelta64[D]"),
            "closed_on": closed_on,
        }
    )
    # issues
    rep, raised = spread(np.where(live, rng.integers(1, 5, n), 0))
    m = rep.size
    status = rng.choice(["open", "in_progress", "closed"], size=m, p=[0.3, 0.2, 0.5])
    status = np.where(np.isin(profile[rep], ["closed", "cancelled"]), "closed", status)
    closed_on = np.where(
        status == "closed",
        np.minimum(raised + rng.integers(3, 60, m).astype("timedelta64[D]"), as_of),
        np.datetime64("NaT"),
    )
    issues = pd.DataFrame(
        {
            "issue_id": _ids("IS", m),
            "project_id": pid[rep],
            "title": np.array(ISSUE_TITLES, dtype=object)[rng.integers(0, len(ISSUE_TITLES), m)],
            "severity": rng.choice(["low", "medium", "high", "critical"], size=m, p=[0.3, 0.4, 0.25, 0.05]),
            "owner": manager[rep],
            "status": status,
            "raised_on": raised,
            "due_on": raised + rng.integers(7, 45, m).astype("timedelta64[D]"),
            "closed_on": np.where(status == "closed", np.maximum(closed_on, raised), closed_on),
        }
    )
    # change requests; a re-baselined project has one big approved change
    count = np.where(live, rng.integers(0, 4, n), 0) + (profile == "rebaselined")
    rep, raised = spread(count)
    m = rep.size
    status = rng.choice(["proposed", "approved", "rejected"], size=m, p=[0.3, 0.5, 0.2])
    is_rebase = np.zeros(m, dtype=bool)
    first_of = np.searchsorted(rep, np.flatnonzero(profile == "rebaselined"))
    is_rebase[first_of] = True
    status = np.where(is_rebase, "approved", status)
    title = np.array(CHANGE_TITLES, dtype=object)[rng.integers(0, len(CHANGE_TITLES), m)]
    title = np.where(is_rebase, "Re-baseline schedule after scope change", title)
    decided = np.where(
        status != "proposed",
        np.minimum(raised + rng.integers(3, 30, m).astype("timedelta64[D]"), as_of),
        np.datetime64("NaT"),
    )
    changes = pd.DataFrame(
        {
            "change_id": _ids("CR", m),
            "project_id": pid[rep],
            "title": title,
            "cost_impact": np.round(projects["budget"].to_numpy()[rep] * (rng.random(m) * 0.12 - 0.02), -2),
            "schedule_impact_days": np.where(is_rebase, rng.integers(40, 80, m), rng.integers(-5, 25, m)).astype(float),
            "status": status,
            "raised_on": raised,
            "decided_on": np.where(status != "proposed", np.maximum(decided, raised), decided),
        }
    )
    return {"risks": risks, "issues": issues, "changes": changes}


def _status_updates(rng, projects, profile, pslip, pcost, cut, as_of) -> pd.DataFrame:
    start = projects["baseline_start"].to_numpy().astype("datetime64[D]")
    live = (profile != "new") & (start <= as_of)
    end = np.where(
        np.isin(profile, ["closed"]),
        projects["forecast_finish"].to_numpy().astype("datetime64[D]"),
        np.minimum(cut, as_of),
    )
    idx = np.flatnonzero(live)
    rep, month = _month_range(start[idx], end[idx])
    rep = idx[rep]
    m = rep.size
    first_m = start.astype("datetime64[M]")[rep]
    age = (month - first_m).astype(np.int64)
    sched = np.where(
        pslip[rep] > 1.2, np.where(age > 4, "R", np.where(age > 1, "A", "G")), np.where(rng.random(m) < 0.1, "A", "G")
    )
    cost = np.where(
        pcost[rep] > 1.15, np.where(age > 5, "R", np.where(age > 2, "A", "G")), np.where(rng.random(m) < 0.08, "A", "G")
    )
    scope = np.where(rng.random(m) < 0.07, "A", "G")
    worst = np.where(
        (sched == "R") | (cost == "R"), "R", np.where((sched == "A") | (cost == "A") | (scope == "A"), "A", "G")
    )
    overall = np.where(profile[rep] == "on_hold", "A", worst)
    # the project manager sometimes reports greener than the numbers say
    rosy = (overall == "R") & (rng.random(m) < 0.3)
    overall = np.where(rosy, "A", overall)
    pick = rng.integers(0, 3, m)
    comment = np.array(
        [COMMENTARY[o][k % len(COMMENTARY[o])] for o, k in zip(overall, pick, strict=True)], dtype=object
    )
    month_end = (month + 1).astype("datetime64[D]") - 1
    lag = np.where(rng.random(m) < 0.12, rng.integers(6, 15, m), rng.integers(0, 5, m))
    submitted = np.where(month_end >= as_of, month_end - rng.integers(0, 3, m), month_end + lag)
    return pd.DataFrame(
        {
            "project_id": projects["project_id"].to_numpy()[rep],
            "month": month,
            "overall_rag": overall,
            "schedule_rag": sched,
            "cost_rag": cost,
            "scope_rag": scope,
            "commentary": comment,
            "submitted_on": submitted.astype("datetime64[D]"),
        }
    )


def _leave(rng, resources, as_of, holidays) -> pd.DataFrame:
    m = len(resources)
    count = rng.integers(1, 5, m)
    rep = np.repeat(np.arange(m), count)
    start = np.datetime64("2025-05-05") + rng.integers(0, 700, rep.size).astype("timedelta64[D]")
    start = np.busday_offset(start, 0, roll="forward", holidays=holidays)
    finish = np.busday_offset(start, rng.integers(0, 10, rep.size), holidays=holidays)
    leave = pd.DataFrame({"resource_id": resources["resource_id"].to_numpy()[rep], "start": start, "finish": finish})
    return leave.drop_duplicates(["resource_id", "start"]).sort_values(["resource_id", "start"]).reset_index(drop=True)


def _format(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Dates as YYYY-MM-DD (months as YYYY-MM), flags as true/false, blanks empty."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            fmt = "%Y-%m" if col == "month" else "%Y-%m-%d"
            out[col] = s.dt.strftime(fmt)
        elif pd.api.types.is_bool_dtype(s):
            out[col] = np.where(s, "true", "false")
    return out


def write(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write each table as ``<name>.csv`` (UTF-8, comma, ISO dates), atomically per file."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        target = out_dir / f"{name}.csv"
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                _format(frame, name).to_csv(fh, index=False, lineterminator="\n", float_format="%.10g")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
    return written
