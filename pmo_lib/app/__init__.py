"""``pmo app``: PMO Lab in a browser for people who never open Jupyter (Voilà over the app notebooks).

The app is the notebooks in ``app/`` (shipped with the package: :func:`pmo_lib.bundled.app_dir`),
each one call of :mod:`pmo_lib.app.pages`, served by Voilà with their sources stripped, and a
landing page (:data:`PAGES`) in place of Voilà's file tree. Only a copy of those notebooks is in
the folder Voilà serves, so no other notebook or file can be opened through it; there are no
terminals and no notebook editing. :func:`command` builds the Voilà command line; the pages read
where the data and reports are from the environment it sets (:func:`settings`).

Safe by default: bound to 127.0.0.1; on any other address a token is required (``--token`` or
``PMO_APP_TOKEN``), and without one the app refuses to start.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The pages: notebook -> (title, what it does), in the landing page's order.
PAGES = {
    "planner.ipynb": ("What-if planner", "Move a project, change a person's FTE, hire, level: dates, load and "
                      "cost answer at once. Save, load and compare scenarios; download them."),
    "reports.ipynb": ("Report library", "Every monthly report by month and portfolio, opened in the page, with "
                      "its Excel workbook; run this month's report."),
    "check_data.ipynb": ("Check my data", "Upload a workbook, a zipped CSV folder or an MS Project, P6 or Jira "
                         "file and see every problem with its row, column and fix."),
    "selection.ipynb": ("Portfolio selection", "Which proposals to start within the budget and the people free, "
                        "with proposals forced in or out."),
}  # fmt: skip

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Settings:
    data: Path
    reports: Path
    scenarios: Path
    upload_mb: float


def settings() -> Settings:
    """Where the pages read from: ``PMO_APP_DATA`` (default: the sample), ``PMO_APP_REPORTS`` (``reports``),
    ``PMO_APP_SCENARIOS`` (``<reports>/scenarios``) and ``PMO_APP_UPLOAD_MB`` (the upload limit)."""
    from ..bundled import sample_data
    from .uploads import DEFAULT_LIMIT_MB

    reports = Path(os.environ.get("PMO_APP_REPORTS") or "reports")
    return Settings(
        data=Path(os.environ.get("PMO_APP_DATA") or sample_data()),
        reports=reports,
        scenarios=Path(os.environ.get("PMO_APP_SCENARIOS") or reports / "scenarios"),
        upload_mb=float(os.environ.get("PMO_APP_UPLOAD_MB") or DEFAULT_LIMIT_MB),
    )


def check_address(host: str, token: str | None) -> None:
    """Refuse a non-local address without a token (the app would be open to the network)."""
    from ..errors import PMOError

    if host not in LOCAL_HOSTS and not token:
        raise PMOError(f"--host {host} makes the app reachable from other machines: give --token (or set "
                       "PMO_APP_TOKEN) so only people with it get in; see docs/deploy.md")  # fmt: skip


LANDING = """{% extends "page.html" %}
{% block title %}PMO Lab{% endblock %}
{% block body %}
<main id="pmo-landing" style="max-width:820px;margin:40px auto;font-family:sans-serif">
  <h1>PMO Lab</h1>
  <p>Portfolio planning, reports and data checks in the browser. Each page opens in this tab.</p>
  <ul style="list-style:none;padding:0">
PAGES
  </ul>
  <p style="color:#555">Data: DATA. Reports: REPORTS.</p>
</main>
{% endblock %}
"""


def landing(data: str, reports: str) -> str:
    """The landing page (a Voilà tree template): one link per page with what it does."""
    import html

    items = "\n".join(
        f'    <li style="margin:14px 0"><a class="pmo-page" href="{{{{ base_url }}}}voila/render/{name}" '
        f'style="font-size:1.2em">{html.escape(title)}</a><br><span>{html.escape(what)}</span></li>'
        for name, (title, what) in PAGES.items()
    )
    return LANDING.replace("PAGES", items).replace("DATA", html.escape(data)).replace("REPORTS", html.escape(reports))


def prepare(folder: Path, *, data: str = "", reports: str = "") -> Path:
    """Lay out the folder Voilà serves: a copy of the app notebooks, and the ``pmo`` template (the landing page
    in place of the file tree) under ``folder/jupyter`` (put first on ``JUPYTER_PATH``); returns the pages folder."""
    import json
    import shutil

    from ..bundled import app_dir

    served = folder / "pages"
    served.mkdir(parents=True, exist_ok=True)
    for name in PAGES:
        shutil.copyfile(app_dir() / name, served / name)
    for kind in ("voila", "nbconvert"):
        template = folder / "jupyter" / kind / "templates" / "pmo"
        template.mkdir(parents=True, exist_ok=True)
        (template / "conf.json").write_text(json.dumps({"base_template": "lab"}))
    (folder / "jupyter" / "voila" / "templates" / "pmo" / "tree.html").write_text(landing(data, reports))
    return served


def command(
    folder: Path, *, port: int, host: str, token: str | None, python: str, pool: int = 1, base_url: str = "/"
) -> list[str]:
    """The Voilà command line for the prepared ``folder`` (see :func:`prepare`); run it with ``JUPYTER_PATH``
    starting with ``folder/jupyter``.

    ``pool``: planner pages run in advance (Voilà's pre-heated kernels), so a visitor gets one at once;
    the data check and the selection keep one each; 0 runs every page when it is asked for. The report
    library is never run in advance (its list of reports must be read when it is opened). Each kernel
    holds its dataset in memory (about 1 GB for 2,000 projects).
    """
    import json

    config = folder / "config"  # the pools as a Voilà config file (the command line form of a dict is deprecated)
    config.mkdir(exist_ok=True)
    (config / "voila.json").write_text(json.dumps({"VoilaKernelManager": {
        "kernel_pools_config": {"planner.ipynb": {"pool_size": pool}}, "preheat_denylist": ["reports.ipynb"]}}))  # fmt: skip
    preheat = ["--preheat_kernel=True", "--VoilaConfiguration.default_pool_size=1",
               "--Voila.config_file_paths", str(config)] if pool > 0 else []  # fmt: skip
    return [
        python, "-m", "voila", str(folder / "pages"),
        "--no-browser", f"--port={port}", f"--Voila.ip={host}", "--Voila.port_retries=0",
        "--strip_sources=True", "--show_tracebacks=False", "--VoilaConfiguration.classic_tree=True",
        "--template=pmo", f"--Voila.token={token or ''}", f"--Voila.base_url={base_url}",
        "--MappingKernelManager.cull_idle_timeout=600", "--MappingKernelManager.cull_interval=120", *preheat,
    ]  # fmt: skip


__all__ = ["LOCAL_HOSTS", "PAGES", "Settings", "check_address", "command", "prepare", "settings"]
