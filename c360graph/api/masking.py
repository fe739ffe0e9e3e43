"""PII masking by role, and the note of every value a caller saw unmasked.

Three policies: analysts and admins see every value; an agent sees the email and phone of
the identities it looked up in this request (`Masker.contacts`), everything else masked; a
reader sees everything masked. Values are masked where a type is built, through a `View` of
the masker bound to whose data it is (`Masker.view`); a view that shows a value unmasked
notes its kind and subject in the request's `PiiViews`, which becomes one audit log entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_EMAIL = re.compile(r"[^\s,;:()\[\]]+@[^\s,;:()\[\]]+")
_PHONE = re.compile(r"\+\d{7,15}")

EMAIL, PHONE, ADDRESS, BIRTH_DATE = "email", "phone", "address", "date_of_birth"
NATIONAL_ID = "national_id"  # its keyed hash: the raw id never reaches the graph
TICKET_BODY = "ticket_body"  # what a customer wrote to support about themselves
EVERY_KIND = frozenset({EMAIL, PHONE, ADDRESS, BIRTH_DATE, NATIONAL_ID, TICKET_BODY})
CONTACT_KINDS = frozenset({EMAIL, PHONE})  # what an agent needs to verify a caller
# The fields of a type that show each kind: a kind none of them asks for is never shown, so
# the audit log names what a caller got, not all a type could hold.
PROFILE_FIELDS = {"email": EMAIL, "phone": PHONE, "dateOfBirth": BIRTH_DATE, "address": ADDRESS}
RECORD_FIELDS = {
    "emails": EMAIL, "phones": PHONE, "dateOfBirth": BIRTH_DATE, "addressLine1": ADDRESS,
    "postcode": ADDRESS,
}  # fmt: skip


def kinds_asked(selected: set[str] | None, fields: dict[str, str]) -> frozenset[str] | None:
    """The kinds the selected fields show (None when the selection is unknown: all)."""
    if selected is None:
        return None
    return frozenset(fields[name] for name in selected if name in fields)


@dataclass
class PiiViews:
    """What one request showed unmasked: kinds, and whose (identities, records, others)."""

    fields: set[str] = field(default_factory=set)
    identities: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)
    other: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.fields)


def mask_email(value: str) -> str:
    """`a***@example.com`."""
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_phone(value: str) -> str:
    """`+44*******58`: the country code and the last two digits."""
    keep = 3 if value.startswith("+") else 0
    return value[:keep] + "*" * max(len(value) - keep - 2, 0) + value[-2:]


def mask_street(value: str) -> str:
    """Street lines, postcodes and national ids: `***`."""
    return "***"


def mask_birth_date(value: str) -> str:
    """Only the year: `1984-**-**`."""
    return f"{value[:4]}-**-**"


class View:
    """The masker for one subject's data: shows the kinds it may, notes what it showed."""

    __slots__ = ("_identities", "_other", "_records", "_shown", "_views")

    def __init__(
        self,
        shown: frozenset[str],
        views: PiiViews | None = None,
        identities: tuple[str, ...] = (),
        records: tuple[str, ...] = (),
        other: str | None = None,
    ) -> None:
        """A view showing the kinds in `shown` unmasked, noting them in `views`."""
        self._shown = shown
        self._views = views
        self._identities = identities
        self._records = records
        self._other = other

    def _show(self, kind: str) -> bool:
        if kind not in self._shown:
            return False
        views = self._views
        if views is not None:
            views.fields.add(kind)
            views.identities.update(self._identities)
            views.records.update(self._records)
            if self._other:
                views.other.add(self._other)
        return True

    def shows(self, kind: str) -> bool:
        """True when this view shows `kind` unmasked (and notes it, as showing it would)."""
        return self._show(kind)

    def email(self, value: str | None) -> str | None:
        """The email, or `a***@example.com`."""
        if value is None or self._show(EMAIL):
            return value
        return mask_email(value)

    def phone(self, value: str | None) -> str | None:
        """The phone, or `+44*******58`."""
        if value is None or self._show(PHONE):
            return value
        return mask_phone(value)

    def street(self, value: str | None) -> str | None:
        """A street line or postcode, or `***`."""
        if value is None or self._show(ADDRESS):
            return value
        return mask_street(value)

    def birth_date(self, value: str | None) -> str | None:
        """The date of birth, or its year only (`1984-**-**`)."""
        if value is None or self._show(BIRTH_DATE):
            return value
        return mask_birth_date(value)

    def ticket_body(self, value: str | None) -> str | None:
        """A support ticket's body, or `***` (readers and agents)."""
        if value is None or self._show(TICKET_BODY):
            return value
        return mask_street(value)

    def identifier(self, kind: str, value: str | None) -> str | None:
        """An identifier masked by its kind (email, phone, address, national id); others pass."""
        if kind == EMAIL:
            return self.email(value)
        if kind == PHONE:
            return self.phone(value)
        if kind in (ADDRESS, NATIONAL_ID):
            if value is None or self._show(kind):
                return value
            return mask_street(value)
        return value

    def text(self, value: str) -> str:
        """Free text (an explanation) with any email or E.164 phone in it masked."""
        value = _EMAIL.sub(lambda m: self.email(m.group()) or "", value)
        return _PHONE.sub(lambda m: self.phone(m.group()) or "", value)


_MASKED = View(frozenset())  # a reader's view of anyone's data, and an agent's of others'


class Masker:
    """One request's masking policy, and what it showed unmasked (`views`)."""

    def __init__(self, shown: frozenset[str], contacts_only: bool = False) -> None:
        """Show the kinds in `shown`; with `contacts_only`, only of the identities in
        `contacts` (an agent's look-ups)."""
        self.shown = shown
        self.contacts_only = contacts_only
        self.contacts: set[str] = set()
        self.views = PiiViews()

    @classmethod
    def for_grants(cls, every: bool, contacts: bool) -> Masker:
        """Every kind shown (`every`), the contact kinds of looked-up identities, or none."""
        if every:
            return cls(EVERY_KIND)
        if contacts:
            return cls(CONTACT_KINDS, contacts_only=True)
        return cls(frozenset())

    def view(
        self,
        identities: Iterable[str | None] = (),
        records: Iterable[str] = (),
        other: str | None = None,
        asked: frozenset[str] | None = None,
    ) -> View:
        """The view of some identities' data (and their records'), or of `other` (a ring,
        the shared identifiers), showing the kinds `asked` for (None: any); an agent's
        shows only identities it looked up."""
        shown = self.shown if asked is None else self.shown & asked
        if not shown:
            return _MASKED
        whose = tuple(i for i in identities if i)
        if self.contacts_only and not (whose and self.contacts.issuperset(whose)):
            return _MASKED
        return View(shown, self.views, whose, tuple(records), other)
