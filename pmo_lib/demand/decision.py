"""The portfolio decision: the optimal selection beside the greedy one, in the tables a portfolio board reads.

:func:`decide` solves the intake's selection (:func:`~pmo_lib.demand.selection.solve`), with
proposals forced in or out if asked, and lays out what was chosen, what was left out and why,
the money per year and the people per role and quarter that remain. :func:`to_scenario` turns
the chosen proposals into a what-if scenario the resource planner opens.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .intake import DemandError, Intake
from .selection import Problem, Selection, frontier, greedy, marginal, reasons, solve


@dataclass
class Decision:
    """The chosen portfolio and its explanation (every table has one row per proposal, year or role-quarter)."""

    intake: Intake
    problem: Problem  # the intake's problem with the forced choices applied
    best: Selection
    quick: Selection  # the greedy baseline
    selected: pd.DataFrame
    rejected: pd.DataFrame
    spend: pd.DataFrame
    people: pd.DataFrame
    comparison: pd.DataFrame

    @property
    def ok(self) -> bool:
        return self.best.status in ("optimal", "time limit") and not np.isnan(self.best.value)


def _forced(problem: Problem, force_in, force_out) -> Problem:
    ids = pd.Index(problem.ids)
    unknown = sorted((set(force_in) | set(force_out)) - set(ids))
    if unknown:
        raise DemandError(f"not an eligible proposal inside the horizon: {', '.join(map(str, unknown))}")
    mandatory = (problem.mandatory | ids.isin(list(force_in))) & ~ids.isin(list(force_out))  # a choice overrides
    latest = np.where(ids.isin(list(force_out)), -1, problem.latest)
    return replace(problem, mandatory=mandatory, latest=latest)


def decide(intake: Intake, *, force_in=(), force_out=(), time_limit: float = 60.0) -> Decision:
    """The best portfolio of the intake (HiGHS) and the greedy one, with ``force_in`` / ``force_out`` proposals."""
    problem = _forced(intake.problem, force_in, force_out)
    best, quick = solve(problem, time_limit=time_limit), greedy(problem)
    proposals = intake.scores.set_index("proposal_id")
    raw = intake.proposals.set_index("proposal_id")
    starts = best.starts(problem)
    on = starts >= 0
    labels = np.array(intake.labels + [f"after {intake.labels[-1]}"] * 12)
    duration = raw.loc[problem.ids, "duration_quarters"].astype(int).to_numpy()
    selected = pd.DataFrame(
        {
            "proposal_id": problem.ids[on],
            "name": proposals.loc[problem.ids[on], "name"].to_numpy(),
            "portfolio": proposals.loc[problem.ids[on], "portfolio"].to_numpy(),
            "start": labels[starts[on]],
            "finish": labels[np.minimum(starts[on] + duration[on] - 1, len(labels) - 1)],
            "score": proposals.loc[problem.ids[on], "score"].to_numpy(),
            "npv": raw.loc[problem.ids[on], "npv"].to_numpy(float),
            "cost": problem.cost[on].sum(axis=1),
            "mandatory": problem.mandatory[on],
            "forced_in": pd.Index(problem.ids[on]).isin(list(force_in)),
        }
    ).sort_values(["start", "proposal_id"], ignore_index=True)
    selected["greedy_too"] = selected["proposal_id"].isin(quick.chosen["proposal_id"])
    rejected = _rejected(intake, problem, best, force_out)
    spend, people = _room(intake, problem, starts)
    comparison = pd.DataFrame(
        [
            _row("optimum (HiGHS)", best, problem, intake),
            _row("greedy: value per cost", quick, problem, intake),
        ]
    )
    return Decision(intake, problem, best, quick, selected, rejected, spend, people, comparison)


def _row(method: str, picked: Selection, problem: Problem, intake: Intake) -> dict:
    starts = picked.starts(problem) if len(picked.chosen) else np.full(len(problem.ids), -1)
    spent = sum(
        (problem.load(p, int(starts[p]))[0] for p in np.flatnonzero(starts >= 0)), np.zeros(len(problem.budget))
    )
    return {
        "method": method,
        "objective": intake.objective,
        "value": picked.value,
        "proposals": len(picked.chosen),
        "spent": float(np.sum(spent)),
        "budget": float(problem.budget.sum()),
        "status": picked.status,
        "gap": picked.gap,
        "seconds": picked.seconds,
    }


def _rejected(intake: Intake, problem: Problem, best: Selection, force_out) -> pd.DataFrame:
    """Every proposal not chosen, with why: a gate, the horizon, a forced choice, or the limit that binds."""
    scores = intake.scores.set_index("proposal_id")
    gated = scores.loc[~scores["eligible"], ["gates"]].rename(columns={"gates": "reason"}).reset_index()
    if best.status == "infeasible":
        binding = pd.DataFrame({"proposal_id": problem.ids, "reason": best.message})
    else:
        binding = reasons(problem, best)
    binding = binding[~binding["proposal_id"].isin(intake.left_out["proposal_id"])]
    out = pd.concat([gated, intake.left_out, binding], ignore_index=True)
    out.loc[out["proposal_id"].isin(list(force_out)), "reason"] = "left out by choice"
    was_mandatory = out["proposal_id"].isin(intake.problem.ids[intake.problem.mandatory]) & (
        out["reason"] == "left out by choice"
    )
    out.loc[was_mandatory, "reason"] = "left out by choice, although it is mandatory"
    out["name"] = scores.loc[out["proposal_id"], "name"].to_numpy()
    out["score"] = scores.loc[out["proposal_id"], "score"].to_numpy()
    out["rank"] = scores.loc[out["proposal_id"], "rank"].to_numpy()
    return out[["proposal_id", "name", "score", "rank", "reason"]].sort_values(
        ["rank", "proposal_id"], ignore_index=True
    )


def _room(intake: Intake, problem: Problem, starts: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Money per budget year and people per role and quarter: available, used by the selection, left."""
    spent = np.zeros(len(problem.budget))
    used = np.zeros(problem.capacity.shape)
    for p in np.flatnonzero(starts >= 0):  # the chosen proposals: a few dozen array adds
        money, people = problem.load(p, int(starts[p]))
        spent += money
        used += people
    spend = pd.DataFrame(
        {
            "year": intake.budget.index.to_numpy(),
            "budget": problem.budget,
            "selected": spent,
            "left": problem.budget - spent,
        }
    )
    r, q = np.meshgrid(np.arange(len(problem.roles)), np.arange(problem.quarters), indexing="ij")
    people = pd.DataFrame(
        {
            "role": np.array(problem.roles, dtype=object)[r.ravel()],
            "quarter": np.array(intake.labels, dtype=object)[q.ravel()],
            "free_fte": problem.capacity.ravel(),
            "selected_fte": used.ravel(),
            "left_fte": (problem.capacity - used).ravel(),
        }
    )
    return spend, people


