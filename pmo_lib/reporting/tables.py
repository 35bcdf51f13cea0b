"""Presentation for notebooks and reports: tables styled for reading, text escaped, RAG with its letter.

The report notebook and the what-if widgets use it. Every table goes through :func:`table`,
which escapes text from the data (a ``<script>`` in a project name shows as
text), formats money, ratios, percentages and dates, colours RAG cells while
keeping the letter, and gives the HTML a fixed id so stored outputs do not
change from run to run.
"""

from __future__ import annotations

import html

import pandas as pd

from .charts import RAG_COLOURS

RAG_TEXT = {"R": "white", "A": "black", "G": "white"}
MAX_ROWS = 200  # rows of a table shown in a report page
ACRONYMS = {"id", "rag", "eac", "vac", "spi", "cpi", "emv", "bac", "fac", "p50", "p80", "p95", "ev", "pv", "ac"}


def label(column) -> str:
    """A column name for readers: ``"chance_by_baseline"`` -> ``"Chance by baseline"``, ``"project_id"`` -> ``"Project ID"``."""
    text = str(column)
    if "_" not in text and not text.islower():
        return text  # already written for readers
    words = [w.upper() if w in ACRONYMS else w for w in text.split("_")]
    first = words[0] if words[0].isupper() else words[0].capitalize()
    return " ".join([first, *words[1:]])


def _rag_style(value) -> str:
    if isinstance(value, str) and value in RAG_COLOURS:
        return (
            f"background-color: {RAG_COLOURS[value]}; color: {RAG_TEXT[value]}; font-weight: bold; text-align: center"
        )
    return ""


class Table:
    """A styled table for a notebook: HTML for people, a stable one-line text for everything else."""

    def __init__(self, styler, key: str, rows: int):
        self.styler, self.key, self.rows = styler, key, rows

    def _repr_html_(self) -> str:
        return self.styler.to_html()

    def __repr__(self) -> str:
        return f"<table {self.key}: {self.rows} rows>"


def table(
    frame: pd.DataFrame,
    key: str,
    *,
    money=(),
    ratio=(),
    percent=(),
    dates=(),
    rag=(),
    whole=(),
    currency: str = "",
    caption: str | None = None,
    max_rows: int | None = MAX_ROWS,
):
    """A read-only, escaped, formatted view of ``frame`` for a notebook cell (see :class:`Table`).

    Long tables show their first ``max_rows`` rows and say so in the caption
    (the report's workbook has every row).
    """
    shown = frame.head(max_rows) if max_rows else frame
    if len(shown) < len(frame):
        note = f"First {len(shown):,} of {len(frame):,} rows; the workbook has them all."
        caption = f"{caption}. {note}" if caption else note
    prefix = f"{currency} " if currency else ""
    formats = {c: (lambda v, p=prefix: "" if pd.isna(v) else f"{p}{v:,.0f}") for c in money if c in shown}
    formats |= {c: (lambda v: "" if pd.isna(v) else f"{v:.2f}") for c in ratio if c in shown}
    formats |= {c: (lambda v: "" if pd.isna(v) else f"{v:.0%}") for c in percent if c in shown}
    formats |= {c: (lambda v: "" if pd.isna(v) else pd.Timestamp(v).strftime("%d %b %Y")) for c in dates if c in shown}
    formats |= {c: (lambda v: "" if pd.isna(v) else f"{v:,.0f}") for c in whole if c in shown}
    text = [c for c in shown.columns if shown[c].dtype == object or pd.api.types.is_string_dtype(shown[c])]
    text = [c for c in text if c not in rag]
    names = {c: label(c) for c in shown.columns}
    shown = shown.rename(columns=names)
    formats = {names[c]: f for c, f in formats.items()}
    styler = shown.style.set_uuid(key).hide(axis="index").format(formats, na_rep="", escape="html")
    present = [names[c] for c in rag if c in names]
    if present:
        styler = styler.map(_rag_style, subset=present)
    if text:
        styler = styler.set_properties(subset=[names[c] for c in text], **{"text-align": "left"})
    styler = styler.set_table_styles(
        [
            {"selector": "th", "props": "text-align: left; background-color: #f0f0f0; padding: 3px 6px"},
            {"selector": "td", "props": "padding: 2px 6px; border-bottom: 1px solid #e0e0e0"},
        ]
    )
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return Table(styler, key, len(shown))


def escape(text) -> str:
    """Text from the data, safe to put in Markdown or HTML."""
    return html.escape("" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text))


def markdown(text: str):
    """A Markdown block for a notebook (build it with :func:`escape` around any text from the data)."""
    from IPython.display import Markdown

    return Markdown(text)
