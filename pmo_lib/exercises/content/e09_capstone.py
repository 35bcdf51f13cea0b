"""Exercise 9: capstone, the monthly report."""

from __future__ import annotations

from functools import cache


from ..core import Task, register
from .shared import sample_portfolio


# --- 9. Capstone: the monthly report ---------------------------------------------------------------------


def capstone_portfolio(seed: int) -> str:
    from ...reporting.month import portfolios

    names = portfolios(sample_portfolio())
    return names[seed % len(names)]


@cache
def _built(seed: int) -> dict:
    from ...reporting.sections import build

    return build(sample_portfolio(), "2026-10", name=capstone_portfolio(seed))


register(
    Task(
        "9.1",
        "In your portfolio's October report, how many projects are computed red?",
        lambda seed: int((_built(seed)["summary"]["overall_rag"] == "R").sum()),
        "Red projects are the report's first page: each needs a recovery plan and a decision from its sponsor.",
        ["Open the Portfolio sheet of the workbook (or the portfolio table of the page) and count Computed RAG = R."],
        [
            (
                lambda v, e, s: float(v) == int((_built(s)["summary"]["reported_rag"] == "R").sum()),
                "That counts the reported RAG; the question is about the computed one.",
            )
        ],
        tolerance=0.0,
    ),
    Task(
        "9.2",
        "The portfolio's forecast at completion minus its budget (GBP; negative is under budget)?",
        lambda seed: float(_built(seed)["totals"].set_index("measure").loc["Variance (forecast - budget)", "amount"]),
        "The variance is the sponsor's first money question: will the portfolio need more, or release some?",
        ["The Totals sheet of the workbook has it."],
        tolerance=0.001,
        unit="GBP",
    ),
    Task(
        "9.3",
        "Which project's estimate at completion moved most this month (its id)?",
        lambda seed: str(_built(seed)["biggest_changes"]["project_id"].iloc[0]),
        "The biggest mover explains most of the month's change: start the sponsor conversation there.",
        ["The Biggest changes sheet is sorted by the size of the move."],
        kind="text",
    ),
)


