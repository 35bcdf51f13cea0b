"""Re-execute every notebook in place so the stored outputs are real and fresh.

``make notebooks`` (``python -m pmo_lib.notebook_refresh``) runs each notebook in
``notebooks/`` with its default parameters (the sample data) through papermill,
then strips run noise (timings, papermill metadata) so that a re-run on the
same data leaves git with nothing to commit and nbval with outputs to check.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .bundled import is_installed, root

NOTEBOOK_DIRS = ("notebooks", "exercises")  # exercises/solutions are run by the tests, not stored


def strip_noise(path: Path) -> None:
    """Remove timings, papermill bookkeeping and saved widget state (random ids); keep outputs and tags."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)  # saved widget state carries random model ids; widgets come back when run
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for out in cell.outputs:
                out.get("metadata", {}).pop("papermill", None)
                out.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    nbformat.write(nb, path)


def refresh(path: Path) -> None:
    import os
    import tempfile

    import papermill

    # checks run while refreshing must not count as anybody's progress
    os.environ["PMO_LAB_PROGRESS"] = str(Path(tempfile.gettempdir()) / "pmo-lab-refresh-progress.json")
    os.environ["PMO_LAB_LEARNER"] = "refresh"
    from .reporting.runner import KERNEL_ARGUMENTS

    papermill.execute_notebook(
        str(path),
        str(path),
        kernel_name="python3",
        progress_bar=False,
        cwd=str(path.parent),
        extra_arguments=KERNEL_ARGUMENTS,
    )
    strip_noise(path)


def all_notebooks() -> list[Path]:
    return sorted(p for d in NOTEBOOK_DIRS for p in (root() / d).glob("*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    if is_installed():
        raise SystemExit("make notebooks refreshes the notebooks of a checkout; this PMO Lab is an installed package")
    paths = [Path(a) for a in (argv if argv is not None else sys.argv[1:])] or all_notebooks()
    for path in paths:
        print(f"Running {path.relative_to(root()) if path.is_absolute() else path} ...", flush=True)
        refresh(path.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
