"""Trends from the history of monthly snapshots: what the report's "Trends" section shows.

A :class:`History` holds two long frames, one row per project (or milestone) and report month:
``project_months`` (the columns of the store's ``project_months`` table with ``month``) and
``milestones`` (the ``milestones`` table's with ``month``). :func:`pmo_lib.store.for_report` gives
the history of one report: the earlier months from the store and this month from the report being
made (so nothing is computed twice), or, with no store, every month worked out from the data as it
stood (:mod:`pmo_lib.store.backfill`). The functions below read it:

- :func:`portfolio_indices`: the portfolio's SPI and CPI per month, as ratios of summed EV, PV and AC;
- :func:`rag_strip`: computed (or reported) RAG per project and month;
- :func:`red_since`: for each project red this month, the month its present run of red began;
- :func:`changed_since_last`: what moved between the previous recorded month and this one;
- :func:`milestone_trend`: the forecast date of the key milestones by report month (the
  milestone trend analysis, MTA).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schema import tidy

# the smallest move of SPI or CPI that "changed since the last report" names
INDEX_STEP = 0.05


@dataclass
class History:
    """The recorded months of one report's projects (see the module notes)."""

    project_months: pd.DataFrame
    milestones: pd.DataFrame
    source: str = ""
    recorded: int = 0  # versions of the report's own month and portfolio already in the store

    @property
    def months(self) -> list[str]:
        """The report months held, oldest first, as ``YYYY-MM``."""
        if self.project_months.empty:
            return []
        return [str(m) for m in sorted(pd.to_datetime(self.project_months["month"]).dt.to_period("M").unique())]

    @property
    def has_trend(self) -> bool:
        """True when at least one month before the report's is held."""
        return len(self.months) >= 2


