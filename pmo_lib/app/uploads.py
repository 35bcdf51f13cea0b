"""Uploaded files for "Check my data": size-limited, kept in a private temporary folder, deleted after.

An upload's own name is never used as a path. The file is stored under a fixed name chosen by its
kind (``upload.xlsx``, ``upload.xml``, ``upload.xer``, ``upload.csv``); a zipped CSV folder is
unpacked member by member, keeping only members whose base name is a table of the data model
(``projects.csv`` ...) and refusing the archive when one would unpack beyond the stated limit
(a zip bomb) or is not a plain file. What the checks say about the file names it by the name the
analyst knows (the upload's, escaped where it is shown).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ..errors import PMOError

DEFAULT_LIMIT_MB = 8  # under the 10 MB a browser's websocket message may carry to the kernel
KINDS = {".xlsx": "upload.xlsx", ".xml": "upload.xml", ".xer": "upload.xer", ".csv": "upload.csv", ".zip": None}


class UploadRefused(PMOError):
    """An upload that is too big, of a kind PMO Lab does not read, or an unsafe archive."""


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


@contextmanager
def received(name: str, content: bytes, *, limit_mb: float = DEFAULT_LIMIT_MB):
    """The upload stored in a fresh private folder; yields the path to check; the folder is removed after.

    Raises :class:`UploadRefused` (with the limit or the kinds accepted) before anything is written.
    """
    from ..schemas import TABLES

    limit = int(limit_mb * 1_000_000)
    if len(content) > limit:
        raise UploadRefused(f"the file is {_megabytes(len(content))}; the limit is {_megabytes(limit)} "
                            "(check a bigger dataset with `pmo validate` on your own machine)")  # fmt: skip
    suffix = PurePosixPath(str(name).replace("\\", "/")).suffix.lower()
    if suffix not in KINDS:
        raise UploadRefused(f"{suffix or 'a file without an extension'} is not a kind PMO Lab reads here; "
                            "upload a workbook (.xlsx), a zipped folder of CSV files (.zip), an MS Project XML "
                            "(.xml), a Primavera XER (.xer) or a Jira CSV (.csv)")  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="pmo-upload-"))
    try:
        if suffix == ".zip":
            target = folder / "dataset"
            target.mkdir()
            _unpack(content, target, limit, set(TABLES))
        else:
            target = folder / KINDS[suffix]
            target.write_bytes(content)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _unpack(content: bytes, target: Path, limit: int, tables: set[str]) -> None:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise UploadRefused("the .zip file cannot be opened (it is damaged or not a zip archive)") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > 10 * limit:
            raise UploadRefused(f"the archive unpacks to {_megabytes(sum(m.file_size for m in members))}, "
                                f"more than ten times the limit of {_megabytes(limit)}")  # fmt: skip
        kept = 0
        for member in members:
            base = PurePosixPath(member.filename.replace("\\", "/")).name.lower()
            if not re.fullmatch(r"[a-z_]+\.csv", base) or base[:-4] not in tables:
                continue  # not a table of the data model: left in the archive, never written
            (target / base).write_bytes(archive.read(member))
            kept += 1
        if not kept:
            raise UploadRefused("the archive holds no table PMO Lab knows (projects.csv, tasks.csv ...); "
                                "zip the folder of CSV files itself")  # fmt: skip


__all__ = ["DEFAULT_LIMIT_MB", "UploadRefused", "received"]
