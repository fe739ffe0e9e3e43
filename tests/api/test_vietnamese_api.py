"""The API over a Vietnamese retailer's data: phone search in the data's region, field-level
errors, GraphiQL in dev mode, CORS, and `c360 serve` on a taken port."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from c360graph.db.graph import Graph
from c360graph.db.managed import free_port
from c360graph.resolve.engine import resolve
from c360graph.resolve.settings import load_resolution_config
from tests.helpers import cypher, serving
from tests.integration.test_cli import c360
from tests.integration.test_vietnamese_sources import write_crm


@pytest.fixture(scope="module")
def vn_data(
    session_graph: Graph, cli_env_session: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Graph:
    """The Vietnamese CRM export (mapping: default_region VN) ingested and resolved."""
    session_graph.write("schema/clear_all")
    path, mapping = write_crm(tmp_path_factory.mktemp("vn-crm"))
    result = c360(
        cli_env_session, "ingest", str(path), "--source", "crm", "--mapping", str(mapping)
    )
    assert result.returncode == 0, result.stderr
    resolve(session_graph, load_resolution_config())
    return session_graph


def post(url: str, key: str, query: str) -> dict[str, Any]:
    response = httpx.post(
        f"{url}/graphql", json={"query": query}, headers={"Authorization": f"Bearer {key}"}
    )
    body: dict[str, Any] = response.json()
    return body


def identity_of(graph: Graph, key: str) -> str:
    [row] = cypher(
        graph,
        "MATCH (:Customer {key: $key})-[:RESOLVES_TO]->(i:Identity) RETURN i.id AS id",
        key=key,
    )
    return str(row["id"])


def test_a_national_phone_number_is_read_in_the_region_the_sources_were_ingested_with(
    vn_data: Graph, api_url: str, api_keys: tuple[Path, dict[str, str]]
) -> None:
    # The server's configured default region is GB (unset); the CRM mapping said VN.
    key = api_keys[1]["analyst"]
    body = post(api_url, key, '{ identitiesByPhone(phone: "0977 888 999") { id } }')
    assert body.get("errors") is None, body
    assert body["data"]["identitiesByPhone"] == [{"id": identity_of(vn_data, "crm:KH001")}]
    hits = post(
        api_url, key, '{ searchIdentities(phone: "0977888999") { edges { node { score } } } }'
    )
    assert [e["node"]["score"] for e in hits["data"]["searchIdentities"]["edges"]] == [1.0]
    # Asked in another region explicitly, the same digits are another number.
    other = post(api_url, key, '{ identitiesByPhone(phone: "0977888999", region: "GB") { id } }')
    assert other["data"]["identitiesByPhone"] in ([], None)


def test_one_bad_argument_nulls_only_its_own_field(
    vn_data: Graph, api_url: str, api_keys: tuple[Path, dict[str, str]]
) -> None:
    body = post(
        api_url,
        api_keys[1]["analyst"],
        '{ bad: identitiesByPhone(phone: "không có") { id } '
        'good: identitiesByEmail(email: "hong.nguyen@example.vn") { id } }',
    )
    assert body["data"]["bad"] is None
    assert body["data"]["good"] == [{"id": identity_of(vn_data, "crm:KH001")}]
    [error] = body["errors"]
    assert error["path"] == ["bad"] and error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "không có" in error["message"] and "country code" in error["message"]


def test_graphiql_in_dev_mode_prefills_no_key_and_dev_requests_need_none(
    vn_data: Graph, cli_env_session: dict[str, str], tmp_path: Path
) -> None:
    with serving(cli_env_session, tmp_path / "dev.log", "--dev") as served:
        page = httpx.get(f"{served.url}/graphql", headers={"Accept": "text/html"}).text
        assert "Bearer" not in page and "no API key needed" in page
        answer = httpx.post(f"{served.url}/graphql", json={"query": "{ __typename }"})
        assert answer.status_code == 200 and answer.json()["data"] == {"__typename": "Query"}


def test_cors_answers_the_configured_origins_only(
    cli_env_session: dict[str, str], api_keys: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    env = {
        **cli_env_session,
        "C360_API_KEYS_FILE": str(api_keys[0]),
        "C360_API_CORS_ORIGINS": "https://crm.example.vn, http://localhost:5173",
    }
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    with serving(env, tmp_path / "cors.log") as served:
        allowed = httpx.options(
            f"{served.url}/graphql", headers={**preflight, "Origin": "https://crm.example.vn"}
        )
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://crm.example.vn"
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
        refused = httpx.options(
            f"{served.url}/graphql", headers={**preflight, "Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in refused.headers
        asked = httpx.post(
            f"{served.url}/graphql",
            json={"query": "{ __typename }"},
            headers={
                "Origin": "http://localhost:5173",
                "Authorization": f"Bearer {api_keys[1]['reader']}",
            },
        )
        assert asked.headers["access-control-allow-origin"] == "http://localhost:5173"


def test_serve_on_a_taken_port_fails_before_announcing_it_serves(
    cli_env_session: dict[str, str],
) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = subprocess.run(
            [sys.executable, "-m", "c360graph", "serve", "--dev", "--port", str(port)],
            env=cli_env_session,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is taken" in result.stderr
    assert "API on http" not in result.stderr + result.stdout
