"""Resolution quality against a ground truth: pairwise and cluster-level figures.

Everything is computed from contingency counts (records per (identity, person) cell), never
by enumerating pairs, so a million records evaluate in seconds. Only records present in both
the prediction and the truth count; the others are reported as left out.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

TRUTH_COLUMNS = ("source", "source_id", "person_id")


class TruthFileError(ValueError):
    """A ground-truth file that cannot be read; the message says what to fix."""


@dataclass(frozen=True)
class PairwiseMetrics:
    """Precision, recall and F1 over record pairs put in one identity / one person.

    With no predicted (true) pairs, precision (recall) is 1.0: nothing to get wrong. With
    no records in common, every rate is 0.0: nothing was evaluated.
    """

    precision: float
    recall: float
    f1: float
    true_positive_pairs: int
    predicted_pairs: int
    true_pairs: int
    records: int = 0  # records in both mappings: the ones compared
    only_predicted: int = 0  # left out: resolved but not in the truth
    only_truth: int = 0  # left out: in the truth but not resolved


@dataclass(frozen=True)
class ClusterMetrics:
    """Identity-level figures; exact_match_rate is exact matches per person."""

    identities: int
    persons: int
    exact_matches: int  # identities whose records are exactly one person's
    exact_match_rate: float
    over_merged: int  # identities holding more than one person
    under_merged: int  # persons split over more than one identity
    bcubed_precision: float
    bcubed_recall: float


@dataclass(frozen=True)
class _Contingency:
    cells: Counter[tuple[str, str]]  # (identity, person) -> records
    identity_sizes: Counter[str]
    person_sizes: Counter[str]
    only_predicted: int
    only_truth: int

    @property
    def records(self) -> int:
        return self.identity_sizes.total()


def read_truth(path: Path) -> dict[str, str]:
    """Map "source:source_id" -> person_id from a CSV with those columns (others ignored)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        found = reader.fieldnames or []
        missing = [column for column in TRUTH_COLUMNS if column not in found]
        if missing:
            raise TruthFileError(
                f"{path} lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                f"a ground truth needs {', '.join(TRUTH_COLUMNS)} "
                f"(found: {', '.join(found) or 'no header'})"
            )
        truth: dict[str, str] = {}
        for line, row in enumerate(reader, start=2):
            source, source_id, person = ((row[c] or "").strip() for c in TRUTH_COLUMNS)
            if not (source and source_id and person):
                raise TruthFileError(
                    f"{path}, line {line}: source, source_id and person_id must all be filled "
                    "in; fix or drop the row"
                )
            key = f"{source}:{source_id}"
            if truth.setdefault(key, person) != person:
                raise TruthFileError(
                    f"{path}, line {line}: record {key} is given to both {truth[key]} and "
                    f"{person}; keep one row per record"
                )
    return truth


def _contingency(predicted: Mapping[str, str], truth: Mapping[str, str]) -> _Contingency:
    common = predicted.keys() & truth.keys()
    identities = list(map(predicted.__getitem__, common))  # C-level: a million records is
    persons = list(map(truth.__getitem__, common))  # a routine evaluation
    return _Contingency(
        cells=Counter(zip(identities, persons, strict=True)),
        identity_sizes=Counter(identities),
        person_sizes=Counter(persons),
        only_predicted=len(predicted) - len(common),
        only_truth=len(truth) - len(common),
    )


def _pairs(sizes: Counter[str] | Counter[tuple[str, str]]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def pairwise_metrics(predicted: Mapping[str, str], truth: Mapping[str, str]) -> PairwiseMetrics:
    """Pairwise precision/recall/F1 of record -> identity against record -> person."""
    table = _contingency(predicted, truth)
    true_positive = _pairs(table.cells)
    predicted_pairs, true_pairs = _pairs(table.identity_sizes), _pairs(table.person_sizes)
    if table.records == 0:
        precision = recall = f1 = 0.0
    else:
        precision = true_positive / predicted_pairs if predicted_pairs else 1.0
        recall = true_positive / true_pairs if true_pairs else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairwiseMetrics(
        precision,
        recall,
        f1,
        true_positive,
        predicted_pairs,
        true_pairs,
        records=table.records,
        only_predicted=table.only_predicted,
        only_truth=table.only_truth,
    )


def cluster_metrics(predicted: Mapping[str, str], truth: Mapping[str, str]) -> ClusterMetrics:
    """Exact, over- and under-merged identities and B-cubed figures, on records in both."""
    table = _contingency(predicted, truth)
    persons_per_identity = Counter(map(itemgetter(0), table.cells))
    identities_per_person = Counter(map(itemgetter(1), table.cells))
    exact = 0
    precision_sum = recall_sum = 0.0
    for (identity, person), n in table.cells.items():
        identity_size, person_size = table.identity_sizes[identity], table.person_sizes[person]
        exact += n == identity_size == person_size
        # B-cubed: each of the n records sees n of its identity's / its person's records.
        precision_sum += n * n / identity_size
        recall_sum += n * n / person_size
    records, persons = table.records, len(table.person_sizes)
    return ClusterMetrics(
        identities=len(table.identity_sizes),
        persons=persons,
        exact_matches=exact,
        exact_match_rate=exact / persons if persons else 0.0,
        over_merged=sum(1 for n in persons_per_identity.values() if n > 1),
        under_merged=sum(1 for n in identities_per_person.values() if n > 1),
        bcubed_precision=precision_sum / records if records else 0.0,
        bcubed_recall=recall_sum / records if records else 0.0,
    )


def format_report(pairwise: PairwiseMetrics, clusters: ClusterMetrics) -> str:
    """A short plain-text report of both sets of figures, for people."""
    if pairwise.records == 0:
        return (
            f"No record is in both the resolution ({pairwise.only_predicted:,} records) and the "
            f"truth ({pairwise.only_truth:,}): check that the truth's source and source_id "
            "match the record keys (source:source_id)."
        )
    p = pairwise
    c = clusters
    return "\n".join(
        [
            f"Compared {p.records:,} records (left out: {p.only_predicted:,} only resolved, "
            f"{p.only_truth:,} only in the truth).",
            f"Pairwise  precision {p.precision:.4f}  recall {p.recall:.4f}  F1 {p.f1:.4f}",
            f"          {p.true_positive_pairs:,} correct pairs of {p.predicted_pairs:,} "
            f"predicted and {p.true_pairs:,} true",
            f"Clusters  {c.identities:,} identities for {c.persons:,} persons; "
            f"{c.exact_matches:,} exact ({c.exact_match_rate:.1%} of persons)",
            f"          {c.over_merged:,} identities hold several persons (over-merged); "
            f"{c.under_merged:,} persons are split over several identities (under-merged)",
            f"B-cubed   precision {c.bcubed_precision:.4f}  recall {c.bcubed_recall:.4f}",
        ]
    )
