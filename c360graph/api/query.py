"""The root Query: identities and records by id, record, email, phone or search; analyses.

The analyses' lists: customer segments, customers at risk, fraud rings, shared identifiers;
and the ingest history: runs per source, with their rejects and field problems.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

import strawberry

from c360graph.api.audit import PiiViewEntry, pii_views_page
from c360graph.api.consent import Audience, audience_of
from c360graph.api.context import Info
from c360graph.api.explanations import Explanation, RecordRef, explain
from c360graph.api.identity import Identity, load_identity, selected, wants_neighbourhood
from c360graph.api.ingest_runs import (
    IngestRun,
    IngestSource,
    ingest_run,
    ingest_runs_page,
    ingest_sources,
)
from c360graph.api.pagination import Connection
from c360graph.api.permissions import Analyse, Browse, LookUp, ReadAudit, Review, permit
from c360graph.api.records import Record
from c360graph.api.review import ReviewPair, review_queue_page
from c360graph.api.rings import (
    FraudRing,
    SharedIdentifier,
    fraud_rings_page,
    shared_identifiers_page,
)
from c360graph.api.search import SearchHit, ids_by_identifier, search
from c360graph.api.segments import SegmentSummary, at_risk_page, segment_summaries


async def _identities(info: Info, ids: list[str]) -> list[Identity]:
    found = [i for i in await asyncio.gather(*(load_identity(info, i) for i in ids)) if i]
    info.context.look_up(str(i.id) for i in found)
    return found


def _one(info: Info, found: Identity | None) -> Identity | None:
    if found is not None:
        info.context.look_up([str(found.id)])
    return found


@strawberry.type(description="Who is calling: the API key's name and role.")
class Viewer:
    name: str = strawberry.field(description="The API key's name (`dev` in dev mode).")
    role: str = strawberry.field(
        description="reader (PII masked), agent (one caller at a time: their email and phone "
        "visible), analyst (PII visible, fraud review) or admin (also mutations, audit log)."
    )


@strawberry.type(description="Read the customer 360: identities, their records and activity.")
class Query:
    @strawberry.field(description="The caller: its key's name and role (what it may see and do).")
    def viewer(self, info: Info) -> Viewer:
        caller = info.context.caller
        return Viewer(name=caller.name, role=caller.role.value)

    @strawberry.field(
        description="An identity by id; an id merged away finds its survivor.",
        extensions=[permit(LookUp)],
    )
    async def identity(self, info: Info, id: strawberry.ID) -> Identity | None:
        return _one(info, await load_identity(info, str(id), wants_neighbourhood(info)))

    @strawberry.field(
        description="The identity a source record resolves to.", extensions=[permit(LookUp)]
    )
    async def identity_by_record(self, info: Info, source: str, source_id: str) -> Identity | None:
        row = await info.context.loaders.record.load(f"{source.strip()}:{source_id.strip()}")
        if row is None or not row.get("identity"):
            return None
        return _one(info, await load_identity(info, row["identity"], wants_neighbourhood(info)))

    # The look-ups below are nullable: a bad argument nulls its own field, with an error
    # naming it, and leaves the other fields of the request their answers.
    @strawberry.field(
        description="Identities holding an email, normalized exactly as ingestion does "
        "(case, spaces, mailto:, IDN domains). Several when the email is shared. Null, with "
        "an error, when the email is not one.",
        extensions=[permit(LookUp)],
    )
    async def identities_by_email(self, info: Info, email: str) -> list[Identity] | None:
        return await _identities(info, await ids_by_identifier(info, email, None))

    @strawberry.field(
        description="Identities holding a phone, normalized to E.164 exactly as ingestion "
        "does. A national number is read in `region` when given, else in the configured "
        "default region and in every region the sources were ingested with. Null, with an "
        "error, when no region reads it.",
        extensions=[permit(LookUp)],
    )
    async def identities_by_phone(
        self, info: Info, phone: str, region: str | None = None
    ) -> list[Identity] | None:
        return await _identities(info, await ids_by_identifier(info, None, phone, region))

    @strawberry.field(
        description="Search identities by name (fuzzy: typos, accents, word order), email, "
        "phone, and city; every given criterion must match. Best matches first. Agent keys "
        "search by phone or email, and may find at most api.agent_max_identities.",
        extensions=[permit(LookUp)],
    )
    async def search_identities(
        self,
        info: Info,
        name: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        city: str | None = None,
        first: int | None = None,
        after: str | None = None,
        region: str | None = None,
    ) -> Connection[SearchHit] | None:
        return await search(info, name, email, phone, city, first, after, region)

    @strawberry.field(
        description="Why two records are, or are not, the same person: the evidence chain "
        "joining them, or their direct score and what kept them apart.",
        extensions=[permit(Browse)],
    )
    async def explain(self, info: Info, a: RecordRef, b: RecordRef) -> Explanation:
        return await explain(info, a.key, b.key)

    @strawberry.field(
        description="A source record by its source and id there.", extensions=[permit(LookUp)]
    )
    async def record(self, info: Info, source: str, source_id: str) -> Record | None:
        row = await info.context.loaders.record.load(f"{source.strip()}:{source_id.strip()}")
        if row is None:
            return None
        if row.get("identity"):
            info.context.look_up([row["identity"]])
        return Record.of(row, info.context.masker, selected(info))

    @strawberry.field(
        description="Fraud rings scoring at least minScore (0..1), highest score first "
        "(`c360 analyze fraud`).",
        extensions=[permit(Analyse)],
    )
    async def fraud_rings(
        self,
        info: Info,
        min_score: float = 0.5,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[FraudRing]:
        return await fraud_rings_page(info, min_score, first, after)

    @strawberry.field(
        description="Identifiers resolution marked shared (placeholders, shop phones, kiosk "
        "devices), most used first.",
        extensions=[permit(Analyse)],
    )
    async def shared_identifiers(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[SharedIdentifier]:
        return await shared_identifiers_page(info, first, after)

    @strawberry.field(
        description="Every customer segment with its identities, spend, lifetime value and "
        "churn risk, biggest lifetime value first (empty until segments are computed).",
        extensions=[permit(Browse)],
    )
    async def segments(self, info: Info) -> list[SegmentSummary]:
        return await segment_summaries(info)

    @strawberry.field(
        description="Active identities whose churn risk is at least minRisk (0..1), most "
        "valuable (lifetime value) first.",
        extensions=[permit(Browse)],
    )
    async def at_risk_customers(
        self,
        info: Info,
        min_risk: float = 0.6,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Identity]:
        return await at_risk_page(info, min_risk, first, after)

    @strawberry.field(
        description="Who a campaign on one consent channel (email, sms, phone, post, push, "
        "chat) may reach, of one segment or everyone: identities whose current consent on it "
        "is opt_in, and how many are left out and why.",
        extensions=[permit(Analyse)],
    )
    async def audience(self, info: Info, channel: str, segment: str | None = None) -> Audience:
        return await audience_of(info, channel, segment)

    @strawberry.field(
        description="The PII audit log, newest first: each request that showed unmasked "
        "personal data (who, when, whose, which kinds), from `since` (inclusive) to `until`, "
        "of one key and/or one identity.",
        extensions=[permit(ReadAudit)],
    )
    async def pii_views(
        self,
        info: Info,
        since: datetime | None = None,
        until: datetime | None = None,
        key_name: str | None = None,
        identity_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[PiiViewEntry]:
        return await pii_views_page(
            info, since, until, key_name, str(identity_id) if identity_id else None, first, after
        )

    @strawberry.field(
        description="Ingest runs of one source (or of all), newest first: rows read, landed "
        "and rejected by reason, records kept with field problems. Analyst role or above: "
        "FORBIDDEN for readers.",
        extensions=[permit(Analyse)],
    )
    async def ingest_runs(
        self,
        info: Info,
        source: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[IngestRun]:
        return await ingest_runs_page(info, source, first, after)

    @strawberry.field(
        description="One ingest run by id. Analyst role or above.", extensions=[permit(Analyse)]
    )
    async def ingest_run(self, info: Info, id: strawberry.ID) -> IngestRun | None:
        return await ingest_run(info, str(id))

    @strawberry.field(
        description="Every source system with its number of ingest runs and its newest run, "
        "by name. Analyst role or above.",
        extensions=[permit(Analyse)],
    )
    async def ingest_sources(self, info: Info) -> list[IngestSource]:
        return await ingest_sources(info)

    @strawberry.field(
        description="The review queue: pairs the last resolution runs scored just under the "
        "match threshold, or a guard vetoed, nearest the threshold first. Decide them with "
        "decideReviewPair. Analyst role or above.",
        extensions=[permit(Review)],
    )
    async def review_queue(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        min_probability: float = 0.0,
    ) -> Connection[ReviewPair]:
        return await review_queue_page(info, first, after, min_probability)
