"""Erasure (right to be forgotten): a record or a whole identity, leaving a PII-free trace.

Only the erasure itself: the re-resolution of the records left behind (`survivors`) and the
segments refresh are the use case's (usecases/erasure.py), so every front does the same.

The erased keys and the identifiers only they held go on the suppression list (keyed
hashes, graph/suppression.py) in the same transaction, so a re-ingest cannot bring them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from c360graph.config import IngestSettings
from c360graph.db.graph import Graph
from c360graph.graph.suppression import erasure_entries, load_secret
from c360graph.resolve import store
from c360graph.resolve.assertions import UnknownRecord
from c360graph.resolve.engine import ResolveReport
from c360graph.resolve.event_feed import ensure_sequence
from c360graph.resolve.writeback import tombstone_id


@dataclass
class EraseReport:
    """What an erasure removed and (once the use case ran it) how the rest was re-resolved."""

    erased: list[str]
    tombstone: str
    retired: list[str]
    survivors: list[str]  # records left in the erased records' identities: to re-resolve
    resolution: ResolveReport | None = None

    def summary(self) -> str:
        """One line for people."""
        rest = self.resolution.summary() if self.resolution else "no other records to re-resolve"
        return (
            f"erased {len(self.erased)} record(s); audit tombstone {self.tombstone}; "
            f"retired identities: {', '.join(self.retired) or 'none'}. {rest}"
        )


def _erase(
    graph: Graph,
    keys: list[str],
    kind: str,
    label: str,
    pepper: str,
    secret_file: Path,
) -> EraseReport:
    identities = set(store.assignments(graph, keys).values())
    members = store.members(graph, identities)
    survivors = sorted({k for keys_of in members.values() for k in keys_of} - set(keys))
    emptied = sorted(i for i in identities if set(members.get(i, ())) <= set(keys))
    now = datetime.now(UTC)
    marker = tombstone_id(label, pepper)
    run: dict[str, Any] = {"run_id": f"erase-{marker[:12]}-{int(now.timestamp())}", "now": now}
    # Read before the write: the identifiers only these records hold, to keep them out.
    secret = load_secret(secret_file, create=True) or b""
    entries = erasure_entries(graph, keys, secret)
    ensure_sequence(graph)  # the retire events below are numbered from it
    # One transaction: a crash leaves either nothing erased or everything erased, tombstoned,
    # and the survivors marked for re-resolution (so no erased value outlives it in their
    # golden record, even if the resolution below never runs).
    graph.write_all(
        [
            ("resolve/mark_unresolved", {"keys": survivors}),
            ("resolve/erase_records", {"keys": keys}),
            (
                "resolve/record_tombstone",
                {"tombstones": [{"id": marker, "kind": kind, "records": len(keys)}], **run},
            ),
            ("resolve/wipe_identities", {"ids": emptied, **run}),
            (
                "resolve/record_erasure_events",
                {"tombstone": marker, "ids": emptied, "records": len(keys), **run},
            ),
            ("suppression/suppress", {"entries": entries, "tombstone": marker, "now": now}),
        ]
    )
    return EraseReport(keys, marker, emptied, survivors)


def erase_record(
    graph: Graph,
    key: str,
    pepper: str,
    secret_file: Path = IngestSettings.suppression_key_file,
) -> EraseReport:
    """Delete one source record and everything only it holds; its identity's other records
    are marked for re-resolution (`survivors`)."""
    if not store.load_records(graph, [key]):
        raise UnknownRecord(f"no record {key!r}; keys look like source:source_id (crm:C000123)")
    return _erase(graph, [key], "record", key, pepper, secret_file)


def erase_identity(
    graph: Graph,
    identity_id: str,
    pepper: str,
    secret_file: Path = IngestSettings.suppression_key_file,
) -> EraseReport:
    """Delete every record of an identity (old ids redirect) and retire the identity."""
    current = graph.read("resolve/current_identity", id=identity_id)
    if not current:
        raise UnknownRecord(f"no identity {identity_id!r}")
    current_id = current[0]["id"]
    keys = store.members(graph, [current_id]).get(current_id, [])
    if not keys:
        raise UnknownRecord(f"identity {current_id!r} has no records left (already erased?)")
    return _erase(graph, sorted(keys), "identity", current_id, pepper, secret_file)
