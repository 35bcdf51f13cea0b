"""The pages of ``pmo app``: each a function that returns the page's widget; the app notebooks call them.

- :func:`planner_page`: the what-if planner, with its scenario and the comparison to download;
- :func:`reports_page`: the report library (month x portfolio), a report opened in the page with
  its workbook to download, and a button that runs this month's report;
- :func:`check_page`: "Check my data": upload a file, see the findings by file with row, column
  and fix, download them as Excel;
- :func:`selection_page`: the demand selection (budget slider, proposals forced in or out).

Everything shown from the data or an upload is escaped (:func:`pmo_lib.reporting.tables.escape`
and the report tables' own escaping). Where a page reads its data and folders from is
:func:`pmo_lib.app.settings`.
"""

from __future__ import annotations

import base64
import html
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

from . import settings


def download_link(filename: str, content: bytes, mime: str, label: str) -> str:
    """An HTML link that downloads ``content`` as ``filename`` (a data URI; nothing is written on the server)."""
    data = base64.b64encode(content).decode("ascii")
    return (f'<a class="pmo-download" download="{html.escape(filename, quote=True)}" '
            f'href="data:{mime};base64,{data}">{html.escape(label)}</a>')  # fmt: skip


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    from ..export import write_xlsx

    with tempfile.TemporaryDirectory(prefix="pmo-app-") as folder:
        target = Path(folder) / "table.xlsx"
        write_xlsx(sheets, target)
        return target.read_bytes()


def _note(text: str, kind: str = "info") -> str:
    colour = {"info": "#0072B2", "error": "#D55E00", "ok": "#009E73"}[kind]
    return f'<div class="pmo-note pmo-{kind}" style="border-left:4px solid {colour};padding:4px 8px">{text}</div>'


def _data_problem(data, exc) -> object:
    """A page in place of one whose dataset cannot be read: what is wrong, from the loader's findings."""
    import ipywidgets as w

    findings = getattr(exc, "findings", None) or []
    lines = "".join(f"<li>{html.escape(str(f))}</li>" for f in findings[:20])
    return w.HTML(
        _note(
            f"The data at {html.escape(str(data))} cannot be used: {html.escape(str(exc).splitlines()[0])}"
            f"<ul>{lines}</ul>Fix it (Check my data lists every problem) and reload this page.",
            "error",
        )
    )


def _load(data):
    from ..importers import load

    return load(data)


# ---- planner


def planner_page(data=None, folder=None):
    """The what-if planner on the app's dataset; scenarios saved in the app's scenario folder."""
    import ipywidgets as w

    from .. import scenarios
    from ..errors import PMOError
    from ..widgets import planner

    conf = settings()
    try:
        portfolio = _load(data or conf.data)
    except PMOError as exc:
        return _data_problem(data or conf.data, exc)
    folder = Path(folder or conf.scenarios)
    folder.mkdir(parents=True, exist_ok=True)
    currency = str(portfolio.projects["currency"].mode().iloc[0]) if "currency" in portfolio.projects else ""
    live = planner(portfolio, folder=folder, currency=currency)
    links = w.HTML()
    prepare = w.Button(description="Prepare downloads", icon="download")

    def ready(_=None):
        with tempfile.TemporaryDirectory(prefix="pmo-app-") as tmp:
            scenario = live.scenario()
            path = scenarios.save(scenario, Path(tmp) / "scenario.yaml")
            parts = [download_link(f"{scenario.name or 'what-if'}.yaml", path.read_bytes(), "application/x-yaml",
                                   "Download this scenario (YAML)")]  # fmt: skip
        chosen = [folder / f for f in live.saved.value]
        table = live.compare(chosen) if chosen else None
        if table is not None:
            parts.append(download_link("comparison.xlsx", _xlsx_bytes({"Comparison": table.reset_index()}), XLSX,
                                       "Download the comparison (Excel)"))  # fmt: skip
        else:
            parts.append("<span>Select saved scenarios under Scenarios to download their comparison.</span>")
        links.value = " &nbsp; ".join(parts)

    prepare.on_click(ready)

    def relist(_=None):  # the page may have been run in advance: saved scenarios are read when their tab opens
        live.saved.options = live._saved_files()

    live.widget.children[0].observe(relist, names="selected_index")
    page = w.VBox([live.widget, w.HBox([prepare, links])])
    page.planner = live  # for the tests and the app's own use
    page.prepare = ready
    return page


# ---- report library


