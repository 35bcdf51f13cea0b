"""The analysis commands: ``pmo schedule`` (critical path), ``pmo evm`` (earned value), ``pmo risk`` (Monte Carlo)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_DATA, data_argument, emit, is_month, open_request, usage_error


@click.command(short_help="Critical path and dates of every task, as of a status date.")
@data_argument
@click.option("--project", "projects", multiple=True, help="Only this project (repeat for more).")
@click.option("--as-of", default=None, help="Status date YYYY-MM-DD; progress is taken into account.")
@click.option("--calendar", default=None, help="Working calendar name [default: standard, if the data has it].")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="table", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to this file (needed for xlsx).")
def schedule(data: Path, projects, as_of, calendar, fmt: str, out: Path | None) -> None:
    """One row per task: early/late dates, float, critical, baseline variance, driving predecessor."""
    from ..errors import PMOError
    from ..schedule import schedule as run_schedule

    portfolio = open_request("schedule", data, fmt, out, as_of, projects)
    try:
        table = run_schedule(portfolio, as_of=as_of, calendar=calendar, projects=list(projects) or None)
    except PMOError as exc:
        click.echo(f"pmo schedule: {exc}", err=True)
        sys.exit(EXIT_DATA)
    emit(table, fmt, out, sheet="schedule", noun="tasks")


@click.command(short_help="Earned value and earned schedule of every project for a month.")
@data_argument
@click.option("--month", default=None, help="Status month YYYY-MM [default: the data date's month].")
@click.option("--project", "projects", multiple=True, help="Only this project (repeat for more).")
@click.option("--as-of", default=None, help="Data date YYYY-MM-DD [default: end of the latest status month].")
@click.option(
    "--actual-cost",
    type=click.Choice(["timesheets", "financials"]),
    default="timesheets",
    show_default=True,
    help="AC from hours x cost rate, or from the financial actuals (then BAC is the project budget).",
)
@click.option("--eac-method", type=click.Choice(["cpi", "atypical", "cpi_spi"]), default="cpi", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="table", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to this file (needed for xlsx).")
def evm(data: Path, month, projects, as_of, actual_cost, eac_method, fmt: str, out: Path | None) -> None:
    """One row per project: PV, EV, AC, BAC, SV, CV, SPI, CPI, EAC, ETC, VAC, TCPI, ES, SPI(t), SV(t), IEAC(t).

    Money is in each project's currency; ES, AT and IEAC(t) are in months.
    """
    from ..errors import PMOError
    from ..evm import status

    if month is not None and not is_month(month):
        usage_error("evm", f"--month {month!r} is not a month in the form YYYY-MM")
    portfolio = open_request("evm", data, fmt, out, as_of, projects)
    try:
        table = status(portfolio, month, as_of=as_of, actual_cost=actual_cost, eac_method=eac_method)
    except PMOError as exc:
        usage_error("evm", str(exc))
    if projects:
        table = table[table["project_id"].isin(projects)]
    money = ["pv", "ev", "ac", "bac", "sv", "cv", "eac", "etc", "vac"]
    table = table.round(4).round({c: 2 for c in money})
    emit(table, fmt, out, sheet="evm", noun="projects")


@click.command(short_help="Schedule risk: P50/P80/P95 finish of every project by Monte Carlo.")
@data_argument
@click.option("--project", "projects", multiple=True, help="Only this project (repeat for more).")
@click.option("--as-of", default=None, help="Status date YYYY-MM-DD [default: end of the latest status month].")
@click.option("--iterations", type=click.IntRange(100, 1_000_000), default=10_000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed and data, same answer.")
@click.option("--distribution", type=click.Choice(["triangular", "pert"]), default="triangular", show_default=True)
@click.option("--top", type=click.IntRange(0, 20), default=3, show_default=True, help="Most critical tasks listed.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="table", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to this file (needed for xlsx).")
def risk(data: Path, projects, as_of, iterations, seed, distribution, top, fmt: str, out: Path | None) -> None:
    """One row per project: planned finish, P50/P80/P95 finish, chance of the baseline date, most critical tasks.

    Durations are drawn from each task's optimistic / most likely / pessimistic
    estimate; finished work keeps its actual dates.
    """
    from ..errors import PMOError
    from ..evm import data_date
    from ..schedule_risk import forecast

    portfolio = open_request("risk", data, fmt, out, as_of, projects)
    try:
        result = forecast(
            portfolio,
            as_of or data_date(portfolio),
            iterations=iterations,
            distribution=distribution,
            seed=seed,
            projects=list(projects) or None,
            top=top,
        )
    except PMOError as exc:
        click.echo(f"pmo risk: {exc}", err=True)
        sys.exit(EXIT_DATA)
    table = result["projects"].round({"chance_by_baseline": 3})
    emit(table, fmt, out, sheet="risk", noun="projects")
