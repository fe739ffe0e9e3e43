"""Pair scoring in forked workers finds exactly what one process finds."""

from __future__ import annotations

import random
from datetime import date

from c360graph.resolve.linking import LinkCache, find_links
from c360graph.resolve.records import Rec
from c360graph.resolve.store import RuleGroup
from tests.unit.test_resolve_scoring import CONFIG, rec

FIRST = ["Anna", "Ann", "Ben", "Benjamin", "Clara", "Dieter", "Eva", "Finn", "Greta", "Hanna"]
LAST = ["Meyer", "Meier", "Schulz", "Schultz", "Kranz", "Otto", "Bauer", "Wolf"]


def _people(count: int) -> dict[str, Rec]:
    """People with one to three records each, from small name pools: many blocks, typos."""
    rng = random.Random(5)
    recs: dict[str, Rec] = {}
    while len(recs) < count:
        person = len(recs)
        first, last = rng.choice(FIRST), rng.choice(LAST) + rng.choice(["", "er", "ke"])
        born = date(1950 + rng.randrange(40), rng.randrange(1, 13), rng.randrange(1, 28))
        email = f"{first}.{last}{person}@example.org".lower()
        postcode = f"1{rng.randrange(20):04d}"
        for copy in range(rng.randrange(1, 4)):
            r = rec(
                f"s{copy}:{person}",
                first_name=first if rng.random() < 0.8 else first[:-1],
                last_name=last,
                date_of_birth=born if rng.random() < 0.8 else None,
                postcode=postcode,
                emails=(email,) if rng.random() < 0.5 else (),
            )
            recs[r.key] = r
    return recs


def _email_groups(recs: dict[str, Rec]) -> list[RuleGroup]:
    holders: dict[str, list[str]] = {}
    for r in recs.values():
        for email in r.emails:
            holders.setdefault(email, []).append(r.key)
    return [
        RuleGroup("same_email", email, False, False, tuple(sorted(keys)))
        for email, keys in holders.items()
        if len(keys) > 1
    ]


def test_forked_workers_score_the_same_pairs_and_accept_the_same_links_as_one_process() -> None:
    recs = _people(600)
    groups = _email_groups(recs)
    focus = set(recs)
    one = find_links(recs, groups, focus, CONFIG, workers=1)
    three = find_links(recs, groups, focus, CONFIG, workers=3)
    assert one.candidates > 1000 and one.accepted  # the data makes real work
    assert three.candidates == one.candidates
    assert three.blocking.candidates == one.blocking.candidates
    assert [(s.pair, s.rules, s.evidence, s.levels) for s in three.scored] == [
        (s.pair, s.rules, s.evidence, s.levels) for s in one.scored
    ]
    assert [s.pair for s in three.accepted] == [s.pair for s in one.accepted]


def test_a_pair_proposed_by_a_rule_and_by_blocking_is_scored_once_with_the_rule_evidence() -> None:
    recs = _people(200)
    groups = _email_groups(recs)
    found = find_links(recs, groups, set(recs), CONFIG, workers=2)
    pairs = [s.pair for s in found.scored]
    assert len(pairs) == len(set(pairs))
    by_pair = {s.pair: s for s in found.scored}
    for group in groups:
        a, b = group.records[0], group.records[1]
        assert by_pair[(a, b)].evidence == (group.evidence,)


def test_a_later_pass_with_another_focus_reuses_the_population_and_finds_what_a_fresh_one_does() -> (
    None
):
    recs = _people(400)
    groups = _email_groups(recs)
    keys = sorted(recs)
    cache = LinkCache()
    first = find_links(recs, groups, set(keys[:50]), CONFIG, cache)
    population = cache.population
    widened = set(keys[:50]) | set(keys[300:340])
    again = find_links(recs, groups, widened, CONFIG, cache)
    fresh = find_links(recs, groups, widened, CONFIG)
    assert cache.population is population and first.candidates  # reused, not rebuilt
    assert [(s.pair, s.levels) for s in again.scored] == [(s.pair, s.levels) for s in fresh.scored]
    assert again.blocking == fresh.blocking and again.profiles == fresh.profiles
