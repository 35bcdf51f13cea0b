"""PMO Lab: portfolio data, standards, reporting and resource planning for a PMO.

``import pmo_lib as pmo`` is light: the modules load on first use, so the CLI
and notebooks start fast.

>>> import pmo_lib as pmo
>>> portfolio = pmo.load_portfolio(pmo.SAMPLE_DATA)
>>> len(portfolio.projects)
24
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    "load_portfolio": "pmo_lib.importers",  # a dataset, a workbook or an MS Project XML file
    "validate": "pmo_lib.importers",
    "Portfolio": "pmo_lib.data",
    "ValidationResult": "pmo_lib.data",
    "Finding": "pmo_lib.errors",
    "PMOError": "pmo_lib.errors",
    "DataError": "pmo_lib.errors",
    "load_sample": "pmo_lib.datasets",
    "TABLES": "pmo_lib.schemas",
    "WorkCalendars": "pmo_lib.calendar",
}
_PATHS = {"SAMPLE_DATA": "sample_data"}  # the bundled sample dataset folder, wherever PMO Lab is installed
_MODULES = {
    "calendar",
    "data",
    "schemas",
    "synth",
    "datasets",
    "errors",
    "files",
    "cli",
    "dictionary",
    "notebook_refresh",
    "bundled",
    "evm",
    "export",
    "finance",
    "graph",
    "reporting",
    "resources",
    "risk",
    "schedule",
    "schedule_risk",
    "standards",
    "scenarios",
    "leveling",
    "planner",
    "widgets",
}

__all__ = ["SAMPLE_DATA", "__version__", *_LAZY]


def __getattr__(name: str):
    if name in _PATHS:
        from . import bundled

        return getattr(bundled, _PATHS[name])()
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _MODULES:
        return importlib.import_module(f"pmo_lib.{name}")
    raise AttributeError(f"module 'pmo_lib' has no attribute {name!r}")


def __dir__():
    return sorted(__all__ + list(_MODULES))
