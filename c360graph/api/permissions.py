"""Who may ask for what: Strawberry permission classes on the fields that need them.

Each class checks one grant of the caller's role (`keys.Grant`). A field takes it through
`permit(Class)`, Strawberry's `PermissionExtension`, so it shows in the schema as a directive
(`fraudRings: ... @analyse`) whose description names the roles: the schema says who may see
what. A refusal is FORBIDDEN, naming the roles that may and the key.

Personal values themselves (an email, a phone) are masked by role where their types are built
(`masking.py`), not guarded one by one: a permission makes a field take Strawberry's slow
path (an `Info` and an extension chain per value), and a page of records holds hundreds of
them. Instead personal data lives only in the types built through the masker (`PII_TYPES`),
every field handing one of them out has a permission class, and so has every mutation:
`tests/unit/test_schema_permissions.py` walks the schema to prove it, and that each role
reaches only the types it should.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

import strawberry
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.schema_directive import Location

from c360graph.api.errors import Forbidden
from c360graph.api.keys import Grant, Role

# The GraphQL types holding personal data, built through the masker (masking.View): a field
# handing one out needs a permission class, and personal data lives in no other type.
PII_TYPES = frozenset(
    {"Profile", "GoldenValue", "GoldenAddress", "Record", "Identifier", "SharedEvidence",
     "RelatedIdentity", "RingEvidence", "SharedIdentifier", "Hop", "Explanation", "ReviewPair"}
)  # fmt: skip


def permit(permission: type[BasePermission]) -> PermissionExtension:
    """Strawberry's permission extension for a field, shown in the schema as a directive
    (`permission_classes=[...]` would check the same but hide it from the schema)."""
    return SourceArgumentPermissionExtension([permission()], use_directives=True)


class SourceArgumentPermissionExtension(PermissionExtension):
    """Strawberry's PermissionExtension, for fields with an argument named `source`.

    Workaround for strawberry-graphql 0.341.2: its `resolve(next_, source, info, **kwargs)`
    gets the field's arguments as keywords, so a field argument named `source`
    (`identityByRecord(source, sourceId)`, `record`, `ingestRecords`) fails with "got multiple
    values for argument 'source'". Here the parent and info are positional-only, and a
    permission is asked with them alone (ours read no argument). The test
    `test_strawberrys_permission_extension_still_fails_on_a_source_argument` fails once
    Strawberry no longer needs this: then use PermissionExtension itself.
    """

    def _check(self, source: Any, info: strawberry.Info) -> Any:
        for permission in self.permissions:
            if not permission.has_permission(source, info):
                return self._on_unauthorized(permission)
        return _GRANTED

    # Positional-only where Strawberry's take keywords: the point of the workaround.
    def resolve(  # type: ignore[override]
        self, next_: Any, source: Any, info: strawberry.Info, /, **kwargs: Any
    ) -> Any:
        """Check every permission, then resolve the field."""
        refused = self._check(source, info)
        return next_(source, info, **kwargs) if refused is _GRANTED else refused

    async def resolve_async(  # type: ignore[override]
        self, next_: Any, source: Any, info: strawberry.Info, /, **kwargs: Any
    ) -> Any:
        """Check every permission, then resolve the field (awaited unless a subscription's)."""
        refused = self._check(source, info)
        if refused is not _GRANTED:
            return refused
        result = next_(source, info, **kwargs)
        # A subscription's resolver is an async generator: handed on, not awaited.
        return result if inspect.isasyncgen(result) else await result


_GRANTED = object()


def _roles(grant: Grant) -> str:
    return ", ".join(role.value for role in Role if role.may(grant))


def _directive(name: str, grant: Grant, what: str, also: str = "") -> object:
    @strawberry.schema_directive(
        name=name,
        locations=[Location.FIELD_DEFINITION],
        description=f"{what} Roles: {_roles(grant)}{also}; others get FORBIDDEN.",
    )
    class Directive:
        pass

    Directive.__name__ = Directive.__qualname__ = name
    return Directive()


class _Needs(BasePermission):
    """A field that needs `grant`."""

    grant: ClassVar[Grant]
    what: ClassVar[str]  # what the grant lets a caller do, for the refusal

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        """True when the caller's role has the grant; else FORBIDDEN saying who may."""
        caller = info.context.caller
        if caller.role.may(self.grant):
            return True
        raise refusal(caller.name, caller.role, self.grant, self.what)


def refusal(key: str, role: Role, grant: Grant, what: str) -> Forbidden:
    """FORBIDDEN: what needs which roles, and what the caller's key is."""
    hint = ""
    if role is Role.AGENT:
        hint = (
            " An agent key looks up one caller at a time: identity, identityByRecord, "
            "identitiesByPhone, identitiesByEmail, or searchIdentities by phone or email."
        )
    return Forbidden(
        f"{what} needs the {_roles(grant)} role; your key {key!r} is {role.value}.{hint}"
    )


class LookUp(_Needs):
    """One identity or record, by id, record, email or phone (an agent: a few per request)."""

    grant = Grant.LOOK_UP
    what = "a look-up"
    _schema_directive = _directive(
        "lookUp",
        Grant.LOOK_UP,
        "Finds one identity or record. An agent key may look up at most api.agent_max_identities "
        "identities in one request, and sees their email and phone unmasked (audited).",
    )

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        """The grant; for an agent, also room for one more identity in this request."""
        super().has_permission(source, info, **kwargs)
        info.context.check_lookups_left()
        return True


class Browse(_Needs):
    """Lists, name search, households, links, explanations, segments: not for agents."""

    grant = Grant.BROWSE
    what = "this list or analysis"
    _schema_directive = _directive(
        "browse", Grant.BROWSE, "Lists and analyses over many identities (PII masked by role)."
    )


class PersonalData(_Needs):
    """An identity's personal data: every role but an agent's sees it (masked by role); an
    agent only that of the identities it looked up in this request."""

    grant = Grant.BROWSE
    what = "the personal data of an identity it did not look up"
    _schema_directive = _directive(
        "personalData",
        Grant.BROWSE,
        "An identity's personal data, masked by role (readers: masked; analysts, admins: "
        "unmasked and audited; agents: email and phone unmasked and audited, the rest masked).",
        also="; agent, for the identities it looked up in the same request",
    )

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        """Browsing roles always; an agent for the identities it looked up."""
        context = info.context
        if context.caller.role.may(Grant.CALLER_PII) and str(source.id) in context.contacts:
            return True
        return super().has_permission(source, info, **kwargs)


class Analyse(_Needs):
    """Fraud review and campaign audiences."""

    grant = Grant.ANALYSE
    what = "fraud review and audiences"
    _schema_directive = _directive(
        "analyse", Grant.ANALYSE, "Fraud review and campaign audiences (PII unmasked, audited)."
    )


class Review(_Needs):
    """The review queue: near pairs side by side, and accepting or rejecting them."""

    grant = Grant.REVIEW
    what = "the review queue"
    _schema_directive = _directive(
        "review",
        Grant.REVIEW,
        "The review queue: pairs near the match threshold (PII unmasked, audited), and "
        "deciding them (a must-link or cannot-link assertion).",
    )


class Write(_Needs):
    """Every mutation."""

    grant = Grant.WRITE
    what = "a mutation"
    _schema_directive = _directive("write", Grant.WRITE, "Changes the graph.")


class ReadAudit(_Needs):
    """The log of who saw unmasked personal data."""

    grant = Grant.AUDIT
    what = "the PII audit log"
    _schema_directive = _directive(
        "readAudit", Grant.AUDIT, "The log of who saw unmasked personal data, and when."
    )
