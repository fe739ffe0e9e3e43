"""Segments on generated multi-source data in the real graph: the properties written match the
orders, the read queries page and sum them, and incremental refreshes rescore only what changed.

The read-only tests share one scored graph (module fixture); the tests that change the graph
come last and rebuild it first.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from c360graph.analyze.segment_run import SegmentReport, refresh_segments
from c360graph.analyze.segments import NO_ORDERS, Population
from c360graph.analyze.settings import AnalysesConfig, load_analyses_config
from c360graph.db.graph import Graph
from c360graph.generate import generate_dataset
from c360graph.graph.ingest import ingest_rows
from c360graph.graph.load import ingest_file, read_manifest
from c360graph.resolve.assertions import assert_same
from c360graph.resolve.engine import resolve
from c360graph.resolve.settings import ResolutionConfig, load_resolution_config
from c360graph.sources.fields import Kind
from c360graph.sources.readers import RawRow
from tests.helpers import cypher

PROPERTIES = (
    "segment", "rfm", "recency_score", "frequency_score", "monetary_score", "frequency_band",
    "value_band", "loyalty_band", "order_count", "total_spend", "average_order_value",
    "first_order_at", "last_order_at", "historic_value", "expected_value", "lifetime_value",
    "value_currency", "churn_risk", "churn_band", "preferred_channel", "segments_at",
    "segments_as_of",
)  # fmt: skip
NOT_PURCHASES = {"cancelled", "returned"}  # the generated statuses that are no purchase


def _utc(value: Any) -> datetime | None:
    moment = value.to_native() if hasattr(value, "to_native") else value
    if not isinstance(moment, datetime):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _moment(value: Any) -> datetime:
    moment = _utc(value)
    assert moment is not None, f"{value!r} is not a DateTime"
    return moment


@pytest.fixture(scope="module")
def config() -> AnalysesConfig:
    return load_analyses_config()


@pytest.fixture(scope="module")
def resolution() -> ResolutionConfig:
    return load_resolution_config()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("segments-dataset")
    generate_dataset(out, customers=250, seed=23, progress=False)
    return out


Build = Callable[[], SegmentReport]


@pytest.fixture(scope="module")
def build(
    session_graph: Graph, dataset: Path, config: AnalysesConfig, resolution: ResolutionConfig
) -> Build:
    """Empty the graph, ingest every file of the dataset, resolve, and refresh in full."""

    def run() -> SegmentReport:
        session_graph.write("schema/clear_all")
        for entry in read_manifest(dataset / "manifest.yaml"):
            ingest_file(
                session_graph, entry.path, entry.source, entry.kind, entry.mapping, progress=False
            )
        resolve(session_graph, resolution, full=True)
        return refresh_segments(session_graph, config)

    return run


@pytest.fixture(scope="module")
def scored(build: Build, session_graph: Graph) -> Iterator[tuple[Graph, SegmentReport]]:
    yield session_graph, build()


def _identities(graph: Graph) -> dict[str, dict[str, Any]]:
    rows = cypher(
        graph, "MATCH (i:Identity) RETURN i.id AS id, i.status AS status, properties(i) AS p"
    )
    return {
        r["id"]: {"status": r["status"], **{k: r["p"].get(k) for k in PROPERTIES}} for r in rows
    }


def _segments(graph: Graph) -> dict[str, dict[str, Any]]:
    """Every identity's segment properties except the run stamp."""
    return {
        i: {k: v for k, v in p.items() if k != "segments_at"} for i, p in _identities(graph).items()
    }


# -- one scored graph, read only -----------------------------------------------------------


