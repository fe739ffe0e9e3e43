"""A small notebook API: analyses as pandas DataFrames, neighbourhoods as networkx graphs.

    from c360graph import Client

    with Client() as c360:                      # connects like the CLI (NEO4J_URI or local)
        rings = c360.fraud_rings()              # one row per ring
        g = c360.ring_graph(rings.ring_id[0])   # networkx.MultiDiGraph
        c360.erasure.record("crm:C000012")      # the use cases, as the CLI and the API run them

The use cases (`ingest`, `resolution`, `assertions`, `review`, `erasure`, `notes`,
`analyses`) are the parts of the façade every front calls (c360graph/usecases), so a write
from a notebook is followed by what follows it from the CLI or the API.

pandas and networkx are optional (`pip install 'c360graph[notebook]'`) and imported on first
use, so `import c360graph` works without them. The shaping functions (`to_frame`,
`graph_from_edges`, `node_id`, `native`) are pure and take plain rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

import neo4j.graph

from c360graph.config import Settings, load_settings
from c360graph.db.cypher import query as named_query
from c360graph.db.graph import Graph, connect
from c360graph.db.values import plain as native
from c360graph.graph.schema import KEYED_LABELS
from c360graph.usecases import C360

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

_INSTALL = "pip install 'c360graph[notebook]'"
# The property that identifies a node of each label: a node's id in an exported graph is
# "Label:value", readable and the same across runs and engines.
NODE_KEYS: dict[str, str] = {
    **KEYED_LABELS,
    "Household": "id",
    "FraudRing": "id",
    "AnalysisRun": "run_id",
    "Note": "id",
    "StaffAttribute": "id",
}
IDENTITY_COLUMNS = (
    "identity_id", "full_name", "email", "phone", "date_of_birth", "country", "record_count",
    "sources", "segment", "household_id", "ring_id",
)  # fmt: skip
HOUSEHOLD_COLUMNS = (
    "household_id", "size", "confidence", "reason", "evidence", "member_ids", "member_names",
)  # fmt: skip
HOUSEHOLD_MEMBER_COLUMNS = ("household_id", "identity_id", "full_name", "confidence", "reason")
RING_COLUMNS = (
    "ring_id", "score", "size", "density", "velocity", "orders", "opened_within_days",
    "large_orders", "evidence_kinds", "reason", "member_ids",
)  # fmt: skip
RING_MEMBER_COLUMNS = (
    "ring_id", "identity_id", "full_name", "records", "sources", "first_opened_at", "orders",
)  # fmt: skip
RING_EVIDENCE_COLUMNS = ("ring_id", "kind", "value", "identities", "shared")
SEGMENT_COLUMNS = (
    "segment", "currency", "identities", "orders", "total_spend", "lifetime_value",
    "average_lifetime_value", "average_churn_risk",
)  # fmt: skip
CUSTOMER_COLUMNS = (
    "identity_id", "full_name", "email", "segment", "rfm", "recency_score", "frequency_score",
    "monetary_score", "frequency_band", "value_band", "loyalty_band", "order_count",
    "total_spend", "average_order_value", "first_order_at", "last_order_at", "historic_value",
    "expected_value", "lifetime_value", "value_currency", "churn_risk", "churn_band",
    "preferred_channel", "segments_at", "segments_as_of",
)  # fmt: skip
SHARED_IDENTIFIER_COLUMNS = ("kind", "value", "shared", "placeholder", "records", "identities")


class NotebookExtraMissing(ImportError):
    """pandas or networkx is not installed; the message says how to install them."""


def _require(module: str) -> ModuleType:
    try:
        return __import__(module)
    except ImportError as exc:
        raise NotebookExtraMissing(
            f"c360graph.Client needs {module}: install it with `{_INSTALL}`"
        ) from exc


def to_frame(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] = ()) -> pd.DataFrame:
    """The rows as a DataFrame with `columns` (kept when empty); datetime columns become UTC."""
    pandas = _require("pandas")
    records = [{k: native(v) for k, v in row.items()} for row in rows]
    frame = pandas.DataFrame.from_records(records, columns=list(columns) or None)
    for column in frame.columns:
        values = frame[column].dropna()
        # date (no time) stays as objects: pandas has no date-only dtype.
        if len(values) and all(isinstance(v, datetime) for v in values):
            frame[column] = pandas.to_datetime(frame[column], utc=True)
    return frame


def node_id(labels: Sequence[str], props: Mapping[str, Any]) -> str:
    """A node's id in an exported graph: 'Label:key' (e.g. 'Customer:crm:C000012')."""
    label = primary_label(labels)
    key = NODE_KEYS.get(label)
    if key is not None and props.get(key) is not None:
        return f"{label}:{props[key]}"
    # A node without a key (a Revision, an IdentityEvent): its properties identify it.
    digest = hashlib.sha256(repr(sorted(props.items())).encode()).hexdigest()[:16]
    return f"{label}:{digest}"


