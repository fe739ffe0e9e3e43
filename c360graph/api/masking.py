"""PII masking for the reader role: emails, phones, street addresses, birth dates and the
bodies of support tickets."""

from __future__ import annotations

import re
from dataclasses import dataclass

_EMAIL = re.compile(r"[^\s,;:()\[\]]+@[^\s,;:()\[\]]+")
_PHONE = re.compile(r"\+\d{7,15}")


@dataclass(frozen=True)
class Masker:
    """Masks personal data unless the caller may see it."""

    reveal: bool

    def email(self, value: str | None) -> str | None:
        """`a***@example.com` for readers."""
        if value is None or self.reveal:
            return value
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}" if domain else "***"

    def phone(self, value: str | None) -> str | None:
        """`+44*******58` for readers: the country code and the last two digits."""
        if value is None or self.reveal:
            return value
        keep = 3 if value.startswith("+") else 0
        return value[:keep] + "*" * max(len(value) - keep - 2, 0) + value[-2:]

    def street(self, value: str | None) -> str | None:
        """Street lines and postcodes are hidden from readers."""
        if value is None or self.reveal:
            return value
        return "***"

    def birth_date(self, value: str | None) -> str | None:
        """Only the year (`1984-**-**`) for readers."""
        if value is None or self.reveal:
            return value
        return f"{value[:4]}-**-**"

    def ticket_body(self, value: str | None) -> str | None:
        """A support ticket's body (what the customer wrote about themselves) is hidden from
        readers."""
        if value is None or self.reveal:
            return value
        return "***"

    def identifier(self, kind: str, value: str | None) -> str | None:
        """Mask an identifier by its kind (email, phone, address, national id); others pass."""
        if kind == "email":
            return self.email(value)
        if kind == "phone":
            return self.phone(value)
        if kind in ("address", "national_id"):
            return self.street(value)
        return value

    def text(self, value: str) -> str:
        """Free text (an explanation) with any email or E.164 phone in it masked."""
        if self.reveal:
            return value
        value = _EMAIL.sub(lambda m: self.email(m.group()) or "", value)
        return _PHONE.sub(lambda m: self.phone(m.group()) or "", value)
