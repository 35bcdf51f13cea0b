"""pmo_lib.leveling: PSPLIB instances solved feasibly (and j301_1 to its proven optimum), the rules, and
the invariant that a levelled schedule never exceeds capacity nor breaks a precedence."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_lib import leveling as lv

PSPLIB = FIXTURES / "psplib"  # two PSPLIB instances kept with the tests (the full sets are for benchmarks)


def _problem(durations, links, requests, capacity):
    successors = [[] for _ in durations]
    for a, b in links:
        successors[a].append(b)
    return lv.Problem(np.array(durations), successors, np.array(requests), np.array(capacity))


def test_hand_example_one_resource():
    # A(3, 2 units) and B(2, 2 units) both follow S and precede E; capacity 3: they cannot overlap
    p = _problem([0, 3, 2, 0], [(0, 1), (0, 2), (1, 3), (2, 3)], [[0], [2], [2], [0]], [3])
    result = lv.solve(p, schedules=30, seed=1)
    assert result["makespan"] == 5 and lv.feasible(p, result["start"])
    assert p.early_late()[2] == 3  # without resources the two would run side by side


def test_rules_are_named():
    p = _problem([0, 1, 0], [(0, 1), (1, 2)], [[0], [1], [0]], [1])
    for rule in lv.RULES:
        assert lv.priorities(p, rule).shape == (3,)
    with pytest.raises(ValueError, match="choose one of: lft, lst, min_slack, spt, priority"):
        lv.priorities(p, "fifo")


def test_psplib_reader_and_a_known_optimum():
    p = lv.read_psplib(PSPLIB / "j301_1.sm")
    assert p.n == 32 and p.capacity.tolist() == [12, 13, 4, 12] and p.early_late()[2] == 38  # MPM-Time 38
    result = lv.solve(p, schedules=600, seed=1)
    assert lv.feasible(p, result["start"]) and result["makespan"] == 43  # the proven optimum (j30opt.sm)
    plain = lv.makespan(p, lv.serial_sgs(p, lv.priorities(p, "lft")[None, :]))[0]
    assert result["makespan"] <= plain


def test_justification_never_lengthens():
    p = lv.read_psplib(PSPLIB / "j3013_4.sm")
    rng = np.random.default_rng(3)
    start = lv.serial_sgs(p, rng.random((50, p.n)))
    better = lv.justify(p, start)
    assert (lv.makespan(p, better) <= lv.makespan(p, start)).all()
    assert all(lv.feasible(p, row) for row in better)


@st.composite
def problems(draw):
    n = draw(st.integers(3, 12))
    durations = [0] + [draw(st.integers(0, 6)) for _ in range(n - 2)] + [0]
    links = [(0, i) for i in range(1, n - 1)] + [(i, n - 1) for i in range(1, n - 1)]
    links += [
        (a, b) for a in range(1, n - 1) for b in range(a + 1, n - 1) if draw(st.booleans()) and draw(st.booleans())
    ]
    capacity = [draw(st.integers(1, 6)) for _ in range(2)]
    requests = [[0, 0]] + [[draw(st.integers(0, c)) for c in capacity] for _ in range(n - 2)] + [[0, 0]]
    return _problem(durations, links, requests, capacity)


@settings(max_examples=60, deadline=None)
@given(problems(), st.integers(0, 5), st.sampled_from(["genetic", "sampling"]))
def test_a_levelled_schedule_is_always_feasible_and_at_least_the_bound(problem, seed, engine):
    result = lv.solve(problem, schedules=30, seed=seed, engine=engine)
    assert lv.feasible(problem, result["start"])  # never over capacity, every precedence kept
    assert result["makespan"] >= problem.early_late()[2]  # never shorter than the critical path


def test_the_genetic_search_finds_the_optimum_within_its_count_of_schedules():
    p = lv.read_psplib(PSPLIB / "j3013_4.sm")
    plain = int(lv.makespan(p, lv.serial_sgs(p, lv.priorities(p, "lft")[None, :]))[0])
    result = lv.solve(p, schedules=3000, seed=2, engine="genetic")
    assert lv.feasible(p, result["start"]) and result["makespan"] == 72 < plain  # the proven optimum (j30opt.sm)
    assert 3000 <= result["schedules"] <= 3003  # each child costs three: its SGS pass and the two of FBI


def test_the_compiled_serial_sgs_agrees_with_the_numpy_one():
    from pmo_lib.leveling import genetic

    p = lv.read_psplib(PSPLIB / "j301_1.sm")
    d, pp, pi, sp, si, req, cap, *_ = genetic.arrays(p)
    rng = np.random.default_rng(5)
    keys = rng.random((20, p.n))
    ours = lv.serial_sgs(p, keys)
    for row, start in zip(keys, ours, strict=True):
        order = np.zeros(p.n, dtype=np.int64)
        genetic._decode(row, pp, sp, si, order)  # the list the numpy pass follows: the eligible lowest key first
        compiled = np.zeros(p.n, dtype=np.int64)
        usage = np.zeros((int(d.sum()) + 2, cap.size), dtype=np.int64)
        span = genetic._serial(order, d, pp, pi, req, cap, usage, compiled)
        assert compiled.tolist() == start.tolist() and span == (start + d).max()


def test_an_activity_bigger_than_its_resource_is_refused_with_the_fix():
    p = _problem([0, 2, 0], [(0, 1), (1, 2)], [[0], [4], [0]], [3])
    with pytest.raises(lv.PMOError, match="activity 2 asks 4 of resource 1, which has 3; no schedule can fit it"):
        lv.solve(p)
    with pytest.raises(ValueError, match="choose one of: auto, genetic, sampling"):
        lv.solve(p, engine="tabu")


def test_a_file_that_is_not_psplib_is_named(tmp_path):
    from pmo_lib.errors import PMOError

    odd = tmp_path / "plan.sm"
    odd.write_text("jobs (incl. supersource/sink ):  3\nsomething else entirely\n", encoding="utf-8")
    with pytest.raises(PMOError, match=r"plan\.sm: not a PSPLIB single-mode \(\.sm\) file"):
        lv.read_psplib(odd)
    broken = tmp_path / "broken.sm"
    text = (
        (PSPLIB / "j301_1.sm")
        .read_text(encoding="latin-1")
        .replace("   1        1          3           2   3   4", "   1        1          3           2   3   99")
    )
    broken.write_text(text, encoding="latin-1")
    with pytest.raises(PMOError, match="the sections disagree"):
        lv.read_psplib(broken)


# --- the exact mode (OR-Tools CP-SAT) -----------------------------------------------------------------------


def test_exact_proves_the_hand_example_optimal():
    p = _problem([0, 3, 2, 0], [(0, 1), (0, 2), (1, 3), (2, 3)], [[0], [2], [2], [0]], [3])
    result = lv.exact(p, time_limit=5)
    assert result["optimal"] and result["makespan"] == 5 and result["bound"] == 5
    assert lv.feasible(p, result["start"])


@pytest.mark.parametrize(("name", "optimum"), [("j301_1", 43), ("j3013_4", 72)])
def test_exact_proves_psplib_optima_and_improves_a_poor_hint(name, optimum):
    # optima from PSPLIB's j30opt.sm (Demeulemeester and Herroelen)
    problem = lv.read_psplib(PSPLIB / f"{name}.sm")
    poor = lv.serial_sgs(problem, lv.priorities(problem, "spt")[None, :])[0]  # a weak rule's plan as the hint
    result = lv.exact(problem, time_limit=10, hint=poor)
    assert result["optimal"] and result["makespan"] == optimum == result["bound"]
    assert lv.feasible(problem, result["start"])
    assert int(lv.makespan(problem, poor[None, :])[0]) >= optimum


def test_exact_without_ortools_says_how_to_install_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ortools.sat.python", None)  # as if the extra were not installed
    p = _problem([0, 1, 0], [(0, 1), (1, 2)], [[0], [1], [0]], [1])
    with pytest.raises(lv.PMOError, match=r"optional extra: pip install -e '\.\[exact\]'"):
        lv.exact(p)
