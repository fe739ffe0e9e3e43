"""A record from one source system, the golden profile, identifiers and staff annotations."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from c360graph.api.activity import ActivityOwner
from c360graph.api.context import Info
from c360graph.api.loaders import Group
from c360graph.api.masking import PROFILE_FIELDS, RECORD_FIELDS, Masker, View, kinds_asked
from c360graph.api.problems import FieldProblem, record_problems
from c360graph.api.service import Row
from c360graph.api.tickets import ServiceOwner
from c360graph.resolve.event_feed import cursor_of

if TYPE_CHECKING:
    from c360graph.api.identity import Identity

_Identity = Annotated["Identity", strawberry.lazy("c360graph.api.identity")]


_PROBLEM_FIELDS = frozenset({"dataIssues", "fieldProblems"})


@strawberry.type(description="A surviving value of the golden record and where it came from.")
class GoldenValue:
    value: str = strawberry.field(description="The value (masked for the reader role).")
    source: str = strawberry.field(description="The source system it came from.")
    record: str = strawberry.field(description="The record key (source:source_id) holding it.")


@strawberry.type(description="The surviving postal address: all parts come from one record.")
class GoldenAddress:
    line1: str | None = strawberry.field(description="Street line (masked for readers).")
    line2: str | None = strawberry.field(description="Second line (masked for readers).")
    city: str | None = strawberry.field(description="City.")
    postcode: str | None = strawberry.field(description="Postcode (masked for readers).")
    region: str | None = strawberry.field(description="Region or state.")
    country: str | None = strawberry.field(description="ISO 3166 alpha-2 country.")
    source: str = strawberry.field(description="The source system it came from.")
    record: str = strawberry.field(description="The record key holding it.")


@strawberry.type(description="The golden record: one surviving value per attribute.")
class Profile:
    first_name: GoldenValue | None = strawberry.field(description="First name.")
    last_name: GoldenValue | None = strawberry.field(description="Last name.")
    full_name: GoldenValue | None = strawberry.field(description="Full name for display.")
    date_of_birth: GoldenValue | None = strawberry.field(
        description="ISO date of birth (year only for readers)."
    )
    gender: GoldenValue | None = strawberry.field(description="Gender as normalized.")
    email: GoldenValue | None = strawberry.field(description="Preferred email.")
    phone: GoldenValue | None = strawberry.field(description="Preferred phone (E.164).")
    address: GoldenAddress | None = strawberry.field(description="Preferred postal address.")
    country: GoldenValue | None = strawberry.field(description="Country of residence.")

    @classmethod
    def of(cls, props: Row, masker: Masker, asked: set[str] | None = None) -> Profile:
        """From an :Identity node's flat golden properties; `asked`: the Profile fields
        selected (None: any), so only what is sent counts as shown."""
        view = masker.view([props.get("id")], asked=kinds_asked(asked, PROFILE_FIELDS))

        def golden(name: str, mask: Any = None) -> GoldenValue | None:
            value = props.get(name)
            if value is None:
                return None
            text = value.isoformat() if isinstance(value, date) else str(value)
            return GoldenValue(
                value=mask(text) if mask else text,
                source=props.get(f"{name}_source", ""),
                record=props.get(f"{name}_record", ""),
            )

        address = None
        if props.get("address_source"):
            address = GoldenAddress(
                line1=view.street(props.get("address_line1")),
                line2=view.street(props.get("address_line2")),
                city=props.get("address_city"),
                postcode=view.street(props.get("address_postcode")),
                region=props.get("address_region"),
                country=props.get("address_country"),
                source=props["address_source"],
                record=props.get("address_record", ""),
            )
        return cls(
            first_name=golden("first_name"),
            last_name=golden("last_name"),
            full_name=golden("full_name"),
            date_of_birth=golden("date_of_birth", view.birth_date),
            gender=golden("gender"),
            email=golden("email", view.email),
            phone=golden("phone", view.phone),
            address=address,
            country=golden("country"),
        )


@strawberry.type(description="An identifier (email, phone, device, address) and who uses it.")
class Identifier:
    kind: str = strawberry.field(description="email, phone, device or address.")
    value: str = strawberry.field(description="Normalized value (masked for readers).")
    records: list[str] = strawberry.field(description="Keys of this identity's records using it.")
    shared: bool = strawberry.field(
        description="Marked shared by resolution (placeholder, shop phone, kiosk): ignored "
        "when linking, listed for fraud review."
    )
    detail: str | None = strawberry.field(
        description="Extra facts: line type of a phone, device type, email domain."
    )


_KINDS = {"HAS_EMAIL": "email", "HAS_PHONE": "phone", "USES": "device", "LIVES_AT": "address"}
# Node label -> identifier kind (the kinds fraud evidence and shared identifiers use).
KIND_OF_LABEL = {
    "Email": "email",
    "Phone": "phone",
    "Device": "device",
    "Address": "address",
    "LoyaltyId": "loyalty_id",
    "NationalId": "national_id",
}


def identifier_value(kind: str, node: Row) -> tuple[str, str | None]:
    """An identifier node's display value and extra facts (line type, device type, ...)."""
    if kind == "email":
        return node.get("address", ""), node.get("domain")
    if kind == "phone":
        return node.get("e164", ""), node.get("line_type")
    if kind == "device":
        return node.get("device_id", ""), node.get("device_type")
    if kind == "address":
        parts = (node.get("line1"), node.get("line2"), node.get("postcode"))
        detail = ", ".join(p for p in (node.get("city"), node.get("country")) if p)
        return ", ".join(p for p in parts if p), detail or None
    if kind == "national_id":
        return node.get("hash", ""), None  # the raw id never reaches the graph
    return str(node.get("value", "")), None


