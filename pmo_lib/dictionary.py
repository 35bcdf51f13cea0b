"""The data dictionary (``datasets/README.md``), rendered from the schemas.

``make docs`` (``python -m pmo_lib.dictionary``) rewrites it and the column
list of ``docs/glossary.md``; tests check the committed files equal
:func:`render` and :func:`glossary_columns`, so they never drift.
"""

from __future__ import annotations

from pathlib import Path

from .schemas import TABLES

TYPE_NAMES = {
    "id": "text (code)",
    "text": "text",
    "category": "text (fixed list)",
    "date": "date YYYY-MM-DD",
    "month": "month YYYY-MM",
    "number": "number",
    "integer": "whole number",
    "flag": "true/false",
}

HEADER = """# Data dictionary

A dataset is a folder with one CSV file per table (`projects.csv`, `tasks.csv`,
...) or one `.xlsx` workbook with one sheet per table. Only `projects` is
required. Headers are matched without regard to case or spaces (`Project ID`
reads as `project_id`); extra columns are kept and reported as a note.

Conventions: dates as `YYYY-MM-DD`, months as `YYYY-MM`; money in the project's
currency (`projects.currency`); effort in hours; durations and lags in working
days; FTE as a fraction of full time (1.0 = full time). CSV files may be UTF-8
(with or without BOM) or Windows-1252, comma- or semicolon-separated; the
loader says which it used. The row numbers in findings are the rows you see
in a spreadsheet (the header is row 1).

This file is generated from `pmo_lib/schemas.py` by `make docs`; a test keeps them equal.

The bundled dataset `sample/` is described in `pmo_lib.datasets.load_sample`.
"""


def _rule(column) -> str:
    parts = []
    for check in column.checks:
        stats = check.statistics or {}
        if check.name == "isin":
            parts.append("one of: " + ", ".join(f"`{v}`" for v in stats["allowed_values"]))
        elif check.name == "in_range":
            parts.append(f"{stats['min_value']} to {stats['max_value']}")
        elif check.name == "greater_than_or_equal_to":
            parts.append(f">= {stats['min_value']}")
    return "; ".join(parts)


def render() -> str:
    lines = [HEADER]
    for spec in TABLES.values():
        lines.append(f"## {spec.name}\n")
        lines.append(spec.description + (" **Required table.**" if spec.required_table else "") + "\n")
        lines.append(f"Key: {' + '.join(f'`{k}`' for k in spec.key)} (unique).")
        for fk in spec.foreign_keys:
            opt = " when filled in" if fk.optional else ""
            lines.append(
                f"Links: {' + '.join(f'`{c}`' for c in fk.columns)} must exist in "
                f"`{fk.table}` ({' + '.join(f'`{c}`' for c in fk.ref_columns)}){opt}."
            )
        for start, finish in spec.date_order:
            lines.append(f"Order: `{finish}` on or after `{start}`.")
        lines.append("")
        lines.append("| column | type | unit | required | allowed | meaning |")
        lines.append("|---|---|---|---|---|---|")
        for name, col in spec.columns.items():
            kind = col.metadata["kind"]
            need = "column and value" if col.required and not col.nullable else ("column" if col.required else "")
            if not col.required and not col.nullable:
                need = "value"
            lines.append(
                f"| `{name}` | {TYPE_NAMES[kind]} | {col.metadata.get('unit', '')} | {need} | {_rule(col)} | {col.description} |"
            )
        lines.append("")
    lines.append(STORE_HEADER)
    from .store.schema import describe

    for table, purpose, columns in describe():
        lines.append(f"### {table}\n")
        lines.append(purpose + "\n")
        lines.append("| column | type | unit | meaning |")
        lines.append("|---|---|---|---|")
        lines.extend(f"| `{c}` | {kind} | {unit} | {meaning} |" for c, kind, unit, meaning in columns)
        lines.append("")
    return "\n".join(lines)


STORE_HEADER = """## The history store (reports/pmo.duckdb)

`pmo snapshot` and (later) `pmo report` append monthly snapshots to a DuckDB file; analysts query it
with plain SQL (`duckdb.connect("reports/pmo.duckdb", read_only=True)`). Its tables and views:
"""


def glossary_columns() -> str:
    """Every canonical column name once, with its unit and meaning (for ``docs/glossary.md``)."""
    seen: dict[str, tuple[str, str, list[str]]] = {}
    for spec in TABLES.values():
        for name, col in spec.columns.items():
            unit = col.metadata.get("unit", "") or TYPE_NAMES[col.metadata["kind"]]
            if name not in seen:
                seen[name] = (unit, col.description, [])
            seen[name][2].append(spec.name)
    lines = ["| name | unit | meaning | tables |", "|---|---|---|---|"]
    for name in sorted(seen):
        unit, meaning, tables = seen[name]
        lines.append(f"| `{name}` | {unit} | {meaning} | {', '.join(tables)} |")
    return "\n".join(lines) + "\n"


MARKER = "<!-- generated from the schemas below this line -->\n"


def write(root: Path) -> None:
    """Rewrite ``datasets/README.md`` and the generated part of ``docs/glossary.md``."""
    (root / "datasets" / "README.md").write_text(render())
    glossary = root / "docs" / "glossary.md"
    head = glossary.read_text().split(MARKER)[0]
    glossary.write_text(head + MARKER + glossary_columns())


if __name__ == "__main__":
    from .bundled import root

    write(root())
