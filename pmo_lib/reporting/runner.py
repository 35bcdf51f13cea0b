"""Run a parameterised notebook with papermill and export it, atomically.

Parameters are checked against the notebook's own ``parameters`` cell before
any cell runs (unknown names are refused: papermill would only warn, and a
crafted name could run code). The kernel starts first, importing what the
notebook needs, so that its start overlaps the work done here. Outputs are
written to temporary files in the output folder and moved into place only
when the run succeeded, so a failed run never replaces the last good output.
A failed run keeps the executed notebook beside an error file that names the
failing cell.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import PMOError
from ..files import atomic_write_bytes, publish
from .publish import exporter as html_exporter
from .publish import notebook_html

_JSON_TYPES = (str, int, float, bool, type(None))
# The kernel's own log is not the user's business: its start-up notices, and the "KeyboardInterrupt caught in
# kernel" that jupyter_client's shutdown provokes when it is used (it always sends SIGINT first; when that lands
# while the kernel is still finishing its last reply, ipykernel logs it as an error). Cell errors still reach us
# as messages.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # colour codes in IPython tracebacks


class NotebookRunError(PMOError):
    """A notebook failed to run; ``failed_notebook`` and ``error_file`` say where to look."""

    def __init__(self, message: str, failed_notebook: Path | None = None, error_file: Path | None = None):
        super().__init__(message)
        self.failed_notebook = failed_notebook
        self.error_file = error_file


def skip_iri_format_checks() -> None:
    """Keep jsonschema from loading ``rfc3987_syntax`` in this process (for commands that run notebooks).

    papermill imports nbformat, which imports jsonschema, which builds about
    40 parsers for RFC 3987 "iri" format checks at import when that optional
    package is installed: 0.65 s of a 3 s report. nbformat's schemas (draft 4)
    never use those formats, so nothing is checked less. Only done when
    jsonschema is not loaded yet; a process that already has it keeps it.
    """
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # its import now fails, which jsonschema allows for


def check_parameters(notebook: Path, parameters: dict) -> None:
    """Refuse parameter names the notebook does not declare and non-JSON values."""
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise PMOError(
            f"{notebook.name} has no parameter(s) {', '.join(unknown)}; it takes: {', '.join(sorted(declared))}"
        )
    for name, value in parameters.items():
        values = value if isinstance(value, list | tuple) else [value]
        if not all(isinstance(v, _JSON_TYPES) for v in values):
            raise PMOError(f"parameter {name} must be text, a number, true/false or a list of those")


def start_kernel(cwd: Path, warm_up: str = "", kernel_name: str = "python3"):
    """Start a kernel now that runs ``warm_up`` (imports) as it starts, before it takes any request.

    The kernel boots and imports on the other core while this process loads
    papermill and checks the parameters: the notebook's first cell then finds
    its modules loaded. ``warm_up`` is one line of imports, run by IPython's
    ``exec_lines`` (no output, no execution count). Returns the kernel
    manager; :func:`run_notebook` hands it to papermill and shuts it down.
    """
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=kernel_name)
    extra = [f"--IPKernelApp.exec_lines={warm_up}"] if warm_up else []
    km.start_kernel(extra_arguments=[*KERNEL_ARGUMENTS, *extra], cwd=str(cwd))
    return km


def _stop_kernel(km) -> None:
    """Stop the kernel at once (its outputs are in) and remove its connection files.

    The local kernel process is killed and reaped directly: jupyter_client's
    own shutdown first interrupts the kernel (which logs a KeyboardInterrupt)
    and then checks for its end every 0.1 s.
    """
    process = getattr(km.provisioner, "process", None) if km.has_kernel else None
    if process is not None:
        process.kill()
        process.wait(timeout=10)
    elif km.has_kernel:
        km.shutdown_kernel(now=True)
    km.cleanup_resources()


@contextlib.contextmanager
def kernel(notebook: Path, warm_up: str = "", kernel_name: str = "python3"):
    """A kernel for ``notebook`` started now (see :func:`start_kernel`), shut down on leaving the block.

    A command starts it before its own checks, so that the kernel's start
    overlaps them; a refused command leaves no kernel behind.
    """
    km = start_kernel(Path(notebook).parent, warm_up, kernel_name)
    try:
        yield km
    finally:
        _stop_kernel(km)


def run_notebook(
    notebook: Path,
    out_dir: Path,
    parameters: dict,
    *,
    stem: str | None = None,
    formats: tuple[str, ...] = ("ipynb", "html"),
    kernel_name: str = "python3",
    warm_up: str = "",
    km=None,
) -> list[Path]:
    """Execute ``notebook`` with ``parameters`` and write ``<stem>.<format>`` into ``out_dir``.

    Runs on ``km`` (a kernel from :func:`kernel`, started by the caller) or
    on a kernel started here first, with ``warm_up``, so that its start
    overlaps the loading of papermill. While the kernel works, a thread
    loads the HTML exporter. Returns the paths written. Raises
    :class:`NotebookRunError` (leaving any previous outputs untouched) when a
    cell fails.
    """
    notebook = Path(notebook)
    with contextlib.nullcontext(km) if km is not None else kernel(notebook, warm_up, kernel_name) as running:
        return _run(notebook, Path(out_dir), parameters, stem, formats, kernel_name, running)


def _run(notebook: Path, out_dir: Path, parameters: dict, stem, formats, kernel_name: str, km) -> list[Path]:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    stem = stem or notebook.stem
    check_parameters(notebook, parameters)
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".ipynb", dir=out_dir)
    os.close(fd)
    tmp = Path(tmp)
    # the HTML exporter loads in a thread meanwhile: ready by the time the cells are done
    loading = ThreadPoolExecutor(max_workers=1)
    exporter = loading.submit(html_exporter) if "html" in formats else None
    loading.shutdown(wait=False)  # its one job still runs to the end
    try:
        papermill.execute_notebook(
            str(notebook),
            str(tmp),
            parameters=parameters,
            kernel_name=kernel_name,
            progress_bar=False,
            cwd=str(notebook.parent),
            km=km,  # started with KERNEL_ARGUMENTS by kernel(): papermill starts no kernel of its own
            # written once at the end (and on a failure), not before and after each of the report's 60 cells
            request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as exc:
        failed = out_dir / f"{stem}.failed.ipynb"
        publish(tmp, failed)
        error_file = out_dir / f"{stem}.error.txt"
        first_line = next((line for line in (exc.source or "").splitlines() if line.strip()), "")
        message = (
            f"{notebook.name} failed in cell In [{exc.exec_count}] ({first_line.split('#')[0].strip()[:60]}): "
            f"{exc.ename}: {exc.evalue}\nThe executed notebook is kept at {failed}."
        )
        trace = _ANSI.sub("", "\n".join(exc.traceback))
        atomic_write_bytes(error_file, (message + "\n\n" + trace + "\n").encode("utf-8"))
        raise NotebookRunError(message, failed, error_file) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    written = []
    try:
        if "html" in formats:
            target = out_dir / f"{stem}.html"
            atomic_write_bytes(target, notebook_html(tmp, exporter.result()))
            written.append(target)
        if "ipynb" in formats:
            target = out_dir / f"{stem}.ipynb"
            publish(tmp, target)
            written.append(target)
    finally:
        tmp.unlink(missing_ok=True)
    for stale in (out_dir / f"{stem}.failed.ipynb", out_dir / f"{stem}.error.txt"):
        stale.unlink(missing_ok=True)
    return written


def notebook_parameters(notebook: Path) -> dict:
    """The parameters a notebook declares, with their default values (as text)."""
    import papermill

    return {k: v["default"] for k, v in papermill.inspect_notebook(str(notebook)).items()}


__all__ = [
    "NotebookRunError",
    "check_parameters",
    "kernel",
    "notebook_parameters",
    "run_notebook",
    "skip_iri_format_checks",
]