def test_first_refresh_is_full_and_scores_every_active_identity(
    scored: tuple[Graph, SegmentReport],
) -> None:
    graph, report = scored
    assert (report.mode, report.reason) == ("full", "no earlier segments run")
    identities = _identities(graph)
    active = {i: p for i, p in identities.items() if p["status"] == "active"}
    assert report.identities == len(active) > 200
    assert all(p["segment"] and p["value_currency"] == "EUR" for p in active.values())
    assert {_utc(p["segments_as_of"]) for p in active.values()} == {report.as_of}
    buyers = [p for p in active.values() if p["segment"] != NO_ORDERS]
    assert report.with_orders == len(buyers) > 100
    for p in buyers:
        assert p["rfm"] == f"{p['recency_score']}{p['frequency_score']}{p['monetary_score']}"
        assert p["lifetime_value"] == pytest.approx(
            p["historic_value"] + p["expected_value"], abs=0.011
        )
        assert 0 <= p["churn_risk"] <= 1 and p["churn_band"] in {"low", "medium", "high"}
        assert p["loyalty_band"] in {"new", "active", "loyal", "lapsing", "lost"}
        assert p["frequency_band"] in {"one_off", "occasional", "regular", "frequent"}
    assert report.segments[NO_ORDERS] == len(active) - len(buyers)
    assert len({p["segment"] for p in buyers}) >= 6, "a few hundred buyers spread over segments"


def test_purchases_spend_and_dates_match_the_orders_in_the_graph(
    scored: tuple[Graph, SegmentReport], config: AnalysesConfig
) -> None:
    graph, report = scored
    rows = cypher(
        graph,
        "MATCH (i:Identity {status: 'active'})<-[:RESOLVES_TO]-(:Customer)-[:PLACED]->(o:Order) "
        "OPTIONAL MATCH (o)-[:VIA]->(ch:Channel) "
        "RETURN i.id AS id, o.amount AS amount, o.currency AS currency, o.status AS status, "
        "o.ordered_at AS at, ch.name AS channel",
    )
    # Values are in the currency most purchases are in (currency.values_in: data).
    bought = Counter(r["currency"] for r in rows if r["status"] not in NOT_PURCHASES)
    value_currency = min(bought, key=lambda c: (-bought[c], c))
    assert report.value_currency == value_currency
    per_unit = config.currency.rates[value_currency]
    expected: dict[str, dict[str, Any]] = {}
    for r in rows:
        e = expected.setdefault(r["id"], {"n": 0, "spend": 0.0, "at": [], "channels": Counter()})
        e["channels"][r["channel"]] += 1
        if r["status"] not in NOT_PURCHASES:
            e["n"] += 1
            e["spend"] += r["amount"] * config.currency.rates[r["currency"]] / per_unit
            e["at"].append(_utc(r["at"]))
    assert report.excluded_orders == sum(r["status"] in NOT_PURCHASES for r in rows) > 0
    identities = _identities(graph)
    for identity, e in expected.items():
        p = identities[identity]
        assert p["value_currency"] == value_currency
        assert p["order_count"] == e["n"], identity
        assert p["total_spend"] == pytest.approx(e["spend"], abs=0.011), identity
        if e["n"]:
            assert (_utc(p["first_order_at"]), _utc(p["last_order_at"])) == (
                min(e["at"]),
                max(e["at"]),
            )
        top = max(e["channels"].values())
        assert e["channels"][p["preferred_channel"]] == top, identity


def test_as_of_is_the_newest_activity_not_the_wall_clock(
    scored: tuple[Graph, SegmentReport],
) -> None:
    graph, report = scored
    newest = cypher(
        graph,
        "MATCH (o:Order) WITH max(o.ordered_at) AS a MATCH (x:Interaction) "
        "RETURN a, max(x.occurred_at) AS b",
    )[0]
    assert report.as_of == max(_moment(newest["a"]), _moment(newest["b"]))


