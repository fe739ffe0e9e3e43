"""Load: concurrent GraphQL readers while one writer ingests and resolves, on loopback.

    .venv/bin/python bench/load.py --keep-data bench/out/load-20000       # build ~6 min once, run ~10 min
    .venv/bin/python bench/load.py --people 2000 --readers 4 --seconds 20   # smoke run, ~2 min

Build (kept with --keep-data DIR, marked by DIR/bench-load-build.json; the graph is copied
aside after the build and put back before every run, so every run starts from the same
state): a local graph server in its own C360_HOME, `c360 generate` of --people people plus
the people the writer adds, cut (by person, from the ground truth) into

- the first load: every record and activity row of --people people, then `c360 ingest`,
  `c360 resolve` and `c360 analyze households`;
- write batches A and B, in the generated files' own formats with a manifest each: the
  records and activity of --new-people new people, plus --changed records of first-load
  people with changed details (a new email, and a new street where the source has one);
- API batches A and B: the records and activity of --api-people more people, in canonical
  field names, for the `ingestRecords` mutation.

Run: the graph server, `c360 serve --workers W` with real API keys (reader role for the
readers, admin for the writer), then in order:

1. warm-up: the readers alone, --warmup seconds, not counted;
2. baseline: the readers alone, --baseline-seconds;
3. writer alone: pass A, no readers;
4. under load: --readers clients read while the writer runs pass B and then, if --seconds
   have not passed yet, rounds of mutations until they have (at most --max-rounds);
5. baseline again, --baseline-seconds; the baseline figures pool 2 and 5.

A reader sends, back to back, one of: the full-neighbourhood identity query (bench/api.py's
FULL_NEIGHBOURHOOD), searchIdentities by a record's name, identityByRecord, or an identity's
timeline (first page, then the next page when there is one).

A writer pass: `c360 ingest` of its batch's manifest, `c360 resolve`, then GraphQL mutations:
ingestRecords of its API batch (customers, then their orders, interactions and devices;
resolve: false), then one round: addNote x3, setAttribute, link (resolve: false), and unlink
(resolve: true, which resolves everything the round and the API batch changed).

Exit 1 when any check fails: every request answered HTTP 200, without GraphQL errors and with
the data asked for; no read outlived --request-timeout, every reader stopped when told,
every writer command and mutation ended within --step-timeout (no hang, no deadlock); and
after the run, the graph is read (cypher/bench/load_*):
every record resolves to exactly one active identity, no active identity is empty or
miscounted, the records, orders and interactions in the graph equal what the ingest runs
created, each batch created its new records and updated its changed ones, the notes and
attributes equal the calls that succeeded, and every link and unlink holds.

The readers run in this process, on the same 2 cores as the API workers, the graph server
and the writer: compare the same-run ratios, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
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
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from api import FULL_NEIGHBOURHOOD, ApiServer
from common import C360, BenchError, c360_env, local_settings, run_c360, say

from c360graph.db.graph import connect
from c360graph.db.local_server import LocalServer
from c360graph.generate.sources import (
    ACTIVITY_FILES,
    CUSTOMER_SOURCES,
    GROUND_TRUTH,
    GROUND_TRUTH_COLUMNS,
    write_manifest,
)
from c360graph.generate.writer import Sinks
from c360graph.sources.readers import open_source

MARKER = "bench-load-build.json"
LAST_RUN = "bench-load-last-run.json"
SNAPSHOT = "snapshot"  # a copy of the graph's data folder right after the build
READER, ADMIN = "load-reader", "load-admin"  # API key names (and note authors)
BATCHES = ("batch-a", "batch-b")
KINDS = {"identity": 4, "search": 2, "by record": 2, "timeline": 2}  # reads and their weights
NOTES_PER_ROUND = 3
T = TypeVar("T")


@dataclass(frozen=True)
class Op:
    """A GraphQL operation, and the top-level field a good answer holds (not null)."""

    text: str
    field: str


SEARCH = Op(
    """
query Search($name: String!) {
  searchIdentities(name: $name, first: 10) {
    edges { node { score identity { id recordCount profile { fullName { value source } } } } }
    pageInfo { hasNextPage endCursor }
  }
}
""",
    "searchIdentities",
)
BY_RECORD = Op(
    """
query ByRecord($source: String!, $sourceId: String!) {
  identityByRecord(source: $source, sourceId: $sourceId) {
    id status recordCount sources
    profile { fullName { value source } email { value } phone { value } }
    records(first: 20) { edges { node { key source sourceId } } }
  }
}
""",
    "identityByRecord",
)
TIMELINE = Op(
    """
