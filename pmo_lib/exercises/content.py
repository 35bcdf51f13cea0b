"""The exercises' tasks, questions and per-learner data (seeded, so answers cannot be copied).

Every answer is computed here from the same seed the learner's notebook uses,
with the library's own functions or a textbook formula, so a check can never
disagree with what the learner is taught.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from .core import Question, Task, register

# --- 1. What a PMO does, and our standard ------------------------------------------------------------


@cache
def _standard():
    from ..standards import load

    return load()


register(
    Task(
        "1.1",
        "How many rules of our standard have severity error?",
        lambda seed: sum(r["severity"] == "error" for r in _standard().rules),
        "Errors are the breaches the PMO acts on; `pmo check` exits 1 while any remain.",
        [
            "Load the standard with `standards.load()` and look at each rule's `severity`.",
            "`standards.load().rules_frame()` is a table; count the rows whose severity is error.",
        ],
        [
            (
                lambda v, e, s: float(v) == len(_standard().rules),
                "That is every rule; count only those whose severity is error.",
            )
        ],
    ),
    Task(
        "1.2",
        "Below which CPI is a project's cost rated red?",
        lambda seed: _standard().tolerances["cpi"]["red"],
        "Tolerances turn an index into a colour the same way for every project: no arguing about the RAG.",
        ["The tolerances are in the standard's `tolerances` section, one entry per indicator, with amber and red."],
        [
            (
                lambda v, e, s: float(v) == _standard().tolerances["cpi"]["amber"],
                "That is the amber limit; red is the lower one.",
            )
        ],
        tolerance=0.0,
    ),
    Task(
        "1.3",
        "Which rule (its id) requires a status update every month?",
        lambda seed: "RPT-01",
        "A monthly status update is the heartbeat of portfolio reporting; without it the report shows a gap.",
        ["Rules about reporting have ids starting with RPT."],
        [
            (
                lambda v, e, s: str(v).upper().startswith("RPT-02"),
                "RPT-02 is about commentary when a project is not green; look for the cadence rule.",
            )
        ],
        kind="text",
    ),
    Question(
        "1.q1",
        "A PMO that provides templates and advice, with no power to enforce them, is which type?",
        ["Supportive", "Controlling", "Directive"],
        0,
        [
            "Yes: a supportive PMO serves projects with templates, training and good practice; compliance is voluntary.",
            "A controlling PMO requires compliance (standards, reviews, gates); this one only advises.",
            "A directive PMO manages the projects itself; this one only advises.",
        ],
    ),
    Question(
        "1.q2",
        "What must exist before a project may enter the execute stage under our standard?",
        ["A status update", "A baseline schedule and an approved budget", "A closed risk register"],
        1,
        [
            "Status updates are monthly reporting, not a gate into execution.",
            "Yes: rule GATE-01 needs a baseline (dates on every task) and a budget, so progress can be measured.",
            "Risks stay open during execution; the gate asks for a register with owners, not a closed one.",
        ],
    ),
)


# --- 2. Reading the portfolio data ------------------------------------------------------------------------


def _project_for(seed: int) -> str:
    return f"P{1 + seed % 24:03d}"


register(
    Task(
        "2.1",
        "How many tasks does your project (`my_project`) have in the sample's `tasks` table?",
        lambda seed: int((_sample().tasks["project_id"] == _project_for(seed)).sum()),
        "A table's key tells you how to count: tasks are keyed by project_id and task_id together.",
        ["Filter `portfolio.tasks` to rows whose project_id is your project, then count the rows."],
        [
            (
                lambda v, e, s: float(v) == len(_sample().tasks),
                "That is every task in the portfolio; keep only your project's rows.",
            )
        ],
        tolerance=0.0,
    ),
    Task(
        "2.2",
        "Which table holds the hours people booked?",
        lambda seed: "timesheets",
        "Actual cost from timesheets (hours x rate) is one of the two ways PMO Lab measures AC.",
        ["The data dictionary (datasets/README.md) lists every table with its key and columns."],
        [
            (
                lambda v, e, s: str(v).strip().lower() == "assignments",
                "Assignments are planned bookings (FTE over dates); the hours actually booked are elsewhere.",
            )
        ],
        kind="text",
    ),
    Task(
        "2.3",
        "In the broken file made for you, on which row of tasks.csv is the impossible percent complete?",
        lambda seed: broken_row(seed),
        "Row numbers count the header as row 1, as Excel shows them: the analyst can go straight to the cell.",
        [
            "Run `pmo.validate(folder)` and read its findings: each names the file, the row and the column.",
            "`result.findings_frame()` is a table; look at the row whose column is percent_complete.",
        ],
        [
            (
                lambda v, e, s: float(v) == e - 2,
                "Off by two: that is the pandas index. Rows count the header as row 1, like Excel.",
            ),
            (lambda v, e, s: float(v) == e - 1, "Off by one: the header is row 1, so the first task is row 2."),
        ],
        tolerance=0.0,
    ),
    Question(
        "2.q1",
        "Two tasks of different projects both have task_id T001. Is that a problem?",
        ["Yes, task ids must be unique", "No, a task is identified by project_id and task_id together"],
        1,
        [
            "Task ids only need to be unique within their project: the key of tasks is project_id + task_id.",
            "Right: the key of tasks is the pair, so T001 can appear in every project.",
        ],
    ),
)


@cache
def _sample():
    from ..datasets import load_sample

    return load_sample()


def broken_row(seed: int) -> int:
    """The Excel row (header = 1) of the bad value in the learner's broken copy."""
    return 2 + int(np.random.default_rng(seed).integers(3, 20))


