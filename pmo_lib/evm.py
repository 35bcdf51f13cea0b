"""Earned value management: the indicators, from PV, EV, AC and BAC.

Every function takes numbers or whole columns (numpy arrays or pandas Series)
and returns the same shape; no loops over projects. Money is in the project's
currency, earned-schedule times in reporting periods (months in PMO Lab).

Edge cases are defined, not left to chance: a ratio whose denominator is zero
(CPI with AC = 0, SPI with PV = 0, TCPI when the budget is spent) is ``NaN``,
meaning "not defined yet", never infinity; EAC and ETC then are ``NaN`` too,
except for the ``"atypical"`` method, which needs no index.

References
----------
.. [1] Project Management Institute, *Practice Standard for Earned Value
   Management*, 2nd ed., 2011, ch. 4-6 (SV, CV, SPI, CPI, EAC, ETC, VAC, TCPI).
.. [2] Project Management Institute, *A Guide to the Project Management Body of
   Knowledge (PMBOK Guide)*, 6th ed., 2017, sec. 7.4.2.2, table 7-1 (the EAC
   formulas by method).
.. [3] W. Lipke, "Schedule is Different", *The Measurable News*, March 2003,
   pp. 31-34 (earned schedule ES, SV(t), SPI(t)); W. Lipke, *Earned Schedule*,
   2009, ch. 3 (IEAC(t) = PD / SPI(t)).
"""

from __future__ import annotations

import numpy as np

from ._vector import like, ratio

EAC_METHODS = ("cpi", "atypical", "cpi_spi", "new_etc")


def schedule_variance(ev, pv):
    """SV = EV - PV [currency]; negative is behind schedule [1]_."""
    return like(np.asarray(ev, dtype=float) - np.asarray(pv, dtype=float), ev, pv)


def cost_variance(ev, ac):
    """CV = EV - AC [currency]; negative is over cost [1]_."""
    return like(np.asarray(ev, dtype=float) - np.asarray(ac, dtype=float), ev, ac)


def spi(ev, pv):
    """Schedule performance index SPI = EV / PV [unitless]; below 1 is behind [1]_.

    ``NaN`` when PV = 0 (nothing was planned yet).
    """
    return ratio(ev, pv)


def cpi(ev, ac):
    """Cost performance index CPI = EV / AC [unitless]; below 1 is over cost [1]_.

    ``NaN`` when AC = 0 (nothing spent yet).
    """
    return ratio(ev, ac)


def _eac_cpi(bac, ev, ac, pv, etc):
    return ratio(bac, cpi(ev, ac))


def _eac_atypical(bac, ev, ac, pv, etc):
    return np.asarray(ac, dtype=float) + (np.asarray(bac, dtype=float) - np.asarray(ev, dtype=float))


def _eac_cpi_spi(bac, ev, ac, pv, etc):
    if pv is None:
        raise ValueError("method 'cpi_spi' needs pv (the planned value to date)")
    index = np.asarray(cpi(ev, ac), dtype=float) * np.asarray(spi(ev, pv), dtype=float)
    remaining = np.asarray(bac, dtype=float) - np.asarray(ev, dtype=float)
    return np.asarray(ac, dtype=float) + np.asarray(ratio(remaining, index), dtype=float)


def _eac_new_etc(bac, ev, ac, pv, etc):
    if etc is None:
        raise ValueError("method 'new_etc' needs etc (a bottom-up estimate to complete)")
    return np.asarray(ac, dtype=float) + np.asarray(etc, dtype=float)


_EAC = {"cpi": _eac_cpi, "atypical": _eac_atypical, "cpi_spi": _eac_cpi_spi, "new_etc": _eac_new_etc}


