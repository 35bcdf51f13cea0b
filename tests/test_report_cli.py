"""pmo report end to end: real papermill runs on the sample, the files a reader gets, and the failure paths."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, run_pmo

from pmo_lib.files import slug
from pmo_lib.reporting.batch import run_reports

ROOT = Path(__file__).resolve().parents[1]  # the checkout
SAMPLE = ROOT / "datasets" / "sample"
SECTIONS = (
    "Executive summary",
    "The three biggest changes since last month",
    "Decisions needed",
    "Portfolio",
    "Exceptions",
    "Schedule",
    "Cost",
    "Risks, issues and changes",
    "Resources",
    "Data quality",
    "Compliance with the standard",
    "About this report",
)
pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def p001():
    from pmo_lib import load_sample, reporting

    return reporting.summary(load_sample(), "2026-10").set_index("project_id").loc["P001"]


@pytest.fixture(scope="module")
def digital(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")

    result = run_pmo("report", "--month", "2026-10", "--portfolio", "Digital Services", "--out", str(out))
    return result, out / "2026-10"


def test_report_writes_html_excel_and_notebook(digital):
    result, folder = digital
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["digital-services.html", "digital-services.ipynb", "digital-services.xlsx"]
    assert "Wrote" in result.stdout and "digital-services.html" in result.stdout


def test_html_has_every_section_the_figures_and_no_code(digital, p001):
    _, folder = digital
    page = (folder / "digital-services.html").read_text(encoding="utf-8")
    for heading in SECTIONS:
        assert re.search(rf"<h[23][^>]*>{re.escape(heading)}", page), heading
    row = re.search(r'<tr>\s*<td[^>]*id="T_portfolio_row\d+_col0">P001</td>.*?</tr>', page, re.S).group(0)
    assert "Customer Portal" in row and f">{p001['cpi']:.2f}<" in row and f">{p001['spi']:.2f}<" in row
    assert 'class="jp-InputPrompt' not in page and 'class="highlight' not in page  # no code cells
    assert "import pmo_lib" not in page and "charts.show(" not in page and "build(" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing fetched from the network
    assert page.count("data:image/png;base64") >= 6  # charts embedded
    assert 'alt="Projects by computed overall RAG"' in page and "No description has been provided" not in page
    assert (folder / "digital-services.html").stat().st_size < 5_000_000


def test_excel_has_the_report_tables_formatted(digital, p001):
    _, folder = digital
    book = openpyxl.load_workbook(folder / "digital-services.xlsx")
    assert book.sheetnames[:3] == ["Portfolio", "Exceptions", "Totals"]
    sheet = book["Portfolio"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Project", "Name", "Stage", "Manager", "Reported RAG", "Computed RAG"]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    assert rows["P001"][1].value == "Customer Portal"
    computed = p001["overall_rag"]
    fill = {"R": "D55E00", "A": "E69F00", "G": "009E73"}[computed]
    assert rows["P001"][5].value == computed and rows["P001"][5].fill.fgColor.rgb.endswith(fill)  # colour and letter
    assert rows["P001"][7].number_format == "0.00" and rows["P001"][7].value == pytest.approx(p001["cpi"])
    assert sheet.freeze_panes == "A2"


def test_text_from_the_data_is_escaped_and_neutralised(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    projects = (data / "projects.csv").read_text(encoding="utf-8")
    projects = projects.replace("Customer Portal", "<script>alert(1)</script> Portal", 1)
    projects = projects.replace("Partner Rollout", '"=HYPERLINK(""http://x"",""y"")"', 1)
    (data / "projects.csv").write_text(projects, encoding="utf-8")
    out = tmp_path / "out"

    result = run_pmo("report", "--month", "2026-10", "--data", str(data), "--out", str(out))  # all portfolios
    assert result.returncode == 0, result.stderr
    page = (out / "2026-10" / "all.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Portal" in page
    sheet = openpyxl.load_workbook(out / "2026-10" / "all.xlsx")["Portfolio"]
    names = {r[0].value: r[1] for r in sheet.iter_rows(min_row=2)}
    assert names["P002"].value.startswith("'=HYPERLINK") and names["P002"].data_type == "s"
    assert names["P001"].value == "<script>alert(1)</script> Portal"  # in Excel it is plain text


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--portfolio", "Nowhere"], 2, "unknown portfolio 'Nowhere'; the data has: Digital Services, "),
        (["--month", "2031-01"], 2, "month 2031-01 is outside the data; months run from 2025-"),
        (["--month", "October"], 2, "is not a month in the form YYYY-MM"),
        (["--format", "pdf"], 2, "choose from html, xlsx, ipynb"),
        (["--all", "--portfolio", "Operations Excellence"], 2, "not both"),
        (["--as-of", "2026-09-30"], 2, "is not in the report month 2026-10"),
        (["--standard", "no/such.yaml"], 2, "no/such.yaml: no such standard file"),
        (["--data", str(FIXTURES / "broken" / "values")], 1, "ERROR"),
    ],
)
def test_bad_requests_stop_before_the_notebook_runs(pmo, tmp_path, args, code, words):
    base = {"--month": "2026-10"}
    full = [*(x for k, v in base.items() if k not in args for x in (k, v)), *args]
    result = pmo("report", *full, "--out", str(tmp_path))
    assert result.returncode == code, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.rglob("*.html"))


def test_a_refused_report_stops_the_kernel_it_started(tmp_path):
    # in this process, so that a kernel left running would still be our child
    import psutil
    from click.testing import CliRunner

    from pmo_lib.cli import main

    result = CliRunner().invoke(main, ["report", "--month", "2031-01", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "outside the data" in result.output
    kernels = [p for p in psutil.Process().children(recursive=True) if "ipykernel_launcher" in " ".join(p.cmdline())]
    assert kernels == []


def test_the_warm_up_only_imports_modules_that_exist():
    import subprocess
    import sys

    from pmo_lib.reporting.batch import WARM_UP

    assert all(statement.strip().startswith("import ") for statement in WARM_UP.split(";"))
    done = subprocess.run([sys.executable, "-c", WARM_UP], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_a_failing_run_keeps_the_last_good_report(tmp_path):
    good, _ = run_reports(["Operations Excellence"], "2026-10", SAMPLE, tmp_path, ("html", "xlsx"))
    assert not good[0].error
    folder = tmp_path / "2026-10"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    # the same request on data that breaks inside the notebook (the CLI would have refused it up front)
    bad, _ = run_reports(
        ["Operations Excellence"], "2026-10", FIXTURES / "broken" / "values", tmp_path, ("html", "xlsx")
    )
    assert bad[0].error and "failed in cell" in bad[0].error and "DataError" in bad[0].error
    stem = slug("Operations Excellence")
    assert (folder / f"{stem}.failed.ipynb").exists()
    assert "failed in cell" in (folder / f"{stem}.error.txt").read_text(encoding="utf-8")
    for name, content in before.items():
        assert (folder / name).read_bytes() == content, name  # the previous report is untouched
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_all_portfolios_with_an_index(pmo, tmp_path):
    result = pmo("report", "--month", "2026-10", "--all", "--format", "html", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "2026-10"
    pages = sorted(p.name for p in folder.glob("*.html"))
    expected = ["all.html", "digital-services.html", "index.html", "infrastructure-security.html"]
    assert pages == [*expected, "operations-excellence.html"]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="infrastructure-security.html"' in index and "Infrastructure &amp; Security" in index
    assert "Running 4 report(s)" in result.stderr
    assert "KeyboardInterrupt" not in result.stderr and "IPKernelApp" not in result.stderr  # no kernel stops another


def test_a_custom_standard_moves_the_computed_rag(tmp_path):
    from pmo_lib import load_sample, reporting

    strict = tmp_path / "strict.yaml"
    strict.write_text(
        "extends: default\nstandard: Strict\ntolerances: {cpi: {amber: 1.2, red: 1.1}}\n", encoding="utf-8"
    )
    sample = load_sample()
    plain = reporting.build(sample, "2026-10")["summary"].set_index("project_id")
    tight = reporting.build(sample, "2026-10", standard=strict)
    assert tight["standard"] == "Strict"
    rated = plain["cost_rag"].notna() & plain["cpi"].notna()
    assert (tight["summary"].set_index("project_id").loc[rated, "cost_rag"] == "R").all()  # every CPI is below 1.1
    assert (plain.loc[rated, "cost_rag"] != "R").any()
    outcomes, _ = run_reports(["all"], "2026-10", SAMPLE, tmp_path / "out", ("html",), {"standard": str(strict)})
    page = (tmp_path / "out" / "2026-10" / "all.html").read_text(encoding="utf-8")
    assert not outcomes[0].error and "Standard: <strong>Strict</strong>" in page


def test_after_the_warm_up_the_report_imports_no_new_package(tmp_path):
    # run in a fresh interpreter: the report's cells (check, tables, a chart, the workbook) after the warm-up
    import subprocess
    import sys

    from pmo_lib.reporting.batch import WARM_UP

    script = f"""
