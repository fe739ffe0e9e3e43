"""Readers: what they ask for, drawn from the graph before the load, and clients reading it
back to back."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import BenchError, local_settings

from c360graph.db.graph import connect
from loadtest.client import Client, Tally
from loadtest.operations import BY_RECORD, NEIGHBOURHOOD, SEARCH, TIMELINE

KINDS = {"identity": 4, "search": 2, "by record": 2, "timeline": 2}  # reads and their weights


@dataclass
class Sample:
    """What readers ask for and the writer annotates, drawn from the graph before the load."""

    identities: list[str]
    records: list[tuple[str, str]]  # (source, source_id)
    names: list[str]
    rows: list[dict[str, Any]]  # key, identity: for link and unlink pairs


def sample(home: Path, heap: str, engine: str) -> Sample:
    """Every record of an active identity, with its identity and name."""
    with connect(local_settings(home, heap, engine)) as graph:
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
