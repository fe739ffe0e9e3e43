"""The GraphQL operations the readers and the writer send, each with the field a good answer
holds."""

from __future__ import annotations

from dataclasses import dataclass

from api import FULL_NEIGHBOURHOOD


@dataclass(frozen=True)
class Op:
    """A GraphQL operation, and the top-level field a good answer holds (not null)."""

    text: str
    field: str


SEARCH = Op(
    """
query Search($name: String!) {
  searchIdentities(name: $name, first: 10) {
    edges { node { score identity { id recordCount profile { fullName { value source } } } } }
    pageInfo { hasNextPage endCursor }
  }
}
""",
    "searchIdentities",
)
BY_RECORD = Op(
    """
query ByRecord($source: String!, $sourceId: String!) {
  identityByRecord(source: $source, sourceId: $sourceId) {
    id status recordCount sources
    profile { fullName { value source } email { value } phone { value } }
    records(first: 20) { edges { node { key source sourceId } } }
  }
}
""",
    "identityByRecord",
)
TIMELINE = Op(
    """
query Timeline($id: ID!, $after: String) {
  identity(id: $id) {
    id
    timeline(first: 20, after: $after) {
      edges { node { at kind channel { name } order { key amount currency status }
                     interaction { key type subject } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
""",
    "identity",
)
INGEST = Op(
    """
mutation Ingest($source: String!, $kind: RecordKind!, $records: [JSON!]!) {
  ingestRecords(source: $source, kind: $kind, records: $records, resolve: false) {
    read created updated unchanged rejected rejections { row reason }
  }
}
""",
    "ingestRecords",
)
ADD_NOTE = Op(
    """
mutation Note($id: ID!, $text: String!) { addNote(identityId: $id, text: $text) { id author } }
""",
    "addNote",
)
SET_ATTRIBUTE = Op(
    """
mutation Attribute($id: ID!, $value: String!) {
  setAttribute(identityId: $id, name: "load_test", value: $value) { name value author }
}
""",
    "setAttribute",
)
_ASSERT = """
mutation Assert($a: RecordRef!, $b: RecordRef!, $resolve: Boolean!) {
  ACTION(a: $a, b: $b, note: "load test", resolve: $resolve) {
    same resolution { mode scope identities }
  }
}
"""
LINK = Op(_ASSERT.replace("ACTION", "link"), "link")
UNLINK = Op(_ASSERT.replace("ACTION", "unlink"), "unlink")
RESOLVE = Op("mutation { resolve { mode } }", "resolve")
NEIGHBOURHOOD = Op(FULL_NEIGHBOURHOOD, "identity")
