"""Fuzzing the running API: no request, generated from the schema or garbage, gets a 500.

Operations come from the checked-in schema.graphql (hypothesis-graphql, valid and with one
schema violation), their arguments mixing real ids, record keys, emails and forged cursors
from the module's graph with random and malformed values. Every answer must be JSON with a
pinned status, every error must carry a known code (never INTERNAL_SERVER_ERROR: each input
here is the client's fault), and no message may leak a stack trace, Cypher or a Python
exception class. Operations built over a limit must be refused with its code before they
run. Mutations are fuzzed last: they may wreck this module's data (the next module reloads).

Examples are derandomized, so a failure repeats; its draws (the operation, the role) and the
answer are printed.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

from c360graph.analyze.runner import analyze_fraud, analyze_households
from c360graph.analyze.segment_run import refresh_segments
from c360graph.analyze.settings import load_analyses_config
from c360graph.config import ApiSettings
from c360graph.db.graph import Graph
from tests.api.conftest import round_trips
from tests.helpers import cypher

SCHEMA = graphql.build_schema(
    (Path(__file__).resolve().parents[2] / "schema.graphql").read_text(encoding="utf-8")
)
LIMITS = ApiSettings()  # the server under test runs with the defaults
STATUSES = {200, 400, 401, 405}
CODE_OF_STATUS = {400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 405: "BAD_REQUEST"}
LIMIT_CODES = {"QUERY_TOO_DEEP", "TOO_MANY_ALIASES", "TOO_MANY_TOKENS", "QUERY_TOO_COSTLY"}
CLIENT_CODES = {  # never INTERNAL_SERVER_ERROR: that is a bug, however politely worded
    "BAD_REQUEST",
    "RESOLUTION_BUSY",
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "FORBIDDEN",
    "UNAUTHENTICATED",
    "GRAPHQL_VALIDATION_FAILED",
    *LIMIT_CODES,
}
LEAKS = re.compile(
    r"Traceback|File \"|\.py\", line|\.py:\d+|<class '|\bNeo\.\w+"
    r"|\b(?:OPTIONAL MATCH|MATCH|MERGE|RETURN|UNWIND|DETACH DELETE)\b"
    r"|\b[A-Z][A-Za-z0-9]*(?:Error|Exception)\b|\bServiceUnavailable\b|\bSessionExpired\b"
)
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ROLES = ["analyst", "analyst", "analyst", "reader", "agent", "admin", None, "bad"]
# Cursors are base64url JSON lists: the list's kind, then its sort values.
CURSOR_KINDS = {
    "OrderConnection": ["order"],
    "InteractionConnection": ["interaction"],
    "TimelineEntryConnection": ["timeline"],
    "RecordConnection": ["record"],
    "RelatedIdentityConnection": ["related"],
    "IdentityEventConnection": ["history"],
    "NoteConnection": ["note"],
    "SearchHitConnection": ["search"],
    "FraudRingConnection": ["ring"],
    "SharedIdentifierConnection": ["shared"],
    "PiiViewConnection": ["pii_view"],
    "IdentityConnection": ["at_risk", "member", "ring_member"],
}
TRICKY = [
    "",
    " ",
    "\t\n",
    "' OR 1=1 --",
    '"}) MATCH (n) DETACH DELETE n //',
    "$x",
    "{{x}}",
    "%s%n",
    "\u202e\u0000\ufeff",
    "mailto:",
    "@",
    "+",
    "+44",
    "00000000000000000000",
    "😀" * 50,
    "NaN",
    "1e999",
    "crm:",
    ":",
]
JSON_KEYS = [
    "source_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "date_of_birth",
    "created_at",
    "order_id",
    "customer_id",
    "amount",
    "currency",
    "ordered_at",
    "device_id",
    "city",
    "postcode",
]


@dataclass(frozen=True)
class Sent:
    """One request as sent, to print and to tell echoed input from leaked internals."""

    method: str
    role: str | None
    query: str | None
    variables: Any = None
    headers: dict[str, str] | None = None
    body: bytes | None = None

    def text(self) -> str:
        """Everything the client sent, as text."""
        raw = (self.body or b"").decode("utf-8", "replace")
        return f"{self.query or ''}\n{json.dumps(self.variables)}\n{raw}"


class Strategies:
    """Strategies of operations, their arguments mixing in real values of the graph."""

    def __init__(self, scalars: dict[str, st.SearchStrategy[graphql.ValueNode]], ids: list[str]):
        # One root field per operation: a failing non-null root field nulls the whole answer,
        # and the errors of its siblings may never be seen.
        roots = SCHEMA.query_type.fields if SCHEMA.query_type else {}
        writes = SCHEMA.mutation_type.fields if SCHEMA.mutation_type else {}
        self.queries = st.one_of(
            *(queries(SCHEMA, fields=[name], custom_scalars=scalars) for name in sorted(roots))
        )
        self.invalid_queries = queries(SCHEMA, custom_scalars=scalars, mode=Mode.NEGATIVE)
        self.mutations = st.one_of(
            *(mutations(SCHEMA, fields=[name], custom_scalars=scalars) for name in sorted(writes))
        )
        self.invalid_mutations = mutations(SCHEMA, custom_scalars=scalars, mode=Mode.NEGATIVE)
        self.identity_ids = ids

    def __repr__(self) -> str:
        return f"Strategies({len(self.identity_ids)} identities)"


# ---------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_graph(api_data: Graph) -> Graph:
    """The sample with households, fraud rings and segments computed, so lists have items."""
    config = load_analyses_config()
    analyze_households(api_data, config)
    analyze_fraud(api_data, config)
    refresh_segments(api_data, config, full=True)
    return api_data


@pytest.fixture(scope="module")
def strategies(fuzz_graph: Graph) -> Strategies:
    """Operation strategies whose String and ID arguments mix in the graph's real values."""
    rows = cypher(
        fuzz_graph,
        "MATCH (c:Customer)-[:RESOLVES_TO]->(i:Identity) "
        "OPTIONAL MATCH (c)-[:HAS_EMAIL]->(e:Email) OPTIONAL MATCH (c)-[:HAS_PHONE]->(p:Phone) "
        "OPTIONAL MATCH (c)-[:PLACED]->(o:Order) "
        "RETURN i.id AS id, c.source AS source, c.source_id AS source_id, "
        "c.first_name AS first, c.last_name AS last, c.city AS city, e.address AS email, "
        "p.e164 AS phone, o.channel AS channel, o.status AS status "
        "ORDER BY c.key LIMIT 60",
    )
    ids = sorted({r["id"] for r in rows})
    real = sorted({str(v) for r in rows for v in r.values() if v})
    strings = _weighted(
        (st.sampled_from(real), 3),
        (_cursors(), 3),
        (st.text(max_size=30), 2),
        (st.sampled_from(TRICKY), 1),
        (st.integers(1_000, 20_000).map(lambda n: "x" * n), 1),
    )
    scalars: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
        "String": strings.map(nodes.String),
        "ID": _weighted((st.sampled_from(ids), 3), (strings, 1)).map(nodes.String),
        "Int": _ints().map(nodes.Int),
        "Float": _floats().map(nodes.Float),
        "Boolean": st.sampled_from([False, False, False, True]).map(nodes.Boolean),
        "DateTime": _datetimes(),
        "JSON": _json_nodes(strings),
    }
    return Strategies(scalars, ids)


