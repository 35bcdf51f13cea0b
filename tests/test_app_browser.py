"""pmo app in a real browser: Playwright drives Debian's chromium (``apt-get install chromium``; no browser
download) against ``pmo app`` started on a free port and stopped after the tests. Each test asserts on
what the page shows.

With ``PMO_SCREENSHOTS=DIR`` the tests also save the pages' screenshots there (``make screenshots``
refreshes the ones in docs/screenshots that the README shows).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_app import broken_workbook

CHROMIUM = Path("/usr/bin/chromium")
PMO = Path(sys.executable).with_name("pmo")
SHOTS = os.environ.get("PMO_SCREENSHOTS")

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(*args: str, env: dict | None = None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    # --pool 0: pages run when asked, so no kernels refill in the background while the other tests run
    process = subprocess.Popen([str(PMO), "app", "--port", str(port), "--pool", "0", *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True, env=env)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"pmo app stopped: {process.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.3)
    raise AssertionError("pmo app did not start in 60 s")


def stop_app(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)  # Voilà and the kernels it started
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """A reports folder holding one real report (made by the CLI) for the library to open."""
    folder = tmp_path_factory.mktemp("reports")
    made = subprocess.run([str(PMO), "report", "--month", "2026-10", "--portfolio", "Operations Excellence", "--out",
                           str(folder), "--format", "html,xlsx"], capture_output=True, text=True, check=False)  # fmt: skip
    assert made.returncode == 0, made.stderr
    return folder


@pytest.fixture(scope="module")
def server(reports):
    process, port = start_app("--reports", str(reports), "--upload-limit", "0.5")
    yield f"http://127.0.0.1:{port}"
    stop_app(process)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"the browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium (.ci/run does it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    context.close()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def finish_dates(markup: str) -> dict[str, tuple[str, str]]:
    """Project -> (baseline finish, finish) from a "Project finish dates" table (the planner's and pmo whatif's)."""
    table = markup[markup.index("Project finish dates") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S) for r in rows]
    return {c[0]: (c[3], c[4]) for c in cells if len(c) >= 5}


def person_label(resource_id: str) -> str:
    """The planner's label of a person, as its Person list shows it."""
    import pandas as pd

    from pmo_lib.bundled import sample_data

    people = pd.read_csv(sample_data() / "resources.csv").set_index("resource_id")
    who = people.loc[resource_id]
    return f"{who['name']} ({who['team']}, {who['role']})"


def settled(page, box, quiet_ms: int = 700, timeout_s: float = 30) -> str:
    """The box's HTML once it has stopped changing for ``quiet_ms`` (the last key press answered)."""
    deadline = time.monotonic() + timeout_s
    last = box.inner_html()
    while time.monotonic() < deadline:
        page.wait_for_timeout(quiet_ms)
        now = box.inner_html()
        if now == last:
            return now
        last = now
    raise AssertionError("the page kept changing")


def upload(page, name: str, content: bytes) -> None:
    """Choose a file through the upload button's own file chooser, as a person would."""
    with page.expect_file_chooser() as chooser:
        page.click(".widget-upload")
    chooser.value.set_files({"name": name, "mimeType": "application/octet-stream", "buffer": content})


def dates_box(page):
    return page.locator(".widget-html-content", has_text="Project finish dates")


def open_planner(page, server):
    page.goto(f"{server}/voila/render/planner.ipynb")
    page.wait_for_selector('.widget-html-content:has-text("Project finish dates")', timeout=90_000)


# ---- the pages


def test_the_landing_page_links_every_page_and_nothing_else(page, server):
    from pmo_lib.app import PAGES

    page.goto(server + "/")
    links = page.locator("a.pmo-page")
    assert links.all_inner_texts() == [title for title, _ in PAGES.values()]
    assert "Select items to open" not in page.content()  # Voilà's file tree is not there
    shot(page, "app_landing")
    page.click("text=What-if planner")
    page.wait_for_selector('.widget-html-content:has-text("Project finish dates")', timeout=90_000)
    assert "from pmo_lib.app import pages" not in page.content()  # sources stripped
    missing = page.goto(f"{server}/voila/render/../notebooks/monthly_report.ipynb")
    assert missing.status == 404


def test_moving_a_person_s_fte_changes_the_heat_map_and_a_date(page, server):
    open_planner(page, server)
    page.locator(".widget-checkbox", has_text="Level tasks").locator("input").check()
    page.wait_for_selector('.widget-html-content:has-text("Levelled finish")', timeout=30_000)
    shot(page, "app_planner")
    page.click(".lm-TabBar-tab:has-text('People')")
    # R020's named work moves visible levelled dates when they are gone (levelling is person by person)
    page.locator(".widget-dropdown", has_text="Person").locator("select").select_option(label=person_label("R020"))
    page.wait_for_timeout(500)
    heat = page.locator(".widget-html-content", has_text="Utilisation by team")
    before_heat, before_dates = heat.inner_html(), dates_box(page).inner_html()
    handle = page.locator(".widget-slider", has_text="FTE").first.locator(".noUi-handle")
    handle.click()
    for _ in range(10):  # 1.0 -> 0.0 FTE
        handle.press("ArrowLeft")
    page.wait_for_function("(before) => ![...document.querySelectorAll('.widget-html-content')]"
                           ".some((e) => e.innerHTML === before)", arg=before_heat, timeout=30_000)  # fmt: skip
    page.wait_for_timeout(1000)
    assert heat.inner_html() != before_heat
    levelled = re.findall(r"(P\d{3})</td>.*?(\d{4}-\d{2}-\d{2})</td><td[^>]*>([+\d-]+)</td><td[^>]*>(\d{4}-\d{2}-\d{2})",
                          dates_box(page).inner_html(), flags=re.S)  # fmt: skip
    assert dates_box(page).inner_html() != before_dates and levelled


