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
import json
import shutil
import signal
import tempfile
from pathlib import Path

from api import ApiServer
from common import add_engine_option, make_api_key, run_c360, run_main, say
from loadtest.build import (
    ADMIN,
    MARKER,
    READER,
    build,
    graph_server,
    prepare_home,
    restore,
    server_env,
    snapshot,
)
from loadtest.integrity import integrity
from loadtest.phases import interrupt, measure
from loadtest.readers import sample
from loadtest.report import report

LAST_RUN = "bench-load-last-run.json"


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
    add_engine_option(parser)
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
    signal.signal(signal.SIGTERM, interrupt)
    home, facts, temporary = prepare_home(args)
    env = server_env(home, args)
    graph = graph_server(home, args)
    server: ApiServer | None = None
    logs = Path(tempfile.mkdtemp(prefix="c360-bench-load-logs-"))
    passed = False
    try:
        if facts:
            say(f"reusing the build in {home} ({facts['built_at']}); restoring its graph ...")
            restore(graph)
        else:
            say(f"building the data set in {home} ...")
            facts = build(home, args)
            if not temporary:
                say("  copying the graph aside, so that every run starts from this state ...")
                snapshot(graph)
                (home / MARKER).write_text(json.dumps(facts, indent=2) + "\n")
        run_c360(["db", "start"], env, home)
        keys = {
            READER: make_api_key(READER, "reader", env, home),
            ADMIN: make_api_key(ADMIN, "admin", env, home),
        }
        data = sample(home, args.heap, args.engine)
        server = ApiServer(home, env, args.workers, logs / "serve.log")
        say(f"starting `c360 serve --workers {args.workers}` on {server.url} ...")
        server.start()
        results = asyncio.run(measure(args, server.url, keys, home, env, data))
        say("checking integrity ...")
        figures = report(
            args, facts, data, results, integrity(home, args.heap, args.engine, facts, results)
        )
        passed = figures["passed"]
        out = args.json or (None if temporary else home / LAST_RUN)
        if out is not None:
            out.write_text(json.dumps(figures, indent=2, default=str) + "\n")
            say(f"figures written to {out}")
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
    run_main(main)
