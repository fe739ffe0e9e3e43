"""Noise profiles of the generator: each adds the noise it names, and the default adds none."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from c360graph.cli import cli
from c360graph.generate.noise import NICKNAMES, dob_typo, first_letter_typo, fold_ascii
from c360graph.generate.people import Person, PersonFactory
from c360graph.generate.pools import build_pools
from c360graph.generate.profiles import (
    DEFAULT_PROFILE,
    PROFILES,
    NoiseProfile,
    UnknownNoiseProfile,
    noise_profile,
)
from c360graph.generate.records import customer_view
from c360graph.generate.sources import SOURCES_BY_NAME

CRM = SOURCES_BY_NAME["crm"]  # first and last name, an ISO date of birth, an address


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3))
def test_a_first_letter_typo_changes_the_start_and_keeps_the_rest(text: str) -> None:
    result = first_letter_typo(random.Random(text), text)
    assert result.casefold() != text.casefold()
    start_changed = result[1:] == text[1:] or result[2:].casefold() == text[2:].casefold()
    assert start_changed or result.casefold() == text[1:].casefold()  # or the letter dropped


@given(st.dates(date(1900, 1, 1), date(2026, 6, 30)), st.integers(0, 2**32))
def test_a_dob_typo_changes_one_digit_and_stays_a_real_date(born: date, seed: int) -> None:
    latest = date(2026, 6, 30)
    typoed = dob_typo(random.Random(seed), born, latest)
    before, after = born.strftime("%Y%m%d"), typoed.strftime("%Y%m%d")
    assert sum(a != b for a, b in zip(before, after, strict=True)) == 1
    assert before[:2] == after[:2]  # never the century
    assert date(1900, 1, 1) <= typoed <= latest


def _people(n: int = 3000) -> list[Person]:
    factory = PersonFactory(random.Random(101), build_pools(101))
    return [p for unit in factory.units(n) for p in unit]


def _share(noise: NoiseProfile, hit: Callable[[Person, dict[str, object]], bool]) -> float:
    """Share of CRM records of a population for which `hit(person, record)` holds."""
    rng = random.Random(202)
    people = _people()
    views = [customer_view(rng, p, CRM, f"C{i}", noise=noise) for i, p in enumerate(people)]
    return sum(hit(v.person, v.record) for v in views) / len(views)


def _same(a: object, b: str) -> bool:
    return isinstance(a, str) and fold_ascii(a).casefold() == fold_ascii(b).casefold()


def _first_letter_changed(p: Person, rec: dict[str, object]) -> bool:
    usual = {p.first_name, *NICKNAMES.get(p.first_name, ()), p.middle_name}  # not typos
    pairs = ((rec.get("first_name"), p.first_name), (rec.get("last_name"), p.last_name))
    return any(
        isinstance(got, str)
        and got[:1].casefold() != fold_ascii(true)[:1].casefold()
        and not any(u and _same(got.split()[0], u) for u in usual)
        for got, true in pairs
        if got
    )


def _dob_one_digit_off(p: Person, rec: dict[str, object]) -> bool:
    got = rec.get("date_of_birth")
    if not isinstance(got, str):
        return False
    true = p.dob.isoformat()
    return sum(a != b for a, b in zip(got, true, strict=True)) == 1


def _swapped(p: Person, rec: dict[str, object]) -> bool:
    return _same(rec.get("first_name"), p.last_name) and not _same(
        rec.get("last_name"), p.last_name
    )


def _no_dob(p: Person, rec: dict[str, object]) -> bool:
    return "date_of_birth" not in rec


@pytest.mark.parametrize(
    ("profile", "hit", "more_by"),
    [
        ("typos", _first_letter_changed, 0.1),
        ("dob", _dob_one_digit_off, 0.2),
        ("swaps", _swapped, 0.1),
        ("swaps", _no_dob, 0.1),
    ],
)
def test_each_profile_adds_the_noise_it_names(
    profile: str, hit: Callable[[Person, dict[str, object]], bool], more_by: float
) -> None:
    assert _share(PROFILES[profile], hit) >= _share(DEFAULT_PROFILE, hit) + more_by


def test_noise_profile_names_the_known_ones_when_unknown() -> None:
    assert noise_profile("dob") is PROFILES["dob"]
    with pytest.raises(UnknownNoiseProfile, match="default, typos, dob, swaps, messy"):
        noise_profile("chaos")


def test_generate_noise_option_changes_the_records_not_the_people(tmp_path: Path) -> None:
    runner = CliRunner()
    for noise in ("default", "swaps"):
        args = ["generate", "-n", "40", "--seed", "303", "--out", str(tmp_path / noise)]
        result = runner.invoke(cli, [*args, "--noise", noise, "--no-progress"])
        assert result.exit_code == 0, result.output
    plain, noisy = (tmp_path / n / "crm" / "customers.csv" for n in ("default", "swaps"))
    assert plain.read_bytes() != noisy.read_bytes()
    truth = [(tmp_path / n / "ground_truth.csv").read_text() for n in ("default", "swaps")]
    person_ids = [{line.split(",")[2] for line in t.splitlines()[1:]} for t in truth]
    assert person_ids[0] == person_ids[1]
    bad = runner.invoke(cli, ["generate", "-n", "5", "--out", str(tmp_path / "x"), "--noise", "x"])
    assert bad.exit_code == 2 and "default" in bad.output
