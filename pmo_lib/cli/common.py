"""What every ``pmo`` command shares: exit codes, the usage error, the dataset it works on, the request
checks made before any work, and writing a result table.

Exit codes: 0 success, 1 bad data (or a failed run), 2 usage error.
Bad data never shows a Python traceback; it shows findings.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
SAMPLE_HELP = "the sample dataset that ships with PMO Lab"


def usage_error(command: str, message: str) -> None:
    click.echo(f"pmo {command}: {message}", err=True)
    sys.exit(EXIT_USAGE)


def dataset(path: Path | None) -> Path:
    """The dataset a command works on: the one given, or the bundled sample (found wherever PMO Lab is installed)."""
    if path is not None:
        return path
    from ..bundled import sample_data

    return sample_data()


def data_argument(fn):
    """The optional DATA argument of the analysis commands (default: the bundled sample)."""
    return click.argument("data", type=click.Path(path_type=Path), required=False)(fn)


def data_option(fn):
    """The ``--data`` option of the commands that run notebooks (default: the bundled sample)."""
    return click.option(
        "--data",
        type=click.Path(path_type=Path),
        default=None,
        help=f"Dataset folder (CSV files), .xlsx workbook, MS Project XML or P6 XER [default: {SAMPLE_HELP}].",
    )(fn)


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


DATA_FORMS = "a folder of CSV files, an .xlsx workbook, MS Project XML or Primavera P6 XER (a file or a folder of them)"


def checked(command: str, path: Path, options=None):
    """The validation of any data PMO Lab reads; a path that is none of them is a usage error (exit 2)."""
    from ..importers import validate as run_validation

    if not path.exists():
        usage_error(command, f"no dataset at {path} (expected {DATA_FORMS})")
    try:
        return run_validation(path, options)
    except ValueError as exc:
        usage_error(command, f"{exc} (expected {DATA_FORMS})")


def load_or_exit(command: str, path: Path):
    """Load a dataset for a command (default: the bundled sample); bad data prints its findings and exits 1."""
    path = dataset(path)
    result = checked(command, path)
    if not result.ok:
        click.echo(format_findings(result), err=True)
        sys.exit(EXIT_DATA)
    return result.portfolio


def emit(table, fmt: str, out: Path | None, *, sheet: str, noun: str) -> None:
    """Print a result table, or write it atomically as text, CSV or a formatted workbook."""
    from ..export import neutralise, write_csv, write_xlsx
    from ..files import atomic_open

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


def open_request(command: str, data: Path, fmt: str, out: Path | None, as_of, projects=()):
    """The checks every analysis command makes before it works, then the loaded data (or an exit)."""
    if fmt == "xlsx" and out is None:
        usage_error(command, "--format xlsx needs --out FILE.xlsx")
    check_date(command, "--as-of", as_of)
    portfolio = load_or_exit(command, data)
    check_projects(command, portfolio, projects)
    return portfolio


def check_date(command: str, option: str, value: str | None) -> None:
    if value is None:
        return
    try:
        date.fromisoformat(value)
    except ValueError:
        usage_error(command, f"{option} {value!r} is not a date in the form YYYY-MM-DD")


def check_projects(command: str, portfolio, projects) -> None:
    known = set(portfolio.projects["project_id"])
    unknown = [p for p in projects if p not in known]
    if unknown:
        usage_error(command, f"unknown project {', '.join(unknown)}; projects are: {', '.join(sorted(known))}")


def is_month(text: str) -> bool:
    try:
        date.fromisoformat(f"{text}-01")
    except ValueError:
        return False
    return len(text) == 7


def say_or_write(text: str, out: Path | None, what: str) -> None:
    """Print ``text``, or write it atomically to ``out`` and say so."""
    if out is None:
        click.echo(text)
        return
    from ..files import atomic_open

    with atomic_open(out, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    click.echo(f"Wrote {what} to {out}")
