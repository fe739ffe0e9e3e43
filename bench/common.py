"""Shared benchmark plumbing: a throwaway local graph server and honest timing."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from c360graph.config import ENGINES, LocalSettings, Settings, load_settings
from c360graph.db.engines import neo4j_available, server_for
from c360graph.db.graph import Graph, connect
from c360graph.db.managed import ManagedServer
from c360graph.graph.migrate import migrate


def default_engine() -> str:
    """The project's engine when none is asked for: C360_ENGINE (or the config file's
    `local.engine`), else Neo4j when `make neo4j` has built it, else ArcadeDB."""
    local = load_settings().local
    return local.engine or ("neo4j" if neo4j_available(local) else "arcadedb")


def add_engine_option(parser: argparse.ArgumentParser) -> None:
    """`--engine neo4j|arcadedb`, defaulting to the project's engine (default_engine)."""
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=default_engine(),
        help="the local graph engine to measure (default: C360_ENGINE, else neo4j when "
        "`make neo4j` has built it, else arcadedb; now %(default)s)",
    )


def engine_server(
    home: Path, engine: str, database: str = "c360", heap: str = "2g"
) -> ManagedServer:
    """The local server of `engine` kept in `home` (started or not)."""
    return server_for(LocalSettings(home=home, database=database, heap=heap, engine=engine), engine)


@contextmanager
def bench_graph(heap: str = "4g", engine: str | None = None) -> Iterator[tuple[Graph, Settings]]:
    """A fresh local graph server of `engine` (default_engine() when None) in a temporary
    home, removed afterwards."""
    engine = engine or default_engine()
    home = Path(tempfile.mkdtemp(prefix="c360-bench-"))
    server = engine_server(home, engine, database="bench", heap=heap)
    # SIGTERM (`kill`, `pkill`) ends Python without running `finally`: the server would
    # outlive the benchmark. As SystemExit, the cleanup below runs.
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    server.start()
    settings = Settings(local=LocalSettings(home=home, database="bench", heap=heap, engine=engine))
    graph = connect(settings)
    try:
        migrate(graph)
        yield graph, settings
    finally:
        graph.close()
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def timed() -> Iterator[list[float]]:
    """Measure wall time of a block into the yielded one-item list."""
    box = [0.0]
    start = time.perf_counter()
    yield box
    box[0] = time.perf_counter() - start


def peak_rss_mb() -> float:
    """Peak resident memory of this Python process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vm_hwm_mb(pid: int | str) -> float | None:
    """Peak resident memory (VmHWM) of a process ("self" for this one), in MB; None if unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak(pid: int | str) -> None:
    """Reset a process's VmHWM (Linux >= 4.0), so each phase measures its own peak."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


# -- the c360 command as a subprocess, for benchmarks that build their data with it --------

C360 = [sys.executable, "-m", "c360graph"]


class BenchError(RuntimeError):
    """A step of the benchmark failed; the message says which and how."""


def run_main(main: Callable[[], None]) -> None:
    """Run a benchmark's main: a BenchError ends it with one line saying what to do, exit 1."""
    try:
        main()
    except BenchError as exc:
        say(f"error: {exc}")
        raise SystemExit(1) from None


def say(line: str = "") -> None:
    """Print a progress line at once (output is often piped to a log)."""
    print(line, flush=True)


def c360_env(home: Path, heap: str, engine: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of every `c360` command: this home only, no config file, no remote
    Neo4j; the local engine `engine` (None: c360's own choice, see db/engines.py)."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "C360_", "PROMETHEUS_"))
    }
    env.update(C360_HOME=str(home), C360_HEAP=heap, C360_CONFIG="/dev/null", PYTHONUNBUFFERED="1")
    if engine is not None:
        env["C360_ENGINE"] = engine
    env.update(extra)
    return env


def run_c360(args: list[str], env: dict[str, str], cwd: Path) -> float:
    """Run `c360 ARGS`, its output indented; return its seconds; BenchError on failure."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*C360, *args],
        env=env,
        cwd=cwd,  # so no ./c360.yaml of the caller's folder is read
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    tail: list[str] = []
    try:
        for line in process.stdout:
            say(f"      {line.rstrip()}")
            tail = [*tail[-29:], line.rstrip()]
    except BaseException:  # interrupted: do not leave the command running
        process.terminate()
        process.wait()
        raise
    if process.wait():
        raise BenchError(
            f"`c360 {' '.join(args)}` failed with exit code {process.returncode} after "
            f"{time.perf_counter() - started:.0f} s; its last lines:\n" + "\n".join(tail)
        )
    return time.perf_counter() - started


def local_settings(home: Path, heap: str, engine: str | None = None) -> Settings:
    """Settings for the local server of `engine` kept in `home` (None: the one running there)."""
    return Settings(local=LocalSettings(home=home, heap=heap, engine=engine))


def make_api_key(name: str, role: str, env: dict[str, str], home: Path) -> str:
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


def _as_options(facts: dict[str, Any]) -> str:
    return " ".join(f"--{key.replace('_', '-')} {value}" for key, value in facts.items())


def kept_build_home(
    keep_data: Path | None,
    marker: str,
    wanted: dict[str, Any],
    *,
    prefix: str,
    failed: str | None = None,
    skip_build: bool = False,
) -> tuple[Path, dict[str, Any], bool]:
    """The server home (kept or temporary), its finished build's facts or {}, whether temporary."""
    # `wanted` holds the build's facts named after their options (new_people: --new-people);
    # `failed` is the file a failed build leaves; `skip_build` is the script's --skip-build.
    if keep_data is None:
        if skip_build:
            raise BenchError("--skip-build needs --keep-data DIR holding a finished build")
        return Path(tempfile.mkdtemp(prefix=prefix)), {}, True
    home = keep_data.resolve()
    if (home / marker).exists():
        facts: dict[str, Any] = json.loads((home / marker).read_text())
        built = {key: facts.get(key) for key in wanted}
        if built != wanted:
            raise BenchError(
                f"{home} holds a build made with {_as_options(built)}, not "
                f"{_as_options(wanted)}; run with those options to reuse it, pass another "
                f"--keep-data folder, or delete {home} to build it again"
            )
        return home, facts, False
    if skip_build:
        raise BenchError(
            f"--skip-build: {home} holds no finished build ({marker}); run without --skip-build "
            "to build it, or pass another --keep-data folder"
        )
    if home.exists() and any(home.iterdir()):
        why = "an interrupted build"
        if failed is not None and (home / failed).exists():
            why = f"an interrupted or failed build (see {home / failed})"
        raise BenchError(
            f"{home} is not empty and holds no finished build ({marker}): {why}? Stop its server "
            f"(C360_HOME={home} C360_CONFIG=/dev/null .venv/bin/c360 db stop), delete the folder, "
            "run again"
        )
    home.mkdir(parents=True, exist_ok=True)
    return home, {}, False


def restore_signal_handlers(
    loop: asyncio.AbstractEventLoop, on_term: Callable[[int, FrameType | None], Any]
) -> None:
    """End an async phase's loop handling of SIGINT and SIGTERM: Ctrl-C's default, on_term again."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.remove_signal_handler(sig)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, on_term)
