"""``pmo import``: a PMO's own files (MS Project XML, Primavera P6 XER) in, as a dataset folder PMO Lab reads."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_DATA, EXIT_OK, checked, format_findings, usage_error


@click.command("import", short_help="Turn MS Project XML or P6 XER files into a PMO Lab dataset folder.")
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
@click.option("--max-per-kind", default=5, show_default=True, help="Findings shown per kind of problem.")
def import_(sources, out: Path, project_id, project_name, portfolio, hours_per_day, baseline, max_per_kind) -> None:
    """Import SOURCES (MS Project .xml, P6 .xer, or folders of them) into a new dataset folder.

    Prints what was mapped and what was dropped (element, count, why). On bad input prints every
    finding, naming the file and the element, writes nothing and exits 1.
    """
    from ..importers import Options, is_source, write_dataset

    for source in sources:
        if not source.exists():
            usage_error("import", f"no file or folder at {source}")
        if not is_source(source):
            usage_error(
                "import", f"{source} is not an MS Project XML (.xml) or P6 XER (.xer) file, or a folder of them"
            )
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        usage_error("import", f"--out {out} already exists and is not an empty folder; give a new folder")
    if (project_id or project_name) and (len(sources) > 1 or sources[0].is_dir()):
        usage_error("import", "--project-id and --project-name are for a single source file")
    options = Options(project_id, project_name, portfolio, hours_per_day, baseline)
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
