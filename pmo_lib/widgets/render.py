"""The what-if planner's outputs as HTML blocks: KPI cards, the utilisation heat map and the tables.

Each function takes a :class:`~pmo_lib.planner.Outcome` and returns a
:class:`Block`: HTML for people (text from the data escaped) and a one-line
text summary for anything that cannot show HTML (and for nbval). The live
planner (:mod:`pmo_lib.widgets.live`) and the static what-if page both use them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..planner import KPI_LABELS, LEVELLED_KPI, Outcome
from ..reporting.tables import escape

MAX_ROWS = 15  # rows of the over-allocation list and of the dates table shown on screen
BLUES = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
OVER = "#d55e00"  # Okabe-Ito vermilion, as the report's Red
LABELS = {**KPI_LABELS, "projects_later_levelled": LEVELLED_KPI}


class Block:
    """An HTML block for a notebook, with a short text summary for anything that cannot show HTML."""

    def __init__(self, html: str, text: str):
        self.html, self.text = html, text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


# --- rendering (HTML strings; no widgets needed) ---------------------------------------------------------


def _cell_style(share: float) -> str:
    if not np.isfinite(share):
        return "background:#eeeeee;color:#555"
    if share > 1 + 1e-9:
        return f"background:{OVER};color:white;font-weight:bold;outline:2px solid black"
    shade = BLUES[min(int(share * (len(BLUES) - 1) + 0.5), len(BLUES) - 1)]
    return f"background:{shade};color:{'white' if share > 0.55 else 'black'}"


def heatmap(outcome: Outcome) -> Block:
    """Team x week utilisation as an HTML table: the percentage in each cell, over 100 % bold, outlined and vermilion."""
    share = outcome.utilisation
    head = "".join(
        f"<th style='padding:2px 3px;font-weight:normal;white-space:nowrap'>{w:%d %b}</th>" for w in share.columns
    )
    body = []
    for team, row in share.iterrows():
        cells = "".join(
            f"<td style='{_cell_style(v)};padding:2px 3px;text-align:right'>{'-' if not np.isfinite(v) else f'{v:.0%}'}</td>"
            for v in row.to_numpy(dtype=float)
        )
        body.append(
            f"<tr><th style='text-align:left;padding:2px 6px;white-space:nowrap'>{escape(team)}</th>{cells}</tr>"
        )
    html = (
        "<div style='overflow-x:auto'><table style='border-collapse:collapse;font-size:11px'>"
        f"<caption style='text-align:left'>Utilisation by team and week (booked hours / available hours, "
        f"weeks starting Monday; over 100 % is outlined)</caption>"
        f"<tr><th></th>{head}</tr>{''.join(body)}</table></div>"
    )
    values = share.to_numpy(dtype=float)
    if np.isfinite(values).any():
        t, w = np.unravel_index(np.nanargmax(values), values.shape)
        peak = f"peak {values[t, w]:.0%} ({share.index[t]}, week of {share.columns[w]:%Y-%m-%d})"
    else:
        peak = "no capacity"
    over = int((values > 1 + 1e-9).sum())
    text = f"<heat map: {len(share)} teams x {share.shape[1]} weeks from {share.columns[0]:%Y-%m-%d}; {peak}; {over} team-weeks over 100%>"
    return Block(html, text)


def _delta_text(key: str, value: float, base: float) -> str:
    if not (np.isfinite(value) and np.isfinite(base)) or abs(value - base) < 1e-9:
        return "no change"
    diff = value - base
    unit = LABELS[key][1]
    shown = f"{100 * diff:+.1f} pts" if unit == "share" else f"{diff:+,.0f}"
    return f"{shown} vs baseline"


def kpi_cards(outcome: Outcome, baseline: Outcome, currency: str = "") -> Block:
    """The KPIs as cards, each with its change against the baseline."""
    cards, lines = [], []
    for key, (label, unit) in LABELS.items():
        if key not in outcome.kpis:
            continue
        value, base = outcome.kpis[key], baseline.kpis.get(key, 0)  # the baseline has no levelled lateness
        shown = cell_text(value, unit) + (f" {currency}" if unit == "currency" and currency else "")
        shown += " h" if unit == "hours" else ""
        delta = _delta_text(key, value, base)
        cards.append(
            "<div style='border:1px solid #999;border-radius:4px;padding:4px 8px;margin:2px;min-width:130px'>"
            f"<div style='font-size:11px;color:#333'>{escape(label)}</div>"
            f"<div style='font-size:18px;font-weight:bold'>{escape(shown)}</div>"
            f"<div style='font-size:11px'>{escape(delta)}</div></div>"
        )
        lines.append(f"{label}: {shown} ({delta})")
    html = f"<div style='display:flex;flex-wrap:wrap'>{''.join(cards)}</div>"
    return Block(html, "\n".join(lines))


def _table(frame: pd.DataFrame, caption: str, text: str) -> Block:
    head = "".join(f"<th style='text-align:left;padding:2px 6px'>{escape(c)}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td style='padding:2px 6px'>{escape(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    html = (
        f"<table style='border-collapse:collapse;font-size:12px'><caption style='text-align:left'>{escape(caption)}"
        f"</caption><tr>{head}</tr>{rows}</table>"
    )
    return Block(html, text)


def dates_table(outcome: Outcome, limit: int | None = MAX_ROWS) -> Block:
    """Live projects' finish dates with the delay against the baseline, most delayed first (levelled first when levelled)."""
    dates = outcome.dates
    order = ["levelled_delay_days", "delay_days"] if "levelled_delay_days" in dates else ["delay_days"]
    shown = dates[dates["live"]].sort_values(
        [*order, "finish"], ascending=[False] * len(order) + [True], na_position="last"
    )
    cancelled = dates.loc[~dates["live"] & dates["baseline_finish"].notna(), "project_id"]  # by this scenario
    later = int((shown["delay_days"] > 0).sum())
    earlier = int((shown["delay_days"] < 0).sum())
    table = pd.DataFrame(
        {
            "Project": shown["project_id"],
            "Name": shown["name"],
            "Priority": shown["priority"],
            "Baseline finish": shown["baseline_finish"].dt.strftime("%Y-%m-%d"),
            "Finish": shown["finish"].dt.strftime("%Y-%m-%d"),
            "Delay (days)": shown["delay_days"].map(lambda d: "" if pd.isna(d) else f"{d:+.0f}" if d else "0"),
        }
    )
    if "levelled_finish" in shown:
        table["Levelled finish"] = shown["levelled_finish"].dt.strftime("%Y-%m-%d")
        table["Levelled delay (days)"] = shown["levelled_delay_days"].map(
            lambda d: "" if pd.isna(d) else f"{d:+.0f}" if d else "0"
        )
        table["Waiting for (role)"] = shown["cause"].fillna("")
    rows = table if limit is None else table.head(limit)
    caption = f"Project finish dates ({later} later, {earlier} earlier than the baseline; {len(shown)} live projects)"
    text = f"<finish dates: {len(shown)} live projects, {later} later, {earlier} earlier than the baseline>"
    block = _table(rows, caption, text)
    if len(cancelled):
        block.html += f"<div style='font-size:12px'>Cancelled in this scenario: {escape(', '.join(cancelled))}</div>"
    return block


