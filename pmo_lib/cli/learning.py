"""``pmo exercises`` (the onboarding path: list, progress, export, a fresh copy) and ``pmo tour``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_DATA, data_option, dataset, usage_error


@click.group(short_help="The onboarding exercises: the path, and who has passed what.")
def exercises() -> None:
    """The onboarding exercises in exercises/: list them, see a learner's progress, export everyone's."""


@exercises.command("list")
def exercises_list() -> None:
    """The numbered path, with the time each exercise takes."""
    from ..exercises import PATH, tasks_of

    for number, title, minutes in PATH:
        click.echo(f"{number:>2}. {title:<42} {minutes:>3} min  {len(tasks_of(number))} task(s)")


@exercises.command("status")
@click.option("--learner", default=None, help="Whose progress [default: you].")
def exercises_status(learner) -> None:
    """Tasks passed per exercise, for one learner (recorded by the checks on this machine)."""
    from ..exercises import status

    table = status(learner)
    for row in table.itertuples():
        mark = "done" if row.passed == row.tasks and row.tasks else f"{row.passed}/{row.tasks}"
        click.echo(f"{row.exercise:>2}. {row.title:<42} {mark}")
    click.echo(f"{int(table['passed'].sum())} of {int(table['tasks'].sum())} tasks passed.")


@exercises.command("export")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="CSV file to write.")
def exercises_export(out: Path) -> None:
    """Everyone's progress on this machine as CSV (learner, task, passed, attempts, last attempt)."""
    from ..exercises import export_progress
    from ..export import write_csv

    table = export_progress()
    write_csv(table, out)
    click.echo(f"Wrote {len(table)} rows for {table['learner'].nunique()} learner(s) to {out}")


@exercises.command("copy")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite notebooks already in FOLDER (your answers in them are lost).")
def exercises_copy(folder: Path, force: bool) -> None:
    """Put a fresh copy of the learner notebooks in FOLDER, set to run on the bundled sample.

    Notebooks already in FOLDER are your work and are kept, unless --force.
    """
    from ..exercises.workspace import copy_notebooks

    done = copy_notebooks(folder, force=force)
    for path in done.written:
        click.echo(f"Wrote {path}")
    for path in done.kept:
        click.echo(f"Kept {path} (yours; --force replaces it)")
    click.echo(f"Open {folder} in JupyterLab (jupyter lab {folder}) and start with 01_what_a_pmo_does.ipynb.")


@click.command(short_help="Run the tour notebook on a dataset.")
@data_option
@click.option("--out", default="reports/tour", show_default=True, type=click.Path(path_type=Path))
def tour(data: Path, out: Path) -> None:
    """Run the tour notebook on a dataset and save it as HTML and .ipynb."""
    from ..bundled import notebooks_dir
    from ..errors import PMOError
    from ..reporting.runner import run_notebook, skip_iri_format_checks

    skip_iri_format_checks()
    data = dataset(data)
    if not data.exists():
        usage_error("tour", f"no dataset at {data}")
    try:
        written = run_notebook(notebooks_dir() / "00_tour.ipynb", out, {"data": str(data.resolve())}, stem="tour")
    except PMOError as exc:
        click.echo(f"pmo tour: {exc}", err=True)
        sys.exit(EXIT_DATA)
    for path in written:
        click.echo(f"Wrote {path}")
