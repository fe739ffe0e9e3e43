"""Column mappings: canonical names pass through, mapped names are renamed, typos are caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from c360graph.sources.fields import Kind
from c360graph.sources.mapping import MappingError, load_mapping


def test_mapping_renames_columns_and_reports_the_ignored_ones(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("columns:\n  KundenNr: source_id\n  E-Mail: email\ndate_order: mdy\n")
    mapping = load_mapping(path)
    resolved, ignored = mapping.resolve_columns(
        ["KundenNr", "E-Mail", "City", "Notes"], Kind.CUSTOMERS
    )
    assert resolved == {"KundenNr": "source_id", "E-Mail": "email", "City": "city"}
    assert ignored == ["Notes"]
    assert mapping.day_first is False


def test_plural_column_names_map_onto_the_multi_valued_field() -> None:
    resolved, _ = load_mapping(None).resolve_columns(["Emails", "phones"], Kind.CUSTOMERS)
    assert resolved == {"Emails": "email", "phones": "phone"}


def test_mapping_onto_an_unknown_field_suggests_the_closest(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("columns:\n  Mail: emial\n")
    with pytest.raises(MappingError, match="did you mean 'email'"):
        load_mapping(path).resolve_columns(["Mail"], Kind.CUSTOMERS)


@pytest.mark.parametrize(
    "body",
    ["- a\n- b\n", "columns: [a, b]\n", "date_order: ymd\n", "colums: {}\n", "kind: stuff\n"],
)
def test_malformed_mapping_files_are_refused(tmp_path: Path, body: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(body)
    with pytest.raises(MappingError):
        load_mapping(path)
