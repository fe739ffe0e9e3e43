"""c360graph: identity resolution and a customer 360 view on a graph database."""

from c360graph.client import Client
from c360graph.config import Settings, load_settings
from c360graph.db.graph import Graph, connect
from c360graph.graph.ingest import IngestReport, ingest_rows, rows_from_dicts
from c360graph.graph.load import ingest_file
from c360graph.sources.fields import Kind

__all__ = [
    "Client",
    "Graph",
    "IngestReport",
    "Kind",
    "Settings",
    "connect",
    "ingest_file",
    "ingest_rows",
    "load_settings",
    "rows_from_dicts",
]
