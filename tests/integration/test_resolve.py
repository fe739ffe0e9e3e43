"""Identity resolution against the real graph: rules, guards, stable ids, assertions, explain."""

from __future__ import annotations

from typing import Any

import pytest

from c360graph.config import Settings
from c360graph.db.graph import Graph
from c360graph.graph.ingest import ingest_rows, rows_from_dicts
from c360graph.resolve import store
from c360graph.resolve.assertions import assert_different, assert_same
from c360graph.resolve.engine import ResolveReport, resolve
from c360graph.resolve.explain import explain
from c360graph.resolve.export import current_assignments
from c360graph.resolve.settings import ResolutionConfig, load_resolution_config
from c360graph.sources.fields import Kind
from c360graph.usecases import C360
from tests.helpers import cypher


@pytest.fixture(scope="module")
def config() -> ResolutionConfig:
    return load_resolution_config()


def load(graph: Graph, source: str, *rows: dict[str, Any]) -> None:
    """Ingest customer rows of one source."""
    report = ingest_rows(graph, rows_from_dicts(rows), source, Kind.CUSTOMERS)
    assert report.rejected == 0, report.rejections


def run(graph: Graph, config: ResolutionConfig, full: bool = False) -> ResolveReport:
    return resolve(graph, config, full=full)


def identity_of(graph: Graph) -> dict[str, str]:
    return current_assignments(graph)


def same(graph: Graph, a: str, b: str) -> bool:
    ids = identity_of(graph)
    return ids[a] == ids[b]


ANN = {
    "first_name": "Ann",
    "last_name": "Lee",
    "date_of_birth": "1980-03-05",
    "postcode": "SW1A 1AA",
    "address_line1": "1 High Street",
    "city": "London",
    "country": "GB",
}


@pytest.mark.parametrize(
    ("rule", "shared"),
    [
        ("same_email", {"email": "ann.lee@mailbox.org"}),
        ("same_phone", {"phone": "+44 7911 123456"}),
        ("same_device", {"device_id": "dev-42"}),
        ("same_loyalty_id", {"loyalty_id": "L-12345"}),
        ("same_national_id", {"national_id": "QQ123456C"}),
    ],
)
def test_each_rule_links_records_sharing_its_identifier(
    graph: Graph, config: ResolutionConfig, rule: str, shared: dict[str, str]
) -> None:
    load(graph, "crm", {"source_id": "1", "first_name": "Ann", "last_name": "Lee", **shared})
    load(graph, "shop", {"source_id": "9", "first_name": "Ann", "last_name": "Lee", **shared})
    run(graph, config)
    assert same(graph, "crm:1", "shop:9")
    links = cypher(
        graph,
        "MATCH (:Customer)-[l:LINKED]->(:Customer) RETURN l.rules AS rules, l.evidence AS ev, "
        "l.model_version AS model, l.probability AS p, l.levels AS levels",
    )
    assert len(links) == 1
    assert rule in links[0]["rules"]
    assert links[0]["ev"] and links[0]["model"] == config.model_version
    assert links[0]["p"] >= config.threshold and links[0]["levels"]


def test_each_rules_whole_graph_form_finds_the_groups_of_its_around_records_form(
    graph: Graph, config: ResolutionConfig
) -> None:
    shared = [
        {"email": "ann.lee@mailbox.org", "phone": "+44 7911 123456", "device_id": "dev-42"},
        {"email": "ann.lee@mailbox.org", "loyalty_id": "L-1", "national_id": "QQ123456C"},
        {"email": "noemail@example.com", "phone": "+44 7911 123456", "loyalty_id": "L-1"},
        {"device_id": "dev-42", "national_id": "QQ123456C", "email": "bo@mailbox.org"},
        {"email": "noemail@example.com", "phone": "+44 20 7946 0000"},
        {"phone": "+44 20 7946 0000", "device_id": "dev-7"},
        {"email": "solo@mailbox.org", "device_id": "dev-8"},
    ]
    for i, ids in enumerate(shared):
        load(graph, "crm" if i % 2 else "shop", {"source_id": str(i), "first_name": "Ann", **ids})
    keys = [row["key"] for row in cypher(graph, "MATCH (c:Customer) RETURN c.key AS key")]
    for rule in config.rules:
        around = sorted(store.rule_groups(graph, rule, keys), key=repr)
        assert around, f"{rule}: the data should make at least one group"
        assert sorted(store.rule_groups(graph, rule, None), key=repr) == around, rule