def make_broken_copy(seed: int, folder) -> str:
    """Write a small copy of one sample project with one impossible percent complete; returns the folder."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sample = _sample()
    project = "P001"
    for name in ("projects", "tasks", "dependencies"):
        frame = getattr(sample, name)
        frame = frame[frame["project_id"] == project].reset_index(drop=True)
        if name == "tasks":
            frame["percent_complete"] = frame["percent_complete"].astype(object)
            frame.loc[broken_row(seed) - 2, "percent_complete"] = 140
        frame.to_csv(folder / f"{name}.csv", index=False, date_format="%Y-%m-%d")
    return str(folder)


# --- 3. Status reporting and RAG ----------------------------------------------------------------------------


def status_case(seed: int) -> dict:
    """A project's indicators for the learner to rate (seeded)."""
    rng = np.random.default_rng(1000 + seed)
    return {
        "spi": round(float(rng.choice([0.97, 0.93, 0.88, 0.82])), 2),
        "cpi": round(float(rng.choice([1.02, 0.96, 0.91, 0.84])), 2),
        "finish_slip_days": int(rng.choice([0, 4, 9, 18])),
    }


def _rate(seed: int) -> dict:
    from ..report import rate

    case = status_case(seed)
    columns = {name: [np.nan] for _, name, *_ in _rules()}
    frame = pd.DataFrame({"project_id": ["X"], "status": ["active"], **columns})
    for key, value in case.items():
        frame[key] = [value]
    ratings, _ = rate(frame, _standard().report_tolerances())
    return ratings.iloc[0].to_dict()


def _rules():
    from ..report import RULES

    return RULES


register(
    Task(
        "3.1",
        "What is the computed schedule RAG of your project (`case`), by our tolerances? (R, A or G)",
        lambda seed: _rate(seed)["schedule_rag"],
        "Schedule RAG takes the worst of SPI, finish slip and overdue milestones, so one bad signal is not averaged away.",
        [
            "Look up the amber and red limits of spi and finish_slip_days in the standard's tolerances.",
            "Rate each indicator on its own, then take the worst of them (R is worse than A, A worse than G).",
        ],
        kind="text",
    ),
    Task(
        "3.2",
        "What is the computed cost RAG of your project? (R, A or G)",
        lambda seed: _rate(seed)["cost_rag"],
        "Cost RAG follows CPI against the tolerance: below amber is amber, below red is red.",
        ["Compare your project's CPI with the cpi limits in the standard: amber when below amber, red when below red."],
        kind="text",
    ),
    Task(
        "3.3",
        "What is the overall computed RAG? (R, A or G)",
        lambda seed: _rate(seed)["overall_rag"],
        "Overall is the worst dimension: a project red on cost is red, however green its schedule.",
        ["The overall RAG is not an average: which dimension decides it?"],
        [
            (
                lambda v, e, s: str(v).upper() == _best(s) != e,
                "That is the best of the dimensions; overall takes the worst.",
            )
        ],
        kind="text",
    ),
    Task(
        "3.4",
        "In the sample's October report, how many rated projects have a reported RAG that differs from the computed one?",
        lambda seed: int(_summary()["rag_mismatch"].fillna(False).astype(bool).sum()),
        "A mismatch is a conversation, not an accusation: the data or the commentary is missing something.",
        ['`report.summary(portfolio, "2026-10")` has a column rag_mismatch; count the rows where it is True.'],
        [
            (
                lambda v, e, s: float(v) == _summary()["overall_rag"].notna().sum(),
                "That counts every rated project; count only those whose reported RAG differs.",
            )
        ],
        tolerance=0.0,
    ),
)


