"""``pmo import``: a PMO's own files (MS Project XML, Primavera P6 XER) in, as a dataset folder PMO Lab reads."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_DATA, EXIT_OK, checked, format_findings, usage_error


@click.command("import", short_help="Turn MS Project, P6 XER or Jira CSV files into a PMO Lab dataset folder.")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(path_type=Path), help="New dataset folder to write.")
@click.option("--project-id", default=None, help="Project code, for one source file [default: the file's name].")
@click.option("--project-name", default=None, help="Project name, for one source file [default: the plan's title].")
@click.option("--portfolio", default="Imported", show_default=True, help="Portfolio the imported projects report to.")
@click.option(
    "--hours-per-day",
    default=8.0,
    show_default=True,
    type=click.FloatRange(min=1, max=24),
    help="Working hours in a day, when the file does not say (MS Project's MinutesPerDay wins).",
)
@click.option(
    "--baseline",
    default=0,
    show_default=True,
    type=click.IntRange(0, 10),
    help="Which MS Project baseline gives the baseline dates and cost (a plan without it uses its scheduled dates).",
)
@click.option("--status-percent", "status_percent", multiple=True, metavar="STATUS=PERCENT",
              help="Jira: percent complete of a status (repeat); adds to the default mapping "
                   "(to do 0, in progress 50, in review 75, done 100).")  # fmt: skip
@click.option("--sprint", "sprints", multiple=True, metavar="NAME=YYYY-MM-DD",
              help="Jira: the first day of a sprint (repeat); its issues get baseline dates.")  # fmt: skip
@click.option("--sprint-weeks", default=2, show_default=True, type=click.IntRange(1, 8), help="Jira: sprint length.")
@click.option("--points-per-day", default=1.0, show_default=True, type=click.FloatRange(min=0.01),
              help="Jira: story points per working day, for an issue without an original estimate.")  # fmt: skip
@click.option("--jira-role", default="team member", show_default=True, help="Jira: the role of the assignees.")
@click.option("--max-per-kind", default=5, show_default=True, help="Findings shown per kind of problem.")
def import_(
    sources,
    out: Path,
    project_id,
    project_name,
    portfolio,
    hours_per_day,
    baseline,
    status_percent,
    sprints,
    sprint_weeks,
    points_per_day,
    jira_role,
    max_per_kind,
) -> None:
    """Import SOURCES (MS Project .xml, P6 .xer, Jira .csv, or folders of them) into a new dataset folder.

    Prints what was mapped and what was dropped (element, count, why). On bad input prints every
    finding, naming the file and the element, writes nothing and exits 1.
    """
    import pandas as pd

    from ..importers import Options, is_source, write_dataset

    for source in sources:
        if not source.exists():
            usage_error("import", f"no file or folder at {source}")
        if not is_source(source):
            usage_error(
                "import",
                f"{source} is not an MS Project XML (.xml), P6 XER (.xer) or Jira CSV file, or a folder of them",
            )
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        usage_error("import", f"--out {out} already exists and is not an empty folder; give a new folder")
    if (project_id or project_name) and (len(sources) > 1 or sources[0].is_dir()):
        usage_error("import", "--project-id and --project-name are for a single source file")
    from ..importers.mapping import DEFAULT_STATUS_PERCENT

    statuses = dict(DEFAULT_STATUS_PERCENT)
    for pair in status_percent:
        name, _, value = pair.rpartition("=")
        try:
            statuses[name.strip().lower()] = float(value)
        except ValueError:
            usage_error("import", f"--status-percent {pair!r}: give STATUS=PERCENT, e.g. 'In review=75'")
    starts = {}
    for pair in sprints:
        name, _, day = pair.rpartition("=")
        try:
            starts[name.strip()] = pd.Timestamp(day).strftime("%Y-%m-%d")
        except ValueError:
            usage_error("import", f"--sprint {pair!r}: give NAME=YYYY-MM-DD, e.g. 'Sprint 3=2026-04-27'")
    options = Options(
        project_id,
        project_name,
        portfolio,
        hours_per_day,
        baseline,
        statuses,
        points_per_day,
        starts,
        sprint_weeks,
        jira_role,
    )
    result = checked("import", list(sources) if len(sources) > 1 else sources[0], options)
    report = result.imported.report() if result.imported is not None else None
    if report is not None and len(report):
        click.echo("What was mapped:")
        click.echo(report.to_string(index=False))
        click.echo("")
    if not result.ok:
        click.echo(format_findings(result, max_per_kind), err=True)
        click.echo(f"pmo import: nothing written to {out}", err=True)
        sys.exit(EXIT_DATA)
    written = write_dataset(result.portfolio, out)
    for f in result.findings:
        if f.severity == "warning":
            click.echo(f"warning: {f.file}: {f.problem}")
    portfolio_ = result.portfolio
    click.echo(
        f"Wrote {len(written)} tables to {out}: {len(portfolio_.projects)} project(s), "
        f"{len(portfolio_.tasks)} tasks, {len(portfolio_.dependencies)} links, {len(portfolio_.resources)} people."
    )
    sys.exit(EXIT_OK)
