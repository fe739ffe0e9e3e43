"""The use cases: one façade, `C360`, that the CLI, the GraphQL mutations and the notebook
client call to ingest, resolve, assert, review, erase, annotate and analyse."""

from c360graph.usecases.facade import C360, Resolved

__all__ = ["C360", "Resolved"]
