"""Monthly financials: budget phased on an S-curve, actuals from timesheets and spend, forecasts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .common import _month_range


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
