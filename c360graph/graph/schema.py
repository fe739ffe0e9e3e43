"""The graph model as data: identifier kinds, keyed labels and how records link to them.

Each identifier kind is declared once, below. The Cypher that repeats per kind (the node
merges, the customer writes, the rules, shared marking, export, erasure, constraints) is
rendered from these declarations into checked-in `.cypher` files by `make cypher`
(c360graph/graph/render.py), and tests/unit/test_rendered_cypher.py fails when they drift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


# eq=False: each kind is declared once, so it is itself (hashed by identity, cheaply, as
# records key their identifiers by it for every row).
@dataclass(frozen=True, eq=False)
class IdentifierKind:
    """A kind of identifier node a customer record links to, and what the graph does with it."""

    name: str  # the record's field and the ingest row's key, e.g. "emails"
    label: str
    key: str  # the node property that is unique
    rel: str  # the relationship type from :Customer
    constraint: str  # the name of the key's uniqueness constraint
    example: str  # a key value for the header's `:param` example in Neo4j Browser
    # The deterministic rule that links records sharing one (rules/<rule>.cypher), and what it
    # finds; None when sharing one is not evidence of one person (an address: a household).
    rule: str | None = None
    rule_finds: str = ""
    # The kind an erased value is remembered under on the suppression list; None when it is
    # not remembered (devices and addresses are shared too often to turn anyone away by).
    suppressed_as: str | None = None
    # How ingest reads it: the canonical customer column and the normalizer (c360graph/
    # normalize/) that turns one raw value into the node's properties, its key included, or
    # raises InvalidValue. The kinds below predate it and are read in sources/customers.py,
    # as each needs more than its own value (a region, a secret, several columns).
    column: str | None = None
    normalizer: Callable[[str], dict[str, Any]] | None = None

    @property
    def merge_query(self) -> str:
        """The named query that merges nodes of this kind."""
        return f"ingest/merge_{self.name}"


EMAIL = IdentifierKind(
    "emails",
    "Email",
    "address",
    "HAS_EMAIL",
    "email_address",
    "lan.nguyen@example.vn",
    rule="same_email",
    rule_finds="records that share a normalized email address.",
    suppressed_as="email",
)
PHONE = IdentifierKind(
    "phones",
    "Phone",
    "e164",
    "HAS_PHONE",
    "phone_e164",
    "+84977888999",
    rule="same_phone",
    rule_finds="records that share a phone number in E.164 form.",
    suppressed_as="phone",
)
DEVICE = IdentifierKind(
    "devices",
    "Device",
    "device_id",
    "USES",
    "device_id",
    "dev-123",
    rule="same_device",
    rule_finds="records that use the same device id.",
)
ADDRESS = IdentifierKind(
    "addresses", "Address", "key", "LIVES_AT", "address_key", "12 ly thuong kiet||ha noi|vn"
)
LOYALTY_ID = IdentifierKind(
    "loyalty_ids",
    "LoyaltyId",
    "value",
    "HAS_LOYALTY_ID",
    "loyalty_value",
    "L0001",
    rule="same_loyalty_id",
    rule_finds="records that carry the same loyalty card number.",
    suppressed_as="loyalty_id",
)
NATIONAL_ID = IdentifierKind(
    "national_ids",
    "NationalId",
    "hash",
    "HAS_NATIONAL_ID",
    "national_hash",
    "9f86d081",
    rule="same_national_id",
    rule_finds="records with the same national id (compared by keyed hash).",
    suppressed_as="national_id",
)

IDENTIFIERS: tuple[IdentifierKind, ...] = (EMAIL, PHONE, DEVICE, ADDRESS, LOYALTY_ID, NATIONAL_ID)
# The kinds whose shared values are evidence that records are one person, each with its rule.
EVIDENCE: tuple[IdentifierKind, ...] = tuple(kind for kind in IDENTIFIERS if kind.rule)
# The kinds an erasure remembers on the suppression list.
SUPPRESSED: tuple[IdentifierKind, ...] = tuple(kind for kind in IDENTIFIERS if kind.suppressed_as)

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
    "EventSequence": "name",
}

MIGRATIONS: tuple[str, ...] = ("schema/constraints", "schema/indexes")