@pytest.fixture(scope="module")
def http(api_url: str, api_keys: tuple[Path, dict[str, str]]) -> Iterator[Callable[[Sent], Any]]:
    """Send a request to the running server; check and return its JSON body."""
    with httpx.Client(base_url=api_url, timeout=60) as client:

        def send(sent: Sent) -> Any:
            headers = dict(sent.headers or {})
            if sent.role == "bad":
                headers["Authorization"] = "Bearer c360_not-a-real-key"
            elif sent.role is not None:
                headers["Authorization"] = f"Bearer {api_keys[1][sent.role]}"
            if sent.body is not None:
                response = client.request(
                    sent.method, "/graphql", content=sent.body, headers=headers
                )
            elif sent.method == "GET":
                params = {"query": sent.query or ""}
                if sent.variables is not None:
                    params["variables"] = json.dumps(sent.variables)
                response = client.get("/graphql", params=params, headers=headers)
            else:
                payload = {"query": sent.query, "variables": sent.variables}
                response = client.post("/graphql", json=payload, headers=headers)
            return _checked(response, sent)

        yield send


# ---------------------------------------------------------------------------------------
# What every answer must be
# ---------------------------------------------------------------------------------------


def _checked(response: httpx.Response, sent: Sent) -> Any:
    """The body of a well-behaved answer; fails, printing the request, otherwise."""
    where = f"{str(sent)[:3000]}\n-> HTTP {response.status_code}: {response.text[:2000]}"
    assert response.status_code in STATUSES, where
    try:
        body = response.json()
    except ValueError:
        pytest.fail(f"the answer is not JSON: {where}")
    assert isinstance(body, dict) and ("data" in body or body.get("errors")), where
    errors = body.get("errors") or []
    codes = [str((e.get("extensions") or {}).get("code")) for e in errors]
    assert set(codes) <= CLIENT_CODES, where
    if response.status_code != 200:
        assert codes == [CODE_OF_STATUS[response.status_code]], where
    if sent.role in (None, "bad"):
        assert response.status_code == 401, where
    said = json.dumps(errors, ensure_ascii=False)
    leaks = [m for m in LEAKS.findall(said) if m not in sent.text()]
    assert not leaks, f"leaked {leaks}: {where}"
    if LIMIT_CODES & set(codes):
        assert body.get("data") is None, f"refused but ran: {where}"
    ran = any(v is not None for v in (body.get("data") or {}).values())
    event(f"HTTP {response.status_code} {sorted(set(codes))}{' with data' if ran else ''}")
    return body


