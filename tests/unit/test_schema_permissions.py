"""Who may see what, read from the schema itself: every path from the root to personal data
and every mutation passes a permission class (api/permissions.py), and each role reaches only
the types it should. A new field that leaks fails here, not in review."""

from __future__ import annotations

import re
from collections.abc import Iterator

import strawberry
from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema, get_named_type
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types.field import StrawberryField

from c360graph.api.keys import Grant, Role
from c360graph.api.permissions import (
    PII_TYPES,
    PersonalData,
    SourceArgumentPermissionExtension,
    _Needs,
    permit,
)
from c360graph.api.records import Profile
from c360graph.api.schema import build_schema

# Scalars named like personal data: no role may reach one outside PII_TYPES.
PII_NAME = re.compile(r"e-?mail|phone|birth|address|line[12]|postcode|street|national", re.I)


def _permissions(field: GraphQLField) -> list[BasePermission]:
    definition = (field.extensions or {}).get("strawberry-definition")
    if not isinstance(definition, StrawberryField):
        return []
    return [
        permission
        for extension in definition.extensions
        if isinstance(extension, PermissionExtension)
        for permission in extension.permissions
    ]


def _fields(schema: GraphQLSchema) -> Iterator[tuple[GraphQLObjectType, str, GraphQLField]]:
    for named in schema.type_map.values():
        if isinstance(named, GraphQLObjectType) and not named.name.startswith("__"):
            for name, field in named.fields.items():
                yield named, name, field


def _pii_type(name: str) -> bool:
    """True for a PII type, and for the connections and edges of one."""
    return name.removesuffix("Connection").removesuffix("Edge") in PII_TYPES


def _holds_pii(field: GraphQLField) -> bool:
    return _pii_type(get_named_type(field.type).name)


def unguarded_handouts(schema: GraphQLSchema) -> list[str]:
    """Fields handing out personal data (a PII type, from a type that is not one) without a
    permission class to say who may have it."""
    return sorted(
        f"{parent.name}.{name}"
        for parent, name, field in _fields(schema)
        if not _pii_type(parent.name) and _holds_pii(field) and not _permissions(field)
    )


def unmasked_scalars(schema: GraphQLSchema, role: Role) -> list[str]:
    """Scalars named like personal data that `role` reaches on a type outside PII_TYPES,
    whose values therefore never pass the masker."""
    return sorted(
        f"{parent.name}.{name}"
        for parent, name, field in _fields(schema)
        if parent.name in reachable(schema, role)
        and not _pii_type(parent.name)
        and not isinstance(get_named_type(field.type), GraphQLObjectType)
        and PII_NAME.search(name)
    )


def reachable(schema: GraphQLSchema, role: Role) -> set[str]:
    """The object types a role's requests can get to (permissions it passes are followed)."""

    def passes(permission: BasePermission) -> bool:
        if isinstance(permission, PersonalData) and role.may(Grant.CALLER_PII):
            return True  # for the identities it looked up
        return isinstance(permission, _Needs) and role.may(permission.grant)

    assert schema.query_type is not None
    types, todo = set(), [schema.query_type]
    while todo:
        parent = todo.pop()
        if parent.name in types:
            continue
        types.add(parent.name)
        for field in parent.fields.values():
            target = get_named_type(field.type)
            if isinstance(target, GraphQLObjectType) and all(map(passes, _permissions(field))):
                todo.append(target)
    return types


SCHEMA = build_schema()._schema


def test_every_field_handing_out_personal_data_has_a_permission() -> None:
    assert unguarded_handouts(SCHEMA) == []


def test_no_role_reaches_personal_data_that_the_masker_does_not_see() -> None:
    for role in Role:
        assert unmasked_scalars(SCHEMA, role) == [], role


# Mutations analysts may make too: a review decision is an assertion, the reviewer's job.
REVIEW_MUTATIONS = {"decideReviewPair"}


def test_every_mutation_needs_the_write_grant_but_review_decisions_the_review_grant() -> None:
    assert SCHEMA.mutation_type is not None
    for name, field in SCHEMA.mutation_type.fields.items():
        grants = {p.grant for p in _permissions(field) if isinstance(p, _Needs)}
        assert grants == ({Grant.REVIEW} if name in REVIEW_MUTATIONS else {Grant.WRITE}), name


def test_only_analysts_and_admins_reach_the_review_queue() -> None:
    for role in Role:
        assert ("ReviewPair" in reachable(SCHEMA, role)) == role.may(Grant.REVIEW), role
    assert {role for role in Role if role.may(Grant.REVIEW)} == {Role.ANALYST, Role.ADMIN}


