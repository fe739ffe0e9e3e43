"""A resolution run that dies half-way is undone by the next, and one run holds the lock."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from neo4j.exceptions import ServiceUnavailable

from c360graph.db.graph import Graph, Params, Row
from c360graph.generate import generate_dataset
from c360graph.graph.ingest import ingest_rows, rows_from_dicts
from c360graph.resolve import store
from c360graph.resolve.engine import resolve
from c360graph.resolve.export import current_assignments
from c360graph.resolve.runlock import ResolutionBusy, resolution_lock
from c360graph.resolve.settings import ResolutionConfig, load_resolution_config
from c360graph.sources.fields import Kind
from tests.helpers import assert_resolved_whole, cypher
from tests.integration.test_resolve_quality import _pieces, partition


class LosesTheGraph(Graph):
    """The real graph, lost for good at the `nth` write transaction running `query`."""

    def __init__(self, graph: Graph, query: str, nth: int) -> None:
        super().__init__(graph.driver, graph.database, graph.description)
        self.query, self.nth, self.lost = query, nth, False

    def write_all(self, steps: Iterable[tuple[str, Params]]) -> Row:
        steps = list(steps)
        if any(name == self.query for name, _ in steps):
            self.nth -= 1
            self.lost = self.lost or self.nth == 0
        if self.lost:
            raise ServiceUnavailable("injected: the graph went away")
        return super().write_all(steps)


@pytest.fixture(scope="module")
def config() -> ResolutionConfig:
    return load_resolution_config()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("recovery")
    generate_dataset(out, customers=120, seed=7, progress=False)
    return out


def _ingest(graph: Graph, batch: list[Any]) -> None:
    for source, mapping, columns, rows in batch:
        ingest_rows(graph, rows, source, Kind.CUSTOMERS, column_map=columns, mapping=mapping)


def _bridges(graph: Graph, second: bool) -> None:
    """People first seen as two identities (name and email; phone and birth date), joined
    by a third record that carries all of it."""
    name = {"first_name": "Kim", "last_name": "Bridgewater"}
    rows = [
        fields
        for n in range(90)
        for fields in (
            [
                {
                    **name,
                    "email": f"kim.bridgewater{n}@mailbox.org",
                    "phone": f"+44 7911 1{n:05d}",
                    "date_of_birth": f"19{n + 10}-03-14",
                }
            ]
            if second
            else [
                {**name, "email": f"kim.bridgewater{n}@mailbox.org"},
                {"phone": f"+44 7911 1{n:05d}", "date_of_birth": f"19{n + 10}-03-14"},
            ]
        )
    ]
    for index, row in enumerate(rows):
        row["source_id"] = f"{'c' if second else 'ab'}{index}"
    if second:  # the email-only records change too: resolved before, re-resolved and stamped
        rows += [
            {
                **name,
                "email": f"kim.bridgewater{n}@mailbox.org",
                "city": "Leeds",
                "source_id": f"ab{2 * n}",
            }
            for n in range(90)
        ]
    ingest_rows(graph, rows_from_dicts(rows), "bridge", Kind.CUSTOMERS)


def _two_batches(graph: Graph, config: ResolutionConfig, dataset: Path) -> set[str]:
    """Resolve a first batch, ingest the second; return the identity ids after the first."""
    first, *rest = _pieces(dataset, cuts=2, seed=3)
    _ingest(graph, first)
    _bridges(graph, second=False)
    resolve(graph, config)
    before = set(current_assignments(graph).values())
    for batch in rest:
        _ingest(graph, batch)
    _bridges(graph, second=True)
    return before


@pytest.mark.parametrize(
    ("query", "nth"),
    [
        ("resolve/create_links", 2),
        ("resolve/upsert_identities", 2),
        ("resolve/assign_new_records", 3),
        ("resolve/assign_records", 2),
        ("resolve/redirect_identities", 1),
        ("resolve/stamp_resolved", 1),
        ("resolve/record_events", 2),
        ("resolve/finish_run", 1),
    ],
)
def test_a_run_that_loses_the_graph_mid_write_is_undone_and_the_rerun_matches_a_full_run(
    graph: Graph,
    config: ResolutionConfig,
    dataset: Path,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    nth: int,
) -> None:
    monkeypatch.setattr(store, "CHUNK", 60)  # many write transactions per step
    before = _two_batches(graph, config, dataset)

    with pytest.raises(ServiceUnavailable):
        resolve(LosesTheGraph(graph, query, nth), config)
    report = resolve(graph, config)

    assert report.mode.startswith("full (undid the interrupted run")
    assert_resolved_whole(graph)
    recovered = partition(current_assignments(graph))
    resolve(graph, config, full=True)
    assert partition(current_assignments(graph)) == recovered
    # Every id callers saw before the crash still leads to an active identity.
    followed = cypher(
        graph,
        "UNWIND $ids AS id MATCH (i:Identity {id: id}) "
        "OPTIONAL MATCH (i)-[:MERGED_INTO*0..5]->(now:Identity {status: 'active'}) "
        "RETURN id, count(now) AS active",
        ids=sorted(before),
    )
    assert len(followed) == len(before) and all(r["active"] == 1 for r in followed)


def test_the_scenario_merges_identities_so_redirects_are_exercised(
    graph: Graph, config: ResolutionConfig, dataset: Path
) -> None:
    _two_batches(graph, config, dataset)
    assert resolve(graph, config).events.get("merge", 0) >= 90


def test_a_second_run_waits_for_the_first_and_then_says_who_holds_the_lock(
    graph: Graph, config: ResolutionConfig
) -> None:
    with resolution_lock(graph, "run-a", wait_seconds=0), pytest.raises(ResolutionBusy) as busy:
        resolve(graph, config, wait_seconds=0.5)
    assert "run-a" in str(busy.value) and "run again" in str(busy.value)
    assert resolve(graph, config).mode == "nothing-to-do"  # released on exit


def _lock(graph: Graph, host: str, pid: int, lease: timedelta) -> None:
    now = datetime.now(UTC)
    graph.write_returning(
        "resolve/lock_take", run_id="gone", host=host, pid=pid, now=now, lease_until=now + lease
    )


def test_a_lock_left_by_a_dead_process_on_this_host_is_taken_over_at_once(
    graph: Graph, config: ResolutionConfig
) -> None:
    dead = subprocess.Popen(["true"])  # a pid that no longer runs
    dead.wait()
    _lock(graph, socket.gethostname(), dead.pid, timedelta(minutes=30))
    assert resolve(graph, config, wait_seconds=0).mode == "nothing-to-do"
    assert cypher(graph, "MATCH (l:ResolutionLock) RETURN l") == []


def test_a_lock_held_from_another_host_is_respected_until_its_lease_lapses(
    graph: Graph, config: ResolutionConfig
) -> None:
    _lock(graph, "elsewhere", 1, timedelta(minutes=5))
    with pytest.raises(ResolutionBusy, match="elsewhere"):
        resolve(graph, config, wait_seconds=0)
    graph.write("schema/clear_all")
    _lock(graph, "elsewhere", 1, timedelta(minutes=-1))
    assert resolve(graph, config, wait_seconds=0).mode == "nothing-to-do"
