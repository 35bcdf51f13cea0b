"""A PMO's own files in: MS Project XML (MSPDI), Primavera P6 XER, and the dataset forms; each checked like a dataset.

:func:`validate` takes any source PMO Lab reads — a dataset folder of CSV files, an ``.xlsx``
workbook, an MS Project XML file (``.xml``), a Primavera P6 export (``.xer``, one project per
PROJECT row), a Jira CSV export (``.csv`` with Jira's ``Issue key`` column, one project per Jira
project), or a folder of such files (one project per MS Project file) — and returns the same :class:`~pmo_lib.data.ValidationResult` as
``pmo_lib.data.validate``: every finding names the source file and the element (``plan.xml[Task]``
row 12 is the twelfth ``Task`` element). :func:`load` raises one ``DataError`` with them all.
:func:`read` gives the imported tables before the checks, with the mapping report.

Modules: ``mapping`` (options, the imported tables, joining files), ``mspdi_xml`` (reading MS
Project XML as a stream) and ``mspdi`` (its rules, each stated), ``xer`` (Primavera P6), ``jira`` (Jira CSV).
"""

from __future__ import annotations

from pathlib import Path

from .mapping import Imported, Options, SourceError, combine, failed

__all__ = [
    "Imported",
    "Options",
    "SourceError",
    "is_source",
    "load",
    "load_portfolio",
    "read",
    "validate",
    "write_dataset",
]

READERS = {".xml": "mspdi", ".xer": "xer", ".csv": "jira"}


def _kind(path: Path) -> str | None:
    """The reader for a source file, or None for a dataset form (CSV folder, workbook)."""
    if not path.is_file():
        return None
    kind = READERS.get(path.suffix.lower())
    if kind == "jira":
        from .jira import looks_like_jira

        return kind if looks_like_jira(path) else None
    return kind


def source_files(path: Path) -> list[Path]:
    """The source files a path stands for: itself, or the MS Project XML files of a folder (sorted)."""
    path = Path(path)
    if path.is_file():
        return [path] if _kind(path) else []
    if path.is_dir() and not any(path.glob("*.csv")):
        return sorted(f for f in path.iterdir() if f.is_file() and _kind(f))
    return []


def is_source(path: Path) -> bool:
    """True when ``path`` is (or is a folder of) files an importer reads, rather than a dataset."""
    return bool(source_files(Path(path)))


def _read_one(path: Path, options: Options) -> Imported:
    from importlib import import_module

    reader = import_module(f".{READERS[path.suffix.lower()]}", __name__)
    try:
        return reader.read(path, options)
    except SourceError as exc:
        return failed(path, exc)
    except OSError as exc:
        return failed(path, SourceError(f"the file could not be read ({exc.strerror})", "check the path and rights"))


def read(paths, options: Options | None = None) -> list[Imported]:
    """Each source file (a folder stands for its files) imported on its own, before the checks."""
    options = options or Options()
    paths = [Path(p) for p in ([paths] if isinstance(paths, str | Path) else paths)]
    files = [f for p in paths for f in source_files(p)]
    if options.project_id and len(files) > 1:
        raise ValueError("a project id can be given for one source file only; each file of several is one project")
    return [_read_one(f, options) for f in files]


def _as_raw(imported: Imported) -> dict:
    """The imported tables in the form the dataset checks take: text cells, index = row - 2, their sources."""
    from ..data import Source

    raw = {}
    for name, frame in imported.tables.items():
        label = imported.labels.get(name, name)
        src = Source(name, label, imported.files[0], rows=len(frame), fields=imported.fields.get(name))
        cells = frame.drop(columns="_row").astype(object).where(frame.drop(columns="_row").notna(), None)
        cells.index = frame["_row"].astype(int).to_numpy() - 2
        raw[name] = (cells, src)
    return raw


def validate(paths, options: Options | None = None):
    """Check any source PMO Lab reads (see the module notes); never raises for bad data."""
    from ..data import ValidationResult, validate_tables
    from ..data import validate as validate_dataset

    first = Path(paths[0] if isinstance(paths, list | tuple) else paths)
    single = not isinstance(paths, list | tuple) or len(paths) == 1
    if single and not is_source(first):
        if not first.exists():
            raise FileNotFoundError(f"no dataset at {first}")
        if first.is_dir() and not any(first.glob("*.csv")) and any(first.iterdir()):
            raise ValueError(f"{first} holds neither CSV tables nor plans PMO Lab imports (.xml, .xer)")
        return validate_dataset(first)
    parts = read(paths, options)
    if not parts:
        raise ValueError(f"no file PMO Lab can import in {first}")
    checked = []
    for part in parts:  # each file on its own first, so a finding names its file and element
        if any(f.severity == "error" for f in part.findings) and not part.tables:
            checked.append(ValidationResult(part.files[0], part.findings, {}, None))
        else:
            checked.append(validate_tables(part.files[0], _as_raw(part), part.findings))
    if len(parts) == 1 or not all(c.ok for c in checked):
        if len(parts) == 1:
            result = checked[0]
        else:
            findings = [f for c in checked for f in c.findings]
            result = ValidationResult(first, findings, {}, None)
        result.imported = combine(parts)
        return result
    together = combine(parts)
    result = validate_tables(first, _as_raw(together), together.findings)
    result.imported = together
    return result


def load(paths, options: Options | None = None):
    """Load any source into a ``Portfolio``, raising one ``DataError`` with every finding."""
    from ..errors import DataError

    result = validate(paths, options)
    if not result.ok:
        raise DataError(result.findings, source=str(paths))
    return result.portfolio


load_portfolio = load  # pmo.load_portfolio reads every form PMO Lab knows


def write_dataset(portfolio, target: Path) -> list[Path]:
    """Write a loaded portfolio as a dataset folder, all or nothing: into a new folder beside the target, then moved."""
    from ..files import atomic_folder
    from ..schemas import TABLE_NAMES
    from ..synth import write

    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty; give a new folder for the dataset")
    tables = {name: portfolio.table(name) for name in TABLE_NAMES if len(portfolio.table(name)) or name == "projects"}
    with atomic_folder(target) as work:
        write(tables, work)
    return sorted(target.glob("*.csv"))
