"""Exercise 7: risks, issues and changes."""

from __future__ import annotations


import numpy as np

from ..core import Question, Task, register
from .shared import sample_portfolio


# --- 7. Risks, issues and changes -----------------------------------------------------------------------


def raid_case(seed: int) -> dict:
    rng = np.random.default_rng(5000 + seed)
    return {
        "probability": int(rng.integers(2, 6)),
        "impact": int(rng.integers(2, 6)),
        "cost_impact": float(rng.integers(5, 40)) * 1000,
    }


register(
    Task(
        "7.1",
        "Your risk's score on our 5 x 5 matrix (probability x impact)?",
        lambda seed: float(raid_case(seed)["probability"] * raid_case(seed)["impact"]),
        "The score places the risk on the heat map; 15 and above is high and is escalated (rule RAID-04).",
        ["Multiply the probability score by the impact score."],
        [
            (
                lambda v, e, s: float(v) == raid_case(s)["probability"] + raid_case(s)["impact"],
                "Add-up is not our matrix: the score is probability x impact.",
            )
        ],
        tolerance=0.0,
    ),
    Task(
        "7.2",
        "Your risk's expected monetary value (EMV) in GBP, using our probability bands?",
        lambda seed: float(
            __import__("pmo_lib.risk", fromlist=["x"]).PROBABILITY_OF_SCORE[raid_case(seed)["probability"]]
            * raid_case(seed)["cost_impact"]
        ),
        "EMV = probability x cost impact: the contingency this risk claims, and how risks are ranked by exposure.",
        [
            "A probability score is a band; `risk.PROBABILITY_OF_SCORE` gives the probability at the middle of each band.",
            "Multiply that probability by the cost impact.",
        ],
        [
            (
                lambda v, e, s: float(v) == raid_case(s)["probability"] / 5 * raid_case(s)["cost_impact"],
                "A score of 4 is not 80 %: use the probability at the middle of the band (risk.PROBABILITY_OF_SCORE).",
            )
        ],
        tolerance=0.001,
        unit="GBP",
    ),
    Task(
        "7.3",
        "How many open risks in the sample score 15 or more?",
        lambda seed: int((_open_scores() >= 15).sum()),
        "High risks are few and must stay visible: they are the ones the sponsor hears about every month.",
        ["Filter `portfolio.risks` to status open, compute probability x impact, count those at 15 or more."],
        [
            (
                lambda v, e, s: float(v) == int((_all_scores() >= 15).sum()),
                "That includes closed risks; count the open ones only.",
            )
        ],
        tolerance=0.0,
    ),
    Task(
        "7.4",
        "A forecast 15 % over budget with no approved change request breaks which rule (its id)?",
        lambda seed: "CHG-01",
        "Change control keeps the budget honest: growth beyond the threshold needs a decision, not a drift.",
        ["Change-control rules have ids starting with CHG."],
        [(lambda v, e, s: str(v).upper() == "CHG-02", "CHG-02 is about delay; this one is about cost.")],
        kind="text",
    ),
    Question(
        "7.q1",
        "An open issue is past its due date. What does our standard expect?",
        ["Close it", "Resolve it or agree a new due date with its owner", "Turn it into a risk"],
        1,
        [
            "Closing an unresolved issue hides it; the problem is still there.",
            "Yes: rule RAID-05. Either the issue is fixed, or its owner commits to a new date.",
            "An issue has already happened; a risk is something that may happen.",
        ],
    ),
)


def _all_scores():
    risks = sample_portfolio().risks
    return risks["probability"].astype(float) * risks["impact"].astype(float)


def _open_scores():
    risks = sample_portfolio().risks
    return _all_scores()[risks["status"].astype(str) == "open"]


