"""The what-if planner for JupyterLab (ipywidgets 8): move a control, see capacity, dates and cost change.

``pmo.widgets.planner(portfolio)`` returns a :class:`WhatIfPlanner`; show it
as the last line of a cell. Its controls build a
:class:`~pmo_lib.scenarios.Scenario` (start a project later, pause it,
cancel it, change its priority; change a person's FTE or one of their bookings, or let them leave;
hire people into a role; load a saved file for anything else), and every
change asks :class:`~pmo_lib.planner.Planner` for the outcome and redraws:

- KPI cards, each with the change against the baseline;
- a team x week utilisation heat map (the percentage is printed in every
  cell; over 100 % is bold and outlined as well as coloured, so it reads in
  print and for colour-blind readers);
- project finish dates with the delay against the baseline;
- the over-allocated person-weeks;
- the roles short of people (unnamed demand beyond the role's spare hours).

The scenario can be saved to a YAML file and saved scenarios loaded or
compared side by side. The widgets only display: every number comes from
:mod:`pmo_lib.planner`. The rendering functions (:func:`heatmap`,
:func:`kpi_cards`, :func:`dates_table`, :func:`over_table`, :func:`gaps_table`,
:func:`compare_table`) return HTML blocks that the static what-if report
shows without widgets.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from .planner import KPI_LABELS, LEVELLED_KPI, Outcome, Planner, compare
from .present import escape
from .scenarios import Scenario, ScenarioError

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


def _kpi_text(key: str, value: float) -> str:
    unit = LABELS[key][1]
    if not np.isfinite(value):
        return "-"
    if unit == "share":
        return f"{value:.0%}"
    if unit in ("hours", "currency"):
        return f"{value:,.0f}"
    return f"{value:,.0f}"


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
        shown = _kpi_text(key, value) + (f" {currency}" if unit == "currency" and currency else "")
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
        cells[column] = [_compare_cell(v, u) for v, u in zip(table[column], table["unit"], strict=True)]
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


def _compare_cell(value, unit: str) -> str:
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


# --- the planner ---------------------------------------------------------------------------------------------


class WhatIfPlanner:
    """Controls, outputs and the scenario they build. ``widget`` is what a notebook shows.

    Parameters
    ----------
    portfolio
        The baseline portfolio.
    weeks
        Planning window [weeks], from the first Monday after the data date.
    folder
        Where scenarios are saved and loaded (``*.yaml``).
    currency
        Shown with the cost.
    engine
        A :class:`~pmo_lib.planner.Planner` already built on ``portfolio`` (saves building it twice).
    level
        Start with levelling against role capacity switched on.
    """

    def __init__(
        self, portfolio, *, weeks: int = 26, start=None, folder=".", currency: str = "", engine=None, level=False
    ):
        import ipywidgets as w

        self.engine = engine if engine is not None else Planner(portfolio, start=start, weeks=weeks)
        self.folder = Path(folder)
        self.currency = currency
        self.timings: list[dict] = []  # one entry per redraw: compute_ms, render_ms
        self.projects_state: dict[str, dict] = {}
        self.people_state: dict[str, dict] = {}
        self.hires_state: dict[str, dict] = {}
        self.other: list[dict] = []  # changes from a loaded file that have no control here
        self._quiet = False
        people = portfolio.resources
        live = self.engine.baseline.dates
        live = live[live["live"]]
        self._priority = dict(zip(live["project_id"], live["priority"], strict=True))
        self._roles = people.groupby("role", observed=True).agg(team=("team", lambda s: s.mode().iloc[0]),
                                                                  cost_rate=("cost_rate", "median"))  # fmt: skip
        self._fte = dict(zip(people["resource_id"], people["fte"].astype(float).fillna(1.0), strict=True))
        n = self.engine.weeks
        style = {"description_width": "150px"}
        wide = w.Layout(width="420px")
        # projects
        self.project = w.Dropdown(
            options=[(f"{p} {name}", p) for p, name in zip(live["project_id"], live["name"], strict=True)],
            description="Project",
            style=style,
            layout=wide,
        )
        self.shift = w.IntSlider(0, -8, n, description="Start later (weeks)", style=style, layout=wide)
        self.pause = w.IntSlider(0, 0, n, description="Pause now for (weeks)", style=style, layout=wide)
        self.cancel = w.Checkbox(
            False, description="Cancel the project now", indent=False, layout=w.Layout(width="auto")
        )
        self.priority = w.IntSlider(3, 1, 5, description="Priority (1 = highest)", style=style, layout=wide)
        self.levelling = w.Checkbox(bool(level), description="Level tasks against role capacity (priority decides)",
                                    indent=False, layout=w.Layout(width="auto"))  # fmt: skip
        # people
        self.person = w.Dropdown(
            options=[
                (f"{name} ({team}, {role})", r)
                for r, name, team, role in people[["resource_id", "name", "team", "role"]].itertuples(False)
            ],
            description="Person",
            style=style,
            layout=wide,
        )
        self.fte = w.FloatSlider(1.0, min=0.0, max=1.5, step=0.1, description="FTE", style=style, layout=wide)
        self.leaves = w.IntSlider(0, 0, n, description="Leaves in week (0 = stays)", style=style, layout=wide)
        jobs = portfolio.assignments
        self._jobs = jobs[(jobs["finish"] >= self.engine.start) & (jobs["start"] <= self.engine.end)]
        self._booking_fte = dict(zip(self._jobs["assignment_id"], self._jobs["fte"].astype(float), strict=True))
        self.booking = w.Dropdown(description="Their booking", style=style, layout=wide)
        self.booking_fte = w.FloatSlider(
            0.0, min=0.0, max=1.5, step=0.1, description="Booking FTE", style=style, layout=wide
        )
        self.bookings_state: dict[str, float] = {}
        # hiring
        self.role = w.Dropdown(options=list(self._roles.index), description="Hire into role", style=style, layout=wide)
        self.hires = w.IntSlider(0, 0, 10, description="People to hire", style=style, layout=wide)
        self.hire_week = w.IntSlider(1, 1, n, description="Starting in week", style=style, layout=wide)
        # outputs
        self.status = w.HTML()
        self.cards = w.HTML()
        self.heat = w.HTML()
        self.dates = w.HTML()
        self.over = w.HTML()
        self.gaps = w.HTML()
        # scenarios
        self.name = w.Text("what-if", description="Scenario name", style=style, layout=wide)
        self.save_button = w.Button(description="Save scenario", icon="save")
        self.saved = w.SelectMultiple(options=self._saved_files(), description="Saved scenarios", style=style,
                                      layout=w.Layout(width="420px", height="90px"))  # fmt: skip
        self.load_button = w.Button(description="Load (first selected)")
        self.compare_button = w.Button(description="Compare selected")
        self.reset_button = w.Button(description="Back to baseline")
        self.comparison = w.HTML()
        tabs = w.Tab(
            children=[
                w.VBox([self.project, self.shift, self.pause, self.priority, self.cancel, self.levelling]),
                w.VBox([self.person, self.fte, self.leaves, self.booking, self.booking_fte]),
                w.VBox([self.role, self.hires, self.hire_week]),
                w.VBox(
                    [
                        w.HBox([self.name, self.save_button]),
                        w.HBox([self.saved, w.VBox([self.load_button, self.compare_button, self.reset_button])]),
                        self.comparison,
                    ]
                ),
            ]
        )
        for i, title in enumerate(("Projects", "People", "Hiring", "Scenarios")):
            tabs.set_title(i, title)
        self.widget = w.VBox([tabs, self.status, self.cards, self.heat, w.HBox([self.dates, self.over]), self.gaps])
        for control in (self.shift, self.pause, self.cancel, self.priority):
            control.observe(self._project_changed, names="value")
        for control in (self.fte, self.leaves):
            control.observe(self._person_changed, names="value")
        for control in (self.hires, self.hire_week):
            control.observe(self._hire_changed, names="value")
        self.levelling.observe(lambda _: self.refresh(), names="value")
        self.project.observe(lambda _: self._show_project(), names="value")
        self.person.observe(lambda _: self._show_person(), names="value")
        self.booking.observe(lambda _: self._show_booking(), names="value")
        self.booking_fte.observe(self._booking_changed, names="value")
        self.role.observe(lambda _: self._show_hire(), names="value")
        self.save_button.on_click(lambda _: self.save())
        self.load_button.on_click(lambda _: self.load(self.folder / self.saved.value[0]) if self.saved.value else None)
        self.compare_button.on_click(lambda _: self.compare([self.folder / f for f in self.saved.value]))
        self.reset_button.on_click(lambda _: self.reset())
        self._show_project()
        self._show_person()
        self._show_hire()
        self.refresh()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)  # the live widget in JupyterLab
        bundle["text/plain"] = repr(self)  # stable text where widgets cannot show (and for nbval)
        return bundle

    def __repr__(self) -> str:
        return f"<what-if planner: {self.engine.weeks} weeks from {self.engine.start:%Y-%m-%d}; {len(self.scenario().changes)} change(s)>"

    # --- state <-> controls -------------------------------------------------------------------------------

    def _show_project(self):
        s = self.projects_state.get(self.project.value, {})
        self._quietly(
            (self.shift, s.get("shift", 0)),
            (self.pause, s.get("pause", 0)),
            (self.cancel, s.get("cancel", False)),
            (self.priority, int(s.get("priority", self._priority.get(self.project.value, 3)))),
        )

    def _show_person(self):
        s = self.people_state.get(self.person.value, {})
        self._quietly(
            (self.fte, s.get("fte", self._fte.get(self.person.value, 1.0))), (self.leaves, s.get("leaves", 0))
        )
        mine = self._jobs[self._jobs["resource_id"] == self.person.value]
        options = [
            (f"{a} {p} {t if isinstance(t, str) else ''} {f:g} FTE {b:%d %b}-{e:%d %b %Y}", a)
            for a, p, t, f, b, e in mine[["assignment_id", "project_id", "task_id", "fte", "start", "finish"]].itertuples(False)
        ]  # fmt: skip
        self._quiet = True
        try:
            self.booking.options = options
            self.booking.value = options[0][1] if options else None
        finally:
            self._quiet = False
        self._show_booking()

    def _show_booking(self):
        booking = self.booking.value
        self.booking_fte.disabled = booking is None
        value = self.bookings_state.get(booking, self._booking_fte.get(booking, 0.0)) if booking else 0.0
        self._quietly((self.booking_fte, value))

    def _show_hire(self):
        s = self.hires_state.get(self.role.value, {})
        self._quietly((self.hires, s.get("count", 0)), (self.hire_week, s.get("week", 1)))

    def _quietly(self, *pairs):
        self._quiet = True
        try:
            for control, value in pairs:
                control.value = value
        finally:
            self._quiet = False

    def _project_changed(self, _):
        if self._quiet or self.project.value is None:
            return
        self.projects_state[self.project.value] = {
            "shift": self.shift.value,
            "pause": self.pause.value,
            "cancel": self.cancel.value,
            "priority": self.priority.value,
        }
        self.refresh()

    def _person_changed(self, _):
        if self._quiet or self.person.value is None:
            return
        self.people_state[self.person.value] = {"fte": round(self.fte.value, 2), "leaves": self.leaves.value}
        self.refresh()

    def _booking_changed(self, _):
        if self._quiet or self.booking.value is None:
            return
        self.bookings_state[self.booking.value] = round(self.booking_fte.value, 2)
        self.refresh()

    def _hire_changed(self, _):
        if self._quiet or self.role.value is None:
            return
        self.hires_state[self.role.value] = {"count": self.hires.value, "week": self.hire_week.value}
        self.refresh()

    def _week(self, k: int) -> str:
        """The Monday of week ``k`` of the window (1 = first)."""
        return f"{self.engine.start + pd.Timedelta(weeks=k - 1):%Y-%m-%d}"

    def scenario(self) -> Scenario:
        """The scenario the controls describe (plus changes loaded from a file that have no control)."""
        changes = []
        for project, s in self.projects_state.items():
            if s.get("shift"):
                changes.append({"kind": "shift_project", "project_id": project, "days": 7 * s["shift"]})
            if s.get("pause"):
                changes.append({"kind": "pause_project", "project_id": project, "date": self._week(1), "weeks": s["pause"]})  # fmt: skip
            if s.get("priority") is not None and s["priority"] != self._priority.get(project):
                changes.append({"kind": "set_priority", "project_id": project, "priority": int(s["priority"])})
            if s.get("cancel"):
                changes.append({"kind": "cancel_project", "project_id": project, "date": self._week(1)})
        for person, s in self.people_state.items():
            if abs(s.get("fte", self._fte[person]) - self._fte[person]) > 1e-9:
                changes.append({"kind": "change_fte", "resource_id": person, "fte": float(s["fte"])})
            if s.get("leaves"):
                changes.append({"kind": "remove_person", "resource_id": person, "date": self._week(s["leaves"])})
        for booking, fte in self.bookings_state.items():
            if abs(fte - self._booking_fte[booking]) > 1e-9:
                changes.append({"kind": "change_booking", "assignment_id": booking, "fte": float(fte)})
        for role, s in self.hires_state.items():
            info = self._roles.loc[role]
            for i in range(1, s.get("count", 0) + 1):
                changes.append({"kind": "add_person", "resource_id": f"NEW-{role}-{i}", "name": f"New {role} {i}",
                                "role": role, "team": str(info["team"]), "fte": 1.0,
                                "cost_rate": float(info["cost_rate"]), "start": self._week(s.get("week", 1))})  # fmt: skip
        return Scenario(self.name.value.strip() or "what-if", changes + list(self.other))

    # --- actions -------------------------------------------------------------------------------------------

    def refresh(self) -> Outcome:
        """Recompute the outcome of the current scenario and redraw; the times go to :attr:`timings`."""
        t0 = time.perf_counter()
        try:
            outcome = self.engine.evaluate(self.scenario(), level=self.levelling.value)
        except ScenarioError as exc:
            self.status.value = f"<b>This scenario cannot be used.</b><pre>{escape(exc)}</pre>"
            return self.engine.baseline
        t1 = time.perf_counter()
        base = self.engine.baseline
        self.cards.value = kpi_cards(outcome, base, self.currency).html
        self.heat.value = heatmap(outcome).html
        self.dates.value = dates_table(outcome).html
        self.over.value = over_table(outcome).html
        self.gaps.value = gaps_table(outcome).html
        t2 = time.perf_counter()
        self.outcome = outcome
        self.timings.append({"compute_ms": 1e3 * (t1 - t0), "render_ms": 1e3 * (t2 - t1)})
        n = len(self.scenario().changes)
        self.status.value = (
            f"{n} change(s) from the baseline; window {self.engine.weeks} weeks from {self.engine.start:%d %b %Y}. "
            f"Updated in {1e3 * (t2 - t0):.0f} ms."
        )
        return outcome

    def reset(self) -> None:
        """Drop every change: back to the baseline."""
        self.projects_state.clear()
        self.people_state.clear()
        self.hires_state.clear()
        self.bookings_state.clear()
        self.other = []
        self._show_project()
        self._show_person()
        self._show_hire()
        self.refresh()

    def _saved_files(self) -> list[str]:
        return sorted(p.name for p in self.folder.glob("*.yaml")) if self.folder.is_dir() else []

    def save(self, path=None) -> Path:
        """Save the current scenario as YAML (default ``<folder>/<name>.yaml``) and list it with the saved ones."""
        from .reporting import slug
        from .scenarios import save

        scenario = self.scenario()
        path = Path(path) if path else self.folder / f"{slug(scenario.name)}.yaml"
        save(scenario, path)
        self.saved.options = self._saved_files()
        self.status.value = f"Saved {escape(scenario.name)} ({len(scenario.changes)} change(s)) to {escape(path)}."
        return path

    def load(self, path) -> Scenario | None:
        """Set the controls from a saved scenario; changes without a control are kept and listed."""
        from .scenarios import load

        try:
            scenario = load(path, self.engine.portfolio)
        except ScenarioError as exc:
            self.status.value = f"<b>Could not load {escape(Path(path).name)}.</b><pre>{escape(exc)}</pre>"
            return None
        self.projects_state.clear()
        self.people_state.clear()
        self.hires_state.clear()
        self.bookings_state.clear()
        self.other = []
        for change in scenario.changes:
            self._take(change)
        self._quietly((self.name, scenario.name))
        self._show_project()
        self._show_person()
        self._show_hire()
        self.refresh()
        return scenario

    def _take(self, c: dict) -> None:
        kind, start = c["kind"], self.engine.start
        project = self.projects_state.setdefault(c["project_id"], {}) if "project_id" in c else None
        if kind == "shift_project" and c["days"] % 7 == 0 and project is not None:
            project["shift"] = project.get("shift", 0) + int(c["days"]) // 7
        elif kind == "pause_project" and pd.Timestamp(c["date"]) == start and float(c["weeks"]).is_integer():
            project["pause"] = int(c["weeks"])
        elif kind == "cancel_project" and pd.Timestamp(c["date"]) == start:
            project["cancel"] = True
        elif kind == "set_priority":
            project["priority"] = int(c["priority"])
        elif kind == "change_booking" and c["assignment_id"] in self._booking_fte:
            self.bookings_state[c["assignment_id"]] = float(c["fte"])
        elif kind == "change_fte" and c["resource_id"] in self._fte:
            self.people_state.setdefault(c["resource_id"], {})["fte"] = float(c["fte"])
        elif (
            kind == "remove_person"
            and (pd.Timestamp(c["date"]) - start).days % 7 == 0
            and c["resource_id"] in self._fte
        ):
            week = (pd.Timestamp(c["date"]) - start).days // 7 + 1
            if 1 <= week <= self.engine.weeks:
                self.people_state.setdefault(c["resource_id"], {})["leaves"] = week
            else:
                self.other.append(c)
        else:
            self.other.append(c)

    def compare(self, paths) -> pd.DataFrame | None:
        """Compare saved scenarios (and the current one) with the baseline, shown under the Scenarios tab."""
        from .scenarios import load

        scenarios, problems = [], []
        for path in paths:
            try:
                scenarios.append(load(path, self.engine.portfolio))
            except ScenarioError as exc:
                problems.append(str(exc))
        if problems:
            self.comparison.value = "<b>Some files cannot be used.</b><pre>" + escape("\n".join(problems)) + "</pre>"
            return None
        current = self.scenario()
        if current.changes and current.name not in {s.name for s in scenarios} | {"baseline"}:
            scenarios.append(current)
        try:
            table = compare(self.engine, *scenarios, level=self.levelling.value)
        except ValueError as exc:
            self.comparison.value = f"<b>{escape(exc)}</b>"
            return None
        self.comparison.value = compare_table(table).html
        return table


def planner(
    portfolio, *, weeks: int = 26, start=None, folder=".", currency: str = "", engine=None, level=False
) -> WhatIfPlanner:
    """The what-if planner on ``portfolio`` (see :class:`WhatIfPlanner`); ``engine`` reuses a built Planner."""
    return WhatIfPlanner(
        portfolio, weeks=weeks, start=start, folder=folder, currency=currency, engine=engine, level=level
    )


__all__ = [
    "Block",
    "WhatIfPlanner",
    "compare_table",
    "dates_table",
    "gaps_table",
    "heatmap",
    "kpi_cards",
    "over_table",
    "planner",
]
