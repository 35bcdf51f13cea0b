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
import pandas as pd

from ._vector import like, positions, ratio
from .errors import PMOError

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
    more efficiently than planned. ``NaN`` when no money is left (AC at or
    above BAC, or EAC): no efficiency can then finish within it, and a
    negative index would read as "ahead".
    """
    target = bac if eac_value is None else eac_value
    remaining_work = np.asarray(bac, dtype=float) - np.asarray(ev, dtype=float)
    remaining_money = np.asarray(target, dtype=float) - np.asarray(ac, dtype=float)
    out = np.asarray(ratio(remaining_work, remaining_money), dtype=float)
    return like(np.where(remaining_money > 0, out, np.nan), bac, ev, ac)


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


# --- From the portfolio tables: time-phased PV, EV and AC per project and month ------------------

ACTUAL_COSTS = ("timesheets", "financials")
STATUS_COLUMNS = (
    "project_id", "month", "pv", "ev", "ac", "bac", "sv", "cv", "spi", "cpi", "eac", "etc", "vac", "tcpi",
    "tcpi_eac", "es", "at", "planned_duration", "spi_t", "sv_t", "ieac_t", "percent_complete", "percent_spent",
)  # fmt: skip


def data_date(portfolio) -> pd.Timestamp:
    """The date the data describes: the last day of the latest status-update month.

    Percent complete and actuals are read as of this date. Without status
    updates, the Sunday of the latest timesheet week; without either, today.
    """
    months = portfolio.status_updates["month"].dropna()
    if len(months):
        return months.max() + pd.offsets.MonthEnd(0)
    weeks = portfolio.timesheets["week_start"].dropna()
    if len(weeks):
        return weeks.max() + pd.Timedelta(days=6)
    return pd.Timestamp.today().normalize()


def _spread(cal, calendar, rows, start, finish, value, first_month, months: int, projects: int) -> np.ndarray:
    """Spread each value evenly over the working days of [start, finish] into (project, month) cells.

    Work of zero working days (a milestone) lands whole in the month of its
    finish. Returns a projects x months matrix of increments [currency].
    """
    start = start.astype("datetime64[D]")
    finish = finish.astype("datetime64[D]")
    ok = ~np.isnat(start) & ~np.isnat(finish) & (value != 0)
    rows, start, finish, value = rows[ok], start[ok], np.maximum(finish[ok], start[ok]), value[ok]
    after = finish + np.timedelta64(1, "D")
    total = cal.count(start, after, calendar)
    m0 = start.astype("datetime64[M]")
    span = (finish.astype("datetime64[M]") - m0).astype(np.int64) + 1
    rep = np.repeat(np.arange(rows.size), span)
    step = np.arange(rep.size) - np.repeat(np.cumsum(span) - span, span)
    month = m0[rep] + step
    lo = np.maximum(start[rep], month.astype("datetime64[D]"))
    hi = np.minimum(after[rep], (month + 1).astype("datetime64[D]"))
    share = np.where(total[rep] > 0, cal.count(lo, hi, calendar) / np.where(total[rep] > 0, total[rep], 1), 0.0)
    share = np.where((total[rep] == 0) & (step == span[rep] - 1), 1.0, share)
    cell = rows[rep] * months + (month - first_month).astype(np.int64)
    return np.bincount(cell, weights=value[rep] * share, minlength=projects * months).reshape(projects, months)


def _months_of(dates) -> np.ndarray:
    """The month of each date, through a day-to-month table (numpy's own conversion is slow on millions)."""
    days = np.asarray(dates).astype("datetime64[D]", copy=False).astype(np.int64)
    if days.size == 0:
        return days.astype("datetime64[M]")
    low = days.min()
    table = (np.arange(low, days.max() + 1).astype("datetime64[D]")).astype("datetime64[M]")
    return table[days - low]


def _monthly_sum(rows, month, value, first_month, months: int, projects: int) -> np.ndarray:
    cell = rows * months + (month - first_month).astype(np.int64)
    return np.bincount(cell, weights=value, minlength=projects * months).reshape(projects, months)


def time_phased(portfolio, as_of=None, *, actual_cost: str = "timesheets", calendar: str | None = None):
    """Planned value, earned value and actual cost per project and month, and cumulative [currency].

    - **PV** is the baseline: each task's ``planned_cost`` spread evenly over
      the working days from its ``baseline_start`` to its ``baseline_finish``
      (a milestone's cost falls on its date) [1]_.
    - **EV** is ``percent_complete`` x ``planned_cost`` as of the data date,
      earned evenly over the working days from the task's ``actual_start`` to
      its ``actual_finish`` (or to the data date while in progress), so the EV
      curve ends at the reported progress [1]_.
    - **AC**, by ``actual_cost``: ``"timesheets"`` (default) is hours x the
      person's ``cost_rate``, in the month the week starts; ``"financials"`` is
      the ``actual`` of every cost category in the ``financials`` table.

    The budget at completion (BAC) must measure the same money as AC: with
    ``"timesheets"`` it is the sum of the tasks' planned cost (labour); with
    ``"financials"`` it is the project's ``budget``, and PV and EV are scaled
    by budget / sum of planned cost so that the tasks weigh the whole budget.

    Parameters
    ----------
    portfolio
        A loaded :class:`~pmo_lib.data.Portfolio`.
    as_of
        Data date: progress and actuals are as of this day [date]; default
        :func:`data_date`. EV and AC are blank for the months after it.
    actual_cost
        ``"timesheets"`` or ``"financials"``.
    calendar
        Working calendar for spreading (default ``"standard"`` when present).

    Returns
    -------
    DataFrame
        One row per project and month, from the project's first planned or
        actual month to the last month of any project (so that projects add up
        month by month): ``project_id``, ``month``, ``pv``, ``ev``, ``ac`` (in
        the month) and ``pv_cum``, ``ev_cum``, ``ac_cum``, plus ``bac``.
    """
    frame, _ = _phase(portfolio, as_of, actual_cost, calendar)
    return frame


def _phase(portfolio, as_of, actual_cost, calendar):
    from .calendar import WorkCalendars

    if actual_cost not in ACTUAL_COSTS:
        raise ValueError(f"unknown actual_cost {actual_cost!r}; choose one of: {', '.join(ACTUAL_COSTS)}")
    as_of = pd.Timestamp(data_date(portfolio) if as_of is None else as_of).normalize()
    day = np.datetime64(as_of.date(), "D")
    cal = WorkCalendars.from_table(portfolio.calendars)
    if calendar is None:
        calendar = "standard" if "standard" in cal.names else ""
    projects, tasks = portfolio.projects, portfolio.tasks
    ids = projects["project_id"].astype(str).to_numpy()
    task_rows = positions(tasks["project_id"], ids)
    keep = task_rows >= 0
    tasks, task_rows = tasks[keep], task_rows[keep]

    cost = tasks["planned_cost"].astype(float).fillna(0.0).to_numpy()
    pct = tasks["percent_complete"].astype(float).fillna(0.0).clip(0, 100).to_numpy() / 100
    b_start = tasks["baseline_start"].to_numpy().astype("datetime64[D]")
    b_finish = tasks["baseline_finish"].to_numpy().astype("datetime64[D]")
    b_start = np.where(np.isnat(b_start), b_finish, b_start)
    b_finish = np.where(np.isnat(b_finish), b_start, b_finish)
    a_start = tasks["actual_start"].to_numpy().astype("datetime64[D]")
    a_finish = tasks["actual_finish"].to_numpy().astype("datetime64[D]")
    # work reported done but never started is taken as started on its baseline start, never after the data date
    e_start = np.minimum(np.where(np.isnat(a_start), b_start, a_start), day)
    e_start = np.where(np.isnat(e_start), day, e_start)
    e_finish = np.minimum(np.where(np.isnat(a_finish), day, a_finish), day)

    if actual_cost == "timesheets":
        ts = portfolio.timesheets
        ts = ts[ts["week_start"] <= as_of]
        people = portfolio.resources
        rate = np.append(people["cost_rate"].astype(float).fillna(0.0).to_numpy(), 0.0)  # unknown person: no rate
        ac_rows = positions(ts["project_id"], ids)
        ac_value = ts["hours"].astype(float).to_numpy() * rate[positions(ts["resource_id"], people["resource_id"])]
        ac_month = _months_of(ts["week_start"].to_numpy())
    else:
        fin = portfolio.financials
        fin = fin[fin["month"] <= as_of]
        ac_rows = positions(fin["project_id"], ids)
        ac_value = fin["actual"].astype(float).fillna(0.0).to_numpy()
        ac_month = fin["month"].to_numpy().astype("datetime64[M]")
    ok = ac_rows >= 0
    ac_rows, ac_value, ac_month = ac_rows[ok], ac_value[ok], ac_month[ok]

    bounds = [ac_month.min(), ac_month.max()] if ac_month.size else []
    dates = [
        b_start,
        b_finish,
        e_start,
        np.array(bounds, dtype="datetime64[M]").astype("datetime64[D]"),
        np.array([day]),
    ]
    known = np.concatenate([d[~np.isnat(d)] for d in dates])
    first_month = known.min().astype("datetime64[M]")
    last_month = known.max().astype("datetime64[M]")
    months = int((last_month - first_month).astype(np.int64)) + 1
    n = len(ids)

    pv = _spread(cal, calendar, task_rows, b_start, b_finish, cost, first_month, months, n)
    done = pct > 0
    ev = _spread(
        cal, calendar, task_rows[done], e_start[done], e_finish[done], (cost * pct)[done], first_month, months, n
    )
    ac = _monthly_sum(ac_rows, ac_month, ac_value, first_month, months, n)
    bac = np.bincount(task_rows, weights=cost, minlength=n)
    if actual_cost == "financials":
        budget = projects["budget"].astype(float).to_numpy()
        scale = np.where(bac > 0, budget / np.where(bac > 0, bac, 1), 0.0)
        pv, ev, bac = pv * scale[:, None], ev * scale[:, None], np.nan_to_num(budget)

    grid = first_month + np.arange(months)
    status_col = int((day.astype("datetime64[M]") - first_month).astype(np.int64))
    active = (pv != 0) | (ev != 0) | (ac != 0)
    begins = np.where(active.any(axis=1), active.argmax(axis=1), months - 1)
    # cumulative money to the cent, so that "all earned" and "all spent" compare exactly;
    # a month's amount is the step of the rounded cumulative curve
    cum = {name: np.round(np.cumsum(m, axis=1), 2) for name, m in (("pv", pv), ("ev", ev), ("ac", ac))}
    pv, ev, ac = (np.round(np.diff(cum[name], axis=1, prepend=0.0), 2) for name in ("pv", "ev", "ac"))
    bac = np.round(bac, 2)
    future = np.arange(months) > status_col
    keep = np.arange(months)[None, :] >= begins[:, None]
    rows, cols = np.nonzero(keep)
    frame = pd.DataFrame({"project_id": ids[rows], "month": pd.to_datetime(grid[cols].astype("datetime64[D]"))})
    for name, per_month in (("pv", pv), ("ev", ev), ("ac", ac)):
        blank = future[cols] if name != "pv" else np.zeros(cols.size, dtype=bool)
        frame[name] = np.where(blank, np.nan, per_month[rows, cols])
        frame[f"{name}_cum"] = np.where(blank, np.nan, cum[name][rows, cols])
    frame["bac"] = bac[rows]
    # a finished project's actual time stops at its last actual finish (Lipke: AT at completion)
    unfinished = np.bincount(task_rows, weights=(pct < 1).astype(float), minlength=n) > 0
    has_tasks = np.bincount(task_rows, minlength=n) > 0
    last_finish = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    ends = pd.Series(e_finish).groupby(task_rows).max()
    last_finish[ends.index.to_numpy()] = ends.to_numpy().astype("datetime64[D]")
    finished_col = np.where(
        has_tasks & ~unfinished & ~np.isnat(last_finish),
        (last_finish.astype("datetime64[M]") - first_month).astype(np.int64),
        months,
    )
    matrices = {"pv_cum": cum["pv"], "ev_cum": cum["ev"], "ac_cum": cum["ac"], "pv": pv, "bac": bac}
    matrices["finished_col"] = finished_col
    return frame, (ids, grid, begins, matrices, as_of)


def status(
    portfolio,
    month=None,
    *,
    as_of=None,
    actual_cost: str = "timesheets",
    eac_method: str = "cpi",
    calendar: str | None = None,
) -> pd.DataFrame:
    """Earned value status of every project at the end of a month: one row per project.

    Cost indicators follow the PMI Practice Standard for EVM [1]_ and the
    PMBOK EAC formulas [2]_; time indicators follow Lipke's earned schedule [3]_
    with months as periods: ES from the cumulative PV curve, AT = months from
    the project's first month to the status month (both counted), planned
    duration PD = months from the first month to the last month with planned
    value; SPI(t) = ES / AT, SV(t) = ES - AT, IEAC(t) = PD / SPI(t) [months].

    Parameters
    ----------
    portfolio
        A loaded :class:`~pmo_lib.data.Portfolio`.
    month
        Status month ``"YYYY-MM"`` (default: the data date's month). PV runs to
        its end; EV and AC to the end of the month or the data date, whichever
        comes first.
    as_of, actual_cost, calendar
        As for :func:`time_phased`.
    eac_method
        One of :data:`EAC_METHODS` except ``"new_etc"`` (no bottom-up ETC in
        the tables).

    Returns
    -------
    DataFrame
        ``project_id``, ``month``, ``pv``, ``ev``, ``ac``, ``bac``, ``sv``,
        ``cv``, ``spi``, ``cpi``, ``eac``, ``etc``, ``vac``, ``tcpi`` (to BAC),
        ``tcpi_eac``, ``es``, ``at``, ``planned_duration``, ``spi_t``, ``sv_t``,
        ``ieac_t`` [currency, index, months], ``percent_complete`` (EV / BAC)
        and ``percent_spent`` (AC / BAC). A project that has not started by
        the month (AT = 0) has blank time indicators; a finished project's AT
        stops at the month of its last actual finish, so its SPI(t) is its
        final schedule efficiency; see the module notes for the other edges.
    """
    if eac_method == "new_etc":
        raise ValueError("eac_method 'new_etc' needs a bottom-up ETC, which the tables do not hold")
    _, (ids, grid, begins, m, as_of) = _phase(portfolio, as_of, actual_cost, calendar)
    target = pd.Period(month, freq="M") if month is not None else pd.Period(as_of, freq="M")
    col = int((np.datetime64(str(target), "M") - grid[0]).astype(np.int64))
    if not 0 <= col < grid.size:
        raise PMOError(f"month {target} is outside the data: its months run from {grid[0]} to {grid[-1]}")
    data_col = int((np.datetime64(as_of.date(), "M") - grid[0]).astype(np.int64))
    last = grid.size - 1

    def at_col(matrix, c):
        return matrix[:, min(max(c, 0), last)] if c >= 0 else np.zeros(matrix.shape[0])

    pv = at_col(m["pv_cum"], col)
    ev = at_col(m["ev_cum"], min(col, data_col))
    ac = at_col(m["ac_cum"], min(col, data_col))
    bac = m["bac"]
    planned = m["pv"] != 0
    last_planned = np.where(planned.any(axis=1), grid.size - 1 - planned[:, ::-1].argmax(axis=1), begins)
    at = np.maximum(np.minimum(col, m["finished_col"]) - begins + 1, 0).astype(float)
    planned_duration = (last_planned - begins + 1).astype(float)
    pv_rows = m["pv_cum"]
    # earned schedule on each project's own curve, starting at its first month
    offsets = np.arange(grid.size)[None, :] - begins[:, None]
    own = np.where(offsets >= 0, pv_rows, -np.inf)
    es_raw = earned_schedule(np.where(np.isinf(own), 0.0, own), ev)
    es = np.clip(np.asarray(es_raw, dtype=float) - begins, 0, None)
    es = np.minimum(es, planned_duration)
    value = eac(bac, ev, ac, method=eac_method, pv=pv)
    sp_t = spi_t(es, at)
    out = pd.DataFrame(
        {
            "project_id": ids,
            "month": str(target),
            "pv": pv,
            "ev": ev,
            "ac": ac,
            "bac": bac,
            "sv": schedule_variance(ev, pv),
            "cv": cost_variance(ev, ac),
            "spi": spi(ev, pv),
            "cpi": cpi(ev, ac),
            "eac": value,
            "etc": etc_from_eac(value, ac),
            "vac": vac(bac, value),
            "tcpi": tcpi(bac, ev, ac),
            "tcpi_eac": tcpi(bac, ev, ac, value),
            "es": es,
            "at": at,
            "planned_duration": planned_duration,
            "spi_t": sp_t,
            "sv_t": np.where(at > 0, sv_t(es, at), np.nan),
            "ieac_t": ieac_t(planned_duration, sp_t),
            "percent_complete": ratio(ev, bac),
            "percent_spent": ratio(ac, bac),
        }
    )
    return out[list(STATUS_COLUMNS)]


def s_curve(phased: pd.DataFrame, projects=None) -> pd.DataFrame:
    """Cumulative PV, EV and AC per month, summed over ``projects`` (default all) [currency].

    ``phased`` is the output of :func:`time_phased`. Months after the data
    date have PV only.
    """
    rows = phased if projects is None else phased[phased["project_id"].isin(list(projects))]
    sums = rows.groupby("month")[["pv_cum", "ev_cum", "ac_cum"]].sum(min_count=1)
    sums.columns = ["pv", "ev", "ac"]
    return sums.reset_index()
