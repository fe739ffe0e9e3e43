"""GraphQL API speed: the full-neighbourhood query, beside the same data fetched through the
driver with the equivalent Cypher in the same run.

    .venv/bin/python bench/api.py --engine neo4j --keep-data bench/out/api-100k-neo4j  # builds once
    .venv/bin/python bench/api.py --engine arcadedb --keep-data bench/out/api-100k    # ~10 min once
    .venv/bin/python bench/api.py --people 2000 --seconds 5           # smoke run, ~2 minutes

Build (skipped when --keep-data DIR already holds a finished build of the same size and seed):
a local graph server in its own C360_HOME, `c360 generate`, `c360 ingest` of the manifest,
`c360 resolve`, then `c360 analyze households` (without households the household part of the
query would always be null).

Then `c360 serve --workers W` on a free loopback port with an analyst key, and three ways of
fetching one identity's whole neighbourhood (FULL_NEIGHBOURHOOD below: profile, identifiers,
channels, metrics, records with their orders and interactions, timeline, household members
with their emails), each with one client (unloaded latency) and with C concurrent clients,
each phase after a short warm-up and bounded by --seconds and --requests:

- API: the GraphQL operation over HTTP/1.1 keep-alive (bench/http1.py), one request per identity;
- raw: the same data through the official neo4j async driver, with the API's own named
  query (cypher/api/neighbourhood_of: the identity with its records, identifiers, activity,
  household, the household's other members with their identifiers, and each record's newest
  orders and interactions, in one statement, as the API fetches it), without GraphQL, HTTP
  or shaping: the headline baseline;
- raw, one query: the same data in one statement (cypher/bench/full_neighbourhood), one round
  trip, returning each record's whole activity for the caller to page (a superset).

- peer (`--engine neo4j`, unless --no-peer): the same identities' whole neighbourhoods from
  @neo4j/graphql, the reference GraphQL-over-Neo4j library, serving the same graph
  (bench/graphql_peer.py, tools/neo4j-graphql-peer/; `make graphql-peer` installs it), under
  the same load.

`--engine neo4j|arcadedb` picks the local graph engine (default: the project's, see
bench/common.default_engine); a kept build is of one engine, so keep one folder per engine
(e.g. bench/out/api-100k-neo4j).

Ids are drawn at random from a sample of 2,000 identities with records. Before timing, a few
identities are fetched every way and compared, so all provably fetch the same data.

The load generator runs in this process, on the same 2 cores as the API workers and the graph
server, so it takes CPU from both sides (the output shows how the cores were shared): compare
the same-run ratios, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import neo4j
import orjson
from common import (
    C360,
    BenchError,
    add_engine_option,
    c360_env,
    engine_server,
    kept_build_home,
    local_settings,
    make_api_key,
    reset_peak,
    restore_signal_handlers,
    run_c360,
    run_main,
    say,
    vm_hwm_mb,
)
from graphql_http import GraphQLEndpoint
from graphql_peer import Peer, PeerServer
from graphql_peer import summary as summary_peer

from c360graph.db.cypher import query
from c360graph.db.graph import QUIET_NOTIFICATIONS, connect
from c360graph.db.managed import free_port
from c360graph.db.values import moment_from_text

# `c360 generate --customers N` gives ~2.43 records and, after resolution, ~1.09 identities
# per person (generation noise splits some people; households, rings and matching errors
# merge a few), so 92,000 people give about 100k identities.
DEFAULT_PEOPLE = 92_000
SAMPLE_SIZE = 2_000
CHECKED = 25  # identities fetched both ways and compared before timing
GOAL_RPS = 500.0
GOAL_P99_MS = 50.0
GOAL_RATIO = 1.5
MARKER = "bench-api-build.json"
REQUEST_TIMEOUT = 30.0

FULL_NEIGHBOURHOOD = """
query FullNeighbourhood($id: ID!) {
  identity(id: $id) {
    id
    status
    recordCount
    sources
    createdAt
    updatedAt
    profile {
      firstName { value source record }
      lastName { value source record }
      fullName { value source record }
      dateOfBirth { value source record }
      gender { value source record }
      email { value source record }
      phone { value source record }
      country { value source record }
      address { line1 line2 city postcode region country source record }
    }
    emails { value records shared detail }
    phones { value records shared detail }
    addresses { value records shared detail }
    channels { channel orders interactions lastUsedAt }
    metrics {
      orderCount
      excludedOrderCount
      interactionCount
      spend { currency orders total average }
      firstOrderAt
      lastOrderAt
    }
    records {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          key source sourceId firstName lastName fullName dateOfBirth gender emails phones
          addressLine1 city postcode country createdAt updatedAt ingestedAt dataIssues stub
          orders(first: 10) {
            pageInfo { hasNextPage endCursor }
            edges {
              node {
                key orderId source amount currency orderedAt status
                channel { name }
              }
            }
          }
          interactions(first: 10) {
            pageInfo { hasNextPage endCursor }
            edges {
              node {
                key interactionId source type occurredAt subject text rating
                channel { name }
              }
            }
          }
        }
      }
    }
    timeline(first: 20) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          at
          kind
          channel { name }
          order { key amount currency status }
          interaction { key type subject rating }
        }
      }
    }
    household {
      id
      confidence
      reason
      members {
        edges {
          node {
            id
            profile { fullName { value } }
            emails { value }
          }
        }
      }
    }
  }
}
"""

RECORDS_PAGE = 20  # `records` without `first`: the API's default page size
TIMELINE, RECORD_ACTIVITY = 20, 10  # the pages FULL_NEIGHBOURHOOD asks for
NEIGHBOURHOOD_ITEMS = RECORDS_PAGE + 1  # what the API's loaders fetch per record and kind


# -- processes ---------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads); 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


class ApiServer:
    """`c360 serve` in its own session, on a free loopback port."""

    def __init__(self, home: Path, env: dict[str, str], workers: int, log: Path) -> None:
        self.home, self.env, self.workers, self.log_path = home, env, workers, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> None:
        """Start the server and wait until /readyz answers 200 (the graph is reachable)."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*C360, "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=self.env,
                cwd=self.home,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches this script only; it stops the server
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(
                    f"`c360 serve` exited at start; see {self.log_path}:\n{self.tail()}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            time.sleep(0.25)
        raise BenchError(f"the API was not ready within {timeout:.0f}s:\n{self.tail()}")

    def tail(self, lines: int = 15) -> str:
        """The last lines of the server's log."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def pids(self) -> list[int]:
        """The processes serving requests: the uvicorn workers (or the one process)."""
        if self.process is None:
            return []
        workers = [
            pid for pid in _children(self.process.pid) if b"resource_tracker" not in _cmdline(pid)
        ]
        return workers or [self.process.pid]

    def all_pids(self) -> list[int]:
        """The supervisor and its workers."""
        if self.process is None:
            return []
        return sorted({self.process.pid, *self.pids()})

    def stop(self) -> None:
        """SIGTERM to uvicorn (it stops its workers), SIGKILL to the session after 20 s."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the session started above
            process.wait()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


# -- build -------------------------------------------------------------------------------


def build(home: Path, people: int, seed: int, heap: str, engine: str) -> dict[str, Any]:
    """Generate, ingest, resolve and add households in `home`; the build's facts."""
    env = c360_env(home, heap, engine, C360_API_KEYS_FILE=str(home / "api-keys.json"))
    data = home / "generated"
    seconds: dict[str, float] = {}
    say(f"  graph server in {home} (heap {heap}) ...")
    seconds["db start"] = run_c360(["db", "start"], env, home)
    say(f"  generating {people:,} people (seed {seed}) ...")
    generate = ["generate", "--customers", str(people), "--seed", str(seed), "--no-progress"]
    seconds["generate"] = run_c360([*generate, "--out", str(data)], env, home)
    say("  ingesting the manifest ...")
    seconds["ingest"] = run_c360(
        ["ingest", str(data / "manifest.yaml"), "--no-progress"], env, home
    )
    say("  resolving identities ...")
    seconds["resolve"] = run_c360(["resolve"], env, home)
    say("  householding ...")
    seconds["households"] = run_c360(["analyze", "households"], env, home)
    with connect(local_settings(home, heap, engine)) as graph:
        households = len({row["household"] for row in graph.stream("analyses/current_households")})
    for step, value in seconds.items():
        say(f"    {step:<11} {value:8.1f} s")
    return {
        "people": people,
        "seed": seed,
        "engine": engine,
        "households": households,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "built_at": time.strftime("%Y-%m-%d %H:%M"),
    }


def sample_ids(home: Path, heap: str, seed: int, engine: str) -> tuple[int, list[str]]:
    """How many active identities hold records, and a random sample of their ids."""
    with connect(local_settings(home, heap, engine)) as graph:
        ids = sorted(row["id"] for row in graph.read("bench/sample_identities"))
    if not ids:
        raise BenchError("the graph holds no identities with records; did resolution run?")
    return len(ids), random.Random(seed).sample(ids, min(SAMPLE_SIZE, len(ids)))


# -- the two ways of fetching ------------------------------------------------------------


class Api(GraphQLEndpoint):
    """The full-neighbourhood operation against our API (bench/graphql_http.py)."""

    def __init__(self, url: str, key: str, clients: int) -> None:
        super().__init__(
            url,
            "/graphql",
            {"Authorization": f"Bearer {key}"},
            clients,
            _body,
            lambda data: data.get("identity") is not None,
            "the API",
        )


def _body(identity_id: str) -> bytes:
    return orjson.dumps(
        {
            "query": FULL_NEIGHBOURHOOD,
            "operationName": "FullNeighbourhood",
            "variables": {"id": identity_id},
        }
    )


class Raw:
    """The same data through the async driver, with the API's named queries."""

    def __init__(self, home: Path, engine: str, pool: int) -> None:
        info = engine_server(home, engine).info()
        if info is None:
            raise BenchError(f"the graph server in {home} is not running")
        self.driver = neo4j.AsyncGraphDatabase.driver(
            info.uri,
            auth=(info.user, info.password),
            max_connection_pool_size=pool,
            notifications_disabled_classifications=QUIET_NOTIFICATIONS,  # as the API's driver
        )
        self.database = info.database
        self.texts = {name: query(name).text for name in ("api/neighbourhood_of",)}

    async def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of one named query in a managed read transaction, as the API's service runs it."""
        text = self.texts[name]

        async def work(tx: neo4j.AsyncManagedTransaction) -> list[dict[str, Any]]:
            result = await tx.run(text, params)
            return await result.data()

        async with self.driver.session(database=self.database) as session:
            return await session.execute_read(work)

    async def fetch(self, identity_id: str) -> dict[str, Any] | None:
        """The identity's neighbourhood row; None when there is no such identity."""
        # One statement brings the identity (following redirects), its neighbourhood and its
        # household's other members with their identifiers.
        rows = await self.read(
            "api/neighbourhood_of", ids=[identity_id], max_items=NEIGHBOURHOOD_ITEMS
        )
        return rows[0] if rows else None

    async def call(self, identity_id: str) -> str | None:
        """One fetch; None when it succeeded, else what went wrong."""
        return None if await self.fetch(identity_id) is not None else "identity not found"

    async def close(self) -> None:
        """Close the driver."""
        await self.driver.close()


class OneQuery(Raw):
    """The same data in one statement (cypher/bench/full_neighbourhood): one round trip."""

    def __init__(self, home: Path, engine: str, pool: int) -> None:
        super().__init__(home, engine, pool)
        self.texts["bench/full_neighbourhood"] = query("bench/full_neighbourhood").text

    async def fetch(self, identity_id: str) -> dict[str, Any] | None:
        """The identity, its records with all their activity, household and members."""
        rows = await self.read("bench/full_neighbourhood", id=identity_id)
        return rows[0] if rows else None


# -- same data? --------------------------------------------------------------------------


def _at(value: Any) -> datetime:
    if isinstance(value, str):  # api/neighbourhood_of returns times as text
        moment = moment_from_text(value)
        assert moment is not None, value
        return moment
    native: datetime = value.to_native() if hasattr(value, "to_native") else value
    return native.replace(tzinfo=UTC) if native.tzinfo is None else native


def _summary_api(body: dict[str, Any]) -> dict[str, Any]:
    identity = body["data"]["identity"]
    records = [e["node"] for e in identity["records"]["edges"]]
    household = identity["household"]
    return {
        "records": [r["key"] for r in records],
        "record_orders": {
            r["key"]: [o["node"]["key"] for o in r["orders"]["edges"]] for r in records
        },
        "record_interactions": {
            r["key"]: [x["node"]["key"] for x in r["interactions"]["edges"]] for r in records
        },
        "timeline": [
            (e["node"]["order"] or e["node"]["interaction"])["key"]
            for e in identity["timeline"]["edges"]
        ],
        "emails": sorted(e["value"] for e in identity["emails"]),
        # Every order: purchases and the cancelled, returned or undated ones (the peer and the
        # raw query count them all).
        "orders": identity["metrics"]["orderCount"] + identity["metrics"]["excludedOrderCount"],
        "members": sorted(m["node"]["id"] for m in household["members"]["edges"])
        if household
        else [],
        "member_emails": sorted(
            e["value"] for m in household["members"]["edges"] for e in m["node"]["emails"]
        )
        if household
        else [],
    }


def _emails(kinds: list[str], identifiers: list[dict[str, Any]]) -> list[str]:
    return [x["address"] for k, x in zip(kinds, identifiers, strict=True) if k == "HAS_EMAIL"]


def _summary_raw(nb: dict[str, Any]) -> dict[str, Any]:
    keys = [r["key"] for r in nb["records"]]
    orders = dict(zip(nb["order_owners"], nb["orders"], strict=True))
    interactions = dict(zip(nb["interaction_owners"], nb["interactions"], strict=True))
    timeline = sorted(
        [(_at(o["ordered_at"]), o["key"]) for items in nb["orders"] for o in items]
        + [(_at(x["occurred_at"]), x["key"]) for items in nb["interactions"] for x in items],
        reverse=True,
    )
    current = nb["identity"]["id"]
    members = sorted(nb["members"])
    emails_of = {
        identity["id"]: _emails(kinds, nodes)
        for identity, kinds, nodes in zip(
            nb["member_identities"],
            nb["member_identifier_kinds"],
            nb["member_identifiers"],
            strict=True,
        )
    }
    emails_of[current] = _emails(nb["identifier_kinds"], nb["identifiers"])
    return {
        "records": keys[:RECORDS_PAGE],
        "record_orders": {
            k: [o["key"] for o in orders.get(k, [])[:RECORD_ACTIVITY]] for k in keys[:RECORDS_PAGE]
        },
        "record_interactions": {
            k: [x["key"] for x in interactions.get(k, [])[:RECORD_ACTIVITY]]
            for k in keys[:RECORDS_PAGE]
        },
        "timeline": [key for _, key in timeline[:TIMELINE]],
        "emails": sorted(emails_of[current]),
        "orders": sum(r["n"] for r in nb["activity"] if r["kind"] == "order"),
        "members": members,
        "member_emails": sorted(e for m in members for e in emails_of.get(m, [])),
    }


def _summary_one(row: dict[str, Any]) -> dict[str, Any]:
    def newest(items: list[dict[str, Any]], at: str) -> list[tuple[datetime, str]]:
        return sorted(((_at(item[at]), item["key"]) for item in items), reverse=True)

    records = row["records"]
    page = records[:RECORDS_PAGE]
    current = row["identity"]["id"]
    emails = {n["address"] for r in records for n in r["identifiers"] if n["kind"] == "HAS_EMAIL"}
    members = {m["id"]: set(m["emails"]) for m in row["members"]}
    if row["household"]:
        members[current] = emails
    every = [o for r in records for o in r["orders"]]
    return {
        "records": [r["key"] for r in page],
        "record_orders": {
            r["key"]: [k for _, k in newest(r["orders"], "ordered_at")[:RECORD_ACTIVITY]]
            for r in page
        },
        "record_interactions": {
            r["key"]: [k for _, k in newest(r["interactions"], "occurred_at")[:RECORD_ACTIVITY]]
            for r in page
        },
        "timeline": [
            k
            for _, k in sorted(
                newest(every, "ordered_at")
                + newest([x for r in records for x in r["interactions"]], "occurred_at"),
                reverse=True,
            )[:TIMELINE]
        ],
        "emails": sorted(emails),
        "orders": len(every),
        "members": sorted(members),
        "member_emails": sorted(e for found in members.values() for e in found),
    }


@dataclass
class Check:
    """Identities fetched every way and compared before timing."""

    checked: int = 0
    with_household: int = 0
    agree: dict[str, int] = field(default_factory=lambda: {"raw": 0, "one query": 0})
    differences: list[str] = field(default_factory=list)


async def check_same_data(
    api: Api, raw: Raw, one: OneQuery, peer: Peer | None, ids: list[str]
) -> Check:
    """Compare what the API answers with what both raw ways (and the peer) fetch, identity by
    identity. The peer is compared on the facts both GraphQL schemas give (no timeline)."""
    check = Check(checked=len(ids))
    if peer is not None:
        check.agree["peer"] = 0
    for identity_id in ids:
        body = await api.fetch(identity_id)
        if body.get("errors") or not body["data"]["identity"]:
            check.differences.append(f"{identity_id}: API answered {body}")
            continue
        a = _summary_api(body)
        check.with_household += bool(a["members"])
        data, row = await raw.fetch(identity_id), await one.fetch(identity_id)
        others = [
            ("raw", _summary_raw(data) if data else None),
            ("one query", _summary_one(row) if row else None),
        ]
        if peer is not None:
            answer = await peer.fetch(identity_id)
            found = not answer.get("errors") and (answer.get("data") or {}).get("identities")
            others.append(("peer", summary_peer(answer) if found else None))
        for name, other in others:
            wrong = [k for k in a if other is None or (k in other and a[k] != other[k])]
            if not wrong:
                check.agree[name] += 1
            elif other is None:
                check.differences.append(f"{identity_id}: {name} found no identity")
            else:
                check.differences.append(
                    f"{identity_id}: {name}: {', '.join(wrong)} differ (first: API "
                    f"{a[wrong[0]]!r}, {name} {other[wrong[0]]!r})"
                )
    return check


# -- load --------------------------------------------------------------------------------


@dataclass
class Phase:
    """What one timed phase measured."""

    name: str
    clients: int
    seconds: float
    latencies: list[float]  # seconds, every completed request
    errors: Counter[str]
    cores: dict[str, float] = field(default_factory=dict)  # CPU seconds / wall, per party
    server: dict[str, float] = field(default_factory=dict)  # from /metrics, API phases only

    @property
    def requests(self) -> int:
        """Completed requests, good or not."""
        return len(self.latencies)

    @property
    def rate(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    def ms(self, q: float) -> float:
        """The q-quantile of latency in ms (nearest rank)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return 1000 * ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


async def drive(
    call: Callable[[str], Awaitable[str | None]],
    ids: list[str],
    clients: int,
    seconds: float,
    cap: int,
    seed: int,
    stopping: asyncio.Event,
) -> tuple[list[float], Counter[str], float]:
    """`clients` tasks calling back to back for `seconds` or `cap` requests in all (or until
    `stopping` is set)."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    issued = 0
    deadline = time.perf_counter() + seconds

    async def client(n: int) -> None:
        nonlocal issued
        rng = random.Random(seed * 1000 + n)
        while issued < cap and time.perf_counter() < deadline and not stopping.is_set():
            issued += 1
            identity_id = ids[rng.randrange(len(ids))]
            started = time.perf_counter()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    problem = await call(identity_id)
            except Exception as exc:  # counted, never fatal: the phase goes on
                problem = f"{type(exc).__name__}: {str(exc)[:120]}"
            latencies.append(time.perf_counter() - started)
            if problem:
                errors[problem] += 1

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    return latencies, errors, time.perf_counter() - started


_METRIC = re.compile(r"^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)$")


async def scrape(client: httpx.AsyncClient) -> dict[str, float]:
    """The API's /metrics, summed per metric name and `query`/`path` label."""
    totals: dict[str, float] = defaultdict(float)
    text = (await client.get("/metrics")).text
    for line in text.splitlines():
        match = _METRIC.match(line)
        if not match or line.startswith("#"):
            continue
        name, labels, value = match.groups()
        label = re.search(r'(?:query|path)="([^"]*)"', labels or "")
        totals[f"{name}|{label.group(1) if label else ''}"] += float(value)
    return totals


def _server_figures(before: dict[str, float], after: dict[str, float], n: int) -> dict[str, float]:
    """Per request: graph round trips, summed graph time (ms), server time (ms)."""
    delta = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
    trips = sum(v for k, v in delta.items() if k.startswith("c360_db_round_trips_total|"))
    db = sum(v for k, v in delta.items() if k.startswith("c360_db_query_seconds_sum|"))
    served = delta.get("c360_http_request_seconds_count|/graphql", 0.0) or 1.0
    return {
        "round trips": trips / max(n, 1),
        "graph ms": 1000 * db / max(n, 1),
        "server ms": 1000 * delta.get("c360_http_request_seconds_sum|/graphql", 0.0) / served,
    }


def _machine_busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores, all processes)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


WAYS = {
    "API": "API (GraphQL/HTTP)",
    "raw": "raw Cypher, API's queries",
    "one query": "raw Cypher, one query",
    "peer": "@neo4j/graphql (Node)",
}


async def measure(
    args: argparse.Namespace,
    server: ApiServer,
    key: str,
    home: Path,
    ids: list[str],
    graph_pid: int,
    peer_server: PeerServer | None = None,
) -> tuple[list[Phase], Check]:
    """The check, then a phase per way of fetching and number of clients.

    Ctrl-C or SIGTERM ends the phase under way within one request (bounded by
    REQUEST_TIMEOUT), then raises KeyboardInterrupt so the caller stops the servers. A
    signal is turned into a flag rather than an exception here, as an exception raised at an
    arbitrary point inside the driver or httpx may be swallowed or break a connection.
    """
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    pool = max(100, 8 * args.concurrency)
    api, raw, one = (
        Api(server.url, key, args.concurrency),
        Raw(home, args.engine, pool),
        OneQuery(home, args.engine, pool),
    )
    metrics_client = httpx.AsyncClient(base_url=server.url, timeout=10)
    calls = {"API": api.call, "raw": raw.call, "one query": one.call}
    peer = None if peer_server is None else Peer(peer_server.url, args.concurrency)
    if peer is not None:
        calls["peer"] = peer.call
    phases: list[Phase] = []

    async def load(name: str, clients: int, seconds: float, seed: int) -> Phase:
        latencies, errors, elapsed = await drive(
            calls[name], ids, clients, seconds, args.requests, seed, stopping
        )
        if stopping.is_set():
            raise KeyboardInterrupt
        return Phase(name, clients, elapsed, latencies, errors)

    try:
        say(f"checking that every way fetches the same data ({CHECKED} identities) ...")
        check = await check_same_data(api, raw, one, peer, ids[:CHECKED])
        for pid in [*server.pids(), *(peer_server.pids() if peer_server else []), graph_pid]:
            reset_peak(pid)
        # JIT compilation in the graph server and first connections: warm every way up first.
        warm = min(args.warmup, args.seconds)
        for number, name in enumerate(calls):
            say(f"warming up {WAYS[name]}: {args.concurrency} clients, {warm:.0f} s ...")
            await load(name, args.concurrency, warm, args.seed + 200 + number)
        plan = [(name, clients) for clients in (1, args.concurrency) for name in calls]
        for number, (name, clients) in enumerate(plan):
            warm = min(2.0, args.seconds / 4)
            say(
                f"{WAYS[name]}, {clients} client(s): warm-up {warm:.0f} s, then up to "
                f"{args.seconds:.0f} s or {args.requests:,} requests ..."
            )
            await load(name, clients, warm, args.seed + 100 + number)
            # The "API" column is the server of the phase: c360 serve's processes, or the peer's.
            serving = peer_server.pids() if name == "peer" and peer_server else server.all_pids()
            parties = {"client": [os.getpid()], "API": serving, "graph": [graph_pid]}
            cpu_before = {p: sum(map(_cpu_seconds, pids)) for p, pids in parties.items()}
            machine_before = _machine_busy_seconds()
            before = await scrape(metrics_client) if name == "API" else {}
            phase = await load(name, clients, args.seconds, args.seed + number)
            cpu = {p: sum(map(_cpu_seconds, pids)) - cpu_before[p] for p, pids in parties.items()}
            cpu["other"] = max(0.0, _machine_busy_seconds() - machine_before - sum(cpu.values()))
            phase.cores = {p: value / phase.seconds for p, value in cpu.items()}
            if name == "API":
                phase.server = _server_figures(before, await scrape(metrics_client), phase.requests)
            say(
                f"  {phase.requests:,} requests, {phase.rate:,.0f}/s, p50 {phase.ms(0.5):.1f} ms, "
                f"p99 {phase.ms(0.99):.1f} ms, errors {sum(phase.errors.values())}"
            )
            phases.append(phase)
    finally:
        restore_signal_handlers(loop, _interrupt)
        await api.close()
        await raw.close()
        await one.close()
        if peer is not None:
            await peer.close()
        await metrics_client.aclose()
    return phases, check


# -- report ------------------------------------------------------------------------------


def _verdict(met: bool) -> str:
    return "MET" if met else "NOT MET"


def report(
    args: argparse.Namespace,
    facts: dict[str, Any],
    identities: int,
    phases: list[Phase],
    check: Check,
    peaks: dict[str, float | None],
) -> None:
    """The table, the ratios, where the API's time goes, and the goals."""
    say(
        f"\nGraphQL API benchmark, {time.strftime('%Y-%m-%d %H:%M')}: {identities:,} identities "
        f"with records ({args.people:,} people, seed {args.seed}; "
        f"{facts.get('households', 0):,} households from the ground truth); "
        f"{args.workers} uvicorn worker(s); {os.cpu_count()} cores; loopback; "
        f"graph engine {args.engine}"
    )
    say(
        f"same data: of {check.checked} identities ({check.with_household} with a household), "
        + ", ".join(f"{name} agrees with the API on {n}" for name, n in check.agree.items())
    )
    for line in check.differences[:6]:
        say(f"  DIFFERENT: {line}")
    say(
        "\nThe load generator runs in this process and shares the cores with the API and the "
        "graph server.\nCores used per phase: CPU seconds / wall seconds of this process "
        "(client), the uvicorn processes\n(API), the graph server (graph) and everything else "
        "on the machine (other).\n"
    )
    say(
        f"{'phase':<26} {'clients':>7} {'requests':>8} {'req/s':>6} {'p50':>6} {'p90':>6} "
        f"{'p99':>6} {'max':>6} {'errors':>6} | {'client':>6} {'API':>5} {'graph':>5} {'other':>5}"
    )
    for p in phases:
        c = p.cores
        say(
            f"{WAYS[p.name]:<26} {p.clients:>7} {p.requests:>8,} {p.rate:>6,.0f} "
            f"{p.ms(0.5):>6.1f} {p.ms(0.9):>6.1f} {p.ms(0.99):>6.1f} {p.ms(1.0):>6.1f} "
            f"{sum(p.errors.values()):>6} | {c['client']:>6.2f} {c['API']:>5.2f} "
            f"{c['graph']:>5.2f} {c['other']:>5.2f}"
        )
    say("(latencies in ms, measured by the client from request to parsed answer)")
    for p in phases:
        for problem, count in p.errors.most_common(5):
            say(f"  errors, {WAYS[p.name]} x{p.clients}: {count:,} {problem}")
    by = {(p.name, p.clients): p for p in phases}
    for clients in (1, args.concurrency):
        a = by[("API", clients)]
        say(f"\n{clients} client(s):")
        for name in ("raw", "one query"):
            r = by[(name, clients)]
            say(
                f"  API / {WAYS[name]}: p50 {a.ms(0.5) / r.ms(0.5):.2f}x, "
                f"p99 {a.ms(0.99) / r.ms(0.99):.2f}x, throughput {a.rate / r.rate:.2f}x"
            )
        if ("peer", clients) in by:
            q, r = by[("peer", clients)], by[("raw", clients)]
            say(
                f"  {WAYS['peer']} / {WAYS['raw']}: p50 {q.ms(0.5) / r.ms(0.5):.2f}x, "
                f"p99 {q.ms(0.99) / r.ms(0.99):.2f}x, throughput {q.rate / r.rate:.2f}x"
            )
            say(
                f"  API / {WAYS['peer']}: p50 {a.ms(0.5) / q.ms(0.5):.2f}x, "
                f"p99 {a.ms(0.99) / q.ms(0.99):.2f}x, throughput {a.rate / q.rate:.2f}x; "
                f"CPU per request: API {1000 * a.cores['API'] / max(a.rate, 1e-9):.1f} ms, "
                f"peer {1000 * q.cores['API'] / max(q.rate, 1e-9):.1f} ms (its Node process); "
                f"graph server {1000 * a.cores['graph'] / max(a.rate, 1e-9):.1f} / "
                f"{1000 * q.cores['graph'] / max(q.rate, 1e-9):.1f} ms"
            )
        s = a.server
        say(
            f"  API server side, per request: {s['round trips']:.1f} graph round trips, "
            f"{s['server ms']:.1f} ms in the app (uvicorn to response), {s['graph ms']:.1f} ms "
            "summed over its graph queries (some run in parallel); CPU "
            f"{1000 * a.cores['API'] / max(a.rate, 1e-9):.1f} ms in the API, "
            f"{1000 * a.cores['graph'] / max(a.rate, 1e-9):.1f} ms in the graph server"
        )
    say(
        "\npeak RSS during the phases: "
        + ", ".join(f"{k} {'n/a' if v is None else f'{v:,.0f} MB'}" for k, v in peaks.items())
    )
    loaded, raw_loaded = by[("API", args.concurrency)], by[("raw", args.concurrency)]
    single, raw_single = by[("API", 1)], by[("raw", 1)]
    say("\nGoals (API, full-neighbourhood query):")
    say(
        f"  >= {GOAL_RPS:.0f} requests/s with {args.concurrency} clients: "
        f"{loaded.rate:,.0f}/s -> {_verdict(loaded.rate >= GOAL_RPS)}"
    )
    say(
        f"  p99 < {GOAL_P99_MS:.0f} ms with {args.concurrency} clients: "
        f"{loaded.ms(0.99):.1f} ms -> {_verdict(loaded.ms(0.99) < GOAL_P99_MS)}"
    )
    for label, a, r in (
        ("1 client", single, raw_single),
        (f"{args.concurrency} clients", loaded, raw_loaded),
    ):
        ratio = a.ms(0.5) / r.ms(0.5)
        say(
            f"  API p50 <= {GOAL_RATIO}x the raw queries', {label}: {ratio:.2f}x -> "
            f"{_verdict(ratio <= GOAL_RATIO)}"
        )


# -- main --------------------------------------------------------------------------------


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--people",
        type=int,
        default=DEFAULT_PEOPLE,
        help=f"people to generate (default {DEFAULT_PEOPLE}: about 100k identities)",
    )
    parser.add_argument("--seed", type=int, default=7, help="dataset and sampling seed (7)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per phase (20)")
    parser.add_argument(
        "--requests", type=int, default=1_000_000, help="most requests per phase (1000000)"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=5.0,
        help="seconds of load per way before any timing (5); each phase then warms up 2 s",
    )
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers (2)")
    parser.add_argument(
        "--keep-data",
        type=Path,
        metavar="DIR",
        help="server home to build once and reuse (e.g. bench/out/api-100k; the server is "
        "stopped at the end, the data kept)",
    )
    parser.add_argument("--heap", default="6g", help="Java heap of the graph server (6g)")
    parser.add_argument(
        "--build-only", action="store_true", help="build the data set (see --keep-data), then stop"
    )
    parser.add_argument(
        "--no-peer",
        action="store_true",
        help="on Neo4j, do not drive the @neo4j/graphql peer (tools/neo4j-graphql-peer)",
    )
    add_engine_option(parser)
    args = parser.parse_args()
    if args.people < 1 or args.concurrency < 1 or args.seconds <= 0 or args.requests < 1:
        parser.error("--people, --concurrency, --seconds and --requests must be positive")

    signal.signal(signal.SIGTERM, _interrupt)
    home, facts, temporary = kept_build_home(
        args.keep_data,
        MARKER,
        {"people": args.people, "seed": args.seed, "engine": args.engine},
        prefix="c360-bench-api-",
    )
    server: ApiServer | None = None
    peer: PeerServer | None = None
    graph = engine_server(home, args.engine, heap=args.heap)
    logs = Path(tempfile.mkdtemp(prefix="c360-bench-api-logs-"))
    try:
        if facts:
            say(f"reusing the build in {home} ({facts['built_at']}); starting its graph server ...")
            run_c360(
                ["db", "start"],
                c360_env(
                    home, args.heap, args.engine, C360_API_KEYS_FILE=str(home / "api-keys.json")
                ),
                home,
            )
        else:
            say(f"building the data set in {home} ...")
            facts = build(home, args.people, args.seed, args.heap, args.engine)
            if not temporary:
                (home / MARKER).write_text(json.dumps(facts, indent=2) + "\n")
        if args.build_only:
            say(f"built in {home}; --build-only, so no measurement")
            return
        identities, ids = sample_ids(home, args.heap, args.seed, args.engine)
        say(f"{identities:,} active identities with records; sampled {len(ids):,}")

        env = c360_env(home, args.heap, args.engine, C360_API_KEYS_FILE=str(home / "api-keys.json"))
        key = make_api_key("bench", "analyst", env, home)
        server = ApiServer(home, env, args.workers, logs / "serve.log")
        say(f"starting `c360 serve --workers {args.workers}` on {server.url} ...")
        server.start()
        info = graph.info()
        if info is None:
            raise BenchError("the graph server is not running")
        if args.engine == "neo4j" and not args.no_peer:
            peer = PeerServer(info, logs / "peer.log")
            say(f"starting the @neo4j/graphql peer on {peer.url} ...")
            peer.start()
        phases, check = asyncio.run(measure(args, server, key, home, ids, info.pid, peer))
        peaks: dict[str, float | None] = {
            f"API worker {n + 1}": vm_hwm_mb(pid) for n, pid in enumerate(server.pids())
        }
        if peer is not None:
            peaks["@neo4j/graphql"] = vm_hwm_mb(peer.pids()[0])
        peaks["graph server"] = vm_hwm_mb(info.pid)
        peaks["load generator"] = vm_hwm_mb(os.getpid())
        report(args, facts, identities, phases, check, peaks)
    except KeyboardInterrupt:
        say("\ninterrupted; stopping the servers ...")
        raise SystemExit(130) from None
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if server is not None:
            server.stop()
        if peer is not None:
            peer.stop()
        graph.stop()
        if temporary:
            shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(logs, ignore_errors=True)


if __name__ == "__main__":
    run_main(main)