def test_fuzzy_matching_finds_the_same_person_behind_messy_records(
    graph: Graph, config: ResolutionConfig
) -> None:
    # Nickname, a typo in the surname, an abbreviated street, no identifier in common.
    load(
        graph,
        "crm",
        {
            "source_id": "1",
            **ANN,
            "first_name": "Robert",
            "last_name": "Smithson",
            "email": "rob.smithson@mailbox.org",
        },
    )
    load(
        graph,
        "shop",
        {
            "source_id": "2",
            **ANN,
            "first_name": "Bob",
            "last_name": "Smithsen",
            "address_line1": "1 High St.",
        },
    )
    run(graph, config)
    assert same(graph, "crm:1", "shop:2")


def test_family_sharing_a_landline_and_address_stays_apart(
    graph: Graph, config: ResolutionConfig
) -> None:
    home = {
        "last_name": "Gute",
        "address_line1": "Grafplatz 11",
        "postcode": "46542",
        "city": "Soltau",
        "country": "DE",
        "phone": "040 63702765",
    }
    load(
        graph,
        "crm",
        {"source_id": "ada", "first_name": "Ada", "date_of_birth": "1988-02-01", **home},
        {"source_id": "folkert", "first_name": "Folkert", "date_of_birth": "1958-03-26", **home},
    )
    run(graph, config)
    assert not same(graph, "crm:ada", "crm:folkert")


def test_placeholder_and_widely_shared_identifiers_never_merge_strangers(
    graph: Graph, config: ResolutionConfig
) -> None:
    names = ["Ann Lee", "Bob Marsh", "Chi Tran", "Dev Patel", "Eva Horn"]
    rows = [
        {"source_id": str(i), "full_name": n, "email": "test@test.com", "device_id": "kiosk-1"}
        for i, n in enumerate(names)
    ]
    load(graph, "pos", *rows)
    report = run(graph, config)
    assert len(set(identity_of(graph).values())) == len(names)
    assert report.shared_identifiers >= 2
    marked = cypher(
        graph,
        "MATCH (n) WHERE n.shared = true RETURN coalesce(n.address, n.device_id) AS v ORDER BY v",
    )
    assert [r["v"] for r in marked] == ["kiosk-1", "test@test.com"]


def test_rerun_on_unchanged_data_changes_no_id(graph: Graph, config: ResolutionConfig) -> None:
    load(
        graph,
        "crm",
        {"source_id": "1", **ANN, "email": "ann@mailbox.org"},
        {"source_id": "2", "first_name": "Zed", "last_name": "Ox", "email": "zed@mailbox.org"},
    )
    load(graph, "shop", {"source_id": "7", **ANN, "email": "ann@mailbox.org"})
    run(graph, config)
    before = identity_of(graph)
    again = run(graph, config, full=True)
    assert identity_of(graph) == before
    assert again.events == {}
    assert run(graph, config).mode == "nothing-to-do"