def test_the_run_is_recorded_with_its_population_and_config_hash(
    scored: tuple[Graph, SegmentReport],
) -> None:
    graph, report = scored
    run = cypher(
        graph, "MATCH (r:AnalysisRun {run_id: $id}) RETURN properties(r) AS p", id=report.run_id
    )[0]["p"]
    assert (run["analysis"], run["mode"], run["identities"]) == (
        "segments",
        "full",
        report.identities,
    )
    population = Population.from_json(run["cut_points"])
    assert population.as_of == report.as_of and population.identities == report.with_orders
    assert len(population.recency_cuts) == len(population.monetary_cuts) == 4
    assert json.loads(run["segment_counts"]) == dict(report.segments)
    assert len(run["config_hash"]) == 16


def test_segment_summary_adds_up_to_the_scored_identities(
    scored: tuple[Graph, SegmentReport],
) -> None:
    graph, report = scored
    summary = {row["segment"]: row for row in graph.read("analyses/segment_summary")}
    assert {s: row["identities"] for s, row in summary.items()} == dict(report.segments)
    active = [p for p in _identities(graph).values() if p["status"] == "active"]
    for segment, row in summary.items():
        members = [p for p in active if p["segment"] == segment]
        assert row["lifetime_value"] == pytest.approx(sum(p["lifetime_value"] for p in members))
        assert row["orders"] == sum(p["order_count"] for p in members)
        assert row["currency"] == "EUR"


def test_at_risk_customers_pages_by_value_then_id_without_gaps_or_repeats(
    scored: tuple[Graph, SegmentReport],
) -> None:
    graph, _ = scored
    min_risk, size = 0.8, 7
    seen: list[str] = []
    after: tuple[float | None, str | None] = (None, None)
    while True:
        page = graph.read(
            "analyses/at_risk_customers",
            min_risk=min_risk, after_value=after[0], after_id=after[1], limit=size + 1,
        )  # fmt: skip
        assert all(row["churn_risk"] >= min_risk for row in page)
        seen += [row["id"] for row in page[:size]]
        if len(page) <= size:
            break
        after = (page[size - 1]["lifetime_value"], page[size - 1]["id"])
    active = [(i, p) for i, p in _identities(graph).items() if p["status"] == "active"]
    wanted = sorted(
        ((-p["lifetime_value"], i) for i, p in active if (p["churn_risk"] or 0) >= min_risk)
    )
    assert seen == [i for _, i in wanted]
    assert len(seen) > 2 * size


# -- tests that change the graph (each rebuilds it first) ----------------------------------


def _buyer_with_top_frequency_and_spend(graph: Graph) -> dict[str, Any]:
    rows = cypher(
        graph,
        "MATCH (i:Identity {status: 'active'})<-[:RESOLVES_TO]-(c:Customer)-[:PLACED]->(o:Order) "
        "WHERE i.frequency_score = 5 AND i.monetary_score = 5 AND o.ordered_at = i.last_order_at "
        "RETURN i.id AS id, c.source AS source, c.source_id AS source_id, o.ordered_at AS at "
        "ORDER BY i.id LIMIT 1",
    )
    assert rows, "the generated data holds identities scoring F=5 and M=5"
    return rows[0]


