"""PMO Lab installed from its wheel, outside the repository, does an analyst's month on the bundled sample.

The wheel is built from a copy of the checkout's files (so the checkout gets no ``build/``) and
installed, not editable, into a fresh virtual environment in a temporary folder. The commands then
run from another temporary folder, so nothing can come from the repository or the working folder.

PMO Lab's dependencies are not downloaded again: a ``.pth`` line gives the fresh environment the
test environment's installed packages (not its ``pmo_lib``, which is an editable install that
``.pth`` lines do not start), and ``JUPYTER_PATH`` their Jupyter data (nbconvert's base templates).
Every ``pmo_lib`` file the commands use is the wheel's: a test checks where it was imported from.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from pmo_lib import bundled, load_sample, reporting

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "pmo_lib", *bundled.CONTENTS)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(pmo script, the fresh environment's python, a work folder outside the repository, its environment)."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    for name in SHIPPED:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "_bundle", "*.pyc"))
        else:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, source / name)
    wheels = base / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)], check=True)
    (wheel,) = wheels.glob("pmo_lab-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)], check=True)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "pmo_lab_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = base / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER"))}
    env |= {
        "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),
        "PMO_LAB_PROGRESS": str(base / "progress.json"),
        "HOME": str(base),
    }
    return venv / "bin" / "pmo", python, work, env


def _run(installed, *args, code=0):
    pmo, _, work, env = installed
    done = subprocess.run([str(pmo), *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == code, f"pmo {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return done


def test_the_installed_package_is_the_wheel_with_its_bundle(installed):
    _, python, work, env = installed
    code = (
        "import pmo_lib, pmo_lib.bundled as b; print(pmo_lib.__file__); print(b.is_installed()); print(b.sample_data())"
    )
    out = subprocess.run([str(python), "-c", code], cwd=work, env=env, capture_output=True, text=True, check=True)
    where, flag, sample = out.stdout.split("\n")[:3]
    assert not Path(where).resolve().is_relative_to(ROOT)
    assert "site-packages" in where and flag == "True"
    assert (Path(sample) / "projects.csv").is_file() and Path(sample).is_relative_to(Path(where).parent)


def test_validate_and_check_run_on_the_bundled_sample_from_any_folder(installed):
    done = _run(installed, "validate")
    assert "0 error(s), 0 warning(s)" in done.stdout
    assert "_bundle/datasets/sample" in done.stdout
    checked = _run(installed, "check", code=1)  # the sample breaks some rules on purpose, as in the checkout
    assert checked.stdout.startswith("Standard: ") and "_bundle/standards/default.yaml" in checked.stdout
    assert "Compliance: " in checked.stdout


def test_the_bundled_example_plans_import_from_any_folder(installed):
    _, python, work, env = installed
    code = "import pmo_lib.bundled as b; print(b.examples_dir())"
    out = subprocess.run([str(python), "-c", code], cwd=work, env=env, capture_output=True, text=True, check=True)
    examples = Path(out.stdout.strip())
    assert "_bundle" in str(examples)
    for name in ("office_move.xml", "office_move.xer", "jira_export.csv"):
        done = _run(installed, "validate", str(examples / name))
        assert "0 error(s)" in done.stdout, name


def test_the_monthly_report_has_the_same_numbers_as_the_checkout(installed):
    *_, work, _ = installed
    done = _run(installed, "report", "--month", "2026-10", "--portfolio", "Digital Services")
    folder = work / "reports" / "2026-10"  # under the current folder
    assert f"Wrote {Path('reports/2026-10/digital-services.html')}" in done.stdout
    page = (folder / "digital-services.html").read_text(encoding="utf-8")
    assert "Executive summary" in page and "Digital Services" in page
    sheet = openpyxl.load_workbook(folder / "digital-services.xlsx", read_only=True)["Portfolio"]
    rows = list(sheet.values)
    got = pd.DataFrame(rows[1:], columns=rows[0])
    want = reporting.build(load_sample(), "2026-10", name="Digital Services")["portfolio"]
    assert list(got.columns) == list(want.columns) and len(got) == len(want) > 0
    assert got["Project"].tolist() == want["Project"].tolist()
    for column in ("SPI", "CPI", "EAC"):
        np.testing.assert_allclose(got[column].astype(float), want[column].astype(float), rtol=1e-9, equal_nan=True)
    assert got["Computed RAG"].fillna("").tolist() == want["Computed RAG"].fillna("").astype(str).tolist()


def test_a_bundled_scenario_runs_by_name(installed):
    *_, work, _ = installed
    done = _run(installed, "whatif", "delay-customer-portal", "--weeks", "12")
    assert "Delay Customer Portal" in done.stdout and "Peak team utilisation" in done.stdout
    assert (work / "reports" / "whatif" / "delay-customer-portal.html").is_file()
    missing = _run(installed, "whatif", "no-such-scenario", code=2)
    assert "delay-customer-portal, hire-two-developers, stop-payroll-migration" in missing.stderr


def test_the_exercises_are_listed_and_copied_for_a_learner(installed):
    *_, work, _ = installed
    listed = _run(installed, "exercises", "list")
    assert len(listed.stdout.strip().splitlines()) == 10 and "Capstone" in listed.stdout and "Demand" in listed.stdout
    _run(installed, "exercises", "copy", "my-exercises")
    copied = sorted(p.name for p in (work / "my-exercises").iterdir())
    assert copied == sorted([*(p.name for p in (ROOT / "exercises").glob("*.ipynb")), "README.md"])
    text = (work / "my-exercises" / "04_earned_value.ipynb").read_text(encoding="utf-8")
    assert "_bundle/datasets/sample" in text and "../datasets/sample" not in text
