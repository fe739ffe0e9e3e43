"""Calibrate the model's m/u probabilities on generated data, and measure precision and recall.

    .venv/bin/python bench/calibrate.py calibrate --persons 10000 --seed 7
    .venv/bin/python bench/calibrate.py evaluate --persons 10000 --seed 2024 [--threshold 0.95]

Candidates are what production compares: blocking pairs plus the pairs the deterministic
rules emit (records sharing a non-shared email, phone, device or loyalty id). `calibrate`
counts each level among true matches (m) and non-matching candidates (u) and prints the
YAML to paste into resolution.yaml (city and national_id keep judgment values); `evaluate`
scores them, accepts at the threshold, joins accepted pairs into capped connected components
(optionally honouring guard vetoes as cannot-links) and compares pairs with ground truth,
then lists the remaining errors.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import replace
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from resolve_data import Truth, load_recs, load_truth, rule_candidates, strip_shared

from c360graph.generate import generate_dataset
from c360graph.resolve.blocking import BlockingStats, candidates
from c360graph.resolve.comparisons import NULL, build_model, compare
from c360graph.resolve.features import Feat, features, name_frequencies
from c360graph.resolve.records import Rec, Scored
from c360graph.resolve.scoring import decide, score
from c360graph.resolve.settings import ResolutionConfig, load_resolution_config

# Email local parts are made from names, so email's u is measured among non-matches whose
# names agree (namesakes): otherwise "Richard" + richard.simpson@a ~ Richard Simpson +
# richard.simpson@b would count name and email as two independent agreements.
NAME_CONDITIONED = frozenset({"email"})
NAME_AGREES = frozenset(
    {
        "exact_rare",
        "exact",
        "nickname_rare",
        "nickname",
        "subset_rare",
        "subset",
        "jaro_winkler_rare",
        "jaro_winkler",
        "one_token",
    }
)
# A single name (a newsletter first name) only meets non-matches through their email, so
# one_token's m and u are measured among pairs where one record has a single name: the
# agreement is weighed against other single-name pairs, not against all pairs.
SINGLE_NAME_LEVELS = frozenset({("name", "one_token")})
M_FLOOR = 0.002
Pairs = dict[tuple[str, str], tuple[list[str], list[str], tuple[str, ...]]]


def prepare(
    persons: int, seed: int, config: ResolutionConfig, out: Path | None = None
) -> tuple[dict[str, Rec], dict[str, Feat], Pairs, Truth]:
    """Generate, load, strip shared identifiers, derive features and collect all candidates."""
    with tempfile.TemporaryDirectory(prefix="c360-calibrate-") as tmp:
        data = out or Path(tmp)
        generate_dataset(data, persons, seed=seed, progress=False)
        recs, shared = strip_shared(load_recs(data), config.shared_identifiers)
        truth = load_truth(data)
    t0 = time.perf_counter()
    feats = [features(r) for r in recs]
    t1 = time.perf_counter()
    stats = BlockingStats()
    blocked = list(candidates(feats, config, stats=stats))
    t2 = time.perf_counter()
    pairs: Pairs = {}
    for c in blocked:
        pairs[(c.a, c.b)] = ([], [], c.blocks)
    for pair, (rules, evidence) in rule_candidates(recs).items():
        pairs[pair] = (rules, evidence, pairs.get(pair, ([], [], ()))[2])
    print(
        f"{persons} persons, {len(recs)} records, {shared} shared identifier values dropped; "
        f"features {len(recs) / (t1 - t0):,.0f} rec/s; blocking {len(blocked):,} pairs in "
        f"{t2 - t1:.2f}s, skipped blocks {stats.skipped_blocks}; {len(pairs):,} candidates"
    )
    return {r.key: r for r in recs}, {f.key: f for f in feats}, pairs, truth


def _single_name(f: Feat) -> bool:
    return len(f.canon) == 1 and not (f.given and f.last)


def calibrate(persons: int, seed: int, smoothing: float) -> None:
    """Print m/u per level measured on the candidates of a generated dataset."""
    config = load_resolution_config()
    _, feats, pairs, truth = prepare(persons, seed, config)
    model = build_model(config, name_frequencies(feats.values()))
    counts: dict[bool, dict[str, Counter[str]]] = {
        True: defaultdict(Counter),
        False: defaultdict(Counter),
    }
    single: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}

    def count(a: str, b: str, same: bool) -> None:
        levels = compare(feats[a], feats[b], model)
        names_agree = levels.get("name") in NAME_AGREES
        for fieldname, level in levels.items():
            if same or fieldname not in NAME_CONDITIONED or names_agree:
                counts[same][fieldname][level] += 1
        if _single_name(feats[a]) or _single_name(feats[b]):
            single[same][levels["name"]] += 1

    # m: every true pair, candidate or not (candidates are picked by these very fields, so
    # m measured on them alone would call a different email damning); u: non-matching
    # candidates, the pairs the model must actually tell apart (households, rings, namesakes).
    by_person: dict[str, list[str]] = defaultdict(list)
    for key in feats:
        by_person[truth.person[key]].append(key)
    for keys in by_person.values():
        for a, b in combinations(keys, 2):
            count(a, b, True)
    matches = 0
    for a, b in pairs:
        if truth.person[a] == truth.person[b]:
            matches += 1
        else:
            count(a, b, False)
    print(
        f"# prior (match rate among candidates): {matches / len(pairs):.4f} ({matches} of {len(pairs)})"
    )
    for spec in config.comparisons:
        names = [lv.level for lv in spec.levels]
        print(f"  {spec.field}:")
        for same, label in ((True, "m"), (False, "u")):
            c = counts[same][spec.field]
            print(f"    # {label} n={sum(c[n] for n in names)} null={c[NULL]}")
        for lv in spec.levels:
            vals = []
            for same in (True, False):
                c = counts[same][spec.field]
                if (spec.field, lv.level) in SINGLE_NAME_LEVELS:
                    c = single[same]
                total = sum(c[n] for n in names) + smoothing * len(names)
                vals.append((c[lv.level] + smoothing) / total)
            # Generated noise lacks some real errors (dob typos): no level is a veto. The floor
            # only softens evidence against a match, it never turns a level into evidence for.
            vals[0] = max(vals[0], min(M_FLOOR, vals[1]))
            thr = f", threshold: {lv.threshold}" if lv.threshold is not None else ""
            kind = f", kind: {lv.kind}" if lv.kind != lv.level else ""
            print(f"    - {{level: {lv.level}{kind}{thr}, m: {vals[0]:.4g}, u: {vals[1]:.4g}}}")


def _components(
    keys: list[str], accepted: list[Scored], cap: int, cannot: list[tuple[str, str]] = ()
) -> dict[str, str]:
    """Union-find over accepted pairs, strongest first; a merge is refused past `cap` records
    or when it would join a cannot-link pair (guard-blocked candidates)."""
    parent = {k: k for k in keys}
    members = {k: [k] for k in keys}
    apart: dict[str, set[str]] = defaultdict(set)
    for x, y in cannot:
        apart[x].add(y)
        apart[y].add(x)

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for s in sorted(accepted, key=lambda s: -s.weight):
        ra, rb = find(s.a), find(s.b)
        if ra == rb or len(members[ra]) + len(members[rb]) > cap:
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        if any(find(y) == ra for x in members[rb] for y in apart.get(x, ())):
            continue
        parent[rb] = ra
        members[ra].extend(members.pop(rb))
    return {k: find(k) for k in keys}


def _pairs_within(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {(a, b) for members in groups.values() for a, b in combinations(sorted(members), 2)}


def _kind(truth: Truth, a: str, b: str) -> str:
    if truth.household[a] and truth.household[a] == truth.household[b]:
        return "household"
    if truth.ring[a] and truth.ring[a] == truth.ring[b]:
        return "ring"
    return "unrelated"


def evaluate(
    persons: int, seed: int, show: int, threshold: float | None, cannot_link: bool
) -> None:
    """Print pairwise precision, recall and F1 after components, and the remaining errors."""
    config = load_resolution_config()
    if threshold is not None:
        config = replace(config, threshold=threshold)
    recs, feats, pairs, truth = prepare(persons, seed, config)
    model = build_model(config, name_frequencies(feats.values()))
    t0 = time.perf_counter()
    scored = {
        p: score(recs[p[0]], recs[p[1]], feats[p[0]], feats[p[1]], model, tuple(r), tuple(e))
        for p, (r, e, _) in pairs.items()
    }
    elapsed = time.perf_counter() - t0
    print(
        f"scoring: {len(scored):,} pairs in {elapsed:.2f}s = {len(scored) / elapsed:,.0f} pairs/s"
    )
    accepted = [s for s in scored.values() if decide(s, config.threshold)]
    edge_tp = sum(truth.person[s.a] == truth.person[s.b] for s in accepted)
    cand_true = sum(truth.person[a] == truth.person[b] for a, b in pairs)
    print(
        f"accepted pairs: {len(accepted):,}, true {edge_tp:,} of {cand_true:,} true candidates; "
        f"blocked by guards: {Counter(s.blocked_by for s in scored.values() if s.blocked_by)}, "
        f"of them true matches: {sum(bool(s.blocked_by) and truth.person[s.a] == truth.person[s.b] for s in scored.values())}"
    )
    cannot = [p for p, s in scored.items() if s.blocked_by] if cannot_link else []
    comp = _components(list(recs), accepted, config.max_component_size, cannot)
    groups: dict[str, list[str]] = defaultdict(list)
    persons_of: dict[str, list[str]] = defaultdict(list)
    for k in recs:
        groups[comp[k]].append(k)
        persons_of[truth.person[k]].append(k)
    predicted, actual = _pairs_within(groups), _pairs_within(persons_of)
    tp = len(predicted & actual)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(actual) if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall)
    print(
        f"pairwise after components: precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f} "
        f"(predicted {len(predicted):,}, true {len(actual):,}, tp {tp:,}); "
        f"largest component {max(len(g) for g in groups.values())}"
    )
    false_edges = [s for s in accepted if truth.person[s.a] != truth.person[s.b]]
    print(f"false accepted edges by kind: {Counter(_kind(truth, s.a, s.b) for s in false_edges)}")
    for s in sorted(false_edges, key=lambda s: -s.weight)[:show]:
        print(f"  FP {_kind(truth, s.a, s.b)} p={s.probability:.4f} {_describe(recs, s)}")
    oracle = [s for s in scored.values() if truth.person[s.a] == truth.person[s.b]]
    c = _components(list(recs), oracle, 10**9)
    g0: dict[str, list[str]] = defaultdict(list)
    for k in recs:
        g0[c[k]].append(k)
    print(
        f"  recall if every true candidate were accepted: {len(_pairs_within(g0) & actual) / len(actual):.4f}"
    )
    for t in (0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999):
        acc = [s for s in scored.values() if decide(s, t)]
        c = _components(list(recs), acc, config.max_component_size, cannot)
        g: dict[str, list[str]] = defaultdict(list)
        for k in recs:
            g[c[k]].append(k)
        pr = _pairs_within(g)
        hit = len(pr & actual)
        print(
            f"  threshold {t}: precision {hit / max(1, len(pr)):.4f} recall {hit / len(actual):.4f}"
        )
    missed = actual - predicted
    why = Counter()
    examples: list[str] = []
    for a, b in sorted(missed):
        s = scored.get((a, b))
        reason = "not a candidate" if s is None else (s.blocked_by or "below threshold")
        why[reason] += 1
        if len(examples) < show * 2:
            s = s or score(recs[a], recs[b], feats[a], feats[b], model)
            examples.append(f"  FN {reason} p={s.probability:.4f} {_describe(recs, s)}")
    print(f"missed true pairs by reason: {dict(why)}")
    print("\n".join(examples))


def _describe(recs: dict[str, Rec], s: Scored) -> str:
    a, b = recs[s.a], recs[s.b]
    levels = " ".join(f"{k}={v}" for k, v in s.levels.items() if v != NULL)
    return (
        f"{a.key} [{a.full_name} {a.date_of_birth}] ~ {b.key} [{b.full_name} "
        f"{b.date_of_birth}] {levels} rules={list(s.rules)}"
    )


def main() -> None:
    """Command line: calibrate or evaluate."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=("calibrate", "evaluate"))
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--smoothing", type=float, default=0.5, help="add-k smoothing of counts")
    parser.add_argument("--show", type=int, default=15, help="error examples to print")
    parser.add_argument("--threshold", type=float, help="evaluate at this threshold instead")
    parser.add_argument(
        "--cannot-link", action="store_true", help="guard-blocked pairs may not share a component"
    )
    args = parser.parse_args()
    if args.mode == "calibrate":
        calibrate(args.persons, args.seed, args.smoothing)
    else:
        evaluate(args.persons, args.seed, args.show, args.threshold, args.cannot_link)


if __name__ == "__main__":
    main()