def test_incremental_refresh_rescores_only_the_identity_with_new_orders_and_matches_a_full_one(
    build: Build, session_graph: Graph, config: AnalysesConfig, resolution: ResolutionConfig
) -> None:
    graph, first = session_graph, build()
    quiet = refresh_segments(graph, config)
    assert (quiet.mode, quiet.identities, quiet.orders) == ("incremental", 0, 0)

    # A top buyer orders again on the day of their last purchase: the stored cut points and
    # rhythms stay exact (they were above the top cuts already), so incremental = full.
    buyer = _buyer_with_top_frequency_and_spend(graph)
    before = _identities(graph)[buyer["id"]]
    row = {
        "order_id": "SEG-TEST-1", "customer_id": buyer["source_id"], "customer_source": buyer["source"],
        "amount": "100.00", "currency": "EUR", "ordered_at": _moment(buyer["at"]).isoformat(),
        "channel": "web", "status": "paid",
    }  # fmt: skip
    ingest_rows(graph, [RawRow(1, row)], buyer["source"], Kind.ORDERS)
    resolve(graph, resolution)
    again = refresh_segments(graph, config)
    assert (again.mode, again.identities) == ("incremental", 1)
    assert again.purchases == before["order_count"] + 1

    after = _identities(graph)
    assert after[buyer["id"]]["order_count"] == before["order_count"] + 1
    per_unit = config.currency.rates[before["value_currency"]]  # the 100 EUR in it
    assert after[buyer["id"]]["total_spend"] == pytest.approx(
        before["total_spend"] + 100 / per_unit, abs=0.011
    )
    stamps = Counter(
        _utc(p["segments_at"])
        for i, p in after.items()
        if i != buyer["id"] and p["status"] == "active"
    )
    assert stamps == Counter({first.at: first.identities - 1}), "only the buyer was rescored"
    assert _utc(after[buyer["id"]]["segments_at"]) == again.at

    incremental = _segments(graph)
    full = refresh_segments(graph, config, full=True)
    assert full.as_of == again.as_of
    assert _segments(graph) == incremental
    runs = {
        r["mode"]: r["cut_points"]
        for r in cypher(
            graph,
            "MATCH (r:AnalysisRun) WHERE r.run_id IN $ids RETURN r.mode AS mode, r.cut_points AS cut_points",
            ids=[again.run_id, full.run_id],
        )
    }
    assert runs["incremental"] == runs["full"]


def test_a_merge_clears_the_absorbed_identity_and_rescores_the_survivor_with_both_orders(
    build: Build, session_graph: Graph, config: AnalysesConfig, resolution: ResolutionConfig
) -> None:
    graph = session_graph
    build()
    pair = cypher(
        graph,
        "MATCH (i:Identity {status: 'active'})<-[:RESOLVES_TO]-(c:Customer)-[:PLACED]->(:Order) "
        "WHERE i.order_count > 0 "
        "WITH i, min(c.key) AS key ORDER BY i.id LIMIT 2 RETURN i.id AS id, key, i.order_count AS n",
    )
    assert len(pair) == 2
    assert_same(graph, pair[0]["key"], pair[1]["key"], by="test")
    resolve(graph, resolution)
    report = refresh_segments(graph, config)
    assert report.mode == "incremental"
    identities = _identities(graph)
    statuses = {identities[p["id"]]["status"] for p in pair}
    assert statuses == {"active", "merged"}
    survivor, absorbed = sorted(pair, key=lambda p: identities[p["id"]]["status"])
    assert all(identities[absorbed["id"]][k] is None for k in PROPERTIES)
    assert identities[survivor["id"]]["order_count"] == pair[0]["n"] + pair[1]["n"]
    assert report.cleared >= 1 and report.identities >= 1


def test_a_moved_as_of_or_a_changed_config_forces_a_full_refresh(
    build: Build, session_graph: Graph, config: AnalysesConfig
) -> None:
    graph, first = session_graph, build()
    later = refresh_segments(graph, config, as_of=first.as_of.replace(year=first.as_of.year + 1))
    assert later.mode == "full" and later.reason.startswith("as_of moved 36")
    buyers = [p for p in _segments(graph).values() if p["status"] == "active" and p["order_count"]]
    assert buyers and all(p["loyalty_band"] == "lost" for p in buyers)

    changed = copy.deepcopy(dict(config.segments))
    changed["lifetime_value"] = {**changed["lifetime_value"], "horizon_days": 730}
    other = AnalysesConfig(config.currency, config.households, config.fraud, changed)
    longer = refresh_segments(graph, other, as_of=later.as_of)
    assert (longer.mode, longer.reason) == ("full", "the segments or currency config changed")
    assert longer.identities == first.identities
    assert refresh_segments(graph, other, as_of=later.as_of).mode == "incremental"
