"""docs/c360graph.grass, the Neo4j Browser style: every label and relationship type of the model
has a colour and a caption, in the subset of GraSS that Browser's own parser reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GRASS = ROOT / "docs" / "c360graph.grass"


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """Rules as Neo4j Browser's stricter parser reads them (graphStyle.ts `parse`): braces
    outside single quotes open and close a rule, single quotes are dropped, each property is
    split at ';' and ':' (newer Browsers' grassUtils.ts also honour double quotes and drop a
    property holding a second ':')."""
    rules: dict[str, str] = {}
    inside_string = inside_props = False
    keyword = props = ""
    for char in text:
        if char == "{" and not inside_string:
            inside_props = True
        elif char == "}" and not inside_string:
            inside_props = False
            rules[keyword] = props
            keyword = props = ""
        elif char == "'":
            inside_string = not inside_string
        elif inside_props:
            props += char
        elif not char.isspace():
            keyword += char
    parsed: dict[str, dict[str, str]] = {}
    for selector, body in rules.items():
        parsed[selector] = {}
        for prop in body.split(";"):
            parts = prop.split(":")  # Browser keeps the first two parts only
            if len(parts) >= 2 and parts[0].strip() and parts[1].strip():
                parsed[selector][parts[0].strip()] = parts[1].strip()
    return parsed


def _model_labels() -> set[str]:
    constraints = (ROOT / "cypher" / "schema" / "constraints.cypher").read_text(encoding="utf-8")
    labels = set(re.findall(r"FOR \(n:(\w+)\)", constraints))
    model = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    nodes_table = model[model.index("## Nodes") : model.index("## Relationships")]
    labels |= set(re.findall(r"^\| `(\w+)` \|", nodes_table, re.MULTILINE))
    labels |= set(re.findall(r"\(:(\w+)", model))  # the annotations table
    return labels


def _written(pattern: str) -> set[str]:
    """Names matching `pattern` in the product Cypher (benchmarks' scratch labels aside)."""
    names: set[str] = set()
    for path in (ROOT / "cypher").rglob("*.cypher"):
        if path.parent.name != "bench":
            for match in re.findall(pattern, path.read_text(encoding="utf-8")):
                names.update(match.split("|"))
    return names


def _cypher_labels() -> set[str]:
    return _written(r"\(\w*:([A-Z]\w+)")


def _relationship_types() -> set[str]:
    return _written(r"\[\w*:([A-Z_|]+)")


@pytest.fixture(scope="module")
def style() -> dict[str, dict[str, str]]:
    return parse_grass(GRASS.read_text(encoding="utf-8"))


def test_every_label_of_the_model_and_the_queries_has_a_colour_and_a_caption(
    style: dict[str, dict[str, str]],
) -> None:
    labels = _model_labels() | _cypher_labels()
    assert {"Customer", "Identity", "Household", "FraudRing", "IdentityEvent"} <= labels
    for label in sorted(labels):
        rule = style.get(f"node.{label}")
        assert rule, f"docs/c360graph.grass has no node.{label} rule"
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", rule.get("color", "")), label
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", rule.get("border-color", "")), label
        assert rule.get("caption"), f"node.{label} has no caption"


def test_every_relationship_type_has_a_caption(style: dict[str, dict[str, str]]) -> None:
    types = _relationship_types()
    assert {"RESOLVES_TO", "LINKED", "IN_RING", "EVIDENCE", "MERGED_INTO"} <= types
    for rel_type in sorted(types):
        rule = style.get(f"relationship.{rel_type}")
        assert rule and rule.get("caption"), f"relationship.{rel_type} has no caption"


def test_captions_survive_browsers_parser_unchanged() -> None:
    # Browser's parser has no comments, protects braces only inside single quotes, and cuts a
    # value at ':' or ';': a caption breaking any of these would be garbled or eat a rule.
    text = GRASS.read_text(encoding="utf-8")
    assert "/*" not in text and "//" not in text
    captions = re.findall(r"caption:\s*(.*);", text)
    assert captions
    for caption in captions:
        assert re.fullmatch(r"'[^':;\"]*'", caption), caption
    openings = re.findall(r"^(\S+) \{$", text, re.MULTILINE)
    assert list(parse_grass(text)) == openings  # every rule parsed whole, none swallowed
