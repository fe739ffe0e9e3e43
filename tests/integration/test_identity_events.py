"""The identity change feed and lineage on the real graph: numbered events, cursors, the CLI."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from c360graph.db.graph import Graph
from c360graph.graph.ingest import ingest_rows, rows_from_dicts
from c360graph.resolve.assertions import assert_different
from c360graph.resolve.engine import resolve
from c360graph.resolve.erase import erase_identity
from c360graph.resolve.event_feed import BadCursor, ensure_sequence, events_after, seq_of
from c360graph.resolve.export import current_assignments
from c360graph.resolve.lineage import Lineage, trace
from c360graph.resolve.settings import ResolutionConfig, load_resolution_config
from c360graph.sources.fields import Kind
from tests.helpers import c360_env, cypher
from tests.integration.test_cli import c360
from tests.integration.test_resolve import ANN

APP = {"first_name": "Ann", "last_name": "Lee"}  # too little to link without a shared email


@pytest.fixture(scope="module")
def config() -> ResolutionConfig:
    return load_resolution_config()


def load(graph: Graph, source: str, *rows: dict[str, Any]) -> None:
    report = ingest_rows(graph, rows_from_dicts(rows), source, Kind.CUSTOMERS)
    assert report.rejected == 0, report.rejections


def lineage(graph: Graph, identity_id: str) -> Lineage | None:
    async def step(ids: list[str]) -> Sequence[dict[str, Any]]:
        return graph.read("resolve/lineage_step", ids=ids)

    return asyncio.run(trace(step, identity_id))


def merged_pair(graph: Graph, config: ResolutionConfig) -> tuple[str, str]:
    """Two identities (crm:1 + shop:2, app:3) that a second resolution merges; (big, small)."""
    load(graph, "crm", {"source_id": "1", **ANN, "email": "ann@mailbox.org"})
    load(graph, "shop", {"source_id": "2", **ANN, "email": "ann@mailbox.org"})
    load(graph, "app", {"source_id": "3", **APP, "email": "al@mailbox.org"})
    resolve(graph, config)
    before = current_assignments(graph)
    big, small = before["crm:1"], before["app:3"]
    assert big != small
    load(graph, "app", {"source_id": "3", **APP, "email": ["al@mailbox.org", "ann@mailbox.org"]})
    resolve(graph, config)
    return big, small


def test_every_event_is_numbered_in_order_and_a_cursor_resumes_after_it(
    graph: Graph, config: ResolutionConfig
) -> None:
    big, small = merged_pair(graph, config)
    feed = events_after(graph, None)
    assert [(e.kind, e.identity) for e in feed] == [
        ("create", min(big, small)),
        ("create", max(big, small)),
        ("merge", big),
    ]
    assert [e.seq for e in feed] == sorted({e.seq for e in feed})
    unnumbered = cypher(graph, "MATCH (e:IdentityEvent) WHERE e.seq IS NULL RETURN count(e) AS n")
    assert unnumbered == [{"n": 0}]
    after_creates = events_after(graph, feed[1].cursor)
    assert after_creates == feed[2:]
    assert events_after(graph, feed[-1].cursor) == []


def test_a_forged_cursor_is_refused_with_what_to_pass() -> None:
    def encoded(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).decode()

    negative, too_big = encoded("identity-event:-1"), encoded("identity-event:" + "9" * 19)
    for forged in ("not-a-cursor", negative, too_big, encoded("other-list:3")):
        with pytest.raises(BadCursor, match="pass one this feed handed out"):
            seq_of(forged)


def test_events_of_a_run_still_writing_and_those_after_them_wait_until_it_completes(
    graph: Graph, config: ResolutionConfig
) -> None:
    merged_pair(graph, config)
    seen = events_after(graph, None)
    now = datetime.now(UTC)
    graph.write("resolve/begin_run", run_id="slow", props={"at": now})
    graph.write("resolve/record_events", run_id="slow", now=now, events=[_event("merge", "A")])
    graph.write("resolve/begin_run", run_id="quick", props={"at": now})
    graph.write("resolve/record_events", run_id="quick", now=now, events=[_event("split", "B")])
    graph.write("resolve/finish_run", run_id="quick", props={})
    assert events_after(graph, seen[-1].cursor) == []  # "quick" waits behind "slow"
    graph.write("resolve/finish_run", run_id="slow", props={})
    assert [(e.kind, e.identity) for e in events_after(graph, seen[-1].cursor)] == [
        ("merge", "A"),
        ("split", "B"),
    ]


def _event(kind: str, identity: str) -> dict[str, Any]:
    return {"kind": kind, "identity": identity, "others": [], "records": 1, "reason": "test"}


def test_an_interrupted_run_leaves_a_gap_not_a_phantom_event(
    graph: Graph, config: ResolutionConfig
) -> None:
    merged_pair(graph, config)
    last = events_after(graph, None)[-1]
    now = datetime.now(UTC)
    graph.write("resolve/begin_run", run_id="dies", props={"at": now})
    graph.write("resolve/record_events", run_id="dies", now=now, events=[_event("merge", "A")])
    load(graph, "crm", {"source_id": "9", "first_name": "Bo", "last_name": "Ek"})
    resolve(graph, config)  # undoes "dies" first, then creates Bo's identity
    later = events_after(graph, last.cursor)
    assert [e.kind for e in later] == ["create"]
    assert later[0].seq > last.seq + 1  # the undone run's number is not reused


def test_lineage_of_a_merged_away_id_answers_the_survivor_and_the_chain(
    graph: Graph, config: ResolutionConfig
) -> None:
    big, small = merged_pair(graph, config)
    found = lineage(graph, small)
    assert found is not None
    assert (found.status, found.current) == ("merged", (big,))
    assert [(e["kind"], e["identity"], e["others"]) for e in found.events] == [
        ("create", small, []),
        ("merge", big, [small]),
    ]
    assert lineage(graph, "id_never_issued") is None


def test_lineage_of_a_split_id_answers_both_parts_and_the_part_knows_its_origin(
    graph: Graph, config: ResolutionConfig
) -> None:
    load(graph, "crm", {"source_id": "1", **ANN, "email": "ann@mailbox.org"})
    load(graph, "shop", {"source_id": "2", **ANN, "email": "ann@mailbox.org"})
    load(graph, "app", {"source_id": "3", **ANN, "email": "ann@mailbox.org"})
    resolve(graph, config)
    [whole] = set(current_assignments(graph).values())
    assert_different(graph, "crm:1", "app:3", "not the same Ann", "test")
    assert_different(graph, "shop:2", "app:3", "not the same Ann", "test")
    resolve(graph, config)
    after = current_assignments(graph)
    part = after["app:3"]
    assert after["crm:1"] == whole and part != whole
    found = lineage(graph, whole)
    assert found is not None and found.current == tuple(sorted((whole, part)))
    assert [e["kind"] for e in found.events] == ["create", "split"]
    origin = lineage(graph, part)
    assert origin is not None and origin.current == (part,)
    assert [(e["kind"], e["identity"], e["others"]) for e in origin.events] == [
        ("split", whole, [part])
    ]


def test_erasing_an_identity_retires_it_in_the_feed_and_its_lineage(
    graph: Graph, config: ResolutionConfig, tmp_path: Path
) -> None:
    load(graph, "crm", {"source_id": "1", **ANN})
    resolve(graph, config)
    [identity] = set(current_assignments(graph).values())
    erase_identity(graph, identity, "pepper", tmp_path / "suppression.key")
    retired = [e for e in events_after(graph, None) if e.kind == "retire"]
    assert [(e.identity, e.records) for e in retired] == [(identity, 1)]
    found = lineage(graph, identity)
    assert found is not None and (found.status, found.current) == ("erased", ())
    assert [e["kind"] for e in found.events] == ["create", "retire"]


def test_cli_prints_the_feed_and_resumes_after_a_cursor(
    graph: Graph, config: ResolutionConfig, cli_env: dict[str, str]
) -> None:
    merged_pair(graph, config)
    feed = events_after(graph, None)
    printed = c360(cli_env, "events", "--json")
    assert printed.returncode == 0, printed.stderr
    assert [json.loads(line) for line in printed.stdout.splitlines()] == [e.as_json() for e in feed]
    since = c360(cli_env, "events", "--since", feed[0].cursor)
    assert since.returncode == 0, since.stderr
    assert [line.split()[:4] for line in since.stdout.splitlines()] == [
        [e.cursor, f"{e.at:%Y-%m-%d}", f"{e.at:%H:%M:%S}", e.kind] for e in feed[1:]
    ]
    forged = c360(cli_env, "events", "--since", "nonsense")
    assert forged.returncode == 1 and "pass one this feed handed out" in forged.stderr


def test_cli_says_what_to_do_when_the_graph_is_down(tmp_path: Path) -> None:
    result = c360(c360_env(tmp_path), "events", "--follow")
    assert result.returncode == 1
    assert "c360 db start" in result.stderr


def _fake_run(graph: Graph, run_id: str, count: int, finish: bool = True) -> None:
    now = datetime.now(UTC)
    graph.write("resolve/begin_run", run_id=run_id, props={"at": now})
    ensure_sequence(graph)  # as resolve/writeback.py does
    events = [_event("create", f"{run_id}-{n}") for n in range(count)]
    graph.write("resolve/record_events", run_id=run_id, now=now, events=events)
    if finish:
        graph.write("resolve/finish_run", run_id=run_id, props={})


def _whole_feed(graph: Graph) -> list[int]:
    seqs, page = [], events_after(graph, None, limit=100)
    while page:
        seqs.extend(e.seq for e in page)
        page = events_after(graph, page[-1].cursor, limit=100)
    return seqs


def test_the_feed_reads_exactly_the_live_events_after_deletes_reuse_their_slots(
    graph: Graph,
) -> None:
    # Pins the sequence index on both engines: ArcadeDB's DateTime index ranges return
    # deleted nodes' entries (docs/graph-engines.md); its integer ranges must not.
    for cycle in range(3):
        _fake_run(graph, f"kept-{cycle}", 150)
        _fake_run(graph, f"undone-{cycle}", 150, finish=False)
        graph.write("resolve/mark_interrupted", run_id=f"undone-{cycle}", now=datetime.now(UTC))
    live = cypher(graph, "MATCH (e:IdentityEvent) RETURN e.seq AS seq ORDER BY seq")
    assert len(live) == 450
    assert _whole_feed(graph) == [row["seq"] for row in live]


def test_concurrent_writers_never_share_an_event_number(graph: Graph) -> None:
    def write(prefix: str) -> None:
        for n in range(10):
            _fake_run(graph, f"{prefix}-{n}", 5)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(write, ("left", "right")))
    seqs = _whole_feed(graph)
    assert sorted(seqs) == seqs and len(set(seqs)) == len(seqs) == 100