def _codes(body: Any) -> set[str]:
    return {e["extensions"]["code"] for e in body.get("errors") or []}


def _min_cost(selection_set: graphql.SelectionSetNode | None) -> int:
    """A lower bound of the documented cost: the product of page sizes along one path."""
    if selection_set is None:
        return 1
    best = 1
    for node in selection_set.selections:
        if isinstance(node, graphql.FieldNode | graphql.InlineFragmentNode):
            below = _min_cost(node.selection_set)
            page = 1
            if isinstance(node, graphql.FieldNode) and node.selection_set is not None:
                names = {s.name.value for s in node.selection_set.selections if hasattr(s, "name")}
                if "edges" in names:
                    page = LIMITS.page_size
                    for arg in node.arguments or ():
                        if arg.name.value == "first" and isinstance(
                            arg.value, graphql.IntValueNode
                        ):
                            page = max(int(arg.value.value), 1)
            best = max(best, page * below)
    return best


# ---------------------------------------------------------------------------------------
# Argument values
# ---------------------------------------------------------------------------------------


def _weighted(*choices: tuple[st.SearchStrategy[Any], int]) -> st.SearchStrategy[Any]:
    """One of the strategies, each drawn about as often as its weight says."""
    return st.one_of(*(strategy for strategy, weight in choices for _ in range(weight)))


def _cursor(kind: str, values: list[Any]) -> str:
    raw = json.dumps([kind, *values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _json_values() -> st.SearchStrategy[Any]:
    scalar = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20),
        st.sampled_from(["2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00", "2024-13-45", ""]),
    )
    return st.recursive(
        scalar,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=8,
    )


def _cursors(kinds: list[str] | None = None) -> st.SearchStrategy[str]:
    """Forged cursors: a kind of list (by default any) with sort values of any shape."""
    kind = st.sampled_from(kinds or sorted({k for ks in CURSOR_KINDS.values() for k in ks}))
    return st.one_of(
        st.builds(_cursor, kind, st.lists(_json_values(), min_size=1, max_size=3)),
        st.builds(lambda s: base64.urlsafe_b64encode(s).decode(), st.binary(max_size=30)),
    )


