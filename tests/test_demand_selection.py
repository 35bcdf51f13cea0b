"""pmo_lib.demand.selection: the exact selection against hand-solved cases, a brute-force oracle and invariants."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_lib.demand import Problem, frontier, greedy, marginal, reasons, solve


def problem(
    value, cost, demand, *, capacity, budget, quarters=4, window=None, mandatory=None, requires=(), excludes=()
):
    """Proposals whose cost and demand fall in the quarters from their start (arrays as lists)."""
    n = len(value)
    cost = np.asarray(cost, float).reshape(n, -1)
    demand = np.asarray(demand, float).reshape(n, 1, -1)
    earliest, latest = (
        (np.zeros(n, int), np.zeros(n, int)) if window is None else map(np.asarray, zip(*window, strict=True))
    )
    return Problem(
        ids=np.array([chr(ord("A") + i) for i in range(n)], dtype=object),
        value=np.asarray(value, float),
        cost=cost,
        demand=demand,
        capacity=np.full((1, quarters), float(capacity)),
        budget=np.atleast_1d(np.asarray(budget, float)),
        earliest=np.asarray(earliest, int),
        latest=np.asarray(latest, int),
        mandatory=np.zeros(n, bool) if mandatory is None else np.asarray(mandatory, bool),
        requires=np.asarray(requires, int).reshape(-1, 2),
        excludes=np.asarray(excludes, int).reshape(-1, 2),
        roles=("developer",),
    )


# Worked by hand: budget 100, 3 developers; D requires B. Greedy (value per cost: E 8.0, D 3.0,
# C 1.125, A 1.0, B 1.0) takes E (2 developers), skips D (B is not in), takes C (the third
# developer): 85. Every subset within 100 and 3 developers, with D only beside B, gives at most
# B + C + D = 50 + 45 + 30 = 125 (cost 100, 3 developers).
HAND = dict(
    value=[60, 50, 45, 30, 40],
    cost=[60, 50, 40, 10, 5],
    demand=[1, 1, 1, 1, 2],
    capacity=3,
    budget=100,
    requires=[(3, 1)],
)


def test_the_optimum_beats_greedy_on_a_hand_solved_case_with_two_limits_and_a_link():
    case = problem(**HAND)
    best, quick = solve(case), greedy(case)
    assert best.status == "optimal" and best.gap <= 1e-6
    assert sorted(best.chosen["proposal_id"]) == ["B", "C", "D"] and best.value == 125
    assert sorted(quick.chosen["proposal_id"]) == ["C", "E"] and quick.value == 85


def test_each_rejected_proposal_gets_what_binds_it():
    case = problem(**HAND)
    why = reasons(case, solve(case)).set_index("proposal_id")["reason"]
    assert sorted(why.index) == ["A", "E"]
    assert why["A"] == "budget of year 1: needs 60 more; developer in quarter 1: 1.00 FTE short"
    assert why["E"] == "budget of year 1: needs 5 more; developer in quarter 1: 2.00 FTE short"
    # B can never fit the budget; D costs nothing but requires B
    linked = problem([1, 30], [100, 0], [0, 0], capacity=1, budget=99, requires=[(1, 0)])
    why = reasons(linked, solve(linked)).set_index("proposal_id")["reason"]
    assert why.to_dict() == {"A": "budget of year 1: needs 1 more", "B": "requires A, which is not selected"}


def test_an_excluded_pair_is_never_chosen_together():
    case = problem([10, 10, 5], [1, 1, 1], [0, 0, 0], capacity=1, budget=10, excludes=[(0, 1)])
    picked = solve(case)
    assert picked.value == 15 and {"A", "B"} - set(picked.chosen["proposal_id"])
    left = reasons(case, picked)["reason"].iloc[0]
    assert left.startswith("excludes ") and left.endswith(", which is selected")


def test_a_start_window_lets_two_projects_share_one_person():
    # each needs the one developer for two quarters; starting the second in quarter 3 fits both
    case = problem([10, 10], [[5, 5], [5, 5]], [[1, 1], [1, 1]], capacity=1, budget=100, window=[(0, 2), (0, 2)])
    picked = solve(case)
    assert picked.value == 20
    assert sorted(picked.chosen["start_quarter"]) == [0, 2]
    assert greedy(case).value == 20


def test_cost_is_counted_in_the_year_it_falls():
    # 8 quarters = 2 years of 50; a proposal of 40 a quarter for 2 quarters fits only across the year end
    case = problem([10], [[40, 40]], [[0, 0]], capacity=1, budget=[50, 50], quarters=8, window=[(0, 6)])
    picked = solve(case)
    assert picked.value == 10 and picked.chosen["start_quarter"].tolist() == [3]


def test_a_mandatory_proposal_that_cannot_fit_is_reported_infeasible_with_the_reason():
    case = problem([10, 99], [200, 10], [1, 1], capacity=3, budget=100, mandatory=[True, False])
    picked = solve(case)
    assert picked.status == "infeasible" and picked.chosen.empty
    assert picked.message == "mandatory A cannot fit even alone: budget of year 1: needs 100 more"
    assert greedy(case).status == "infeasible"


def test_a_mandatory_proposal_is_taken_even_when_worth_less():
    case = problem([1, 99], [60, 60], [1, 1], capacity=3, budget=100, mandatory=[True, False])
    picked = solve(case)
    assert picked.chosen["proposal_id"].tolist() == ["A"]


def test_frontier_rises_with_the_budget_and_marginal_names_what_moves():
    case = problem(**HAND)
    line = frontier(case, points=10, up_to=2.0)
    assert len(line) == 10 and (line["value"].diff().dropna() >= -1e-9).all()
    assert line["value"].iloc[-1] >= 125
    moves = marginal(case, solve(case), step=0.5)
    assert set(moves["change"].str.split().str[0]) <= {"enters", "drops"}
    assert "drops with 50% less budget" in set(moves["change"])


# --- invariants on random problems -------------------------------------------------------------------


@st.composite
def problems(draw, max_proposals=7):
    n = draw(st.integers(1, max_proposals))
    k = draw(st.integers(1, 3))
    quarters = 8
    window = []
    for _ in range(n):
        first = draw(st.integers(0, quarters - 1))
        window.append((first, draw(st.integers(first, min(first + 2, quarters - 1)))))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda ab: ab[0] != ab[1])
    return problem(
        draw(st.lists(st.integers(0, 50), min_size=n, max_size=n)),
        draw(st.lists(st.integers(0, 40), min_size=n * k, max_size=n * k)),
        draw(st.lists(st.sampled_from([0, 0.5, 1, 2]), min_size=n * k, max_size=n * k)),
        capacity=draw(st.sampled_from([1, 2, 3])),
        budget=draw(st.lists(st.integers(0, 150), min_size=2, max_size=2)),
        quarters=quarters,
        window=window,
        mandatory=draw(
            st.lists(st.booleans(), min_size=n, max_size=n).map(lambda m: [x and draw(st.booleans()) for x in m])
        ),
        requires=draw(st.lists(pairs, max_size=2)),
        excludes=draw(st.lists(pairs, max_size=2)),
    )


def _breaks(case: Problem, starts: np.ndarray) -> list[str]:
    """Every limit a set of starts breaks (the independent check of a selection)."""
    on = starts >= 0
    wrong = []
    spend, people = np.zeros(case.budget.shape), np.zeros(case.capacity.shape)
    for p in np.nonzero(on)[0]:
        if not case.earliest[p] <= starts[p] <= case.latest[p]:
            wrong.append(f"{p} outside its window")
        for k in range(case.cost.shape[1]):
            q = starts[p] + k
            if q < case.quarters:
                spend[min(q // 4, len(spend) - 1)] += case.cost[p, k]
                people[:, q] += case.demand[p, :, k]
    wrong += ["budget"] * int((spend > case.budget + 1e-6).sum()) + ["capacity"] * int(
        (people > case.capacity + 1e-6).sum()
    )
    wrong += [f"{a} requires {b}" for a, b in case.requires if on[a] and not on[b]]
    wrong += [f"{a} excludes {b}" for a, b in case.excludes if on[a] and on[b]]
    wrong += [f"mandatory {p}" for p in np.nonzero(case.mandatory & ~on)[0]]
    return wrong


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_selection_never_breaks_a_limit_and_is_at_least_the_greedy_value(case):
    best = solve(case)
    if best.status == "infeasible":
        # then no selection holds: the greedy one breaks something too, and the message says why
        assert _breaks(case, greedy(case).starts(case)) and best.message
        return
    assert best.status == "optimal" and not _breaks(case, best.starts(case))
    quick = greedy(case)
    if quick.status != "infeasible":
        assert not _breaks(case, quick.starts(case))
        assert best.value >= quick.value - 1e-6
    assert set(reasons(case, best)["proposal_id"]) == set(case.ids) - set(best.chosen["proposal_id"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_proposals=6), st.integers(0, 100))
def test_more_budget_never_lowers_the_optimum_and_the_optimum_is_the_best_subset(case, extra):
    fixed = Problem(**{**case.__dict__, "latest": case.earliest})  # one start each: 2^n subsets to try
    best = solve(fixed)
    brute = -np.inf
    for mask in itertools.product([False, True], repeat=len(fixed.ids)):
        starts = np.where(mask, fixed.earliest, -1)
        if not _breaks(fixed, starts):
            brute = max(brute, float(fixed.value[np.array(mask, bool)].sum()))
    if brute == -np.inf:
        assert best.status == "infeasible"
        return
    assert best.value == pytest.approx(brute)
    richer = solve(fixed.with_budget(fixed.budget + extra))
    assert richer.value >= best.value - 1e-6