def test_every_permission_is_ours_and_shows_in_the_schema_as_a_directive() -> None:
    sdl = build_schema().as_str()
    guarded = [(t, n, f) for t, n, f in _fields(SCHEMA) if _permissions(f)]
    assert len(guarded) > 30
    for parent, name, field in guarded:
        definition = field.extensions["strawberry-definition"]
        assert all(
            type(e) is SourceArgumentPermissionExtension
            for e in definition.extensions
            if isinstance(e, PermissionExtension)
        ), f"{parent.name}.{name}: use permit() (see SourceArgumentPermissionExtension)"
        for permission in _permissions(field):
            assert isinstance(permission, _Needs), f"{parent.name}.{name}: {permission}"
            directive = permission.schema_directive.__strawberry_directive__.graphql_name  # type: ignore[attr-defined]
            assert re.search(rf"\b{name}\b[^\n]*@{directive}\b", sdl), f"{parent.name}.{name}"


def test_an_agent_reaches_one_callers_data_and_nothing_of_many() -> None:
    agent = reachable(SCHEMA, Role.AGENT)
    assert {"Identity", "Profile", "Record", "Identifier", "Order", "Consent"} <= agent
    bulk = {"FraudRing", "Household", "SharedIdentifier", "SegmentSummary", "Audience",
            "Explanation", "Hop", "RelatedIdentity", "PiiView", "ReviewPair"}  # fmt: skip
    assert agent & bulk == set()


def test_readers_reach_no_fraud_review_nor_the_audit_log_and_only_admins_read_it() -> None:
    reader = reachable(SCHEMA, Role.READER)
    assert {"Household", "SegmentSummary", "Explanation"} <= reader
    assert reader & {"FraudRing", "SharedIdentifier", "Audience", "PiiView"} == set()
    assert "PiiView" not in reachable(SCHEMA, Role.ANALYST)
    assert "PiiView" in reachable(SCHEMA, Role.ADMIN)


# -- the walk catches a leak (a schema made for the test) ---------------------------------


@strawberry.type
class _Customer:
    name: str
    contact_email: str  # personal data on a type outside PII_TYPES


@strawberry.type
class _Query:
    @strawberry.field
    def customer(self) -> _Customer:
        return _Customer(name="An", contact_email="an@example.vn")

    @strawberry.field(extensions=[permit(PersonalData)])
    def guarded(self) -> _Customer:
        return _Customer(name="An", contact_email="an@example.vn")

    @strawberry.field
    def profile(self) -> Profile:  # a PII type handed out unguarded
        raise NotImplementedError


@strawberry.type
class _Mutation:
    @strawberry.mutation
    def forget(self) -> bool:
        return True


def _schema(query: type, mutation: type | None = None) -> GraphQLSchema:
    return strawberry.Schema(query=query, mutation=mutation)._schema


def test_the_walk_finds_personal_data_outside_the_masked_types_and_unguarded_handouts() -> None:
    schema = _schema(_Query)
    assert unmasked_scalars(schema, Role.READER) == ["Customer.contactEmail"]
    assert unguarded_handouts(schema) == ["Query.profile"]


def test_a_mutation_without_a_permission_is_found() -> None:
    schema = _schema(_Query, _Mutation)
    assert schema.mutation_type is not None
    assert _permissions(schema.mutation_type.fields["forget"]) == []


# -- the workaround for Strawberry's `source` argument ------------------------------------


class _Anyone(BasePermission):
    def has_permission(self, source: object, info: strawberry.Info, **kwargs: object) -> bool:
        return True


def _ask_with_source(extension: PermissionExtension) -> list[str]:
    @strawberry.type
    class Query:
        @strawberry.field(extensions=[extension])
        def echo(self, source: str) -> str:
            return source

    result = strawberry.Schema(query=Query).execute_sync('{ echo(source: "crm") }')
    return [error.message for error in result.errors or []] or [str(result.data)]


def test_our_permission_extension_takes_a_field_argument_named_source() -> None:
    extension = SourceArgumentPermissionExtension([_Anyone()], use_directives=True)
    assert _ask_with_source(extension) == ["{'echo': 'crm'}"]


def test_strawberrys_permission_extension_still_fails_on_a_source_argument() -> None:
    # When this fails, Strawberry takes such arguments: permit() can use its own extension.
    [message] = _ask_with_source(PermissionExtension([_Anyone()]))
    assert "multiple values for argument 'source'" in message