import sys
{WARM_UP.replace("; ", chr(10))}
before = set(sys.modules)
import pmo_lib as pmo
from pmo_lib import reporting
from pmo_lib.reporting import charts
portfolio = pmo.validate({str(SAMPLE)!r}).portfolio_or_raise()
r = reporting.build(portfolio, "2026-10", name="Digital Services")
charts.png(charts.rag_counts(r["summary"]["overall_rag"].dropna()))
reporting.workbook(r, sys.argv[1])
print(sorted(set(sys.modules) - before))
"""
    book = str(tmp_path / "report.xlsx")
    done = subprocess.run([sys.executable, "-c", script, book], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_without_the_iri_checks_nbformat_still_validates_notebooks():
    # skip_iri_format_checks keeps jsonschema from building RFC 3987 parsers: notebooks are checked as before
    import subprocess
    import sys

    script = f"""
import sys
from pmo_lib.reporting.runner import skip_iri_format_checks
skip_iri_format_checks()
import nbformat
nb = nbformat.read({str(ROOT / "notebooks" / "monthly_report.ipynb")!r}, as_version=4)
nbformat.validate(nb)
nb.cells[0]["cell_type"] = "not a cell type"
try:
    nbformat.validate(nb)
except nbformat.ValidationError:
    print("refused", sys.modules["rfc3987_syntax"])
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "refused None"


def test_a_run_on_a_kernel_started_early_fails_cleanly_and_stops_it(tmp_path):
    # the single-report path of `pmo report`: the kernel is started first and handed over
    from pmo_lib.bundled import notebooks_dir
    from pmo_lib.reporting.batch import WARM_UP
    from pmo_lib.reporting.runner import kernel

    NOTEBOOKS = notebooks_dir()

    with kernel(NOTEBOOKS / "monthly_report.ipynb", WARM_UP) as km:
        process = km.provisioner.process
        bad, _ = run_reports(
            ["Operations Excellence"], "2026-10", FIXTURES / "broken" / "values", tmp_path, ("html",), km=km
        )
        assert bad[0].error and "failed in cell" in bad[0].error and "DataError" in bad[0].error
    assert process.poll() is not None  # the kernel process has ended
    assert (tmp_path / "2026-10" / "operations-excellence.failed.ipynb").exists()
    assert not (tmp_path / "2026-10" / "operations-excellence.html").exists()
