"""The learned model: trained on unlabelled records, it links the same person and keeps
relatives and namesakes apart; its date levels judge what a date conflict is."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from c360graph.resolve.features import features, mailbox_rest, name_from_mailbox
from c360graph.resolve.guards import (
    DOB_NAME,
    STUB,
    DobJudge,
    decide,
    different_people,
    first_names_differ,
    name_conflict_yields_to,
)
from c360graph.resolve.linking import find_links
from c360graph.resolve.model.columns import records_table
from c360graph.resolve.model.frequencies import (
    NAME_CALIBRATION,
    NAME_TOKENS,
    PEOPLE,
    name_frequency,
    person_frequencies,
)
from c360graph.resolve.model.labels import check
from c360graph.resolve.model.scoring import Scorer
from c360graph.resolve.model.training import TrainedModel, _chance_agreement, train
from c360graph.resolve.records import Rec, Scored
from c360graph.resolve.settings import load_resolution_config
from tests.population import people, rec, trained_model

CONFIG = load_resolution_config()


def score(a: Rec, b: Rec, model: TrainedModel | None = None) -> Scored:
    """The pair as a run scores it (term frequencies from the model)."""
    found = find_links(
        {a.key: a, b.key: b},
        [],
        {a.key, b.key},
        CONFIG,
        model or trained_model(),
        pairs_only={(min(a.key, b.key), max(a.key, b.key))},
    )
    (scored,) = found.scored
    return scored


def _weights(model: TrainedModel, field: str) -> dict[str, float]:
    (comparison,) = [c for c in model.settings["comparisons"] if c["output_column_name"] == field]
    return {
        lv["label_for_charts"]: math.log2(lv["m_probability"] / lv["u_probability"])
        for lv in comparison["comparison_levels"]
        if not lv.get("is_null_level")
    }


HOME = dict(address_line1="12 Baker Street", postcode="10115")
ELSEWHERE = dict(address_line1="4 Park Lane", postcode="80331")

SAME_PERSON = [
    ("moved house: same name, dob and email",
     rec("crm:1", first_name="Anna", last_name="Schmidt", date_of_birth=date(1985, 2, 3),
         emails=("anna.schmidt@gmx.de",), **HOME),
     rec("webshop:1", first_name="Anna", last_name="Schmidt", date_of_birth=date(1985, 2, 3),
         emails=("anna.schmidt@gmx.de",), **ELSEWHERE)),
    ("nickname and the same email",
     rec("crm:2", first_name="Robert", last_name="Hughes", emails=("rob.hughes@gmail.com",)),
     rec("app:2", first_name="Bob", last_name="Hughes", emails=("rob.hughes@gmail.com",))),
    ("family name first, no accents, same mobile",
     rec("crm:3", first_name="Thị Hồng", last_name="Nguyễn", phones=("+84977888999",)),
     rec("pos:3", full_name="Hong Nguyen", phones=("+84977888999",))),
    ("day and month transposed, same email",
     rec("crm:4", first_name="Claire", last_name="Dubois", date_of_birth=date(1979, 4, 7),
         emails=("claire.dubois@orange.fr",)),
     rec("pos:4", full_name="Claire Dubois", date_of_birth=date(1979, 7, 4),
         emails=("claire.dubois@orange.fr",))),
    ("typo in the surname, same dob and address",
     rec("crm:5", first_name="Jeannette", last_name="Gröttner", date_of_birth=date(2002, 8, 2),
         **HOME),
     rec("pos:5", full_name="Jeanentte Grottner", date_of_birth=date(2002, 8, 2), **HOME)),
    ("first and last name swapped, same loyalty card",
     rec("crm:6", first_name="Ron", last_name="Schmiedecke", loyalty_ids=("633800009153",)),
     rec("pos:6", first_name="Schmiedecke", last_name="Ron", loyalty_ids=("633800009153",))),
    ("a rare name and nothing else to compare",
     rec("app:7", first_name="Wolf-Dietrich", last_name="Margraf"),
     rec("social:7", full_name="Wolf-Dietrich Margraf")),
]  # fmt: skip

DIFFERENT_PEOPLE = [
    ("parent and child sharing a family email and landline, both dobs known",
     rec("crm:10", first_name="Ben", last_name="Schmidt", date_of_birth=date(1961, 5, 2),
         emails=("schmidts@mail.de",), phones=("+493012345678",), **HOME),
     rec("crm:11", first_name="Emma", last_name="Schmidt", date_of_birth=date(1994, 9, 30),
         emails=("schmidts@mail.de",), phones=("+493012345678",), **HOME)),
    ("spouses sharing a landline and an address, one dob unknown",
     rec("crm:12", first_name="Mia", last_name="Weber", date_of_birth=date(1970, 1, 15),
         phones=("+493087654321",), **HOME),
     rec("webshop:12", first_name="David", last_name="Weber", phones=("+493087654321",),
         **HOME)),
    ("namesakes with different dates of birth and emails",
     rec("crm:15", first_name="David", last_name="Becker", date_of_birth=date(1981, 8, 19),
         emails=("dbecker@gmail.com",)),
     rec("webshop:15", first_name="David", last_name="Becker", date_of_birth=date(1956, 2, 11),
         emails=("david.becker@yahoo.de",))),
    ("a common name and nothing else",
     rec("app:16", first_name="Anna", last_name="Meyer"),
     rec("social:16", full_name="Anna Meyer")),
]  # fmt: skip


def test_training_learns_every_comparison_from_unlabelled_records() -> None:
    model = trained_model()
    assert any("EM" in step for step in model.steps)
    assert 0 < model.settings["probability_two_random_records_match"] < 0.01
    for field in ("name", "date_of_birth", "email", "phone", "address"):
        weights = _weights(model, field)
        assert weights["else"] < 0 < max(weights.values()), field
    name = _weights(model, "name")
    assert name["exact"] > name["fuzzy_loose"] > name["else"]


@pytest.mark.parametrize(("why", "a", "b"), SAME_PERSON, ids=[c[0] for c in SAME_PERSON])
def test_the_same_person_is_linked(why: str, a: Rec, b: Rec) -> None:
    scored = score(a, b)
    assert decide(scored, CONFIG.threshold), (why, scored)


@pytest.mark.parametrize(("why", "a", "b"), DIFFERENT_PEOPLE, ids=[c[0] for c in DIFFERENT_PEOPLE])
def test_different_people_are_not_linked(why: str, a: Rec, b: Rec) -> None:
    scored = score(a, b)
    assert not decide(scored, CONFIG.threshold), (why, scored)


def test_relatives_are_blocked_by_the_guard_whatever_they_share() -> None:
    scored = score(*DIFFERENT_PEOPLE[0][1:])
    assert scored.blocked_by == DOB_NAME
    assert scored.probability > 0.5  # the shared email and landline alone would have linked


def test_a_typo_or_a_swap_in_a_date_of_birth_is_no_conflict_but_another_date_is() -> None:
    judge = DobJudge(trained_model().settings, CONFIG)
    born = date(1961, 2, 17)
    assert not judge.conflict(born, date(1961, 2, 18))  # one mistyped digit
    assert not judge.conflict(born, date(1916, 2, 17))  # year digits swapped
    assert not judge.conflict(date(1990, 3, 4), date(1990, 4, 3))  # day/month swap
    assert judge.conflict(born, date(1989, 11, 3))  # a father and his son
    assert judge.confirms(born, born) and not judge.confirms(born, None)


@settings(max_examples=60, deadline=None)
@given(st.dates(date(1950, 1, 1), date(1952, 12, 31)), st.integers(-400, 400))
def test_the_python_date_levels_are_the_models_sql_levels(born: date, days: int) -> None:
    other = date.fromordinal(born.toordinal() + days)
    pair = score(
        rec("a:1", first_name="Anna", date_of_birth=born),
        rec("b:1", first_name="Anna", date_of_birth=other),
    )
    assert (
        DobJudge(trained_model().settings, CONFIG).level(born, other)
        == pair.levels["date_of_birth"]
    )


def test_the_weight_is_the_prior_plus_each_fields_weight() -> None:
    scored = score(*SAME_PERSON[0][1:])
    prior = trained_model().settings["probability_two_random_records_match"]
    assert scored.weight == pytest.approx(
        math.log2(prior / (1 - prior)) + sum(scored.partials.values()), abs=1e-6
    )
    assert scored.probability == pytest.approx(2**scored.weight / (1 + 2**scored.weight))


def test_a_stub_record_never_matches_anything() -> None:
    a = rec("crm:1", first_name="Ana", last_name="Ruiz", emails=("ana@x.es",))
    scored = score(a, Rec(key="app:9", source="app", stub=True))
    assert scored.blocked_by == STUB and scored.levels == {}
    assert not decide(scored, 0.0)


def test_decide_accepts_at_the_threshold_and_never_a_blocked_pair() -> None:
    ok = Scored("a", "b", weight=1.0, probability=0.95)
    assert decide(ok, 0.95) and not decide(ok, 0.951)
    assert not decide(Scored("a", "b", 9.0, 0.998, blocked_by=DOB_NAME), 0.5)


def test_a_rare_name_weighs_more_than_a_common_one() -> None:
    common = score(*DIFFERENT_PEOPLE[3][1:])
    rare = score(*SAME_PERSON[6][1:])
    assert rare.levels["name"] == common.levels["name"] == "exact"
    assert rare.partials["name"] > common.partials["name"] + 3


def test_a_middle_name_one_record_lacks_weighs_by_how_rare_the_shorter_name_is() -> None:
    # "Linh Tran" inside "Linh Ngoc Tran" is a missing middle name, but thousands share it;
    # "Wolf-Dietrich Margraf" inside a longer name is nearly as good as the same name.
    common = score(
        rec("crm:1", first_name="Linh", last_name="Tran"),
        rec("pos:1", full_name="Tran Ngoc Linh"),
    )
    rare = score(
        rec("crm:2", first_name="Wolf-Dietrich", last_name="Margraf"),
        rec("pos:2", full_name="Wolf-Dietrich Johannes Margraf"),
    )
    assert rare.levels["name"] == common.levels["name"] == "subset"
    assert rare.partials["name"] > common.partials["name"] + 3


def test_a_token_matched_exactly_cannot_also_stand_in_for_a_close_one() -> None:
    # "hong" is close to "hoang" (Jaro-Winkler 0.95), but "Hoàng" is already the other
    # record's surname: Hồng and Huy are a family, not a typo.
    family = score(
        rec("crm:1", first_name="Hồng", last_name="Hoàng"),
        rec("social:1", full_name="Huy Hoàng"),
    )
    typo = score(
        rec("crm:2", first_name="Sylvia", last_name="Owen"),
        rec("support:2", first_name="Sylvvia", last_name="Owen"),
    )
    assert typo.levels["name"] == "fuzzy"
    assert family.levels["name"] not in {"fuzzy", "fuzzy_loose", "subset", "exact"}


def test_scores_do_not_depend_on_which_records_a_run_holds() -> None:
    a, b = SAME_PERSON[0][1:]
    crowd = [rec(f"crm:x{i}", first_name="Anna", last_name="Schmidt") for i in range(30)]
    alone = score(a, b)
    found = find_links(
        {r.key: r for r in (a, b, *crowd)},
        [],
        {a.key},
        CONFIG,
        trained_model(),
        pairs_only={(a.key, b.key)},
    )
    assert [s.weight for s in found.scored] == [alone.weight]
    assert all(x <= y for x, y in pairwise([alone.weight, alone.weight]))


def test_analysts_must_links_refine_m_and_check_the_model() -> None:
    recs, truth = people(600, seed=3)
    by_person: dict[str, list[str]] = {}
    for key, person in truth.items():
        by_person.setdefault(person, []).append(key)
    must = [(ks[0], ks[1]) for ks in by_person.values() if len(ks) > 1][:60]
    cannot = [(a[0], b[0]) for a, b in pairwise(list(by_person.values())[:21])]
    table = records_table((r, features(r)) for r in recs)
    labelled = train(table, CONFIG, must)
    assert any("60 analysts' must-links" in step for step in labelled.steps)
    result = check(Scorer(labelled, table), must, cannot, CONFIG.threshold)
    assert (result.must, result.cannot) == (60, 20)
    assert result.must_above > 40 and result.cannot_above == 0
    assert "of 60 must-links" in result.text()


def test_no_trained_level_is_a_certain_veto_or_a_certain_match() -> None:
    from c360graph.resolve.model.training import _bounded, _without_matches

    level = {"sql_condition": "x_l = x_r", "label_for_charts": "exact"}
    settings_ = {
        "probability_two_random_records_match": 0.01,
        "comparisons": [
            {
                "output_column_name": "x",
                "comparison_levels": [
                    {**level, "m_probability": None, "u_probability": 7.58e-321},  # underflowing
                    {**level, "m_probability": 0.0, "u_probability": 0.5},
                    {**level, "m_probability": 0.95, "u_probability": 0.0},
                ],
            }
        ],
    }
    bounded = _bounded(_without_matches(settings_), CONFIG.training)
    for lv in bounded["comparisons"][0]["comparison_levels"]:
        assert lv["m_probability"] >= 1e-300 and lv["u_probability"] > 0
        assert abs(math.log2(lv["m_probability"] / lv["u_probability"])) < 40


def test_a_misspelt_town_is_a_level_of_its_own_between_the_same_town_and_another() -> None:
    a = rec("crm:1", first_name="Ivy", last_name="Kay", city="London")
    b = rec("pos:1", first_name="Ivy", last_name="Kay", city="Lndon")
    c = rec("app:1", first_name="Ivy", last_name="Kay", city="Leeds")
    assert score(a, b).levels["address"] == "city_fuzzy"
    assert score(a, c).levels["address"] == "else"


def test_u_of_an_exact_level_is_at_least_the_chance_two_people_share_the_value() -> None:
    # Two of four people born on one day, two on another: 4 of the 12 ordered pairs agree.
    shares = {"dob_text": {"1980-01-01": 0.5, "1990-01-01": 0.5}, PEOPLE: {"groups": 4.0}}
    floors = _chance_agreement({("date_of_birth", "exact"): "dob_text"}, shares)
    assert floors == {("date_of_birth", "exact"): pytest.approx(4 / 12)}
    unique = {"dob_text": {"1980-01-01": 0.25, "1990-01-01": 0.25}, PEOPLE: {"groups": 4.0}}
    assert _chance_agreement({("date_of_birth", "exact"): "dob_text"}, unique) == {
        ("date_of_birth", "exact"): 0.0
    }


def test_trained_exact_levels_keep_u_at_or_above_the_chance_agreement() -> None:
    recs, _ = people(600, seed=3)
    table = records_table((r, features(r)) for r in recs)
    counted = person_frequencies(table, ["dob_text", "surname"])
    floors = _chance_agreement(
        {("date_of_birth", "exact"): "dob_text", ("name", "same_surname"): "surname"}, counted
    )
    model = trained_model()
    for (field, level), floor in floors.items():
        assert floor > 0
        assert _u(model, field, level) >= floor, (field, level)


def _u(model: TrainedModel, field: str, level: str) -> float:
    (comparison,) = [c for c in model.settings["comparisons"] if c["output_column_name"] == field]
    (found,) = [lv for lv in comparison["comparison_levels"] if lv["label_for_charts"] == level]
    return float(found["u_probability"])


def test_a_few_hundred_records_are_enough_to_learn_from_and_fewer_than_min_records_are_not() -> (
    None
):
    small, _ = people(70, seed=11)
    assert CONFIG.training.min_records <= len(small) < 1000
    learned = train(records_table((r, features(r)) for r in small), CONFIG)
    assert any(step.startswith("m by EM") for step in learned.steps), learned.steps
    few = small[: CONFIG.training.min_records - 1]
    untrained = train(records_table((r, features(r)) for r in few), CONFIG)
    assert "too few to learn from" in untrained.steps[0]


def test_a_training_rule_that_pairs_no_records_is_skipped_not_fatal() -> None:
    # A few hundred records, no two born on the same day: EM cannot block on the date.
    small, _ = people(70, seed=11)
    unique = [
        replace(r, date_of_birth=date(1950, 1, 1) + timedelta(days=i)) for i, r in enumerate(small)
    ]
    model = train(records_table((r, features(r)) for r in unique), CONFIG)
    assert any("blocked on dob gave up" in step for step in model.steps), model.steps
    assert any(step.startswith("m by EM over pairs blocked on name_key") for step in model.steps)


def test_a_surname_alone_is_a_weaker_level_than_a_missing_middle_name() -> None:
    full = rec("crm:1", first_name="Anna Maria", last_name="Schmidt")
    surname = rec("pos:1", last_name="Schmidt")
    no_middle = rec("app:1", first_name="Anna", last_name="Schmidt")
    assert score(full, surname).levels["name"] == "single_token"
    assert score(full, no_middle).levels["name"] == "subset"
    weights = _weights(trained_model(), "name")
    assert weights["single_token"] < weights["subset"]


def test_a_record_known_by_its_surname_alone_has_no_first_name_to_differ() -> None:
    judge = DobJudge(trained_model().settings, CONFIG)
    joanna = features(rec("crm:1", first_name="Joanna", last_name="Wilson"))
    wilson = features(rec("pos:1", last_name="Wilson"))
    jo_full = features(rec("app:1", full_name="Peter Wilson"))  # a first name inside
    assert not first_names_differ(joanna, wilson) and not different_people(joanna, wilson, judge)
    assert first_names_differ(joanna, jo_full) and different_people(joanna, jo_full, judge)


@pytest.mark.parametrize(
    ("mailbox", "name", "rest"),
    [
        ("robert.gomez", "Robert Gomez", ""),
        ("gomez_robert", "Robert Gomez", ""),
        ("rgomez", "Robert Gomez", "r"),  # one part cut to its initial
        ("nguyenvanan", "Nguyễn Văn An", ""),
        ("nguyenvanan", "Nguyễn Văn Anh", "an"),  # "an" is not this person's name
        ("dangducquang", "Quang Đặng", "duc"),  # a middle name this record lacks
        ("robert.gomez82", "Robert Gomez", None),  # digits say something of their own
        ("bobgomez", "Robert Gomez", "bob"),
    ],
)
def test_a_mailbox_less_the_records_own_name_leaves_its_rest(
    mailbox: str, name: str, rest: str | None
) -> None:
    tokens = features(rec("crm:1", full_name=name)).tokens
    assert mailbox_rest(mailbox, tokens) == rest


@pytest.mark.parametrize(
    ("mailboxes", "own", "name"),
    [
        (("lauren_butcher", "lbutcher"), "btcher", "lauren"),  # a typo in the own name
        (("sandraruiz70",), "ruiz", "sandra"),
        (("thanh.vu",), "vu", "thanh"),
        (("carias",), "arias", ""),  # an initial is not a name
        (("john.smith", "jane.smith"), "smith", ""),  # two names: which one?
        (("info",), "smith", ""),
    ],
)
def test_a_record_known_by_one_name_takes_the_other_from_its_mailbox(
    mailboxes: tuple[str, ...], own: str, name: str
) -> None:
    assert name_from_mailbox(mailboxes, own) == name


def test_a_surname_alone_with_a_mailbox_naming_someone_else_is_another_family_member() -> None:
    """A till record "Butcher" at the Butchers' address, lauren_butcher@: not Valerie."""
    valerie = features(rec("crm:1", first_name="Valerie", last_name="Butcher"))
    lauren = features(rec("pos:1", last_name="Butcher", emails=("lauren_butcher@icloud.com",)))
    unknown = features(rec("pos:2", last_name="Butcher"))
    assert first_names_differ(valerie, lauren) and not first_names_differ(valerie, unknown)