def identifier_of(relationship: str, node: Row, records: list[str], view: View) -> Identifier:
    """An Identifier from its node and the relationship type a record reaches it by, masked
    through the view of whose identifier it is."""
    kind = _KINDS[relationship]
    value, detail = identifier_value(kind, node)
    return Identifier(
        kind=kind,
        value=view.identifier(kind, value) or "",
        records=sorted(records),
        shared=bool(node.get("shared")),
        detail=detail,
    )


@strawberry.type(description="One record from one source system, as ingested.")
class Record(ActivityOwner, ServiceOwner):
    key: strawberry.ID = strawberry.field(description="`source:source_id`, unique.")
    source: str = strawberry.field(description="The source system (crm, webshop, pos...).")
    source_id: str = strawberry.field(description="The record's id in its source.")
    first_name: str | None = strawberry.field(description="First name as cleaned.")
    last_name: str | None = strawberry.field(description="Last name as cleaned.")
    full_name: str | None = strawberry.field(description="Full name for display.")
    date_of_birth: str | None = strawberry.field(description="ISO date (year only for readers).")
    gender: str | None = strawberry.field(description="Gender as normalized.")
    emails: list[str] = strawberry.field(description="Its emails (masked for readers).")
    phones: list[str] = strawberry.field(description="Its phones, E.164 (masked for readers).")
    address_line1: str | None = strawberry.field(description="Street (masked for readers).")
    city: str | None = strawberry.field(description="City.")
    postcode: str | None = strawberry.field(description="Postcode (masked for readers).")
    country: str | None = strawberry.field(description="ISO 3166 alpha-2 country.")
    created_at: datetime | None = strawberry.field(description="Created, per the source.")
    updated_at: datetime | None = strawberry.field(description="Last updated, per the source.")
    ingested_at: datetime | None = strawberry.field(description="Last written by c360graph.")
    data_issues: list[str] = strawberry.field(
        description="Field problems found at ingest (values dropped, with why), as text: "
        "`field: message` (for the reader role, the problem alone when the value is "
        "personal data)."
    )
    field_problems: list[FieldProblem] = strawberry.field(
        description="The same field problems, one by one: field, problem, the value dropped "
        "(masked for the reader role) and the message."
    )
    stub: bool = strawberry.field(
        description="True while the record is only referenced by orders or interactions."
    )
    identity_id: strawberry.ID | None = strawberry.field(
        description="Its identity's id (null until resolution has run)."
    )

    @classmethod
    def of(cls, row: Row, masker: Masker, asked: set[str] | None = None) -> Record:
        """From an api/records_* row; `asked`: the Record fields selected (None: any)."""
        dob = row.get("date_of_birth")
        view = masker.view(
            [row.get("identity")], [row["key"]], asked=kinds_asked(asked, RECORD_FIELDS)
        )
        # A problem may quote any kind of personal data: its own view, when it is asked for.
        problems_asked = asked is None or bool(asked & _PROBLEM_FIELDS)
        problems = (
            record_problems(
                row.get("data_issues") or [],
                row.get("data_issue_values"),
                masker.view([row.get("identity")], [row["key"]]),
            )
            if problems_asked
            else []
        )
        return cls(
            key=strawberry.ID(row["key"]),
            source=row.get("source", ""),
            source_id=str(row.get("source_id", "")),
            first_name=row.get("first_name"),
            last_name=row.get("last_name"),
            full_name=row.get("full_name"),
            date_of_birth=view.birth_date(dob.isoformat() if dob else None),
            gender=row.get("gender"),
            emails=[view.email(e) or "" for e in row.get("emails") or []],
            phones=[view.phone(p) or "" for p in row.get("phones") or []],
            address_line1=view.street(row.get("address_line1")),
            city=row.get("city"),
            postcode=view.street(row.get("postcode")),
            country=row.get("country"),
            created_at=row.get("created_at"),
            updated_at=row.get("updated_at"),
            ingested_at=row.get("ingested_at"),
            data_issues=[f"{p.field}: {p.message}" for p in problems],
            field_problems=problems,
            stub=bool(row.get("stub")),
            identity_id=strawberry.ID(row["identity"]) if row.get("identity") else None,
        )

    @strawberry.field(description="The identity this record resolves to.")
    async def identity(self, info: Info) -> _Identity | None:
        from c360graph.api.identity import load_identity

        if self.identity_id is None:
            return None
        return await load_identity(info, self.identity_id)

    def group(self, info: Info) -> Group:
        """This record alone: its own orders and interactions."""
        return Group(str(self.key), (str(self.key),))


