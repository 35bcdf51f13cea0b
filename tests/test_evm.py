"""pmo_lib.evm: indicators checked on hand-computed cases, edge cases and invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_lib import evm

# Hand-computed case: BAC 10,000; PV 5,000; EV 4,000; AC 4,500 (money in any currency).
# CPI = 4000/4500 = 0.8889, SPI = 0.8; formulas of the PMI Practice Standard for EVM (2011)
# and PMBOK 6th ed. table 7-1.
BAC, PV, EV, AC = 10_000.0, 5_000.0, 4_000.0, 4_500.0


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SV", evm.schedule_variance(EV, PV), -1_000.0),
        ("CV", evm.cost_variance(EV, AC), -500.0),
        ("SPI", evm.spi(EV, PV), 0.8),
        ("CPI", evm.cpi(EV, AC), 4_000 / 4_500),
        ("EAC cpi", evm.eac(BAC, EV, AC), 11_250.0),
        ("EAC atypical", evm.eac(BAC, EV, AC, method="atypical"), 10_500.0),
        ("EAC cpi_spi", evm.eac(BAC, EV, AC, method="cpi_spi", pv=PV), 12_937.5),
        ("EAC new_etc", evm.eac(BAC, EV, AC, method="new_etc", etc=7_000), 11_500.0),
        ("ETC", evm.etc_from_eac(11_250.0, AC), 6_750.0),
        ("VAC", evm.vac(BAC, 11_250.0), -1_250.0),
        ("TCPI to BAC", evm.tcpi(BAC, EV, AC), 6_000 / 5_500),
        ("TCPI to EAC", evm.tcpi(BAC, EV, AC, 11_250.0), 6_000 / 6_750),
    ],
)
def test_hand_computed_indicators(name, value, expected):
    assert value == pytest.approx(expected, rel=1e-12), name


def test_tcpi_is_undefined_once_the_budget_is_spent():
    assert math.isnan(evm.tcpi(10_000, 9_000, 10_000))  # AC = BAC
    assert math.isnan(evm.tcpi(10_000, 9_000, 12_000))  # AC > BAC: a negative index would read as "ahead"
    assert evm.tcpi(10_000, 10_000, 8_000) == 0  # all earned, money left: nothing more to do


def test_cpi_is_ev_over_ac_not_the_other_way():
    assert evm.cpi(800, 1000) == pytest.approx(0.8)  # AC / EV would be 1.25


def test_unknown_eac_method_lists_the_names():
    with pytest.raises(ValueError, match="choose one of: cpi, atypical, cpi_spi, new_etc"):
        evm.eac(BAC, EV, AC, method="guess")


@pytest.mark.parametrize(("method", "needs"), [("cpi_spi", "needs pv"), ("new_etc", "needs etc")])
def test_methods_say_what_they_need(method, needs):
    with pytest.raises(ValueError, match=needs):
        evm.eac(BAC, EV, AC, method=method)


def test_nothing_spent_or_planned_yet_gives_undefined_not_infinite():
    assert math.isnan(evm.cpi(0, 0)) and math.isnan(evm.cpi(100, 0))
    assert math.isnan(evm.spi(100, 0))
    assert math.isnan(evm.eac(BAC, 100, 0))
    assert evm.eac(BAC, 100, 0, method="atypical") == pytest.approx(9_900)


def test_finished_project_has_tcpi_undefined_when_the_budget_is_spent():
    assert math.isnan(evm.tcpi(1_000, 1_000, 1_000))
    assert evm.tcpi(1_000, 1_000, 900) == 0.0  # no work left to do


def test_columns_in_series_out_with_the_same_index():
    ev = pd.Series([100.0, 50.0], index=["P1", "P2"])
    ac = pd.Series([80.0, 0.0], index=["P1", "P2"])
    out = evm.cpi(ev, ac)
    assert list(out.index) == ["P1", "P2"]
    assert out["P1"] == pytest.approx(1.25) and math.isnan(out["P2"])


# Earned schedule, hand-computed (Lipke 2003): cumulative PV by month 100, 250, 450, 600, 700;
# at the end of month 4 EV = 400, so C = 2 (PV 250 <= 400 < 450) and
# ES = 2 + (400 - 250) / (450 - 250) = 2.75 months; SPI(t) = 2.75 / 4; SV(t) = -1.25 months;
# IEAC(t) = 5 / 0.6875 = 7.27 months.
PV_CUM = [100.0, 250.0, 450.0, 600.0, 700.0]


def test_earned_schedule_hand_computed():
    es = evm.earned_schedule(PV_CUM, 400.0)
    assert es == pytest.approx(2.75)
    assert evm.spi_t(es, 4) == pytest.approx(0.6875)
    assert evm.sv_t(es, 4) == pytest.approx(-1.25)
    assert evm.ieac_t(5, evm.spi_t(es, 4)) == pytest.approx(5 / 0.6875)


@pytest.mark.parametrize(
    ("ev", "expected"),
    [(0.0, 0.0), (50.0, 0.5), (250.0, 2.0), (700.0, 5.0), (800.0, 5.0)],
)
def test_earned_schedule_edges(ev, expected):
    assert evm.earned_schedule(PV_CUM, ev) == pytest.approx(expected)


def test_earned_schedule_for_many_projects_at_once():
    pv = np.array([PV_CUM, [0.0, 0.0, 100.0, 100.0, 200.0]])
    es = evm.earned_schedule(pv, np.array([400.0, 150.0]))
    assert es == pytest.approx([2.75, 4.5])


money = st.floats(0, 1e7, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(ev=money, ac=st.floats(1e-3, 1e7))
def test_cpi_above_one_exactly_when_ev_exceeds_ac(ev, ac):
    assert (evm.cpi(ev, ac) > 1) == (ev > ac)


@settings(max_examples=300, deadline=None)
@given(bac=st.floats(1, 1e7), share=st.floats(0, 1), ac=st.floats(1e-3, 1e7))
def test_eac_identities(bac, share, ac):
    ev = bac * share  # EV never exceeds BAC
    total = evm.eac(bac, ev, ac, method="atypical")
    assert total == pytest.approx(ac + bac - ev)
    assert evm.vac(bac, total) == pytest.approx(bac - total)
    assert evm.etc_from_eac(total, ac) == pytest.approx(bac - ev, abs=1e-6 * bac)


@settings(max_examples=300, deadline=None)
@given(
    steps=st.lists(st.floats(0, 1e5), min_size=1, max_size=24),
    a=st.floats(0, 1),
    b=st.floats(0, 1),
)
def test_earned_schedule_stays_in_range_and_grows_with_ev(steps, a, b):
    pv = np.cumsum(steps)
    lo, hi = sorted((a, b))
    es_lo = evm.earned_schedule(pv, lo * pv[-1])
    es_hi = evm.earned_schedule(pv, hi * pv[-1])
    assert 0 <= es_lo <= es_hi <= len(steps)
