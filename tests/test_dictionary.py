"""datasets/README.md is the data dictionary and never drifts from the schemas."""

from __future__ import annotations

from pathlib import Path

from pmo_lib import dictionary
from pmo_lib.schemas import TABLES

ROOT = Path(__file__).resolve().parents[1]  # the checkout

README = ROOT / "datasets" / "README.md"


def test_data_dictionary_matches_the_schemas():
    assert README.read_text() == dictionary.render(), "run: make docs"


def test_every_column_is_documented_with_meaning_and_unit_where_numeric():
    text = README.read_text()
    for spec in TABLES.values():
        assert f"## {spec.name}" in text
        for name, col in spec.columns.items():
            assert f"| `{name}` |" in text
            assert col.description, f"{spec.name}.{name} needs a description"
            if col.metadata["kind"] in ("number", "integer"):
                assert col.metadata["unit"], f"{spec.name}.{name} needs a unit"


def test_glossary_lists_every_column_name_from_the_schemas():
    glossary = (ROOT / "docs" / "glossary.md").read_text()
    assert glossary.endswith(dictionary.glossary_columns()), "run: make docs"
    for term in ("BAC", "SPI", "CPI", "EAC", "RAG", "total float", "FTE", "utilisation"):
        assert f"| {term} |" in glossary