def test_namesakes_mailboxes_spelled_from_their_name_do_not_count_twice() -> None:
    """Two Robert Gomez own robert.gomez@ at two providers: the name already said that."""
    a = rec("crm:1", first_name="Robert", last_name="Gomez", emails=("robert.gomez@sfr.fr",))
    b = rec("app:1", first_name="Robert", last_name="Gomez", emails=("robert.gomez@aol.com",))
    marked = rec(
        "app:2", first_name="Robert", last_name="Gomez", emails=("robert.gomez82@aol.com",)
    )
    also = rec("crm:2", first_name="Robert", last_name="Gomez", emails=("robert.gomez82@sfr.fr",))
    assert score(a, b).levels["email"] == "null"
    assert score(marked, also).levels["email"] == "local_key"


@pytest.mark.parametrize(
    ("short", "full", "mailbox"),
    [
        ({"last_name": "Arias"}, {"first_name": "Chloe", "last_name": "Arias"}, "carias"),
        ({"full_name": "Quang Đặng"}, {"full_name": "Đức Quang Đặng"}, "dangducquang"),
        ({"full_name": "Lan Bùi"}, {"full_name": "Bùi Bảo Lan"}, "buibaolan"),
    ],
)
def test_a_mailbox_spelled_from_the_two_names_together_does_not_count_twice(
    short: dict[str, str], full: dict[str, str], mailbox: str
) -> None:
    """One record lacks a part of the name the shared mailbox spells: the other record's
    name supplies it, so the mailbox still only repeats the name comparison."""
    a = rec("app:1", emails=(f"{mailbox}@yahoo.com",), **short)  # type: ignore[arg-type]
    b = rec("crm:1", emails=(f"{mailbox}@gmail.com",), **full)  # type: ignore[arg-type]
    assert score(a, b).levels["email"] == "null"
    stranger = rec("crm:2", first_name="Minh", last_name="Tran", emails=(f"{mailbox}@aol.com",))
    assert score(a, stranger).levels["email"] == "local_key"


