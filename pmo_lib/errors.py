"""One root for every error PMO Lab raises on purpose.

``PMOError`` is the root. ``DataError`` is raised for bad input data and carries
every problem found in one pass as a list of :class:`Finding` objects, so a PMO
analyst can fix a spreadsheet in one go instead of one traceback at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class Finding:
    """One problem (or remark) about the input data.

    Parameters
    ----------
    severity
        ``"error"`` stops the data from loading; ``"warning"`` is probably wrong
        but loads; ``"note"`` is information (e.g. the encoding used).
    table
        Canonical table name (``"tasks"``), or ``""`` for the dataset as a whole.
    file
        File name (``tasks.csv``) or ``workbook.xlsx[tasks]`` for a sheet.
    row
        Row number as the user sees it in the file or sheet (the header is row 1),
        or ``None`` when the finding is about the whole file or column.
    column
        Column name, or ``None``.
    value
        The offending value as text, or ``None``.
    problem
        What is wrong, in plain words.
    fix
        How to fix it.
    """

    severity: str
    table: str
    file: str
    row: int | None
    column: str | None
    value: str | None
    problem: str
    fix: str

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        value = f" (value: {self.value!r})" if self.value not in (None, "") else ""
        return f"{self.severity.upper()}: {self.location()}: {self.problem}{value}. Fix: {self.fix}"

    def as_dict(self) -> dict:
        return asdict(self)


class PMOError(Exception):
    """Root of every error PMO Lab raises on purpose."""


class StandardError(PMOError):
    """A standard file that cannot be used; the message lists every problem (file, key path, what is wrong)."""


class DataError(PMOError):
    """Bad input data: carries every finding from one validation pass."""

    def __init__(self, findings: Iterable[Finding], source: str = ""):
        self.findings = list(findings)
        self.source = source
        errors = [f for f in self.findings if f.severity == "error"]
        head = f"{len(errors)} problem(s) in {source or 'the data'}"
        lines = [str(f) for f in errors[:20]]
        if len(errors) > 20:
            lines.append(f"... and {len(errors) - 20} more (run `pmo validate` to see them all)")
        super().__init__(head + ":\n" + "\n".join(lines))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


class StoreError(PMOError):
    """The history store cannot be used: busy, from a newer PMO Lab, or not a PMO Lab store."""
