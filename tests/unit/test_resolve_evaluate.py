"""Evaluation against a ground truth: hand-computed cases and a brute-force pair enumeration."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from c360graph.resolve.evaluate import (
    ClusterMetrics,
    PairwiseMetrics,
    TruthFileError,
    cluster_metrics,
    format_report,
    pairwise_metrics,
    read_truth,
)

# Persons: P1 = {a, b, c}, P2 = {d, e}, P3 = {f}.
TRUTH = {"a": "P1", "b": "P1", "c": "P1", "d": "P2", "e": "P2", "f": "P3"}


def test_perfect_resolution_scores_one_everywhere() -> None:
    predicted = {key: f"id_{person}" for key, person in TRUTH.items()}
    assert pairwise_metrics(predicted, TRUTH) == PairwiseMetrics(1.0, 1.0, 1.0, 4, 4, 4, 6, 0, 0)
    assert cluster_metrics(predicted, TRUTH) == ClusterMetrics(3, 3, 3, 1.0, 0, 0, 1.0, 1.0)


def test_all_singletons_have_perfect_precision_and_no_recall() -> None:
    predicted = {key: f"id_{key}" for key in TRUTH}
    assert pairwise_metrics(predicted, TRUTH) == PairwiseMetrics(1.0, 0.0, 0.0, 0, 0, 4, 6, 0, 0)
    # B-cubed recall: a, b, c see 1/3 of their person, d, e 1/2, f all of it.
    assert cluster_metrics(predicted, TRUTH) == ClusterMetrics(
        identities=6,
        persons=3,
        exact_matches=1,
        exact_match_rate=pytest.approx(1 / 3),  # type: ignore[arg-type]
        over_merged=0,
        under_merged=2,
        bcubed_precision=1.0,
        bcubed_recall=pytest.approx((3 * 1 / 3 + 2 * 1 / 2 + 1) / 6),  # type: ignore[arg-type]
    )


def test_all_in_one_cluster_has_perfect_recall_and_poor_precision() -> None:
    predicted = dict.fromkeys(TRUTH, "id_all")
    pairwise = pairwise_metrics(predicted, TRUTH)
    assert (pairwise.true_positive_pairs, pairwise.predicted_pairs, pairwise.true_pairs) == (
        4,
        15,
        4,
    )
    assert pairwise.precision == pytest.approx(4 / 15)
    assert pairwise.recall == 1.0
    assert pairwise.f1 == pytest.approx(2 * (4 / 15) / (4 / 15 + 1))
    clusters = cluster_metrics(predicted, TRUTH)
    assert (clusters.identities, clusters.exact_matches, clusters.over_merged) == (1, 0, 1)
    assert clusters.under_merged == 0
    assert clusters.bcubed_precision == pytest.approx((3 * 3 / 6 + 2 * 2 / 6 + 1 / 6) / 6)
    assert clusters.bcubed_recall == 1.0


def test_only_records_in_both_count_and_the_rest_are_reported() -> None:
    predicted = {"a": "X", "b": "X", "z": "X"}  # z is not in the truth; c..f were not resolved
    pairwise = pairwise_metrics(predicted, TRUTH)
    assert (pairwise.records, pairwise.only_predicted, pairwise.only_truth) == (2, 1, 4)
    assert (pairwise.precision, pairwise.recall) == (1.0, 1.0)


def test_no_records_in_common_evaluates_nothing_and_says_why() -> None:
    pairwise = pairwise_metrics({"crm:1": "X"}, {"crm-1": "P1"})
    assert (pairwise.precision, pairwise.recall, pairwise.f1, pairwise.records) == (0, 0, 0, 0)
    report = format_report(pairwise, cluster_metrics({"crm:1": "X"}, {"crm-1": "P1"}))
    assert "check that the truth's source and source_id match the record keys" in report


def test_report_shows_the_headline_figures() -> None:
    predicted = dict.fromkeys(TRUTH, "id_all")
    report = format_report(pairwise_metrics(predicted, TRUTH), cluster_metrics(predicted, TRUTH))
    assert "Compared 6 records" in report
    assert "precision 0.2667  recall 1.0000" in report
    assert "1 identities for 3 persons; 0 exact" in report
    assert len(report.splitlines()) <= 8


def test_read_truth_keys_records_by_source_and_source_id(tmp_path: Path) -> None:
    path = tmp_path / "truth.csv"
    path.write_text(
        "\ufeffsource,source_id,person_id,household_id,ring_id\n"
        "crm,C000001,P0000001,H1,\n"
        "webshop,100001,P0000001,H1,R1\n",
        encoding="utf-8",
    )
    assert read_truth(path) == {"crm:C000001": "P0000001", "webshop:100001": "P0000001"}


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("source,source_id,household_id\ncrm,1,H1\n", "lacks the column person_id;"),
        ("", "lacks the columns source, source_id, person_id;"),
        ("source,source_id,person_id\ncrm,,P1\n", "line 2: source, source_id and person_id"),
        ("source,source_id,person_id\ncrm,1,P1\ncrm,1,P2\n", "line 3: record crm:1 is given"),
    ],
)
def test_read_truth_names_what_is_wrong(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "truth.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TruthFileError, match=fragment):
        read_truth(path)
    assert issubclass(TruthFileError, ValueError)


labels_st = st.dictionaries(
    st.sampled_from([f"r{i}" for i in range(12)]), st.sampled_from(["A", "B", "C", "D"])
)


@given(labels_st, labels_st)
def test_metrics_match_a_brute_force_pair_enumeration(
    predicted: dict[str, str], truth: dict[str, str]
) -> None:
    common = sorted(predicted.keys() & truth.keys())
    pairs = list(combinations(common, 2))
    same_identity = {p for p in pairs if predicted[p[0]] == predicted[p[1]]}
    same_person = {p for p in pairs if truth[p[0]] == truth[p[1]]}
    pairwise = pairwise_metrics(predicted, truth)
    assert pairwise.true_positive_pairs == len(same_identity & same_person)
    assert pairwise.predicted_pairs == len(same_identity)
    assert pairwise.true_pairs == len(same_person)
    assert pairwise.records == len(common)
    if common:
        expected_p = len(same_identity & same_person) / len(same_identity) if same_identity else 1
        expected_r = len(same_identity & same_person) / len(same_person) if same_person else 1
        assert pairwise.precision == pytest.approx(expected_p)
        assert pairwise.recall == pytest.approx(expected_r)

    clusters = cluster_metrics(predicted, truth)
    members: dict[str, set[str]] = {}
    persons: dict[str, set[str]] = {}
    for key in common:
        members.setdefault(predicted[key], set()).add(key)
        persons.setdefault(truth[key], set()).add(key)
    assert clusters.identities == len(members)
    assert clusters.persons == len(persons)
    assert clusters.exact_matches == sum(1 for m in members.values() if m in persons.values())
    assert clusters.over_merged == sum(
        1 for m in members.values() if len({truth[k] for k in m}) > 1
    )
    assert clusters.under_merged == sum(
        1 for m in persons.values() if len({predicted[k] for k in m}) > 1
    )
    if common:
        precision = sum(
            len(members[predicted[k]] & persons[truth[k]]) / len(members[predicted[k]])
            for k in common
        )
        recall = sum(
            len(members[predicted[k]] & persons[truth[k]]) / len(persons[truth[k]]) for k in common
        )
        assert clusters.bcubed_precision == pytest.approx(precision / len(common))
        assert clusters.bcubed_recall == pytest.approx(recall / len(common))
