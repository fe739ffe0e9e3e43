"""Per-locale pools of names, streets and places, drawn from Faker once per seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from faker import Faker

# Draws per pool. Keeping Faker's repeats preserves its name frequencies (common names stay
# common), which matters: many "John Smith"s are exactly what identity resolution must survive.
_NAME_DRAWS = 1500
_STREET_DRAWS = 600
_PLACE_DRAWS = 300


@dataclass(frozen=True)
class LocaleSpec:
    """A population segment: Faker locale, country, currency and where its people keep email."""

    code: str
    country: str
    currency: str
    weight: float
    domains: tuple[str, ...]
    country_names: tuple[str, ...]


LOCALES: tuple[LocaleSpec, ...] = (
    LocaleSpec(
        "en_GB",
        "GB",
        "GBP",
        0.30,
        (
            "gmail.com",
            "gmail.com",
            "gmail.com",
            "hotmail.co.uk",
            "yahoo.co.uk",
            "outlook.com",
            "btinternet.com",
            "icloud.com",
            "sky.com",
        ),
        ("United Kingdom", "UK", "Great Britain"),
    ),
    LocaleSpec(
        "en_US",
        "US",
        "USD",
        0.15,
        (
            "gmail.com",
            "gmail.com",
            "gmail.com",
            "yahoo.com",
            "outlook.com",
            "hotmail.com",
            "aol.com",
            "icloud.com",
            "comcast.net",
        ),
        ("United States", "USA"),
    ),
    LocaleSpec(
        "de_DE",
        "DE",
        "EUR",
        0.20,
        (
            "gmx.de",
            "gmx.de",
            "web.de",
            "web.de",
            "t-online.de",
            "gmail.com",
            "gmail.com",
            "outlook.de",
            "freenet.de",
        ),
        ("Germany", "Deutschland"),
    ),
    LocaleSpec(
        "fr_FR",
        "FR",
        "EUR",
        0.15,
        (
            "orange.fr",
            "orange.fr",
            "free.fr",
            "laposte.net",
            "gmail.com",
            "gmail.com",
            "hotmail.fr",
            "sfr.fr",
            "wanadoo.fr",
        ),
        ("France",),
    ),
    LocaleSpec(
        "es_ES",
        "ES",
        "EUR",
        0.12,
        (
            "gmail.com",
            "gmail.com",
            "gmail.com",
            "hotmail.es",
            "hotmail.es",
            "yahoo.es",
            "telefonica.net",
            "outlook.es",
        ),
        ("Spain", "España"),
    ),
    LocaleSpec(
        "vi_VN",
        "VN",
        "VND",
        0.08,
        (
            "gmail.com",
            "gmail.com",
            "gmail.com",
            "gmail.com",
            "yahoo.com.vn",
            "outlook.com",
            "yahoo.com",
        ),
        ("Vietnam", "Viet Nam"),
    ),
)

# Faker's en_GB/en_US cities are invented ("West Roberttown"); real ones read better.
_GB_CITIES = (
    "London",
    "London",
    "London",
    "Manchester",
    "Birmingham",
    "Leeds",
    "Glasgow",
    "Edinburgh",
    "Bristol",
    "Liverpool",
    "Sheffield",
    "Cardiff",
    "Newcastle upon Tyne",
    "Nottingham",
    "Leicester",
    "Brighton",
    "Southampton",
    "Oxford",
    "Cambridge",
    "York",
    "Bath",
    "Belfast",
    "Aberdeen",
    "Norwich",
    "Exeter",
    "Reading",
    "Coventry",
)
_US_CITIES = (
    ("New York", "NY"),
    ("Los Angeles", "CA"),
    ("Chicago", "IL"),
    ("Houston", "TX"),
    ("Phoenix", "AZ"),
    ("Philadelphia", "PA"),
    ("San Antonio", "TX"),
    ("San Diego", "CA"),
    ("Dallas", "TX"),
    ("Austin", "TX"),
    ("Seattle", "WA"),
    ("Denver", "CO"),
    ("Boston", "MA"),
    ("Miami", "FL"),
    ("Atlanta", "GA"),
    ("Portland", "OR"),
    ("Nashville", "TN"),
    ("Minneapolis", "MN"),
    ("San Francisco", "CA"),
    ("Las Vegas", "NV"),
)
_EN_SUFFIXES = {
    "en_GB": (
        "Street",
        "Road",
        "Road",
        "Lane",
        "Avenue",
        "Close",
        "Drive",
        "Gardens",
        "Way",
        "Crescent",
        "Place",
        "Grove",
        "Terrace",
    ),
    "en_US": (
        "Street",
        "Street",
        "Avenue",
        "Avenue",
        "Road",
        "Boulevard",
        "Drive",
        "Lane",
        "Court",
        "Place",
    ),
}
# Vietnamese middle names carry gender; Faker's middle_name does not.
_VN_MIDDLE_MALE = ("Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành")
_VN_MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Minh", "Kim", "Thanh", "Bảo")


@dataclass(frozen=True)
class LocalePool:
    """Sampling pools for one locale; tuples may repeat values to keep Faker's frequencies."""

    spec: LocaleSpec
    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]
    middle_male: tuple[str, ...]
    middle_female: tuple[str, ...]
    streets: tuple[str, ...]
    places: tuple[tuple[str, str, str], ...]  # (city, postcode, region)


def _streets(fake: Faker, rng: random.Random, code: str) -> tuple[str, ...]:
    if code in _EN_SUFFIXES:
        suffixes = _EN_SUFFIXES[code]
        names = [
            fake.last_name() if rng.random() < 0.7 else fake.first_name()
            for _ in range(_STREET_DRAWS)
        ]
        return tuple(f"{n} {rng.choice(suffixes)}" for n in names)
    return tuple(fake.street_name() for _ in range(_STREET_DRAWS))


def _places(fake: Faker, rng: random.Random, code: str) -> tuple[tuple[str, str, str], ...]:
    places = []
    for _ in range(_PLACE_DRAWS):
        if code == "en_GB":
            places.append((rng.choice(_GB_CITIES), fake.postcode(), ""))
        elif code == "en_US":
            city, state = rng.choice(_US_CITIES)
            places.append((city, fake.postcode(), state))
        else:
            # Faker draws regions independently of cities; no region beats a wrong one.
            places.append((fake.city(), fake.postcode(), ""))
    return tuple(places)


def _pool(spec: LocaleSpec, seed: int) -> LocalePool:
    fake = Faker(spec.code)
    fake.seed_instance(seed)
    rng = random.Random(f"{seed}:pool:{spec.code}")
    vn = spec.code == "vi_VN"
    return LocalePool(
        spec=spec,
        male=tuple(fake.first_name_male() for _ in range(_NAME_DRAWS)),
        female=tuple(fake.first_name_female() for _ in range(_NAME_DRAWS)),
        last=tuple(fake.last_name() for _ in range(_NAME_DRAWS)),
        middle_male=_VN_MIDDLE_MALE if vn else (),
        middle_female=_VN_MIDDLE_FEMALE if vn else (),
        streets=_streets(fake, rng, spec.code),
        places=_places(fake, rng, spec.code),
    )


@lru_cache(maxsize=4)
def build_pools(seed: int) -> tuple[LocalePool, ...]:
    """Return one pool per entry of LOCALES, identical for the same seed (cached)."""
    return tuple(_pool(spec, seed) for spec in LOCALES)