def test_merge_keeps_the_larger_identity_id_and_redirects_the_other(
    graph: Graph, config: ResolutionConfig
) -> None:
    load(graph, "crm", {"source_id": "1", **ANN, "email": "ann@mailbox.org"})
    load(graph, "shop", {"source_id": "2", **ANN, "email": "ann@mailbox.org"})
    load(
        graph,
        "app",
        {"source_id": "3", "first_name": "Ann", "last_name": "Lee", "email": "al@mailbox.org"},
    )
    run(graph, config)
    before = identity_of(graph)
    big, small = before["crm:1"], before["app:3"]
    assert big != small
    # The app user adds the email the other records share: the two identities merge.
    load(
        graph,
        "app",
        {
            "source_id": "3",
            "first_name": "Ann",
            "last_name": "Lee",
            "email": ["al@mailbox.org", "ann@mailbox.org"],
        },
    )
    report = run(graph, config)
    after = identity_of(graph)
    assert set(after.values()) == {big}
    assert report.events.get("merge") == 1
    redirect = graph.read("resolve/current_identity", id=small)
    assert redirect == [{"id": big, "status": "active"}]
    events = cypher(
        graph, "MATCH (e:IdentityEvent {kind: 'merge'}) RETURN e.identity AS id, e.others AS others"
    )
    assert events == [{"id": big, "others": [small]}]


def test_cannot_link_splits_an_identity_and_the_larger_part_keeps_the_id(
    graph: Graph, config: ResolutionConfig
) -> None:
    load(
        graph,
        "crm",
        {"source_id": "1", **ANN, "email": "ann@mailbox.org"},
        {"source_id": "2", **ANN, "email": "ann@mailbox.org"},
    )
    load(graph, "shop", {"source_id": "3", **ANN, "email": "ann@mailbox.org"})
    run(graph, config)
    original = identity_of(graph)["crm:1"]
    assert_different(
        graph, "crm:1", "shop:3", by="analyst", note="different people, checked by phone"
    )
    assert_different(graph, "crm:2", "shop:3", by="analyst")
    report = run(graph, config)
    after = identity_of(graph)
    assert after["crm:1"] == after["crm:2"] == original
    assert after["shop:3"] != original
    assert report.events.get("split") == 1
    run(graph, config, full=True)
    assert identity_of(graph) == after  # honoured by every later run


def test_must_link_joins_records_with_no_evidence_and_survives_full_runs(
    graph: Graph, config: ResolutionConfig
) -> None:
    load(graph, "crm", {"source_id": "1", "first_name": "Ann", "last_name": "Lee"})
    load(graph, "social", {"source_id": "@annie", "full_name": "A. L."})
    run(graph, config)
    assert not same(graph, "crm:1", "social:@annie")
    assert_same(graph, "crm:1", "social:@annie", by="analyst", note="confirmed by the customer")
    run(graph, config)
    assert same(graph, "crm:1", "social:@annie")
    run(graph, config, full=True)
    assert same(graph, "crm:1", "social:@annie")


def test_explain_gives_the_evidence_chain_or_the_reason_they_differ(
    graph: Graph, config: ResolutionConfig
) -> None:
    load(
        graph,
        "crm",
        {"source_id": "1", **ANN, "email": "ann@mailbox.org"},
        {
            "source_id": "2",
            "first_name": "Bob",
            "last_name": "Marsh",
            "date_of_birth": "1970-01-01",
        },
    )
    load(
        graph,
        "shop",
        {
            "source_id": "3",
            "first_name": "Ann",
            "last_name": "Lee",
            "email": "ann@mailbox.org",
            "phone": "+44 7911 900123",
            "date_of_birth": "1980-03-05",
        },
    )
    load(
        graph,
        "app",
        {
            "source_id": "4",
            "first_name": "Ann",
            "last_name": "Lee",
            "phone": "+44 7911 900123",
            "date_of_birth": "1980-03-05",
        },
    )
    run(graph, config)
    chain = explain(graph, config, "crm:1", "app:4")
    assert chain.same
    assert chain.path[0].a == "crm:1" and chain.path[-1].b == "app:4"
    assert all(hop.probability >= config.threshold and hop.levels for hop in chain.path)
    by_email = explain(graph, config, "crm:1", "shop:3")
    assert any("same_email" in hop.rules for hop in by_email.path)
    assert "ann@mailbox.org" in by_email.text()
    apart = explain(graph, config, "crm:1", "crm:2")
    assert not apart.same
    assert apart.reason == "different people: guard dob_conflict_and_name_mismatch vetoes the link"


