"""Valid phone numbers per country and the many ways people and clerks write them down."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class PhonePlan:
    """Number ranges of one country: prefixes of the national number that validate for any tail."""

    calling_code: str
    trunk: str  # national dialling prefix ("0"; Spain has none; US writes a leading "1")
    mobile: tuple[str, ...]
    mobile_len: int
    landline: tuple[str, ...]
    landline_len: int


# Every prefix here was checked with phonenumbers.is_valid_number against thousands of random
# tails (tests/unit/test_generate.py re-checks). Ofcom's drama ranges (07700 900xxx) are avoided:
# they do not validate.
PLANS: dict[str, PhonePlan] = {
    "GB": PhonePlan(
        "44",
        "0",
        ("71", "72", "73", "74", "75", "78", "771", "772", "775", "779"),
        10,
        ("207", "208", "161", "1214", "1314", "1412"),
        10,
    ),
    "US": PhonePlan(
        "1",
        "1",
        (
            "212",
            "415",
            "312",
            "617",
            "206",
            "303",
            "512",
            "702",
            "305",
            "404",
            "213",
            "646",
            "718",
            "214",
            "713",
        ),
        10,
        (),
        10,
    ),
    "DE": PhonePlan(
        "49",
        "0",
        (
            "151",
            "152",
            "157",
            "160",
            "162",
            "170",
            "171",
            "172",
            "173",
            "174",
            "175",
            "176",
            "177",
            "178",
            "179",
        ),
        11,
        ("30", "89", "40", "221", "69", "711"),
        10,
    ),
    "FR": PhonePlan(
        "33",
        "0",
        ("60", "61", "62", "64", "65", "66", "67", "68", "75", "76", "77", "78"),
        9,
        ("14", "15", "20", "24", "41", "42", "45", "47"),
        9,
    ),
    "ES": PhonePlan(
        "34",
        "",
        ("60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "71", "72"),
        9,
        ("91", "93", "95", "96"),
        9,
    ),
    "VN": PhonePlan(
        "84",
        "0",
        (
            "90",
            "91",
            "93",
            "94",
            "96",
            "97",
            "98",
            "32",
            "33",
            "34",
            "35",
            "36",
            "37",
            "38",
            "39",
            "70",
            "76",
            "77",
            "78",
            "79",
            "81",
            "82",
            "83",
            "84",
            "85",
            "86",
            "88",
        ),
        9,
        ("242", "243", "246", "247", "282", "283", "286", "287"),
        10,
    ),
}

# Styles a source may write a number in. "00" and national styles need the record's country to
# parse, so sources without a country column use PLUS_STYLES only.
PLUS_STYLES = ("e164", "intl", "intl", "intl_dash")
INTERNATIONAL_STYLES = (*PLUS_STYLES, "intl00")
NATIONAL_STYLES = ("national", "national", "national_dash", "national_paren", "digits")

_DIGITS = "0123456789"


def _tail(rng: random.Random, n: int) -> str:
    return str(rng.randrange(10**n)).zfill(n) if n > 0 else ""


def mobile(rng: random.Random, country: str) -> str:
    """Return a valid mobile number of the country in E.164 form ("+447712345678")."""
    plan = PLANS[country]
    if country == "US":
        return landline(rng, country)
    prefix = rng.choice(plan.mobile)
    return f"+{plan.calling_code}{prefix}{_tail(rng, plan.mobile_len - len(prefix))}"


def landline(rng: random.Random, country: str) -> str:
    """Return a valid fixed-line number of the country in E.164 form."""
    plan = PLANS[country]
    if country == "US":
        # NANP exchanges start with 2-9; US numbers do not split into mobile and fixed ranges.
        exchange = str(rng.randrange(2, 10))
        return f"+1{rng.choice(plan.mobile)}{exchange}{_tail(rng, 6)}"
    prefix = rng.choice(plan.landline)
    return f"+{plan.calling_code}{prefix}{_tail(rng, plan.landline_len - len(prefix))}"


def _groups(country: str, nsn: str) -> list[str]:
    if country == "GB":
        if nsn.startswith("2"):
            return [nsn[:2], nsn[2:6], nsn[6:]]
        if nsn.startswith("1"):
            return [nsn[:3], nsn[3:6], nsn[6:]] if nsn[2] == "1" else [nsn[:4], nsn[4:]]
        return [nsn[:4], nsn[4:]]
    if country == "US":
        return [nsn[:3], nsn[3:6], nsn[6:]]
    if country == "DE":
        cut = 3 if nsn.startswith("1") else (2 if nsn[:2] in ("30", "89", "40", "69") else 3)
        return [nsn[:cut], nsn[cut:]]
    if country == "FR":
        return [nsn[0]] + [nsn[i : i + 2] for i in range(1, 9, 2)]
    if country == "ES":
        return [nsn[:3], nsn[3:6], nsn[6:]]
    if len(nsn) == 10:
        return [nsn[:2], nsn[2:6], nsn[6:]]
    return [nsn[:2], nsn[2:5], nsn[5:]]


def render(e164: str, country: str, style: str) -> str:
    """Write an E.164 number the way a given style does (spaces, dashes, 00, trunk prefix...)."""
    plan = PLANS[country]
    cc = plan.calling_code
    nsn = e164[1 + len(cc) :]
    groups = _groups(country, nsn)
    if style == "e164":
        return e164
    if style == "intl":
        return f"+{cc} " + " ".join(groups)
    if style == "intl00":
        # Americans dial 011 abroad, so "001 ..." is not how they write their own number.
        return f"1-{'-'.join(groups)}" if country == "US" else f"00{cc} " + " ".join(groups)
    if style == "intl_dash":
        return f"+{cc}-" + "-".join(groups)
    if country == "US":
        if style == "national_paren":
            return f"({groups[0]}) {groups[1]}-{groups[2]}"
        if style == "national_dash":
            return "-".join(groups)
        if style == "digits":
            return nsn
        return f"{groups[0]}.{groups[1]}.{groups[2]}"
    first = plan.trunk + groups[0]
    if style == "national_paren":
        return f"({first}) " + " ".join(groups[1:])
    if style == "national_dash":
        return "-".join([first, *groups[1:]])
    if style == "digits":
        return plan.trunk + nsn
    return " ".join([first, *groups[1:]])
