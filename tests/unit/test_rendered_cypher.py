"""The Cypher that repeats per identifier kind is rendered from graph/schema.py, and checked in."""

from __future__ import annotations

from pathlib import Path

import pytest

from c360graph.db.cypher import all_queries
from c360graph.graph import render
from c360graph.graph.schema import EVIDENCE, IDENTIFIERS, IdentifierKind


def test_every_generated_cypher_file_matches_its_template_and_the_schema() -> None:
    assert render.stale() == [], (
        "these cypher/ files differ from what the schema renders: run `make cypher` "
        "(python -m c360graph.graph.render), and edit cypher/templates/, not the files"
    )


def test_every_generated_file_says_where_it_comes_from_and_is_a_named_query() -> None:
    files = render.rendered()
    assert {kind.merge_query for kind in IDENTIFIERS} <= set(files)
    assert {f"rules/{kind.rule}" for kind in EVIDENCE} <= set(files)
    assert {"ingest/create_customers", "ingest/update_customers"} <= set(files)
    for name in files:
        assert "do not edit" in all_queries()[name].header, name


def test_the_check_names_a_hand_edited_file_and_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy of cypher/ with one generated file edited by hand fails the check, by name."""
    copy = tmp_path / "cypher"
    for path in render.cypher_dir().rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(render.cypher_dir())
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    edited = copy / "ingest" / "create_customers.cypher"
    edited.write_text(edited.read_text(encoding="utf-8").replace("HAS_PHONE", "HAS_PHONES"))
    monkeypatch.setattr(render, "cypher_dir", lambda: copy)

    assert render.main(["--check"]) == 1
    assert capsys.readouterr().err == (
        "cypher/ingest/create_customers.cypher is out of date: run `make cypher`\n"
    )
    assert render.main([]) == 0
    assert render.main(["--check"]) == 0


def test_a_new_kind_gets_its_merge_links_rule_and_shared_marking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Declaring a kind is all the Cypher needs: a Zalo id (Vietnam's messenger) renders into
    every per-kind file, as a rule's evidence and on the suppression list."""
    zalo = IdentifierKind(
        "zalo_ids",
        "ZaloId",
        "value",
        "HAS_ZALO_ID",
        "zalo_value",
        "zalo-0977888999",
        rule="same_zalo_id",
        rule_finds="records with the same Zalo account.",
        suppressed_as="zalo_id",
    )
    kinds = (*IDENTIFIERS, zalo)
    monkeypatch.setattr(
        render,
        "_KINDS",
        {
            "identifiers": kinds,
            "evidence": (*EVIDENCE, zalo),
            "suppressed": (*render._KINDS["suppressed"], zalo),
        },
    )
    monkeypatch.setattr(
        render,
        "_PER_KIND",
        {t: ((*kinds_of, zalo), name_of) for t, (kinds_of, name_of) in render._PER_KIND.items()},
    )
    files = render.rendered()

    assert "MERGE (n:ZaloId {value: v.value})" in files["ingest/merge_zalo_ids"]
    assert "MATCH (n:ZaloId {value: x.value})" in files["ingest/create_customers"]
    assert "list of {props, emails, phones, devices" in files["ingest/create_customers"]
    assert "national_ids, zalo_ids}" in files["ingest/update_customers"]
    assert "MERGE (c)-[h:HAS_ZALO_ID]->(n)" in files["ingest/update_customers"]
    assert "Description: records with the same Zalo account." in files["rules/same_zalo_id"]
    assert "(n)<-[:HAS_ZALO_ID]-(c:Customer)" in files["rules/same_zalo_id_everywhere"]
    assert (
        "UNWIND $shared.zalo_ids AS v MATCH (n:ZaloId {value: v})" in files["resolve/mark_shared"]
    )
    assert "UNION ALL\nMATCH (n:ZaloId)" in files["resolve/stored_shared"]
    assert "|HAS_NATIONAL_ID|HAS_ZALO_ID]->(n)" in files["resolve/erase_records"]
    assert "n.hash, n.value) AS value" in files["suppression/erasable_identifiers"]
    assert (
        "CREATE CONSTRAINT zalo_value IF NOT EXISTS FOR (n:ZaloId) REQUIRE n.value IS UNIQUE;"
        in files["schema/constraints"]
    )


def test_kinds_that_are_no_evidence_or_not_remembered_stay_out_of_those_files() -> None:
    """An address links records of a household, not of one person: no rule, not suppressed;
    a device is evidence but is not remembered by the suppression list."""
    files = render.rendered()
    assert "rules/same_address" not in files
    assert "Address" not in files["resolve/mark_shared"]
    assert "LIVES_AT" in files["resolve/erase_records"]
    assert "USES" not in files["suppression/erasable_identifiers"]
    assert "HAS_LOYALTY_ID" in files["suppression/erasable_identifiers"]


def test_a_template_field_that_is_no_kind_attribute_fails_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad.cypher.tmpl").write_text(
        "// Bad.\n// Parameters: none.\n%{for identifiers}MATCH (n:%{lable})%{end}\n"
    )
    monkeypatch.setattr(render, "template_dir", lambda: tmp_path)
    with pytest.raises(KeyError, match="lable"):
        render.rendered()
