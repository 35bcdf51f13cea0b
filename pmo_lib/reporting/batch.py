"""``pmo report``: run the monthly report notebook for one or more portfolios and publish the files.

Parameters are checked before the notebook runs (the data loads, the month
lies within the data, the portfolio exists; a single report's kernel is
already starting meanwhile); each portfolio's report runs in its own process
through papermill; every file is written to a temporary name and moved into
place only when its run succeeded, so a failed run leaves the previous good
report where it was, keeps the failed executed notebook beside an error file
naming the failing cell, and the command exits non-zero.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..bundled import notebooks_dir
from ..errors import PMOError
from ..files import publish, slug
from .month import months_in
from .publish import index_page

FORMATS = ("html", "xlsx", "ipynb")
ALL = "all"
# what the report notebook's kernel imports while this process loads papermill (see runner.start_kernel): every
# module the report loads on the way, lazily imported ones too (pandera's backends, PIL's plugins), so that
# none is left for the cells (tests/test_report_cli.py checks it)
WARM_UP = (
    "import pmo_lib.data, pmo_lib.importers, pmo_lib.reporting.sections, pmo_lib.reporting.charts, pmo_lib.reporting.tables, "
    "pmo_lib.reporting.publish, pmo_lib.standards, pmo_lib.evm, "
    "pmo_lib.schedule_risk, pmo_lib.finance, pmo_lib.risk, pmo_lib.resources, pmo_lib.export, pmo_lib.calendar; "
    "import pandera.backends.pandas.register, pandera.backends.pandas.builtin_checks, "
    "pandera.backends.pandas.builtin_hypotheses, pandera._pandas_deprecated, pandera.api.geopandas.container, "
    "pandera.accessors.pandas_accessor, pandera.backends.register_checks, pandas.core.reshape.reshape, "
    "pyarrow.pandas_compat, pyarrow.vendored.version, yaml, encodings.utf_8_sig; "
    "import matplotlib.figure, matplotlib.backends.backend_agg, matplotlib.font_manager, PIL.PngImagePlugin, "
    "PIL.BmpImagePlugin, PIL.GifImagePlugin, PIL.JpegImagePlugin, PIL.PpmImagePlugin, openpyxl, "
    "openpyxl.packaging.extended; "
    "import pmo_lib.bundled, importlib.readers, importlib.resources.readers, importlib.resources._itertools"
)


@dataclass
class Outcome:
    name: str
    written: list[Path]
    error: str | None = None


def check_request(portfolio, month: str, names: list[str]) -> None:
    """One-line errors, listing the valid values, for a month outside the data or an unknown portfolio."""
    from .month import portfolios

    valid = months_in(portfolio)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise PMOError(f"--month {month!r} is not a month in the form YYYY-MM")
    if month not in valid:
        raise PMOError(f"month {month} is outside the data; months run from {valid[0]} to {valid[-1]}")
    known = portfolios(portfolio)
    unknown = [n for n in names if n != ALL and n not in known]
    if unknown:
        raise PMOError(f"unknown portfolio {', '.join(map(repr, unknown))}; the data has: {', '.join(known)}")


def run_one(name: str, month: str, data: str, out_dir: str, formats: tuple[str, ...], extra: dict, km=None) -> Outcome:
    """Run the report notebook for one portfolio (in a worker process) and publish its files.

    ``km``: a kernel already started for it (see :func:`pmo_lib.reporting.runner.kernel`); by default one is started here.
    """
    from .runner import NotebookRunError, run_notebook

    out = Path(out_dir)
    stem = slug(name)
    parameters = {"month": month, "portfolio": name, "data": data, **extra}
    tmp_xlsx = None
    if "xlsx" in formats:
        fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".xlsx", dir=out)
        os.close(fd)
        tmp_xlsx = Path(tmp)
        parameters["xlsx"] = str(tmp_xlsx)
    try:
        written = run_notebook(
            notebooks_dir() / "monthly_report.ipynb",
            out,
            parameters,
            stem=stem,
            formats=tuple(f for f in formats if f != "xlsx"),
            warm_up=WARM_UP,
            km=km,
        )
        if tmp_xlsx is not None:
            target = out / f"{stem}.xlsx"
            publish(tmp_xlsx, target)
            written.append(target)
        return Outcome(name, written)
    except NotebookRunError as exc:
        return Outcome(name, [], str(exc))
    finally:
        if tmp_xlsx is not None:
            tmp_xlsx.unlink(missing_ok=True)


def _own_process_group() -> None:
    if hasattr(os, "setsid"):
        with contextlib.suppress(OSError):  # already a group leader
            os.setsid()


def run_reports(
    names: list[str],
    month: str,
    data: Path,
    out_root: Path,
    formats: tuple[str, ...] = FORMATS,
    extra: dict | None = None,
    jobs: int | None = None,
    progress=None,
    km=None,
) -> tuple[list[Outcome], Path | None]:
    """Run the report for each name (in parallel processes when more than one); returns outcomes and the index.

    ``km``: a kernel already started for a single report.
    """
    out_dir = Path(out_root) / month
    out_dir.mkdir(parents=True, exist_ok=True)
    args = (month, str(Path(data).resolve()), str(out_dir), tuple(formats), dict(extra or {}))
    outcomes: list[Outcome] = []
    if len(names) == 1:
        outcomes.append(run_one(names[0], *args, km=km))
        if progress:
            progress(outcomes[-1])
    else:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(names)))
        # each worker in its own process group: a kernel's shutdown signal must not reach another report's kernel
        with ProcessPoolExecutor(max_workers=workers, initializer=_own_process_group) as pool:
            futures = [pool.submit(run_one, name, *args) for name in names]
            for future in as_completed(futures):
                outcomes.append(future.result())
                if progress:
                    progress(outcomes[-1])
    index = index_page(month, outcomes, out_dir, ALL) if len(names) > 1 else None
    return outcomes, index


__all__ = ["ALL", "FORMATS", "WARM_UP", "Outcome", "check_request", "months_in", "run_one", "run_reports"]
