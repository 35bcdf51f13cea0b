"""Packaging: pyproject and environment.yml agree; the package imports light; CI runs make test."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

import pmo_lib as pmo

ROOT = Path(__file__).resolve().parents[1]  # the checkout
CONDA_NAMES = {"pyyaml": "pyyaml", "duckdb": "python-duckdb"}  # pip name -> conda-forge name where they differ
SYSTEM = {"openjdk": ">=17"}  # runtimes pip cannot install (Debian: default-jre-headless, which .ci/run installs)


def _split(requirement: str) -> tuple[str, str]:
    name, bound = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", requirement.strip()).groups()
    return name.lower().replace("_", "-"), bound.replace(" ", "")


def test_environment_yml_names_the_same_packages_and_bounds_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_split(d) for d in env["dependencies"] if isinstance(d, str) and _split(d)[0] not in ("python", "pip"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda |= dict(_split(d) for d in pip if not d.startswith("-"))
    assert {CONDA_NAMES.get(k, k): v for k, v in wanted.items()} | SYSTEM == conda
    assert "conda-forge" in env["channels"]
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.replace(" ", "") == "python" + project["requires-python"]


def test_every_dependency_has_a_lower_bound():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for req in project["dependencies"] + project["optional-dependencies"]["dev"]:
        assert ">=" in req, f"{req} needs a lower bound"


def test_import_is_light():
    code = "import sys, pmo_lib; print(sorted(m for m in ('pandas', 'pandera', 'pyarrow', 'papermill') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_lazy_names_resolve():
    assert callable(pmo.load_portfolio) and callable(pmo.validate)
    assert issubclass(pmo.DataError, pmo.PMOError)


def test_console_script_and_ci_entry_point():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["pmo"] == "pmo_lib.cli:main"
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_makefile_reinstalls_when_pyproject_changes():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^\$\(STAMP\): pyproject.toml", makefile, re.M)
    for target in ("report:", "test:", "lab:", "notebooks:", "bench:"):
        assert re.search(rf"^{target}", makefile, re.M)
