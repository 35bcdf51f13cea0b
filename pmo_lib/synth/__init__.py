"""A seeded generator of realistic, fictional portfolio datasets.

``datasets/sample`` is ``generate(SAMPLE)`` written with :func:`write`; a test
regenerates it and compares byte for byte. The same generator, with more
projects, makes the enterprise-size datasets used by ``benchmarks/``.

Everything is vectorised over projects and tasks (numpy), so 2,000 projects
with about 200k tasks and 2M timesheet rows take seconds, not minutes. All
names of people, projects and the organisation are invented.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..files import atomic_open
from ..schemas import TABLES
from .common import _busday, _ids
from .demand import _proposals
from .money import _financials
from .network import _forward_pass, _network
from .people import _assignments, _holidays, _leave, _people, _resources, _timesheets
from .raid import _raid, _status_updates
from .shape import LARGE, SAMPLE, Shape
from .vocabulary import AS_OF, HOURS_PER_DAY, PORTFOLIOS, PROFILES, PROGRAMMES, PROJECT_WORDS, ROLE_RATE, ROLES

__all__ = ["AS_OF", "LARGE", "SAMPLE", "Shape", "generate", "write"]


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
    work_cost = b_dur * HOURS_PER_DAY * fte * rates * tasks["people"].to_numpy()
    # project management is planned as overhead on the work packages: about 5 hours a week of the
    # project manager over the baseline, spread over the tasks in proportion to their cost
    first = np.full(n, np.datetime64("2100-01-01"), dtype="datetime64[D]")
    last = np.full(n, np.datetime64("1970-01-01"), dtype="datetime64[D]")
    np.minimum.at(first, tproj, b_start.astype("datetime64[D]"))
    np.maximum.at(last, tproj, b_finish.astype("datetime64[D]"))
    pm_cost = np.maximum((last - first).astype(np.int64), 0) / 7 * 5.0 * ROLE_RATE[0]
    work_total = np.bincount(tproj, weights=work_cost, minlength=n)
    overhead = 1 + np.where(work_total > 0, pm_cost / np.where(work_total > 0, work_total, 1), 0.0)
    planned_cost = np.round(work_cost * overhead[tproj], -1)

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
    tables.update(_proposals(shape, sponsors))
    # as a database export would be: each table sorted by its key
    return {
        name: frame.sort_values(list(TABLES[name].key), na_position="first", kind="stable").reset_index(drop=True)
        for name, frame in tables.items()
    }


def _format(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Dates as YYYY-MM-DD (months as YYYY-MM), flags as true/false, blanks empty."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            fmt = "%Y-%m" if col == "month" else "%Y-%m-%d"
            out[col] = s.dt.strftime(fmt)
        elif pd.api.types.is_bool_dtype(s):
            out[col] = s.astype(object).map({True: "true", False: "false"})  # a blank flag stays blank
    return out


def write(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write each table as ``<name>.csv`` (UTF-8, comma, ISO dates), atomically per file."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        target = out_dir / f"{name}.csv"
        with atomic_open(target, "w", encoding="utf-8", newline="") as fh:
            _format(frame, name).to_csv(fh, index=False, lineterminator="\n", float_format="%.10g")
        written.append(target)
    return written
