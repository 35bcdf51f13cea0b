"""The PMO set-up notebook writes a standard that pmo check accepts, shaped by its parameters."""

from __future__ import annotations

import pytest
import yaml

from pmo_lib.bundled import notebooks_dir
from pmo_lib.reporting.runner import run_notebook

NOTEBOOKS = notebooks_dir()

pytestmark = pytest.mark.notebook


def test_setup_notebook_writes_a_standard_pmo_check_accepts(tmp_path, pmo):
    out = tmp_path / "acme.yaml"
    parameters = {
        "organisation": "Acme",
        "pmo_type": "supportive",
        "cpi_red": 0.8,
        "timesheets": False,
        "out": str(out),
    }
    run_notebook(NOTEBOOKS / "pmo_setup.ipynb", tmp_path, parameters, formats=("ipynb",))
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert written["extends"] == "default" and written["standard"] == "Acme PMO standard"
    assert written["tolerances"]["cpi"] == {"amber": 0.95, "red": 0.8}
    assert {"id": "TIME-01", "enabled": False} in written["rules"]
    result = pmo("check", "datasets/sample", "--standard", str(out))
    assert result.returncode == 0, result.stdout[-2000:]  # a supportive office: every breach is a warning
    assert "Standard: Acme PMO standard" in result.stdout and "Result: 0 error(s)" in result.stdout
