"""Exercise 3: status reporting and RAG, and writing the commentary."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from ..core import Task, register
from .shared import default_standard, sample_portfolio


# --- 3. Status reporting and RAG ----------------------------------------------------------------------------


def status_case(seed: int) -> dict:
    """A project's indicators for the learner to rate (seeded)."""
    rng = np.random.default_rng(1000 + seed)
    return {
        "spi": round(float(rng.choice([0.97, 0.93, 0.88, 0.82])), 2),
        "cpi": round(float(rng.choice([1.02, 0.96, 0.91, 0.84])), 2),
        "finish_slip_days": int(rng.choice([0, 4, 9, 18])),
    }


def _rate(seed: int) -> dict:
    from ...standards.tolerances import rate

    case = status_case(seed)
    columns = {name: [np.nan] for _, name, *_ in _rules()}
    frame = pd.DataFrame({"project_id": ["X"], "status": ["active"], **columns})
    for key, value in case.items():
        frame[key] = [value]
    ratings, _ = rate(frame, default_standard().report_tolerances())
    return ratings.iloc[0].to_dict()


def _rules():
    from ...standards.tolerances import RULES

    return RULES


register(
    Task(
        "3.1",
        "What is the computed schedule RAG of your project (`case`), by our tolerances? (R, A or G)",
        lambda seed: _rate(seed)["schedule_rag"],
        "Schedule RAG takes the worst of SPI, finish slip and overdue milestones, so one bad signal is not averaged away.",
        [
            "Look up the amber and red limits of spi and finish_slip_days in the standard's tolerances.",
            "Rate each indicator on its own, then take the worst of them (R is worse than A, A worse than G).",
        ],
        kind="text",
    ),
    Task(
        "3.2",
        "What is the computed cost RAG of your project? (R, A or G)",
        lambda seed: _rate(seed)["cost_rag"],
        "Cost RAG follows CPI against the tolerance: below amber is amber, below red is red.",
        ["Compare your project's CPI with the cpi limits in the standard: amber when below amber, red when below red."],
        kind="text",
    ),
    Task(
        "3.3",
        "What is the overall computed RAG? (R, A or G)",
        lambda seed: _rate(seed)["overall_rag"],
        "Overall is the worst dimension: a project red on cost is red, however green its schedule.",
        ["The overall RAG is not an average: which dimension decides it?"],
        [
            (
                lambda v, e, s: str(v).upper() == _best(s) != e,
                "That is the best of the dimensions; overall takes the worst.",
            )
        ],
        kind="text",
    ),
    Task(
        "3.4",
        "In the sample's October report, how many rated projects have a reported RAG that differs from the computed one?",
        lambda seed: int(_summary()["rag_mismatch"].fillna(False).astype(bool).sum()),
        "A mismatch is a conversation, not an accusation: the data or the commentary is missing something.",
        ['`reporting.summary(portfolio, "2026-10")` has a column rag_mismatch; count the rows where it is True.'],
        [
            (
                lambda v, e, s: float(v) == _summary()["overall_rag"].notna().sum(),
                "That counts every rated project; count only those whose reported RAG differs.",
            )
        ],
        tolerance=0.0,
    ),
)


def _best(seed: int) -> str:
    rated = _rate(seed)
    return min((rated[f"{d}_rag"] for d in ("schedule", "cost", "scope")), key="GAR".index)


@cache
def _summary():
    from ...reporting.month import summary

    return summary(sample_portfolio(), "2026-10")



# --- additions: commentary (3), interpretation (4, 5) ----------------------------------------------------

ACTION_WORDS = ("will", "plan", "recover", "decision", "decide", "help", "ask", "agree", "action", "by ")


def _commentary_test(seed: int):
    """Good commentary names every dimension that is not green, says what is being done, and is more than a line."""

    def test(text) -> bool:
        return not _commentary_gaps(seed, text)

    return test


def _commentary_gaps(seed: int, text) -> list[str]:
    if not isinstance(text, str):
        return ["Write your commentary as text, in quotes."]
    words = text.lower()
    gaps = []
    rated = _rate(seed)
    for dimension in ("schedule", "cost"):
        if rated[f"{dimension}_rag"] != "G" and dimension not in words:
            gaps.append(f"Your project is {rated[f'{dimension}_rag']} on {dimension}; say why.")
    if not any(w in words for w in ACTION_WORDS):
        gaps.append("Say what is being done about it (a recovery plan, an action, a decision needed).")
    if len(text.split()) < 15:
        gaps.append("A sponsor needs two or three sentences: what is wrong, why, what happens next.")
    return gaps


register(
    Task(
        "3.5",
        "Write the commentary for your project's status update (two or three sentences, as text).",
        _commentary_test,
        "Good commentary explains every colour that is not green and says what happens next: the sponsor can act on it.",
        ["Name each dimension that is not green (schedule, cost) and why.", "End with what is being done, by whom, or what decision you need."],
        kind="judge",
        explain=lambda seed, text: " ".join(_commentary_gaps(seed, text)) or None,
    ),
)
