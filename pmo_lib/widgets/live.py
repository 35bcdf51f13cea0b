"""The live what-if planner: ipywidgets 8 controls that build a scenario and redraw its outcome."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from ..planner import Outcome, Planner, compare
from ..reporting.tables import escape
from ..scenarios import Scenario, ScenarioError
from .render import compare_table, dates_table, gaps_table, heatmap, kpi_cards, over_table


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
        Start with levelling against each person's capacity switched on.
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
        self.levelling = w.Checkbox(bool(level), description="Level tasks against each person's capacity (priority decides)",
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
        from ..files import slug
        from ..scenarios import save

        scenario = self.scenario()
        path = Path(path) if path else self.folder / f"{slug(scenario.name)}.yaml"
        save(scenario, path)
        self.saved.options = self._saved_files()
        self.status.value = f"Saved {escape(scenario.name)} ({len(scenario.changes)} change(s)) to {escape(path)}."
        return path

    def load(self, path) -> Scenario | None:
        """Set the controls from a saved scenario; changes without a control are kept and listed."""
        from ..scenarios import load

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
        from ..scenarios import load

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


__all__ = ["WhatIfPlanner", "planner"]