@strawberry.type(description="A merge, split, move, creation or retirement of an identity.")
class IdentityEvent:
    kind: str = strawberry.field(description="merge, split, move, create or retire.")
    at: datetime | None = strawberry.field(description="When the run recorded it.")
    run_id: str | None = strawberry.field(description="The resolution run.")
    identity: str = strawberry.field(description="The identity the event is about.")
    others: list[str] = strawberry.field(
        description="For a merge, the ids absorbed; for a split, the ids that took records; "
        "for a move, the ids the records came from."
    )
    records: int | None = strawberry.field(description="Records involved.")
    reason: str | None = strawberry.field(description="Why, in words.")
    cursor: str | None = strawberry.field(
        default=None,
        description="Its place in the change feed: `identityEvents(since:)` and `c360 events "
        "--since` resume after it. Null for events recorded before the feed existed.",
    )


@strawberry.type(description="A note staff wrote on a profile.")
class Note:
    id: strawberry.ID = strawberry.field(description="The note's id.")
    text: str = strawberry.field(description="What they wrote.")
    author: str = strawberry.field(description="The API key name that wrote it.")
    at: datetime = strawberry.field(description="When.")


@strawberry.type(description="A profile attribute set by staff (e.g. preferred language).")
class StaffAttribute:
    name: str = strawberry.field(description="Attribute name.")
    value: str = strawberry.field(description="Its current value.")
    author: str = strawberry.field(description="The API key name that set it.")
    at: datetime = strawberry.field(description="When.")


@strawberry.type(description="Why another identity is related: an identifier both use.")
class SharedEvidence:
    kind: str = strawberry.field(description="device, phone or address.")
    value: str = strawberry.field(description="The identifier (masked for readers).")


def identity_event(event: dict[str, Any]) -> IdentityEvent:
    """The GraphQL event of a stored `:IdentityEvent`'s properties."""
    seq = event.get("seq")
    return IdentityEvent(
        kind=event["kind"],
        at=event.get("at"),
        run_id=event.get("run_id"),
        identity=event["identity"],
        others=list(event.get("others") or []),
        records=event.get("records"),
        reason=event.get("reason"),
        cursor=None if seq is None else cursor_of(int(seq)),
    )
