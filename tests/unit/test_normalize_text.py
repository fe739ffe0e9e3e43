"""clean_text and normalize_gender on values seen in real exports."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from c360graph.normalize.text import clean_text, normalize_gender


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Anna  Müller ", "Anna Müller"),
        ("Anna\tMüller", "Anna Müller"),
        ("Anna\r\nMüller", "Anna Müller"),
        ("Anna\x00Müller", "Anna Müller"),
        ("Anna\x85Müller", "Anna Müller"),  # C1 NEL from Latin-1 exports
        ("Anna\u00a0Müller", "Anna Müller"),  # no-break space
        ("\ufeffAnna", "Anna"),  # byte-order mark at the start of a CSV
        ("Ma\u200bria", "Maria"),  # zero-width space pasted from the web
        ("Zoe\u0308", "Zoë"),  # decomposed diacritic composed to NFC
        ("Nguye\u0302\u0303n", "Nguyễn"),
        ("Ångström", "Ångström"),
        ("  ", None),
        ("", None),
        ("\t\n\x0b", None),
        (None, None),
        ("O'Brien-Smith", "O'Brien-Smith"),
        ("東京 都", "東京 都"),
    ],
)
def test_clean_text_composes_nfc_and_collapses_controls_and_whitespace(
    raw: str | None, expected: str | None
) -> None:
    assert clean_text(raw) == expected


@given(st.text())
def test_clean_text_is_idempotent_and_leaves_no_controls_or_double_spaces(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once
    if once is not None:
        assert "  " not in once
        assert once == once.strip()
        assert not any(unicodedata.category(ch) == "Cc" for ch in once)
        assert unicodedata.is_normalized("NFC", once)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("M", "male"),
        ("m", "male"),
        ("Male", "male"),
        ("MAN", "male"),
        ("Mr.", "male"),
        ("Herr", "male"),
        ("männlich", "male"),
        ("Nam", "male"),  # Vietnamese
        ("hombre", "male"),
        ("F", "female"),
        ("female", "female"),
        ("Woman", "female"),
        ("Mrs", "female"),
        ("Ms.", "female"),
        ("Frau", "female"),
        ("W", "female"),  # German weiblich
        ("Nữ", "female"),  # Vietnamese
        ("nu", "female"),  # Vietnamese without accents
        ("Femme", "female"),
        ("X", "other"),
        ("diverse", "other"),
        ("Non-binary", "other"),
        ("D", "other"),  # German "divers"
        ("U", None),
        ("unknown", None),
        ("N/A", None),
        ("prefer not to say", None),
        ("", None),
        ("   ", None),
        (None, None),
        ("1", None),  # numeric codes differ per system: the source mapping must decide
    ],
)
def test_gender_codes_in_five_languages_map_to_male_female_other_or_unknown(
    raw: str | None, expected: str | None
) -> None:
    assert normalize_gender(raw) == expected
