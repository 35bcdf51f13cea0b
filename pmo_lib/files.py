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


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_open(target, "wb") as fh:
        fh.write(data)


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
