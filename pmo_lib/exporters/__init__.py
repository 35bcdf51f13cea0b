"""Plans back to the scheduling tools: the dates to write (plan, what-if scenario, levelled) and the writers.

:func:`plan_dates` gives each task's start and finish as PMO Lab worked them out, and the start its
links alone would give (to tell which tasks were moved and need a constraint in the tool);
``exporters.mspdi`` writes them as MS Project XML.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["plan_dates"]


def plan_dates(portfolio, *, as_of=None, scenario=None, level: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(dates, early)``: per task ``project_id``, ``task_id``, ``start``, ``finish`` [dates] to write, and
    the same tasks' dates by their links alone (the critical path of the plan or of the scenario).

    ``scenario`` (a :class:`~pmo_lib.scenarios.Scenario`) is applied first; ``level`` levels the
    result against each person's capacity (``pmo_lib.leveling.level``) from ``as_of`` (default: the data
    date); without it the dates are the critical path with progress at ``as_of``.
    """
    from ..schedule import schedule

    def early_dates(frame):
        return frame[["project_id", "task_id"]].assign(start=frame["early_start"], finish=frame["early_finish"])

    planned = portfolio
    if scenario is not None:
        from ..scenarios import apply

        planned = apply(portfolio, scenario)
    base = early_dates(schedule(planned, as_of=as_of))
    if not level:
        return base, base
    from ..leveling import level as level_plan

    levelled = level_plan(planned, as_of=as_of).tasks[["project_id", "task_id", "start", "finish"]]
    key = ["project_id", "task_id"]
    merged = base.merge(levelled, on=key, how="left", suffixes=("", "_levelled"))
    merged["start"] = merged["start_levelled"].fillna(merged["start"])
    merged["finish"] = merged["finish_levelled"].fillna(merged["finish"])
    return merged[[*key, "start", "finish"]], base
