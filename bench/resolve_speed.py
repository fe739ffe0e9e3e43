"""Speed of the pure matching model: features, name statistics, blocking and scoring.

    .venv/bin/python bench/resolve_speed.py --persons 400000     # ~1M customer records

Generates a dataset (or reuses --data), loads it with the project's readers, then times each
stage on this process alone (no database). Scoring is timed on up to --score-pairs
candidates; peak memory is the process's resident maximum.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import peak_rss_mb
from resolve_data import load_recs, strip_shared

from c360graph.generate import generate_dataset
from c360graph.resolve.blocking import BlockingStats, candidates
from c360graph.resolve.comparisons import build_model
from c360graph.resolve.features import features, name_frequencies
from c360graph.resolve.scoring import score
from c360graph.resolve.settings import load_resolution_config


def main() -> None:
    """Print records/s and pairs/s of every stage, and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--data", type=Path, help="a generated dataset to reuse")
    parser.add_argument("--score-pairs", type=int, default=500_000)
    args = parser.parse_args()
    config = load_resolution_config()
    with tempfile.TemporaryDirectory(prefix="c360-speed-") as tmp:
        data = args.data or Path(tmp)
        if not (data / "manifest.yaml").exists():
            generate_dataset(data, args.persons, seed=args.seed, progress=False)
        recs, _ = strip_shared(load_recs(data), config.shared_identifiers)
    gc.freeze()  # the loaded records are permanent: keep the collector off them
    print(f"{len(recs):,} records loaded; peak memory {peak_rss_mb():,.0f} MB")

    t0 = time.perf_counter()
    feats = [features(r) for r in recs]
    t1 = time.perf_counter()
    stats_names = name_frequencies(feats)
    t2 = time.perf_counter()
    print(f"features: {len(feats) / (t1 - t0):,.0f} records/s; name statistics: {t2 - t1:.1f} s")

    stats = BlockingStats()
    found = [(c.a, c.b) for c in candidates(feats, config, stats=stats)]
    t3 = time.perf_counter()
    print(
        f"blocking: {len(found):,} pairs in {t3 - t2:.1f} s ({len(feats) / (t3 - t2):,.0f} "
        f"records/s, {len(found) / len(feats):.1f} pairs/record); skipped blocks "
        f"{stats.skipped_blocks}; peak memory {peak_rss_mb():,.0f} MB"
    )

    model = build_model(config, stats_names)
    by_key = {r.key: r for r in recs}
    feat_of = {f.key: f for f in feats}
    work = [(by_key[a], by_key[b], feat_of[a], feat_of[b]) for a, b in found[: args.score_pairs]]
    t4 = time.perf_counter()
    for a, b, fa, fb in work:
        score(a, b, fa, fb, model)
    t5 = time.perf_counter()
    print(f"scoring: {len(work):,} pairs in {t5 - t4:.1f} s = {len(work) / (t5 - t4):,.0f} pairs/s")
    print(f"peak memory {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