def frames(month, sections: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One report month's rows, as the store keeps them, with its ``month`` (first day) in front."""
    from .schema import frame_for, report_rows

    start = pd.Period(month, freq="M").start_time
    projects = frame_for("project_months", report_rows(sections), 0).drop(columns="snapshot_id")
    marks = sections.get("milestones_all", sections.get("milestones", pd.DataFrame()))
    marks = frame_for("milestones", marks, 0).drop(columns="snapshot_id")
    return projects.assign(month=start)[["month", *projects.columns]], marks.assign(month=start)[
        ["month", *marks.columns]
    ]


def from_months(months: list[tuple[str, dict]], source: str = "") -> History:
    """A history from built months (``(month, sections)`` pairs, any order)."""
    parts = [frames(m, s) for m, s in months]
    projects = pd.concat([p for p, _ in parts], ignore_index=True) if parts else pd.DataFrame(columns=["month"])
    marks = pd.concat([m for _, m in parts], ignore_index=True) if parts else pd.DataFrame(columns=["month"])
    projects = projects.sort_values(["month", "project_id"], kind="stable") if parts else projects
    marks = marks.sort_values(["month", "project_id", "task_id"], kind="stable") if parts else marks
    return History(tidy(projects), tidy(marks), source)


def stack(earlier: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """The earlier months' rows then the current month's (an empty part adds nothing, not even its dtypes)."""
    return current if earlier.empty else pd.concat([earlier, current], ignore_index=True)


def portfolio_indices(project_months: pd.DataFrame) -> pd.DataFrame:
    """Per report month: the rated projects' summed PV, EV, AC and the portfolio SPI = ΣEV / ΣPV, CPI = ΣEV / ΣAC.

    The indices of a roll-up are ratios of the summed values, not means of the projects' indices, so
    each project weighs by its size (PMI, *Practice Standard for Earned Value Management*, 2nd ed.,
    2011, ch. 6; Fleming & Koppelman, *Earned Value Project Management*, 4th ed., 2010, ch. 8).
    ``projects`` counts the rated projects of the month. An index with a zero denominator is blank.
    """
    rated = project_months[project_months["overall_rag"].notna()]
    sums = rated.groupby("month")[["pv", "ev", "ac"]].sum()
    sums["projects"] = rated.groupby("month")["project_id"].nunique()
    sums["spi"] = sums["ev"] / sums["pv"].where(sums["pv"] > 0)
    sums["cpi"] = sums["ev"] / sums["ac"].where(sums["ac"] > 0)
    return sums.reset_index()


def _grid(project_months: pd.DataFrame, column: str) -> pd.DataFrame:
    """``column`` per project (rows, in project order) and month (columns, oldest first)."""
    grid = project_months.pivot_table(index="project_id", columns="month", values=column, aggfunc="last", dropna=False)
    return grid.sort_index().sort_index(axis=1)


def rag_strip(project_months: pd.DataFrame, column: str = "overall_rag") -> pd.DataFrame:
    """RAG letter per project (rows) and report month (columns ``YYYY-MM``); blank where not rated or not held.

    Only projects rated in at least one month are listed.
    """
    values = project_months.assign(rag=project_months[column].astype("string"))
    grid = values.pivot(index="project_id", columns="month", values="rag").sort_index().sort_index(axis=1)
    grid = grid.dropna(how="all").fillna("")
    grid.columns = [f"{m:%Y-%m}" for m in grid.columns]
    grid.columns.name = "month"
    return grid


def red_since(project_months: pd.DataFrame) -> pd.DataFrame:
    """The projects computed red in the last month held, with the month their present run of red months began.

    ``months_red`` counts the consecutive red months ending with the last one (a month not held
    ends the run); ``before_history`` is True when the run reaches the first month held, so the
    project may have been red for longer (``red_since`` then says "or earlier"). Longest run first.
    """
    columns = ["project_id", "name", "red_since", "months_red", "before_history", "reported_rag"]
    if project_months.empty:
        return pd.DataFrame(columns=columns)
    red = _grid(project_months.assign(red=(project_months["overall_rag"] == "R").astype(float)), "red")
    last = red.columns[-1]
    now = red[red[last] == 1.0]
    if now.empty:
        return pd.DataFrame(columns=columns)
    flags = now.fillna(0.0).to_numpy()[:, ::-1] == 1.0
    run = np.cumprod(flags, axis=1).sum(axis=1)
    months = list(now.columns)
    latest = project_months[project_months["month"] == last].set_index("project_id")
    out = pd.DataFrame(
        {
            "project_id": now.index,
            "name": latest.loc[now.index, "name"].to_numpy(),
            "red_since": [
                f"{months[len(months) - n]:%Y-%m}" + (" or earlier" if n == len(months) else "") for n in run
            ],
            "months_red": run,
            "before_history": run == len(months),
            "reported_rag": latest.loc[now.index, "reported_rag"].to_numpy(),
        }
    )
    return out.sort_values(["months_red", "project_id"], ascending=[False, True]).reset_index(drop=True)


def changed_since_last(project_months: pd.DataFrame, step: float = INDEX_STEP) -> pd.DataFrame:
    """What moved between the two last months held, per project, from their recorded rows.

    Named changes: the computed or reported RAG, SPI or CPI by at least ``step``, the forecast
    finish (calendar days), a project new in the month or no longer reported. One row per project
    that changed, with the before and now values and ``what`` in words; most changes first.
    """
    columns = ["project_id", "name", "what", "rag_before", "rag_now", "spi_before", "spi_now", "cpi_before",
               "cpi_now", "finish_moved_days"]  # fmt: skip
    months = sorted(project_months["month"].unique())
    if len(months) < 2:
        return pd.DataFrame(columns=columns)
    before = project_months[project_months["month"] == months[-2]].set_index("project_id")
    now = project_months[project_months["month"] == months[-1]].set_index("project_id")
    ids = now.index.union(before.index)
    b, n = before.reindex(ids), now.reindex(ids)
    moved = (n["forecast_finish"] - b["forecast_finish"]).dt.days
    rag_b, rag_n = b["overall_rag"].astype("string"), n["overall_rag"].astype("string")
    rep_b, rep_n = b["reported_rag"].astype("string"), n["reported_rag"].astype("string")
    spi_d, cpi_d = n["spi"] - b["spi"], n["cpi"] - b["cpi"]

    def said(mask, words) -> pd.Series:
        return pd.Series(np.where(mask.fillna(False).to_numpy(dtype=bool), words, ""), index=ids, dtype=object)

    parts = [
        said(pd.Series(~ids.isin(before.index), index=ids), "new this month"),
        said(pd.Series(~ids.isin(now.index), index=ids), "not in this month's report"),
        said((rag_b != rag_n) & rag_b.notna() & rag_n.notna(), "computed RAG " + rag_b.fillna("") + " → " + rag_n.fillna("")),
        said((rep_b != rep_n) & rep_b.notna() & rep_n.notna(), "reported RAG " + rep_b.fillna("") + " → " + rep_n.fillna("")),
        said(spi_d.abs() >= step - 1e-12, "SPI " + b["spi"].map("{:.2f}".format) + " → " + n["spi"].map("{:.2f}".format)),
        said(cpi_d.abs() >= step - 1e-12, "CPI " + b["cpi"].map("{:.2f}".format) + " → " + n["cpi"].map("{:.2f}".format)),
        said(moved > 0, "forecast finish " + moved.abs().map(_days) + " later"),
        said(moved < 0, "forecast finish " + moved.abs().map(_days) + " earlier"),
    ]  # fmt: skip
    stacked = pd.concat(parts, axis=1)
    count = (stacked != "").sum(axis=1) + 10 * (stacked.iloc[:, 2] != "")  # a computed RAG move first
    what = stacked.where(stacked == "", stacked + "; ").sum(axis=1).str.removesuffix("; ")
    out = pd.DataFrame(
        {
            "project_id": ids,
            "name": n["name"].fillna(b["name"]).to_numpy(),
            "what": what.to_numpy(),
            "rag_before": rag_b.to_numpy(),
            "rag_now": rag_n.to_numpy(),
            "spi_before": b["spi"].to_numpy(),
            "spi_now": n["spi"].to_numpy(),
            "cpi_before": b["cpi"].to_numpy(),
            "cpi_now": n["cpi"].to_numpy(),
            "finish_moved_days": moved.to_numpy(),
            "_count": count.to_numpy(),
        }
    )
    out = out[out["_count"] > 0].sort_values(["_count", "project_id"], ascending=[False, True])
    return out.drop(columns="_count").reset_index(drop=True)


def _days(n) -> str:
    return "" if pd.isna(n) else f"{n:.0f} day" + ("" if n == 1 else "s")


def milestone_trend(milestones: pd.DataFrame, limit: int = 8) -> pd.DataFrame:
    """The milestone trend analysis: each key milestone's forecast date by report month.

    Key milestones are those not yet achieved in the first month held, held in at least two
    months, other than a project's start: the ``limit`` whose forecast moved most over the months
    held (latest forecast minus earliest, in calendar days), then by project. Once achieved, the
    milestone's date is its actual date. Columns: ``month``, ``project_id``, ``task_id``,
    ``label`` ("P003 Build gate"), ``date``, ``moved_days`` (its total move), ``achieved``; the
    milestone that moved most first.
    """
    columns = ["month", "project_id", "task_id", "label", "date", "moved_days", "achieved"]
    if milestones.empty:
        return pd.DataFrame(columns=columns)
    marks = milestones[~milestones["name"].astype(str).str.lower().eq("project start")].copy()
    marks["achieved"] = marks["actual_date"].notna() & (marks["actual_date"] < marks["month"] + pd.offsets.MonthEnd(0) + pd.Timedelta(days=1))  # fmt: skip
    marks["date"] = marks["actual_date"].where(marks["achieved"], marks["forecast_date"])
    marks = marks[marks["date"].notna()]
    first = marks["month"].min()
    key = ["project_id", "task_id"]
    done_at_start = marks[(marks["month"] == first) & marks["achieved"]].set_index(key).index
    marks = marks[~marks.set_index(key).index.isin(done_at_start)]
    spans = (
        marks.sort_values("month").groupby(key).agg(n=("month", "size"), start=("date", "first"), end=("date", "last"))
    )
    spans["moved_days"] = (spans["end"] - spans["start"]).dt.days
    spans = spans[spans["n"] >= 2].reset_index()
    spans["size"] = spans["moved_days"].abs()
    chosen = spans.sort_values(["size", "project_id", "task_id"], ascending=[False, True, True]).head(limit)
    chosen["rank"] = np.arange(len(chosen))
    out = marks.merge(chosen[[*key, "moved_days", "rank"]], on=key)
    out["label"] = out["project_id"] + " " + out["name"].astype(str)
    out = out.sort_values(["rank", "month"])
    return out[columns].reset_index(drop=True)


def sheets(history: History) -> dict[str, pd.DataFrame]:
    """The trend tables of a report (keys of the report's workbook sheets), empty when there is no trend yet."""
    if not history.has_trend:
        return {}
    return {
        "trend": portfolio_indices(history.project_months),
        "rag_history": rag_strip(history.project_months).reset_index(),
        "changed_since_last": changed_since_last(history.project_months),
        "red_since": red_since(history.project_months),
        "milestone_trend": milestone_trend(history.milestones),
    }


__all__ = [
    "INDEX_STEP",
    "History",
    "changed_since_last",
    "frames",
    "from_months",
    "milestone_trend",
    "portfolio_indices",
    "rag_strip",
    "red_since",
    "sheets",
    "stack",
]
