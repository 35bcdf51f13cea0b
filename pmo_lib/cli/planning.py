"""``pmo whatif``: the what-if report of a scenario file against today's plan."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_DATA, data_option, dataset, load_or_exit, usage_error


@click.command(short_help="What-if report of a scenario file against today's plan (HTML and notebook).")
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(path_type=Path))
@click.option("--compare", "others", multiple=True, type=click.Path(path_type=Path),
              help="Another scenario to compare side by side (repeat for more).")  # fmt: skip
@data_option
@click.option("--out", default="reports/whatif", show_default=True, type=click.Path(path_type=Path))
@click.option("--weeks", type=click.IntRange(1, 260), default=26, show_default=True, help="Planning window [weeks].")
@click.option("--currency", default="GBP", show_default=True)
@click.option("--level", is_flag=True, help="Also level tasks against each person's capacity (priority decides).")
def whatif(scenario_file: Path, others, data: Path, out: Path, weeks: int, currency: str, level: bool) -> None:
    """Run the what-if notebook (resource_planning.ipynb) on SCENARIO and write <out>/<scenario>.html and .ipynb.

    SCENARIO is a scenario file (YAML), or the name of one kept with the data
    in its scenarios/ folder (the sample has delay-customer-portal,
    hire-two-developers and stop-payroll-migration). Every scenario file is checked against the data before the notebook
    starts; a broken file lists each problem and exits 2. The key figures
    are printed too: the same numbers as the report and the planner.
    """
    from ..bundled import notebooks_dir
    from ..errors import PMOError
    from ..files import slug
    from ..planner import Planner, compare
    from ..reporting.runner import run_notebook, skip_iri_format_checks
    from ..scenarios import ScenarioError, load

    skip_iri_format_checks()

    data = dataset(data)
    scenario_file = scenario_path(scenario_file, data)
    others = [scenario_path(path, data) for path in others]
    portfolio = load_or_exit("whatif", data)
    try:
        chosen = load(scenario_file, portfolio)
        extra = [load(path, portfolio) for path in others]
        table = compare(Planner(portfolio, weeks=weeks), chosen, *extra, level=level)
    except (ScenarioError, ValueError) as exc:
        usage_error("whatif", str(exc))
    parameters = {
        "data": str(data.resolve()),
        "scenario": str(scenario_file.resolve()),
        "compare": [str(p.resolve()) for p in others],
        "horizon_weeks": weeks,
        "currency": currency,
        "level": level,
    }
    try:
        written = run_notebook(notebooks_dir() / "resource_planning.ipynb", out, parameters, stem=slug(chosen.name))
    except PMOError as exc:
        click.echo(f"pmo whatif: {exc}", err=True)
        sys.exit(EXIT_DATA)
    click.echo(_figures(table))
    for path in written:
        click.echo(f"Wrote {path}")


def scenario_path(given: Path, data: Path) -> Path:
    """A scenario file as given, or, for a bare name, the one of that name in the dataset's ``scenarios/`` folder.

    A path that does not exist is returned as it is: loading it then says so, and a bare name that
    matches nothing is told the names the data has.
    """
    if given.exists() or given.parent != Path(".") or given.suffix in (".yaml", ".yml"):
        return given
    folder = data / "scenarios" if data.is_dir() else data.parent / "scenarios"
    if (folder / f"{given.name}.yaml").is_file():
        return folder / f"{given.name}.yaml"
    known = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
    also = f"; the data's scenarios are: {', '.join(known)}" if known else ""
    usage_error("whatif", f"{given}: no such scenario file{also}")


def _figures(table) -> str:
    """The comparison's KPI rows as plain text for the terminal."""
    import pandas as pd

    from ..planner import KPI_LABELS, LEVELLED_KPI
    from ..widgets.render import cell_text

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
