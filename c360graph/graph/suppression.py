"""The suppression list: a person who was erased stays erased when their data comes back.

Erasure adds keyed hashes (HMAC-SHA256 under this installation's secret) of the erased
records' keys and of the identifiers only they held to `:Suppressed` nodes; ingest hashes
each row the same way and rejects a row whose hash is listed, with the reason in the reject
file. Neither the values nor an unkeyed hash of them reach the graph, so the list cannot be
read back as a list of people.

Edge cases, decided:
- Suppressed: record keys (source:source_id; for orders, interactions and device links the
  customer they belong to), emails, phones, loyalty ids and national ids: the identifier
  kinds graph/schema.py declares with `suppressed_as`.
- Not suppressed: addresses and devices (the next tenant of a flat, a second-hand phone),
  placeholders and identifiers resolution marked shared, and identifiers another remaining
  record still uses (a family's landline): blocking those would turn strangers away.
- The secret is `<C360_HOME>/suppression.key` (mode 0600), made on the first erasure. Every
  host that ingests into one graph needs the same file (`ingest.suppression_key_file`);
  with another secret, listed people would come back, so back it up with the graph.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from c360graph.db.graph import Graph
from c360graph.graph.schema import SUPPRESSED
from c360graph.sources.fields import Kind
from c360graph.sources.records import Record

# Relationship type -> the kind a suppressed identifier is listed under.
_RELS = {kind.rel: kind.suppressed_as for kind in SUPPRESSED if kind.suppressed_as}


class SecretUnreadable(ValueError):
    """The suppression secret file exists but cannot be used."""


def load_secret(path: Path, create: bool) -> bytes | None:
    """The installation's suppression secret; made (0600) when missing and `create` is set."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        if not create:
            return None
        return _create_secret(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretUnreadable(f"cannot read the suppression secret {path}: {exc}") from exc
    try:
        return bytes.fromhex(text)
    except ValueError as exc:
        raise SecretUnreadable(
            f"{path} is not a suppression secret (64 hex digits); restore it from a backup"
        ) from exc


def _create_secret(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return load_secret(path, create=False) or secret
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secret.hex() + "\n")
    return secret


def digest(secret: bytes, kind: str, value: str) -> str:
    """The keyed hash a value is listed under."""
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Listed:
    """What a row matched on the suppression list: the kind of value, and since when."""

    kind: str
    since: Any


def row_hashes(secret: bytes, record: Record, kind: Kind) -> dict[str, str]:
    """The keyed hashes of a prepared record's key and identifiers, each with its kind."""
    if kind is not Kind.CUSTOMERS:
        return {digest(secret, "record", record.refs["customer_key"]): "record"}
    hashes = {digest(secret, "record", record.key): "record"}
    for identifier in SUPPRESSED:
        listed_as = identifier.suppressed_as or identifier.name
        for link in record.links.get(identifier, []):
            hashes[digest(secret, listed_as, link.value)] = listed_as
    return hashes


class Checker:
    """Matches batches of prepared records against the suppression list, one read a batch."""

    def __init__(self, graph: Graph, secret_file: Path, kind: Kind) -> None:
        self.graph = graph
        self.kind = kind
        listed = graph.read("suppression/size")[0]["n"]
        # No list, no secret needed: most installations never erase anyone.
        self.secret = load_secret(secret_file, create=False) if listed else None
        if listed and self.secret is None:
            raise SecretUnreadable(
                f"the graph lists {listed} erased people but {secret_file} is missing, so "
                "they cannot be recognised; restore the file (or set "
                "ingest.suppression_key_file) before ingesting"
            )

    def listed(self, records: Iterable[Record]) -> dict[str, Listed]:
        """Record key -> what it matched, for the records that must not be ingested."""
        if self.secret is None:
            return {}
        per_record = {r.key: row_hashes(self.secret, r, self.kind) for r in records}
        wanted = sorted({h for hashes in per_record.values() for h in hashes})
        found = {
            row["hash"]: Listed(row["kind"], row["since"])
            for row in self.graph.read("suppression/suppressed", hashes=wanted)
        }
        matched: dict[str, Listed] = {}
        for key, hashes in per_record.items():
            hit = next((found[h] for h in hashes if h in found), None)
            if hit is not None:
                matched[key] = hit
        return matched


def reason(hit: Listed) -> str:
    """The reject file's `_error` for a row of an erased person."""
    since = str(hit.since)[:10] if hit.since is not None else "earlier"
    what = "record" if hit.kind == "record" else hit.kind.replace("_", " ")
    return (
        f"erased: this {what} belongs to a person erased on {since} (right to be forgotten) "
        "and is on the suppression list; remove the row from the source export"
    )


def erasure_entries(graph: Graph, keys: list[str], secret: bytes) -> list[dict[str, str]]:
    """The suppression entries of an erasure: the records' keys and their own identifiers."""
    entries = {digest(secret, "record", key): "record" for key in keys}
    for row in graph.read("suppression/erasable_identifiers", keys=keys):
        kind = _RELS[row["rel"]]
        entries[digest(secret, kind, row["value"])] = kind
    return [{"hash": h, "kind": k} for h, k in sorted(entries.items())]
