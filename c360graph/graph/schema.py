"""The graph model as data: identifier kinds, keyed labels and how records link to them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IdentifierKind:
    """A kind of identifier node a customer record links to."""

    name: str  # the Record.identifiers / Record.links key, e.g. "emails"
    label: str
    key: str  # the node property that is unique
    rel: str  # the relationship type from :Customer

    @property
    def merge_query(self) -> str:
        """The named query that merges nodes of this kind."""
        return f"ingest/merge_{self.name}"


IDENTIFIERS: tuple[IdentifierKind, ...] = (
    IdentifierKind("emails", "Email", "address", "HAS_EMAIL"),
    IdentifierKind("phones", "Phone", "e164", "HAS_PHONE"),
    IdentifierKind("devices", "Device", "device_id", "USES"),
    IdentifierKind("addresses", "Address", "key", "LIVES_AT"),
    IdentifierKind("loyalty_ids", "LoyaltyId", "value", "HAS_LOYALTY_ID"),
    IdentifierKind("national_ids", "NationalId", "hash", "HAS_NATIONAL_ID"),
)

# Every label with a uniqueness constraint, and its key (cypher/schema/constraints.cypher).
KEYED_LABELS: dict[str, str] = {
    "Customer": "key",
    **{kind.label: kind.key for kind in IDENTIFIERS},
    "Order": "key",
    "Interaction": "key",
    "Consent": "key",
    "Channel": "name",
    "Source": "name",
    "IngestRun": "run_id",
    "Identity": "id",
    "ResolutionRun": "run_id",
    "ResolutionLock": "name",
    "Tombstone": "id",
    "Suppressed": "hash",
}

MIGRATIONS: tuple[str, ...] = ("schema/constraints", "schema/indexes")
