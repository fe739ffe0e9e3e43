"""The identity change feed over a real WebSocket (graphql-transport-ws), and identityLineage."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportConnectionFailed, TransportQueryError
from gql.transport.websockets import WebsocketsTransport
from websockets.exceptions import InvalidStatus

from c360graph.db.graph import Graph
from c360graph.resolve.event_feed import FeedEvent, events_after
from tests.api.conftest import Run
from tests.helpers import cypher
from tests.integration.test_cli import c360

SUBSCRIBE = (
    "subscription($since: String) { identityEvents(since: $since) "
    "{ cursor kind identity others records reason runId } }"
)
LINK = (
    'mutation($a: RecordRef!, $b: RecordRef!) { link(a: $a, b: $b, note: "same person") { same } }'
)
LINEAGE = (
    "query($id: ID!) { identityLineage(id: $id) { id status currentIds "
    "current { id } events { kind identity others cursor } } }"
)
HANG_GUARD = 120  # seconds: only stops a broken test from hanging; no assertion on time


def _transport(url: str, key: str | None) -> WebsocketsTransport:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return WebsocketsTransport(
        url=url.replace("http://", "ws://") + "/graphql",
        headers=headers,
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )


async def _receive(
    url: str,
    key: str | None,
    since: str | None,
    count: int,
    after_first: Callable[[], Any] | None = None,
) -> list[dict[str, Any]]:
    """The first `count` events the subscription sends; `after_first` runs once one arrived."""
    received: list[dict[str, Any]] = []
    async with Client(transport=_transport(url, key)) as session:
        request = GraphQLRequest(SUBSCRIBE, variable_values={"since": since})
        async for result in session.subscribe(request):
            received.append(result["identityEvents"])
            if len(received) == 1 and after_first is not None:
                await asyncio.to_thread(after_first)
            if len(received) == count:
                break
    return received


def subscribe(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """_receive, run to the end (or the hang guard)."""
    return asyncio.run(asyncio.wait_for(_receive(*args, **kwargs), HANG_GUARD))


def _feed(graph: Graph) -> list[FeedEvent]:
    events, page = [], events_after(graph, None)
    while page:
        events.extend(page)
        page = events_after(graph, page[-1].cursor)
    return events


def _as_sent(event: FeedEvent) -> dict[str, Any]:
    return {
        "cursor": event.cursor,
        "kind": event.kind,
        "identity": event.identity,
        "others": list(event.others),
        "records": event.records,
        "reason": event.reason,
        "runId": event.run_id,
    }


def _ref(key: str) -> dict[str, str]:
    source, source_id = key.split(":", 1)
    return {"source": source, "sourceId": source_id}


def _two_identities(graph: Graph) -> list[dict[str, Any]]:
    return cypher(
        graph,
        "MATCH (i:Identity)<-[:RESOLVES_TO]-(c:Customer) WHERE i.status = 'active' "
        "WITH i, collect(c.key) AS keys, count(c) AS n ORDER BY n DESC, i.id LIMIT 2 "
        "RETURN i.id AS id, keys",
    )


def test_a_subscriber_replays_from_its_cursor_then_receives_a_merge_as_it_happens(
    api_data: Graph,
    api_url: str,
    api_keys: tuple[Path, dict[str, str]],
    admin: Run,
    cli_env_session: dict[str, str],
) -> None:
    before = _feed(api_data)
    assert len(before) >= 2
    survivor, absorbed = _two_identities(api_data)

    def merge() -> None:
        admin(LINK, a=_ref(survivor["keys"][0]), b=_ref(absorbed["keys"][0]))

    # From the second-last event: the last is replayed, then the merge follows live.
    received = subscribe(api_url, api_keys[1]["analyst"], before[-2].cursor, 2, merge)
    assert received[0] == _as_sent(before[-1])
    merged = received[1]
    assert (merged["kind"], merged["identity"]) == ("merge", survivor["id"])
    assert absorbed["id"] in merged["others"]
    assert merged["reason"] and merged["runId"]

    # Resuming from a cursor sends only what came after it, in order, nothing twice.
    resumed = subscribe(api_url, api_keys[1]["reader"], before[-1].cursor, 1)
    assert resumed == [merged]

    # The CLI prints the same events after the same cursor.
    printed = c360(cli_env_session, "events", "--json", "--since", before[-2].cursor)
    assert printed.returncode == 0, printed.stderr
    lines = [json.loads(line) for line in printed.stdout.splitlines()]
    assert [{k: line[k] for k in received[0]} for line in lines] == received

    # The absorbed id's lineage: the survivor, and the merge that took it there.
    lineage = admin(LINEAGE, id=absorbed["id"])["identityLineage"]
    assert lineage["status"] == "merged"
    assert lineage["currentIds"] == [survivor["id"]]
    assert lineage["current"] == [{"id": survivor["id"]}]
    assert lineage["events"][-1] == {
        "kind": "merge",
        "identity": survivor["id"],
        "others": merged["others"],
        "cursor": merged["cursor"],
    }
    assert admin(LINEAGE, id="id_never_issued")["identityLineage"] is None

    # The survivor's history carries the same cursor, to follow on from there.
    history = admin(
        "query($id: ID!) { identity(id: $id) { history { edges { node { kind cursor } } } } }",
        id=survivor["id"],
    )["identity"]["history"]["edges"]
    assert {"kind": "merge", "cursor": merged["cursor"]} in [edge["node"] for edge in history]


def test_the_feed_needs_a_browsing_role_and_the_handshake_an_api_key(
    api_data: Graph, api_url: str, api_keys: tuple[Path, dict[str, str]]
) -> None:
    with pytest.raises(TransportQueryError) as refused:
        subscribe(api_url, api_keys[1]["agent"], None, 1)
    assert refused.value.errors is not None
    assert [e["extensions"]["code"] for e in refused.value.errors] == ["FORBIDDEN"]
    for key in (None, "not-a-key"):  # refused at the handshake, before any message
        with pytest.raises(TransportConnectionFailed) as failed:
            subscribe(api_url, key, None, 1)
        refusal = failed.value.__cause__
        assert isinstance(refusal, InvalidStatus) and refusal.response.status_code == 403


def test_a_forged_cursor_is_refused_with_bad_user_input(
    api_data: Graph, api_url: str, api_keys: tuple[Path, dict[str, str]]
) -> None:
    with pytest.raises(TransportQueryError) as refused:
        subscribe(api_url, api_keys[1]["reader"], "forged", 1)
    assert refused.value.errors is not None
    [error] = refused.value.errors
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "pass one this feed handed out" in error["message"]


def test_a_browser_page_from_an_origin_cors_does_not_allow_cannot_open_the_socket(
    api_data: Graph, api_url: str, api_keys: tuple[Path, dict[str, str]]
) -> None:
    ws_url = api_url.replace("http://", "ws://") + "/graphql"
    headers = {
        "Authorization": f"Bearer {api_keys[1]['reader']}",
        "Origin": "https://evil.example",
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Protocol": "graphql-transport-ws",
    }
    answer = httpx.get(ws_url.replace("ws://", "http://"), headers=headers)
    assert answer.status_code == 403
