"""The writer: `c360 ingest` and `c360 resolve` as subprocesses, then mutations as admin, and
what its passes did."""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import C360, BenchError, say

from loadtest.client import Client, Tally
from loadtest.operations import ADD_NOTE, INGEST, LINK, RESOLVE, SET_ATTRIBUTE, UNLINK
from loadtest.readers import Sample

NOTES_PER_ROUND = 3
_INGEST_LINE = re.compile(
    r"^\s*(\S+)/(\w+): read (\d+), created (\d+), updated (\d+), unchanged (\d+), rejected (\d+)"
)


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
