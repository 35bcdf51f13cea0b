"""The ``pmo`` command: a thin shell over the library.

Exit codes: 0 success, 1 bad data (or a failed run), 2 usage error.
Bad data never shows a Python traceback; it shows findings.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from . import __version__

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def _usage_error(command: str, message: str) -> None:
    click.echo(f"pmo {command}: {message}", err=True)
    sys.exit(EXIT_USAGE)


def format_findings(result, max_per_kind: int = 5) -> str:
    """Findings as readable text: a table summary, then problems grouped by file and kind."""
    lines = [f"Dataset: {result.path}"]
    lines.append(f"  {'table':<16}{'rows':>8}  {'file':<34}encoding")
    for name, src in result.sources.items():
        lines.append(f"  {name:<16}{src.rows:>8}  {src.label:<34}{src.encoding}")
    lines.append("")
    lines.append(f"Result: {result.verdict()}")
    by_file: dict[str, list] = {}
    for f in result.findings:
        by_file.setdefault(f.file or f.table or "(dataset)", []).append(f)
    order = {"error": 0, "warning": 1, "note": 2}
    for file, findings in by_file.items():
        lines.append("")
        lines.append(file)
        kinds: dict[tuple, list] = {}
        for f in sorted(findings, key=lambda f: order[f.severity]):
            kinds.setdefault((f.severity, f.column, f.problem), []).append(f)
        for (severity, column, problem), group in kinds.items():
            for f in group[:max_per_kind]:
                where = f"row {f.row}" if f.row is not None else "file"
                col = f"column '{column}'" if column else ""
                value = f" (found: {f.value!r})" if f.value else ""
                lines.append(f"  {severity.upper():<8}{where:<10}{col:<26}{problem}{value}")
                lines.append(f"  {'':<8}{'':<10}fix: {f.fix}")
            if len(group) > max_per_kind:
                lines.append(f"  {'':<8}... and {len(group) - max_per_kind} more like this")
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pmo")
def main() -> None:
    """PMO Lab: check portfolio data, make reports, plan resources."""


@main.command(short_help="Check a dataset and list every problem.")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--max-per-kind", default=5, show_default=True, help="Findings shown per kind of problem.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
    help="text for reading; csv/json to keep the findings.",
)
def validate(path: Path, max_per_kind: int, fmt: str) -> None:
    """Check a dataset (folder of CSVs or .xlsx workbook) and list every problem."""
    from .data import validate as run_validation

    if not path.exists():
        _usage_error("validate", f"no dataset at {path} (expected a folder of CSV files or an .xlsx workbook)")
    if path.is_file() and path.suffix.lower() not in (".xlsx", ".xlsm"):
        _usage_error("validate", f"{path} is neither a folder of CSV files nor an .xlsx workbook")
    result = run_validation(path)
    if fmt == "text":
        click.echo(format_findings(result, max_per_kind))
    elif fmt == "csv":
        click.echo(result.findings_frame().to_csv(index=False), nl=False)
    else:
        click.echo(result.findings_frame().to_json(orient="records", indent=1))
    sys.exit(EXIT_OK if result.ok else EXIT_DATA)


@main.command(short_help="Generate a fictional portfolio dataset.")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--projects", default=24, show_default=True, help="Number of projects.")
@click.option("--resources", default=None, type=int, help="Number of people [default: 60, or 3 per 4 projects].")
@click.option("--min-tasks", default=15, show_default=True, help="Fewest tasks per project.")
@click.option("--max-tasks", default=60, show_default=True, help="Most tasks per project.")
@click.option("--seed", default=20261031, show_default=True, help="Random seed; the same seed gives the same data.")
@click.option("--as-of", default="2026-10-31", show_default=True, help="Status date of the dataset (YYYY-MM-DD).")
@click.option("--max-people", default=2, show_default=True, help="Most people booked on one task.")
def synth(
    out: Path, projects: int, resources, min_tasks: int, max_tasks: int, seed: int, as_of: str, max_people: int
) -> None:
    """Generate a fictional portfolio dataset (the sample, or a large one for benchmarks)."""
    from . import synth as gen

    if projects < 1 or min_tasks < 3 or max_tasks < min_tasks or max_people < 1:
        _usage_error("synth", "need --projects >= 1, 3 <= --min-tasks <= --max-tasks and --max-people >= 1")
    try:
        date.fromisoformat(as_of)
    except ValueError:
        _usage_error("synth", f"--as-of {as_of!r} is not a date in the form YYYY-MM-DD")
    if resources is None:
        resources = max(60, projects * 3 // 4)
    if resources < 20:
        _usage_error("synth", "need --resources >= 20 so every role is staffed")
    shape = gen.Shape(
        projects, resources, min_tasks, max_tasks, seed, date.fromisoformat(as_of).isoformat(), max_people
    )
    tables = gen.generate(shape)
    written = gen.write(tables, out)
    rows = sum(len(t) for t in tables.values())
    click.echo(f"Wrote {len(written)} tables ({rows:,} rows) to {out}")


def _load_or_exit(command: str, path: Path):
    """Load a dataset for a command; bad data prints its findings and exits 1."""
    from .data import validate as run_validation

    if not path.exists():
        _usage_error(command, f"no dataset at {path} (expected a folder of CSV files or an .xlsx workbook)")
    result = run_validation(path)
    if not result.ok:
        click.echo(format_findings(result), err=True)
        sys.exit(EXIT_DATA)
    return result.portfolio


@main.command(short_help="Critical path and dates of every task, as of a status date.")
@click.argument("data", type=click.Path(path_type=Path))
@click.option("--project", "projects", multiple=True, help="Only this project (repeat for more).")
@click.option("--as-of", default=None, help="Status date YYYY-MM-DD; progress is taken into account.")
@click.option("--calendar", default=None, help="Working calendar name [default: standard, if the data has it].")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="table", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to this file (needed for xlsx).")
def schedule(data: Path, projects, as_of, calendar, fmt: str, out: Path | None) -> None:
    """One row per task: early/late dates, float, critical, baseline variance, driving predecessor."""
    from .errors import PMOError
    from .schedule import schedule as run_schedule

    portfolio = _open_request("schedule", data, fmt, out, as_of, projects)
    try:
        table = run_schedule(portfolio, as_of=as_of, calendar=calendar, projects=list(projects) or None)
    except PMOError as exc:
        click.echo(f"pmo schedule: {exc}", err=True)
        sys.exit(EXIT_DATA)
    _emit(table, fmt, out, sheet="schedule", noun="tasks")


def _emit(table, fmt: str, out: Path | None, *, sheet: str, noun: str) -> None:
    """Print a result table, or write it atomically as text, CSV or a formatted workbook."""
    from .export import neutralise, write_csv, write_xlsx
    from .files import atomic_open

    if out is None:
        safe = neutralise(table)
        text = safe.to_csv(index=False, date_format="%Y-%m-%d") if fmt == "csv" else safe.to_string(index=False)
        click.echo(text)
        return
    if fmt == "xlsx":
        write_xlsx({sheet: table}, out)
    elif fmt == "csv":
        write_csv(table, out)
    else:
        with atomic_open(out, "w", encoding="utf-8") as fh:
            fh.write(neutralise(table).to_string(index=False) + "\n")
    click.echo(f"Wrote {len(table)} {noun} to {out}")


def _open_request(command: str, data: Path, fmt: str, out: Path | None, as_of, projects=()):
    """The checks every analysis command makes before it works, then the loaded data (or an exit)."""
    if fmt == "xlsx" and out is None:
        _usage_error(command, "--format xlsx needs --out FILE.xlsx")
    _check_date(command, "--as-of", as_of)
    portfolio = _load_or_exit(command, data)
    _check_projects(command, portfolio, projects)
    return portfolio


def _check_date(command: str, option: str, value: str | None) -> None:
    if value is None:
        return
    try:
        date.fromisoformat(value)
    except ValueError:
        _usage_error(command, f"{option} {value!r} is not a date in the form YYYY-MM-DD")


def _check_projects(command: str, portfolio, projects) -> None:
    known = set(portfolio.projects["project_id"])
    unknown = [p for p in projects if p not in known]
    if unknown:
        _usage_error(command, f"unknown project {', '.join(unknown)}; projects are: {', '.join(sorted(known))}")


@main.command(short_help="Earned value and earned schedule of every project for a month.")
@click.argument("data", type=click.Path(path_type=Path))
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
    from .errors import PMOError
    from .evm import status

    if month is not None and not _is_month(month):
        _usage_error("evm", f"--month {month!r} is not a month in the form YYYY-MM")
    portfolio = _open_request("evm", data, fmt, out, as_of, projects)
    try:
        table = status(portfolio, month, as_of=as_of, actual_cost=actual_cost, eac_method=eac_method)
    except PMOError as exc:
        _usage_error("evm", str(exc))
    if projects:
        table = table[table["project_id"].isin(projects)]
    money = ["pv", "ev", "ac", "bac", "sv", "cv", "eac", "etc", "vac"]
    table = table.round(4).round({c: 2 for c in money})
    _emit(table, fmt, out, sheet="evm", noun="projects")


@main.command(short_help="Schedule risk: P50/P80/P95 finish of every project by Monte Carlo.")
@click.argument("data", type=click.Path(path_type=Path))
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
    from .errors import PMOError
    from .evm import data_date
    from .schedule_risk import forecast

    portfolio = _open_request("risk", data, fmt, out, as_of, projects)
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
    _emit(table, fmt, out, sheet="risk", noun="projects")


def _is_month(text: str) -> bool:
    try:
        date.fromisoformat(f"{text}-01")
    except ValueError:
        return False
    return len(text) == 7


@main.command(short_help="Make the monthly portfolio report: HTML, Excel and the executed notebook.")
@click.option("--month", required=True, help="Report month YYYY-MM.")
@click.option("--portfolio", "portfolios", multiple=True, help="A portfolio by name (repeat for more).")
@click.option("--all", "every", is_flag=True, help="Every portfolio, and all of them together, plus an index page.")
@click.option("--data", default="datasets/sample", show_default=True, type=click.Path(path_type=Path))
@click.option(
    "--out", default="reports", show_default=True, type=click.Path(path_type=Path), help="Folder for reports/<month>/."
)
@click.option(
    "--format", "fmt", default="html,xlsx,ipynb", show_default=True, help="Any of html, xlsx, ipynb, comma-separated."
)
@click.option("--as-of", default=None, help="Status date YYYY-MM-DD within the month [default: its last day].")
@click.option("--detail", type=click.Choice(["full", "executive"]), default="full", show_default=True)
@click.option("--standard", "standard_file", type=click.Path(path_type=Path), default=None,
              help="Standard file for tolerances and compliance [default: standards/default.yaml].")  # fmt: skip
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Reports run side by side [default: cores].")
def report(month, portfolios, every, data: Path, out: Path, fmt: str, as_of, detail, standard_file, jobs) -> None:
    """Run the monthly report for a portfolio (default: all portfolios together as one report).

    Writes reports/<month>/<portfolio>.html (opens offline), .xlsx (the
    report's tables) and .ipynb (the executed notebook). A failed run keeps
    the previous report, leaves <portfolio>.failed.ipynb and .error.txt, and
    exits 1.
    """
    import contextlib

    from .reporting import FORMATS, WARM_UP
    from .run import NOTEBOOKS, kernel, skip_iri_format_checks

    skip_iri_format_checks()

    formats = tuple(f.strip() for f in fmt.split(",") if f.strip())
    wrong = [f for f in formats if f not in FORMATS]
    if wrong or not formats:
        _usage_error("report", f"--format {fmt!r}: choose from {', '.join(FORMATS)}")
    if every and portfolios:
        _usage_error("report", "give --portfolio NAME or --all, not both")
    _check_date("report", "--as-of", as_of)
    if not data.exists():
        _usage_error("report", f"no dataset at {data} (expected a folder of CSV files or an .xlsx workbook)")
    # one report: its kernel starts now and imports while the data and the request are checked here
    # (several reports: each worker starts its own)
    single = not every and len(portfolios) <= 1
    with kernel(NOTEBOOKS / "monthly_report.ipynb", WARM_UP) if single else contextlib.nullcontext() as km:
        _report(month, portfolios, every, data, out, formats, as_of, detail, standard_file, jobs, km)


def _report(month, portfolios, every, data: Path, out: Path, formats, as_of, detail, standard_file, jobs, km) -> None:
    from .errors import PMOError
    from .report import portfolios as names_in
    from .reporting import ALL, check_request, run_reports
    from .standards import StandardError
    from .standards import load as load_standard

    try:
        load_standard(standard_file)
    except StandardError as exc:
        _usage_error("report", str(exc))
    portfolio = _load_or_exit("report", data)
    names = [ALL, *names_in(portfolio)] if every else (list(portfolios) or [ALL])
    try:
        check_request(portfolio, month, names)
        if as_of and not as_of.startswith(month):
            raise PMOError(f"--as-of {as_of} is not in the report month {month}")
    except PMOError as exc:
        _usage_error("report", str(exc))
    extra = {"detail": detail, **({"as_of": as_of} if as_of else {})}
    if standard_file:
        extra["standard"] = str(standard_file.resolve())
    with click.progressbar(length=len(names), label=f"Running {len(names)} report(s)", file=sys.stderr) as bar:
        outcomes, index = run_reports(
            names, month, data, out, formats, extra, jobs, progress=lambda _: bar.update(1), km=km
        )
    failed = [o for o in outcomes if o.error]
    for o in sorted(outcomes, key=lambda o: o.name):
        for path in o.written:
            click.echo(f"Wrote {path}")
    if index:
        click.echo(f"Wrote {index}")
    for o in failed:
        click.echo(f"pmo report: {o.name}: {o.error}", err=True)
    if failed:
        sys.exit(EXIT_DATA)


@main.command(short_help="Check projects against the PMO standard: findings by project, exit 1 on errors.")
@click.argument("data", type=click.Path(path_type=Path))
@click.option("--standard", "standard_file", type=click.Path(path_type=Path), default=None,
              help="Standard file [default: standards/default.yaml].")  # fmt: skip
@click.option("--as-of", default=None, help="Check as of this date YYYY-MM-DD [default: the data date].")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "xlsx", "json"]), default="table", show_default=True
)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to this file (needed for xlsx).")
def check(data: Path, standard_file, as_of, fmt: str, out: Path | None) -> None:
    """Every breach of the standard, grouped by project and severity, with the evidence and how to fix it.

    Exit 0 when there are no error-severity findings, 1 when there are (or the
    data cannot be read), 2 for a usage problem such as an unusable standard file.
    """
    import json

    from .evm import data_date
    from .standards import StandardError, evaluate, load, portfolio_scores, scores

    try:
        standard = load(standard_file)
    except StandardError as exc:
        _usage_error("check", str(exc))
    portfolio = _open_request("check", data, fmt, out, as_of)
    day = as_of or str(data_date(portfolio).date())
    findings = evaluate(portfolio, standard, day)
    per_project = scores(portfolio, findings, standard)
    errors = int((findings["severity"] == "error").sum())
    if fmt == "json":
        payload = {
            "standard": standard.name,
            "as_of": day,
            "findings": findings.to_dict(orient="records"),
            "scores": per_project.to_dict(orient="records"),
        }
        _say_or_write(json.dumps(payload, indent=2, default=str), out, f"{len(findings)} findings")
    elif fmt == "xlsx":
        from .export import write_xlsx

        write_xlsx({"Findings": findings, "Scores": per_project}, out, number_formats={"score": "0"})
        click.echo(f"Wrote {len(findings)} findings to {out}")
    elif fmt == "csv":
        _emit(findings, "csv", out, sheet="findings", noun="findings")
    else:
        text = _format_check(standard, day, findings, per_project, portfolio_scores(per_project))
        _say_or_write(text, out, f"{len(findings)} findings")
    sys.exit(EXIT_DATA if errors else EXIT_OK)


def _say_or_write(text: str, out: Path | None, what: str) -> None:
    """Print ``text``, or write it atomically to ``out`` and say so."""
    if out is None:
        click.echo(text)
        return
    from .files import atomic_open

    with atomic_open(out, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    click.echo(f"Wrote {what} to {out}")


def _format_check(standard, day, findings, per_project, per_portfolio) -> str:
    """Findings as text: a summary, then each project's findings, errors first."""
    errors = int((findings["severity"] == "error").sum())
    warnings = int((findings["severity"] == "warning").sum())
    hit = findings["project_id"].nunique()
    lines = [f"Standard: {standard.name} ({standard.source}), as of {day}"]
    lines.append(
        f"Result: {errors} error(s), {warnings} warning(s) in {hit} project(s); "
        f"{int((per_project['rules_broken'] == 0).sum())} of {len(per_project)} live project(s) meet every rule."
    )
    lines.append("Compliance: " + ", ".join(f"{r.portfolio} {r.score:.0f}%" for r in per_portfolio.itertuples()))
    names = findings.drop_duplicates("project_id").set_index("project_id")
    score = per_project.set_index("project_id")["score"]
    for project, group in findings.groupby("project_id", sort=True):
        head = names.loc[project]
        mark = f" - score {score[project]:.0f}%" if project in score.index else " - not live"
        lines.append("")
        lines.append(f"{project} {head['project']} ({head['portfolio']}){mark}")
        for (rule, _), rows in group.groupby(["rule_id", "found"], sort=False):
            first = rows.iloc[0]
            lines.append(f"  {first['severity'].upper():<8}{rule:<8}{first['found']}")
            for evidence in rows["evidence"].head(5):
                lines.append(f"  {'':<16}- {evidence}")
            if len(rows) > 5:
                lines.append(f"  {'':<16}... and {len(rows) - 5} more")
            lines.append(f"  {'':<16}fix: {first['fix']}")
    return "\n".join(lines)


@main.group(short_help="The onboarding exercises: the path, and who has passed what.")
def exercises() -> None:
    """The onboarding exercises in exercises/: list them, see a learner's progress, export everyone's."""


@exercises.command("list")
def exercises_list() -> None:
    """The numbered path, with the time each exercise takes."""
    from .exercises import PATH, tasks_of

    for number, title, minutes in PATH:
        click.echo(f"{number:>2}. {title:<42} {minutes:>3} min  {len(tasks_of(number))} task(s)")


@exercises.command("status")
@click.option("--learner", default=None, help="Whose progress [default: you].")
def exercises_status(learner) -> None:
    """Tasks passed per exercise, for one learner (recorded by the checks on this machine)."""
    from .exercises import status

    table = status(learner)
    for row in table.itertuples():
        mark = "done" if row.passed == row.tasks and row.tasks else f"{row.passed}/{row.tasks}"
        click.echo(f"{row.exercise:>2}. {row.title:<42} {mark}")
    click.echo(f"{int(table['passed'].sum())} of {int(table['tasks'].sum())} tasks passed.")


@exercises.command("export")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="CSV file to write.")
def exercises_export(out: Path) -> None:
    """Everyone's progress on this machine as CSV (learner, task, passed, attempts, last attempt)."""
    from .exercises import export_progress
    from .export import write_csv

    table = export_progress()
    write_csv(table, out)
    click.echo(f"Wrote {len(table)} rows for {table['learner'].nunique()} learner(s) to {out}")


