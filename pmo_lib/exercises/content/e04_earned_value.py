"""Exercise 4: earned value and earned schedule."""

from __future__ import annotations


import numpy as np

from ..core import Question, Task, register


# --- 4. Earned value and earned schedule ---------------------------------------------------------------


def evm_case(seed: int) -> dict:
    """A small project at a status date: BAC and the cumulative PV, EV and AC by month (seeded)."""
    rng = np.random.default_rng(2000 + seed)
    bac = float(rng.integers(8, 20)) * 10_000
    shape = np.array([0.10, 0.25, 0.45, 0.65, 0.85, 1.0])
    pv = np.round(bac * shape, -2)
    months_done = 4
    ev = float(np.round(pv[months_done - 1] * rng.uniform(0.7, 0.95), -2))
    ac = float(np.round(ev * rng.uniform(1.05, 1.3), -2))
    return {
        "bac": bac,
        "pv_by_month": pv.tolist(),
        "month": months_done,
        "pv": float(pv[months_done - 1]),
        "ev": ev,
        "ac": ac,
    }


def _evm(seed: int) -> dict:
    from ... import evm

    c = evm_case(seed)
    es = evm.earned_schedule(c["pv_by_month"], c["ev"])
    return {
        "cpi": evm.cpi(c["ev"], c["ac"]),
        "spi": evm.spi(c["ev"], c["pv"]),
        "eac": evm.eac(c["bac"], c["ev"], c["ac"]),
        "tcpi": evm.tcpi(c["bac"], c["ev"], c["ac"]),
        "es": es,
        "spi_t": evm.spi_t(es, c["month"]),
    }


register(
    Task(
        "4.1",
        "Your project's CPI (cost performance index)?",
        lambda seed: _evm(seed)["cpi"],
        "CPI = EV / AC: each unit of money spent earned CPI units of planned work. Below 1 is over cost.",
        ["CPI compares what the work done was planned to cost with what it actually cost."],
        [(lambda v, e, s: abs(float(v) - 1 / e) < 0.005 * (1 / e), "CPI is EV ÷ AC; your value is AC ÷ EV.")],
    ),
    Task(
        "4.2",
        "Your project's SPI (schedule performance index)?",
        lambda seed: _evm(seed)["spi"],
        "SPI = EV / PV: the share of the work planned by now that has been done. Below 1 is behind.",
        ["SPI compares the work done (earned) with the work planned by the status date."],
        [(lambda v, e, s: abs(float(v) - 1 / e) < 0.005 * (1 / e), "SPI is EV ÷ PV; your value is PV ÷ EV.")],
    ),
    Task(
        "4.3",
        "The estimate at completion if the cost efficiency so far continues (EAC = BAC / CPI)?",
        lambda seed: _evm(seed)["eac"],
        "BAC / CPI is the typical EAC: if each unit of money keeps buying the same work, this is what the whole costs.",
        ["Divide the budget at completion by the CPI you found in 4.1."],
        tolerance=0.002,
        unit="currency",
    ),
    Task(
        "4.4",
        "The TCPI to finish within the budget ((BAC - EV) / (BAC - AC))?",
        lambda seed: _evm(seed)["tcpi"],
        "TCPI above 1 is the efficiency the rest of the work would need to finish on budget; far above 1 means re-plan.",
        ["The work left is BAC - EV; the money left is BAC - AC. TCPI is work left over money left."],
        [(lambda v, e, s: abs(float(v) - 1 / e) < 0.005 * (1 / e), "Upside down: TCPI is work left ÷ money left.")],
    ),
    Task(
        "4.5",
        "Earned schedule: at which point (in months, with a fraction) was today's EV planned to be earned?",
        lambda seed: _evm(seed)["es"],
        "Earned schedule (Lipke) measures schedule in time, not money: SPI(t) = ES / AT keeps working to the end.",
        [
            "Find the last month whose cumulative PV is at most your EV; that is the whole part C.",
            "Add the fraction (EV - PV[C]) / (PV[C+1] - PV[C]).",
        ],
        [
            (
                lambda v, e, s: float(v) == int(e),
                "That is only the whole months; add the fraction of the next month earned.",
            )
        ],
        tolerance=0.002,
        unit="months",
    ),
)



register(
    Question(
        "4.q1",
        "A project reports SPI 1.10 and CPI 0.85. What does that say?",
        ["Ahead of schedule and under budget", "Ahead of schedule but spending more than the work is worth", "Behind schedule and over budget"],
        1,
        [
            "CPI below 1 means over cost: each pound buys only 85 pence of planned work.",
            "Yes: more work done than planned (SPI > 1), but it cost more than planned (CPI < 1): ask whether it is overtime or extra people.",
            "SPI above 1 is ahead of schedule, not behind.",
        ],
    ),
)
