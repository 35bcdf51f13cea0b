"""Notebooks: real papermill runs with other parameters, clean failures, and stored outputs fit for nbval."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import FIXTURES

import pmo_lib as pmo
from pmo_lib.bundled import notebooks_dir
from pmo_lib.errors import PMOError
from pmo_lib.notebook_refresh import all_notebooks
from pmo_lib.reporting.runner import NotebookRunError, check_parameters, notebook_parameters, run_notebook

NOTEBOOKS = notebooks_dir()

TOUR = NOTEBOOKS / "00_tour.ipynb"


@pytest.mark.parametrize("path", all_notebooks(), ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_and_no_run_noise(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "papermill" not in nb.metadata
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "not executed: run `make notebooks`"
    assert code[-1].outputs, "stored outputs missing: run `make notebooks`"
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)
    for cell in code:
        assert "papermill" not in cell.metadata and "execution" not in cell.metadata


def test_tour_declares_its_data_parameter_with_a_default_that_runs_the_sample():
    params = notebook_parameters(TOUR)
    assert json.loads(params["data"]) == "../datasets/sample"
    assert (TOUR.parent / json.loads(params["data"])).resolve() == pmo.SAMPLE_DATA.resolve()


@pytest.mark.notebook
def test_tour_runs_through_papermill_on_other_data(tmp_path):
    written = run_notebook(TOUR, tmp_path, {"data": str(FIXTURES / "mini")}, stem="mini")
    assert {p.name for p in written} == {"mini.html", "mini.ipynb"}
    nb = nbformat.read(tmp_path / "mini.ipynb", as_version=4)
    text = "".join(
        o.get("text", "") + json.dumps(o.get("data", {})) for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    assert "0 error(s)" in text and "the data is ready to use" in text
    assert "Depot Scanner Rollout" in text  # a project of the mini dataset, not the sample
    assert "Customer Portal" not in text
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


def test_unknown_parameter_is_refused_before_any_kernel_starts():
    with pytest.raises(PMOError, match="has no parameter"):
        check_parameters(TOUR, {"data": "x", "__import__('os')": 1})


def test_non_json_parameter_value_is_refused():
    with pytest.raises(PMOError, match="must be text"):
        check_parameters(TOUR, {"data": object()})


@pytest.mark.notebook
def test_failed_run_keeps_last_good_output_and_names_the_cell(tmp_path):
    run_notebook(TOUR, tmp_path, {"data": str(FIXTURES / "mini")}, stem="tour")
    good = (tmp_path / "tour.html").read_bytes()
    with pytest.raises(NotebookRunError) as info:
        run_notebook(TOUR, tmp_path, {"data": str(FIXTURES / "broken" / "cycle")}, stem="tour")
    assert "failed in cell" in str(info.value)
    assert (tmp_path / "tour.html").read_bytes() == good  # the last good report is untouched
    assert info.value.failed_notebook.exists()
    error = info.value.error_file.read_text()
    assert "DataError" in error and "dependency loop in project P001" in error
    assert not list(tmp_path.glob(".tour.*"))  # no temporary files left behind


@pytest.mark.notebook
def test_exported_html_opens_offline_and_is_readable_by_others(tmp_path):
    run_notebook(TOUR, tmp_path, {"data": str(FIXTURES / "mini")}, stem="tour")
    html = (tmp_path / "tour.html").read_text()
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html), "the report loads something online"
    assert "<style" in html  # styles are embedded
    for name in ("tour.html", "tour.ipynb"):  # group/others may read them (not mkstemp's 0600)
        assert (tmp_path / name).stat().st_mode & 0o044
