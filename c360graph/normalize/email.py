"""Email addresses: one canonical spelling, a looser comparison key and placeholder detection."""

from __future__ import annotations

import re

from c360graph.normalize import InvalidValue
from c360graph.normalize.text import clean_text

_EXAMPLE = "expected one address like name@example.com"
_MAILTO = re.compile(r"mailto:", re.IGNORECASE)
_SPACE = re.compile(r"\s")
# RFC 5322 atext plus dots; anything >= U+0080 is allowed for SMTPUTF8 local parts.
_LOCAL_OK = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~.\-\u0080-\U0010ffff]+\Z")
_LABEL_OK = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\Z")
_TLD_OK = re.compile(r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})\Z")
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four"}


def _invalid(raw: str, why: str, fix: str = _EXAMPLE) -> InvalidValue:
    return InvalidValue(f"email {raw!r} {why}; {fix}")


def _strip_wrappers(text: str) -> str:
    # "John Smith <john@x.com>" and "<john@x.com>" both come out of mail clients and CRMs.
    if text.endswith(">") and "<" in text:
        text = text[text.rindex("<") + 1 : -1].strip()
    if _MAILTO.match(text):
        text = text[7:].split("?", 1)[0].strip()
    return text


def _to_ascii_domain(raw: str, domain: str) -> str:
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise _invalid(
            raw, f"has a domain {domain!r} that cannot be converted to punycode",
            "check the domain for stray symbols or a label longer than 63 characters",
        ) from None  # fmt: skip


def normalize_email(raw: str) -> str:
    """Return raw as a trimmed, lower-case address with a punycode domain, or raise InvalidValue."""
    # clean_text also drops the BOM and zero-width spaces that spreadsheets leave behind.
    cleaned = clean_text(raw)
    if cleaned is None:
        raise InvalidValue(f"email is empty; {_EXAMPLE}, or leave the field out")
    text = _strip_wrappers(cleaned).lower()
    if _SPACE.search(text):
        raise _invalid(raw, "contains a space", "remove the space or split multiple addresses")
    ats = text.count("@")
    if ats != 1:
        what = "no '@'" if ats == 0 else f"{_NUMBER_WORDS.get(ats, ats)} '@'"
        raise _invalid(raw, f"has {what}", _EXAMPLE + " (one address per value)")
    local, domain = text.split("@")
    if not local:
        raise _invalid(raw, "has nothing before the '@'")
    if len(local) > 64:
        raise _invalid(raw, f"has a local part of {len(local)} characters; at most 64 allowed")
    if ".." in text:
        raise _invalid(raw, "has two dots in a row", "remove the extra '.'")
    if local[0] == "." or local[-1] == ".":
        raise _invalid(raw, "has a local part that starts or ends with '.'", "remove the '.'")
    if not _LOCAL_OK.match(local):
        bad = sorted({ch for ch in local if not _LOCAL_OK.match(ch)})
        raise _invalid(raw, f"has characters {''.join(bad)!r} not allowed before the '@'")
    domain = _to_ascii_domain(raw, domain)
    labels = domain.split(".")
    if "" in labels:
        raise _invalid(raw, "has a domain that starts or ends with '.'", "remove the stray '.'")
    if len(labels) < 2:
        raise _invalid(raw, f"has a domain {domain!r} without a dot", "add the ending, e.g. .com")
    for label in labels:
        if not _LABEL_OK.match(label) or len(label) > 63:
            raise _invalid(
                raw, f"has a domain part {label!r} that is not letters, digits or inner hyphens",
                "fix the domain, e.g. example.com",
            )  # fmt: skip
    if not _TLD_OK.match(labels[-1]):
        raise _invalid(
            raw, f"ends in {labels[-1]!r}, which is not a top-level domain",
            "check the ending, e.g. .com or .co.uk",
        )  # fmt: skip
    address = f"{local}@{domain}"
    if len(address) > 254:
        raise _invalid(raw, f"is {len(address)} characters long; at most 254 allowed")
    return address


_GMAIL = frozenset({"gmail.com", "googlemail.com"})


def email_local_key(normalized: str) -> str:
    """Return the local part of a normalized address without +tag (and dots on Gmail)."""
    local, _, domain = normalized.rpartition("@")
    plus = local.find("+")
    if plus > 0:
        local = local[:plus]
    if domain in _GMAIL:
        local = local.replace(".", "")
    return local


# Local parts that say "no address" whatever the domain.
_PLACEHOLDER_LOCALS = frozenset(
    {
        "noemail", "no.email", "no-email", "no_email", "nomail", "no.mail", "no-mail",
        "none", "null", "nil", "na", "n.a", "n-a", "unknown", "notprovided",
        "not.provided", "noreply", "no-reply", "donotreply", "do-not-reply", "declined",
    }
)  # fmt: skip
# Reserved by RFC 2606/6761 or typed when a form insists on an address.
_PLACEHOLDER_DOMAINS = frozenset(
    {
        "example.com", "example.org", "example.net", "example.edu",
        "test.com", "noemail.com", "nomail.com", "none.com", "na.com", "email.invalid",
    }
)  # fmt: skip
_RESERVED_TLDS = frozenset({"test", "example", "invalid", "localhost"})
_SELF_NAMED = frozenset({"test", "email", "mail", "abc", "asdf", "qwerty", "sample", "dummy"})


def is_placeholder_email(normalized: str) -> bool:
    """Return True for addresses that obviously stand for "no address" (test@test.com, ...)."""
    local, _, domain = normalized.rpartition("@")
    if local in _PLACEHOLDER_LOCALS or domain in _PLACEHOLDER_DOMAINS:
        return True
    labels = domain.split(".")
    if labels[-1] in _RESERVED_TLDS:
        return True
    name = labels[0]
    if local == name and local in _SELF_NAMED:
        return True
    # a@a.com, xxx@xxx.xxx, 111@111.com: one key held down on both sides of the '@'.
    return len(set(local)) == 1 and set(local) == set(name)
