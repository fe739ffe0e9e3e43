"""Analyses speed: households, fraud rings and segments, each beside a plain Cypher read of
the analyses' input streamed through the driver in the same run.

    .venv/bin/python bench/analyses.py --keep-data bench/out/analyses-100k             # ~100k records
    .venv/bin/python bench/analyses.py --keep-data bench/out/analyses-1m --people 410000  # ~1M records
    .venv/bin/python bench/analyses.py --people 2000                                    # smoke run

How long (2 cores, shared): the build, once per --keep-data folder, takes ~4 minutes for 100k
records (41,000 people) and ~50 minutes for 1M (410,000 people: ingest ~27 min, `c360 resolve`
~20 min); the timed part ~1.5 minutes at 100k and ~12 minutes at 1M. A smoke run of 2,000
people (temporary build) takes under a minute. `--build-only` stops after the build.

Build (skipped when --keep-data DIR already holds a finished build of the same size and seed,
marked by DIR/bench-analyses-build.json with each step's seconds and the load average at its
end; a failed build leaves bench-analyses-build-failed.json with the error and the server
log's tail): a local graph server in its own C360_HOME, `c360 generate --customers N` (about
2.44 customer records per person), `c360 ingest` of the whole manifest (customers, orders,
interactions, devices), `c360 resolve` (which also runs a first segments refresh); then the
server is stopped. `--skip-build` refuses to build.

Timed, in one process, against the build's server (started for the run, stopped after):

- baseline: one plain Cypher read of each analysis input, streamed through the driver and
  counted (cypher/bench/analysis_baseline_*): every identifier link of every active
  identity's records with the identity id, and every order's amount, currency and time with
  its identity id; their sum is the baseline the ratios use. Read twice, before and after the
  analyses, and averaged, so JVM warm-up and page cache fall on both sides;
- households (`analyze_households`), then fraud (`analyze_fraud`, which uses the households),
  then segments in full (`refresh_segments(full=True)`);
- segments incremental: new orders for ~1% of the customer records are generated (in the
  webshop orders format of the generated data), ingested with `c360 ingest --kind orders`,
  then `refresh_segments()` times the incremental refresh. Each run adds its own batch of
  orders (ids carry the run's time stamp), so a kept build grows by ~1% of orders per run.

Each analysis prints its time, its ratio to the baseline read, its report's summary and
stage seconds; peak RSS of this process and of the graph server (VmHWM, reset before each
phase) is printed per phase. With --keep-data the figures also go to
DIR/bench-analyses-last-run.json. The machine is shared and noisy: compare same-run ratios,
not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from common import (
    BenchError,
    add_engine_option,
    c360_env,
    engine_server,
    kept_build_home,
    local_settings,
    reset_peak,
    run_c360,
    say,
    vm_hwm_mb,
)

from c360graph.db.graph import Graph, connect
from c360graph.sources.fields import ORDER_FIELDS

DEFAULT_PEOPLE = 41_000  # ~2.44 customer records per person: ~100k records
DEFAULT_HEAP = "8g"
MARKER = "bench-analyses-build.json"
FAILED = "bench-analyses-build-failed.json"
INCREMENTAL_FRACTION = 0.01


BASELINE_QUERIES = {
    "links": "bench/analysis_baseline_links",
    "orders": "bench/analysis_baseline_orders",
}


# -- processes ---------------------------------------------------------------------------


def _sizes(home: Path, heap: str, engine: str) -> dict[str, int]:
    """Customer records, orders, interactions and active identities with records."""
    with connect(local_settings(home, heap, engine)) as graph:
        rows = graph.read("bench/analysis_baseline_sizes")
    return {k: int(v) for k, v in rows[0].items()}


# -- build -------------------------------------------------------------------------------


def build(home: Path, people: int, seed: int, heap: str, engine: str) -> dict[str, Any]:
    """Generate, ingest and resolve in `home`; the build's facts. Leaves the server running."""
    env = c360_env(home, heap, engine)
    data = home / "generated"
    seconds: dict[str, float] = {}
    load: dict[str, list[float]] = {}  # 1, 5 and 15 minute load averages at each step's end
    facts: dict[str, Any] = {
        "people": people,
        "seed": seed,
        "heap": heap,
        "engine": engine,
        "seconds": seconds,
        "load_average": load,
    }
    started = time.strftime("%Y-%m-%d %H:%M")
    try:
        say(f"  {engine} graph server in {home} (heap {heap}) ...")
        seconds["db start"] = round(run_c360(["db", "start"], env, home), 1)
        load["db start"] = [round(x, 2) for x in os.getloadavg()]
        say(f"  generating {people:,} people (seed {seed}) ...")
        generate = ["generate", "--customers", str(people), "--seed", str(seed), "--no-progress"]
        seconds["generate"] = round(run_c360([*generate, "--out", str(data)], env, home), 1)
        load["generate"] = [round(x, 2) for x in os.getloadavg()]
        say("  ingesting the whole manifest (customers, orders, interactions, devices) ...")
        ingest = ["ingest", str(data / "manifest.yaml"), "--no-progress"]
        seconds["ingest"] = round(run_c360(ingest, env, home), 1)
        load["ingest"] = [round(x, 2) for x in os.getloadavg()]
        say("  resolving identities ...")
        seconds["resolve"] = round(run_c360(["resolve"], env, home), 1)
        load["resolve"] = [round(x, 2) for x in os.getloadavg()]
        facts.update(_sizes(home, heap, engine))
    except BaseException as exc:
        facts.update(
            started_at=started,
            failed_at=time.strftime("%Y-%m-%d %H:%M"),
            error="".join(traceback.format_exception_only(exc)).strip(),
            server_log_tail=engine_server(home, engine).log_tail(40).splitlines(),
        )
        (home / FAILED).write_text(json.dumps(facts, indent=2) + "\n")
        say(f"  build failed; facts and the server log tail in {home / FAILED}")
        raise
    for step, value in seconds.items():
        say(f"    {step:<9} {value:8.1f} s")
    say(
        f"    {facts['records']:,} customer records, {facts['orders']:,} orders, "
        f"{facts['interactions']:,} interactions, {facts['identities']:,} active identities"
    )
    facts.update(started_at=started, built_at=time.strftime("%Y-%m-%d %H:%M"))
    return facts


