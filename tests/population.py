"""A small synthetic population for model tests: people, their noisy records, households.

Nothing here was used to set a default: it only gives the model something to learn from
in tests (EM converges, a typo'd date weighs for a match, households stay apart).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from c360graph.db.graph import Graph
from c360graph.normalize.name import name_key
from c360graph.resolve import store
from c360graph.resolve.features import features
from c360graph.resolve.model.columns import records_table
from c360graph.resolve.model.stored import model_fingerprint
from c360graph.resolve.model.training import TrainedModel, train
from c360graph.resolve.records import Rec
from c360graph.resolve.settings import load_resolution_config

FIRST = tuple(
    [
        "Anna",
        "Ben",
        "Clara",
        "David",
        "Emma",
        "Felix",
        "Greta",
        "Hugo",
        "Ida",
        "Jonas",
        "Klara",
        "Leon",
        "Mia",
        "Noah",
        "Olga",
        "Paul",
        "Rosa",
        "Simon",
        "Tara",
        "Uwe",
        "Vera",
        "Walter",
        "Yara",
        "Zoe",
        "Linh",
        "Minh",
        "Hoa",
        "Tuan",
        "Mai",
        "Lan",
        "Duc",
        "Thu",
    ]
)
LAST = tuple(
    [
        "Schmidt",
        "Meyer",
        "Weber",
        "Wagner",
        "Becker",
        "Hoffmann",
        "Koch",
        "Richter",
        "Klein",
        "Wolf",
        "Neumann",
        "Braun",
        "Zimmermann",
        "Hartmann",
        "Lange",
        "Werner",
        "Krause",
        "Nguyen",
        "Tran",
        "Pham",
        "Hoang",
        "Vo",
        "Dang",
        "Bui",
    ]
)
SOURCES = ("crm", "webshop", "pos", "app")


def rec(key: str, **kw: Any) -> Rec:
    """A Rec with match keys derived the way ingest derives them."""
    for part in ("first", "last"):
        raw = kw.get(f"{part}_name")
        if raw is not None:
            kw.setdefault(f"{part}_name_key", name_key(raw))
    return Rec(key=key, source=key.split(":")[0], **kw)


def _typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text))
    return text[:i] + rng.choice("aeiourstn") + text[i + 1 :]


def _dob_typo(rng: random.Random, born: date) -> date:
    if rng.random() < 0.5 and born.day <= 12:
        return date(born.year, born.day, born.month)  # day and month swapped
    return born + timedelta(days=rng.choice((-9, -1, 1, 10)))  # one digit off, mostly


def people(n: int, seed: int) -> tuple[list[Rec], dict[str, str]]:
    """Records of `n` people (one to four each, noisy) and who each record is."""
    rng = random.Random(seed)
    recs: list[Rec] = []
    truth: dict[str, str] = {}
    home: dict[str, Any] = {}
    for p in range(n):
        last = rng.choice(LAST)
        if p % 5 == 1:  # a household: shares the previous person's home, landline, surname
            last = home["last"]
        else:
            home = {
                "last": last,
                "address_line1": f"{rng.randrange(1, 200)} {rng.choice(LAST)}strasse",
                "postcode": f"{rng.randrange(10000, 99999)}",
                "landline": f"+4930{rng.randrange(1000000, 9999999)}",
            }
        first = rng.choice(FIRST)
        # Vietnamese names carry a middle name that some systems drop ("Thị Hoa" ~ "Hoa").
        middle = rng.choice(("Thị", "Văn")) if last in LAST[-6:] else ""
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(60 * 365))
        email = f"{first}.{last}{rng.randrange(100)}@mail.de".lower()
        mobile = f"+4917{rng.randrange(10000000, 99999999)}"
        for r in range(rng.choice((1, 2, 2, 3, 4))):
            given = f"{middle} {first}" if middle and rng.random() < 0.5 else first
            kw: dict[str, Any] = {"first_name": given, "last_name": last}
            if rng.random() < 0.15:
                kw["first_name"] = _typo(rng, given)
            if rng.random() < 0.15:
                kw["last_name"] = _typo(rng, last)
            if rng.random() < 0.7:
                kw["date_of_birth"] = _dob_typo(rng, born) if rng.random() < 0.1 else born
            if rng.random() < 0.6:
                kw["emails"] = (email,)
            if rng.random() < 0.5:
                kw["phones"] = (mobile,) if rng.random() < 0.7 else (home["landline"],)
            if rng.random() < 0.6:
                kw["address_line1"], kw["postcode"] = home["address_line1"], home["postcode"]
            key = f"{SOURCES[r % 4]}:{p}-{r}"
            recs.append(rec(key, **kw))
            truth[key] = f"person-{p}"
    return recs, truth


@lru_cache(maxsize=1)
def trained_model() -> TrainedModel:
    """The default config's model, trained on 600 synthetic people (a few seconds, once)."""
    recs, _ = people(600, seed=3)
    return train(records_table((r, features(r)) for r in recs), load_resolution_config())


def store_test_model(graph: Graph) -> None:
    """Store trained_model() in the graph as the model of the default config."""
    fingerprint = model_fingerprint(load_resolution_config())
    # A fixed time: graphs built at different moments compare equal (tests/helpers.content).
    store.save_model(graph, trained_model(), fingerprint, datetime(2026, 1, 1, tzinfo=UTC))
