"""Exercise 10: demand management - scoring proposals and choosing a portfolio within budget and people."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from ..core import Question, Task, register
from .shared import default_standard

# --- 10. Demand: scoring and selection ---------------------------------------------------------------

NAMES = ["Customer Portal", "Billing Upgrade", "Data Platform", "Field App", "Supplier Hub", "Records Cleanup"]
ROLE = "developers"


@dataclass(frozen=True)
class DemandCase:
    """Six proposals competing for one year's budget and one team of developers.

    ``proposals``: proposal_id, name, the five criteria of the default standard (strategic_fit,
    npv [GBP], customer_impact, urgency, delivery_risk), ``cost`` [GBP] and ``developers`` [FTE]
    for the year; ``budget`` [GBP] and ``capacity`` [FTE] are the limits.
    """

    proposals: pd.DataFrame
    budget: float
    capacity: float

    def problem(self, value=None):
        """The selection as :class:`pmo_lib.demand.Problem` (one quarter; value = the scores unless given)."""
        from ...demand import Problem

        n = len(self.proposals)
        scores = _scores(self.proposals)["score"].to_numpy() if value is None else np.asarray(value, float)
        return Problem(
            ids=self.proposals["proposal_id"].to_numpy(dtype=object),
            value=scores,
            cost=self.proposals["cost"].to_numpy(float).reshape(n, 1),
            demand=self.proposals["developers"].to_numpy(float).reshape(n, 1, 1),
            capacity=np.array([[self.capacity]]),
            budget=np.array([self.budget]),
            earliest=np.zeros(n, int),
            latest=np.zeros(n, int),
            mandatory=np.zeros(n, bool),
            roles=(ROLE,),
            year_names=("the year",),
            quarter_names=("the year",),
        )


def _scores(proposals: pd.DataFrame) -> pd.DataFrame:
    from ...demand.intake import score

    table = proposals.assign(portfolio="", stage="business_case", mandatory=False)
    return score(table, default_standard().demand).set_index("proposal_id").loc[proposals["proposal_id"]].reset_index()


def _draw(rng) -> DemandCase:
    n = len(NAMES)
    proposals = pd.DataFrame(
        {
            "proposal_id": [f"D{i + 1:02d}" for i in range(n)],
            "name": NAMES,
            "strategic_fit": rng.integers(1, 6, n),
            "npv": rng.integers(0, 16, n) * 100_000.0,
            "customer_impact": rng.integers(1, 6, n),
            "urgency": rng.integers(1, 6, n),
            "delivery_risk": rng.integers(1, 6, n),
            "cost": rng.integers(2, 9, n) * 50_000.0,
            "developers": rng.choice([1.0, 1.5, 2.0, 3.0], n),
        }
    )
    budget = float(np.round(proposals["cost"].sum() * 0.5, -4))
    capacity = float(np.round(proposals["developers"].sum() * 0.55 * 2) / 2)
    return DemandCase(proposals, budget, capacity)


@cache
def demand_case(seed: int) -> DemandCase:
    """The learner's case: redrawn (deterministically) until the best portfolio is not the top of the ranking.

    Also: the highest-ranked proposal the optimum leaves out is kept out by one limit only (budget
    or developers), so the binding-constraint question has one answer.
    """
    rng = np.random.default_rng(10_000 + seed)
    while True:  # a few dozen draws at most, each screened over its 64 sets in one array step
        case = _draw(rng)
        if _teaches(case) and _solved(case) is not None:
            return case


def _teaches(case: DemandCase) -> bool:
    """Quick screen by enumeration: the best set beats the ranking walk and leaves out a proposal by one limit."""
    scores = _scores(case.proposals)["score"].to_numpy()
    if len(set(scores)) < len(scores) or scores.min() < 20:
        return False
    cost, people = case.proposals["cost"].to_numpy(float), case.proposals["developers"].to_numpy(float)
    sets = (np.arange(2 ** len(scores))[:, None] >> np.arange(len(scores))) & 1  # (64, 6) every subset
    fits = (sets @ cost <= case.budget + 1e-9) & (sets @ people <= case.capacity + 1e-9)
    best = sets[np.argmax(np.where(fits, sets @ scores, -1))].astype(bool)
    order = np.argsort(-scores)
    out = order[~best[order]]
    if not len(out) or not (scores[best] < scores[out[0]]).any():
        return False
    short_money = cost[out[0]] > case.budget - cost[best].sum() + 1e-9
    short_people = people[out[0]] > case.capacity - people[best].sum() + 1e-9
    return bool(short_money != short_people)


def _solved(case: DemandCase) -> dict | None:
    """The answers for a case, or None when it does not teach the point (the ranking fill is already best)."""
    from ...demand import reasons, solve

    scores = _scores(case.proposals)
    if scores["score"].duplicated().any() or scores["score"].min() < 20:
        return None
    problem = case.problem()
    best = solve(problem)
    ranked = _by_rank(case, scores)
    if best.value <= ranked["score"] + 1e-9:
        return None
    by_id = scores.set_index("proposal_id")["score"]
    chosen = set(best.chosen["proposal_id"])
    top_out = next((p for p in by_id.sort_values(ascending=False).index if p not in chosen), None)
    if top_out is None or not (by_id[list(chosen)] < by_id[top_out]).any():
        return None
    why = reasons(problem, best).set_index("proposal_id").loc[top_out, "reason"].split("; ")
    kinds = {"budget" if part.startswith("budget") else ROLE for part in why if "short" in part or "needs" in part}
    if len(kinds) != 1:
        return None
    return {
        "scores": by_id,
        "ranked": ranked,
        "best": best,
        "top_out": top_out,
        "binding": kinds.pop(),
    }


def _by_rank(case: DemandCase, scores: pd.DataFrame) -> dict:
    """Take the proposals from the top of the ranking, each if it still fits the money and the developers."""
    money, people, taken, total = case.budget, case.capacity, [], 0.0
    table = case.proposals.assign(score=scores["score"].to_numpy()).sort_values("score", ascending=False)
    for row in table.itertuples():  # six proposals, as the learner does it by hand
        if row.cost <= money + 1e-9 and row.developers <= people + 1e-9:
            money, people, total = money - row.cost, people - row.developers, total + row.score
            taken.append(row.proposal_id)
    return {"taken": taken, "score": round(total, 1)}


def _answers(seed: int) -> dict:
    return _solved(demand_case(seed))


def two_proposals(seed: int) -> tuple[str, str]:
    """The two proposals the learner scores by hand (tasks 10.1 and 10.2)."""
    ids = demand_case(seed).proposals["proposal_id"]
    return ids.iloc[seed % 3], ids.iloc[3 + seed % 3]


def _no_flip(seed: int, which: int) -> float:
    """The score with delivery risk counted the wrong way round (5 = full marks): the usual slip."""
    proposals = demand_case(seed).proposals
    flipped = proposals.assign(delivery_risk=6 - proposals["delivery_risk"])
    return float(_scores(flipped).set_index("proposal_id").loc[two_proposals(seed)[which], "score"])


def _unweighted(seed: int, which: int) -> float:
    """The criteria's shares added up without their weights, as a percentage (another usual slip)."""
    row = demand_case(seed).proposals.set_index("proposal_id").loc[two_proposals(seed)[which]]
    shares = [
        (row["strategic_fit"] - 1) / 4,
        min(max(row["npv"] / 1_500_000, 0), 1),
        (row["customer_impact"] - 1) / 4,
        (row["urgency"] - 1) / 4,
        (5 - row["delivery_risk"]) / 4,
    ]
    return 100 * float(np.mean(shares))