def eac(bac, ev, ac, *, method: str = "cpi", pv=None, etc=None):
    """Estimate at completion [currency], by a named method [2]_.

    Parameters
    ----------
    bac, ev, ac
        Budget at completion, earned value and actual cost to date [currency].
    method
        ``"cpi"``: BAC / CPI, the current cost efficiency continues (typical).
        ``"atypical"``: AC + (BAC - EV), the rest goes to budget.
        ``"cpi_spi"``: AC + (BAC - EV) / (CPI x SPI), both cost and schedule
        performance weigh on the rest (needs ``pv``).
        ``"new_etc"``: AC + a bottom-up ETC (needs ``etc``).
    pv, etc
        Planned value to date and bottom-up estimate to complete [currency],
        for the methods that need them.

    Notes
    -----
    With AC = 0 the ``"cpi"`` and ``"cpi_spi"`` estimates are ``NaN``.

    Examples
    --------
    >>> eac(10_000, 4_000, 4_500)
    11250.0
    >>> eac(10_000, 4_000, 4_500, method="atypical")
    10500.0
    """
    if method not in _EAC:
        raise ValueError(f"unknown EAC method {method!r}; choose one of: {', '.join(EAC_METHODS)}")
    return like(_EAC[method](bac, ev, ac, pv, etc), bac, ev, ac)


def etc_from_eac(eac_value, ac):
    """Estimate to complete ETC = EAC - AC [currency] [1]_."""
    return like(np.asarray(eac_value, dtype=float) - np.asarray(ac, dtype=float), eac_value, ac)


def vac(bac, eac_value):
    """Variance at completion VAC = BAC - EAC [currency]; negative is a forecast overspend [1]_."""
    return like(np.asarray(bac, dtype=float) - np.asarray(eac_value, dtype=float), bac, eac_value)


def tcpi(bac, ev, ac, eac_value=None):
    """To-complete performance index [unitless] [1]_.

    Against the budget: (BAC - EV) / (BAC - AC); against a new estimate:
    (BAC - EV) / (EAC - AC). Above 1 means the remaining work must be done
    more efficiently than planned. ``NaN`` when the money is all spent
    (BAC = AC, or EAC = AC).
    """
    target = bac if eac_value is None else eac_value
    remaining_work = np.asarray(bac, dtype=float) - np.asarray(ev, dtype=float)
    remaining_money = np.asarray(target, dtype=float) - np.asarray(ac, dtype=float)
    return like(np.asarray(ratio(remaining_work, remaining_money), dtype=float), bac, ev, ac)


def earned_schedule(pv_cumulative, ev):
    """Earned schedule ES [periods]: when the work now earned was planned to be done [3]_.

    ES = C + (EV - PV[C]) / (PV[C+1] - PV[C]), where C is the number of whole
    periods whose cumulative PV is at most EV.

    Parameters
    ----------
    pv_cumulative
        Cumulative planned value at the end of periods 1..n [currency]: one row
        per project (2-D), or one project (1-D). Must not decrease.
    ev
        Earned value to date [currency], one per project.

    Notes
    -----
    EV at or above the last planned value gives ES = n (all planned work is
    earned). A period with no planned value added contributes no fraction.
    """
    pv = np.atleast_2d(np.asarray(pv_cumulative, dtype=float))
    earned = np.atleast_1d(np.asarray(ev, dtype=float))
    periods = pv.shape[1]
    padded = np.hstack([np.zeros((pv.shape[0], 1)), pv])  # PV[0] = 0 at the start
    whole = np.minimum((pv <= earned[:, None]).sum(axis=1), periods)
    rows = np.arange(pv.shape[0])
    low = padded[rows, whole]
    high = padded[rows, np.minimum(whole + 1, periods)]
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where((whole < periods) & (high > low), (earned - low) / (high - low), 0.0)
    es = whole + fraction
    es = np.where(np.isnan(earned), np.nan, es)
    return float(es[0]) if np.ndim(ev) == 0 else like(es, ev)


def spi_t(es, at):
    """Time-based schedule performance index SPI(t) = ES / AT [unitless] [3]_."""
    return ratio(es, at)


def sv_t(es, at):
    """Time-based schedule variance SV(t) = ES - AT [periods]; negative is late [3]_."""
    return like(np.asarray(es, dtype=float) - np.asarray(at, dtype=float), es, at)


def ieac_t(planned_duration, spi_time):
    """Independent estimate of duration at completion IEAC(t) = PD / SPI(t) [periods] [3]_."""
    return ratio(planned_duration, spi_time)