# -- main --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--people",
        type=int,
        default=DEFAULT_PEOPLE,
        help=f"people to generate (default {DEFAULT_PEOPLE:,}: ~100k customer records; "
        "410000 for ~1M)",
    )
    parser.add_argument("--seed", type=int, default=7, help="dataset seed (7)")
    parser.add_argument(
        "--keep-data",
        type=Path,
        metavar="DIR",
        help="server home to build once and reuse (e.g. bench/out/analyses-100k; the server is "
        "stopped at the end, the data kept)",
    )
    parser.add_argument(
        "--skip-build", action="store_true", help="never build: --keep-data DIR must hold one"
    )
    parser.add_argument("--build-only", action="store_true", help="build (if needed), then stop")
    parser.add_argument(
        "--heap", default=DEFAULT_HEAP, help=f"Java heap of the graph server ({DEFAULT_HEAP})"
    )
    add_engine_option(parser)
    args = parser.parse_args()
    if args.people < 1:
        parser.error("--people must be positive")
    if args.skip_build and args.build_only:
        parser.error("--skip-build and --build-only exclude each other")

    home: Path | None = None
    temporary = False
    try:
        home, facts, temporary = kept_build_home(
            args.keep_data,
            MARKER,
            {"people": args.people, "seed": args.seed, "engine": args.engine},
            prefix="c360-bench-analyses-",
            failed=FAILED,
            skip_build=args.skip_build,
        )
        if facts:
            say(f"reusing the build in {home} ({facts['built_at']})")
        else:
            say(f"building the data set in {home} ...")
            facts = build(home, args.people, args.seed, args.heap, args.engine)
            if not temporary:
                (home / MARKER).write_text(json.dumps(facts, indent=2) + "\n")
                (home / FAILED).unlink(missing_ok=True)
        if args.build_only:
            say(f"built: {json.dumps(facts)}")
            return
        run(args, home, facts)
    except BenchError as exc:
        say(f"error: {exc}")
        if home is not None:
            log = engine_server(home, args.engine).log_tail(20)
            say(f"last lines of the graph server's log:\n{log}")
        raise SystemExit(1) from exc
    except KeyboardInterrupt:
        say("\ninterrupted; stopping the graph server ...")
        raise SystemExit(130) from None
    finally:
        if home is not None:
            engine_server(home, args.engine).stop()
            if temporary:
                shutil.rmtree(home, ignore_errors=True)


