"""Writing outputs safely: to a temporary file in the same folder, then moved into place.

A run that fails half-way never leaves a half-written file over the last good one.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def publish(tmp: Path, target: Path) -> None:
    """Move a finished temporary file into place, with the permissions of an ordinary new file."""
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes files private (0600)
    os.replace(tmp, target)


@contextmanager
def atomic_open(target: Path, mode: str = "wb", **kwargs) -> Iterator[IO]:
    """Open a temporary file beside ``target``; on success it is flushed, synced and renamed to ``target``."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        publish(Path(tmp), target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """A new folder, all or nothing: written as a hidden folder beside ``target`` and moved into place
    when the block ends without an error (an empty ``target`` is replaced); on an error it is removed."""
    import shutil

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        yield work
        if target.exists():
            target.rmdir()  # only an empty folder: the callers refuse any other
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_open(target, "wb") as fh:
        fh.write(data)


def read_yaml(path: Path, error: type[Exception], what: str):
    """A small YAML file a user wrote (safe loader only), or ``error`` naming the file and what is wrong.

    ``what`` names the kind of file in the messages (``"standard"``, ``"scenario"``). A syntax error
    gives its line and column; a file that is not UTF-8 says to save it as UTF-8.
    """
    import yaml

    path = Path(path)
    if not path.exists():
        raise error(f"{path}: no such {what} file")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: 10x faster
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise error(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise error(f"{path}: not a UTF-8 text file; save it as UTF-8") from None


def fingerprint(path) -> str:
    """A short SHA-256 of a dataset's input files (names and bytes, in name order): same data, same print."""
    import hashlib

    path = Path(path)
    files = (
        sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".xlsx"))
        if path.is_dir()
        else [path]
    )
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode("utf-8") + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def slug(name: str) -> str:
    """A file name for a portfolio or scenario: ``"Infrastructure & Security"`` -> ``"infrastructure-security"``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "portfolio"
