"""Exercise 5: critical path and float."""

from __future__ import annotations


import numpy as np
import pandas as pd

from ..core import Question, Task, register


# --- 5. Critical path and float ----------------------------------------------------------------------------


def network_case(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A small network (durations in working days vary with the seed) and its finish-to-start links."""
    rng = np.random.default_rng(3000 + seed)
    names = ["A", "B", "C", "D", "E", "F"]
    durations = [int(x) for x in rng.integers(2, 9, len(names))]
    tasks = pd.DataFrame({"project_id": "X", "task_id": names, "duration_days": durations})
    links = [("A", "B"), ("A", "C"), ("B", "D"), ("C", "D"), ("C", "E"), ("D", "F"), ("E", "F")]
    deps = pd.DataFrame(links, columns=["predecessor_id", "successor_id"]).assign(project_id="X", type="FS", lag_days=0)
    return tasks, deps


def _cpm(seed: int) -> pd.DataFrame:
    from ...schedule import critical_path

    tasks, deps = network_case(seed)
    return critical_path(tasks, deps).set_index("task_id")


register(
    Task(
        "5.1",
        "How many working days does your network take from the start of A to the end of F?",
        lambda seed: int(_cpm(seed)["early_finish"].max()),
        "The project's duration is the longest path through the network, not the sum of all the work.",
        ["Do the forward pass: each task starts when its last predecessor finishes; the project ends when F ends."],
        [
            (
                lambda v, e, s: float(v) == network_case(s)[0]["duration_days"].sum(),
                "That is the sum of every task's duration; tasks on parallel branches overlap. Follow the longest path.",
            ),
            (
                lambda v, e, s: float(v) == e - 1,
                "One short: a task of d days that starts on day s ends at s + d; count both ends.",
            ),
        ],
        tolerance=0.0,
        unit="working days",
    ),
    Task(
        "5.2",
        "What is the total float of task E (working days)?",
        lambda seed: int(_cpm(seed).loc["E", "total_float"]),
        "Total float is how far a task can slip without moving the finish: late start minus early start.",
        [
            "Do the backward pass from the project end: a task's late finish is the earliest late start of its successors.",
            "Float = late start - early start.",
        ],
        tolerance=0.0,
        unit="working days",
    ),
    Task(
        "5.3",
        'Which tasks are on the critical path? (a set such as {"A", "B"})',
        lambda seed: set(_cpm(seed).index[_cpm(seed)["is_critical"]]),
        "Critical tasks have zero float: watch them, because any slip on them moves the finish date.",
        ["A task is critical when its total float is zero."],
        kind="set",
    ),
    Task(
        "5.4",
        "If task E slips by 2 working days more than its float, by how many working days does the project finish move?",
        lambda seed: 2,
        "A slip eats the float first; only what is beyond the float moves the finish.",
        ["Float absorbs slippage; only the part beyond it pushes the finish."],
        [(lambda v, e, s: float(v) == 0, "Beyond its float E becomes critical: the excess does move the finish.")],
        tolerance=0.0,
        unit="working days",
    ),
)



register(
    Question(
        "5.q1",
        "Task E has 5 days of total float and slips by 3 days. What happens to the project finish?",
        ["It moves 3 days later", "It does not move", "It moves 2 days earlier"],
        1,
        [
            "Only slippage beyond the float moves the finish; 3 days fit within 5.",
            "Yes: the float absorbs the slip; E now has 2 days of float left, so watch it.",
            "A slip never brings the finish forward.",
        ],
    ),
)