def _binding(seed: int):
    """A test of the learner's word for the binding limit: budget (or money), developers (or people)."""
    words = {"budget": {"budget", "money"}, ROLE: {"developers", "developer", "people", "capacity"}}

    def test(value) -> bool:
        return str(value).strip().lower() in words[_answers(seed)["binding"]]

    return test


def _score_task(number: str, which: int) -> Task:
    def answer(seed: int) -> float:
        return float(_answers(seed)["scores"][two_proposals(seed)[which]])

    return Task(
        number,
        f"Score the {['first', 'second'][which]} of your two proposals by hand, out of 100 (the default standard's criteria).",
        answer,
        "A score is a weighted sum of criteria, each scaled from the worst to the best end of its scale: the board "
        "agreed the weights once, so every proposal is judged the same way.",
        [
            "Each criterion gives (value - worst) / (best - worst) of its weight, clipped to 0..1; the weights add up to 100.",
            "Delivery risk runs the other way: its scale is [5, 1], so a risk of 1 gets full marks and 5 gets none.",
        ],
        [
            (
                lambda v, e, s, w=which: abs(float(v) - _no_flip(s, w)) < 0.05,
                "Delivery risk is counted the wrong way round: a low risk (1) earns the full 10 points, a high one (5) none.",
            ),
            (
                lambda v, e, s, w=which: abs(float(v) - _unweighted(s, w)) < 0.05,
                "Every criterion counted the same; each has its own weight (strategic fit 30, NPV 25, customer impact 20, "
                "urgency 15, delivery risk 10).",
            ),
        ],
        tolerance=0.002,
        unit="points of 100",
    )