def test_explain_names_the_identity_level_date_of_birth_guard_that_cut_a_chain(
    graph: Graph, config: ResolutionConfig
) -> None:
    # Father and son share name, landline and home; the till record without a date of birth
    # links to both, and the guard keeps the two dates of birth out of one identity.
    home = {"phone": "+44 20 7946 0001", "address_line1": "12 High Street", "postcode": "SW1A 1AA"}
    john = {"first_name": "John", "last_name": "Smith", **home}
    load(
        graph,
        "crm",
        {"source_id": "father", **john, "date_of_birth": "1961-05-03"},
        {"source_id": "son", **john, "date_of_birth": "1989-11-20"},
    )
    load(graph, "pos", {"source_id": "till", **john})
    run(graph, config)
    assert not same(graph, "crm:father", "crm:son")
    apart = "crm:son" if same(graph, "pos:till", "crm:father") else "crm:father"
    why = explain(graph, config, "pos:till", apart)
    assert not why.same and why.direct is not None
    assert why.direct.probability >= config.threshold
    assert "dob_conflict_in_identity" in why.reason
    assert "1961-05-03" in why.reason and "1989-11-20" in why.reason


def test_explain_names_the_identity_level_name_guard_that_kept_a_household_apart(
    graph: Graph, config: ResolutionConfig
) -> None:
    # A till record known only by the family's surname, phone and home links to wife and
    # husband alike; the guard keeps two first names with nothing to confirm one person apart.
    home = {"phone": "+44 20 7946 0002", "address_line1": "3 Mill Lane", "postcode": "LS1 4AP"}
    load(
        graph,
        "crm",
        {"source_id": "jane", "first_name": "Jane", "last_name": "Whitfield", **home},
        {"source_id": "mark", "first_name": "Mark", "last_name": "Whitfield", **home},
    )
    load(graph, "pos", {"source_id": "till", "last_name": "Whitfield", **home})
    run(graph, config)
    assert not same(graph, "crm:jane", "crm:mark")
    apart = "crm:mark" if same(graph, "pos:till", "crm:jane") else "crm:jane"
    why = explain(graph, config, "pos:till", apart)
    assert not why.same and why.direct is not None
    assert why.direct.probability >= config.threshold
    assert "name_conflict_in_identity" in why.reason
    assert "crm:jane" in why.reason and "crm:mark" in why.reason


def test_golden_record_picks_values_by_survivorship_and_names_their_source(
    graph: Graph, config: ResolutionConfig
) -> None:
    load(
        graph,
        "newsletter",
        {
            "source_id": "n1",
            "first_name": "Annie",
            "email": "ann@mailbox.org",
            "updated_at": "2025-01-01T00:00:00Z",
        },
    )
    load(
        graph,
        "crm",
        {"source_id": "1", **ANN, "email": "ann@mailbox.org", "updated_at": "2024-01-01T00:00:00Z"},
    )
    run(graph, config)
    golden = cypher(graph, "MATCH (i:Identity) RETURN properties(i) AS p")[0]["p"]
    assert golden["first_name"] == "Ann" and golden["first_name_source"] == "crm"
    assert golden["record_count"] == 2
    assert golden["sources"] == ["crm", "newsletter"]