def test_a_scenario_saved_and_loaded_again_gives_the_numbers_pmo_whatif_gives(page, server, reports, tmp_path):
    open_planner(page, server)
    page.locator(".widget-dropdown", has_text="Project").first.locator("select").select_option(
        label="P002 Partner Rollout"
    )
    handle = page.locator(".widget-slider", has_text="Start later (weeks)").locator(".noUi-handle")
    handle.click()
    for _ in range(3):
        handle.press("ArrowRight")
    page.locator(".widget-slider", has_text="Start later (weeks)").locator(".widget-readout:text-is('3')").wait_for()
    shown = finish_dates(settled(page, dates_box(page)))
    page.click(".lm-TabBar-tab:has-text('Scenarios')")
    page.locator(".widget-text", has_text="Scenario name").locator("input").fill("Browser check")
    page.click("button:has-text('Save scenario')")
    saved = reports / "scenarios" / "browser-check.yaml"
    page.wait_for_selector("text=Saved Browser check", timeout=30_000)
    assert saved.exists()
    # a new visit, then the saved scenario loaded from the list
    open_planner(page, server)
    page.click(".lm-TabBar-tab:has-text('Scenarios')")
    page.locator(".widget-select-multiple select").select_option("browser-check.yaml")
    page.click("button:has-text('Load (first selected)')")
    page.wait_for_selector('.widget-html-content:has-text("1 change(s) from the baseline")', timeout=30_000)
    loaded = finish_dates(settled(page, dates_box(page)))
    whatif = subprocess.run([str(PMO), "whatif", str(saved), "--out", str(tmp_path)], capture_output=True, text=True,
                            check=False)  # fmt: skip
    assert whatif.returncode == 0, whatif.stderr
    cli = finish_dates((tmp_path / "browser-check.html").read_text(encoding="utf-8"))
    assert loaded == shown and len(cli) == 17 and len(shown) >= 10  # the page shows the first rows
    assert {project: cli[project] for project in shown} == shown
    assert shown["P002"][1] > shown["P002"][0]  # three weeks later than its baseline finish


def test_the_report_library_opens_a_report_with_its_workbook(page, server):
    page.goto(f"{server}/voila/render/reports.ipynb")
    page.wait_for_selector("iframe.pmo-report", timeout=90_000)
    assert "2026-10 · Operations Excellence" in page.locator(".widget-dropdown select").first.inner_text().replace(
        "\xa0", " "
    )
    frame = page.frame_locator("iframe.pmo-report")
    assert "Report for the Operations Excellence portfolio, 2026-10" in frame.locator("body").inner_text()
    with page.expect_download() as download:
        page.click("a.pmo-download")
    assert download.value.suggested_filename == "2026-10-operations-excellence.xlsx"
    shot(page, "app_reports")


def test_a_broken_workbook_shows_its_findings_with_row_and_column(page, server, tmp_path):
    page.goto(f"{server}/voila/render/check_data.ipynb")
    page.wait_for_selector(".widget-upload", timeout=90_000)
    hostile = "<img src=x onerror=alert(1)>.xlsx"
    upload(page, hostile, broken_workbook())
    page.wait_for_selector("text=10 error(s)", timeout=60_000)
    rows = page.locator("#T_findings tbody tr")
    cells = [r.locator("td").all_inner_texts() for r in rows.all()]
    assert len(cells) == 10 and all(c[0] == hostile for c in cells)
    assert [hostile, "projects", "2", "baseline_start", "error", "2026-02-30"] in [c[:6] for c in cells]
    assert [hostile, "resources", "3", "fte", "error", "-1"] in [c[:6] for c in cells]
    assert page.dialogs == []  # the hostile name was shown as text, never run
    shot(page, "app_check_data")


def test_an_upload_over_the_limit_is_refused(page, server):
    page.goto(f"{server}/voila/render/check_data.ipynb")
    page.wait_for_selector(".widget-upload", timeout=90_000)
    upload(page, "big.xlsx", b"x" * 600_000)
    page.wait_for_selector("text=the limit is 0.5 MB", timeout=60_000)
    assert "was not checked" in page.locator(".pmo-error").inner_text()


def test_a_token_keeps_out_who_does_not_have_it():
    import http.client

    process, port = start_app("--token", "s3cret-token")
    try:

        def get(path: str) -> http.client.HTTPResponse:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path)
            return connection.getresponse()

        refused = get("/voila/render/planner.ipynb")
        assert refused.status == 302 and "/login" in refused.getheader("Location")
        assert get("/").status == 302
        allowed = get("/?token=s3cret-token")
        assert allowed.status == 200 and "What-if planner" in allowed.read().decode()
    finally:
        stop_app(process)
