"""The ``pmo`` command: a thin shell over the library, one small module per command group.

- :mod:`~pmo_lib.cli.data`: ``validate``, ``synth``
- :mod:`~pmo_lib.cli.history`: ``snapshot``, ``history``
- :mod:`~pmo_lib.cli.imports`: ``import``; :mod:`~pmo_lib.cli.exports`: ``export``, ``export-template``
- :mod:`~pmo_lib.cli.analysis`: ``schedule``, ``evm``, ``risk``
- :mod:`~pmo_lib.cli.reports`: ``report``, ``check``
- :mod:`~pmo_lib.cli.planning`: ``whatif``
- :mod:`~pmo_lib.cli.demand`: ``select``
- :mod:`~pmo_lib.cli.learning`: ``exercises``, ``tour``
- :mod:`~pmo_lib.cli.app`: ``app`` (the browser app)

Every command checks its request through :mod:`~pmo_lib.cli.common` before any work. Exit codes: 0
success, 1 bad data (or a failed run), 2 usage error. Bad data never shows a Python traceback; it
shows findings. A command given no dataset works on the sample that ships with PMO Lab; outputs go
under the current folder.
"""

from __future__ import annotations

import click

from .. import __version__
from .analysis import evm, risk, schedule
from .app import app
from .common import EXIT_DATA, EXIT_OK, EXIT_USAGE, format_findings
from .data import synth, validate
from .demand import select
from .exports import export, export_template
from .history import history, snapshot
from .imports import import_
from .learning import exercises, tour
from .planning import whatif
from .reports import check, report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pmo")
def main() -> None:
    """PMO Lab: check portfolio data, make reports, plan resources."""


for command in (
    validate,
    synth,
    import_,
    export,
    export_template,
    snapshot,
    history,
    schedule,
    evm,
    risk,
    report,
    check,
    exercises,
    whatif,
    select,
    tour,
    app,
):
    main.add_command(command)

__all__ = ["EXIT_DATA", "EXIT_OK", "EXIT_USAGE", "format_findings", "main"]