@main.command(short_help="What-if report of a scenario file against today's plan (HTML and notebook).")
@click.argument("scenario_file", metavar="SCENARIO.yaml", type=click.Path(path_type=Path))
@click.option("--compare", "others", multiple=True, type=click.Path(path_type=Path),
              help="Another scenario file to compare side by side (repeat for more).")  # fmt: skip
@click.option("--data", default="datasets/sample", show_default=True, type=click.Path(path_type=Path))
@click.option("--out", default="reports/whatif", show_default=True, type=click.Path(path_type=Path))
@click.option("--weeks", type=click.IntRange(1, 260), default=26, show_default=True, help="Planning window [weeks].")
@click.option("--currency", default="GBP", show_default=True)
@click.option("--level", is_flag=True, help="Also level tasks against role capacity (priority decides).")
def whatif(scenario_file: Path, others, data: Path, out: Path, weeks: int, currency: str, level: bool) -> None:
    """Run notebooks/resource_planning.ipynb on SCENARIO.yaml and write <out>/<scenario>.html and .ipynb.

    Every scenario file is checked against the data before the notebook
    starts; a broken file lists each problem and exits 2. The key figures
    are printed too: the same numbers as the report and the planner.
    """
    from .errors import PMOError
    from .planner import Planner, compare
    from .reporting import slug
    from .run import NOTEBOOKS, run_notebook, skip_iri_format_checks
    from .scenarios import ScenarioError, load

    skip_iri_format_checks()

    portfolio = _load_or_exit("whatif", data)
    try:
        chosen = load(scenario_file, portfolio)
        extra = [load(path, portfolio) for path in others]
        table = compare(Planner(portfolio, weeks=weeks), chosen, *extra, level=level)
    except (ScenarioError, ValueError) as exc:
        _usage_error("whatif", str(exc))
    parameters = {
        "data": str(data.resolve()),
        "scenario": str(scenario_file.resolve()),
        "compare": [str(p.resolve()) for p in others],
        "horizon_weeks": weeks,
        "currency": currency,
        "level": level,
    }
    try:
        written = run_notebook(NOTEBOOKS / "resource_planning.ipynb", out, parameters, stem=slug(chosen.name))
    except PMOError as exc:
        click.echo(f"pmo whatif: {exc}", err=True)
        sys.exit(EXIT_DATA)
    click.echo(_figures(table))
    for path in written:
        click.echo(f"Wrote {path}")


