"""The files that ship with PMO Lab, found where the package is, never from the working folder.

An installed PMO Lab (``pip install pmo-lab``, a wheel) carries them as package data in
``pmo_lib/_bundle/``, laid out as in the repository: ``datasets/sample`` (the sample portfolio and
its scenarios), ``datasets/examples`` (plans in MS Project, P6 and Jira form), ``standards`` (the default standard), ``notebooks`` (the report, what-if, tour,
standards and set-up notebooks the CLI runs) and ``exercises`` (the learner notebooks) and ``app`` (the pages `pmo app` serves). The build
copies them there (``setup.py``). In a checkout (an editable install, ``make setup``) there is no
``_bundle`` and the repository's own folders are used, so what a developer edits is what runs.

>>> (sample_data() / "projects.csv").is_file()
True
>>> (standards_dir() / "default.yaml").is_file()
True
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

#: The folders a build copies into the package, with the files of each that ship (``setup.py`` reads it).
CONTENTS = {
    "datasets/sample": ("*.csv", "scenarios/*.yaml"),
    "datasets/examples": ("*.xml", "*.xer", "*.csv"),
    "standards": ("*.yaml",),
    "notebooks": ("*.ipynb",),
    "exercises": ("*.ipynb", "README.md"),
    "app": ("*.ipynb",),
}


@cache
def root() -> Path:
    """The folder that holds ``datasets/``, ``standards/``, ``notebooks/`` and ``exercises/``."""
    packaged = files("pmo_lib") / "_bundle"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[1]  # a checkout: the repository itself


def is_installed() -> bool:
    """True when the files come from an installed package, not from a checkout."""
    return root().name == "_bundle"


def sample_data() -> Path:
    """The bundled sample dataset (24 projects, as of 2026-10-31, GBP; see :func:`pmo_lib.load_sample`)."""
    return root() / "datasets" / "sample"


def examples_dir() -> Path:
    """Small plans in the tools' own formats, to try the importers on: ``office_move.xml`` (MS Project),
    ``office_move.xer`` (Primavera P6) and ``jira_export.csv`` (Jira)."""
    return root() / "datasets" / "examples"


def app_dir() -> Path:
    """The app notebooks ``pmo app`` serves as web pages (planner, report library, data check, selection)."""
    return root() / "app"


def standards_dir() -> Path:
    """The folder of the standards PMO Lab ships (``default.yaml``)."""
    return root() / "standards"


def notebooks_dir() -> Path:
    """The folder of the notebooks the CLI runs (``monthly_report.ipynb``, ``resource_planning.ipynb``, ...)."""
    return root() / "notebooks"


def exercises_dir() -> Path:
    """The folder of the learner notebooks (``pmo exercises copy`` copies them from here)."""
    return root() / "exercises"


__all__ = [
    "CONTENTS",
    "examples_dir",
    "exercises_dir",
    "is_installed",
    "notebooks_dir",
    "root",
    "sample_data",
    "standards_dir",
]