# -- timed part --------------------------------------------------------------------------


@dataclass
class Phase:
    """One timed step: seconds, rows or a report summary, and peak RSS of both processes."""

    name: str
    seconds: float
    detail: str
    python_mb: float | None
    server_mb: float | None


def _measure(name: str, server_pid: int, work: Callable[[], Any]) -> tuple[Phase, Any]:
    """Run `work` timed, with its own RSS peaks; the phase and what `work` returned.

    `work` returns a report (its summary and stage seconds are printed) or a string."""
    reset_peak("self")
    reset_peak(server_pid)
    say(f"{name} ...")
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    detail = result if isinstance(result, str) else str(result.summary())
    stages = getattr(result, "seconds", None)
    if stages:
        detail += "\n(stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()) + ")"
    phase = Phase(name, seconds, detail, vm_hwm_mb("self"), vm_hwm_mb(server_pid))
    say(f"  {seconds:.1f} s: " + detail.replace("\n", "\n  "))
    return phase, result


def _stream_count(graph: Graph, name: str) -> str:
    rows = sum(1 for _ in graph.stream(name))
    return f"{rows:,} rows"


def _progress(line: str) -> None:
    say(f"    {time.strftime('%H:%M:%S')} {line}")


def new_orders(home: Path, fraction: float, seed: int, latest: datetime, out: Path) -> int:
    """Write new orders for `fraction` of the generated customer records to `out` (CSV in the
    generated orders format), one to three each, dated in the 30 days before `latest`; their
    number. (Dated before the last segments run's as_of, so that as_of does not move and the
    next refresh stays incremental.)"""
    with (home / "generated" / "ground_truth.csv").open(newline="", encoding="utf-8") as handle:
        records = [(row["source"], row["source_id"]) for row in csv.DictReader(handle)]
    stamp = datetime.now(UTC)
    rng = random.Random(f"{seed}:{stamp.isoformat()}")
    chosen = rng.sample(records, max(1, round(fraction * len(records))))
    tag = stamp.strftime("%Y%m%d%H%M%S")
    count = 0
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ORDER_FIELDS)
        for source, source_id in chosen:
            for _ in range(rng.randint(1, 3)):
                count += 1
                at = latest - timedelta(seconds=rng.uniform(60, 30 * 86_400))
                writer.writerow(
                    [
                        f"BENCH-{tag}-{count:07d}",
                        source_id,
                        source,
                        f"{rng.uniform(5, 400):.2f}",
                        rng.choice(("EUR", "GBP")),
                        at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "web",
                        "paid",
                    ]
                )
    return count


def run(args: argparse.Namespace, home: Path, facts: dict[str, Any]) -> None:
    """Start the build's server, time the baseline reads and the analyses, print the table."""
    # Imported here so that the build works while the analyses are being written.
    from c360graph.analyze.runner import analyze_fraud, analyze_households
    from c360graph.analyze.segment_run import refresh_segments
    from c360graph.analyze.settings import load_analyses_config

    env = c360_env(home, args.heap, args.engine)
    say(f"starting the {args.engine} graph server of {home} (heap {args.heap}) ...")
    run_c360(["db", "start"], env, home)
    info = engine_server(home, args.engine).info()
    if info is None:
        raise BenchError(f"the graph server in {home} did not start")
    sizes = _sizes(home, args.heap, args.engine)
    say(
        f"{sizes['records']:,} customer records, {sizes['orders']:,} orders, "
        f"{sizes['interactions']:,} interactions, {sizes['identities']:,} active identities"
    )
    config = load_analyses_config()
    phases: list[Phase] = []
    baseline: dict[str, list[float]] = {part: [] for part in BASELINE_QUERIES}
    with connect(local_settings(home, args.heap, args.engine)) as graph:

        def timed(name: str, work: Callable[[], Any]) -> Any:
            phase, result = _measure(name, info.pid, work)
            phases.append(phase)
            return result

        def read_baseline(when: str) -> None:
            for part, query in BASELINE_QUERIES.items():
                timed(f"baseline read, {part} ({when})", partial(_stream_count, graph, query))
                baseline[part].append(phases[-1].seconds)

        read_baseline("before")
        timed("households", lambda: analyze_households(graph, config, progress=_progress))
        timed("fraud", lambda: analyze_fraud(graph, config, progress=_progress))
        full = timed(
            "segments, full",
            lambda: refresh_segments(graph, config, full=True, progress=_progress),
        )
        with tempfile.TemporaryDirectory(prefix="c360-bench-analyses-") as scratch:
            batch = Path(scratch) / "bench_orders.csv"
            count = new_orders(home, INCREMENTAL_FRACTION, args.seed, full.as_of, batch)
            say(
                f"ingesting {count:,} new orders for {INCREMENTAL_FRACTION:.0%} of the records, "
                f"dated in the 30 days before the segments' as_of {full.as_of:%Y-%m-%d} ..."
            )
            ingest = ["ingest", str(batch), "--source", "webshop", "--kind", "orders"]
            ingest_seconds = run_c360([*ingest, "--no-progress"], env, home)
        incremental = timed(
            f"segments, incremental ({count:,} new orders)",
            lambda: refresh_segments(graph, config, progress=_progress),
        )
        if incremental.mode != "incremental":
            say(f"WARNING: the refresh after the batch was {incremental.mode}, not incremental")
        read_baseline("after")
    report(args, facts, sizes, phases, baseline, count, ingest_seconds)