def test_an_identity_a_record_leaves_gets_its_golden_record_rebuilt_though_its_own_are_unchanged(
    graph: Graph, config: ResolutionConfig
) -> None:
    load(graph, "crm", {"source_id": "1", **ANN})
    load(graph, "shop", {"source_id": "9", **ANN})  # joined by fuzzy matching alone
    run(graph, config)
    assert same(graph, "crm:1", "shop:9")
    # shop:9 is corrected to someone else: only it changes.
    zed = {"first_name": "Zed", "last_name": "Quill", "date_of_birth": "1950-12-24"}
    load(graph, "shop", {"source_id": "9", **zed, "postcode": "M1 1AE", "city": "Manchester"})
    run(graph, config)
    assert not same(graph, "crm:1", "shop:9")
    kept = cypher(
        graph,
        "MATCH (:Customer {key: 'crm:1'})-[:RESOLVES_TO]->(i:Identity) RETURN properties(i) AS p",
    )[0]["p"]
    assert kept["record_count"] == 1 and kept["sources"] == ["crm"]


def test_erasing_a_record_removes_it_and_its_private_identifiers_and_rebuilds_the_identity(
    graph: Graph, config: ResolutionConfig, settings: Settings
) -> None:
    load(
        graph,
        "crm",
        {"source_id": "1", **ANN, "email": "ann@mailbox.org", "phone": "+44 7911 900123"},
    )
    load(
        graph,
        "newsletter",
        {
            "source_id": "n1",
            "first_name": "Annabel",
            "last_name": "Lee",
            "email": "ann@mailbox.org",
            "updated_at": "2030-01-01T00:00:00Z",
        },
    )
    load(
        graph,
        "shop",
        {
            "source_id": "9",
            "first_name": "Ann",
            "last_name": "Lee",
            "email": "ann@mailbox.org",
            "phone": "+44 7911 900124",
        },
    )
    ingest_rows(
        graph,
        rows_from_dicts([{"order_id": "o1", "customer_id": "9", "amount": "10", "channel": "web"}]),
        "shop",
        Kind.ORDERS,
    )
    run(graph, config)
    identity = identity_of(graph)["crm:1"]
    report = C360(graph, settings, resolution_config=config).erasure.record("shop:9").report
    keys = identity_of(graph)
    assert "shop:9" not in keys and keys["crm:1"] == identity
    assert (
        cypher(graph, "MATCH (n:Phone {e164: '+447911900124'}) RETURN n") == []
    )  # only shop:9 had it
    assert cypher(graph, "MATCH (n:Email {address: 'ann@mailbox.org'}) RETURN count(n) AS n") == [
        {"n": 1}
    ]
    assert cypher(graph, "MATCH (o:Order) RETURN o") == []
    tombstone = cypher(graph, "MATCH (t:Tombstone) RETURN properties(t) AS p")[0]["p"]
    assert tombstone["id"] == report.tombstone and tombstone["records"] == 1
    assert not any("shop" in str(v) or str(v) == "9" for k, v in tombstone.items() if k != "id")


def test_erasing_an_identity_wipes_its_golden_record_and_old_ids_say_so(
    graph: Graph, config: ResolutionConfig, settings: Settings
) -> None:
    load(graph, "crm", {"source_id": "1", **ANN, "email": "ann@mailbox.org"})
    load(graph, "shop", {"source_id": "9", **ANN, "email": "ann@mailbox.org"})
    load(
        graph,
        "crm",
        {"source_id": "2", "first_name": "Bob", "last_name": "Marsh", "email": "bob@mailbox.org"},
    )
    run(graph, config)
    identity = identity_of(graph)["crm:1"]
    report = C360(graph, settings, resolution_config=config).erasure.identity(identity).report
    assert sorted(report.erased) == ["crm:1", "shop:9"]
    assert list(identity_of(graph)) == ["crm:2"]
    props = cypher(graph, "MATCH (i:Identity {id: $id}) RETURN properties(i) AS p", id=identity)[0][
        "p"
    ]
    assert props["status"] == "erased"
    assert not {"first_name", "last_name", "email", "date_of_birth"} & set(props)
    assert cypher(graph, "MATCH (e:Email {address: 'ann@mailbox.org'}) RETURN e") == []