query Timeline($id: ID!, $after: String) {
  identity(id: $id) {
    id
    timeline(first: 20, after: $after) {
      edges { node { at kind channel { name } order { key amount currency status }
                     interaction { key type subject } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
""",
    "identity",
)
INGEST = Op(
    """
mutation Ingest($source: String!, $kind: RecordKind!, $records: [JSON!]!) {
  ingestRecords(source: $source, kind: $kind, records: $records, resolve: false) {
    read created updated unchanged rejected rejections { row reason }
  }
}
""",
    "ingestRecords",
)
ADD_NOTE = Op(
    """
mutation Note($id: ID!, $text: String!) { addNote(identityId: $id, text: $text) { id author } }
""",
    "addNote",
)
SET_ATTRIBUTE = Op(
    """
mutation Attribute($id: ID!, $value: String!) {
  setAttribute(identityId: $id, name: "load_test", value: $value) { name value author }
}
""",
    "setAttribute",
)
_ASSERT = """
mutation Assert($a: RecordRef!, $b: RecordRef!, $resolve: Boolean!) {
  ACTION(a: $a, b: $b, note: "load test", resolve: $resolve) {
    same resolution { mode scope identities }
  }
}
"""
LINK = Op(_ASSERT.replace("ACTION", "link"), "link")
UNLINK = Op(_ASSERT.replace("ACTION", "unlink"), "unlink")
RESOLVE = Op("mutation { resolve { mode } }", "resolve")
NEIGHBOURHOOD = Op(FULL_NEIGHBOURHOOD, "identity")
_INGEST_LINE = re.compile(
    r"^\s*(\S+)/(\w+): read (\d+), created (\d+), updated (\d+), unchanged (\d+), rejected (\d+)"
)


# -- the data: one generation cut into a first load, write batches and API batches --------


def _email_of(row: dict[str, Any]) -> str:
    value = row.get("email")
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "").split("|")[0]


def _moved(email: str) -> str:
    local, at, domain = email.partition("@")
    return f"{local}.moved{at}{domain}"


def _changed(row: dict[str, Any], n: int) -> dict[str, Any]:
    """The same record with changed details: a new first email, a new street if it has one."""
    new = dict(row)
    email = row["email"]
    if isinstance(email, list):
        new["email"] = [_moved(str(email[0])), *email[1:]]
    else:
        first, bar, rest = str(email).partition("|")
        new["email"] = _moved(first) + bar + rest
    if row.get("address_line1"):
        new["address_line1"] = f"{n % 170 + 1} Station Road"
    return new


def split_dataset(
    generated: Path, out: Path, new_people: int, api_people: int, changed: int, seed: int
) -> dict[str, Any]:
    """Cut `generated` by person into the first load, write batches A and B (files and
    manifests under `out`) and API batches A and B (`out/api-a.json`, `out/api-b.json`);
    what each part holds."""
    with (generated / GROUND_TRUTH).open(encoding="utf-8", newline="") as fh:
        truth = list(csv.DictReader(fh))
    person_of = {(r["source"], r["source_id"]): r["person_id"] for r in truth}
    rng = random.Random(f"{seed}:load")
    late = rng.sample(sorted({r["person_id"] for r in truth}), 2 * (new_people + api_people))
    part_of: dict[str, str] = {}
    for number, name in enumerate(BATCHES):
        start = number * (new_people + api_people)
        part_of |= dict.fromkeys(late[start : start + new_people], name)
        part_of |= dict.fromkeys(
            late[start + new_people : start + new_people + api_people], f"api-{name[-1]}"
        )
    facts: dict[str, Counter[str]] = {p: Counter() for p in ("first", *BATCHES)}
    api: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = {
        "api-a": defaultdict(list),
        "api-b": defaultdict(list),
    }
    candidates: list[tuple[str, dict[str, Any]]] = []  # first-load records with an email
    with ExitStack() as stack:
        sinks = {p: stack.enter_context(Sinks(out / p)) for p in facts}
        for sink in sinks.values():
            for src in CUSTOMER_SOURCES:
                sink.open(src.path, src.columns, delimiter=src.delimiter, bom=src.bom)
            for act in ACTIVITY_FILES:
                sink.open(act.path, act.columns)
            sink.open(GROUND_TRUTH, GROUND_TRUTH_COLUMNS)
        for src in CUSTOMER_SOURCES:
            for raw in open_source(generated / src.path).rows():
                row = {key: raw.values.get(name) for name, key in src.columns}
                part = part_of.get(person_of[(src.name, str(row["source_id"]))], "first")
                if part in api:
                    api[part][(src.name, "CUSTOMERS")].append(row)
                    continue
                sinks[part].write(src.path, row)
                facts[part]["customers"] += 1
                facts[part]["rows"] += 1
                if part == "first" and _email_of(row):
                    candidates.append((src.path, row))
        picked = rng.sample(candidates, min(2 * changed, len(candidates)))
        for number, (path, row) in enumerate(picked):
            part = BATCHES[number % 2]
            sinks[part].write(path, _changed(row, number))
            facts[part]["changed"] += 1
            facts[part]["rows"] += 1
        for act in ACTIVITY_FILES:
            for raw in open_source(generated / act.path).rows():
                row = {key: raw.values.get(name) for name, key in act.columns}
                owner = (str(row.get("customer_source") or act.source), str(row["customer_id"]))
                part = part_of.get(person_of[owner], "first")
                if part in api:
                    api[part][(act.source, act.kind.name)].append(row)
                    continue
                sinks[part].write(act.path, row)
                facts[part][act.kind.value] += 1
                facts[part]["rows"] += 1
        for row in truth:
            part = part_of.get(row["person_id"], "first")
            if part not in api:
                sinks[part].write(GROUND_TRUTH, row)
    for part in facts:
        write_manifest(out / part)
    kinds = ("CUSTOMERS", "ORDERS", "INTERACTIONS", "DEVICES")  # records before their activity
    summary: dict[str, Any] = {part: dict(counts) for part, counts in facts.items()}
    for name, groups in api.items():
        calls = [
            {"source": source, "kind": kind, "records": groups[(source, kind)]}
            for kind in kinds
            for source, k in sorted(groups)
            if k == kind
        ]
        (out / f"{name}.json").write_text(json.dumps(calls, ensure_ascii=False), encoding="utf-8")
        summary[name] = {"calls": len(calls), "rows": sum(len(c["records"]) for c in calls)}
    return summary


# -- build, snapshot, restore ------------------------------------------------------------


def _env(home: Path, args: argparse.Namespace) -> dict[str, str]:
    extra = {"C360_API_KEYS_FILE": str(home / "api-keys.json")}
    if args.api_timeout:
        extra["C360_API_TIMEOUT"] = str(args.api_timeout)
    return c360_env(home, args.heap, **extra)


def _facts_key(args: argparse.Namespace) -> dict[str, int]:
    return {
        "people": args.people,
        "new_people": args.new_people,
        "api_people": args.api_people,
        "changed": args.changed,
        "seed": args.seed,
    }


def build(home: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Generate, cut, ingest the first load, resolve and household it in `home`."""
    env = _env(home, args)
    data = home / "generated"
    seconds: dict[str, float] = {}
    total = args.people + 2 * (args.new_people + args.api_people)
    say(f"  graph server in {home} (heap {args.heap}) ...")
    seconds["db start"] = run_c360(["db", "start"], env, home)
    say(f"  generating {total:,} people (seed {args.seed}) ...")
    generate = ["generate", "--customers", str(total), "--seed", str(args.seed), "--no-progress"]
    seconds["generate"] = run_c360([*generate, "--out", str(data / "all")], env, home)
    say("  cutting it into the first load, write batches A and B, API batches A and B ...")
    started = time.perf_counter()
    parts = split_dataset(
        data / "all", data, args.new_people, args.api_people, args.changed, args.seed
    )
    seconds["split"] = time.perf_counter() - started
    for part, counts in parts.items():
        say(f"    {part:<8} {json.dumps(counts)}")
    say("  ingesting the first load ...")
    seconds["ingest"] = run_c360(
        ["ingest", str(data / "first" / "manifest.yaml"), "--no-progress"], env, home
    )
    say("  resolving ...")
    seconds["resolve"] = run_c360(["resolve"], env, home)
    say("  householding ...")
    seconds["households"] = run_c360(["analyze", "households"], env, home)
    return {
        **_facts_key(args),
        "parts": parts,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "built_at": time.strftime("%Y-%m-%d %H:%M"),
    }


def prepare_home(args: argparse.Namespace) -> tuple[Path, dict[str, Any], bool]:
    """The server home (kept or temporary), its build facts if built, and whether temporary."""
    if args.keep_data is None:
        return Path(tempfile.mkdtemp(prefix="c360-bench-load-")), {}, True
    home = args.keep_data.resolve()
    marker = home / MARKER
    if marker.exists():
        facts: dict[str, Any] = json.loads(marker.read_text())
        wanted = _facts_key(args)
        if {k: facts.get(k) for k in wanted} != wanted:
            raise BenchError(
                f"{home} holds a build of {json.dumps({k: facts.get(k) for k in wanted})}, not "
                f"{json.dumps(wanted)}; pass the same options, another --keep-data folder, or "
                f"delete {home}"
            )
        return home, facts, False
    if home.exists() and any(home.iterdir()):
        raise BenchError(
            f"{home} is not empty and holds no finished build ({MARKER}); an interrupted "
            f"build? Stop its server (C360_HOME={home} C360_CONFIG=/dev/null .venv/bin/c360 db "
            "stop), delete the folder, run again"
        )
    home.mkdir(parents=True, exist_ok=True)
    return home, {}, False


def snapshot(home: Path, heap: str) -> None:
    """Stop the graph server and copy its data folder aside."""
    LocalServer(home, heap=heap).stop()
    shutil.rmtree(home / SNAPSHOT, ignore_errors=True)
    shutil.copytree(home / "data", home / SNAPSHOT)


def restore(home: Path, heap: str) -> None:
    """Stop the graph server and put the build's data folder back."""
    if not (home / SNAPSHOT).is_dir():
        raise BenchError(f"{home} has no {SNAPSHOT}/ folder; delete {home} and build again")
    LocalServer(home, heap=heap).stop()
    shutil.rmtree(home / "data")
    shutil.copytree(home / SNAPSHOT, home / "data")


def make_key(name: str, role: str, env: dict[str, str], home: Path) -> str:
    """A fresh API key (an earlier run's key of that name revoked first)."""
    subprocess.run(
        [*C360, "keys", "revoke", name], env=env, cwd=home, capture_output=True, check=False
    )
    made = subprocess.run(
        [*C360, "keys", "create", name, "--role", role],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode:
        raise BenchError(f"`c360 keys create {name}` failed: {made.stderr.strip()}")
    return made.stdout.strip()


# -- requests ----------------------------------------------------------------------------


@dataclass
class Tally:
    """Requests of one phase: every latency by kind, and what went wrong by kind."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)  # "kind: problem"
    past_timeout: int = 0  # requests that had no answer within the client's timeout
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        """Requests completed, good or not."""
        return sum(map(len, self.latencies.values()))

    def add(self, kind: str, seconds: float, problem: str | None) -> None:
        """Count one request."""
        self.latencies[kind].append(seconds)
        if problem:
            self.errors[f"{kind}: {problem}"] += 1


def quantile_ms(values: list[float], q: float) -> float:
    """The q-quantile of `values` (seconds) in ms, by nearest rank; NaN when empty."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return 1000 * ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def _problem(status: int, body: dict[str, Any] | None, expect: str) -> str | None:
    """None for a good answer, else what is wrong with it."""
    codes = sorted(
        {str((e.get("extensions") or {}).get("code")) for e in (body or {}).get("errors") or []}
    )
    if status != 200:
        return f"HTTP {status}" + (f" {', '.join(codes)}" if codes else "")
    if body is None:
        return "answer is not JSON"
    if codes:
        return "GraphQL " + ", ".join(codes)
    if (body.get("data") or {}).get(expect) is None:
        return f"{expect} is null"
    return None


class Client:
    """GraphQL over HTTP/1.1 keep-alive with one key, counting every request in a Tally."""

    def __init__(self, url: str, key: str, connections: int, timeout: float) -> None:
        self.timeout = timeout
        self.http = httpx.AsyncClient(
            base_url=url,
            headers={"Authorization": f"Bearer {key}"},
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
            timeout=timeout,
        )

    async def send(
        self, tally: Tally, label: str, op: Op, variables: dict[str, Any]
    ) -> dict[str, Any] | None:
        """One request, counted under `label`; its answer's `op.field` when it succeeded, else
        None (and the problem counted)."""
        started = time.perf_counter()
        body: dict[str, Any] | None = None
        try:
            async with asyncio.timeout(self.timeout):
                response = await self.http.post(
                    "/graphql", json={"query": op.text, "variables": variables}
                )
            with contextlib.suppress(ValueError):
                body = response.json()
            problem = _problem(response.status_code, body, op.field)
        except (TimeoutError, httpx.TimeoutException):
            problem = f"no answer within {self.timeout:.0f} s"
            tally.past_timeout += 1
        except httpx.HTTPError as exc:
            problem = f"{type(exc).__name__}: {str(exc)[:100]}"
        tally.add(label, time.perf_counter() - started, problem)
        if problem or body is None:
            return None
        found: dict[str, Any] = body["data"][op.field]
        return found

    async def close(self) -> None:
        """Close the connections."""
        await self.http.aclose()


# -- readers -----------------------------------------------------------------------------


@dataclass
class Sample:
    """What readers ask for and the writer annotates, drawn from the graph before the load."""

    identities: list[str]
    records: list[tuple[str, str]]  # (source, source_id)
    names: list[str]
    rows: list[dict[str, Any]]  # key, identity: for link and unlink pairs


def sample(home: Path, heap: str) -> Sample:
    """Every record of an active identity, with its identity and name."""
    with connect(local_settings(home, heap)) as graph:
        rows = graph.read("bench/load_records")
    if not rows:
        raise BenchError("the graph holds no resolved records; did the build's resolve run?")
    return Sample(
        identities=sorted({r["identity"] for r in rows}),
        records=[(r["source"], r["source_id"]) for r in rows],
        names=sorted({r["name"] for r in rows if r["name"]}),
        rows=rows,
    )


async def read_once(client: Client, data: Sample, rng: random.Random, tally: Tally) -> None:
    """One reader operation, drawn by KINDS' weights."""
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    if kind == "identity":
        await client.send(tally, kind, NEIGHBOURHOOD, {"id": rng.choice(data.identities)})
    elif kind == "search":
        await client.send(tally, kind, SEARCH, {"name": rng.choice(data.names)})
    elif kind == "by record":
        source, source_id = rng.choice(data.records)
        await client.send(tally, kind, BY_RECORD, {"source": source, "sourceId": source_id})
    else:
        identity_id = rng.choice(data.identities)
        found = await client.send(tally, kind, TIMELINE, {"id": identity_id, "after": None})
        page = (found or {}).get("timeline", {}).get("pageInfo", {})
        if page.get("hasNextPage"):
            after = page["endCursor"]
            await client.send(tally, kind, TIMELINE, {"id": identity_id, "after": after})


async def read_phase(
    client: Client,
    data: Sample,
    readers: int,
    done: Callable[[], bool],
    cap: int,
    seed: int,
) -> tuple[Tally, int]:
    """`readers` clients reading back to back until done() or `cap` requests; the tally and
    how many readers failed to stop within two request timeouts of being told (hung)."""
    tally = Tally()

    async def reader(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        while not done() and tally.requests < cap:
            await read_once(client, data, rng, tally)

    started = time.perf_counter()
    tasks = [asyncio.create_task(reader(n)) for n in range(readers)]
    while not done() and tally.requests < cap and not any(t.done() for t in tasks):
        await asyncio.sleep(0.1)
    crashed = [t for t in tasks if t.done() and t.exception() is not None]
    if crashed:  # a reader that died of a bug is a bench failure, not a load error
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise BenchError(f"a reader failed: {crashed[0].exception()!r}")
    _, pending = await asyncio.wait(tasks, timeout=2 * client.timeout + 5)
    for task in pending:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    tally.seconds = time.perf_counter() - started
    return tally, len(pending)


# -- the writer --------------------------------------------------------------------------


async def c360_async(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float
) -> tuple[float, list[str]]:
    """Run `c360 ARGS` without blocking the event loop, its output indented; its seconds and
    lines. BenchError when it fails; TimeoutError past `timeout`, after stopping it."""
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *C360,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,  # stopped by this script, not by the terminal's Ctrl-C
    )
    lines: list[str] = []

    async def pump() -> int:
        if process.stdout is None:
            raise BenchError("no output pipe from the c360 subprocess")
        async for raw in process.stdout:
            lines.append(raw.decode(errors="replace").rstrip())
            say(f"      {lines[-1]}")
        return await process.wait()

    try:
        code = await asyncio.wait_for(pump(), timeout)
    except BaseException:  # past the timeout, cancelled or interrupted: stop the command
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()
        raise
    if code:
        raise BenchError(
            f"`c360 {' '.join(args)}` failed with exit code {code}; its last lines:\n"
            + "\n".join(lines[-15:])
        )
    return time.perf_counter() - started, lines


def _ref(key: str) -> dict[str, str]:
    source, source_id = key.split(":", 1)
    return {"source": source, "sourceId": source_id}


class Pairs:
    """Record pairs for link (two one-record identities) and unlink (two records of one
    identity), each identity used at most once in the run."""

    def __init__(self, rows: list[dict[str, Any]], rng: random.Random) -> None:
        by_identity: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            by_identity[row["identity"]].append(row["key"])
        ids = sorted(by_identity)
        rng.shuffle(ids)
        self._single = [by_identity[i][0] for i in ids if len(by_identity[i]) == 1]
        self._multi = [sorted(by_identity[i])[:2] for i in ids if len(by_identity[i]) > 1]

    def link(self) -> tuple[str, str] | None:
        """Two records of two identities, or None when used up."""
        if len(self._single) < 2:
            return None
        return self._single.pop(), self._single.pop()

    def unlink(self) -> tuple[str, str] | None:
        """Two records of one identity, or None when used up."""
        if not self._multi:
            return None
        a, b = self._multi.pop()
        return a, b


@dataclass
class WriterPass:
    """One writer pass: each step's seconds, what `c360 ingest` and ingestRecords reported,
    the extra mutation rounds that followed, and steps that failed or hung."""

    name: str
    batch: str
    steps: dict[str, float] = field(default_factory=dict)
    ingest: list[dict[str, Any]] = field(default_factory=list)
    api_ingest: list[dict[str, Any]] = field(default_factory=list)
    rounds: int = 0
    failures: list[str] = field(default_factory=list)
    hung: list[str] = field(default_factory=list)


@dataclass
class Writes:
    """What the writer's mutations changed over the whole run, for the integrity checks."""

    notes: int = 0
    attributes: int = 0
    links: list[tuple[str, str]] = field(default_factory=list)
    unlinks: list[tuple[str, str]] = field(default_factory=list)


class Writer:
    """One writer: `c360 ingest` and `c360 resolve` as subprocesses, then mutations as admin."""

    def __init__(
        self, client: Client, home: Path, env: dict[str, str], data: Sample, args: Any
    ) -> None:
        self.client, self.home, self.env, self.data = client, home, env, data
        self.step_timeout: float = args.step_timeout
        self.rng = random.Random(f"{args.seed}:writer")
        self.pairs = Pairs(data.rows, self.rng)
        self.writes = Writes()

    async def _cli(self, run: WriterPass, step: str, args: list[str]) -> list[str] | None:
        say(f"  writer, {run.name}: `c360 {' '.join(args)}` ...")
        try:
            seconds, lines = await c360_async(args, self.env, self.home, self.step_timeout)
        except TimeoutError:
            run.hung.append(f"{step}: not finished within {self.step_timeout:.0f} s (stopped)")
            return None
        except BenchError as exc:
            run.failures.append(f"{step}: {exc}")
            return None
        run.steps[step] = seconds
        return lines

    async def run_pass(self, name: str, batch: str, tally: Tally) -> WriterPass:
        """Ingest and resolve the batch with the CLI, send its API batch, then one round."""
        run = WriterPass(name, batch)
        generated = self.home / "generated"
        lines = await self._cli(
            run,
            "c360 ingest",
            ["ingest", str(generated / batch / "manifest.yaml"), "--no-progress"],
        )
        if lines is None or await self._cli(run, "c360 resolve", ["resolve"]) is None:
            return run
        for line in lines:
            if match := _INGEST_LINE.match(line):
                source, kind, *counts = match.groups()
                names = ("read", "created", "updated", "unchanged", "rejected")
                run.ingest.append(
                    {
                        "source": source,
                        "kind": kind,
                        **dict(zip(names, map(int, counts), strict=True)),
                    }
                )
        say(f"  writer, {name}: ingestRecords of API batch {batch[-1].upper()} ...")
        started = time.perf_counter()
        calls = json.loads((generated / f"api-{batch[-1]}.json").read_text(encoding="utf-8"))
        for call in calls:
            kind = call["kind"].lower()
            variables = {k: call[k] for k in ("source", "kind", "records")}
            result = await self.client.send(tally, f"ingestRecords {kind}", INGEST, variables)
            run.api_ingest.append(
                {
                    "source": call["source"],
                    "kind": kind,
                    "sent": len(call["records"]),
                    **(result or {}),
                }
            )
        run.steps["ingestRecords"] = time.perf_counter() - started
        say(f"  writer, {name}: notes, attribute, link, unlink + resolve ...")
        started = time.perf_counter()
        await self.round(tally)
        run.steps["mutation round"] = time.perf_counter() - started
        return run

    async def round(self, tally: Tally) -> None:
        """addNote x3, setAttribute, link (resolve: false), unlink (resolve: true)."""
        send, rng, writes = self.client.send, self.rng, self.writes
        for _ in range(NOTES_PER_ROUND):
            note = {"id": rng.choice(self.data.identities), "text": f"note {rng.randrange(10**9)}"}
            if await send(tally, "addNote", ADD_NOTE, note):
                writes.notes += 1
        value = {"id": rng.choice(self.data.identities), "value": f"v{rng.randrange(10**9)}"}
        if await send(tally, "setAttribute", SET_ATTRIBUTE, value):
            writes.attributes += 1
        pair = self.pairs.link()
        if pair:
            refs = {"a": _ref(pair[0]), "b": _ref(pair[1]), "resolve": False}
            if await send(tally, "link", LINK, refs):
                writes.links.append(pair)
        pair = self.pairs.unlink()
        if pair is None:  # no pair left: resolve what the round linked all the same
            await send(tally, "resolve", RESOLVE, {})
            return
        refs = {"a": _ref(pair[0]), "b": _ref(pair[1]), "resolve": True}
        if await send(tally, "unlink + resolve", UNLINK, refs):
            writes.unlinks.append(pair)


# -- the phases --------------------------------------------------------------------------


@dataclass
class Results:
    """Everything measure() saw."""

    baseline: list[Tally]
    loaded: Tally
    alone: WriterPass
    under_load: WriterPass
    mutations_alone: Tally
    mutations_loaded: Tally
    readers_hung: int
    writes: Writes
    load_average: dict[str, tuple[float, float, float]]


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


async def measure(
    args: argparse.Namespace,
    url: str,
    keys: dict[str, str],
    home: Path,
    env: dict[str, str],
    data: Sample,
) -> Results:
    """The five phases. Ctrl-C or SIGTERM ends the phase under way within a request, stops the
    writer's command, then raises KeyboardInterrupt so the caller stops the servers."""
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    readers = Client(url, keys[READER], args.readers, args.request_timeout)
    admin = Client(url, keys[ADMIN], 1, args.step_timeout)  # a mutation may resolve: long
    writer = Writer(admin, home, env, data, args)
    load: dict[str, tuple[float, float, float]] = {}

    def for_seconds(seconds: float) -> Callable[[], bool]:
        started = time.perf_counter()
        return lambda: stopping.is_set() or time.perf_counter() - started >= seconds

    async def unless_stopped(work: Awaitable[T]) -> T:
        task = asyncio.ensure_future(work)
        stop = asyncio.create_task(stopping.wait())
        await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        if not task.done():  # interrupted: stop the writer's command or request, then leave
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            raise KeyboardInterrupt
        return task.result()

    async def reads(name: str, seconds: float, seed: int) -> tuple[Tally, int]:
        say(f"{name}: {args.readers} readers, {seconds:.0f} s ...")
        tally, hung = await read_phase(
            readers, data, args.readers, for_seconds(seconds), args.max_requests, seed
        )
        load[name] = os.getloadavg()
        if stopping.is_set():
            raise KeyboardInterrupt
        say(f"  {tally.requests:,} requests, {sum(tally.errors.values())} errors")
        return tally, hung

    try:
        await reads("warm-up", args.warmup, args.seed + 1)
        before, hung_before = await reads("baseline (before)", args.baseline_seconds, args.seed + 2)

        say("writer alone: pass A, no readers ...")
        mutations_alone = Tally()
        alone = await unless_stopped(writer.run_pass("alone", "batch-a", mutations_alone))
        load["writer alone"] = os.getloadavg()

        say(
            f"under load: {args.readers} readers while the writer runs pass B, then mutation "
            f"rounds until {args.seconds:.0f} s ..."
        )
        mutations_loaded = Tally()
        writer_done = asyncio.Event()
        started = time.perf_counter()

        async def write() -> WriterPass:
            try:
                run = await writer.run_pass("under load", "batch-b", mutations_loaded)
                while (
                    not stopping.is_set()
                    and not run.hung
                    and time.perf_counter() - started < args.seconds
                    and run.rounds < args.max_rounds
                ):
                    say(f"  writer, under load: extra mutation round {run.rounds + 1} ...")
                    await writer.round(mutations_loaded)
                    run.rounds += 1
                return run
            finally:
                writer_done.set()

        writing = asyncio.create_task(write())
        loaded, hung_loaded = await read_phase(
            readers,
            data,
            args.readers,
            lambda: stopping.is_set() or writer_done.is_set(),
            args.max_requests,
            args.seed + 3,
        )
        under_load = await unless_stopped(writing)
        load["under load"] = os.getloadavg()
        say(
            f"  {loaded.requests:,} reads in {loaded.seconds:.0f} s, {sum(loaded.errors.values())} "
            f"errors; writer: {mutations_loaded.requests} mutations, {under_load.rounds} extra rounds"
        )
        after, hung_after = await reads("baseline (after)", args.baseline_seconds, args.seed + 4)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _interrupt)
        await readers.close()
        await admin.close()
    return Results(
        baseline=[before, after],
        loaded=loaded,
        alone=alone,
        under_load=under_load,
        mutations_alone=mutations_alone,
        mutations_loaded=mutations_loaded,
        readers_hung=hung_before + hung_loaded + hung_after,
        writes=writer.writes,
        load_average=load,
    )


# -- integrity ---------------------------------------------------------------------------

Check = tuple[str, bool, str]


def _batch_checks(run: WriterPass, part: dict[str, int]) -> list[Check]:
    """The CLI ingest of a batch read every row, created its new records, updated its
    changed ones; its API batch's calls read what was sent."""
    if not run.ingest:
        return [(f"pass {run.batch[-1].upper()} ingested", False, "`c360 ingest` did not finish")]
    read = sum(line["read"] for line in run.ingest)
    customers = [line for line in run.ingest if line["kind"] == "customers"]
    created = sum(line["created"] for line in customers)
    updated = sum(line["updated"] for line in customers)
    rejected = sum(line["rejected"] for line in customers)
    new, changed = part.get("customers", 0), part.get("changed", 0)
    sent = sum(call["sent"] for call in run.api_ingest)
    api_read = sum(call.get("read", 0) for call in run.api_ingest)
    name = f"batch {run.batch[-1].upper()}"
    return [
        (
            f"{name}: `c360 ingest` read every row",
            read == part.get("rows"),
            f"{read:,} of {part.get('rows', 0):,}",
        ),
        (
            f"{name}: new records created, changed ones updated",
            created + rejected == new and updated == changed,
            f"created {created:,} + rejected {rejected:,} of {new:,} new; updated {updated:,} of {changed:,} changed",
        ),
        (
            f"{name}: ingestRecords read every row sent",
            api_read == sent,
            f"{api_read:,} of {sent:,} in {len(run.api_ingest)} calls",
        ),
    ]


def integrity(home: Path, heap: str, facts: dict[str, Any], results: Results) -> list[Check]:
    """Read the graph after the run and check it against the inputs and the writer's calls."""
    writes = results.writes
    with connect(local_settings(home, heap)) as graph:
        records = graph.read("bench/load_record_integrity")[0]
        identities = graph.read("bench/load_identity_integrity")[0]
        runs = {row["kind"]: row for row in graph.read("bench/load_ingest_runs")}
        annotations = graph.read("bench/load_annotations", author=ADMIN)[0]
        keys = [key for pair in writes.links + writes.unlinks for key in pair]
        found = {
            row["key"]: row["identities"] for row in graph.read("bench/load_identity_of", keys=keys)
        }

    def created(kind: str) -> int:
        return int(runs.get(kind, {}).get("created") or 0)

    def one(key: str) -> str | None:
        ids = found.get(key, [])
        return ids[0] if len(ids) == 1 else None

    held_links = sum(1 for a, b in writes.links if one(a) is not None and one(a) == one(b))
    held_unlinks = sum(1 for a, b in writes.unlinks if one(a) and one(b) and one(a) != one(b))
    stubs = records["stubs"]
    checks: list[Check] = [
        (
            "every record resolves to exactly one active identity",
            records["unresolved"] == records["ambiguous"] == records["inactive"] == 0,
            f"{records['records']:,} records: {records['unresolved']} with none, "
            f"{records['ambiguous']} with several, {records['inactive']} with an inactive one",
        ),
        (
            "no active identity is empty or miscounted",
            identities["empty"] == identities["miscounted"] == 0,
            f"{identities['identities']:,} active: {identities['empty']} without records, "
            f"{identities['miscounted']} with a wrong record_count",
        ),
        (
            "records = customers the ingest runs created",
            records["records"] - stubs == created("customers"),
            f"{records['records']:,} records ({stubs} stubs) vs {created('customers'):,} created",
        ),
        (
            "orders = orders the ingest runs created",
            identities["orders"] == created("orders"),
            f"{identities['orders']:,} vs {created('orders'):,}",
        ),
        (
            "interactions = interactions the ingest runs created",
            identities["interactions"] == created("interactions"),
            f"{identities['interactions']:,} vs {created('interactions'):,}",
        ),
    ]
    for run in (results.alone, results.under_load):
        checks += _batch_checks(run, facts["parts"][run.batch])
    checks += [
        (
            "notes and attributes = the calls that succeeded",
            (annotations["notes"], annotations["attributes"]) == (writes.notes, writes.attributes),
            f"notes {annotations['notes']} of {writes.notes}, attributes "
            f"{annotations['attributes']} of {writes.attributes}",
        ),
        (
            "every link and unlink holds",
            held_links == len(writes.links) and held_unlinks == len(writes.unlinks),
            f"links {held_links} of {len(writes.links)}, unlinks {held_unlinks} of "
            f"{len(writes.unlinks)}",
        ),
    ]
    return checks


# -- report ------------------------------------------------------------------------------


def _pooled(tallies: list[Tally]) -> Tally:
    pooled = Tally()
    for tally in tallies:
        for kind, values in tally.latencies.items():
            pooled.latencies[kind] += values
        pooled.errors += tally.errors
        pooled.past_timeout += tally.past_timeout
        pooled.seconds += tally.seconds
    return pooled


def _figures(values: list[float]) -> dict[str, float]:
    return {
        "requests": len(values),
        **{f"p{round(q * 100)}": quantile_ms(values, q) for q in (0.5, 0.95, 0.99)},
        "max": quantile_ms(values, 1.0),
    }


def _every(tally: Tally) -> list[float]:
    return [value for values in tally.latencies.values() for value in values]


def _latencies(tally: Tally, kind: str) -> list[float]:
    return _every(tally) if kind == "all reads" else tally.latencies[kind]


def _errors(tally: Tally, kind: str) -> int:
    return sum(n for problem, n in tally.errors.items() if problem.startswith(f"{kind}: "))


def report(
    args: argparse.Namespace,
    facts: dict[str, Any],
    data: Sample,
    results: Results,
    checks: list[Check],
) -> dict[str, Any]:
    """Print the figures, the checks and the verdict; the same as a JSON-ready dict."""
    base, loaded = _pooled(results.baseline), results.loaded
    parts = facts["parts"]
    say(
        f"\nLoad test, {time.strftime('%Y-%m-%d %H:%M')}: {args.people:,} people in the first "
        f"load ({len(data.records):,} records, {len(data.identities):,} identities); write "
        f"batches of {args.new_people:,} new people ({parts['batch-a'].get('customers', 0):,} and "
        f"{parts['batch-b'].get('customers', 0):,} records) + {args.changed:,} changed records, "
        f"API batches of {args.api_people} people; {args.readers} readers, {args.workers} "
        f"uvicorn workers, {os.cpu_count()} cores; loopback"
    )
    say(
        f"phases: baseline {base.seconds:.0f} s ({results.baseline[0].seconds:.0f} before, "
        f"{results.baseline[1].seconds:.0f} after), under load {loaded.seconds:.0f} s; load "
        "average (1 min) at the end of each: "
        + ", ".join(f"{name} {avg[0]:.1f}" for name, avg in results.load_average.items())
    )
    header = f"{'n':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'err':>4}"
    say(f"\n{'reads (ms)':<12} | baseline: {header} | under load: {header} | ratio p50  p95  p99")
    figures: dict[str, Any] = {}
    for kind in [*KINDS, "all reads"]:
        b_values = _latencies(base, kind)
        l_values = _latencies(loaded, kind)
        b, l_ = _figures(b_values), _figures(l_values)
        b["errors"] = sum(base.errors.values()) if kind == "all reads" else _errors(base, kind)
        l_["errors"] = sum(loaded.errors.values()) if kind == "all reads" else _errors(loaded, kind)
        ratio = {q: l_[q] / b[q] if b[q] else float("nan") for q in ("p50", "p95", "p99")}
        figures[kind] = {"baseline": b, "under load": l_, "ratio": ratio}
        cells = [
            f"{f['requests']:>6,} {f['p50']:>7.1f} {f['p95']:>7.1f} {f['p99']:>7.1f} "
            f"{f['max']:>7.1f} {f['errors']:>4}"
            for f in (b, l_)
        ]
        say(
            f"{kind:<12} | baseline: {cells[0]} | under load: {cells[1]} | "
            f"{ratio['p50']:>9.2f} {ratio['p95']:>4.2f} {ratio['p99']:>4.2f}"
        )
    say("(latency measured by the client, request to parsed answer; 'timeline' counts each page)")

    alone, under = results.alone, results.under_load
    say(f"\n{'writer step':<16} {'alone s':>8} {'under load s':>13} {'ratio':>6}")
    steps: dict[str, Any] = {}
    for step in [*dict.fromkeys([*alone.steps, *under.steps]), "total"]:
        a = sum(alone.steps.values()) if step == "total" else alone.steps.get(step, float("nan"))
        u = sum(under.steps.values()) if step == "total" else under.steps.get(step, float("nan"))
        steps[step] = {"alone": a, "under load": u, "ratio": u / a if a else float("nan")}
        say(f"{step:<16} {a:>8.1f} {u:>13.1f} {steps[step]['ratio']:>6.2f}")
    say(f"then {under.rounds} extra mutation round(s) under load")

    mutations: dict[str, Any] = {}
    say(
        f"\n{'mutation (ms)':<26} | alone: {'n':>3} {'p50':>8} {'max':>8} | under load: {'n':>3} {'p50':>8} {'max':>8}"
    )
    for kind in dict.fromkeys(
        [*results.mutations_alone.latencies, *results.mutations_loaded.latencies]
    ):
        a_f = _figures(results.mutations_alone.latencies[kind])
        l_f = _figures(results.mutations_loaded.latencies[kind])
        mutations[kind] = {"alone": a_f, "under load": l_f}
        say(
            f"{kind:<26} | alone: {a_f['requests']:>3} {a_f['p50']:>8.1f} {a_f['max']:>8.1f} | "
            f"under load: {l_f['requests']:>3} {l_f['p50']:>8.1f} {l_f['max']:>8.1f}"
        )

    phases = {
        "baseline (before)": results.baseline[0],
        "baseline (after)": results.baseline[1],
        "under load: reads": loaded,
        "writer alone: mutations": results.mutations_alone,
        "under load: mutations": results.mutations_loaded,
    }
    errors = {name: dict(t.errors) for name, t in phases.items() if t.errors}
    error_count = sum(sum(t.errors.values()) for t in phases.values())
    failures = [*alone.failures, *under.failures]
    say(
        f"\nerrors: {error_count}"
        + ("" if error_count else " (every request: HTTP 200, no GraphQL error, data present)")
    )
    for name, found in errors.items():
        for problem, n in sorted(found.items(), key=lambda item: -item[1]):
            say(f"  {name}: {n:,} x {problem}")
    for failure in failures:
        say(f"  writer step failed: {failure}")

    past = sum(t.past_timeout for t in phases.values())
    reads = [*results.baseline, loaded]
    writes = [results.mutations_alone, results.mutations_loaded]
    slowest_read = max(max(_every(t), default=0.0) for t in reads)
    slowest_write = max(max(_every(t), default=0.0) for t in writes)
    hung_steps = [*alone.hung, *under.hung]
    no_hang = past == 0 and results.readers_hung == 0 and not hung_steps
    say(
        f"hang check: slowest read {slowest_read:.1f} s (timeout {args.request_timeout:.0f} s), "
        f"slowest mutation {slowest_write:.1f} s (timeout {args.step_timeout:.0f} s), {past} "
        f"past their timeout, {results.readers_hung} readers that did not stop, writer commands "
        f"past {args.step_timeout:.0f} s: {len(hung_steps)} -> {'OK' if no_hang else 'FAILED'}"
    )
    for line in hung_steps:
        say(f"  {line}")

    say("\nintegrity:")
    for name, ok, detail in checks:
        say(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    passed = error_count == 0 and not failures and no_hang and all(ok for _, ok, _ in checks)
    say(f"\nverdict: {'PASSED' if passed else 'FAILED'}")
    return {
        "passed": passed,
        "at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "build": facts,
        "reads": figures,
        "writer": {"steps": steps, "extra_rounds": under.rounds, "failures": failures},
        "mutations": mutations,
        "errors": error_count,
        "errors_by_phase": errors,
        "hang": {
            "slowest_read_s": slowest_read,
            "slowest_mutation_s": slowest_write,
            "past_timeout": past,
            "readers_hung": results.readers_hung,
            "writer_steps_hung": hung_steps,
        },
        "integrity": [{"check": n, "ok": ok, "detail": d} for n, ok, d in checks],
        "passes": [asdict(alone), asdict(under)],
        "load_average": results.load_average,
    }


# -- main --------------------------------------------------------------------------------


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add("--people", type=int, default=20_000, help="people in the first load (20000)")
    add("--new-people", type=int, help="new people per write batch (default: 5%% of --people)")
    add("--changed", type=int, help="changed records per write batch (default: 5%% of --people)")
    add("--api-people", type=int, default=20, help="people per ingestRecords batch (20)")
    add("--seed", type=int, default=7, help="dataset and choices seed (7)")
    add("--readers", type=int, default=8, help="concurrent reader clients (8)")
    add("--seconds", type=float, default=60.0, help="least length of the phase under load (60)")
    add("--baseline-seconds", type=float, default=20.0, help="each baseline phase (20)")
    add("--warmup", type=float, default=5.0, help="readers alone before any timing (5)")
    add("--max-requests", type=int, default=1_000_000, help="most reads per phase (1000000)")
    add("--max-rounds", type=int, default=20, help="most extra mutation rounds under load (20)")
    add("--request-timeout", type=float, default=60.0, help="client timeout per read, s (60)")
    add(
        "--step-timeout",
        type=float,
        default=900.0,
        help="most seconds per writer command or mutation (900)",
    )
    add("--api-timeout", type=float, help="C360_API_TIMEOUT of the server (default: its own)")
    add("--workers", type=int, default=2, help="uvicorn workers (2)")
    add("--heap", default="4g", help="Java heap of the graph server (4g)")
    add(
        "--keep-data",
        type=Path,
        metavar="DIR",
        help="server home to build once and reuse (e.g. bench/out/load-20000); each run starts "
        "from the build's state, the server is stopped at the end",
    )
    add(
        "--json",
        type=Path,
        help=f"write the figures here (default with --keep-data: DIR/{LAST_RUN})",
    )
    args = parser.parse_args()
    args.new_people = args.people // 20 if args.new_people is None else args.new_people
    args.changed = args.people // 20 if args.changed is None else args.changed
    if (
        min(args.people, args.readers, args.max_requests, args.workers) < 1
        or min(args.seconds, args.baseline_seconds, args.request_timeout, args.step_timeout) <= 0
        or min(args.new_people, args.changed, args.api_people, args.warmup, args.max_rounds) < 0
    ):
        parser.error("sizes, counts and seconds must be positive")
    return args


def main() -> None:
    args = _arguments()
    signal.signal(signal.SIGTERM, _interrupt)
    home, facts, temporary = prepare_home(args)
    env = _env(home, args)
    graph = LocalServer(home, heap=args.heap)
    server: ApiServer | None = None
    logs = Path(tempfile.mkdtemp(prefix="c360-bench-load-logs-"))
    passed = False
    try:
        if facts:
            say(f"reusing the build in {home} ({facts['built_at']}); restoring its graph ...")
            restore(home, args.heap)
        else:
            say(f"building the data set in {home} ...")
            facts = build(home, args)
            if not temporary:
                say("  copying the graph aside, so that every run starts from this state ...")
                snapshot(home, args.heap)
                (home / MARKER).write_text(json.dumps(facts, indent=2) + "\n")
        run_c360(["db", "start"], env, home)
        keys = {
            READER: make_key(READER, "reader", env, home),
            ADMIN: make_key(ADMIN, "admin", env, home),
        }
        data = sample(home, args.heap)
        server = ApiServer(home, env, args.workers, logs / "serve.log")
        say(f"starting `c360 serve --workers {args.workers}` on {server.url} ...")
        server.start()
        results = asyncio.run(measure(args, server.url, keys, home, env, data))
        say("checking integrity ...")
        figures = report(args, facts, data, results, integrity(home, args.heap, facts, results))
        passed = figures["passed"]
        out = args.json or (None if temporary else home / LAST_RUN)
        if out is not None:
            out.write_text(json.dumps(figures, indent=2, default=str) + "\n")
            say(f"figures written to {out}")
    except BenchError as exc:
        say(f"error: {exc}")
    except KeyboardInterrupt:
        say("\ninterrupted; stopping the servers ...")
        raise SystemExit(130) from None
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if server is not None:
            if not passed:
                say(f"last lines of the API's log:\n{server.tail(40)}")
            server.stop()
        graph.stop()
        if temporary:
            shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(logs, ignore_errors=True)
    raise SystemExit(0 if passed else 1)


if __name__ == "__main__":
    main()
