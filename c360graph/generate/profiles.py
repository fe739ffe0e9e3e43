"""Noise profiles: how messy the generated records are, as data (`c360 generate --noise`).

The default profile is the sample data as it always was (same seed, same bytes): each
source's own typo and missing rates, a few swapped names and day/month transposes. The
others add one kind of harder noise on top, so a benchmark can show what each costs:

- `typos`: many more misspelt names, half of them in the first letter ("Karen" -> "Jaren"),
  which defeats blocking and comparisons that trust the initial;
- `dob`: one wrong digit in many dates of birth (1984-03-15 -> 1934-03-15 or 1984-08-15);
- `swaps`: first and last name entered in each other's fields, and many empty fields;
- `messy`: all of these at once, at lower rates.

Every profile except `default` also leaves some person fields empty (`missing_rate`, per
field and record, on top of the source's own rates).
"""

from __future__ import annotations

from dataclasses import dataclass

SWAP_RATE = 0.015  # the default: first and last name in each other's fields

# Fields a profile's missing_rate may empty (the source's own rates still apply too).
MISSABLE = (
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "date_of_birth",
    "gender",
    "address_line1",
    "postcode",
)


@dataclass(frozen=True)
class NoiseProfile:
    """Extra corruption applied to every generated customer record (rates are per record)."""

    name: str
    name_typo_rate: float = 0.0  # a typo in the first or last name, beyond the source's rate
    first_letter_share: float = 0.0  # of those typos, the share that hit the first letter
    dob_typo_rate: float = 0.0  # one wrong digit in the date of birth
    swap_rate: float = SWAP_RATE  # first and last name swapped
    missing_rate: float = 0.0  # each MISSABLE field left empty, beyond the source's rate
    summary: str = ""


PROFILES: dict[str, NoiseProfile] = {
    p.name: p
    for p in (
        NoiseProfile("default", summary="the sample data's own noise"),
        NoiseProfile(
            "typos",
            name_typo_rate=0.3,
            first_letter_share=0.5,
            missing_rate=0.05,
            summary="30% of records with a misspelt name, half in the first letter, 5% gaps",
        ),
        NoiseProfile(
            "dob",
            dob_typo_rate=0.3,
            missing_rate=0.05,
            summary="30% of records with one wrong digit in the date of birth, 5% gaps",
        ),
        NoiseProfile(
            "swaps",
            swap_rate=0.15,
            missing_rate=0.15,
            summary="15% of records with first and last name swapped, 15% gaps per field",
        ),
        NoiseProfile(
            "messy",
            name_typo_rate=0.15,
            first_letter_share=0.5,
            dob_typo_rate=0.15,
            swap_rate=0.08,
            missing_rate=0.1,
            summary="typos, first-letter typos, date typos, swaps and 10% gaps together",
        ),
    )
}
DEFAULT_PROFILE = PROFILES["default"]


class UnknownNoiseProfile(ValueError):
    """A noise profile name that is not in PROFILES."""


def noise_profile(name: str) -> NoiseProfile:
    """The profile of that name; UnknownNoiseProfile naming the known ones otherwise."""
    try:
        return PROFILES[name]
    except KeyError:
        raise UnknownNoiseProfile(
            f"unknown noise profile {name!r}; choose one of {', '.join(PROFILES)}"
        ) from None