def reports_in(folder: Path, names: dict[str, str]) -> pd.DataFrame:
    """The reports of ``folder`` (``<month>/<portfolio>.html``): month, portfolio (by name), page, workbook."""
    rows = []
    for page in sorted(Path(folder).glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]/*.html")):
        stem = page.stem
        if stem == "index" or stem.endswith(".failed"):
            continue
        workbook = page.with_suffix(".xlsx")
        rows.append({"month": page.parent.name, "portfolio": names.get(stem, stem), "page": page,
                     "workbook": workbook if workbook.exists() else None})  # fmt: skip
    frame = pd.DataFrame(rows, columns=["month", "portfolio", "page", "workbook"])
    return frame.sort_values(["month", "portfolio"], ascending=[False, True]).reset_index(drop=True)


def reports_page(reports=None, data=None):
    """Every report in the reports folder, opened in the page; and this month's report run from a button."""
    import ipywidgets as w

    from ..errors import PMOError
    from ..files import slug
    from ..reporting.batch import ALL, run_reports
    from ..reporting.month import months_in, portfolios

    conf = settings()
    folder = Path(reports or conf.reports)
    data = Path(data or conf.data)
    try:
        portfolio = _load(data)
    except PMOError as exc:
        return _data_problem(data, exc)
    known = [ALL, *portfolios(portfolio)]
    names = {slug(n): ("All portfolios" if n == ALL else n) for n in known}
    style = {"description_width": "90px"}
    choice = w.Dropdown(description="Report", style=style, layout=w.Layout(width="420px"))
    open_button = w.Button(description="Open", icon="folder-open")
    download = w.HTML()
    view = w.HTML()
    months = months_in(portfolio)
    run_month = w.Dropdown(options=months[::-1], value=months[-1], description="Month", style=style)
    run_portfolio = w.Dropdown(options=[("All portfolios", ALL)] + [(n, n) for n in known[1:]], description="Portfolio",
                               style=style)  # fmt: skip
    run_button = w.Button(description="Run this report", icon="play", button_style="primary")
    progress = w.HTML()

    def listing():
        found = reports_in(folder, names)
        choice.options = [(f"{r.month} · {r.portfolio}", str(r.page)) for r in found.itertuples()]
        if not len(found):
            view.value = _note(f"No reports in {html.escape(str(folder))} yet: run one below.")
        return found

    def show(_=None, page=None):
        page = Path(page or choice.value) if (page or choice.value) else None
        if page is None:
            return
        if page.resolve().parent.parent != folder.resolve():  # only the library's own files
            return
        choice.value = str(page)
        workbook = page.with_suffix(".xlsx")
        download.value = (download_link(f"{page.parent.name}-{page.stem}.xlsx", workbook.read_bytes(), XLSX,
                                        "Download the Excel workbook") if workbook.exists() else "")  # fmt: skip
        body = page.read_text(encoding="utf-8")
        view.value = (f'<iframe class="pmo-report" title="{html.escape(page.stem)}" srcdoc="{html.escape(body, quote=True)}" '
                      'style="width:100%;height:900px;border:1px solid #ccc"></iframe>')  # fmt: skip

    def run(_=None):
        month, name = run_month.value, run_portfolio.value
        label = f"the {month} report for {'all portfolios' if name == ALL else html.escape(name)}"
        run_button.disabled = True
        started = time.monotonic()
        done = threading.Event()
        result: dict = {}

        def work():
            try:
                extra = {"store": str((folder / "pmo.duckdb").resolve()), "record": True}
                result["outcomes"], _ = run_reports([name], month, data, folder, extra=extra)
            except Exception as exc:  # shown as one line, not a traceback
                result["error"] = f"{type(exc).__name__}: {exc}"
            finally:
                done.set()

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        while not done.wait(0.5):
            progress.value = _note(f"Running {label} ... {time.monotonic() - started:.0f} s "
                                   "(the report shown stays until the new one is complete)")  # fmt: skip
        run_button.disabled = False
        outcome = (result.get("outcomes") or [None])[0]
        error = result.get("error") or (outcome.error if outcome else "no report was made")
        if error:
            first = error.splitlines()[0]
            progress.value = _note(f"The report was not made: {html.escape(first)}", "error")
            return
        listing()
        page = next(p for p in outcome.written if p.suffix == ".html")
        progress.value = _note(f"Made {label} in {time.monotonic() - started:.0f} s.", "ok")
        show(page=page)

    open_button.on_click(show)
    run_button.on_click(run)
    found = listing()
    page = w.VBox([
        w.HBox([choice, open_button, download]),
        w.HTML("<h3>Run a report</h3>"),
        w.HBox([run_month, run_portfolio, run_button]),
        progress,
        view,
    ])  # fmt: skip
    if len(found):
        show(page=found.iloc[0]["page"])
    page.run, page.show, page.choice, page.view = run, show, choice, view
    page.run_month, page.run_portfolio, page.progress = run_month, run_portfolio, progress
    return page


# ---- check my data


def findings_by_file(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings in the order to fix them: by file and table (a workbook's sheet), then row, errors first."""
    order = {"error": 0, "warning": 1, "note": 2}
    out = findings.assign(_s=findings["severity"].map(order).fillna(3))
    out = out.sort_values(["file", "table", "row", "_s"], kind="stable", na_position="first").drop(columns="_s")
    return out[["file", "table", "row", "column", "severity", "value", "problem", "fix"]].reset_index(drop=True)


def check_upload(name: str, content: bytes, *, limit_mb: float | None = None) -> tuple[str, bytes | None]:
    """Check one uploaded file: the HTML to show (verdict and findings by file) and the findings workbook."""
    from ..importers import validate
    from ..reporting.tables import table
    from .uploads import UploadRefused, received

    shown = html.escape(Path(str(name).replace("\\", "/")).name)
    try:
        with received(name, content, limit_mb=limit_mb or settings().upload_mb) as path:
            try:
                result = validate(path)
            except (ValueError, FileNotFoundError) as exc:
                return _note(f"{shown}: {html.escape(str(exc).replace(str(path), shown))}", "error"), None
            found = result.findings_frame()
            verdict = html.escape(result.verdict())
    except UploadRefused as exc:
        return _note(f"{shown} was not checked: {html.escape(str(exc))}", "error"), None
    if found.empty:
        return _note(f"{shown}: {verdict}", "ok"), None
    found = findings_by_file(found.assign(file=found["file"].astype(str).map(lambda f: _named(f, shown))))
    workbook = _xlsx_bytes({"Findings": found})
    caption = f"Findings in {html.unescape(shown)}, by file, table (sheet) and row"  # table() escapes it
    body = table(found, "findings", caption=caption).styler.to_html()
    kind = "error" if (found["severity"] == "error").any() else "info"
    return _note(f"{shown}: {verdict}", kind) + body, workbook


def _named(file: str, shown: str) -> str:
    """A finding's file as the analyst knows it: the upload's name, or the table file inside the zip."""
    base = Path(file).name
    return html.unescape(shown) if base.startswith("upload.") else base


def check_page(limit_mb: float | None = None):
    """Upload a workbook, a zipped CSV folder, an MS Project XML, a P6 XER or a Jira CSV and see what is wrong."""
    import ipywidgets as w

    limit = limit_mb or settings().upload_mb
    upload = w.FileUpload(accept=".xlsx,.zip,.xml,.xer,.csv", multiple=False, description="Upload a file")
    result = w.HTML(_note(f"Files up to {limit:g} MB. The file is checked in a private temporary folder and "
                          "deleted straight after; nothing is kept."))  # fmt: skip
    download = w.HTML()

    def received_file(change=None):
        if not upload.value:
            return
        item = upload.value[0]
        result.value = _note(f"Checking {html.escape(str(item['name']))} ...")
        shown, workbook = check_upload(item["name"], bytes(item["content"]), limit_mb=limit)
        result.value = shown
        download.value = (
            download_link("findings.xlsx", workbook, XLSX, "Download the findings (Excel)") if workbook else ""
        )
        upload.value = ()  # the next upload of the same file is a change too

    upload.observe(received_file, names="value")
    page = w.VBox([upload, result, download])
    page.upload, page.result, page.download, page.received = upload, result, download, received_file
    return page


# ---- selection


def selection_page(data=None):
    """The demand selection: which proposals to start, with the budget slider and proposals forced in or out."""
    from .. import standards
    from ..demand import intake
    from ..errors import PMOError
    from ..widgets.demand import DemandPlanner

    data = data or settings().data
    try:
        portfolio = _load(data)
    except PMOError as exc:
        return _data_problem(data, exc)
    rules = standards.load(None)
    return DemandPlanner(intake.build(portfolio, rules.demand, horizon=8)).box


__all__ = ["check_page", "check_upload", "download_link", "planner_page", "reports_page", "selection_page"]
