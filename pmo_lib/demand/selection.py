"""Portfolio selection: which proposals to start, and when, within the budget and the people there are.

The choice is a 0-1 programme (a multi-dimensional knapsack with start times and links) [1]_:

.. math::

    \\max \\sum_{p,s} v_p x_{ps} \\quad\\text{s.t.}\\quad
    \\sum_s x_{ps} \\le 1 \\;(= 1 \\text{ if } p \\text{ is mandatory}),\\qquad
    \\sum_{p,s} c_{p,y-s}\\, x_{ps} \\le B_y,\\qquad
    \\sum_{p,s} d_{p,r,q-s}\\, x_{ps} \\le F_{r,q},

with :math:`x_{ps} = 1` when proposal *p* starts in quarter *s* of its window, :math:`c` its cost by
quarter from its start (summed per year *y* of the horizon against the budget :math:`B_y`),
:math:`d` its demand for role *r* [FTE] by quarter from its start against the free capacity
:math:`F_{r,q}` left by the committed projects, and for each link *a requires b*
:math:`\\sum_s x_{as} \\le \\sum_s x_{bs}`, for *a excludes b* :math:`\\sum_s x_{as} + \\sum_s x_{bs} \\le 1`.
Cost and demand that fall after the horizon are not constrained. HiGHS solves it exactly
(:func:`scipy.optimize.milp`, branch and cut) and reports the optimality gap it proved.

:func:`greedy` is the usual spreadsheet answer beside it: proposals by value per unit of cost,
each taken at its first start that still fits [2]_. It can be far from the optimum, because one
expensive proposal can crowd out two that together are worth more.

References
----------
.. [1] H. Kellerer, U. Pferschy, D. Pisinger, *Knapsack Problems*, Springer, 2004, ch. 9
   (the multidimensional knapsack problem).
.. [2] G. B. Dantzig, "Discrete-variable extremum problems", *Operations Research* 5 (2), 1957
   (the greedy ratio rule and its bound).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

QUARTERS_PER_YEAR = 4


@dataclass(frozen=True)
class Problem:
    """A selection problem in arrays; the horizon is ``capacity.shape[1]`` quarters, each in a budget year (``years``).

    ``value`` (P,) [currency or score]; ``cost`` (P, K) by quarter from the start [currency];
    ``demand`` (P, R, K) by role and quarter from the start [FTE]; ``capacity`` (R, Q) free FTE;
    ``budget`` (Y,) per year [currency]; ``earliest`` and ``latest`` (P,) the start window
    [quarter index]; ``mandatory`` (P,) bool; ``requires`` and ``excludes`` (L, 2) proposal positions.
    """

    ids: np.ndarray
    value: np.ndarray
    cost: np.ndarray
    demand: np.ndarray
    capacity: np.ndarray
    budget: np.ndarray
    earliest: np.ndarray
    latest: np.ndarray
    mandatory: np.ndarray
    requires: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=int))
    excludes: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=int))
    roles: tuple = ()
    year_of: np.ndarray | None = None  # (Q,) budget year of each quarter; default: four quarters a year
    quarter_names: tuple = ()  # e.g. "2027 Q1", for the reasons
    year_names: tuple = ()  # e.g. "2027"

    @property
    def quarters(self) -> int:
        return int(self.capacity.shape[1])

    @property
    def years(self) -> np.ndarray:
        """Budget year position of each quarter of the horizon (Q,)."""
        if self.year_of is not None:
            return np.asarray(self.year_of, dtype=int)
        return np.minimum(np.arange(self.quarters) // QUARTERS_PER_YEAR, len(self.budget) - 1)

    def with_budget(self, budget) -> Problem:
        """The same problem with another budget per year."""
        return replace(self, budget=np.broadcast_to(np.asarray(budget, float), self.budget.shape))

    def load(self, p: int, s: int) -> tuple[np.ndarray, np.ndarray]:
        """Proposal ``p`` started in quarter ``s``: its cost per year (Y,) and its demand per role and quarter (R, Q)."""
        q = s + np.arange(self.cost.shape[1])
        inside = q < self.quarters
        spend = np.zeros(self.quarters)
        spend[q[inside]] = self.cost[p, inside]
        people = np.zeros(self.capacity.shape)
        people[:, q[inside]] = self.demand[p][:, inside]
        by_year = np.zeros(len(self.budget))
        np.add.at(by_year, self.years, spend)
        return by_year, people


@dataclass
class Selection:
    """The chosen proposals (``chosen``: proposal_id, start_quarter, value), the objective and how it was proved."""

    chosen: pd.DataFrame
    value: float
    status: str  # "optimal", "time limit" or "infeasible"
    gap: float  # relative optimality gap HiGHS proved (0 = proven optimum)
    seconds: float
    message: str = ""

    def starts(self, problem: Problem) -> np.ndarray:
        """Start quarter per proposal position, -1 when not chosen."""
        out = np.full(len(problem.ids), -1)
        where = pd.Index(problem.ids).get_indexer(self.chosen["proposal_id"])
        out[where] = self.chosen["start_quarter"].to_numpy()
        return out


def _columns(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """One variable per proposal and allowed start: (proposal position, start quarter)."""
    width = np.maximum(problem.latest - problem.earliest + 1, 0)
    p = np.repeat(np.arange(len(problem.ids)), width)
    offset = np.arange(len(p)) - np.repeat(np.cumsum(width) - width, width)
    return p, problem.earliest[p] + offset


def _matrix(problem: Problem, col_p: np.ndarray, col_s: np.ndarray):
    """The constraint rows as one sparse matrix with lower and upper bounds (see the module notes)."""
    from scipy.sparse import coo_array

    n, n_prop = len(col_p), len(problem.ids)
    k = np.arange(problem.cost.shape[1])
    q = col_s[:, None] + k[None, :]  # (J, K) quarter of each offset
    inside = q < problem.quarters
    rows, cols, vals, lo, hi = [], [], [], [], []
    base = 0
    # one start at most (exactly one when mandatory)
    rows.append(col_p), cols.append(np.arange(n)), vals.append(np.ones(n))
    lo.append(problem.mandatory.astype(float)), hi.append(np.ones(n_prop))
    base += n_prop
    # budget per year
    years = len(problem.budget)
    j = np.broadcast_to(np.arange(n)[:, None], q.shape)[inside]
    y = problem.years[q[inside]]
    rows.append(base + y), cols.append(j), vals.append(problem.cost[col_p][inside])
    lo.append(np.full(years, -np.inf)), hi.append(problem.budget.astype(float))
    base += years
    # capacity per role and quarter
    n_roles = problem.capacity.shape[0]
    d = problem.demand[col_p]  # (J, R, K)
    jj, rr, kk = np.nonzero(d * inside[:, None, :])
    rows.append(base + rr * problem.quarters + col_s[jj] + kk), cols.append(jj), vals.append(d[jj, rr, kk])
    lo.append(np.full(n_roles * problem.quarters, -np.inf)), hi.append(problem.capacity.ravel().astype(float))
    base += n_roles * problem.quarters
    # links: a requires b (a - b <= 0), a excludes b (a + b <= 1)
    first = np.searchsorted(col_p, np.arange(n_prop))  # col_p is sorted: proposal p's columns are first[p]:last[p]
    last = np.searchsorted(col_p, np.arange(n_prop), side="right")
    for pairs, sign, bound in ((problem.requires, -1.0, 0.0), (problem.excludes, 1.0, 1.0)):
        pairs = np.asarray(pairs, dtype=int).reshape(-1, 2)
        for i, (a, b) in enumerate(pairs):  # a few links per proposal at most
            for who, w in ((a, 1.0), (b, sign)):
                js = np.arange(first[who], last[who])
                rows.append(np.full(len(js), base + i)), cols.append(js), vals.append(np.full(len(js), w))
        lo.append(np.full(len(pairs), -np.inf)), hi.append(np.full(len(pairs), bound))
        base += len(pairs)
    a = coo_array((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(base, n)).tocsr()
    return a, np.concatenate(lo), np.concatenate(hi)


def solve(problem: Problem, *, time_limit: float = 60.0, gap: float = 1e-6) -> Selection:
    """The selection of greatest total value that breaks no budget, capacity or link (HiGHS via scipy.optimize.milp).

    ``gap`` is the relative optimality gap at which HiGHS may stop [unitless]; the gap it proved is
    returned. An infeasible problem (mandatory proposals that cannot all fit) gives status
    ``"infeasible"`` and a message naming what does not fit.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    clock = time.perf_counter()
    col_p, col_s = _columns(problem)
    a, lo, hi = _matrix(problem, col_p, col_s)
    result = milp(
        -problem.value[col_p].astype(float),
        integrality=np.ones(len(col_p)),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(a, lo, hi),
        options={"time_limit": float(time_limit), "mip_rel_gap": float(gap), "disp": False},
    )
    seconds = time.perf_counter() - clock
    if result.x is None:
        infeasible = result.status == 2
        message = _infeasible(problem) if infeasible else f"no selection found within the time limit: {result.message}"
        status = "infeasible" if infeasible else "time limit"
        empty = pd.DataFrame({"proposal_id": pd.Series(dtype=object), "start_quarter": pd.Series(dtype=int)})
        return Selection(empty.assign(value=pd.Series(dtype=float)), float("nan"), status, np.nan, seconds, message)
    on = result.x > 0.5
    chosen = pd.DataFrame(
        {"proposal_id": problem.ids[col_p[on]], "start_quarter": col_s[on], "value": problem.value[col_p[on]]}
    )
    status = "optimal" if result.status == 0 else "time limit"
    proved = float(getattr(result, "mip_gap", 0.0) or 0.0)
    return Selection(chosen.reset_index(drop=True), float(chosen["value"].sum()), status, proved, seconds)


