"""Householding and fraud-ring quality against the generator's ground truth.

Both are judged per person (the truth's unit): a person's predicted household or ring is the
one of the identity holding most of their records. Households are scored pairwise, like
resolution: of the pairs of persons put in one household, how many truly live together
(precision), and of the true pairs, how many were found (recall). A true ring counts as
detected when one predicted ring holds at least half of its persons (two at least).
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from c360graph.resolve.evaluate import PairwiseMetrics, TruthFileError, pairwise_metrics

GROUP_COLUMNS = ("source", "source_id", "person_id", "household_id", "ring_id")


@dataclass(frozen=True)
class GroupTruth:
    """Who is who, and which household and ring each person belongs to ('' for none)."""

    person_of: dict[str, str]  # record key -> person
    household_of: dict[str, str]  # person -> household id
    ring_of: dict[str, str]  # person -> ring id


@dataclass(frozen=True)
class RingMetrics:
    """How many true rings were found, and how many found rings are real."""

    true_rings: int
    detected: int
    recall: float
    predicted_rings: int
    real: int  # predicted rings whose persons are mostly one true ring's
    precision: float
    member_recall: float  # ring persons inside some predicted ring
    member_precision: float  # persons in predicted rings who are ring members


def has_group_columns(path: Path) -> bool:
    """True when the truth file carries household_id and ring_id columns."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    return {"household_id", "ring_id"} <= set(header)


def read_group_truth(path: Path) -> GroupTruth:
    """Read a ground truth with household_id and ring_id columns (empty: none)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in GROUP_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise TruthFileError(
                f"{path} lacks {', '.join(missing)}; household and ring evaluation needs "
                f"{', '.join(GROUP_COLUMNS)} (the generator's ground_truth.csv has them)"
            )
        person_of: dict[str, str] = {}
        household_of: dict[str, str] = {}
        ring_of: dict[str, str] = {}
        for row in reader:
            person = row["person_id"].strip()
            person_of[f"{row['source'].strip()}:{row['source_id'].strip()}"] = person
            household_of[person] = (row["household_id"] or "").strip()
            ring_of[person] = (row["ring_id"] or "").strip()
    return GroupTruth(person_of, household_of, ring_of)


def person_groups(
    truth: GroupTruth, identity_of: Mapping[str, str], group_of: Mapping[str, str]
) -> dict[str, str]:
    """Person -> predicted group ('' for none), via the identity holding most of their records."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for key, person in truth.person_of.items():
        identity = identity_of.get(key)
        if identity is not None:
            votes[person][identity] += 1
    result = {}
    for person, counter in votes.items():
        identity = min(counter, key=lambda i: (-counter[i], i))
        result[person] = group_of.get(identity, "")
    return result


def _solo(groups: Mapping[str, str]) -> dict[str, str]:
    """Persons with no group become groups of their own, so they pair with no one."""
    return {person: group or f"solo:{person}" for person, group in groups.items()}


def household_metrics(
    truth: GroupTruth, identity_of: Mapping[str, str], household_of: Mapping[str, str]
) -> PairwiseMetrics:
    """Pairwise precision and recall of persons placed in one household."""
    predicted = _solo(person_groups(truth, identity_of, household_of))
    actual = _solo({p: truth.household_of[p] for p in predicted})
    return pairwise_metrics(predicted, actual)


def ring_metrics(
    truth: GroupTruth, identity_of: Mapping[str, str], ring_of: Mapping[str, str]
) -> RingMetrics:
    """Ring detection recall and precision, and the same per member."""
    predicted = person_groups(truth, identity_of, ring_of)
    true_members: dict[str, set[str]] = defaultdict(set)
    found_members: dict[str, set[str]] = defaultdict(set)
    for person, ring in truth.ring_of.items():
        if ring and person in predicted:
            true_members[ring].add(person)
    for person, ring in predicted.items():
        if ring:
            found_members[ring].add(person)

    detected = 0
    for persons in true_members.values():
        best = max((len(persons & f) for f in found_members.values()), default=0)
        detected += best >= max(2, (len(persons) + 1) // 2)
    real = 0
    for persons in found_members.values():
        counts = Counter(truth.ring_of[p] for p in persons if truth.ring_of[p])
        real += bool(counts) and counts.most_common(1)[0][1] * 2 > len(persons)
    in_true = set().union(*true_members.values()) if true_members else set()
    in_found = set().union(*found_members.values()) if found_members else set()
    return RingMetrics(
        true_rings=len(true_members),
        detected=detected,
        recall=detected / len(true_members) if true_members else 1.0,
        predicted_rings=len(found_members),
        real=real,
        precision=real / len(found_members) if found_members else 1.0,
        member_recall=len(in_true & in_found) / len(in_true) if in_true else 1.0,
        member_precision=len(in_true & in_found) / len(in_found) if in_found else 1.0,
    )


def format_group_report(households: PairwiseMetrics, rings: RingMetrics) -> str:
    """Household and ring figures in a few lines, for people."""
    h, r = households, rings
    return "\n".join(
        [
            f"Households  precision {h.precision:.4f}  recall {h.recall:.4f}  F1 {h.f1:.4f}  "
            f"({h.true_positive_pairs:,} correct pairs of persons of {h.predicted_pairs:,} "
            f"predicted and {h.true_pairs:,} true)",
            f"Rings       detected {r.detected} of {r.true_rings} (recall {r.recall:.3f}); "
            f"{r.real} of {r.predicted_rings} stored rings are real (precision {r.precision:.3f})",
            f"            members: recall {r.member_recall:.3f}, "
            f"precision {r.member_precision:.3f}",
        ]
    )
