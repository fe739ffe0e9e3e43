"""Householding and fraud rings on generated data: quality against the ground truth, stable
ids across runs, and the `c360 analyze` / `c360 evaluate` commands."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from c360graph.analyze.evaluate import household_metrics, read_group_truth, ring_metrics
from c360graph.analyze.runner import analyze_fraud, analyze_households
from c360graph.analyze.settings import AnalysesConfig, load_analyses_config
from c360graph.analyze.store import current_groups
from c360graph.db.graph import Graph
from c360graph.generate import generate_dataset
from c360graph.graph.load import ingest_file, read_manifest
from c360graph.resolve.engine import resolve
from c360graph.resolve.export import current_assignments
from c360graph.resolve.settings import load_resolution_config
from tests.helpers import cypher


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("households")
    generate_dataset(out, customers=1000, seed=5, progress=False)
    return out


@pytest.fixture(scope="module")
def config() -> AnalysesConfig:
    return load_analyses_config()


@pytest.fixture(scope="module")
def analysed(session_graph: Graph, dataset: Path, config: AnalysesConfig) -> Graph:
    """The dataset ingested (every file), resolved, and analysed once for the module."""
    graph = session_graph
    graph.write("schema/clear_all")
    for entry in read_manifest(dataset / "manifest.yaml"):
        ingest_file(graph, entry.path, entry.source, entry.kind, entry.mapping, progress=False)
    resolve(graph, load_resolution_config(), full=True, retrain=True)  # learned from this data
    analyze_households(graph, config)
    analyze_fraud(graph, config)
    return graph


def groups(graph: Graph) -> tuple[dict[str, str], dict[str, str]]:
    return (
        current_groups(graph, "analyses/current_households", "household"),
        current_groups(graph, "analyses/current_rings", "ring"),
    )


def test_households_are_found_with_high_precision(analysed: Graph, dataset: Path) -> None:
    truth = read_group_truth(dataset / "ground_truth.csv")
    households, _ = groups(analysed)
    metrics = household_metrics(truth, current_assignments(analysed), households)
    # Recall is bounded by the data: about half of the true pairs have a member whose records
    # carry no address at all (newsletter, social). docs/analyses.md has the figures.
    # Precision rests on resolution too: one namesake merged across two families (two men
    # named Khoa Mai, linked on the rare name alone) puts 23 false pairs into one household
    # (0.865 with the learned model, 0.955 with the generator-fitted one it replaced).
    assert metrics.precision >= 0.85, metrics
    assert metrics.recall >= 0.35, metrics


def test_every_generated_ring_is_found_and_no_innocent_group_is_stored(
    analysed: Graph, dataset: Path
) -> None:
    truth = read_group_truth(dataset / "ground_truth.csv")
    assert set(truth.ring_of.values()) - {""}, "the generated data should hold a ring"
    _, rings = groups(analysed)
    metrics = ring_metrics(truth, current_assignments(analysed), rings)
    assert metrics.recall == 1.0, metrics
    assert metrics.precision == 1.0, metrics


def test_households_and_rings_carry_confidence_reason_and_evidence(analysed: Graph) -> None:
    rows = cypher(
        analysed,
        "MATCH (i:Identity)-[r:IN_HOUSEHOLD]->(h:Household) "
        "RETURN h.confidence AS c, h.reason AS reason, h.size AS size, r.confidence AS rc",
    )
    assert rows
    assert all(0.6 <= row["c"] <= 1 and row["reason"] and row["size"] >= 2 for row in rows)
    rings = cypher(
        analysed,
        "MATCH (f:FraudRing)-[e:EVIDENCE]->(x) "
        "RETURN f.id AS id, f.score AS score, f.reason AS reason, e.identities AS n",
    )
    assert rings
    assert all(row["score"] >= 0.5 and row["n"] >= 2 and row["reason"] for row in rings)


def test_each_identity_is_in_at_most_one_household_and_one_ring(analysed: Graph) -> None:
    for relation in ("IN_HOUSEHOLD", "IN_RING"):
        counts = cypher(
            analysed,
            f"MATCH (i:Identity)-[:{relation}]->(g) RETURN i.id AS id, count(g) AS n",
        )
        assert counts
        assert max(row["n"] for row in counts) == 1


def test_running_again_on_unchanged_data_keeps_every_id(
    analysed: Graph, config: AnalysesConfig
) -> None:
    before = groups(analysed)
    households = analyze_households(analysed, config)
    rings = analyze_fraud(analysed, config)
    assert groups(analysed) == before
    assert households.new == 0 and rings.new == 0
    kinds = Counter(row["label"] for row in cypher(
        analysed, "MATCH (n) WHERE n:Household OR n:FraudRing RETURN labels(n)[0] AS label"
    ))  # fmt: skip
    assert kinds["Household"] == len(set(before[0].values()))
    assert kinds["FraudRing"] == len(set(before[1].values()))


def _share_an_address(graph: Graph, identities: list[str]) -> bool:
    rows = cypher(
        graph,
        "MATCH (i:Identity)<-[:RESOLVES_TO]-(:Customer)-[:LIVES_AT]->(a:Address) "
        "WHERE i.id IN $ids WITH a, count(DISTINCT i) AS n WHERE n = $size RETURN count(a) AS c",
        ids=identities,
        size=len(identities),
    )
    return bool(rows) and int(rows[0]["c"]) > 0


def test_a_household_whose_member_left_keeps_its_id_and_a_dissolved_one_is_deleted(
    analysed: Graph, config: AnalysesConfig
) -> None:
    households, _ = groups(analysed)
    members: dict[str, list[str]] = {}
    for identity, household in households.items():
        members.setdefault(household, []).append(identity)
    # The members left must still live together, or the household rightly splits in two.
    big = next(
        h
        for h, ids in sorted(members.items())
        if len(ids) >= 3 and _share_an_address(analysed, sorted(ids)[:-1])
    )
    pair = next(h for h, ids in sorted(members.items()) if len(ids) == 2)
    # Cut one member of each off its household by removing its address and phone links.
    for household in (big, pair):
        cypher(
            analysed,
            "MATCH (:Identity {id: $id})<-[:RESOLVES_TO]-(:Customer)-[r:LIVES_AT|HAS_PHONE|USES]->() "
            "DELETE r",
            id=sorted(members[household])[-1],
        )
    analyze_households(analysed, config)
    after, _ = groups(analysed)
    assert set(after[m] for m in sorted(members[big])[:-1]) == {big}
    assert pair not in set(after.values())
    assert not cypher(analysed, "MATCH (h:Household {id: $id}) RETURN h", id=pair)


def test_analyze_all_and_evaluate_commands_report_households_and_rings(
    cli_env: dict[str, str], dataset: Path, analysed: Graph
) -> None:
    def c360(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "c360graph", *args],
            env=cli_env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    out = c360("analyze", "all")
    assert "households (" in out
    assert "rings stored" in out and "marked shared by resolution" in out
    assert "segment" in out.lower()
    report = c360("evaluate", "--truth", str(dataset / "ground_truth.csv"))
    assert "Households  precision" in report
    assert "Rings       detected" in report


def test_analyze_commands_explain_themselves() -> None:
    for args in (["analyze", "--help"], ["analyze", "households", "--help"]):
        done = subprocess.run(
            [sys.executable, "-m", "c360graph", *args], capture_output=True, text=True, check=True
        )
        assert "Usage:" in done.stdout