def over_table(outcome: Outcome, limit: int | None = MAX_ROWS) -> Block:
    """The over-allocated person-weeks, largest overload first."""
    over = outcome.over.sort_values(["over_hours", "period"], ascending=[False, True])
    table = pd.DataFrame(
        {
            "Person": over["name"],
            "Team": over["team"],
            "Week of": pd.DatetimeIndex(over["period"]).strftime("%Y-%m-%d"),
            "Booked (h)": over["demand_hours"].map("{:,.1f}".format),
            "Available (h)": over["capacity_hours"].map("{:,.1f}".format),
            "Over (h)": over["over_hours"].map("{:,.1f}".format),
            "Projects": over["projects"],
        }
    )
    rows = table if limit is None else table.head(limit)
    people = over["resource_id"].nunique()
    caption = (
        f"Over-allocated: {len(over)} person-weeks, {people} people, {over['over_hours'].sum():,.0f} hours over"
        + (f" (largest {limit} shown)" if limit is not None and len(over) > limit else "")
    )
    return _table(rows, caption, f"<over-allocation: {len(over)} person-weeks, {people} people>")


def gaps_table(outcome: Outcome) -> Block:
    """Roles short of people: unnamed demand their people's spare hours cannot cover, week by week."""
    gaps = outcome.role_gaps
    short = gaps[gaps["gap_fte"] > 1e-9] if gaps is not None and len(gaps) else pd.DataFrame(columns=["role"])
    if short.empty:
        text = "<role gaps: none>"
        return Block("<p style='font-size:12px'>No role is short of people in the window: the unnamed demand fits in "
                     "the spare hours of the people in each role.</p>", text)  # fmt: skip
    table = (
        short.groupby("role", observed=True)
        .agg(first=("period", "min"), weeks=("period", "size"), peak=("gap_fte", "max"), hours=("gap_hours", "sum"))
        .sort_values(["peak", "hours"], ascending=False)
    )
    shown = pd.DataFrame(
        {
            "Role": table.index,
            "First week short": pd.DatetimeIndex(table["first"]).strftime("%Y-%m-%d"),
            "Weeks short": table["weeks"].to_numpy(),
            "People missing, worst week (FTE)": table["peak"].map("{:.1f}".format).to_numpy(),
            "Hours not covered": table["hours"].map("{:,.0f}".format).to_numpy(),
        }
    )
    caption = "Roles short of people: unnamed demand beyond the spare hours of the people in the role"
    return _table(shown, caption, f"<role gaps: {len(shown)} roles short>")


def compare_table(table: pd.DataFrame, changed_only: bool = True) -> Block:
    """A :func:`pmo_lib.planner.compare` table for reading (dates as dates, shares as percentages).

    With ``changed_only`` (the default) the headline figures are always shown
    and any other row only when a scenario differs from the baseline there.
    """
    cells = table.copy()
    for column in cells.columns[2:]:
        cells[column] = [cell_text(v, u) for v, u in zip(table[column], table["unit"], strict=True)]
    headline = {label for label, _ in LABELS.values()}
    differs = (cells[cells.columns[3:]].ne(cells[cells.columns[2]], axis=0)).any(axis=1)
    keep = table["measure"].isin(headline) | differs if changed_only else pd.Series(True, index=table.index)
    shown = cells[keep.to_numpy()]
    shown.columns = ["Measure", "Unit", *shown.columns[2:]]
    hidden = int((~keep).sum())
    caption = "Baseline and scenarios side by side" + (
        f" (the headline figures and every row a scenario changes; {hidden} unchanged rows not shown)" if hidden else ""
    )
    return _table(shown, caption, f"<comparison: {table.shape[1] - 2} columns, {len(shown)} of {len(table)} rows>")


def cell_text(value, unit: str) -> str:
    """One comparison value as text by its unit: dates as dates, shares as percentages, days signed, "-" if blank."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "-"
    if unit == "date":
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    if unit == "share":
        return f"{value:.0%}"
    if unit == "FTE":
        return f"{value:.1f}"
    if unit == "days":
        return f"{value:+.0f}" if value else "0"
    return f"{value:,.0f}"


__all__ = ["Block", "cell_text", "compare_table", "dates_table", "gaps_table", "heatmap", "kpi_cards", "over_table"]
