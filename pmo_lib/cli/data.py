"""``pmo validate`` (check a dataset, list every problem) and ``pmo synth`` (make a fictional one)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from .common import EXIT_DATA, EXIT_OK, checked, dataset, format_findings, usage_error


@click.command(short_help="Check a dataset and list every problem.")
@click.argument("path", type=click.Path(path_type=Path), required=False)
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
    """Check a dataset (folder of CSVs, .xlsx workbook or MS Project XML; default: the sample) and list every problem."""
    path = dataset(path)
    result = checked("validate", path)
    if fmt == "text":
        click.echo(format_findings(result, max_per_kind))
    elif fmt == "csv":
        click.echo(result.findings_frame().to_csv(index=False), nl=False)
    else:
        click.echo(result.findings_frame().to_json(orient="records", indent=1))
    sys.exit(EXIT_OK if result.ok else EXIT_DATA)


@click.command(short_help="Generate a fictional portfolio dataset.")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--projects", default=24, show_default=True, help="Number of projects.")
@click.option("--resources", default=None, type=int, help="Number of people [default: 60, or 3 per 4 projects].")
@click.option("--min-tasks", default=15, show_default=True, help="Fewest tasks per project.")
@click.option("--max-tasks", default=60, show_default=True, help="Most tasks per project.")
@click.option("--seed", default=20261031, show_default=True, help="Random seed; the same seed gives the same data.")
@click.option("--as-of", default="2026-10-31", show_default=True, help="Status date of the dataset (YYYY-MM-DD).")
@click.option("--max-people", default=2, show_default=True, help="Most people booked on one task.")
@click.option("--proposals", default=40, show_default=True, help="Proposals waiting in the demand intake.")
def synth(
    out: Path,
    projects: int,
    resources,
    min_tasks: int,
    max_tasks: int,
    seed: int,
    as_of: str,
    max_people: int,
    proposals: int,
) -> None:
    """Generate a fictional portfolio dataset (the sample, or a large one for benchmarks)."""
    from .. import synth as gen

    if projects < 1 or min_tasks < 3 or max_tasks < min_tasks or max_people < 1 or proposals < 0:
        usage_error(
            "synth", "need --projects >= 1, 3 <= --min-tasks <= --max-tasks, --max-people >= 1 and --proposals >= 0"
        )
    try:
        date.fromisoformat(as_of)
    except ValueError:
        usage_error("synth", f"--as-of {as_of!r} is not a date in the form YYYY-MM-DD")
    if resources is None:
        resources = max(60, projects * 3 // 4)
    if resources < 20:
        usage_error("synth", "need --resources >= 20 so every role is staffed")
    shape = gen.Shape(
        projects,
        resources,
        min_tasks,
        max_tasks,
        seed,
        date.fromisoformat(as_of).isoformat(),
        max_people,
        proposals=proposals,
    )
    tables = gen.generate(shape)
    written = gen.write(tables, out)
    rows = sum(len(t) for t in tables.values())
    click.echo(f"Wrote {len(written)} tables ({rows:,} rows) to {out}")
