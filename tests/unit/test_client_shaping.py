"""The notebook client's pure shaping: driver values made plain, rows into DataFrames with their
documented columns, edge rows into a networkx graph with readable node ids."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta, timezone

import neo4j.time
import pandas as pd
import pytest

from c360graph.client import NotebookExtraMissing, graph_from_edges, native, node_id, to_frame


def _edge(
    a: tuple[str, dict[str, object]], rel: str, b: tuple[str, dict[str, object]], **props: object
) -> dict[str, object]:
    return {"a_labels": [a[0]], "a": a[1], "type": rel, "rel": props, "b_labels": [b[0]], "b": b[1]}


CUSTOMER = ("Customer", {"key": "crm:C1", "full_name": "Ann Lee"})
IDENTITY = ("Identity", {"id": "id_1", "full_name": "Ann Lee", "record_count": 2})
EMAIL = ("Email", {"address": "ann@example.com"})


def test_native_makes_driver_times_python_and_reads_naive_times_as_utc() -> None:
    value = {
        "at": neo4j.time.DateTime(2024, 5, 1, 12, 30, 0),
        "born": neo4j.time.Date(1980, 2, 29),
        "zoned": neo4j.time.DateTime(2024, 5, 1, 12, 0, 0, tzinfo=timezone(timedelta(hours=2))),
        "list": [neo4j.time.Date(2020, 1, 1), "x", 3],
    }
    plain = native(value)
    assert plain["at"] == datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    assert plain["born"] == date(1980, 2, 29) and type(plain["born"]) is date
    assert plain["zoned"] == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert plain["list"] == [date(2020, 1, 1), "x", 3]


def test_to_frame_keeps_the_documented_columns_even_without_rows() -> None:
    frame = to_frame([], ("ring_id", "score"))
    assert list(frame.columns) == ["ring_id", "score"]
    assert frame.empty


def test_to_frame_orders_columns_and_makes_datetime_columns_utc() -> None:
    rows = [
        {
            "score": 0.9,
            "ring_id": "r1",
            "at": neo4j.time.DateTime(2024, 1, 2, 3, 4, 5),
            "born": neo4j.time.Date(1990, 1, 1),
        },
        {"score": 0.5, "ring_id": "r2", "at": None, "born": None},
    ]
    frame = to_frame(rows, ("ring_id", "score", "at", "born"))
    assert list(frame.columns) == ["ring_id", "score", "at", "born"]
    assert isinstance(frame["at"].dtype, pd.DatetimeTZDtype) and str(frame["at"].dt.tz) == "UTC"
    assert frame["at"][0] == pd.Timestamp("2024-01-02T03:04:05Z")
    assert pd.isna(frame["at"][1])
    assert frame["born"][0] == date(1990, 1, 1)  # dates stay dates


def test_node_id_is_label_and_key_and_stable_for_unkeyed_nodes() -> None:
    assert node_id(["Customer"], {"key": "crm:C1", "full_name": "Ann"}) == "Customer:crm:C1"
    assert node_id(["FraudRing"], {"id": "ring_1"}) == "FraudRing:ring_1"
    event = {"kind": "merge", "identity": "id_1"}
    assert node_id(["IdentityEvent"], event) == node_id(
        ["IdentityEvent"], dict(reversed(event.items()))
    )
    assert node_id(["IdentityEvent"], event) != node_id(["IdentityEvent"], {"kind": "split"})


def test_graph_from_edges_builds_labelled_nodes_and_typed_edges() -> None:
    rows = [
        {
            "a_labels": ["Identity"],
            "a": IDENTITY[1],
            "type": None,
            "rel": None,
            "b_labels": None,
            "b": None,
        },
        _edge(CUSTOMER, "RESOLVES_TO", IDENTITY, run_id="r1"),
        _edge(CUSTOMER, "HAS_EMAIL", EMAIL, first_seen=neo4j.time.DateTime(2024, 1, 1, 0, 0, 0)),
        _edge(CUSTOMER, "HAS_EMAIL", EMAIL),  # the same relationship again: no duplicate edge
    ]
    graph = graph_from_edges(rows)
    assert set(graph.nodes) == {"Identity:id_1", "Customer:crm:C1", "Email:ann@example.com"}
    assert graph.nodes["Identity:id_1"] == {
        "id": "id_1",
        "full_name": "Ann Lee",
        "record_count": 2,
        "label": "Identity",
        "labels": ["Identity"],
    }
    assert graph.number_of_edges() == 2
    assert graph.edges["Customer:crm:C1", "Identity:id_1", "RESOLVES_TO"] == {
        "type": "RESOLVES_TO",
        "run_id": "r1",
    }
    assert graph.has_edge("Customer:crm:C1", "Email:ann@example.com", key="HAS_EMAIL")


def test_a_row_without_a_type_adds_its_node_alone() -> None:
    graph = graph_from_edges([{"a_labels": ["FraudRing"], "a": {"id": "ring_1"}, "type": None}])
    assert list(graph.nodes) == ["FraudRing:ring_1"]
    assert graph.number_of_edges() == 0


def test_missing_pandas_or_networkx_says_to_install_the_notebook_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(NotebookExtraMissing, match=r"c360graph\[notebook\]"):
        to_frame([{"a": 1}])
    monkeypatch.setitem(sys.modules, "networkx", None)
    with pytest.raises(NotebookExtraMissing, match=r"c360graph\[notebook\]"):
        graph_from_edges([])
