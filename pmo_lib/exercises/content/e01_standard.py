"""Exercise 1: what a PMO does, and our standard."""

from __future__ import annotations



from ..core import Question, Task, register
from .shared import default_standard


# --- 1. What a PMO does, and our standard ------------------------------------------------------------


register(
    Task(
        "1.1",
        "How many rules of our standard have severity error?",
        lambda seed: sum(r["severity"] == "error" for r in default_standard().rules),
        "Errors are the breaches the PMO acts on; `pmo check` exits 1 while any remain.",
        [
            "Load the standard with `standards.load()` and look at each rule's `severity`.",
            "`standards.load().rules_frame()` is a table; count the rows whose severity is error.",
        ],
        [
            (
                lambda v, e, s: float(v) == len(default_standard().rules),
                "That is every rule; count only those whose severity is error.",
            )
        ],
    ),
    Task(
        "1.2",
        "Below which CPI is a project's cost rated red?",
        lambda seed: default_standard().tolerances["cpi"]["red"],
        "Tolerances turn an index into a colour the same way for every project: no arguing about the RAG.",
        ["The tolerances are in the standard's `tolerances` section, one entry per indicator, with amber and red."],
        [
            (
                lambda v, e, s: float(v) == default_standard().tolerances["cpi"]["amber"],
                "That is the amber limit; red is the lower one.",
            )
        ],
        tolerance=0.0,
    ),
    Task(
        "1.3",
        "Which rule (its id) requires a status update every month?",
        lambda seed: "RPT-01",
        "A monthly status update is the heartbeat of portfolio reporting; without it the report shows a gap.",
        ["Rules about reporting have ids starting with RPT."],
        [
            (
                lambda v, e, s: str(v).upper().startswith("RPT-02"),
                "RPT-02 is about commentary when a project is not green; look for the cadence rule.",
            )
        ],
        kind="text",
    ),
    Question(
        "1.q1",
        "A PMO that provides templates and advice, with no power to enforce them, is which type?",
        ["Supportive", "Controlling", "Directive"],
        0,
        [
            "Yes: a supportive PMO serves projects with templates, training and good practice; compliance is voluntary.",
            "A controlling PMO requires compliance (standards, reviews, gates); this one only advises.",
            "A directive PMO manages the projects itself; this one only advises.",
        ],
    ),
    Question(
        "1.q2",
        "What must exist before a project may enter the execute stage under our standard?",
        ["A status update", "A baseline schedule and an approved budget", "A closed risk register"],
        1,
        [
            "Status updates are monthly reporting, not a gate into execution.",
            "Yes: rule GATE-01 needs a baseline (dates on every task) and a budget, so progress can be measured.",
            "Risks stay open during execution; the gate asks for a register with owners, not a closed one.",
        ],
    ),
)


