"""Household and ring evaluation against a ground truth, on hand-made data."""

from __future__ import annotations

from pathlib import Path

import pytest

from c360graph.analyze.evaluate import (
    GroupTruth,
    has_group_columns,
    household_metrics,
    read_group_truth,
    ring_metrics,
)
from c360graph.resolve.evaluate import TruthFileError

# Persons P1-P3 live together (H1); P4 alone; P5-P8 are ring R1. One record per person
# except P1, who has two records resolved into two identities.
TRUTH = GroupTruth(
    person_of={
        "crm:1": "P1", "web:1": "P1", "crm:2": "P2", "crm:3": "P3", "crm:4": "P4",
        "app:5": "P5", "app:6": "P6", "app:7": "P7", "app:8": "P8",
    },
    household_of={"P1": "H1", "P2": "H1", "P3": "H1", "P4": "", "P5": "", "P6": "", "P7": "", "P8": ""},
    ring_of={"P1": "", "P2": "", "P3": "", "P4": "", "P5": "R1", "P6": "R1", "P7": "R1", "P8": "R1"},
)  # fmt: skip
IDENTITY_OF = {
    "crm:1": "i1", "web:1": "i1b", "crm:2": "i2", "crm:3": "i3", "crm:4": "i4",
    "app:5": "i5", "app:6": "i6", "app:7": "i7", "app:8": "i8",
}  # fmt: skip


def test_households_found_exactly_score_one() -> None:
    metrics = household_metrics(TRUTH, IDENTITY_OF, {"i1": "h", "i2": "h", "i3": "h"})
    assert (metrics.precision, metrics.recall) == (1.0, 1.0)


def test_a_missed_member_lowers_recall_and_a_stranger_lowers_precision() -> None:
    missed = household_metrics(TRUTH, IDENTITY_OF, {"i1": "h", "i2": "h"})
    assert missed.precision == 1.0
    assert missed.recall == pytest.approx(1 / 3)
    stranger = household_metrics(TRUTH, IDENTITY_OF, {"i1": "h", "i2": "h", "i3": "h", "i4": "h"})
    assert stranger.recall == 1.0
    assert stranger.precision == pytest.approx(3 / 6)


def test_a_ring_counts_as_detected_when_one_found_ring_holds_half_its_persons() -> None:
    half = ring_metrics(TRUTH, IDENTITY_OF, {"i5": "x", "i6": "x"})
    assert (half.detected, half.true_rings, half.precision) == (1, 1, 1.0)
    assert half.member_recall == 0.5
    scattered = ring_metrics(TRUTH, IDENTITY_OF, {"i5": "x", "i6": "y"})
    assert scattered.detected == 0


def test_a_found_ring_of_mostly_innocent_people_is_not_real() -> None:
    metrics = ring_metrics(TRUTH, IDENTITY_OF, {"i2": "x", "i3": "x", "i5": "x"})
    assert (metrics.real, metrics.predicted_rings, metrics.precision) == (0, 1, 0.0)
    assert metrics.member_precision == pytest.approx(1 / 3)


def test_a_truth_file_without_group_columns_is_named(tmp_path: Path) -> None:
    path = tmp_path / "truth.csv"
    path.write_text("source,source_id,person_id\ncrm,1,P1\n", encoding="utf-8")
    assert not has_group_columns(path)
    with pytest.raises(TruthFileError, match="household_id, ring_id"):
        read_group_truth(path)
