"""The peer of bench/api.py on Neo4j: `@neo4j/graphql`, the reference GraphQL-over-Neo4j library.

tools/neo4j-graphql-peer/ (`make graphql-peer` installs it with `npm ci`) serves c360graph's
graph through @neo4j/graphql 7 with a type definition of the identity neighbourhood
(typeDefs.graphql), on Apollo Server's standalone HTTP server, as the library's
"self-hosting GraphQL" guide sets it up. It runs as one Node process, as the guide runs it.

NEIGHBOURHOOD asks it for what bench/api.py's FULL_NEIGHBOURHOOD asks c360graph's API for,
in the peer's own schema: the identity's golden fields, its records (first 20 by key) with
their identifiers and their 10 newest orders and interactions with their channel, how many
orders each record has, and the household with its members and their emails. c360graph's
API shapes more (a golden record with sources, identifiers with the records using them,
spend per currency, a timeline across records); the peer has no such fields, and a client
would compute them from what it returns. `summary` reduces an answer to the facts both give,
so bench/api.py can check that both servers agree before it times them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
from common import BenchError
from graphql_http import GraphQLEndpoint

from c360graph.db.managed import ServerInfo, free_port

PEER_DIR = Path(__file__).resolve().parents[1] / "tools" / "neo4j-graphql-peer"
RECORDS_PAGE, RECORD_ACTIVITY = 20, 10  # as FULL_NEIGHBOURHOOD asks c360graph's API

NEIGHBOURHOOD = """
query Neighbourhood($id: ID!) {
  identities(where: { id: { eq: $id } }) {
    id status record_count first_name last_name full_name date_of_birth gender email phone
    country created_at updated_at
    records(sort: [{ key: ASC }], limit: 20) {
      key source source_id first_name last_name full_name date_of_birth gender address_line1
      city postcode country created_at updated_at ingested_at data_issues stub
      emails { address }
      phones { e164 }
      devices { device_id device_type os }
      addresses { key line1 line2 city postcode region country }
      ordersConnection { aggregate { count { nodes } } }
      orders(sort: [{ ordered_at: DESC }, { key: DESC }], limit: 10) {
        key order_id source amount currency ordered_at status
        channel { name }
      }
      interactions(sort: [{ occurred_at: DESC }, { key: DESC }], limit: 10) {
        key interaction_id source type occurred_at subject text rating
        channel { name }
      }
    }
    households {
      id confidence reason
      members(sort: [{ id: ASC }]) {
        id full_name
        records { emails { address } }
      }
    }
  }
}
"""


def _body(identity_id: str) -> bytes:
    return orjson.dumps(
        {"query": NEIGHBOURHOOD, "operationName": "Neighbourhood", "variables": {"id": identity_id}}
    )


def summary(body: dict[str, Any]) -> dict[str, Any]:
    """The facts bench/api.py compares with c360graph's answer (its _summary_api, no timeline)."""
    identity = body["data"]["identities"][0]
    records = identity["records"]

    def emails(of: list[dict[str, Any]]) -> set[str]:
        return {e["address"] for r in of for e in r["emails"]}

    households = identity["households"]
    members = households[0]["members"] if households else []
    return {
        "records": [r["key"] for r in records],
        "record_orders": {r["key"]: [o["key"] for o in r["orders"]] for r in records},
        "record_interactions": {r["key"]: [x["key"] for x in r["interactions"]] for r in records},
        "emails": sorted(emails(records)),
        "orders": sum(r["ordersConnection"]["aggregate"]["count"]["nodes"] for r in records),
        "members": sorted(m["id"] for m in members),
        "member_emails": sorted(e for m in members for e in emails(m["records"])),
    }


class PeerServer:
    """`node server.js` of tools/neo4j-graphql-peer, on a free loopback port, in its own session."""

    def __init__(self, graph: ServerInfo, log: Path) -> None:
        self.graph, self.log_path = graph, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> None:
        """Start it and wait until it answers a GraphQL query."""
        if not (PEER_DIR / "node_modules" / "@neo4j" / "graphql").exists():
            raise BenchError(
                f"@neo4j/graphql is not installed in {PEER_DIR}: run `make graphql-peer` "
                "(npm ci; needs Node 20+), or pass --no-peer"
            )
        env = {
            **os.environ,
            "NEO4J_URI": self.graph.uri,
            "NEO4J_USER": self.graph.user,
            "NEO4J_PASSWORD": self.graph.password,
            "NEO4J_DATABASE": self.graph.database,
            "PORT": str(self.port),
            "NODE_ENV": "production",
        }
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                ["node", "server.js"],
                cwd=PEER_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"the @neo4j/graphql peer exited at start:\n{self.tail()}")
            with contextlib.suppress(httpx.HTTPError):
                answer = httpx.post(self.url, json={"query": "{ __typename }"}, timeout=2)
                if answer.status_code == 200:
                    return
            time.sleep(0.25)
        raise BenchError(
            f"the @neo4j/graphql peer was not ready within {timeout:.0f}s:\n{self.tail()}"
        )

    def tail(self, lines: int = 15) -> str:
        """The last lines of its log."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def pids(self) -> list[int]:
        """The Node process."""
        return [] if self.process is None else [self.process.pid]

    def stop(self) -> None:
        """SIGTERM (it closes its driver), SIGKILL to its session after 10 s."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Peer(GraphQLEndpoint):
    """NEIGHBOURHOOD against the peer, as bench/api.py's Api sends FULL_NEIGHBOURHOOD."""

    def __init__(self, url: str, clients: int) -> None:
        super().__init__(
            url, "/", {}, clients, _body, lambda data: bool(data.get("identities")), "the peer"
        )