def _best(seed: int) -> str:
    rated = _rate(seed)
    return min((rated[f"{d}_rag"] for d in ("schedule", "cost", "scope")), key="GAR".index)


@cache
def _summary():
    from ..report import summary

    return summary(_sample(), "2026-10")


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
    from .. import evm

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


# --- 5. Critical path and float ----------------------------------------------------------------------------


def network_case(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A small network (durations in working days vary with the seed) and its finish-to-start links."""
    rng = np.random.default_rng(3000 + seed)
    names = ["A", "B", "C", "D", "E", "F"]
    durations = [int(x) for x in rng.integers(2, 9, len(names))]
    tasks = pd.DataFrame({"project_id": "X", "task_id": names, "duration_days": durations})
    links = [("A", "B"), ("A", "C"), ("B", "D"), ("C", "D"), ("C", "E"), ("D", "F"), ("E", "F")]
    deps = pd.DataFrame(links, columns=["predecessor_id", "successor_id"]).assign(project_id="X", type="FS", lag_days=0)
    return tasks, deps


def _cpm(seed: int) -> pd.DataFrame:
    from ..schedule import critical_path

    tasks, deps = network_case(seed)
    return critical_path(tasks, deps).set_index("task_id")


register(
    Task(
        "5.1",
        "How many working days does your network take from the start of A to the end of F?",
        lambda seed: int(_cpm(seed)["early_finish"].max()),
        "The project's duration is the longest path through the network, not the sum of all the work.",
        ["Do the forward pass: each task starts when its last predecessor finishes; the project ends when F ends."],
        [
            (
                lambda v, e, s: float(v) == network_case(s)[0]["duration_days"].sum(),
                "That is the sum of every task's duration; tasks on parallel branches overlap. Follow the longest path.",
            ),
            (
                lambda v, e, s: float(v) == e - 1,
                "One short: a task of d days that starts on day s ends at s + d; count both ends.",
            ),
        ],
        tolerance=0.0,
        unit="working days",
    ),
    Task(
        "5.2",
        "What is the total float of task E (working days)?",
        lambda seed: int(_cpm(seed).loc["E", "total_float"]),
        "Total float is how far a task can slip without moving the finish: late start minus early start.",
        [
            "Do the backward pass from the project end: a task's late finish is the earliest late start of its successors.",
            "Float = late start - early start.",
        ],
        tolerance=0.0,
        unit="working days",
    ),
    Task(
        "5.3",
        'Which tasks are on the critical path? (a set such as {"A", "B"})',
        lambda seed: set(_cpm(seed).index[_cpm(seed)["is_critical"]]),
        "Critical tasks have zero float: watch them, because any slip on them moves the finish date.",
        ["A task is critical when its total float is zero."],
        kind="set",
    ),
    Task(
        "5.4",
        "If task E slips by 2 working days more than its float, by how many working days does the project finish move?",
        lambda seed: 2,
        "A slip eats the float first; only what is beyond the float moves the finish.",
        ["Float absorbs slippage; only the part beyond it pushes the finish."],
        [(lambda v, e, s: float(v) == 0, "Beyond its float E becomes critical: the excess does move the finish.")],
        tolerance=0.0,
        unit="working days",
    ),
)


# --- 6. Schedule risk ------------------------------------------------------------------------------------


def risk_case(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A chain of three tasks with three-point estimates in working days (seeded)."""
    rng = np.random.default_rng(4000 + seed)
    low = rng.integers(3, 7, 3).astype(float)
    likely = low + rng.integers(1, 4, 3)
    high = likely + rng.integers(3, 10, 3)
    tasks = pd.DataFrame({"project_id": "X", "task_id": ["A", "B", "C"], "duration_days": likely,
                          "optimistic_days": low, "most_likely_days": likely, "pessimistic_days": high})  # fmt: skip
    deps = pd.DataFrame([("A", "B"), ("B", "C")], columns=["predecessor_id", "successor_id"])
    return tasks, deps.assign(project_id="X", type="FS", lag_days=0)


@cache
def _simulated(seed: int):
    from ..schedule_risk import simulate

    tasks, deps = risk_case(seed)
    return simulate(tasks, deps, iterations=10_000, distribution="pert", seed=seed)["finish"]["X"]


register(
    Task(
        "6.1",
        "The PERT mean duration of task A ((optimistic + 4 x most likely + pessimistic) / 6)?",
        lambda seed: float(
            (risk_case(seed)[0].loc[0, ["optimistic_days", "most_likely_days", "pessimistic_days"]] * [1, 4, 1]).sum()
            / 6
        ),
        "The PERT mean weighs the most likely value four times: long tails pull it above the most likely duration.",
        ["Weigh the most likely value four times, add the two extremes, divide by six."],
        [
            (
                lambda v, e, s: (
                    float(v)
                    == float(risk_case(s)[0].loc[0, ["optimistic_days", "most_likely_days", "pessimistic_days"]].mean())
                ),
                "That is the plain average of the three; PERT weighs the most likely value four times.",
            )
        ],
        tolerance=0.002,
        unit="working days",
    ),
    Task(
        "6.2",
        "The deterministic finish: the chain's duration with every task at its most likely duration?",
        lambda seed: float(risk_case(seed)[0]["most_likely_days"].sum()),
        "The single-point plan assumes every task goes as most likely: rarely true all at once.",
        ["A chain: add up the most likely durations."],
        tolerance=0.0,
        unit="working days",
    ),
    Task(
        "6.3",
        "The P80 finish from 10,000 PERT simulations with your seed (working days)?",
        lambda seed: float(np.percentile(_simulated(seed), 80)),
        "P80 is met in 80 % of outcomes: the usual commitment date for a sponsor, with the risk priced in.",
        [
            'Run `schedule_risk.simulate(tasks, deps, iterations=10_000, distribution="pert", seed=seed)` and take the 80th percentile of its finish.'
        ],
        [
            (
                lambda v, e, s: float(v) == float(np.percentile(_simulated(s), 50)),
                "That is the P50, the median; P80 is met in 80 % of outcomes.",
            )
        ],
        tolerance=0.0,
        unit="working days",
    ),
    Task(
        "6.4",
        "The chance of finishing by the deterministic finish (a share between 0 and 1)?",
        lambda seed: float((_simulated(seed) <= risk_case(seed)[0]["most_likely_days"].sum()).mean()),
        "The most-likely plan is usually met in well under half of the outcomes: that is why a P80 date is safer.",
        ["Count the simulated finishes at or before the deterministic finish, divided by the number of simulations."],
        [(lambda v, e, s: 1 < float(v) <= 100, "Give a share between 0 and 1, not a percentage.")],
        tolerance=0.01,
    ),
    Question(
        "6.q1",
        "The sponsor asks for one date to commit to the board. Which do you give?",
        ["The deterministic (most likely) finish", "The P50 finish", "The P80 finish"],
        2,
        [
            "The most likely finish is met in a minority of outcomes when tasks are uncertain: a promise you will probably break.",
            "P50 is a coin toss: half of the outcomes are later.",
            "Yes: P80 is met in 80 % of outcomes; say so, and say what P95 would be for a contractual date.",
        ],
    ),
)


# --- 7. Risks, issues and changes -----------------------------------------------------------------------


def raid_case(seed: int) -> dict:
    rng = np.random.default_rng(5000 + seed)
    return {
        "probability": int(rng.integers(2, 6)),
        "impact": int(rng.integers(2, 6)),
        "cost_impact": float(rng.integers(5, 40)) * 1000,
    }


register(
    Task(
        "7.1",
        "Your risk's score on our 5 x 5 matrix (probability x impact)?",
        lambda seed: float(raid_case(seed)["probability"] * raid_case(seed)["impact"]),
        "The score places the risk on the heat map; 15 and above is high and is escalated (rule RAID-04).",
        ["Multiply the probability score by the impact score."],
        [
            (
                lambda v, e, s: float(v) == raid_case(s)["probability"] + raid_case(s)["impact"],
                "Add-up is not our matrix: the score is probability x impact.",
            )
        ],
        tolerance=0.0,
    ),
    Task(
        "7.2",
        "Your risk's expected monetary value (EMV) in GBP, using our probability bands?",
        lambda seed: float(
            __import__("pmo_lib.risk", fromlist=["x"]).PROBABILITY_OF_SCORE[raid_case(seed)["probability"]]
            * raid_case(seed)["cost_impact"]
        ),
        "EMV = probability x cost impact: the contingency this risk claims, and how risks are ranked by exposure.",
        [
            "A probability score is a band; `risk.PROBABILITY_OF_SCORE` gives the probability at the middle of each band.",
            "Multiply that probability by the cost impact.",
        ],
        [
            (
                lambda v, e, s: float(v) == raid_case(s)["probability"] / 5 * raid_case(s)["cost_impact"],
                "A score of 4 is not 80 %: use the probability at the middle of the band (risk.PROBABILITY_OF_SCORE).",
            )
        ],
        tolerance=0.001,
        unit="GBP",
    ),
    Task(
        "7.3",
        "How many open risks in the sample score 15 or more?",
        lambda seed: int((_open_scores() >= 15).sum()),
        "High risks are few and must stay visible: they are the ones the sponsor hears about every month.",
        ["Filter `portfolio.risks` to status open, compute probability x impact, count those at 15 or more."],
        [
            (
                lambda v, e, s: float(v) == int((_all_scores() >= 15).sum()),
                "That includes closed risks; count the open ones only.",
            )
        ],
        tolerance=0.0,
    ),
    Task(
        "7.4",
        "A forecast 15 % over budget with no approved change request breaks which rule (its id)?",
        lambda seed: "CHG-01",
        "Change control keeps the budget honest: growth beyond the threshold needs a decision, not a drift.",
        ["Change-control rules have ids starting with CHG."],
        [(lambda v, e, s: str(v).upper() == "CHG-02", "CHG-02 is about delay; this one is about cost.")],
        kind="text",
    ),
    Question(
        "7.q1",
        "An open issue is past its due date. What does our standard expect?",
        ["Close it", "Resolve it or agree a new due date with its owner", "Turn it into a risk"],
        1,
        [
            "Closing an unresolved issue hides it; the problem is still there.",
            "Yes: rule RAID-05. Either the issue is fixed, or its owner commits to a new date.",
            "An issue has already happened; a risk is something that may happen.",
        ],
    ),
)


def _all_scores():
    risks = _sample().risks
    return risks["probability"].astype(float) * risks["impact"].astype(float)


def _open_scores():
    risks = _sample().risks
    return _all_scores()[risks["status"].astype(str) == "open"]


# --- 9. Capstone: the monthly report ---------------------------------------------------------------------


def capstone_portfolio(seed: int) -> str:
    from ..report import portfolios

    names = portfolios(_sample())
    return names[seed % len(names)]


@cache
def _built(seed: int) -> dict:
    from ..report import build

    return build(_sample(), "2026-10", name=capstone_portfolio(seed))


register(
    Task(
        "9.1",
        "In your portfolio's October report, how many projects are computed red?",
        lambda seed: int((_built(seed)["summary"]["overall_rag"] == "R").sum()),
        "Red projects are the report's first page: each needs a recovery plan and a decision from its sponsor.",
        ["Open the Portfolio sheet of the workbook (or the portfolio table of the page) and count Computed RAG = R."],
        [
            (
                lambda v, e, s: float(v) == int((_built(s)["summary"]["reported_rag"] == "R").sum()),
                "That counts the reported RAG; the question is about the computed one.",
            )
        ],
        tolerance=0.0,
    ),
    Task(
        "9.2",
        "The portfolio's forecast at completion minus its budget (GBP; negative is under budget)?",
        lambda seed: float(_built(seed)["totals"].set_index("measure").loc["Variance (forecast - budget)", "amount"]),
        "The variance is the sponsor's first money question: will the portfolio need more, or release some?",
        ["The Totals sheet of the workbook has it."],
        tolerance=0.001,
        unit="GBP",
    ),
    Task(
        "9.3",
        "Which project's estimate at completion moved most this month (its id)?",
        lambda seed: str(_built(seed)["biggest_changes"]["project_id"].iloc[0]),
        "The biggest mover explains most of the month's change: start the sponsor conversation there.",
        ["The Biggest changes sheet is sorted by the size of the move."],
        kind="text",
    ),
)


# --- 8. Resource capacity and a what-if -------------------------------------------------------------------

WEEKS = ["2026-11-02", "2026-12-07", "2026-12-21", "2027-01-04", "2026-11-23"]  # each with a different person at its worst


def capacity_week(seed: int) -> str:
    return WEEKS[seed % len(WEEKS)]


@cache
def _worst(seed: int) -> pd.Series:
    from ..resources import over_allocated

    week = capacity_week(seed)
    table = over_allocated(_sample(), week, week)
    table = table[table["capacity_hours"] > 0]  # people at work that week, booked beyond their hours
    return table.sort_values(["over_hours", "resource_id"], ascending=[False, True]).iloc[0]


def _fixes(seed: int):
    """A test of a learner's scenario: the person is within capacity that week, and no project is cancelled."""

    def test(scenario) -> bool:
        from ..resources import over_allocated
        from ..scenarios import Scenario, apply

        if not isinstance(scenario, Scenario) or any(c.get("kind") == "cancel_project" for c in scenario.changes):
            return False
        week = capacity_week(seed)
        after = over_allocated(apply(_sample(), scenario), week, week)
        return _worst(seed)["resource_id"] not in set(after["resource_id"])

    return test


register(
    Task(
        "8.1",
        "Who (resource id) is booked furthest beyond their available hours in your week?",
        lambda seed: str(_worst(seed)["resource_id"]),
        "Over-allocation is found per person and week: team totals hide it, because others are under-used.",
        [
            "`resources.over_allocated(portfolio, week, week)` lists everyone booked beyond their hours that week.",
            "Sort by over_hours, largest first; leave out anyone with no capacity that week (on leave).",
        ],
        kind="text",
    ),
    Task(
        "8.2",
        "By how many hours is that person over their capacity that week?",
        lambda seed: float(_worst(seed)["over_hours"]),
        "Hours over is what has to move: to someone else, to a later week, or off the plan.",
        ["Demand hours minus capacity hours, for that person and week."],
        [
            (
                lambda v, e, s: float(v) == float(_worst(s)["demand_hours"]),
                "That is all their booked hours; subtract what they can work.",
            )
        ],
        tolerance=0.001,
        unit="hours",
    ),
    Task(
        "8.3",
        "Propose a scenario (a `scenarios.Scenario`) that brings that person within capacity that week without cancelling a project.",
        _fixes,
        "A what-if answers in minutes what a resource meeting argues about for an hour: compare it with the baseline before you propose it.",
        [
            "Look at the person's bookings that week (`portfolio.assignments`): which could be smaller, later or someone else's?",
            '`Scenario("my fix", [{"kind": "change_booking", "assignment_id": "A...", "fte": 0.2}])` changes one booking\'s FTE; `shift_project` moves a whole project.',
        ],
        [
            (
                lambda v, e, s: not hasattr(v, "changes"),
                "Give a `scenarios.Scenario(name, [changes])`, not a number or text.",
            ),
            (
                lambda v, e, s: any(c.get("kind") == "cancel_project" for c in v.changes),
                "Cancelling a project is not a fix the sponsor will accept; move or share the work.",
            ),
        ],
        kind="judge",
    ),
)


# --- additions: commentary (3), interpretation (4, 5) ----------------------------------------------------

ACTION_WORDS = ("will", "plan", "recover", "decision", "decide", "help", "ask", "agree", "action", "by ")


def _commentary_test(seed: int):
    """Good commentary names every dimension that is not green, says what is being done, and is more than a line."""

    def test(text) -> bool:
        return not _commentary_gaps(seed, text)

    return test


def _commentary_gaps(seed: int, text) -> list[str]:
    if not isinstance(text, str):
        return ["Write your commentary as text, in quotes."]
    words = text.lower()
    gaps = []
    rated = _rate(seed)
    for dimension in ("schedule", "cost"):
        if rated[f"{dimension}_rag"] != "G" and dimension not in words:
            gaps.append(f"Your project is {rated[f'{dimension}_rag']} on {dimension}; say why.")
    if not any(w in words for w in ACTION_WORDS):
        gaps.append("Say what is being done about it (a recovery plan, an action, a decision needed).")
    if len(text.split()) < 15:
        gaps.append("A sponsor needs two or three sentences: what is wrong, why, what happens next.")
    return gaps


register(
    Task(
        "3.5",
        "Write the commentary for your project's status update (two or three sentences, as text).",
        _commentary_test,
        "Good commentary explains every colour that is not green and says what happens next: the sponsor can act on it.",
        ["Name each dimension that is not green (schedule, cost) and why.", "End with what is being done, by whom, or what decision you need."],
        kind="judge",
        explain=lambda seed, text: " ".join(_commentary_gaps(seed, text)) or None,
    ),
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
    Question(
        "5.q1",
        "Task E has 5 days of total float and slips by 3 days. What happens to the project finish?",
        ["It moves 3 days later", "It does not move", "It moves 2 days earlier"],
        1,
        [
            "Only slippage beyond the float moves the finish; 3 days fit within 5.",
            "Yes: the float absorbs the slip; E now has 2 days of float left, so watch it.",
            "A slip never brings the finish forward.",
        ],
    ),
)
