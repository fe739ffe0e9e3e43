"""Who may do what, what readers see, and how much one request may ask for."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gql.transport.exceptions import TransportQueryError

from c360graph.db.graph import Graph
from tests.api.conftest import Run, error_codes
from tests.helpers import cypher, engine_server, serving

PII = (
    "query($id: ID!) { identity(id: $id) { profile { email { value } phone { value } "
    "dateOfBirth { value } address { line1 postcode city } } emails { value } phones { value } "
    "records { edges { node { emails phones dateOfBirth addressLine1 postcode } } } } }"
)


def _person_with_pii(graph: Graph) -> str:
    return cypher(
        graph,
        "MATCH (i:Identity) WHERE i.email IS NOT NULL AND i.phone IS NOT NULL "
        "AND i.date_of_birth IS NOT NULL AND i.address_line1 IS NOT NULL "
        "RETURN i.id AS id ORDER BY i.id LIMIT 1",
    )[0]["id"]


def test_requests_without_a_valid_key_are_refused_with_401(api_url: str) -> None:
    for headers in ({}, {"Authorization": "Bearer c360_not-a-real-key"}):
        response = httpx.post(
            f"{api_url}/graphql", json={"query": "{ __typename }"}, headers=headers
        )
        assert response.status_code == 401
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "UNAUTHENTICATED" and "c360 keys" in error["message"]


def test_a_key_also_works_as_x_api_key(
    api_url: str, api_keys: tuple[object, dict[str, str]]
) -> None:
    response = httpx.post(
        f"{api_url}/graphql",
        json={"query": "{ __typename }"},
        headers={"X-API-Key": api_keys[1]["reader"]},
    )
    assert response.status_code == 200 and response.json() == {"data": {"__typename": "Query"}}


def test_readers_see_masked_pii_and_analysts_see_it_whole(
    api_data: Graph, reader: Run, analyst: Run
) -> None:
    identity = _person_with_pii(api_data)
    whole, masked = analyst(PII, id=identity)["identity"], reader(PII, id=identity)["identity"]
    assert (
        "@" in whole["profile"]["email"]["value"]
        and "***@" not in whole["profile"]["email"]["value"]
    )
    email = masked["profile"]["email"]["value"]
    assert email.startswith(whole["profile"]["email"]["value"][0]) and "***@" in email
    assert masked["profile"]["phone"]["value"].endswith(whole["profile"]["phone"]["value"][-2:])
    assert "*" in masked["profile"]["phone"]["value"]
    assert (
        masked["profile"]["dateOfBirth"]["value"]
        == whole["profile"]["dateOfBirth"]["value"][:4] + "-**-**"
    )
    assert masked["profile"]["address"]["line1"] == "***"
    assert masked["profile"]["address"]["city"] == whole["profile"]["address"]["city"]
    text = repr(masked)
    for email in whole["emails"]:
        assert email["value"] not in text
    for phone in whole["phones"]:
        assert phone["value"] not in text
    for edge in masked["records"]["edges"]:
        node = edge["node"]
        assert all("***@" in e for e in node["emails"])
        assert node["addressLine1"] in (None, "***") and node["postcode"] in (None, "***")


def test_readers_and_analysts_cannot_mutate(api_data: Graph, reader: Run, analyst: Run) -> None:
    identity = _person_with_pii(api_data)
    for run in (reader, analyst):
        with pytest.raises(TransportQueryError) as excinfo:
            run('mutation($id: ID!) { addNote(identityId: $id, text: "hi") { id } }', id=identity)
        assert error_codes(excinfo) == ["FORBIDDEN"]
        assert "admin" in excinfo.value.errors[0]["message"]


def test_too_deep_queries_are_refused_before_running(api_data: Graph, analyst: Run) -> None:
    deep = (
        '{ identity(id: "x") { '
        + "records { edges { node { identity { " * 4
        + "id"
        + " } } } }" * 4
        + " } }"
    )
    with pytest.raises(TransportQueryError) as excinfo:
        analyst(deep)
    assert error_codes(excinfo) == ["QUERY_TOO_DEEP"]


def test_too_many_aliases_are_refused(api_data: Graph, analyst: Run) -> None:
    aliases = " ".join(f'a{i}: identity(id: "x{i}") {{ id }}' for i in range(40))
    with pytest.raises(TransportQueryError) as excinfo:
        analyst("{ " + aliases + " }")
    assert error_codes(excinfo) == ["TOO_MANY_ALIASES"]


def test_too_many_tokens_are_refused(api_data: Graph, analyst: Run) -> None:
    fields = " ".join(["id"] * 6000)
    with pytest.raises(TransportQueryError) as excinfo:
        analyst('{ identity(id: "x") { ' + fields + " } }")
    assert error_codes(excinfo) == ["TOO_MANY_TOKENS"]


def test_too_costly_queries_are_refused_and_the_message_says_how_to_fix_it(
    api_data: Graph, analyst: Run
) -> None:
    query = (
        'query($n: Int) { identity(id: "x") { records(first: $n) { edges { node { '
        "orders(first: $n) { edges { node { key channel { name } } } } } } } } }"
    )
    with pytest.raises(TransportQueryError) as excinfo:
        analyst(query, n=400)
    assert error_codes(excinfo) == ["QUERY_TOO_COSTLY"]
    assert "first" in excinfo.value.errors[0]["message"]
    assert analyst(query, n=5) == {"identity": None}


def test_page_size_and_cursors_are_checked(api_data: Graph, analyst: Run) -> None:
    identity = _person_with_pii(api_data)
    for arguments in ("first: 501", 'after: "bm90LWEtY3Vyc29y"', "first: -1"):
        with pytest.raises(TransportQueryError) as excinfo:
            analyst(
                f'{{ identity(id: "{identity}") {{ orders({arguments}) {{ edges {{ cursor }} }} }} }}'
            )
        assert error_codes(excinfo) == ["BAD_USER_INPUT"], arguments


def test_a_cursor_from_another_list_is_refused(api_data: Graph, analyst: Run) -> None:
    identity = _person_with_pii(api_data)
    records = analyst(
        "query($id: ID!) { identity(id: $id) { records(first: 1) { pageInfo { endCursor } } } }",
        id=identity,
    )["identity"]["records"]["pageInfo"]["endCursor"]
    with pytest.raises(TransportQueryError) as excinfo:
        analyst(
            "query($id: ID!, $c: String) { identity(id: $id) { orders(after: $c) { edges { cursor } } } }",
            id=identity,
            c=records,
        )
    assert error_codes(excinfo) == ["BAD_USER_INPUT"]


def test_errors_carry_codes_and_no_stack_traces(
    api_url: str, api_keys: tuple[object, dict[str, str]]
) -> None:
    headers = {"Authorization": f"Bearer {api_keys[1]['analyst']}"}
    for body in (
        {"query": "{ identity(id: 1) { nope } }"},
        {"query": "{ identity(id: "},
        {"query": '{ searchIdentities(name: "ann", after: "!!") { edges { cursor } } }'},
    ):
        response = httpx.post(f"{api_url}/graphql", json=body, headers=headers)
        payload = response.json()
        assert payload["errors"] and all(e["extensions"]["code"] for e in payload["errors"])
        assert "Traceback" not in response.text and "MATCH" not in response.text


def test_health_readiness_and_metrics_answer(api_url: str) -> None:
    assert httpx.get(f"{api_url}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{api_url}/readyz").json() == {"status": "ready"}
    text = httpx.get(f"{api_url}/metrics").text
    for metric in (
        "c360_http_requests_total",
        "c360_http_request_seconds_bucket",
        "c360_db_round_trips_total",
    ):
        assert metric in text


def test_graphiql_page_is_served_without_a_key_and_loads_nothing_from_the_internet(
    api_url: str,
) -> None:
    page = httpx.get(f"{api_url}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "GraphiQL" in page.text
    assert "https://" not in page.text and "http://" not in page.text
    script = httpx.get(f"{api_url}/static/vendor/graphiql.min.js")
    assert script.status_code == 200 and len(script.content) > 100_000


def test_an_oversized_body_is_refused_with_413_whether_or_not_it_declares_its_length(
    api_url: str, api_keys: tuple[Path, dict[str, str]]
) -> None:
    headers = {
        "Authorization": f"Bearer {api_keys[1]['admin']}",
        "Content-Type": "application/json",
    }
    big = b'{"query": "{ __typename }", "pad": "' + b"x" * 17_000_000 + b'"}'

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(big), 1_000_000):
            yield big[start : start + 1_000_000]

    for content in (big, chunks()):
        answer = httpx.post(f"{api_url}/graphql", content=content, headers=headers, timeout=60)
        assert answer.status_code == 413
        error = answer.json()["errors"][0]
        assert error["extensions"]["code"] == "REQUEST_TOO_LARGE"
        assert "max_body_bytes" in error["message"]
    assert (
        httpx.post(
            f"{api_url}/graphql", json={"query": "{ __typename }"}, headers=headers
        ).status_code
        == 200
    )


def test_a_request_over_the_time_limit_is_stopped_with_504_and_the_next_one_is_served(
    api_data: Graph, cli_env_session: dict[str, str], server_home: Path, tmp_path: Path
) -> None:
    search = {"query": '{ searchIdentities(name: "anna", first: 5) { edges { node { score } } } }'}
    env = {**cli_env_session, "C360_API_TIMEOUT": "1"}
    with serving(env, tmp_path / "api.log", "--dev") as served:
        url = f"{served.url}/graphql"
        assert httpx.post(url, json=search, timeout=30).status_code == 200
        graph_server = engine_server(server_home, database="c360test").info()
        assert graph_server is not None
        os.kill(graph_server.pid, signal.SIGSTOP)  # the graph stops answering mid-request
        try:
            started = time.monotonic()
            answer = httpx.post(url, json=search, timeout=30)
            waited = time.monotonic() - started
        finally:
            os.kill(graph_server.pid, signal.SIGCONT)
        assert answer.status_code == 504, answer.text
        error = answer.json()["errors"][0]
        assert error["extensions"]["code"] == "TIMEOUT" and "ask for less" in error["message"]
        assert 0.9 < waited < 10
        again = httpx.post(url, json=search, timeout=30)
        assert again.status_code == 200 and "errors" not in again.json(), again.text
