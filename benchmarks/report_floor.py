"""The floor for ``pmo report``: papermill runs an empty notebook, then the report's own HTML export.

Run as a script, ``python benchmarks/report_floor.py EXECUTED.ipynb OUT_DIR``, so it pays the
same process start as the ``pmo`` command it is compared with.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import papermill
from nbformat.v4 import new_code_cell, new_notebook

from pmo_lib.reporting.publish import notebook_html as _html


def main(executed: str, out_dir: str) -> None:
    out = Path(out_dir)
    empty = out / "empty.ipynb"
    nb = new_notebook(cells=[new_code_cell("pass")])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, empty)
    papermill.execute_notebook(str(empty), str(out / "empty.out.ipynb"), kernel_name="python3", progress_bar=False)
    (out / "floor.html").write_bytes(_html(Path(executed)))


if __name__ == "__main__":
    main(*sys.argv[1:3])