def _forge_cursors(query: str, draw: Callable[[st.SearchStrategy[Any]], Any]) -> str:
    """The query with every `after` replaced by a cursor forged for that very list."""
    type_info = graphql.TypeInfo(SCHEMA)

    class Forge(graphql.Visitor):
        def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> Any:
            if node.name.value != "after":
                return None
            kinds = CURSOR_KINDS.get(_named(type_info.get_type()).name)
            value = graphql.StringValueNode(value=draw(_cursors(kinds)))
            return graphql.ArgumentNode(name=node.name, value=value)

    document = graphql.visit(graphql.parse(query), graphql.TypeInfoVisitor(type_info, Forge()))
    return graphql.print_ast(document)


def _ints() -> st.SearchStrategy[int]:
    edges = [-(2**31), -1, 0, 1, LIMITS.max_page_size, LIMITS.max_page_size + 1, 2**31 - 1]
    return _weighted(
        (st.integers(0, 25), 6), (st.sampled_from(edges), 1), (st.integers(-(2**31), 2**31 - 1), 1)
    )


def _floats() -> st.SearchStrategy[float]:
    edges = [-0.0, -1.0, 1.0000001, 1e308, 5e-324, -1e308]
    return _weighted(
        (st.floats(0, 1), 6),
        (st.sampled_from(edges), 1),
        (st.floats(allow_nan=False, allow_infinity=False), 1),
    )


def _datetimes() -> st.SearchStrategy[graphql.ValueNode]:
    """Valid ISO date-times (naive or with an offset), dates, and malformed values."""
    valid = st.one_of(
        st.datetimes().map(lambda d: d.isoformat()),
        st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
        st.dates().map(lambda d: d.isoformat()),
        st.sampled_from(["2024-01-01T00:00:00Z", "0001-01-01T00:00:00", "9999-12-31T23:59:59"]),
    )
    invalid = st.one_of(
        st.text(max_size=25),
        st.sampled_from(["2024-13-01", "2024-02-30T00:00:00", "24:00", "yesterday", "1e9"]),
    )
    return _weighted(
        (valid.map(nodes.String), 12),
        (invalid.map(nodes.String), 1),
        (st.integers(-(2**31), 2**31 - 1).map(nodes.Int), 1),
        (st.booleans().map(nodes.Boolean), 1),
    )


def _json_nodes(strings: st.SearchStrategy[str]) -> st.SearchStrategy[graphql.ValueNode]:
    """JSON literals: record-like objects with valid and bad values, and anything else."""
    names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
    leaf = st.one_of(
        strings.map(nodes.String),
        st.integers(-(2**31), 2**31 - 1).map(nodes.Int),
        st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
        st.booleans().map(nodes.Boolean),
        st.just(nodes.Null),
    )

    def fields(keys: st.SearchStrategy[str], values: Any) -> Any:
        pairs = st.lists(st.tuples(keys, values), max_size=6, unique_by=lambda p: p[0])
        return pairs.map(
            lambda ps: nodes.Object(
                [graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=v) for k, v in ps]
            )
        )

    anything = st.recursive(
        leaf,
        lambda inner: st.lists(inner, max_size=3).map(nodes.List) | fields(names, inner),
        max_leaves=6,
    )
    return st.one_of(fields(st.sampled_from(JSON_KEYS), leaf), anything)


# ---------------------------------------------------------------------------------------
# Operations over a limit, built from the schema
# ---------------------------------------------------------------------------------------


def _named(type_: Any) -> Any:
    while isinstance(type_, graphql.GraphQLWrappingType):
        type_ = type_.of_type
    return type_


def _objects() -> dict[str, graphql.GraphQLObjectType]:
    return {
        name: t
        for name, t in SCHEMA.type_map.items()
        if isinstance(t, graphql.GraphQLObjectType) and not name.startswith("__")
    }


