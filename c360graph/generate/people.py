"""The true population: persons, the households they share and the fraud rings they form."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from c360graph.generate import phones
from c360graph.generate.formats import NOW, NOW_TS, WINDOW_START_TS
from c360graph.generate.noise import fold_ascii, fold_german
from c360graph.generate.pools import LocalePool

HOUSEHOLD_UNIT_RATE = 0.105  # chance a unit is a household: ~25% of persons then live with others
HOUSEHOLD_SIZES = ((2, 0.5), (3, 0.25), (4, 0.17), (5, 0.08))
RING_PERSON_RATE = 0.003
RING_MIN_PERSONS = 200  # below this a ring would dominate the sample, so none is planned
MOVED_RATE = 0.10
SECOND_EMAIL_RATE = 0.30
LANDLINE_RATE = 0.20

_IOS = ("iOS 16.7", "iOS 17.5", "iOS 17.6", "iOS 18.1", "iOS 18.4")
_ANDROID = ("Android 12", "Android 13", "Android 14", "Android 15")
_DESKTOP = ("Windows 10", "Windows 11", "macOS 14", "macOS 15")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_EMAIL_PATTERNS = (
    "{f}.{l}",
    "{f}.{l}",
    "{f}{l}",
    "{i}{l}",
    "{f}_{l}",
    "{f}.{l}{n}",
    "{f}{l}{y}",
    "{i}.{l}{n}",
    "{l}.{f}",
    "{f}{Y}",
    "{f}.{l}{y}",
    "{l}{i}{n}",
)
_VN_PATTERNS = ("{l}{m}{f}", "{f}{l}{y}", "{f}.{l}", "{f}{l}{n}", "{l}{f}{Y}")


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as its owner would write it in full."""

    line1: str
    line2: str
    city: str
    postcode: str
    region: str
    country: str


@dataclass(frozen=True, slots=True)
class Device:
    """A device identifier with what it is, as an app would report it."""

    device_id: str
    device_type: str
    os: str


@dataclass(slots=True)
class Person:
    """One real person: the truth every source record about them is a noisy view of."""

    person_id: str
    pool: LocalePool
    gender: str
    first_name: str
    middle_name: str
    last_name: str
    dob: date
    emails: list[str]
    mobile: str
    landline: str
    address: Address
    old_address: Address | None
    devices: list[Device]
    household_id: str = ""
    ring_id: str = ""
    # Accounts are opened between these epoch seconds; rings open theirs within days.
    opened_from: int = WINDOW_START_TS
    opened_to: int = NOW_TS - 30 * 86400

    @property
    def country(self) -> str:
        """ISO 3166 alpha-2 country of the person's locale."""
        return self.pool.spec.country


def _weighted(rng: random.Random, options: tuple[tuple[int, float], ...]) -> int:
    r = rng.random()
    for value, weight in options:
        r -= weight
        if r < 0:
            return value
    return options[-1][0]


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=8).digest()