def test_a_link_outweighs_a_first_name_conflict_only_with_the_names_weight_counted_again() -> None:
    model = trained_model()
    against = _weights(model, "name")["else"]
    assert against < 0
    yields = name_conflict_yields_to(model.settings, CONFIG.threshold)
    odds = CONFIG.threshold / (1 - CONFIG.threshold)
    assert math.log2(yields / (1 - yields)) == pytest.approx(math.log2(odds) - against)
    # A model that gives disagreeing names no weight against a match yields at the threshold.
    flat = {"comparisons": [{"output_column_name": "name", "comparison_levels": [
        {"label_for_charts": "else", "m_probability": 0.5, "u_probability": 0.5}]}]}  # fmt: skip
    assert name_conflict_yields_to(flat, CONFIG.threshold) == pytest.approx(CONFIG.threshold)


def _namesakes(cultures: int, seed: int) -> list[Rec]:
    """4,000 people, one record each, names drawn within `cultures` pools, random dates."""
    rng = random.Random(seed)
    per_pool = 200 // cultures  # the same 200 first names and 200 surnames in all
    out = []
    for i in range(4000):
        pool = rng.randrange(cultures)
        first, last = (f"{part}{pool}x{rng.randrange(per_pool)}" for part in ("f", "s"))
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(60 * 365))
        out.append(rec(f"crm:{i}", first_name=first, last_name=last, date_of_birth=born))
    return out


