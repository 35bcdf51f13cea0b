"""A learner's own copy of the exercise notebooks (``pmo exercises copy DIR``).

The learner notebooks ship with PMO Lab (:func:`pmo_lib.bundled.exercises_dir`). A copy goes where
the learner wants it, with each notebook's ``data`` parameter pointing at the bundled sample
dataset, so the copy runs from any folder. A notebook already in the folder is the learner's work:
it is kept unless ``force`` is given.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

_DATA_LINE = re.compile(r'^data = "[^"\n]*"', re.MULTILINE)


@dataclass
class Copied:
    """What :func:`copy_notebooks` did: the files written and the learner's files it kept."""

    folder: Path
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def _with_data(text: str, data: Path) -> str:
    """The notebook's JSON text with the parameters cell's ``data = "..."`` set to ``data``."""
    import nbformat

    nb = nbformat.reads(text, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            cell.source = _DATA_LINE.sub(lambda _: f"data = {json.dumps(str(data))}", cell.source)
    return nbformat.writes(nb) + "\n"


def copy_notebooks(folder, *, force: bool = False) -> Copied:
    """Copy the learner notebooks and their README into ``folder`` (made if missing).

    Returns a :class:`Copied`. The copies' ``data`` parameter is the absolute
    path of the bundled sample; nothing else in them changes.
    """
    from ..bundled import exercises_dir, sample_data
    from ..files import atomic_open

    source, folder = exercises_dir(), Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    done = Copied(folder)
    for path in sorted(source.glob("*.ipynb")) + [source / "README.md"]:
        target = folder / path.name
        if target.exists() and not force:
            done.kept.append(target)
            continue
        if path.suffix == ".ipynb":
            with atomic_open(target, "w", encoding="utf-8") as fh:
                fh.write(_with_data(path.read_text(encoding="utf-8"), sample_data()))
        else:
            shutil.copyfile(path, target)
        done.written.append(target)
    return done


__all__ = ["Copied", "copy_notebooks"]
