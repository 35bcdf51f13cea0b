"""The demand planner for JupyterLab: change the budget, force a proposal in or out, see the new optimum at once.

Every change re-solves the selection (:func:`pmo_lib.demand.decision.decide`, HiGHS: about 0.1 s on
the sample) and redraws the headline, the chosen proposals and the ones left out with their
reasons. The widgets only display; every number comes from :mod:`pmo_lib.demand`.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from ..demand.decision import Decision, decide
from ..demand.intake import Intake
from ..demand.selection import Problem
from ..reporting.tables import escape


class DemandPlanner:
    """Budget slider (share of the stated budget), proposals forced in and out, and the optimum they give."""

    def __init__(self, intake: Intake, *, time_limit: float = 10.0):
        import ipywidgets as w

        self.intake = intake
        self.time_limit = time_limit
        self.timings: list[float] = []  # seconds per redraw
        ids = list(intake.problem.ids)
        names = intake.scores.set_index("proposal_id")["name"]
        options = [(f"{p} {names[p]}", p) for p in ids]
        style, wide = {"description_width": "160px"}, w.Layout(width="460px")
        self.budget = w.FloatSlider(
            1.0,
            min=0.2,
            max=2.0,
            step=0.05,
            description="Budget (× stated)",
            style=style,
            layout=wide,
            readout_format=".0%",
        )
        self.include = w.SelectMultiple(options=options, description="Force in", style=style, layout=wide, rows=6)
        self.exclude = w.SelectMultiple(options=options, description="Leave out", style=style, layout=wide, rows=6)
        self.output = w.HTML()
        for control in (self.budget, self.include, self.exclude):
            control.observe(self._changed, names="value")
        self.box = w.VBox([self.budget, w.HBox([self.include, self.exclude]), self.output])
        self.decision: Decision | None = None
        self.refresh()

    def _changed(self, _):
        self.refresh()

    def refresh(self) -> Decision:
        """Solve with the controls as they are and redraw."""
        clock = time.perf_counter()
        budget = self.intake.budget * float(self.budget.value)
        problem: Problem = self.intake.problem.with_budget(budget.to_numpy())
        intake = replace(self.intake, problem=problem, budget=budget)
        both = set(self.include.value) & set(self.exclude.value)
        if both:
            self.output.value = (
                f"<p><b>Choose either:</b> {escape(', '.join(sorted(both)))} is both forced in and left out.</p>"
            )
            return self.decision
        self.decision = decide(
            intake, force_in=self.include.value, force_out=self.exclude.value, time_limit=self.time_limit
        )
        self.output.value = self._html(self.decision)
        self.timings.append(time.perf_counter() - clock)
        return self.decision

    def _html(self, d: Decision) -> str:
        money = self.intake.currency
        if not d.ok:
            return f"<p><b>No portfolio fits:</b> {escape(d.best.message)}</p>"
        head = (
            f"<p><b>{len(d.selected)} proposals</b>, total {escape(self.intake.objective)} {d.best.value:,.1f} "
            f"({'proven optimal' if d.best.status == 'optimal' else 'best found, gap ' + format(d.best.gap, '.1%')}); "
            f"greedy by value per cost: {d.quick.value:,.1f}. Budget used: "
            + ", ".join(
                f"{y} {s:,.0f} of {b:,.0f} {escape(money)}"
                for y, s, b in d.spend[["year", "selected", "budget"]].itertuples(False)
            )
            + ".</p>"
        )
        chosen = d.selected[["proposal_id", "name", "start", "finish", "score", "cost"]].to_html(
            index=False, float_format=lambda v: f"{v:,.1f}", classes="pmo-table"
        )
        left = d.rejected[["proposal_id", "name", "score", "reason"]].to_html(index=False, classes="pmo-table")
        return head + "<h4>Chosen</h4>" + chosen + "<h4>Left out, and why</h4>" + left

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        d = self.decision
        return f"DemandPlanner: {len(d.selected)} proposals chosen, value {d.best.value:,.1f}" if d else "DemandPlanner"

    @property
    def median_ms(self) -> float:
        return float(np.median(self.timings) * 1000) if self.timings else float("nan")