def trade_offs(decision: Decision, points: int = 20, step: float = 0.10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The efficient frontier (best value at ``points`` budget levels up to 1.5 x the budget) and the marginal proposals.

    Both are solved on the decision's problem, so proposals forced in or out stay so. The marginal
    table names what enters with ``step`` more budget and what drops with ``step`` less, with name
    and score; the frontier gives ``budget_share``, ``budget`` [currency], ``value``, ``proposals``, ``status``.
    """
    curve = frontier(decision.problem, points=points)
    edge = marginal(decision.problem, decision.best, step=step)
    scores = decision.intake.scores.set_index("proposal_id")
    edge.insert(1, "name", scores.loc[edge["proposal_id"], "name"].to_numpy())
    edge.insert(2, "score", scores.loc[edge["proposal_id"], "score"].to_numpy())
    return curve, edge


def to_scenario(decision: Decision, name: str = "Selected proposals"):
    """The chosen proposals as a what-if scenario: each starts as a project with its role demand (``start_proposal``)."""
    from ..scenarios import Scenario

    starts = pd.period_range(pd.Period(decision.intake.start, freq="Q"), periods=decision.problem.quarters + 12)
    index = {label: i for i, label in enumerate(decision.intake.labels)}
    changes = [
        {
            "kind": "start_proposal",
            "proposal_id": str(row.proposal_id),
            "start": starts[index[row.start]].start_time.date().isoformat(),
        }
        for row in decision.selected.itertuples()
    ]
    words = f"Start the {len(changes)} proposals chosen within the budget and the free people."
    return Scenario(name, changes, description=words)
