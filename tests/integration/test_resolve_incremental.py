"""Incremental runs: what they re-examine, and that they leave the graph as a full run would."""

from __future__ import annotations

from typing import Any

import pytest

from c360graph.db.graph import Graph
from c360graph.graph.ingest import ingest_rows, rows_from_dicts
from c360graph.resolve.engine import resolve
from c360graph.resolve.export import current_assignments
from c360graph.resolve.settings import ResolutionConfig, load_resolution_config
from c360graph.sources.fields import Kind
from tests.helpers import cypher


@pytest.fixture(scope="module")
def config() -> ResolutionConfig:
    return load_resolution_config()


def _load(graph: Graph, source: str, *rows: dict[str, Any]) -> None:
    report = ingest_rows(graph, rows_from_dicts(rows), source, Kind.CUSTOMERS)
    assert report.rejected == 0, report.rejections


def _links(graph: Graph) -> dict[tuple[str, str], dict[str, Any]]:
    rows = cypher(
        graph,
        "MATCH (a:Customer)-[l:LINKED]->(b:Customer) RETURN a.key AS a, b.key AS b, "
        "l.kind AS kind, l.probability AS probability, l.levels AS levels, l.run_id AS run_id",
    )
    return {(row["a"], row["b"]): row for row in rows}


ANN = {
    "first_name": "Ann",
    "last_name": "Lee",
    "date_of_birth": "1980-03-05",
    "postcode": "SW1A 1AA",
    "address_line1": "1 High Street",
    "city": "London",
    "country": "GB",
}


def test_a_link_kept_from_an_earlier_run_keeps_its_score_when_its_identity_is_reclustered(
    graph: Graph, config: ResolutionConfig
) -> None:
    # Rewritten at probability 1.0 (as if an analyst had asserted it), a kept link outranked
    # every guard's yields_to in the next run: incremental runs joined two people a full run
    # keeps apart (issue 20, the property test's seed 7966).
    _load(graph, "crm", {"source_id": "1", **ANN, "email": "ann.lee@mailbox.org"})
    _load(
        graph,
        "shop",
        {
            "source_id": "9",
            **{k: v for k, v in ANN.items() if k != "date_of_birth"},
            "address_line1": "1 High St.",
        },
    )
    resolve(graph, config)
    before = _links(graph)[("crm:1", "shop:9")]
    assert before["kind"] == "fuzzy" and before["probability"] < 1.0, before
    # A new record joins crm:1 by its email: the identity is re-clustered, its old link kept.
    _load(
        graph,
        "app",
        {"source_id": "5", "first_name": "Ann", "last_name": "Lee", "email": "ann.lee@mailbox.org"},
    )
    report = resolve(graph, config)
    ids = current_assignments(graph)
    assert ids["app:5"] == ids["crm:1"] == ids["shop:9"]
    assert report.scope == 3 and report.changed == 1
    after = _links(graph)[("crm:1", "shop:9")]
    assert after == before