def _figures(table) -> str:
    """The comparison's KPI rows as plain text for the terminal."""
    import pandas as pd

    from .planner import KPI_LABELS, LEVELLED_KPI
    from .widgets.render import cell_text

    headline = {label for label, _ in KPI_LABELS.values()} | {LEVELLED_KPI[0]}
    kpis = table[table["measure"].isin(headline)]
    names = list(table.columns[2:])
    width = max(12, *(len(n) for n in names))
    label = max(len(m) for m in kpis["measure"]) + 2
    lines = [f"{'':<{label}}" + "".join(f"{n:>{width + 2}}" for n in names)]
    for row in kpis.itertuples(index=False):
        cells = [cell_text(value, row.unit) for value in row[2:]]
        lines.append(f"{row.measure:<{label}}" + "".join(f"{c:>{width + 2}}" for c in cells))
    moved = table[(table["unit"] == "date")]
    later = [
        f"  {row.measure.removeprefix('Finish ')}: {row[2]:%Y-%m-%d} -> {value:%Y-%m-%d} ({name})"
        for row in moved.itertuples(index=False)
        for name, value in zip(names[1:], row[3:], strict=True)
        if not pd.isna(value) and not pd.isna(row[2]) and value != row[2]
    ]
    cancelled = [
        f"  {row.measure.removeprefix('Finish ')}: cancelled ({name})"
        for row in moved.itertuples(index=False)
        for name, value in zip(names[1:], row[3:], strict=True)
        if pd.isna(value) and not pd.isna(row[2]) and row.measure.startswith("Finish ")
    ]
    if later or cancelled:
        lines += ["Finish dates that move:", *later, *cancelled]
    return "\n".join(lines)


@main.command(short_help="Run the tour notebook on a dataset.")
@click.option("--data", default="datasets/sample", show_default=True, type=click.Path(path_type=Path))
@click.option("--out", default="reports/tour", show_default=True, type=click.Path(path_type=Path))
def tour(data: Path, out: Path) -> None:
    """Run the tour notebook on a dataset and save it as HTML and .ipynb."""
    from .errors import PMOError
    from .run import NOTEBOOKS, run_notebook, skip_iri_format_checks

    skip_iri_format_checks()
    if not data.exists():
        _usage_error("tour", f"no dataset at {data}")
    try:
        written = run_notebook(NOTEBOOKS / "00_tour.ipynb", out, {"data": str(data.resolve())}, stem="tour")
    except PMOError as exc:
        click.echo(f"pmo tour: {exc}", err=True)
        sys.exit(EXIT_DATA)
    for path in written:
        click.echo(f"Wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
