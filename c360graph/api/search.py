"""Finding identities: exact look-ups by email or phone, fuzzy search by name, city filter."""

from __future__ import annotations

import asyncio

import strawberry
from rapidfuzz import fuzz

from c360graph.api.context import Info
from c360graph.api.errors import BadInput
from c360graph.api.identity import Identity, load_identity
from c360graph.api.keys import Grant
from c360graph.api.pagination import Connection, connection, decode_cursor, is_after, page_size
from c360graph.api.permissions import refusal
from c360graph.normalize import InvalidValue
from c360graph.normalize.email import normalize_email
from c360graph.normalize.name import fold
from c360graph.normalize.phone import normalize_phone

# A name must score this (rapidfuzz token-set ratio, 0-100) against a record's name to match.
NAME_MIN_SCORE = 75.0
# Most records a name search considers; a search that finds more should be narrowed.
NAME_CANDIDATES = 5000


@strawberry.type(description="An identity found by a search, with how well it matched.")
class SearchHit:
    score: float = strawberry.field(
        description="1.0 for exact email or phone matches; name similarity 0..1 otherwise."
    )
    identity: Identity = strawberry.field(description="The identity found.")


def normalized_email(raw: str) -> str:
    """The email as ingestion would store it; BadInput with the reason if it is not one."""
    try:
        return normalize_email(raw)
    except InvalidValue as exc:
        raise BadInput(f"email {raw!r}: {exc}") from exc


def normalized_phones(raw: str, regions: list[str]) -> list[str]:
    """The phone in E.164 as ingestion would store it, read in each region (a national
    number differs by region); BadInput with the reason when no region reads it."""
    readings: list[str] = []
    problems: list[str] = []
    for region in regions:
        try:
            readings.append(normalize_phone(raw, region))
        except InvalidValue as exc:
            problems.append(str(exc))
    if not readings:
        raise BadInput(
            f"phone {raw!r}: {problems[0] if problems else 'no region to read it in'} "
            f"(read in {', '.join(regions)}); give it with its country code (+84...) or "
            "pass region"
        )
    return sorted(set(readings))


async def phone_regions(info: Info, region: str | None) -> list[str]:
    """The regions a national number is read in: the one asked for, else the configured
    default and every region the sources were ingested with (their mappings')."""
    if region:
        return [region.strip().upper()]
    configured = info.context.app.settings.ingest.default_region
    rows = await info.context.loaders.read("api/source_regions")
    return list(dict.fromkeys([configured, *(row["region"] for row in rows)]))


async def ids_by_identifier(
    info: Info, email: str | None, phone: str | None, region: str | None = None
) -> list[str]:
    """Identity ids holding the email and/or phone (both must match when both are given)."""
    phones: list[str] = []
    if phone is not None:
        phones = normalized_phones(phone, await phone_regions(info, region))
    rows = await info.context.loaders.read(
        "api/identities_by_identifier",
        email=normalized_email(email) if email is not None else None,
        phones=phones,
    )
    found: set[str] | None = None
    for given, column in ((email, "by_email"), (phone, "by_phone")):
        if given is not None:
            ids = set(rows[0][column]) if rows else set()
            found = ids if found is None else found & ids
    return sorted(found or ())


async def _name_scores(info: Info, name: str) -> dict[str, float]:
    query = fold(name)
    tokens = [t for t in query.split() if len(t) >= 2]
    if not tokens:
        raise BadInput("a name search needs at least two letters")
    rows = await info.context.loaders.read(
        "api/search_by_name",
        prefixes=sorted({t[:3] for t in tokens}),
        limit=NAME_CANDIDATES,
    )
    scores: dict[str, float] = {}
    for row in rows:
        candidate = " ".join(p for p in (row["first"], row["last"]) if p)
        score = fuzz.token_set_ratio(query, candidate)
        if score >= NAME_MIN_SCORE and score / 100 > scores.get(row["id"], 0.0):
            scores[row["id"]] = round(score / 100, 3)
    return scores


async def _in_city(info: Info, ids: list[str], city: str) -> list[str]:
    wanted = fold(city)
    neighbourhoods = await info.context.loaders.neighbourhood.load_many(ids)
    return [
        i
        for i, found in zip(ids, neighbourhoods, strict=True)
        if any(fold(r.get("city") or "") == wanted for r in found.records)
    ]


async def search(
    info: Info,
    name: str | None,
    email: str | None,
    phone: str | None,
    city: str | None,
    first: int | None,
    after: str | None,
    region: str | None = None,
) -> Connection[SearchHit]:
    """Identities matching every given criterion, best match first."""
    size = page_size(first, info.context.page_size, info.context.max_page_size)
    if not any(v and v.strip() for v in (name, email, phone)):
        raise BadInput("search by name, email or phone (city only narrows such a search)")
    caller = info.context.caller
    if not (email or phone) and not caller.role.may(Grant.BROWSE):
        raise refusal(caller.name, caller.role, Grant.BROWSE, "a search without phone or email")
    scores: dict[str, float] | None = None
    if email or phone:
        found = await ids_by_identifier(info, email or None, phone or None, region)
        scores = {i: 1.0 for i in found}
    if name and name.strip():
        by_name = await _name_scores(info, name)
        scores = by_name if scores is None else {i: s for i, s in scores.items() if i in by_name}
    ids = sorted(scores or {})
    if city and city.strip():
        ids = await _in_city(info, ids, city)
    ranked = sorted((-(scores or {})[i], i) for i in ids)
    info.context.look_up(ids)  # an agent: at most a few, or none of them
    start = decode_cursor("search", after)
    if start is not None:
        ranked = [hit for hit in ranked if is_after(hit, start, "search", descending=False)]
    window = ranked[: size + 1]
    identities = await asyncio.gather(*(load_identity(info, i) for _, i in window))
    hits = [(hit, found) for hit, found in zip(window, identities, strict=True) if found]
    return connection(
        hits,
        size,
        after,
        "search",
        lambda h: h[0],
        lambda h: SearchHit(score=-h[0][0], identity=h[1]),
    )