def _shortfalls(problem: Problem, p: int, s: int, budget_left, capacity_left, chosen: np.ndarray) -> list[str]:
    """Why proposal ``p`` started in quarter ``s`` does not fit beside what is chosen (empty: it fits)."""
    spend, people = problem.load(p, s)
    out = []
    for y in np.nonzero(spend > budget_left + 1e-9)[0]:
        year = problem.year_names[y] if problem.year_names else f"year {y + 1}"
        out.append(f"budget of {year}: needs {spend[y] - budget_left[y]:,.0f} more")
    over = people - capacity_left > 1e-9
    for r, q in zip(*np.nonzero(over), strict=True):
        role = problem.roles[r] if problem.roles else f"role {r}"
        quarter = problem.quarter_names[q] if problem.quarter_names else f"quarter {q + 1}"
        out.append(f"{role} in {quarter}: {people[r, q] - capacity_left[r, q]:.2f} FTE short")
    for a, b in np.asarray(problem.requires, dtype=int).reshape(-1, 2):
        if a == p and not chosen[b]:
            out.append(f"requires {problem.ids[b]}, which is not selected")
    for a, b in np.asarray(problem.excludes, dtype=int).reshape(-1, 2):
        other = b if a == p else a if b == p else None
        if other is not None and chosen[other]:
            out.append(f"excludes {problem.ids[other]}, which is selected")
    return out