def _endless() -> dict[str, list[str]]:
    """Per object type, its fields into types from which paths go on without end."""
    objects = _objects()
    alive = set(objects)
    while True:
        kept = {
            n
            for n in alive
            if any(_named(f.type).name in alive for f in objects[n].fields.values())
        }
        if kept == alive:
            break
        alive = kept
    return {
        n: sorted(f for f, field in objects[n].fields.items() if _named(field.type).name in alive)
        for n in sorted(alive)
    }


def _literal(type_: Any, ids: list[str]) -> str:
    named = _named(type_)
    if isinstance(named, graphql.GraphQLEnumType):
        return str(next(iter(named.values)))
    if isinstance(named, graphql.GraphQLInputObjectType):
        inner = ", ".join(
            f"{n}: {_literal(f.type, ids)}"
            for n, f in named.fields.items()
            if graphql.is_required_input_field(f)
        )
        return "{" + inner + "}"
    return {"Int": "1", "Float": "0.5", "Boolean": "false", "JSON": "{}"}.get(
        named.name, json.dumps(ids[0])
    )


def _call(name: str, field: graphql.GraphQLField, ids: list[str], **given: str) -> str:
    """The field with its required arguments (and `given` ones) as literals."""
    args = {
        n: _literal(a.type, ids) for n, a in field.args.items() if graphql.is_required_argument(a)
    }
    args.update({k: v for k, v in given.items() if k in field.args})
    return name + ("(" + ", ".join(f"{k}: {v}" for k, v in args.items()) + ")" if args else "")