def primary_label(labels: Sequence[str]) -> str:
    """The label a node is known by: the first with a key, else the first alphabetically."""
    keyed = [label for label in labels if label in NODE_KEYS]
    return (keyed or sorted(labels) or ["Node"])[0]


def graph_from_edges(rows: Iterable[Mapping[str, Any]]) -> nx.MultiDiGraph:
    """A MultiDiGraph of edge rows {a_labels, a, type, rel, b_labels, b}; typeless rows add a."""
    # Nodes carry their properties plus `label` and `labels`; edges are keyed by their type
    # (a repeated row adds nothing) and carry `type` plus their properties.
    networkx = _require("networkx")
    graph = networkx.MultiDiGraph()

    def add_node(labels: Sequence[str], props: Mapping[str, Any]) -> str:
        node = node_id(labels, props)
        graph.add_node(node, **native(props), label=primary_label(labels), labels=sorted(labels))
        return node

    for row in rows:
        start = add_node(row["a_labels"], row["a"])
        if row.get("type") is None:
            continue
        end = add_node(row["b_labels"], row["b"])
        graph.add_edge(start, end, key=row["type"], type=row["type"], **native(row["rel"] or {}))
    return graph


def edges_of(value: Any) -> list[dict[str, Any]]:
    """Edge rows of a driver value: one per relationship of a path or list; a lone node alone."""
    if isinstance(value, neo4j.graph.Path):
        edges = [_edge(r) for r in value.relationships]
        return [e for e in edges if e] or [_lone(value.start_node)]
    if isinstance(value, neo4j.graph.Relationship):
        edge = _edge(value)
        return [edge] if edge else []
    if isinstance(value, neo4j.graph.Node):
        return [_lone(value)]
    if isinstance(value, list):
        return [edge for item in value for edge in edges_of(item)]
    return []


def _lone(node: neo4j.graph.Node) -> dict[str, Any]:
    return {"a_labels": sorted(node.labels), "a": dict(node), "type": None}


def _edge(rel: neo4j.graph.Relationship) -> dict[str, Any] | None:
    start, end = rel.start_node, rel.end_node
    if start is None or end is None:  # typed optional; set on every returned relationship
        return None
    return {
        "a_labels": sorted(start.labels),
        "a": dict(start),
        "type": rel.type,
        "rel": dict(rel),
        "b_labels": sorted(end.labels),
        "b": dict(end),
    }


