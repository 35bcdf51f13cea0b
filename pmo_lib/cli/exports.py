"""``pmo export``: a schedule (the plan, a what-if scenario or a levelled plan) back to MS Project, or to Excel."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_OK, data_argument, dataset, load_or_exit, usage_error
from .planning import scenario_path


@click.command(short_help="Write a schedule as MS Project XML (one file per project) or Excel.")
@data_argument
@click.option("--to", "fmt", type=click.Choice(["mspdi", "xlsx"]), default="mspdi", show_default=True,
              help="mspdi: MS Project XML that MS Project, ProjectLibre and MPXJ open; xlsx: the dates as a workbook.")  # fmt: skip
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="FILE.xml for one project, a new folder for several (one PROJECT.xml each), or FILE.xlsx.")  # fmt: skip
@click.option("--project", "projects", multiple=True, help="Only this project (repeat for more) [default: all].")
@click.option("--scenario", default=None, help="A what-if scenario file (or the name of one kept with the data).")
@click.option("--level", is_flag=True, help="Level the plan against each person's capacity first (from the data date).")
@click.option(
    "--as-of", default=None, help="Status date YYYY-MM-DD: remaining work from it [default: the plan as held]."
)
@click.option("--hours-per-day", default=8.0, show_default=True, type=click.FloatRange(min=1, max=24),
              help="Working hours in a day, for durations and lags in the file.")  # fmt: skip
def export(data, fmt, out: Path, projects, scenario, level: bool, as_of, hours_per_day: float) -> None:
    """Write the schedule of DATA (default: the sample) for a scheduling tool or Excel.

    The dates PMO Lab works out (with --scenario and --level as asked) are the scheduled dates;
    the dataset's baseline is baseline 0. A task moved later than its links would put it gets a
    start-no-earlier-than constraint, so MS Project keeps the date when it reschedules.
    """
    import pandas as pd

    from ..errors import PMOError
    from ..exporters import plan_dates
    from ..scenarios import ScenarioError, load

    data = dataset(data)
    if as_of is not None:
        try:
            as_of = pd.Timestamp(as_of)
        except ValueError:
            usage_error("export", f"--as-of {as_of!r} is not a date in the form YYYY-MM-DD")
    if fmt == "xlsx" and out.suffix.lower() != ".xlsx":
        usage_error("export", "--to xlsx needs --out FILE.xlsx")
    portfolio = load_or_exit("export", data)
    known = portfolio.projects["project_id"].tolist()
    unknown = sorted(set(projects) - set(known))
    if unknown:
        usage_error("export", f"unknown project(s) {', '.join(unknown)}; the data has {', '.join(known[:20])}")
    wanted = list(projects) or known
    single = out.suffix.lower() == ".xml"
    if fmt == "mspdi" and single and len(wanted) > 1:
        usage_error("export", f"{len(wanted)} projects: give --out a new folder, or one --project for {out.name}")
    if fmt == "mspdi" and not single and out.exists() and (not out.is_dir() or any(out.iterdir())):
        usage_error("export", f"--out {out} already exists and is not an empty folder; give a new folder")
    try:
        chosen = None if scenario is None else load(scenario_path(Path(scenario), data), portfolio)
        dates, early = plan_dates(portfolio, as_of=as_of, scenario=chosen, level=level)
    except (ScenarioError, PMOError, ValueError) as exc:
        usage_error("export", str(exc))
    dates = dates[dates["project_id"].isin(wanted)]
    if fmt == "xlsx":
        from ..export import write_xlsx

        tasks = portfolio.tasks[["project_id", "task_id", "name", "baseline_start", "baseline_finish"]]
        table = dates.merge(tasks, on=["project_id", "task_id"], how="left")
        write_xlsx({"Schedule": table[["project_id", "task_id", "name", "start", "finish", "baseline_start",
                                       "baseline_finish"]]}, out)  # fmt: skip
        click.echo(f"Wrote {out}: {len(table)} tasks of {len(wanted)} project(s).")
        sys.exit(EXIT_OK)
    written = _write_plans(portfolio, wanted, dates, early, out, single, hours_per_day)
    click.echo(f"Wrote {len(written)} MS Project XML file(s) to {out}.")
    sys.exit(EXIT_OK)


def _write_plans(portfolio, wanted, dates, early, out: Path, single: bool, hours_per_day: float) -> list[Path]:
    """One file per project; a folder is written beside its place and moved in whole, so none is half-written."""
    from ..exporters.mspdi import write
    from ..files import atomic_folder

    def one(project_id, target):
        return write(
            portfolio,
            project_id,
            dates[dates["project_id"] == project_id],
            target,
            early=early[early["project_id"] == project_id],
            hours_per_day=hours_per_day,
        )

    if single:
        out.parent.mkdir(parents=True, exist_ok=True)
        return [one(wanted[0], out)]
    with atomic_folder(out) as work:
        written = [one(project_id, work / f"{project_id}.xml") for project_id in wanted]
    return [out / p.name for p in written]


@click.command("export-template", short_help="Write the Excel intake workbook (empty, or holding a dataset).")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="Fill it with this dataset's tables (any form PMO Lab reads) [default: empty].")  # fmt: skip
def export_template(out: Path, data) -> None:
    """Write OUT.xlsx: one sheet per table with the data dictionary's headers, drop-down lists for fixed
    values, date formats and a Notes sheet. Filled in, it loads with `pmo validate OUT.xlsx` as it is.
    """
    from ..exporters.template import write

    if out.suffix.lower() != ".xlsx":
        usage_error("export-template", "give OUT as a file name ending in .xlsx")
    portfolio = None if data is None else load_or_exit("export-template", data)
    write(out, portfolio)
    filled = "empty" if portfolio is None else f"holding {len(portfolio.projects)} project(s)"
    click.echo(f"Wrote {out} ({filled}); fill it in and check it with: pmo validate {out}")
    sys.exit(EXIT_OK)
