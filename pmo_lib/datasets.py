"""Bundled datasets, documented like code."""

from __future__ import annotations


def load_sample():
    """Load the bundled sample portfolio (``datasets/sample``).

    A fictional mid-size organisation, status date (as-of) 2026-10-31, money in
    GBP, effort in hours, durations in working days:

    - 3 portfolios, 24 projects in every stage (initiate, plan, execute, close)
      and status (active, on hold, closed, cancelled); some healthy, some late,
      some over budget, one re-baselined through an approved change request;
    - 18-60 tasks per project (881 in all) with 1,552 dependencies of all four
      types (FS, SS, FF, SF), some with lags or leads;
    - 60 people in 8 roles and teams with hourly cost rates, two working
      calendars (76 holidays) and 157 periods of planned leave; 915 assignments
      that over-allocate a few people in some weeks, including unnamed role
      demand for future work;
    - 2,328 weekly timesheet rows and 1,002 monthly financial rows (budget,
      actual, forecast by labour / external / other) from May 2025 to October 2026;
    - 120 risks, 60 issues, 38 change requests and 141 monthly status updates
      with RAG and commentary.

    Made by ``pmo synth datasets/sample`` (``pmo_lib.synth.SAMPLE``, seed
    20261031); ``tests/test_synth.py`` regenerates it and compares.

    Returns
    -------
    Portfolio
    """
    from .bundled import sample_data
    from .data import load_portfolio

    return load_portfolio(sample_data())
