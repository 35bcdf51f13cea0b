"""``pmo snapshot`` (record what the report says for a month, without rendering) and ``pmo history`` (read it back)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_DATA, EXIT_OK, data_argument, dataset, emit, load_or_exit, usage_error

STORE_HELP = "The history store (a DuckDB file) [default: reports/pmo.duckdb]."


@click.command(short_help="Record a month's report numbers in the history store (no report is rendered).")
@data_argument
@click.option("--month", "months", multiple=True, help="Month YYYY-MM (repeat for more).")
@click.option("--backfill", is_flag=True,
              help="Every month the data covers, each from the data as it stood at that month's end.")  # fmt: skip
@click.option("--before", default=None, metavar="YYYY-MM",
              help="With --backfill: only the months before this one (the report of that month records itself).")  # fmt: skip
@click.option("--portfolio", "portfolios", multiple=True, help="A portfolio by name (repeat) [default: all together].")
@click.option("--standard", "standard_file", type=click.Path(path_type=Path), default=None,
              help="Standard file whose tolerances rate the projects [default: the one PMO Lab ships].")  # fmt: skip
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None, help=STORE_HELP)
def snapshot(data, months, backfill: bool, before, portfolios, standard_file, store_path) -> None:
    """Record the report's numbers for each month into the store, one immutable snapshot per month and portfolio.

    A month recorded again is a new version; nothing already recorded changes. --backfill builds the
    history the data holds: each month from the data as it stood at that month's end (later
    timesheets, actuals, status updates and dates left out; see pmo_lib.store.backfill).
    """
    from .. import __version__
    from ..errors import PMOError, StandardError
    from ..reporting.batch import check_request, months_in
    from ..standards import loading
    from ..store import DEFAULT_STORE, provenance, record_months

    if bool(months) == backfill:
        usage_error("snapshot", "give --month YYYY-MM (repeat for more), or --backfill for every month of the data")
    if before and not backfill:
        usage_error("snapshot", "--before goes with --backfill")
    data = dataset(data)
    portfolio = load_or_exit("snapshot", data)
    wanted = months_in(portfolio) if backfill else list(months)
    if before:
        try:
            check_request(portfolio, before, [])
        except PMOError as exc:
            usage_error("snapshot", f"--before: {exc}")
        wanted = [m for m in wanted if m < before]
    names = list(portfolios) or ["all"]
    try:
        for month in wanted:
            check_request(portfolio, month, [n for n in names if n != "all"])
        standard = loading.load(standard_file)
    except (PMOError, StandardError) as exc:
        usage_error("snapshot", str(exc))
    parameters = {"standard": str(standard_file or ""), "portfolios": names, "backfill": backfill}
    origin = provenance(data, standard, parameters, __version__)
    store = store_path or DEFAULT_STORE
    try:
        record_months(store, portfolio, wanted, names=names, standard=standard, origin=origin, as_stood=backfill,
                      say=click.echo)  # fmt: skip
    except PMOError as exc:
        click.echo(f"pmo snapshot: {exc}", err=True)
        sys.exit(EXIT_DATA)
    sys.exit(EXIT_OK)


@click.command(short_help="List the recorded snapshots, or one project's months.")
@click.option("--project", default=None, help="One project's history, month by month.")
@click.option("--all-versions", is_flag=True, help="With --project: every recorded version, not only the last.")
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None, help=STORE_HELP)
@click.option("--verify", "verify_id", type=int, default=None, metavar="SNAPSHOT",
              help="Re-compute this snapshot from its recorded data and say whether it matches.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="table", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to this file (needed for xlsx).")
def history(project, all_versions: bool, store_path, verify_id, fmt: str, out) -> None:
    """Without --project: every snapshot (month, portfolio, version, when, data fingerprint). With it: the
    project's indicators and RAG per month, as they were reported."""
    from ..errors import StoreError
    from ..store import DEFAULT_STORE, snapshots
    from ..store import history as project_history

    if fmt == "xlsx" and out is None:
        usage_error("history", "--format xlsx needs --out FILE.xlsx")
    store = store_path or DEFAULT_STORE
    if verify_id is not None:
        from ..store import verify

        try:
            ok, message = verify(store, verify_id)
        except StoreError as exc:
            usage_error("history", str(exc))
        click.echo(message, err=not ok)
        sys.exit(EXIT_OK if ok else EXIT_DATA)
    try:
        if project is None:
            table = snapshots(store)[["snapshot_id", "month", "portfolio", "version", "recorded_at", "as_of",
                                      "data_fingerprint", "standard", "library_version"]]  # fmt: skip
            noun = "snapshots"
        else:
            table = project_history(store, project, latest=not all_versions)
            if table.empty:
                usage_error("history", f"no months recorded for project {project} in {store}")
            table = table[["month", "version", "project_id", "name", "pv", "ev", "ac", "spi", "cpi", "eac",
                           "forecast_finish", "p80", "reported_rag", "overall_rag"]]  # fmt: skip
            noun = "months"
    except StoreError as exc:
        usage_error("history", str(exc))
    table = table.assign(month=table["month"].dt.strftime("%Y-%m"))
    emit(table.round({"spi": 2, "cpi": 2, "pv": 0, "ev": 0, "ac": 0, "eac": 0}), fmt, out, sheet="History", noun=noun)
    sys.exit(EXIT_OK)
