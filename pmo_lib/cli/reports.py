"""``pmo report`` (the monthly portfolio report) and ``pmo check`` (compliance with the PMO standard)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import (
    EXIT_DATA,
    EXIT_OK,
    check_date,
    data_argument,
    data_option,
    dataset,
    emit,
    load_or_exit,
    open_request,
    say_or_write,
    usage_error,
)


@click.command(short_help="Make the monthly portfolio report: HTML, Excel and the executed notebook.")
@click.option("--month", required=True, help="Report month YYYY-MM.")
@click.option("--portfolio", "portfolios", multiple=True, help="A portfolio by name (repeat for more).")
@click.option("--all", "every", is_flag=True, help="Every portfolio, and all of them together, plus an index page.")
@data_option
@click.option(
    "--out", default="reports", show_default=True, type=click.Path(path_type=Path), help="Folder for reports/<month>/."
)
@click.option(
    "--format", "fmt", default="html,xlsx,ipynb", show_default=True, help="Any of html, xlsx, ipynb, comma-separated."
)
@click.option("--as-of", default=None, help="Status date YYYY-MM-DD within the month [default: its last day].")
@click.option("--detail", type=click.Choice(["full", "executive"]), default="full", show_default=True)
@click.option("--standard", "standard_file", type=click.Path(path_type=Path), default=None,
              help="Standard file for tolerances and compliance [default: the standard that ships with PMO Lab].")  # fmt: skip
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Reports run side by side [default: cores].")
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="History store the trends read and each report is recorded in [default: OUT/pmo.duckdb].")  # fmt: skip
@click.option("--no-record", is_flag=True, help="Show the trends but do not record this run in the store.")
def report(month, portfolios, every, data: Path, out: Path, fmt: str, as_of, detail, standard_file, jobs, store_path,
           no_record: bool) -> None:  # fmt: skip
    """Run the monthly report for a portfolio (default: all portfolios together as one report).

    Writes reports/<month>/<portfolio>.html (opens offline), .xlsx (the
    report's tables) and .ipynb (the executed notebook). A failed run keeps
    the previous report, leaves <portfolio>.failed.ipynb and .error.txt, and
    exits 1. Each report is recorded in the history store as a new snapshot (a month run again is a
    new version) once it is complete, and its trends section reads the months recorded before it.
    """
    import contextlib

    from ..bundled import notebooks_dir
    from ..reporting.batch import FORMATS, WARM_UP
    from ..reporting.runner import kernel, skip_iri_format_checks

    skip_iri_format_checks()

    formats = tuple(f.strip() for f in fmt.split(",") if f.strip())
    wrong = [f for f in formats if f not in FORMATS]
    if wrong or not formats:
        usage_error("report", f"--format {fmt!r}: choose from {', '.join(FORMATS)}")
    if every and portfolios:
        usage_error("report", "give --portfolio NAME or --all, not both")
    check_date("report", "--as-of", as_of)
    data = dataset(data)
    if not data.exists():
        usage_error("report", f"no dataset at {data} (expected a folder of CSV files or an .xlsx workbook)")
    # one report: its kernel starts now and imports while the data and the request are checked here
    # (several reports: each worker starts its own)
    single = not every and len(portfolios) <= 1
    with kernel(notebooks_dir() / "monthly_report.ipynb", WARM_UP) if single else contextlib.nullcontext() as km:
        history = {"store": str((store_path or out / "pmo.duckdb").resolve()), "record": not no_record}
        _report(month, portfolios, every, data, out, formats, as_of, detail, standard_file, jobs, km, history)


def _report(month, portfolios, every, data: Path, out: Path, formats, as_of, detail, standard_file, jobs, km,
            history: dict) -> None:  # fmt: skip
    from ..errors import PMOError
    from ..reporting.batch import ALL, check_request, run_reports
    from ..reporting.month import portfolios as names_in
    from ..standards import StandardError
    from ..standards import load as load_standard

    try:
        load_standard(standard_file)
    except StandardError as exc:
        usage_error("report", str(exc))
    portfolio = load_or_exit("report", data)
    names = [ALL, *names_in(portfolio)] if every else (list(portfolios) or [ALL])
    try:
        check_request(portfolio, month, names)
        if as_of and not as_of.startswith(month):
            raise PMOError(f"--as-of {as_of} is not in the report month {month}")
    except PMOError as exc:
        usage_error("report", str(exc))
    extra = {"detail": detail, **({"as_of": as_of} if as_of else {}), **history}
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


@click.command(short_help="Check projects against the PMO standard: findings by project, exit 1 on errors.")
@data_argument
@click.option("--standard", "standard_file", type=click.Path(path_type=Path), default=None,
              help="Standard file [default: the standard that ships with PMO Lab].")  # fmt: skip
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

    from ..evm import data_date
    from ..standards import StandardError, evaluate, load, portfolio_scores, scores

    try:
        standard = load(standard_file)
    except StandardError as exc:
        usage_error("check", str(exc))
    portfolio = open_request("check", data, fmt, out, as_of)
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
        say_or_write(json.dumps(payload, indent=2, default=str), out, f"{len(findings)} findings")
    elif fmt == "xlsx":
        from ..export import write_xlsx

        write_xlsx({"Findings": findings, "Scores": per_project}, out, number_formats={"score": "0"})
        click.echo(f"Wrote {len(findings)} findings to {out}")
    elif fmt == "csv":
        emit(findings, "csv", out, sheet="findings", noun="findings")
    else:
        text = format_check(standard, day, findings, per_project, portfolio_scores(per_project))
        say_or_write(text, out, f"{len(findings)} findings")
    sys.exit(EXIT_DATA if errors else EXIT_OK)


def format_check(standard, day, findings, per_project, per_portfolio) -> str:
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
