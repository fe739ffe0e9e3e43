"""A person's accounts: which systems know them and what each system's record says."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from c360graph.generate import phones
from c360graph.generate.formats import NOW, NOW_TS, format_date, format_ts
from c360graph.generate.noise import (
    NICKNAMES,
    abbreviate,
    dob_typo,
    email_variant,
    first_letter_typo,
    fold_ascii,
    nickname,
    transpose_day_month,
    typo,
)
from c360graph.generate.people import Device, Person
from c360graph.generate.profiles import DEFAULT_PROFILE, MISSABLE, NoiseProfile
from c360graph.generate.sources import CUSTOMER_SOURCES, CustomerSource

SOURCE_COUNTS = ((1, 0.15), (2, 0.42), (3, 0.30), (4, 0.13))
DUPLICATE_RATE = 0.03  # a second account in the same system (forgot password, new email)
RING_SOURCES = ("webshop", "app")
NICKNAME_RATE = 0.25  # of records whose first name has a common short form
DROP_ACCENTS_RATE = 0.15
DOB_TRANSPOSE_RATE = 0.015
EMAIL_FORMAT_RATE = 0.08
OTHER_EMAIL_RATE = 0.15
ABBREVIATE_RATE = 0.3

# Shared junk identifiers: the traps a resolver must not merge on.
PLACEHOLDER_EMAIL_RATE = 0.004
PLACEHOLDER_PHONE_RATE = 0.003
SHOP_PHONE_RATE = 0.015  # of pos records: the clerk typed the store's own number
KIOSK_RATE = 0.015  # of app accounts: registered on an in-store kiosk tablet
PLACEHOLDER_EMAILS = ("test@test.com", "noemail@example.com", "none@none.com")
# "01234 567890" is a real, valid GB number that staff type as a dummy: a valid-looking trap.
PLACEHOLDER_PHONES = ("0000000000", "1234567890", "01234 567890")
SHOP_PHONES = {
    "GB": "+442071834410",
    "US": "+12127360100",
    "DE": "+493088776655",
    "FR": "+33145678900",
    "ES": "+34912345678",
    "VN": "+842838221234",
}
KIOSK_DEVICES = (
    Device("0F3C1A52-7B1D-4E8A-9C55-2B6D9E41A7C3", "kiosk", "iPadOS 17.5"),
    Device("5D0B7E19-A2C4-4F61-8E3B-7C9A1D2E6F40", "kiosk", "iPadOS 17.5"),
)
_COUNTRY_NAMES_RATE = 0.15
_WEIGHTS = tuple(s.weight for s in CUSTOMER_SOURCES)


@dataclass(slots=True)
class Appearance:
    """One customer record of a person in one source, with what activity generation needs."""

    source: CustomerSource
    source_id: str
    person: Person
    opened: int  # epoch second the account was created
    devices: list[Device]
    record: dict[str, object]


def choose_sources(rng: random.Random, person: Person) -> list[CustomerSource]:
    """Pick the systems holding a record of the person; a repeat means a duplicate account."""
    if person.ring_id:
        ring = [s for s in CUSTOMER_SOURCES if s.name in RING_SOURCES]
        return [CUSTOMER_SOURCES[0], *ring] if rng.random() < 0.3 else ring
    remaining = list(range(len(CUSTOMER_SOURCES)))
    r, k = rng.random(), SOURCE_COUNTS[-1][0]
    for count, weight in SOURCE_COUNTS:
        r -= weight
        if r < 0:
            k = count
            break
    chosen: list[int] = []
    for _ in range(k):
        pick = rng.choices(remaining, [_WEIGHTS[i] for i in remaining])[0]
        remaining.remove(pick)
        chosen.append(pick)
    if rng.random() < DUPLICATE_RATE:
        chosen.append(rng.choice(chosen))
    # Manifest order, so a person's rows land in the files in a stable order.
    return [CUSTOMER_SOURCES[i] for i in sorted(chosen)]


def _missing(
    rng: random.Random, src: CustomerSource, field: str, noise: NoiseProfile = DEFAULT_PROFILE
) -> bool:
    rate = src.missing_rates.get(field)
    if rate is not None and rng.random() < rate:
        return True
    # The default profile draws nothing here: its datasets stay byte for byte the same.
    extra = noise.missing_rate if field in MISSABLE else 0.0
    return bool(extra) and rng.random() < extra


def _names(
    rng: random.Random, p: Person, src: CustomerSource, noise: NoiseProfile
) -> tuple[str, str, str]:
    """(first, last, full) after nicknames, typos, swaps, accents and capitals."""
    first, last, middle = p.first_name, p.last_name, p.middle_name
    if first in NICKNAMES and rng.random() < NICKNAME_RATE:
        first = nickname(rng, first)
    if rng.random() < src.typo_rate:
        if rng.random() < 0.5:
            first = typo(rng, first)
        else:
            last = typo(rng, last)
    if noise.name_typo_rate and rng.random() < noise.name_typo_rate:
        mistype = first_letter_typo if rng.random() < noise.first_letter_share else typo
        if rng.random() < 0.5:
            first = mistype(rng, first)
        else:
            last = mistype(rng, last)
    full = f"{first} {last}"
    if middle and rng.random() < 0.5:
        full = f"{last} {middle} {first}"  # Vietnamese order: family, middle, given
    elif rng.random() < 0.05:
        full = f"{last}, {first}"
    if middle and rng.random() < 0.35:
        first = f"{middle} {first}"
    if rng.random() < noise.swap_rate:
        first, last = last, first
    if src.ascii_only or rng.random() < DROP_ACCENTS_RATE:
        first, last, full = fold_ascii(first), fold_ascii(last), fold_ascii(full)
    if rng.random() < src.upper_rate:
        first, last, full = first.upper(), last.upper(), full.upper()
    return first, last, full


def _emails(rng: random.Random, p: Person, src: CustomerSource) -> list[str]:
    emails = list(p.emails)
    if "email" not in src.multi:
        emails = [emails[-1] if rng.random() < OTHER_EMAIL_RATE else emails[0]]
    if rng.random() < PLACEHOLDER_EMAIL_RATE:
        return [rng.choice(PLACEHOLDER_EMAILS)]
    return [email_variant(rng, e) if rng.random() < EMAIL_FORMAT_RATE else e for e in emails]


def _phones(rng: random.Random, p: Person, src: CustomerSource, country: str) -> list[str]:
    if src.name == "pos" and rng.random() < SHOP_PHONE_RATE:
        return [phones.render(SHOP_PHONES[country], country, rng.choice(src.phone_styles))]
    if rng.random() < PLACEHOLDER_PHONE_RATE:
        return [rng.choice(PLACEHOLDER_PHONES)]
    numbers = [n for n in (p.mobile, p.landline) if n]
    if "phone" not in src.multi and len(numbers) > 1:
        numbers = [numbers[1] if rng.random() < 0.3 else numbers[0]]
    return [phones.render(n, country, rng.choice(src.phone_styles)) for n in numbers]


def _dob(rng: random.Random, d: date, src: CustomerSource, noise: NoiseProfile) -> str:
    if rng.random() < DOB_TRANSPOSE_RATE:
        d = transpose_day_month(d)
    if noise.dob_typo_rate and rng.random() < noise.dob_typo_rate:
        d = dob_typo(rng, d, NOW.date())
    return format_date(d, rng.choice(src.dob_styles))


def _address(
    rng: random.Random,
    p: Person,
    src: CustomerSource,
    rec: dict[str, object],
    noise: NoiseProfile,
) -> None:
    a = p.address
    if p.old_address and rng.random() < src.stale_rate:
        a = p.old_address
    line1 = abbreviate(a.line1) if rng.random() < ABBREVIATE_RATE else a.line1
    postcode = a.postcode
    if a.country == "GB" and rng.random() < 0.2:
        postcode = postcode.replace(" ", "") if rng.random() < 0.5 else postcode.lower()
    values = {
        "address_line1": line1,
        "address_line2": a.line2,
        "city": a.city,
        "postcode": postcode,
        "region": a.region,
        "country": a.country,
    }
    if src.country_names and rng.random() < _COUNTRY_NAMES_RATE:
        values["country"] = rng.choice(p.pool.spec.country_names)
    # A missing street usually means the whole postal block was skipped.
    skip_block = _missing(rng, src, "address_line1", noise)
    for key, value in values.items():
        if key not in src.fields or _missing(rng, src, key, noise):
            continue
        if skip_block and key in ("address_line1", "address_line2", "city", "postcode"):
            continue
        text = fold_ascii(value) if src.ascii_only else value
        rec[key] = text.upper() if src.upper_rate and rng.random() < src.upper_rate else text


def _pick(values: list[str], src: CustomerSource, field: str) -> object:
    if field in src.multi:
        return values
    return values[0] if values else None


def customer_view(
    rng: random.Random,
    p: Person,
    src: CustomerSource,
    source_id: str,
    loyalty_id: str = "",
    noise: NoiseProfile = DEFAULT_PROFILE,
) -> Appearance:
    """Build one noisy record of the person as `src` holds it, keyed by canonical field."""
    fields = src.fields
    opened = rng.randint(p.opened_from, p.opened_to)
    rec: dict[str, object] = {"source_id": source_id}
    first, last, full = _names(rng, p, src, noise)
    for key, value in (("first_name", first), ("last_name", last), ("full_name", full)):
        if key in fields and not _missing(rng, src, key, noise):
            rec[key] = value
    if "email" in fields and not _missing(rng, src, "email", noise):
        rec["email"] = _pick(_emails(rng, p, src), src, "email")
    if "phone" in fields and not _missing(rng, src, "phone", noise):
        rec["phone"] = _pick(_phones(rng, p, src, p.country), src, "phone")
    if "date_of_birth" in fields and not _missing(rng, src, "date_of_birth", noise):
        rec["date_of_birth"] = _dob(rng, p.dob, src, noise)
    if "gender" in fields and not _missing(rng, src, "gender", noise):
        rec["gender"] = p.gender
    if "country" in fields or "postcode" in fields:
        _address(rng, p, src, rec, noise)
    devices: list[Device] = []
    if "device_id" in fields:
        devices = [d for i, d in enumerate(p.devices) if i == 0 or rng.random() < 0.6]
        if rng.random() < KIOSK_RATE:
            devices.insert(0, rng.choice(KIOSK_DEVICES))
        rec["device_id"] = [d.device_id for d in devices]
    if "loyalty_id" in fields and loyalty_id:
        rec["loyalty_id"] = loyalty_id
    if "created_at" in fields:
        rec["created_at"] = format_ts(opened, src.created_style)
    if "updated_at" in fields:
        rec["updated_at"] = format_ts(rng.randint(opened, NOW_TS), src.created_style)
    return Appearance(src, source_id, p, opened, devices, rec)
