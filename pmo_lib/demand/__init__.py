"""Demand management: choosing which proposals to start within the budget and the people there are.

:mod:`~pmo_lib.demand.selection` holds the selection itself (an exact 0-1 programme solved by
HiGHS, a greedy baseline beside it, the reason each rejected proposal was left out, the efficient
frontier and the marginal proposals).
"""

from __future__ import annotations

from .selection import Problem, Selection, frontier, greedy, marginal, reasons, solve

__all__ = ["Problem", "Selection", "frontier", "greedy", "marginal", "reasons", "solve"]
