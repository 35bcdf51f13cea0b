"""The what-if planner's engine: a scenario's capacity, load, over-allocation, dates and cost, fast enough for a slider.

:class:`Planner` holds a baseline portfolio and a planning window of whole
weeks. :meth:`Planner.evaluate` applies a :class:`~pmo_lib.scenarios.Scenario`
to a copy and answers with an :class:`Outcome`:

- team x week utilisation (named demand / capacity, as
  :func:`pmo_lib.resources.utilisation` defines it) and the hours behind it;
- the over-allocated person-weeks with the projects booking them;
- each project's finish (the later of the critical-path finish with progress
  and the manager's forecast, as :func:`pmo_lib.scenarios.measures`) and its
  delay against the baseline [calendar days];
- KPIs: peak and average utilisation, person-weeks and hours over capacity,
  cost of the booked hours [currency], unassigned role demand [hours].

Only what a scenario can change is recomputed: capacity and demand are two
vectorised calls, and the critical path is re-run only for projects whose
tasks a change moved (a shift or a pause); the rest reuse the baseline's
dates. The numbers equal a full recomputation with
:func:`pmo_lib.scenarios.measures` (a test checks it); the widgets in
:mod:`pmo_lib.widgets` and ``pmo whatif`` both call this engine, so the
planner on screen and the command line report the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .scenarios import Scenario, apply

LIVE = ("active", "on_hold")
RESCHEDULE = ("shift_project", "pause_project")  # the changes that move a project's tasks


@dataclass
class Outcome:
    """What a scenario does to the portfolio over the planning window."""

    scenario: str
    weeks: pd.DatetimeIndex
    capacity: pd.DataFrame  # team x week [hours]
    demand: pd.DataFrame  # team x week, named demand [hours]
    utilisation: pd.DataFrame  # team x week [share; blank without capacity]
    over: pd.DataFrame  # over-allocated person-weeks
    dates: pd.DataFrame  # one row per project: finish, baseline_finish, delay_days [calendar days]
    gaps: pd.Series  # unassigned role demand per role [hours]
    kpis: dict = field(default_factory=dict)
    available: pd.DataFrame | None = None  # person x week capacity [hours]
    load: pd.DataFrame | None = None  # person x week named demand [hours]
    role_gaps: pd.DataFrame | None = None  # per role and week: people missing (see pmo_lib.resources.role_gaps)

    def measures(self) -> pd.DataFrame:
        """The same long table as :func:`pmo_lib.scenarios.measures` (group, item, value)."""
        rows = [
            ("finish", p, f) for p, f in self.dates.loc[self.dates["live"], ["project_id", "finish"]].itertuples(False)
        ]
        for team in self.utilisation.index:
            rows.append(("peak utilisation", team, float(self.utilisation.loc[team].max())))
            average = self.demand.loc[team].sum() / max(self.capacity.loc[team].sum(), 1e-9)
            rows.append(("average utilisation", team, float(average)))
        rows.append(("person-weeks over capacity", "all", float(self.kpis["person_weeks_over"])))
        rows.append(("hours over capacity", "all", float(self.kpis["hours_over"])))
        rows.append(("cost of booked hours", "all", float(self.kpis["cost"])))
        rows.extend(("unassigned hours", role, float(h)) for role, h in self.gaps[self.gaps > 0].items())
        return pd.DataFrame(rows, columns=["group", "item", "value"])


class Planner:
    """A baseline portfolio and a planning window, ready to answer what-if questions.

    Parameters
    ----------
    portfolio
        The baseline :class:`~pmo_lib.data.Portfolio` (never changed).
    start
        A day in the first week of the window [date]; default: the first
        Monday after the data date (the first week not yet reported).
    weeks
        Length of the window [weeks].
    as_of
        Status date for the critical path with progress; default the data date.
    """

    def __init__(self, portfolio, start=None, weeks: int = 26, as_of=None):
        from .evm import data_date

        if int(weeks) < 1:
            raise ValueError(f"weeks must be at least 1 (found {weeks})")
        self.portfolio = portfolio
        self.as_of = pd.Timestamp(as_of) if as_of is not None else data_date(portfolio)
        if start is None:  # the first whole week after the data date
            after = self.as_of + pd.Timedelta(days=1)
            self.start = after + pd.Timedelta(days=(7 - after.weekday()) % 7)
        else:  # the week holding the given day
            self.start = pd.Timestamp(start) - pd.Timedelta(days=pd.Timestamp(start).weekday())
        self.weeks = int(weeks)
        self.end = self.start + pd.Timedelta(weeks=self.weeks) - pd.Timedelta(days=1)
        self._plan = self._schedule(portfolio, None)
        self._levelled_base: pd.Series | None = None  # levelled finishes of the baseline, once asked for
        self.baseline = self.evaluate(Scenario("baseline"))

    # --- dates -------------------------------------------------------------------------------------------

    def _schedule(self, portfolio, projects) -> pd.DataFrame:
        """Critical path with progress of the live projects (or only ``projects``), task by task."""
        from .schedule import schedule

        live = portfolio.projects.loc[portfolio.projects["status"].astype(str).isin(LIVE), "project_id"]
        wanted = live.tolist() if projects is None else [p for p in live if p in set(projects)]
        if projects is not None and not wanted:  # every moved project was also cancelled
            return self._plan.iloc[0:0]
        return schedule(portfolio, as_of=self.as_of, projects=wanted)

    def plan(self, portfolio, scenario: Scenario) -> pd.DataFrame:
        """The critical path of ``portfolio`` (the baseline with ``scenario`` applied): the baseline's,
        re-run only for the projects the scenario moved."""
        moved = {c["project_id"] for c in scenario.changes if c.get("kind") in RESCHEDULE}
        if not moved:
            return self._plan
        kept = self._plan[~self._plan["project_id"].isin(moved)]
        return pd.concat([kept, self._schedule(portfolio, moved)], ignore_index=True)

    def _dates(self, portfolio, plan: pd.DataFrame) -> pd.DataFrame:
        finish = plan.groupby("project_id")["early_finish"].max()
        projects = portfolio.projects
        planned = _lookup(finish, projects["project_id"]).to_numpy(dtype="datetime64[ns]")
        held = projects["forecast_finish"].to_numpy(dtype="datetime64[ns]")
        later = np.where(np.isnat(planned), held, np.where(np.isnat(held), planned, np.maximum(planned, held)))
        live = projects["status"].astype(str).isin(LIVE).to_numpy()
        return pd.DataFrame(
            {
                "project_id": projects["project_id"].to_numpy(),
                "name": projects["name"].to_numpy(),
                "priority": projects["priority"].to_numpy(),
                "status": projects["status"].astype(str).to_numpy(),
                "live": live,
                "finish": pd.to_datetime(np.where(live, later, np.datetime64("NaT"))),
            }
        )

    # --- the answer --------------------------------------------------------------------------------------

    def evaluate(self, scenario: Scenario, *, level: bool = False) -> Outcome:
        """The outcome of ``scenario`` (checked against the data first; a bad change is a ScenarioError).

        With ``level=True`` the unfinished tasks are also levelled against
        role capacity (:func:`pmo_lib.leveling.level`, project priority
        first) and ``dates`` gains ``levelled_finish``, ``levelled_delay_days``
        (calendar days against the levelled baseline) and ``cause`` (the role
        the project waited for); the KPI ``projects_later_levelled`` counts
        projects whose levelled finish moves later.
        """
        from . import resources as res

        portfolio = apply(self.portfolio, scenario) if scenario.changes else self.portfolio
        people = portfolio.resources
        hours = res.load(portfolio, self.start, self.end, freq="W")
        grid, cap_hours, load = hours.grid, hours.capacity, hours.booked
        who = people["resource_id"].astype(str).to_numpy()
        teams, team_cap, team_load = hours.by("team")
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(team_cap > 0, team_load / team_cap, np.nan)
        frame = lambda values: pd.DataFrame(values, index=pd.Index(teams, name="team"), columns=grid)  # noqa: E731
        over = hours.over()
        rates = people["cost_rate"].astype(float).fillna(0.0).to_numpy()
        gaps = hours.open_roles.groupby(level="role", observed=True).sum()
        role_gaps = hours.role_gaps()
        plan = self.plan(portfolio, scenario)
        dates = self._dates(portfolio, plan)
        base = self.baseline.dates.set_index("project_id")["finish"] if scenario.changes else None
        dates["baseline_finish"] = dates["finish"] if base is None else _lookup(base, dates["project_id"])
        dates["delay_days"] = (dates["finish"] - dates["baseline_finish"]).dt.days
        if level:
            dates = self._levelled(portfolio, dates, scenario, plan)
        with np.errstate(invalid="ignore"):
            peak = float(np.nanmax(share)) if np.isfinite(share).any() else float("nan")
        kpis = {
            "peak_utilisation": peak,
            "average_utilisation": float(team_load.sum() / max(team_cap.sum(), 1e-9)),
            "person_weeks_over": len(over),
            "hours_over": float(over["over_hours"].sum()),
            "cost": float((load * rates[:, None]).sum()),
            "unassigned_hours": float(gaps.sum()),
            "projects_later": int((dates["delay_days"] > 0).sum()),
            "capacity_hours": float(team_cap.sum()),
            "demand_hours": float(team_load.sum()),
            **({"projects_later_levelled": int((dates["levelled_delay_days"] > 0).sum())} if level else {}),
        }
        by_person = pd.Index(who, name="resource_id")
        return Outcome(
            scenario.name, grid, frame(team_cap), frame(team_load), frame(share), over, dates, gaps, kpis,
            role_gaps=role_gaps,
            available=pd.DataFrame(cap_hours, index=by_person, columns=grid),
            load=pd.DataFrame(load, index=by_person, columns=grid),
        )  # fmt: skip

    def _levelled(self, portfolio, dates: pd.DataFrame, scenario: Scenario, schedule: pd.DataFrame) -> pd.DataFrame:
        from .leveling import level

        plan = level(portfolio, as_of=self.as_of, plan=schedule).projects.set_index("project_id")
        if not scenario.changes:
            self._levelled_base = plan["finish"]
        elif self._levelled_base is None:
            base = level(self.portfolio, as_of=self.as_of, plan=self._plan)
            self._levelled_base = base.projects.set_index("project_id")["finish"]
        base = plan["finish"] if not scenario.changes else self._levelled_base
        dates["levelled_finish"] = _lookup(plan["finish"], dates["project_id"]).where(dates["live"])
        dates["levelled_delay_days"] = (dates["levelled_finish"] - _lookup(base, dates["project_id"])).dt.days
        dates["cause"] = _lookup(plan["cause"], dates["project_id"]).where(dates["live"]).astype("str")
        return dates


def _lookup(values: pd.Series, keys: pd.Series) -> pd.Series:
    """``values`` by the labels in ``keys`` (blank where missing), aligned with ``keys``.

    ``reindex`` rather than ``map``: mapping a text column onto an empty date
    Series fails in pandas (it tries to cast the dates to numbers).
    """
    return pd.Series(values.reindex(keys.to_numpy()).to_numpy(), index=keys.index, dtype=values.dtype)


KPI_LABELS = {  # key -> (label for readers, unit)
    "peak_utilisation": ("Peak team utilisation", "share"),
    "average_utilisation": ("Average utilisation", "share"),
    "person_weeks_over": ("Person-weeks over capacity", "weeks"),
    "hours_over": ("Hours over capacity", "hours"),
    "cost": ("Cost of booked hours", "currency"),
    "unassigned_hours": ("Unassigned role demand", "hours"),
    "projects_later": ("Projects finishing later", "projects"),
}


LEVELLED_KPI = ("Projects finishing later once levelled", "projects")


def compare(planner: Planner, *scenarios: Scenario, level: bool = False) -> pd.DataFrame:
    """Baseline and scenarios side by side: the KPIs, each team's peak and average utilisation, each
    role's gap (people missing in its worst week), then each live project's finish and delay.

    One row per measure (``measure``, ``unit``: share, hours, currency, FTE,
    date, days) and one column per outcome, baseline first. Delays are
    calendar days against the baseline; a cancelled project's finish is
    blank. With ``level=True`` each project's levelled finish and delay follow.
    """
    base = planner.evaluate(Scenario("baseline"), level=True) if level else planner.baseline
    outcomes = [base, *(planner.evaluate(s, level=level) for s in scenarios)]
    names = [o.scenario for o in outcomes]
    if len(set(names)) < len(names):
        raise ValueError(f"scenario names must differ to be compared side by side (found {', '.join(names)})")
    labels = {**KPI_LABELS, **({"projects_later_levelled": LEVELLED_KPI} if level else {})}
    rows = [
        {"measure": label, "unit": unit, **{o.scenario: o.kpis[key] for o in outcomes}}
        for key, (label, unit) in labels.items()
    ]
    for team in base.utilisation.index:
        for words, pick in (("Peak utilisation", np.nanmax), ("Average utilisation", None)):
            values = {}
            for o in outcomes:
                if team not in o.utilisation.index:
                    values[o.scenario] = np.nan
                elif pick is None:
                    values[o.scenario] = o.demand.loc[team].sum() / max(o.capacity.loc[team].sum(), 1e-9)
                else:
                    row = o.utilisation.loc[team].to_numpy(dtype=float)
                    values[o.scenario] = float(pick(row)) if np.isfinite(row).any() else np.nan
            rows.append({"measure": f"{words}: {team}", "unit": "share", **values})
    roles = sorted(set().union(*(set(o.role_gaps["role"].astype(str)) for o in outcomes)))
    for role in roles:
        values = {}
        for o in outcomes:
            mine = o.role_gaps[o.role_gaps["role"].astype(str) == role]
            values[o.scenario] = float(mine["gap_fte"].max()) if len(mine) else 0.0
        rows.append({"measure": f"Role gap, peak week: {role}", "unit": "FTE", **values})
    columns = [("finish", "Finish", "date"), ("delay_days", "Delay", "days")]
    if level:
        columns += [("levelled_finish", "Levelled finish", "date"), ("levelled_delay_days", "Levelled delay", "days")]
    dates = {o.scenario: o.dates.set_index("project_id") for o in outcomes}
    for project, name in base.dates.loc[base.dates["live"], ["project_id", "name"]].itertuples(False):
        for column, words, unit in columns:
            values = {scenario: table[column].get(project, np.nan) for scenario, table in dates.items()}
            rows.append({"measure": f"{words} {project} {name}", "unit": unit, **values})
    return pd.DataFrame(rows)


__all__ = ["KPI_LABELS", "LEVELLED_KPI", "Outcome", "Planner", "compare"]
