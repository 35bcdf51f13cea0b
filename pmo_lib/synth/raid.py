"""Risks, issues, change requests and monthly status updates with RAG and commentary."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .common import _ids, _month_range
from .vocabulary import CHANGE_TITLES, COMMENTARY, ISSUE_TITLES, RISK_TEMPLATES


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
