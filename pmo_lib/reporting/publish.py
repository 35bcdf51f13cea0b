"""The report's files: its tables as an Excel workbook, an executed notebook as an offline HTML page, and
the index page of a month's reports.

Every file is written atomically (:mod:`pmo_lib.files`); text from the data is escaped in HTML and
neutralised in Excel (:mod:`pmo_lib.export`).
"""

from __future__ import annotations

import html
from pathlib import Path

from ..files import atomic_write_bytes

TEMPLATES = Path(__file__).resolve().parent / "templates"  # package data: the offline HTML template


#: The report's tables as workbook sheets: sheet name -> key in :func:`build`'s result.
SHEETS = {
    "Portfolio": "portfolio",
    "Exceptions": "exceptions",
    "Totals": "totals",
    "Biggest changes": "biggest_changes",
    "Decisions needed": "decisions",
    "Milestones": "milestones",
    "Schedule risk": "schedule_risk",
    "Burn by project": "burn_by_project",
    "Top risks": "top_risks",
    "Overdue reviews": "overdue_reviews",
    "Overdue issues": "overdue_issues",
    "Changes decided": "changes_decided",
    "Utilisation": "utilisation",
    "Over-allocated": "over_allocated",
    "Month over month": "month_over_month",
    "Compliance": "compliance",
    "Findings": "findings",
    "Findings new, resolved": "findings_changes",
    "Trend": "trend",
    "RAG history": "rag_history",
    "Changed since last": "changed_since_last",
    "Red since": "red_since",
    "Milestone trend": "milestone_trend",
}
NUMBER_FORMATS = {
    **dict.fromkeys(
        ["EAC", "VAC", "amount", "eac_before", "eac_now", "eac_change", "cost_impact", "emv", "bac"], "#,##0"
    ),
    **dict.fromkeys(["actual_to_date", "forecast_at_completion", "fac_over_bac"], "#,##0"),
    **dict.fromkeys(["capacity_hours", "demand_hours", "over_hours"], "#,##0.0"),
    **dict.fromkeys(["SPI", "CPI", "cpi_before", "cpi_now", "spi_before", "spi_now"], "0.00"),
    **dict.fromkeys(["utilisation", "spent_share", "chance_by_baseline"], "0%"),
    "score": "0",
}


def workbook(result: dict, target) -> None:
    """Write the report's tables (one sheet each, see :data:`SHEETS`) to an Excel workbook, atomically."""
    from ..export import write_xlsx

    sheets = {title: result[key] for title, key in SHEETS.items() if key in result}
    write_xlsx(sheets, target, number_formats=NUMBER_FORMATS)


def exporter():
    """The HTML exporter of the reports, its templates loaded (by converting an empty notebook once)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="pmo_offline",  # the lab template without require.js / MathJax from a CDN
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.from_notebook_node(nbformat.v4.new_notebook())
    return exporter


def notebook_html(notebook_path: Path, loaded=None) -> bytes:
    import nbformat

    body, _ = (loaded or exporter()).from_notebook_node(nbformat.read(notebook_path, as_version=4))
    return body.encode("utf-8")


def index_page(month: str, outcomes: list, out_dir: Path, all_name: str = "all") -> Path:
    """An HTML page linking each portfolio's report of the month (names escaped)."""
    rows = []
    for o in sorted(outcomes, key=lambda o: (o.name != all_name, o.name)):
        label = "All portfolios" if o.name == all_name else o.name
        links = " · ".join(
            f'<a href="{html.escape(p.name)}">{html.escape(p.suffix[1:])}</a>' for p in o.written
        )  # fmt: skip
        state = f"<b>failed</b>: {html.escape((o.error or '').splitlines()[0])}" if o.error else links
        rows.append(f"<tr><td>{html.escape(label)}</td><td>{state}</td></tr>")
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>Portfolio reports {html.escape(month)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}td{padding:4px 12px;border-bottom:1px solid #ddd}</style>"
        f"</head><body><h1>Portfolio reports, {html.escape(month)}</h1><table>{''.join(rows)}</table></body></html>"
    )
    target = out_dir / "index.html"
    atomic_write_bytes(target, page.encode("utf-8"))
    return target


__all__ = ["NUMBER_FORMATS", "SHEETS", "exporter", "index_page", "notebook_html", "workbook"]
