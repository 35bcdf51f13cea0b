"""Resource levelling: resource-constrained scheduling of PSPLIB-style problems and of a real portfolio.

- :mod:`pmo_lib.leveling.rcpsp`: the engine on integer problems (serial SGS
  with priority rules, sampling, justification and an elite search; PSPLIB
  reader; the optional exact mode with OR-Tools CP-SAT).
- :mod:`pmo_lib.leveling.portfolio`: :func:`level` on a portfolio's unfinished
  tasks against each person's capacity (their calendar, FTE and leave), with new dates, the delay per project and the
  role that caused it.
"""

from ..errors import PMOError
from .portfolio import PORTFOLIO_RULES, Levelled, check, level
from .rcpsp import (
    ELITE,
    RULES,
    Problem,
    exact,
    feasible,
    justify,
    makespan,
    priorities,
    read_psplib,
    serial_sgs,
    solve,
)

__all__ = [
    "ELITE",
    "PORTFOLIO_RULES",
    "RULES",
    "Levelled",
    "PMOError",
    "Problem",
    "check",
    "exact",
    "feasible",
    "justify",
    "level",
    "makespan",
    "priorities",
    "read_psplib",
    "serial_sgs",
    "solve",
]