def _left(problem: Problem, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    budget, capacity = problem.budget.astype(float).copy(), problem.capacity.astype(float).copy()
    for p in np.nonzero(starts >= 0)[0]:
        spend, people = problem.load(p, int(starts[p]))
        budget -= spend
        capacity -= people
    return budget, capacity


def reasons(problem: Problem, selection: Selection) -> pd.DataFrame:
    """For each proposal not selected, what binds: budget (which year), a role (which quarter), or a link.

    The reason is read at the proposal's start that would break the fewest limits, beside the
    selection as it is. Columns: ``proposal_id``, ``reason`` (the limits it breaks, ``"; "``-joined).
    """
    starts = selection.starts(problem)
    budget, capacity = _left(problem, starts)
    chosen = starts >= 0
    rows = []
    for p in np.nonzero(~chosen)[0]:  # the rejected ones: at most a few hundred, each a few array sums
        options = [
            _shortfalls(problem, p, s, budget, capacity, chosen)
            for s in range(problem.earliest[p], problem.latest[p] + 1)
        ]
        best = min(options, key=len) if options else ["no start quarter inside the horizon"]
        rows.append((problem.ids[p], "; ".join(best) or "fits, but a better-valued mix uses the same room"))
    return pd.DataFrame(rows, columns=["proposal_id", "reason"])


def greedy(problem: Problem) -> Selection:
    """Mandatory proposals first, then by value per unit of total cost, each at its first start that fits."""
    clock = time.perf_counter()
    total = problem.cost.sum(axis=1)
    ratio = np.divide(problem.value, total, out=np.full(len(total), np.inf), where=total > 0)
    order = np.lexsort((-ratio, ~problem.mandatory))
    starts = np.full(len(problem.ids), -1)
    budget, capacity = problem.budget.astype(float).copy(), problem.capacity.astype(float).copy()
    for p in order:  # one pass over the proposals: the baseline a spreadsheet would give
        for s in range(problem.earliest[p], problem.latest[p] + 1):
            if not _shortfalls(problem, p, s, budget, capacity, starts >= 0):
                spend, people = problem.load(p, s)
                budget, capacity, starts[p] = budget - spend, capacity - people, s
                break
    on = starts >= 0
    chosen = pd.DataFrame({"proposal_id": problem.ids[on], "start_quarter": starts[on], "value": problem.value[on]})
    missed = problem.mandatory & ~on
    status = "infeasible" if missed.any() else "heuristic"
    message = f"mandatory {', '.join(map(str, problem.ids[missed]))} did not fit" if missed.any() else ""
    return Selection(chosen, float(chosen["value"].sum()), status, np.nan, time.perf_counter() - clock, message)


def _infeasible(problem: Problem) -> str:
    """Words for an infeasible problem: a mandatory proposal that cannot fit even alone, or the mandatory ones together."""
    nothing = np.zeros(len(problem.ids), dtype=bool)
    budget, capacity = problem.budget.astype(float), problem.capacity.astype(float)
    mandatory = np.nonzero(problem.mandatory)[0]
    for p in mandatory:
        options = [
            _shortfalls(problem, p, s, budget, capacity, nothing)
            for s in range(problem.earliest[p], problem.latest[p] + 1)
        ]
        if options and all(options):
            return f"mandatory {problem.ids[p]} cannot fit even alone: {'; '.join(min(options, key=len))}"
    names = ", ".join(map(str, problem.ids[mandatory]))
    return f"the mandatory proposals ({names}) do not fit together, or their links cannot all hold"


def frontier(problem: Problem, points: int = 20, up_to: float = 2.0) -> pd.DataFrame:
    """The efficient frontier: the best value at ``points`` budget levels, from 1/points to ``up_to`` times the budget.

    With the defaults the levels are 10 %, 20 %, ... 200 %, so the stated budget is one of them.
    Columns: ``budget_share`` [unitless], ``budget`` (all years) [currency], ``value``, ``proposals``,
    ``status`` (``"infeasible"`` where the mandatory proposals do not fit the smaller budget).
    """
    rows = []
    for share in np.linspace(up_to / points, up_to, points):
        picked = solve(problem.with_budget(problem.budget * share))
        rows.append((share, float(problem.budget.sum() * share), picked.value, len(picked.chosen), picked.status))
    return pd.DataFrame(rows, columns=["budget_share", "budget", "value", "proposals", "status"])


def marginal(problem: Problem, selection: Selection, step: float = 0.10) -> pd.DataFrame:
    """What enters with ``step`` more budget and what drops with ``step`` less: ``proposal_id``, ``change``."""
    now = set(selection.chosen["proposal_id"])
    more = set(solve(problem.with_budget(problem.budget * (1 + step))).chosen["proposal_id"])
    less = set(solve(problem.with_budget(problem.budget * (1 - step))).chosen["proposal_id"])
    rows = [(p, f"enters with {step:.0%} more budget") for p in sorted(more - now)]
    rows += [(p, f"drops with {step:.0%} less budget") for p in sorted(now - less)]
    return pd.DataFrame(rows, columns=["proposal_id", "change"])


__all__ = ["Problem", "Selection", "frontier", "greedy", "marginal", "reasons", "solve"]