class PersonFactory:
    """Draws persons, households and rings from locale pools with one seeded random stream."""

    def __init__(self, rng: random.Random, pools: tuple[LocalePool, ...]) -> None:
        self._rng = rng
        self._pools = pools
        self._weights = [p.spec.weight for p in pools]
        self._emails: set[bytes] = set()  # 8-byte digests keep 1M persons in bounded memory
        self._persons = 0
        self.households = 0
        self.rings = 0

    def units(self, persons: int) -> Iterator[list[Person]]:
        """Yield groups (a single, a household or a ring) totalling exactly `persons` persons."""
        rng = self._rng
        ring_sizes: list[int] = []
        if persons >= RING_MIN_PERSONS:
            budget = max(3, round(persons * RING_PERSON_RATE))
            while budget >= 3:
                ring_sizes.append(min(budget, rng.randint(3, 8)))
                budget -= ring_sizes[-1]
        others = persons - sum(ring_sizes)
        starts = sorted(rng.sample(range(others + 1), len(ring_sizes)))
        emitted = 0
        while emitted < others or ring_sizes:
            if ring_sizes and starts[0] <= emitted:
                starts.pop(0)
                yield self._ring(ring_sizes.pop(0))
                continue
            size = 1
            if rng.random() < HOUSEHOLD_UNIT_RATE:
                size = min(_weighted(rng, HOUSEHOLD_SIZES), others - emitted)
            emitted += size
            yield self._household(size) if size > 1 else [self._person(self._pick_pool())]

    def _pick_pool(self) -> LocalePool:
        return self._rng.choices(self._pools, self._weights)[0]

    def _address(self, pool: LocalePool) -> Address:
        rng = self._rng
        street = rng.choice(pool.streets)
        code = pool.spec.code
        # Only American house numbers run into the thousands.
        number = str(rng.randint(1, 9999 if code == "en_US" and rng.random() < 0.5 else 180))
        if code == "de_DE":
            line1 = f"{street} {number}"
        elif code == "es_ES":
            line1 = f"{street}, {number}"
        else:
            line1 = f"{number} {street}"
        line2 = ""
        if rng.random() < 0.12:
            flat = rng.randint(1, 40)
            line2 = {
                "de_DE": f"Wohnung {flat}",
                "fr_FR": f"Apt {flat}",
                "es_ES": f"{rng.randint(1, 9)}º {rng.choice('ABCD')}",
                "vi_VN": f"Phòng {flat}",
            }.get(code, f"Flat {flat}")
        city, postcode, region = rng.choice(pool.places)
        return Address(line1, line2, city, postcode, region, pool.spec.country)

    def _email(self, pool: LocalePool, first: str, middle: str, last: str, dob: date) -> str:
        rng = self._rng
        fold = fold_german if pool.spec.code == "de_DE" and rng.random() < 0.5 else fold_ascii
        f, m, lst = (_NOT_ALNUM.sub("", fold(x).lower()) for x in (first, middle, last))
        patterns = _VN_PATTERNS if pool.spec.code == "vi_VN" else _EMAIL_PATTERNS
        domain = rng.choice(pool.spec.domains)
        local = rng.choice(patterns).format(
            f=f or "user",
            m=m,
            l=lst,
            i=f[:1],
            n=rng.randint(1, 99),
            y=f"{dob.year % 100:02d}",
            Y=dob.year,
        )
        for attempt in range(12):
            email = f"{local}@{domain}"
            key = _digest(email)
            if key not in self._emails:
                self._emails.add(key)
                return email
            local += str(rng.randint(0, 9 if attempt < 6 else 999))
        raise RuntimeError(f"could not find a free email for {local}@{domain}; widen the pools")

    def _device(self, kind: str) -> Device:
        rng = self._rng
        if kind == "desktop":
            return Device(f"{rng.getrandbits(64):016x}", "desktop", rng.choice(_DESKTOP))
        if rng.random() < 0.55:
            bits = f"{rng.getrandbits(128):032X}"
            uid = f"{bits[:8]}-{bits[8:12]}-{bits[12:16]}-{bits[16:20]}-{bits[20:]}"
            return Device(uid, kind, rng.choice(_IOS).replace("iOS", "iPadOS", kind == "tablet"))
        return Device(f"{rng.getrandbits(64):016x}", kind, rng.choice(_ANDROID))

    def _person(
        self, pool: LocalePool, *, last: str = "", address: Address | None = None, age: int = 0
    ) -> Person:
        rng = self._rng
        self._persons += 1
        gender = "F" if rng.random() < 0.51 else "M"
        first = rng.choice(pool.female if gender == "F" else pool.male)
        middles = pool.middle_female if gender == "F" else pool.middle_male
        middle = rng.choice(middles) if middles else ""
        last = last or rng.choice(pool.last)
        age = age or rng.randint(18, 85)
        dob = NOW.date() - timedelta(days=age * 365 + rng.randrange(365))
        emails = [self._email(pool, first, middle, last, dob)]
        if rng.random() < SECOND_EMAIL_RATE:
            emails.append(self._email(pool, first, middle, last, dob))
        country = pool.spec.country
        home = address or self._address(pool)
        moved = rng.random() < MOVED_RATE
        devices = [self._device("phone")]
        if rng.random() < 0.3:
            devices.append(self._device(rng.choice(("tablet", "desktop"))))
        return Person(
            person_id=f"P{self._persons:07d}",
            pool=pool,
            gender=gender,
            first_name=first,
            middle_name=middle,
            last_name=last,
            dob=dob,
            emails=emails,
            mobile=phones.mobile(rng, country) if rng.random() < 0.93 else "",
            landline=phones.landline(rng, country) if rng.random() < LANDLINE_RATE else "",
            address=home,
            old_address=self._address(pool) if moved and not address else None,
            devices=devices,
        )

    def _household(self, size: int) -> list[Person]:
        rng = self._rng
        self.households += 1
        hid = f"H{self.households:06d}"
        pool = self._pick_pool()
        surname = rng.choice(pool.last)
        address = self._address(pool)
        old = self._address(pool) if rng.random() < MOVED_RATE else None
        landline = phones.landline(rng, pool.spec.country) if rng.random() < 0.5 else ""
        tablet = self._device("tablet") if rng.random() < 0.3 else None
        head_age = rng.randint(25, 75)
        members = []
        for i in range(size):
            same_name = i == 0 or rng.random() < 0.8
            age = head_age if i == 0 else max(18, head_age + rng.choice((-3, 2, -25, -28)))
            p = self._person(pool, last=surname if same_name else "", address=address, age=age)
            p.household_id, p.old_address = hid, old
            if landline:
                p.landline = landline
            if tablet:
                p.devices.append(tablet)
            members.append(p)
        return members

    def _ring(self, size: int) -> list[Person]:
        rng = self._rng
        self.rings += 1
        rid = f"R{self.rings:04d}"
        pool = self._pick_pool()
        country = pool.spec.country
        ring_phones = [phones.mobile(rng, country) for _ in range(rng.randint(1, 2))]
        # Fewer devices than members, so at least two members always share one.
        ring_devices = [self._device("phone") for _ in range(rng.randint(1, min(3, size - 1)))]
        drop = self._address(pool) if rng.random() < 0.4 else None
        start = rng.randint(WINDOW_START_TS + 180 * 86400, NOW_TS - 60 * 86400)
        members = []
        for _ in range(size):
            p = self._person(pool, address=drop, age=rng.randint(19, 45))
            p.ring_id, p.opened_from, p.opened_to = rid, start, start + 7 * 86400
            p.old_address = None  # fresh identities have no history
            if rng.random() < 0.85:
                p.mobile = rng.choice(ring_phones)
            p.devices = [rng.choice(ring_devices), *p.devices[: rng.randint(0, 1)]]
            members.append(p)
        return members