class Client:
    """The customer graph for notebooks: DataFrames of the analyses, networkx neighbourhoods.

    `Client()` connects like the `c360` command (NEO4J_URI, else the local server; see
    README); pass `settings` to choose. Use it as a context manager, or call `close()`.
    Its writes and analyses are the use-case façade's parts, e.g. `c360.resolution.run()`.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        settings = settings or load_settings()
        self.graph: Graph = connect(settings)
        self.use_cases = C360(self.graph, settings)
        self.ingest = self.use_cases.ingest
        self.resolution = self.use_cases.resolution
        self.assertions = self.use_cases.assertions
        self.review = self.use_cases.review
        self.erasure = self.use_cases.erasure
        self.notes = self.use_cases.notes
        self.analyses = self.use_cases.analyses

    def close(self) -> None:
        """Close the connection."""
        self.graph.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        """Run any named read query (e.g. 'explore/top_rings') and return its rows."""
        return to_frame(self.graph.read(name, **params))

    def graph_of(self, name: str, **params: Any) -> nx.MultiDiGraph:
        """Every path, node and relationship a named query returns, as one MultiDiGraph."""
        text = named_query(name).text
        with self.graph.driver.session(database=self.graph.database) as session:
            records = session.execute_read(lambda tx: list(tx.run(text, params)))
        return graph_from_edges(edge for r in records for v in r.values() for edge in edges_of(v))

    def identities(self, min_records: int = 1) -> pd.DataFrame:
        """Active identities with at least `min_records` records (IDENTITY_COLUMNS)."""
        rows = self.graph.read("client/identities", min_records=min_records)
        return to_frame(rows, IDENTITY_COLUMNS)

    def households(self) -> pd.DataFrame:
        """One row per household, with member ids and names (HOUSEHOLD_COLUMNS)."""
        return to_frame(self.graph.read("client/households"), HOUSEHOLD_COLUMNS)

    def household_members(self) -> pd.DataFrame:
        """One row per household membership (HOUSEHOLD_MEMBER_COLUMNS)."""
        return to_frame(self.graph.read("client/household_members"), HOUSEHOLD_MEMBER_COLUMNS)

    def fraud_rings(self) -> pd.DataFrame:
        """One row per fraud ring, highest score first, with its score's parts (RING_COLUMNS)."""
        return to_frame(self.graph.read("client/fraud_rings"), RING_COLUMNS)

    def ring_members(self, ring_id: str | None = None) -> pd.DataFrame:
        """Member identities of one ring, or of all (RING_MEMBER_COLUMNS)."""
        return to_frame(self.graph.read("client/ring_members", ring=ring_id), RING_MEMBER_COLUMNS)

    def ring_evidence(self, ring_id: str | None = None) -> pd.DataFrame:
        """Identifiers tying one ring's members, or every ring's (RING_EVIDENCE_COLUMNS)."""
        rows = self.graph.read("client/ring_evidence", ring=ring_id)
        return to_frame(rows, RING_EVIDENCE_COLUMNS)

    def segments(self) -> pd.DataFrame:
        """One row per segment: identities, orders, spend, value, churn (SEGMENT_COLUMNS)."""
        return to_frame(self.graph.read("analyses/segment_summary"), SEGMENT_COLUMNS)

    def customers(
        self,
        segment: str | None = None,
        *,
        min_risk: float | None = None,
        min_value: float | None = None,
    ) -> pd.DataFrame:
        """Scored identities, most valuable first, filtered by each given (CUSTOMER_COLUMNS)."""
        rows = self.graph.read(
            "client/customers", segment=segment, min_risk=min_risk, min_value=min_value
        )
        return to_frame(rows, CUSTOMER_COLUMNS)

    def at_risk(self, min_risk: float = 0.6, min_value: float = 0.0) -> pd.DataFrame:
        """Customers at or above both floors, most valuable first (CUSTOMER_COLUMNS)."""
        # Without a purchase there is no churn risk: such customers are never listed.
        return self.customers(min_risk=min_risk, min_value=min_value)

    def shared_identifiers(self, min_identities: int = 2) -> pd.DataFrame:
        """Identifiers `min_identities`+ identities use, or marked shared (see columns)."""
        rows = self.graph.read("client/shared_identifiers", min_identities=min_identities)
        return to_frame(rows, SHARED_IDENTIFIER_COLUMNS)

    def neighbourhood(self, identity_id: str, *, activity: bool = False) -> nx.MultiDiGraph:
        """An identity's neighbourhood graph (absorbed ids followed); empty for an unknown id."""
        # The identity, ids merged into it, its records, their identifiers and links, its
        # household and ring; with `activity`, orders, interactions and their channels.
        rows = self.graph.read("client/neighbourhood", identity=identity_id, activity=activity)
        return graph_from_edges(rows)

    def ring_graph(self, ring_id: str) -> nx.MultiDiGraph:
        """A ring, its members, their records and evidence identifiers; empty if unknown."""
        return graph_from_edges(self.graph.read("client/ring_graph", ring=ring_id))


__all__ = ["Client", "NotebookExtraMissing", "graph_from_edges", "native", "node_id", "to_frame"]
