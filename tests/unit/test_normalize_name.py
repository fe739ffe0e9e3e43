"""display_name, name_key and split_full_name on names from several languages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from c360graph.normalize.name import display_name, name_key, split_full_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NGUYỄN", "Nguyễn"),
        ("nguyễn hữu dũng", "Nguyễn Hữu Dũng"),
        ("o'brien", "O'Brien"),
        ("O’BRIEN", "O’Brien"),
        ("mcdonald", "McDonald"),
        ("JEAN-LUC PICARD", "Jean-Luc Picard"),
        ("ÉLODIE DUPONT", "Élodie Dupont"),
        ("LUDWIG VAN BEETHOVEN", "Ludwig van Beethoven"),
        ("JOSÉ GARCÍA DE LA VEGA", "José García de La Vega"),
        ("john smith iii", "John Smith III"),
        ("  anna   MÜLLER ", "anna MÜLLER"),  # mixed case is kept as given
        ("McDonald", "McDonald"),
        ("DeShawn", "DeShawn"),
        ("ĐẶNG THỊ NGỌC", "Đặng Thị Ngọc"),
        ("MÜLLER-LÜDENSCHEIDT", "Müller-Lüdenscheidt"),
        ("", None),
        (None, None),
    ],
)
def test_display_name_title_cases_only_all_caps_or_all_lower_input(
    raw: str | None, expected: str | None
) -> None:
    assert display_name(raw) == expected


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Nguyễn Hữu Dũng", "nguyen huu dung"),
        ("NGUYỄN HỮU DŨNG", "Nguyen Huu Dung"),
        ("Đặng Thị Ngọc Thịnh", "Dang Thi Ngoc Thinh"),
        ("Trần Thị Bích", "tran thi bich"),
        ("Jean-Luc", "jean luc"),
        ("O'Brien", "OBrien"),
        ("O’Brien", "o'brien"),
        ("Müller", "muller"),
        ("Straße", "strasse"),
        ("François Hélène", "francois helene"),
        ("José García-Márquez", "jose garcia marquez"),
        ("Peña Núñez", "pena nunez"),
        ("Søren Kierkegaard", "soren kierkegaard"),
        ("Łukasz Żółć", "lukasz zolc"),
        ("Þór Guðmundsson", "thor gudmundsson"),
        ("Ægir Œuvray", "aegir oeuvray"),
        ("J.R.R. Tolkien", "J R R Tolkien"),
        ("Zoe\u0308", "Zoë"),  # decomposed and composed spellings
        ("Ｊｏｈｎ", "john"),  # full-width letters from East Asian keyboards
    ],
)
def test_names_that_differ_only_in_accents_case_or_punctuation_share_a_key(
    left: str, right: str
) -> None:
    assert name_key(left) == name_key(right)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Hữu Dũng", "nguyen huu dung"),
        ("Jean-Luc", "jean luc"),
        ("O'Brien", "obrien"),
        ("  Anna   Maria  ", "anna maria"),
        ("Đức", "duc"),
        ("İlker", "ilker"),
        ("ﬁfi", "fifi"),
        ("---", None),
        ("", None),
        (None, None),
    ],
)
def test_name_key_is_lower_case_ascii_folded_with_single_spaces(
    raw: str | None, expected: str | None
) -> None:
    assert name_key(raw) == expected


def test_vietnamese_name_matches_its_unaccented_spelling_on_the_key() -> None:
    assert name_key("Nguyễn Hữu Dũng") == name_key("NGUYEN HUU DUNG") == "nguyen huu dung"


def test_name_key_keeps_distinct_names_distinct() -> None:
    assert name_key("Anna") != name_key("Anne")
    assert name_key("Dũng") != name_key("Dung Anh")


@given(st.text())
def test_name_key_is_idempotent(raw: str) -> None:
    key = name_key(raw)
    assert name_key(key) == key


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("John Smith", ("John", "Smith")),
        ("Smith, John", ("John", "Smith")),
        ("Smith, John Paul", ("John Paul", "Smith")),
        ("John Paul Smith", ("John Paul", "Smith")),
        ("Mr John Smith", ("John", "Smith")),
        ("Mrs. Jane Doe", ("Jane", "Doe")),
        ("Dr. Hans Müller", ("Hans", "Müller")),
        ("Herr Hans Müller", ("Hans", "Müller")),
        ("Frau Anna Schmidt", ("Anna", "Schmidt")),
        ("Smith, Mr John", ("John", "Smith")),
        ("John Smith Jr.", ("John", "Smith")),
        ("Smith, John, Jr.", ("John", "Smith")),
        ("Ludwig van Beethoven", ("Ludwig", "van Beethoven")),
        ("Ursula von der Leyen", ("Ursula", "von der Leyen")),
        ("García Márquez, Gabriel", ("Gabriel", "García Márquez")),
        ("Ông Nguyễn Văn An", ("Nguyễn Văn", "An")),  # Vietnamese order is not swapped
        ("Bà Trần Thị Bích", ("Trần Thị", "Bích")),
        ("Ong Wei Ming", ("Ong Wei", "Ming")),  # Ong is a surname, not Ông
        ("Madonna", ("Madonna", None)),
        ("  JOHN   SMITH ", ("JOHN", "SMITH")),  # casing left for display_name
        ("Mr", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_split_full_name_handles_comma_order_honorifics_particles_and_single_tokens(
    full: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert split_full_name(full) == expected
