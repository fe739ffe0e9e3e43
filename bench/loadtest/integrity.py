"""Integrity: the graph after the run, checked against the inputs and the writer's calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from common import local_settings

from c360graph.db.graph import connect
from loadtest.build import ADMIN
from loadtest.phases import Results
from loadtest.writer import WriterPass

Check = tuple[str, bool, str]


def _batch_checks(run: WriterPass, part: dict[str, int]) -> list[Check]:
    """The CLI ingest of a batch read every row, created its new records, updated its
    changed ones; its API batch's calls read what was sent."""
    if not run.ingest:
        return [(f"pass {run.batch[-1].upper()} ingested", False, "`c360 ingest` did not finish")]
    read = sum(line["read"] for line in run.ingest)
    customers = [line for line in run.ingest if line["kind"] == "customers"]
    created = sum(line["created"] for line in customers)
    updated = sum(line["updated"] for line in customers)
    rejected = sum(line["rejected"] for line in customers)
    new, changed = part.get("customers", 0), part.get("changed", 0)
    sent = sum(call["sent"] for call in run.api_ingest)
    api_read = sum(call.get("read", 0) for call in run.api_ingest)
    name = f"batch {run.batch[-1].upper()}"
    return [
        (
            f"{name}: `c360 ingest` read every row",
            read == part.get("rows"),
            f"{read:,} of {part.get('rows', 0):,}",
        ),
        (
            f"{name}: new records created, changed ones updated",
            created + rejected == new and updated == changed,
            f"created {created:,} + rejected {rejected:,} of {new:,} new; updated {updated:,} of {changed:,} changed",
        ),
        (
            f"{name}: ingestRecords read every row sent",
            api_read == sent,
            f"{api_read:,} of {sent:,} in {len(run.api_ingest)} calls",
        ),
    ]


def integrity(
    home: Path, heap: str, engine: str, facts: dict[str, Any], results: Results
) -> list[Check]:
    """Read the graph after the run and check it against the inputs and the writer's calls."""
    writes = results.writes
    with connect(local_settings(home, heap, engine)) as graph:
        records = graph.read("bench/load_record_integrity")[0]
        identities = graph.read("bench/load_identity_integrity")[0]
        runs = {row["kind"]: row for row in graph.read("bench/load_ingest_runs")}
        annotations = graph.read("bench/load_annotations", author=ADMIN)[0]
        keys = [key for pair in writes.links + writes.unlinks for key in pair]
        found = {
            row["key"]: row["identities"] for row in graph.read("bench/load_identity_of", keys=keys)
        }

    def created(kind: str) -> int:
        return int(runs.get(kind, {}).get("created") or 0)

    def one(key: str) -> str | None:
        ids = found.get(key, [])
        return ids[0] if len(ids) == 1 else None

    held_links = sum(1 for a, b in writes.links if one(a) is not None and one(a) == one(b))
    held_unlinks = sum(1 for a, b in writes.unlinks if one(a) and one(b) and one(a) != one(b))
    stubs = records["stubs"]
    checks: list[Check] = [
        (
            "every record resolves to exactly one active identity",
            records["unresolved"] == records["ambiguous"] == records["inactive"] == 0,
            f"{records['records']:,} records: {records['unresolved']} with none, "
            f"{records['ambiguous']} with several, {records['inactive']} with an inactive one",
        ),
        (
            "no active identity is empty or miscounted",
            identities["empty"] == identities["miscounted"] == 0,
            f"{identities['identities']:,} active: {identities['empty']} without records, "
            f"{identities['miscounted']} with a wrong record_count",
        ),
        (
            "records = customers the ingest runs created",
            records["records"] - stubs == created("customers"),
            f"{records['records']:,} records ({stubs} stubs) vs {created('customers'):,} created",
        ),
        (
            "orders = orders the ingest runs created",
            identities["orders"] == created("orders"),
            f"{identities['orders']:,} vs {created('orders'):,}",
        ),
        (
            "interactions = interactions the ingest runs created",
            identities["interactions"] == created("interactions"),
            f"{identities['interactions']:,} vs {created('interactions'):,}",
        ),
    ]
    for run in (results.alone, results.under_load):
        checks += _batch_checks(run, facts["parts"][run.batch])
    checks += [
        (
            "notes and attributes = the calls that succeeded",
            (annotations["notes"], annotations["attributes"]) == (writes.notes, writes.attributes),
            f"notes {annotations['notes']} of {writes.notes}, attributes "
            f"{annotations['attributes']} of {writes.attributes}",
        ),
        (
            "every link and unlink holds",
            held_links == len(writes.links) and held_unlinks == len(writes.unlinks),
            f"links {held_links} of {len(writes.links)}, unlinks {held_unlinks} of "
            f"{len(writes.unlinks)}",
        ),
    ]
    return checks