def _factors(recs: list[Rec]) -> dict[str, float]:
    table = records_table((r, features(r)) for r in recs)
    return person_frequencies(table, ["name_key"])[NAME_CALIBRATION]


def test_name_frequencies_learn_from_namesakes_how_far_tokens_go_together() -> None:
    """Two cultures that never mix their names: a name is twice as common as its tokens'
    product says, and the namesakes with other dates of birth show it (no labels)."""
    mixed = _factors(_namesakes(cultures=1, seed=5))
    apart = _factors(_namesakes(cultures=2, seed=5))
    # The products fall around 1/200 * 1/200 = 10^-4.6; a half decade has too few to learn.
    assert all(f < 1.3 for f in mixed.values())
    assert 1.5 < apart["-5"] < 2.6 and 1.5 < apart["-4.5"] < 2.6
    tokens = sorted(features(rec("crm:x", first_name="f0x1", last_name="s0x2")).canon)
    table = records_table((r, features(r)) for r in _namesakes(cultures=2, seed=5))
    freqs = person_frequencies(table, ["name_key"])
    product = freqs[NAME_TOKENS]["f0x1"] * freqs[NAME_TOKENS]["s0x2"]
    factor = apart["-4.5" if product >= 10**-4.5 else "-5"]
    assert name_frequency(freqs, " ".join(tokens)) == pytest.approx(product * factor)
