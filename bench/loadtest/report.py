"""The report: read latencies beside the baseline, writer steps alone and under load, errors,
the hang check, the integrity checks and the verdict, printed and as a JSON-ready dict."""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from common import say

from loadtest.client import Tally, quantile_ms
from loadtest.integrity import Check
from loadtest.phases import Results
from loadtest.readers import KINDS, Sample


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