register(
    _score_task("10.1", 0),
    _score_task("10.2", 1),
    Task(
        "10.3",
        "Take the proposals from the top of the ranking down, each if it still fits the budget and the developers. What total score do you get?",
        lambda seed: _answers(seed)["ranked"]["score"],
        "This is how many boards decide: down the ranked list until the money runs out. It is easy to explain, and "
        "it is the baseline the optimum has to beat.",
        [
            "Sort by score, highest first; keep a running total of money and developers left; skip any that no longer fits and go on down.",
            "A skipped proposal does not stop the walk: a smaller one further down may still fit.",
        ],
        [
            (
                lambda v, e, s: abs(float(v) - float(_answers(s)["scores"].sum())) < 0.05,
                "That is every proposal's score together; the budget and the developers do not stretch that far.",
            ),
        ],
        tolerance=0.001,
        unit="points",
    ),
    Task(
        "10.4",
        "What is the best total score any set of proposals can reach within the budget and the developers?",
        lambda seed: _answers(seed)["best"].value,
        "The optimum beats the ranking because it looks at the proposals together: leaving out one large proposal can "
        "make room for two smaller ones that score more between them.",
        [
            "`demand.solve(case.problem())` finds it (an exact 0-1 programme); with six proposals you can also try all 64 sets.",
            "Check your set: its cost within the budget and its developers within the capacity.",
        ],
        [
            (
                lambda v, e, s: abs(float(v) - _answers(s)["ranked"]["score"]) < 0.05,
                "That is the ranking walk from 10.3; there is a set of proposals that scores more.",
            ),
        ],
        tolerance=0.001,
        unit="points",
    ),
    Task(
        "10.5",
        "Which proposal is the highest-ranked one the optimum leaves out (its id)?",
        lambda seed: _answers(seed)["top_out"],
        "A high score does not buy a place: a proposal earns it by its score for the money and people it uses.",
        ["Compare the optimum's proposals with the ranking: which is the first in the ranking not in the optimum?"],
        [
            (
                lambda v, e, s: str(v).strip().upper() in set(_answers(s)["best"].chosen["proposal_id"]),
                "That one is in the optimum; go down the ranking to the first proposal that is not.",
            ),
        ],
        kind="text",
    ),
    Task(
        "10.6",
        f'What keeps that proposal out beside the optimum: "budget" or "{ROLE}"?',
        _binding,
        "The binding constraint tells the sponsor what would change the answer: more money, or more people of that role.",
        [
            "Add up the optimum's cost and developers; what is left of each? Which one is too small for the proposal?",
            "`demand.reasons(problem, selection)` names it for every proposal left out.",
        ],
        [
            (
                lambda v, e, s: str(v).strip().lower() in {"budget", "money", "developers", "developer", "people"},
                "Look again at what is left beside the optimum: the proposal needs more of the other one than is free.",
            ),
        ],
        kind="judge",
    ),
    Question(
        "10.q1",
        "Why is the optimal portfolio not simply the top of the ranking?",
        [
            "Because the solver does not use the scores.",
            "Because a high-scoring proposal can use so much money or so many people that two or three others together score more.",
            "Because the ranking puts the mandatory proposals first.",
        ],
        1,
        [
            "It does: it maximises the total score. It just adds them up over a set, not one at a time.",
            "Yes: the ranking judges proposals one by one, the optimum judges sets; what counts is score for the room a proposal takes.",
            "Mandatory proposals go in either way; the difference shows even when there are none, as in your case.",
        ],
    ),
)
