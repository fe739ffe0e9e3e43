"""A request's context, loaders and rows go when it ends, freed by reference counting.

A reference cycle through them would keep every row of every request alive until Python's
cycle collector ran, and its pauses held up all requests in flight (docs/benchmarks.md).
This test runs the app in process, because it inspects the objects a request leaves behind.
"""

from __future__ import annotations

import asyncio
import gc

import httpx
from starlette.applications import Starlette

from c360graph.api.app import create_app
from c360graph.api.context import Context
from c360graph.api.loaders import Loaders
from c360graph.api.prefetch import Neighbourhood
from c360graph.config import Settings
from c360graph.db.graph import Graph
from tests.helpers import cypher

DEEP = """
query($id: ID!) {
  identity(id: $id) {
    id emails { value } channels { channel }
    records { edges { node { key orders(first: 3) { edges { node { key channel { name } } } }
      interactions { edges { node { key } } } } } }
    timeline(first: 5) { edges { node { at kind } } }
    household { id members { edges { node { id emails { value } } } } }
  }
}
"""


def _left_behind() -> list[object]:
    return [o for o in gc.get_objects() if isinstance(o, Context | Loaders | Neighbourhood)]


def test_a_finished_request_leaves_no_cycle_holding_its_context_loaders_or_rows(
    api_data: Graph, settings: Settings
) -> None:
    identity = cypher(
        api_data,
        "MATCH (i:Identity {status: 'active'})<-[:RESOLVES_TO]-(:Customer)-[:PLACED]->() "
        "RETURN i.id AS id ORDER BY id LIMIT 1",
    )[0]["id"]
    app = create_app(settings, dev=True)
    starlette = app.app
    assert isinstance(starlette, Starlette)

    async def ask(client: httpx.AsyncClient) -> None:
        answer = await client.post("/graphql", json={"query": DEEP, "variables": {"id": identity}})
        body = answer.json()
        assert answer.status_code == 200 and "errors" not in body, body
        assert body["data"]["identity"]["records"]["edges"], body

    async def run() -> list[object]:
        async with starlette.router.lifespan_context(starlette):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
                await ask(client)  # first use: caches, connections
                gc.collect()
                gc.disable()
                try:
                    await ask(client)
                    return _left_behind()
                finally:
                    gc.enable()

    assert asyncio.run(run()) == []
