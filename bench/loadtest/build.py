"""The server home: build it once (generate, cut, first load, resolve, households), copy its
graph aside and put it back before every run."""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path
from typing import Any

from common import BenchError, c360_env, engine_server, kept_build_home, run_c360, say

from c360graph.db.managed import ManagedServer
from loadtest.dataset import split_dataset

MARKER = "bench-load-build.json"
SNAPSHOT = "snapshot"  # a copy of the graph's data folder right after the build
READER, ADMIN = "load-reader", "load-admin"  # API key names (and note authors)


def server_env(home: Path, args: argparse.Namespace) -> dict[str, str]:
    """The environment of `c360` commands on `home`'s servers: its API keys file and, with
    --api-timeout, the API's timeout."""
    extra = {"C360_API_KEYS_FILE": str(home / "api-keys.json")}
    if args.api_timeout:
        extra["C360_API_TIMEOUT"] = str(args.api_timeout)
    return c360_env(home, args.heap, args.engine, **extra)


def graph_server(home: Path, args: argparse.Namespace) -> ManagedServer:
    """The local graph server of --engine kept in `home`."""
    return engine_server(home, args.engine, heap=args.heap)


def _facts_key(args: argparse.Namespace) -> dict[str, int | str]:
    return {
        "engine": args.engine,
        "people": args.people,
        "new_people": args.new_people,
        "api_people": args.api_people,
        "changed": args.changed,
        "seed": args.seed,
    }


def build(home: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Generate, cut, ingest the first load, resolve and household it in `home`."""
    env = server_env(home, args)
    data = home / "generated"
    seconds: dict[str, float] = {}
    total = args.people + 2 * (args.new_people + args.api_people)
    say(f"  {args.engine} graph server in {home} (heap {args.heap}) ...")
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
    return kept_build_home(args.keep_data, MARKER, _facts_key(args), prefix="c360-bench-load-")


# The server's own state and log are not data: a restored copy must not claim a live server.
_NOT_DATA = shutil.ignore_patterns("server.json", "server.log")


def snapshot(server: ManagedServer) -> None:
    """Stop the graph server and copy its data folder aside."""
    server.stop()
    shutil.rmtree(server.home / SNAPSHOT, ignore_errors=True)
    shutil.copytree(server.data_dir, server.home / SNAPSHOT, ignore=_NOT_DATA)


def restore(server: ManagedServer) -> None:
    """Stop the graph server and put the build's data folder back."""
    copy = server.home / SNAPSHOT
    if not copy.is_dir():
        raise BenchError(f"{server.home} has no {SNAPSHOT}/ folder; delete it and build again")
    server.stop()
    for path in server.data_dir.iterdir():
        if path.name not in ("server.json", "server.log"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    shutil.copytree(copy, server.data_dir, dirs_exist_ok=True)