@st.composite
def _too_deep(draw: st.DrawFn, ids: list[str]) -> tuple[str, dict[str, Any], str]:
    """A chain of fields, walked through the schema, deeper than the depth limit."""
    levels = draw(st.integers(LIMITS.max_depth + 1, LIMITS.max_depth + 25))
    if draw(st.booleans()):
        # Introspection nests too: __Type.fields.type.fields... fans out at every level.
        chain = "{ __schema { types { " + "fields { type { " * (levels // 2)
        return chain + "name" + " } }" * (levels // 2) + " } } }", {}, "QUERY_TOO_DEEP"
    endless, objects = _endless(), _objects()
    type_name, parts = "Query", []
    for _ in range(levels):
        name = draw(st.sampled_from(endless[type_name]))
        field = objects[type_name].fields[name]
        parts.append(_call(name, field, ids, first="1"))
        type_name = _named(field.type).name
    return (
        "{ " + "".join(p + " { " for p in parts) + "__typename" + " }" * len(parts) + " }",
        {},
        ("QUERY_TOO_DEEP"),
    )


@st.composite
def _too_many_aliases(draw: st.DrawFn, ids: list[str]) -> tuple[str, dict[str, Any], str]:
    """More aliased root fields than allowed (queries, or admin notes that must not land)."""
    count = draw(st.integers(LIMITS.max_aliases + 1, LIMITS.max_aliases + 40))
    if draw(st.booleans()):
        text = json.dumps("fuzzed: must never be written")
        notes = [
            f"n{i}: addNote(identityId: {json.dumps(ids[i % len(ids)])}, text: {text}) {{ id }}"
            for i in range(count)
        ]
        return "mutation { " + " ".join(notes) + " }", {}, "TOO_MANY_ALIASES"
    roots = SCHEMA.query_type.fields if SCHEMA.query_type else {}
    names = draw(st.lists(st.sampled_from(sorted(roots)), min_size=count, max_size=count))
    fields = []
    for i, name in enumerate(names):
        leaf = isinstance(_named(roots[name].type), graphql.GraphQLScalarType)
        fields.append(
            f"a{i}: {_call(name, roots[name], ids)}" + ("" if leaf else " { __typename }")
        )
    return "{ " + " ".join(fields) + " }", {}, "TOO_MANY_ALIASES"


@st.composite
def _too_many_tokens(draw: st.DrawFn, ids: list[str]) -> tuple[str, dict[str, Any], str]:
    """A small query padded past the token limit with fields or list items."""
    extra = draw(st.integers(LIMITS.max_tokens, LIMITS.max_tokens + 3000))
    if draw(st.booleans()):
        pad = "__typename " * extra
        return f"{{ {pad} identity(id: {json.dumps(ids[0])}) {{ id }} }}", {}, "TOO_MANY_TOKENS"
    kinds = ", ".join(["ORDER"] * extra)
    query = (
        f"{{ identity(id: {json.dumps(ids[0])}) {{ timeline(kinds: [{kinds}]) "
        "{ edges { cursor } } } }"
    )
    return query, {}, "TOO_MANY_TOKENS"


Step = tuple[str, str, bool]  # a field, the type it leads to (a connection's node), connection?


def _steps() -> dict[str, list[Step]]:
    """Per object type, the object fields out of it; a connection leads to its node type."""
    objects = _objects()
    steps: dict[str, list[Step]] = {}
    for name, type_ in objects.items():
        for field_name, field in type_.fields.items():
            target = _named(field.type)
            if target.name not in objects:
                continue
            edges = target.fields.get("edges")
            node = _named(_named(edges.type).fields["node"].type).name if edges else None
            steps.setdefault(name, []).append((field_name, node or target.name, bool(node)))
    return steps


def _ways(steps: dict[str, list[Step]], type_name: str, left: int, plain: bool) -> list[Step]:
    """The steps from a type that can still place `left` connections (one plain hop at most)."""
    return [
        (name, target, connection)
        for name, target, connection in steps.get(type_name, [])
        if (connection and (left == 1 or _ways(steps, target, left - 1, True)))
        or (not connection and plain and _ways(steps, target, left, False))
    ]


@st.composite
def _too_costly(draw: st.DrawFn, ids: list[str]) -> tuple[str, dict[str, Any], str]:
    """Nested connections whose page sizes multiply past the cost limit, within the depth."""
    steps, objects = _steps(), _objects()
    left = draw(st.integers(2, 3))
    smallest = {2: 224, 3: 37}[left]  # 224² and 37³ just pass 50,000
    type_name, opened, closing, plain = "Query", [], [], True
    variables: dict[str, Any] = {}
    while left:
        field_name, next_type, is_connection = draw(
            st.sampled_from(_ways(steps, type_name, left, plain))
        )
        field = objects[type_name].fields[field_name]
        if is_connection:
            first = draw(st.integers(smallest, LIMITS.max_page_size))
            if draw(st.booleans()):
                variables[f"n{left}"] = first
                call = _call(field_name, field, ids, first=f"$n{left}")
            else:
                call = _call(field_name, field, ids, first=str(first))
            opened.append(f"{call} {{ edges {{ node {{ ")
            closing.append(" } } }")
            left -= 1
        else:
            opened.append(f"{_call(field_name, field, ids)} {{ ")
            closing.append(" }")
        plain = is_connection
        type_name = next_type
    declared = ", ".join(f"${name}: Int" for name in variables)
    head = f"query({declared}) " if variables else ""
    query = head + "{ " + "".join(opened) + "__typename" + "".join(reversed(closing)) + " }"
    return query, variables, "QUERY_TOO_COSTLY"


# ---------------------------------------------------------------------------------------
# Malformed requests
# ---------------------------------------------------------------------------------------

VALID = "{ __typename }"
TEMPLATES = {  # one variable of each kind of input type the schema has
    "ID!": "query($v: ID!) { identity(id: $v) { id } }",
    "String": "query($v: String) { searchIdentities(name: $v) { edges { cursor } } }",
    "Int": 'query($v: Int) { searchIdentities(name: "ann", first: $v) { edges { cursor } } }',
    "Float!": "query($v: Float!) { atRiskCustomers(minRisk: $v) { edges { cursor } } }",
    "DateTime": 'query($v: DateTime) { identity(id: "x") { orders(since: $v) { edges { cursor } } } }',
    "[TimelineKind!]": 'query($v: [TimelineKind!]) { identity(id: "x") { timeline(kinds: $v) '
    "{ edges { cursor } } } }",
    "RecordRef!": 'query($v: RecordRef!) { identity(id: "x") { explain(record: $v) { same } } }',
    "[JSON!]!": 'mutation($v: [JSON!]!) { ingestRecords(source: "fuzz", kind: CUSTOMERS, '
    "records: $v) { read } }",
    "Boolean!": "mutation($v: Boolean!) { resolve(full: $v) { mode } }",
}


JSON_TYPE = {"Content-Type": "application/json"}
CONTENT_TYPES = [
    "text/plain",
    "application/graphql",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json; charset=latin-1",
    "application/jsonx",
    "",
]


def _post(body: Any, headers: dict[str, str] = JSON_TYPE) -> Sent:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Sent("POST", None, None, headers=headers, body=raw)


def _huge(size: int, shape: str) -> Sent:
    if shape == "tokens":
        return _post({"query": "{ " + "__typename " * (size // 11) + "}"})
    if shape == "comment":
        return _post({"query": "#" + "x" * size + "\n" + VALID})
    return _post({"query": VALID, "variables": {"x": "x" * size}})


def _deep_json(depth: int, inside: bool) -> Sent:
    nested = "[" * depth + "]" * depth
    if inside:
        return _post(('{"query": "{ __typename }", "variables": {"x": ' + nested + "}}").encode())
    return _post(nested.encode())


def _get(query: str, variables: Any, accept: str) -> Sent:
    return Sent("GET", None, query, variables, headers={"Accept": accept})


def _operation_name(name: Any) -> Sent:
    query = "query A { __typename } query B { __typename } fragment F on Query { __typename }"
    return _post({"query": query, "operationName": name})


MALFORMED: dict[str, st.SearchStrategy[Sent]] = {
    "unreadable JSON": (st.binary(max_size=100) | st.text(max_size=60).map(str.encode)).map(
        lambda raw: _post(raw + b"{")
    ),
    "JSON not an object": _json_values().filter(lambda v: not isinstance(v, dict)).map(_post),
    "member of a wrong type": st.builds(
        lambda member, value: _post({"query": VALID, member: value}),
        st.sampled_from(["query", "variables", "operationName", "extensions"]),
        _json_values().filter(lambda v: not isinstance(v, str | dict)),
    ),
    "content type": st.builds(
        lambda body, kind: _post(body, {"Content-Type": kind}),
        st.sampled_from([json.dumps({"query": VALID}).encode(), b"query=%7B__typename%7D"]),
        st.sampled_from(CONTENT_TYPES),
    ),
    "huge body": st.builds(
        _huge, st.sampled_from([1_000_000, 3_000_000]), st.sampled_from(["tokens", "comment", "x"])
    ),
    "deeply nested JSON": st.builds(_deep_json, st.sampled_from([2_000, 100_000]), st.booleans()),
    "GET": st.builds(
        _get,
        st.sampled_from([VALID, "mutation { resolve { mode } }", "{ identity(id: ", "", "query"])
        | st.text(max_size=40),
        st.none() | _json_values(),
        st.sampled_from(["application/json", "*/*", "", "text/plain"]),
    ),
    "variable of a wrong type": st.builds(
        lambda query, variables: Sent("POST", None, query, variables),
        st.sampled_from(sorted(TEMPLATES.values())),
        st.builds(lambda name, value: {name: value}, st.sampled_from(["v", "w"]), _json_values())
        | st.just({}),
    ),
    "operation name": st.builds(
        _operation_name, st.sampled_from([None, "C", "F", "", "A B"]) | st.text(max_size=10)
    ),
    "method": st.sampled_from(["PUT", "PATCH", "DELETE", "OPTIONS"]).map(
        lambda method: Sent(method, None, None, headers=JSON_TYPE, body=b'{"query": "{ a }"}')
    ),
}


# ---------------------------------------------------------------------------------------
# The tests (mutations last: they may wreck this module's data)
# ---------------------------------------------------------------------------------------


@settings(FUZZ, max_examples=150)
@given(data=st.data())
def test_generated_queries_never_fail_or_leak_and_costly_ones_are_refused(
    data: st.DataObject, strategies: Strategies, http: Callable[[Sent], Any]
) -> None:
    valid = data.draw(st.sampled_from([True, True, True, False]), label="valid")
    query = data.draw(strategies.queries if valid else strategies.invalid_queries, label="query")
    if valid and data.draw(st.booleans(), label="forge cursors"):
        query = _forge_cursors(query, data.draw)
        note(f"with forged cursors: {query}")
    role = data.draw(st.sampled_from(ROLES), label="role")
    method = data.draw(st.sampled_from(["POST", "POST", "GET"]), label="method")
    if method == "GET" and len(query) > 4000:
        method = "POST"  # a URL that long is refused by the HTTP server, before the app
    body = http(Sent(method, role, query))
    if role in (None, "bad") or not valid:
        return
    invalid_literal = "GRAPHQL_VALIDATION_FAILED" in _codes(body)  # a bad DateTime, say
    operation = graphql.parse(query).definitions[0]
    assert isinstance(operation, graphql.OperationDefinitionNode)
    if _min_cost(operation.selection_set) > LIMITS.max_cost and not invalid_literal:
        assert "QUERY_TOO_COSTLY" in _codes(body), f"{query}\n{body}"


OVER_LIMIT = {
    "depth": _too_deep,
    "aliases": _too_many_aliases,
    "tokens": _too_many_tokens,
    "cost": _too_costly,
}


@pytest.mark.parametrize("limit", sorted(OVER_LIMIT))
@settings(FUZZ, max_examples=10)
@given(data=st.data())
def test_operations_over_a_limit_are_refused_with_its_code_before_they_run(
    limit: str,
    data: st.DataObject,
    strategies: Strategies,
    http: Callable[[Sent], Any],
    api_url: str,
) -> None:
    build = OVER_LIMIT[limit]
    query, variables, code = data.draw(build(strategies.identity_ids), label="operation")
    role = data.draw(st.sampled_from(["analyst", "reader", "admin"]), label="role")
    before = round_trips(api_url)
    body = http(Sent("POST", role, query, variables or None))
    assert code in _codes(body) and _codes(body) <= LIMIT_CODES, f"{query}\n{body}"
    assert round_trips(api_url) == before, f"a refused operation reached the graph: {query}"


@pytest.mark.parametrize("kind", sorted(MALFORMED))
@settings(FUZZ, max_examples=6)
@given(data=st.data())
def test_malformed_requests_get_a_coded_json_error_never_a_500(
    kind: str, data: st.DataObject, fuzz_graph: Graph, http: Callable[[Sent], Any]
) -> None:
    sent = data.draw(MALFORMED[kind], label="request")
    role = data.draw(st.sampled_from(["analyst", "analyst", "reader", "admin", None]), label="role")
    http(replace(sent, role=role))


def _size(graph: Graph) -> tuple[int, int]:
    rows = cypher(
        graph,
        "MATCH (n) WITH count(n) AS nodes OPTIONAL MATCH ()-[r]->() "
        "RETURN nodes, count(r) AS relationships",
    )
    return rows[0]["nodes"], rows[0]["relationships"]


@settings(FUZZ, max_examples=50)
@given(data=st.data())
def test_generated_mutations_never_fail_or_leak_and_only_admins_write(
    data: st.DataObject, strategies: Strategies, http: Callable[[Sent], Any], fuzz_graph: Graph
) -> None:
    valid = data.draw(st.sampled_from([True, True, True, False]), label="valid")
    mutation = data.draw(
        strategies.mutations if valid else strategies.invalid_mutations, label="mutation"
    )
    role = data.draw(
        st.sampled_from(["admin", "admin", "admin", "analyst", "reader"]), label="role"
    )
    method = data.draw(st.sampled_from(["POST"] * 5 + ["GET"]), label="method")
    if method == "GET" and len(mutation) > 4000:
        method = "POST"
    may_write = role == "admin" and method == "POST"
    before = None if may_write else _size(fuzz_graph)
    body = http(Sent(method, role, mutation))
    if not may_write:
        assert not any((body.get("data") or {}).values()), f"{mutation}\n{body}"
        assert _size(fuzz_graph) == before, f"a refused mutation wrote: {mutation}"
