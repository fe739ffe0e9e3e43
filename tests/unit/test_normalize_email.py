"""normalize_email, email_local_key and is_placeholder_email on messy real-world addresses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from c360graph.normalize import InvalidValue
from c360graph.normalize.email import email_local_key, is_placeholder_email, normalize_email


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("john.smith@example.com", "john.smith@example.com"),
        ("John.Smith@Example.COM", "john.smith@example.com"),
        ("  jane@shop.co.uk  ", "jane@shop.co.uk"),
        ("<jane@shop.co.uk>", "jane@shop.co.uk"),
        ("Jane Doe <Jane@Shop.co.uk>", "jane@shop.co.uk"),
        ("mailto:info@firma.de", "info@firma.de"),
        ("MAILTO:Info@Firma.DE?subject=Hallo", "info@firma.de"),
        ("j.o.h.n+newsletter@gmail.com", "j.o.h.n+newsletter@gmail.com"),  # identity kept
        ("o'connor@mail.ie", "o'connor@mail.ie"),
        ("first_last-99@sub.domain.example.org", "first_last-99@sub.domain.example.org"),
        ("nguyen.van.an@fpt.com.vn", "nguyen.van.an@fpt.com.vn"),
        ("hans@müller.de", "hans@xn--mller-kva.de"),  # internationalized domain to punycode
        ("HANS@MÜLLER.DE", "hans@xn--mller-kva.de"),
        ("anh@bücher.example", "anh@xn--bcher-kva.example"),
        ("josé@correo.es", "josé@correo.es"),  # SMTPUTF8 local part kept
        ("a@xn--mnchen-3ya.de", "a@xn--mnchen-3ya.de"),
        ("user@my-shop.travel", "user@my-shop.travel"),
        ("x@1and1.co.uk", "x@1and1.co.uk"),
        ("用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v"),
        ("\ufeffanna@web.de", "anna@web.de"),  # byte-order mark from the first CSV cell
        ("an\u200bna@web.de", "anna@web.de"),  # zero-width space pasted from a web page
    ],
)
def test_valid_addresses_are_trimmed_unwrapped_lowercased_and_punycoded(
    raw: str, expected: str
) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("john@@example.com", "has two '@'"),
        ("john@example.com;jane@example.com", "has two '@'"),
        ("john.example.com", "has no '@'"),
        ("john smith@example.com", "contains a space"),
        ("john\tsmith@example.com", "contains a space"),
        ("@example.com", "nothing before the '@'"),
        ("john@example", "without a dot"),
        ("john@example.c", "not a top-level domain"),
        ("john@example.123", "not a top-level domain"),
        ("john..smith@example.com", "two dots in a row"),
        ("john@example..com", "two dots in a row"),
        ("john@example.com.", "domain that starts or ends with '.'"),
        (".john@example.com", "starts or ends with '.'"),
        ("john@-example.com", "inner hyphens"),
        ("john@example-.com", "inner hyphens"),
        ("john@exa_mple.com", "inner hyphens"),
        ("john,smith@example.com", "not allowed before the '@'"),
        ("j" * 65 + "@example.com", "at most 64"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_malformed_addresses_raise_a_message_naming_the_fault_and_the_fix(
    raw: str, fragment: str
) -> None:
    with pytest.raises(InvalidValue, match=r"example\.com|e\.g\.|remove|leave") as info:
        normalize_email(raw)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("normalized", "expected"),
    [
        ("john.smith+promo@gmail.com", "johnsmith"),
        ("j.o.h.n.smith@googlemail.com", "johnsmith"),
        ("john.smith+promo@outlook.com", "john.smith"),  # dots matter outside Gmail
        ("john.smith@outlook.com", "john.smith"),
        ("+44123@sms.example.net", "+44123"),  # a leading '+' is not a tag
        ("anna+@web.de", "anna"),
    ],
)
def test_local_key_drops_plus_tags_everywhere_and_dots_only_on_gmail(
    normalized: str, expected: str
) -> None:
    assert email_local_key(normalized) == expected


@pytest.mark.parametrize(
    ("normalized", "expected"),
    [
        ("test@test.com", True),
        ("noemail@gmail.com", True),
        ("none@none.com", True),
        ("na@na.com", True),
        ("a@a.com", True),
        ("xxx@xxx.xxx", True),
        ("john@example.com", True),
        ("jane@example.org", True),
        ("kunde@shop.test", True),
        ("no-reply@bank.co.uk", True),
        ("john.smith@gmail.com", False),
        ("x@gmail.com", False),
        ("test.user@company.de", False),
        ("anna@test.de", False),
        ("aa@bb.com", False),
    ],
)
def test_only_obvious_placeholder_addresses_are_flagged(normalized: str, expected: bool) -> None:
    assert is_placeholder_email(normalized) is expected


@given(st.one_of(st.emails(), st.text(max_size=40)))
def test_normalize_email_is_idempotent(raw: str) -> None:
    try:
        once = normalize_email(raw)
    except InvalidValue:
        return
    assert normalize_email(once) == once


@given(st.emails())
def test_generated_rfc_addresses_with_ordinary_domains_normalize_to_lower_case(raw: str) -> None:
    assert normalize_email(raw.upper()) == normalize_email(raw) == raw.lower()
