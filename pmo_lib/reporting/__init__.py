"""The monthly portfolio report, from the data to the files: one package, data flowing one way.

    portfolio ──► month (the month's numbers) ──► sections.build (every table of the page)
              ──► tables, charts (laid out in notebooks/monthly_report.ipynb)
              ──► runner (papermill runs the notebook) ──► publish (HTML page, Excel workbook, index)
              ◄── batch (``pmo report``: checks the request, one run per portfolio, files moved into place)

Each part imports only the parts before it. The RAG rules and tolerances belong to the standard
(:mod:`pmo_lib.standards.tolerances`); this package measures what they rate.

The names below load on first use, so ``import pmo_lib.reporting`` is light:

>>> from pmo_lib import load_sample, reporting
>>> table = reporting.summary(load_sample(), "2026-10")
>>> int(table["overall_rag"].notna().sum())
17
"""

from __future__ import annotations

import importlib

_LAZY = {
    **dict.fromkeys(
        (
            "biggest_changes",
            "decisions_needed",
            "exceptions",
            "indicators",
            "milestones",
            "month_end",
            "month_over_month",
            "portfolios",
            "select",
            "status_date",
            "summary",
        ),
        "month",
    ),
    **dict.fromkeys(("PORTFOLIO_COLUMNS", "build"), "sections"),
    **dict.fromkeys(("NUMBER_FORMATS", "SHEETS", "workbook", "index_page"), "publish"),
    **dict.fromkeys(("NotebookRunError", "run_notebook"), "runner"),
    **dict.fromkeys(("ALL", "FORMATS", "check_request", "months_in", "run_reports"), "batch"),
}
_PARTS = {"month", "sections", "tables", "charts", "runner", "publish", "batch"}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    if name in _PARTS:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*__all__, *_PARTS])
