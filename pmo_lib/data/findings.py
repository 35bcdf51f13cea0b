"""Collecting findings: where a table came from, and capped per-kind lists of problems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Finding

MAX_FINDINGS_PER_KIND = 200  # per file, column and problem; the rest are counted


@dataclass
class Source:
    """Where a table came from and how it was read."""

    table: str
    label: str  # what the user sees: tasks.csv or plan.xlsx[tasks]
    path: Path
    encoding: str = ""
    delimiter: str = ","
    rows: int = 0
    fields: dict | None = None  # an imported table: column -> the source's own field name, shown in findings
    dropped_keys: set = field(default_factory=set)  # keys of rows left out as unreadable (reported once, there)


class Collector:
    """Collects findings, keeping at most MAX_FINDINGS_PER_KIND of each kind."""

    def __init__(self):
        self.findings: list[Finding] = []
        self._counts: dict[tuple, int] = {}

    def add(self, severity, src: Source | None, problem, fix, *, row=None, column=None, value=None, table=None):
        table = table if table is not None else (src.table if src else "")
        label = src.label if src else table
        if src is not None and src.fields and column in src.fields:
            column = src.fields[column]
        self.findings.append(Finding(severity, table, label, row, column, value, problem, fix))

    def extend(self, other: Collector) -> None:
        """Append the findings of another collector (e.g. one table's)."""
        self.findings.extend(other.findings)

    def add_rows(self, severity, src: Source, column, rows, values, problem, fix):
        """Add one finding per offending row (vectorised inputs), capped per kind."""
        rows = np.asarray(rows)
        if rows.size == 0:
            return
        kind = (src.label, column, problem)
        seen = self._counts.get(kind, 0)
        room = max(limit() - seen, 0)
        values = list(values)
        for r, v in zip(rows[:room].tolist(), values[:room], strict=False):
            self.add(severity, src, problem, fix, row=int(r), column=column, value=show(v))
        self._counts[kind] = seen + rows.size
        if rows.size > room:
            self.add(
                severity,
                src,
                f"{rows.size - room} more row(s) with the same problem: {problem}",
                fix,
                column=column,
            )


def show(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def file_rows(index: pd.Index) -> np.ndarray:
    """Row numbers as the user sees them in a file or sheet (header is row 1)."""
    return np.asarray(index, dtype=np.int64) + 2


def canonical_header(name: object) -> str:
    """Map a raw header onto the canonical snake_case name ('Project ID' → 'project_id')."""
    text = str(name).strip().lstrip("\ufeff").lower()
    text = re.sub(r"[\s\-./]+", "_", text)
    return text.strip("_")


def limit() -> int:
    """The per-kind cap, read at call time so tests can lower it."""
    return MAX_FINDINGS_PER_KIND