def report(
    args: argparse.Namespace,
    facts: dict[str, Any],
    sizes: dict[str, int],
    phases: list[Phase],
    baseline: dict[str, list[float]],
    new: int,
    ingest_seconds: float,
) -> None:
    """The table: each analysis's seconds and its ratio to the baseline read."""
    means = {part: sum(times) / len(times) for part, times in baseline.items()}
    base = sum(means.values())
    say(
        f"\nAnalyses benchmark, {time.strftime('%Y-%m-%d %H:%M')}: {sizes['records']:,} customer "
        f"records ({args.people:,} people, seed {args.seed}), {sizes['orders']:,} orders, "
        f"{sizes['identities']:,} active identities; graph heap {args.heap}; "
        f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}"
    )
    say(
        "baseline: links read "
        + " / ".join(f"{t:.1f}" for t in baseline["links"])
        + " s, orders read "
        + " / ".join(f"{t:.1f}" for t in baseline["orders"])
        + f" s (before / after); mean sum {base:.1f} s"
    )
    say(f"\n{'phase':<40} {'seconds':>8} {'x baseline':>10} {'python MB':>10} {'graph MB':>9}")
    rows: list[dict[str, Any]] = []
    for p in phases:
        analysis = not p.name.startswith("baseline")
        ratio = f"{p.seconds / base:.2f}" if analysis and base > 0 else ""
        say(
            f"{p.name:<40} {p.seconds:>8.1f} {ratio:>10} "
            f"{_mb(p.python_mb):>10} {_mb(p.server_mb):>9}"
        )
        rows.append(
            {
                "phase": p.name,
                "seconds": round(p.seconds, 2),
                "detail": p.detail,
                "ratio": round(p.seconds / base, 3) if analysis and base > 0 else None,
                "python_mb": p.python_mb,
                "graph_mb": p.server_mb,
            }
        )
    say(f"(ingest of the {new:,} new orders took {ingest_seconds:.1f} s; not an analysis)")
    # The phases reset VmHWM (which Linux's ru_maxrss also reads), so the run's peak is the
    # largest phase peak.
    python_peak = max((p.python_mb for p in phases if p.python_mb is not None), default=None)
    server_peak = max((p.server_mb for p in phases if p.server_mb is not None), default=None)
    say(
        f"peak RSS over the phases: python {_mb(python_peak)} MB, graph server "
        f"{_mb(server_peak)} MB (VmHWM, reset before each phase)"
    )
    if args.keep_data is not None:
        out = args.keep_data.resolve() / "bench-analyses-last-run.json"
        out.write_text(
            json.dumps(
                {
                    "at": time.strftime("%Y-%m-%d %H:%M"),
                    "sizes": sizes,
                    "build": facts,
                    "baseline": baseline,
                    "baseline_seconds": base,
                    "phases": rows,
                    "new_orders": new,
                    "new_orders_ingest_seconds": ingest_seconds,
                },
                indent=2,
            )
            + "\n"
        )
        say(f"figures saved in {out}")


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


if __name__ == "__main__":
    main()
