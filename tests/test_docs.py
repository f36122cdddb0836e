"""The documentation names every component and every output field."""

from pathlib import Path

from marsad.pipeline import FACTORIES
from marsad.records import document_schema

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_component_is_in_the_architecture_page():
    page = (DOCS / "architecture.md").read_text(encoding="utf-8")
    for name in FACTORIES:
        assert f"`{name}`" in page, name


def test_every_schema_field_is_documented():
    page = (DOCS / "schema.md").read_text(encoding="utf-8")
    schema = document_schema()
    fields = set(schema["properties"])
    for part in ("entity", "event", "quantity", "stance"):
        fields |= set(schema["$defs"][part]["properties"])
    missing = sorted(f for f in fields if f"`{f}`" not in page)
    assert not missing, missing
