"""One run kernel (c360graph/run.py) under resolution, householding, fraud and segments runs:
each leaves its run node begun and then completed, with the id its report names and the
fingerprint of its configuration; a segments refresh that died is never the last run."""

from __future__ import annotations

from typing import Any

import pytest

from c360graph.config import Settings
from c360graph.db.graph import Graph
from c360graph.graph.ingest import ingest_rows, rows_from_dicts
from c360graph.sources.fields import Kind
from c360graph.usecases import C360
from tests.helpers import cypher

CUSTOMERS = [
    {"source_id": "1", "first_name": "Ann", "last_name": "Lee", "email": "ann@mailbox.org"},
    {"source_id": "2", "first_name": "Bob", "last_name": "Marsh", "email": "bob@mailbox.org"},
    {"source_id": "3", "first_name": "Cy", "last_name": "Dunn", "email": "cy@mailbox.org"},
]
ORDERS = [
    {"order_id": f"o{n}", "customer_id": str(1 + n % 3), "amount": f"{10 + 7 * n}.50",
     "currency": "EUR", "ordered_at": f"2025-0{1 + n % 9}-1{n % 9}", "status": "completed"}
    for n in range(9)
]  # fmt: skip


def _loaded(graph: Graph, settings: Settings) -> C360:
    ingest_rows(graph, rows_from_dicts(CUSTOMERS), "crm", Kind.CUSTOMERS)
    ingest_rows(graph, rows_from_dicts(ORDERS), "crm", Kind.ORDERS)
    return C360(graph, settings)


def _node(graph: Graph, run_id: str) -> dict[str, Any]:
    rows = cypher(
        graph,
        "MATCH (r) WHERE (r:ResolutionRun OR r:AnalysisRun) AND r.run_id = $id "
        "RETURN properties(r) AS p",
        id=run_id,
    )
    assert len(rows) == 1, rows
    return dict(rows[0]["p"])


def test_every_kind_of_run_leaves_a_completed_node_with_its_fingerprint(
    graph: Graph, settings: Settings
) -> None:
    c360 = _loaded(graph, settings)
    resolution, segments = c360.resolution.run()
    households, fraud = c360.analyses.households(), c360.analyses.fraud()
    for report, analysis in (
        (resolution, None),
        (segments, "segments"),
        (households, "households"),
        (fraud, "fraud"),
    ):
        node = _node(graph, report.run_id)
        assert node["status"] == "complete" and node.get("analysis") == analysis
        assert node["config_hash"] and node["at"] is not None
        assert set(report.seconds) and all(s >= 0 for s in report.seconds.values())
    assert _node(graph, segments.run_id)["identities"] == segments.identities == 3


def test_a_segments_refresh_that_died_is_not_taken_as_the_last_run(
    graph: Graph, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    c360 = _loaded(graph, settings)
    c360.resolution.resolve_only()
    assert c360.analyses.refresh_segments(full=True).mode == "full"
    write = Graph.write

    def dies_writing_scores(self: Graph, name: str, **params: Any) -> Any:
        if name == "analyses/segment_write":
            raise RuntimeError("injected: the process died while writing scores")
        return write(self, name, **params)

    more = [{**ORDERS[0], "order_id": "o-new", "ordered_at": "2025-05-15"}]
    ingest_rows(graph, rows_from_dicts(more), "crm", Kind.ORDERS)  # a score to rewrite
    monkeypatch.setattr(Graph, "write", dies_writing_scores)
    with pytest.raises(RuntimeError, match="injected"):
        c360.analyses.refresh_segments()
    monkeypatch.undo()
    died = cypher(graph, "MATCH (r:AnalysisRun {status: 'running'}) RETURN r.mode AS mode")
    assert died == [{"mode": "incremental"}]
    # The died run has no cut points: taken as the last run, it would force a full refresh.
    after = c360.analyses.refresh_segments()
    assert after.mode == "incremental" and after.identities == 1, after.reason
