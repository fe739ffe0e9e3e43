"""The phases: warm-up, baseline, writer alone, under load, baseline again; measure() runs
them and stops cleanly on Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from common import restore_signal_handlers, say

from loadtest.build import ADMIN, READER
from loadtest.client import Client, Tally
from loadtest.readers import Sample, read_phase
from loadtest.writer import Writer, WriterPass, Writes

T = TypeVar("T")


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


def interrupt(signum: int, frame: object) -> None:
    """A signal handler (SIGTERM): raise KeyboardInterrupt, as Ctrl-C does."""
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
        restore_signal_handlers(loop, interrupt)
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
