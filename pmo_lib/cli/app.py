"""``pmo app``: the planner, the report library, the data check and the selection as web pages (Voilà)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .common import dataset, usage_error


@click.command(short_help="Start the browser app: planner, report library, data check, selection.")
@click.option("--data", "data", type=click.Path(path_type=Path), default=None,
              help="Dataset the pages use [default: the bundled sample].")  # fmt: skip
@click.option("--reports", type=click.Path(path_type=Path), default=Path("reports"), show_default=True,
              help="Folder of the reports (reports/<month>/...) and of saved scenarios.")  # fmt: skip
@click.option("--port", type=click.IntRange(1, 65535), default=8866, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but this machine needs --token.")  # fmt: skip
@click.option("--token", default=None, envvar="PMO_APP_TOKEN",
              help="Token people must give to get in (the link carries ?token=...) [env: PMO_APP_TOKEN].")  # fmt: skip
@click.option("--base-url", default="/", show_default=True,
              help="Path the app is served under, behind a proxy or JupyterHub (e.g. /services/pmo/).")  # fmt: skip
@click.option("--pool", type=click.IntRange(0, 8), default=1, show_default=True,
              help="Planner pages run in advance, so they open at once (0: run each page when asked; one per "
                   "person expected at the same moment; each holds the data in memory).")  # fmt: skip
@click.option("--upload-limit", type=click.FloatRange(0.1, 9.0), default=None,
              help="Largest upload for Check my data, in MB [default: 8].")  # fmt: skip
def app(data, reports: Path, port: int, host: str, token, base_url: str, pool: int, upload_limit) -> None:
    """Serve PMO Lab's pages to a browser until stopped (Ctrl+C).

    Only the app's own pages are served (sources hidden, no file tree, no terminals). On this
    machine (127.0.0.1, the default) no token is needed; on any other address the app refuses to
    start without one. docs/deploy.md covers a team server behind a reverse proxy or JupyterHub.
    """
    import subprocess
    import tempfile

    from ..app import check_address, command, prepare
    from ..bundled import sample_data
    from ..errors import PMOError
    from ..importers import load

    try:
        check_address(host, token)
    except PMOError as exc:
        usage_error("app", str(exc))
    data = dataset(data) if data else sample_data()
    try:
        load(data)  # a dataset the pages cannot read stops here, with its findings
    except PMOError as exc:
        usage_error("app", f"{data}: {exc}")
    reports = reports.resolve()
    reports.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pmo-app-") as folder:
        folder = Path(folder)
        prepare(folder, data=str(Path(data).resolve()), reports=str(reports))
        env = dict(os.environ)
        env["JUPYTER_PATH"] = os.pathsep.join([str(folder / "jupyter"), env.get("JUPYTER_PATH", "")]).rstrip(os.pathsep)
        env.update(PMO_APP_DATA=str(Path(data).resolve()), PMO_APP_REPORTS=str(reports))
        if upload_limit:
            env["PMO_APP_UPLOAD_MB"] = str(upload_limit)
        base_url = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
        where = f"http://{'[' + host + ']' if ':' in host else host}:{port}{base_url}" + (
            f"?token={token}" if token else ""
        )
        click.echo(f"PMO Lab app on {where} (Ctrl+C stops it)", err=True)
        try:
            done = subprocess.run(command(folder, port=port, host=host, token=token, python=sys.executable, pool=pool,
                                  base_url=base_url), env=env,
                                  check=False)  # fmt: skip
        except KeyboardInterrupt:
            done = None
    sys.exit(0 if done is None or done.returncode in (0, -2, 130) else 1)
