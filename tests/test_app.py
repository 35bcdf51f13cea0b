"""pmo app without a browser: the pages' widgets and their real callbacks, uploads (size, kinds, unsafe
archives, hostile names), the landing page, and the command refusing to open itself to the network."""

from __future__ import annotations

import base64
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import REPO

from pmo_lib import app, scenarios
from pmo_lib.app import pages, uploads
from pmo_lib.bundled import sample_data

BROKEN = REPO / "tests" / "fixtures" / "broken" / "values"


def broken_workbook() -> bytes:
    """The broken CSV fixture as a real Excel workbook, one sheet per table."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for csv in sorted(BROKEN.glob("*.csv")):
        sheet = book.create_sheet(csv.stem)
        for row in pd.read_csv(csv, dtype=str, keep_default_na=False).pipe(
            lambda f: [list(f.columns), *f.to_numpy().tolist()]
        ):
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def text_of(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))


def linked(markup: str) -> bytes:
    """The bytes of the first download link in ``markup``."""
    return base64.b64decode(re.search(r'href="data:[^;]+;base64,([^"]+)"', markup).group(1))


# ---- check my data


def test_a_broken_workbook_gives_its_findings_by_file_with_row_column_and_fix():
    shown, workbook = pages.check_upload("My portfolio.xlsx", broken_workbook())
    text = text_of(shown)
    assert "My portfolio.xlsx" in text and "10 error(s)" in text
    findings = pd.read_excel(io.BytesIO(workbook), sheet_name="Findings")
    expected = pd.read_csv(BROKEN / "projects.csv", dtype=str)
    assert len(expected) == 3 and len(findings) == 10
    first = findings.iloc[0]  # sorted by file, sheet and row: the workbook's assignments sheet comes first
    assert (first["file"], first["table"]) == ("My portfolio.xlsx", "assignments")
    projects = findings[findings["table"] == "projects"].iloc[0]
    assert (projects["row"], projects["column"], projects["value"]) == (2, "baseline_start", "2026-02-30")
    assert findings["fix"].notna().all() and set(findings["severity"]) == {"error"}


def test_a_zipped_csv_folder_is_checked_member_by_member_and_names_its_files():
    members = {f"export/{p.name}": p.read_bytes() for p in BROKEN.glob("*.csv")}
    _, workbook = pages.check_upload("data.zip", zipped(members))
    findings = pd.read_excel(io.BytesIO(workbook))
    assert "projects.csv" in set(findings["file"]) and (findings["row"] >= 2).all()
    good, none = pages.check_upload("sample.zip", zipped({p.name: p.read_bytes() for p in sample_data().glob("*.csv")}))
    assert none is None and "0 error(s)" in text_of(good)


def test_an_upload_over_the_limit_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    shown, workbook = pages.check_upload("big.xlsx", b"x" * 2_000_001, limit_mb=2)
    assert workbook is None and "the file is 2.0 MB; the limit is 2.0 MB" in text_of(shown)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("notes.docx", b"PK", "is not a kind PMO Lab reads here"),
        ("data.zip", b"not a zip", "cannot be opened"),
        ("data.zip", zipped({"readme.txt": b"hello", "../../etc/passwd": b"x"}), "holds no table PMO Lab knows"),
        ("bomb.zip", zipped({"projects.csv": b"0" * 30_000_000}), "more than ten times the limit"),
    ],
)
def test_unreadable_and_unsafe_uploads_are_refused_with_the_reason(name, content, words):
    shown, workbook = pages.check_upload(name, content, limit_mb=2)
    assert workbook is None and words in text_of(shown)


def test_an_archive_member_s_path_is_never_used_and_the_folder_is_gone_after(tmp_path):
    content = zipped({"../../outside/projects.csv": (BROKEN / "projects.csv").read_bytes()})
    with uploads.received("x.zip", content) as path:
        assert [p.name for p in path.iterdir()] == ["projects.csv"] and path.parent.name.startswith("pmo-upload-")
        seen = path.parent
    assert not seen.exists() and not (tmp_path.parent / "outside").exists()


def test_a_hostile_file_name_is_escaped_in_what_the_page_shows():
    hostile = '<img src=x onerror="alert(1)">.xlsx'
    shown, _ = pages.check_upload(hostile, broken_workbook())
    assert "<img" not in shown and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.xlsx" in shown
    assert "&amp;lt;" not in shown  # escaped once, not twice


def test_the_check_page_answers_an_upload_through_its_widget():
    page = pages.check_page(limit_mb=2)
    page.upload.value = ({"name": "portfolio.xlsx", "type": "", "size": 1, "content": memoryview(broken_workbook()),
                          "last_modified": pd.Timestamp("2026-11-02", tz="UTC")},)  # fmt: skip
    assert "baseline_start" in page.result.value and "10 error(s)" in text_of(page.result.value)
    assert pd.read_excel(io.BytesIO(linked(page.download.value))).shape[0] == 10
    assert page.upload.value == ()  # ready for the next file


# ---- planner and report library


def test_the_planner_page_downloads_the_scenario_it_shows_and_the_comparison(tmp_path):
    page = pages.planner_page(folder=tmp_path)
    live = page.planner
    live.project.value = "P002"
    live.shift.value = 3
    live.name.value = "later start"
    live.save()
    live.saved.value = tuple(live.saved.options)
    page.prepare()
    links = page.children[1].children[1].value
    saved = tmp_path / "scenario.yaml"
    saved.write_bytes(linked(links))
    assert scenarios.load(saved).changes == live.scenario().changes != []
    comparison = re.findall(r'href="data:[^;]+;base64,([^"]+)"', links)[1]
    (tmp_path / "from-elsewhere.yaml").write_bytes(saved.read_bytes())  # saved by someone else meanwhile
    live.widget.children[0].selected_index = 3  # the Scenarios tab opened
    assert "from-elsewhere.yaml" in live.saved.options
    assert "later start" in " ".join(map(str, pd.read_excel(io.BytesIO(base64.b64decode(comparison))).columns))


@pytest.mark.slow
def test_the_report_library_runs_a_report_and_opens_it(tmp_path):
    page = pages.reports_page(reports=tmp_path)
    assert "No reports" in page.view.value
    page.run_month.value, page.run_portfolio.value = "2026-10", "Operations Excellence"
    page.run()
    assert "Made the 2026-10 report for Operations Excellence" in text_of(page.progress.value)
    assert "Operations Excellence" in page.choice.label and "srcdoc=" in page.view.value
    assert (tmp_path / "2026-10" / "operations-excellence.xlsx").exists() and (tmp_path / "pmo.duckdb").exists()
    # the data is edited while the page is open: the run fails in the report's first step, said in one line
    data = tmp_path / "data"
    shutil.copytree(sample_data(), data)
    changing = pages.reports_page(reports=tmp_path / "other", data=data)
    (data / "tasks.csv").write_text((data / "tasks.csv").read_text().replace(",2026-", ",2026-13-", 1))
    changing.run()
    said = text_of(changing.progress.value)
    assert "The report was not made" in said and "DataError" in said and "Traceback" not in changing.progress.value


def test_a_page_on_data_that_cannot_be_read_says_what_is_wrong():
    page = pages.reports_page(data=BROKEN.parent / "cycle")
    assert "cannot be used" in page.value and "dependency loop in project P001" in page.value


# ---- the command and the landing page


def test_a_non_local_address_needs_a_token(pmo):
    refused = pmo("app", "--host", "0.0.0.0", "--port", "8999")
    assert refused.returncode == 2 and "--token" in refused.stderr and "other machines" in refused.stderr
    app.check_address("0.0.0.0", "s3cret")  # with a token it may start
    app.check_address("127.0.0.1", None)


def test_the_served_folder_holds_only_the_app_pages_and_the_landing_page_lists_them(tmp_path):
    served = app.prepare(tmp_path, data="<data>", reports="reports")
    assert sorted(p.name for p in served.iterdir()) == sorted(app.PAGES)
    landing = (tmp_path / "jupyter" / "voila" / "templates" / "pmo" / "tree.html").read_text()
    for name, (title, _) in app.PAGES.items():
        assert f'voila/render/{name}"' in landing and title in landing
    assert "&lt;data&gt;" in landing and "<data>" not in landing
    line = app.command(tmp_path, port=8866, host="127.0.0.1", token=None, python="python")
    assert "--strip_sources=True" in line and "--show_tracebacks=False" in line and "--Voila.ip=127.0.0.1" in line


def test_every_app_notebook_only_calls_its_page():
    import nbformat

    for name in app.PAGES:
        nb = nbformat.read(Path(REPO / "app" / name), as_version=4)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        assert len(code) == 1 and code[0].startswith("from pmo_lib.app import pages"), name
