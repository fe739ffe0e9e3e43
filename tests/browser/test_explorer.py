"""The customer 360 explorer at `/`, used as people use it: in headless Chromium, against a real
`c360 serve` on the generated sample. Each test also fails if its tab asked any other origin or
logged an error (see conftest). Screenshots land in docs/img/ for the README and docs.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from c360graph.api.explorer import CONTENT_SECURITY_POLICY
from tests.browser.conftest import TABLET, Explorer, Tabs, screenshot
from tests.helpers import cypher

SUBJECT = """
query($id: ID!) {
  identity(id: $id) {
    id
    profile { fullName { value source record } email { value source record } }
    identifiers { kind value records shared }
    channels { channel orders interactions }
    metrics { orderCount excludedOrderCount }
    consents { channel status }
    segment { name }
    household { id memberships { identityId } }
    records { edges { node { key } } }
    links { a b probability evidence }
    related { edges { node { identityId } } }
  }
}
"""


@pytest.fixture(scope="module")
def subject(explorer: Explorer) -> dict[str, Any]:
    """A customer with much to show: several records and links, orders and interactions on
    more than one channel, and a household."""
    candidates = cypher(
        explorer.graph,
        "MATCH (i:Identity)-[:IN_HOUSEHOLD]->(:Household) WHERE i.status = 'active' "
        "MATCH (i)<-[:RESOLVES_TO]-(c:Customer) "
        "WITH i, count(c) AS records ORDER BY records DESC, i.id LIMIT 40 RETURN i.id AS id",
    )
    analyst = explorer.as_role("analyst")
    for row in candidates:
        identity = analyst(SUBJECT, id=row["id"])["identity"]
        used = [c for c in identity["channels"] if c["orders"] + c["interactions"]]
        kinds = {k for c in used for k in ("orders", "interactions") if c[k]}
        if len(identity["links"]) >= 2 and len(used) >= 2 and kinds == {"orders", "interactions"}:
            return dict(identity)
    pytest.fail("the sample has no customer with links, a household and a varied journey")


def _name(identity: dict[str, Any]) -> str:
    return str(identity["profile"]["fullName"]["value"])


def _open(tabs: Tabs, role: str | None, identity_id: str, tab: str, **kwargs: Any) -> Page:
    page = tabs.open(role, f"/#/identity/{identity_id}/{tab}", **kwargs)
    expect(page.locator(f'#tab-{tab}[aria-selected="true"]')).to_be_visible()
    return page


def test_search_finds_customers_as_you_type_and_pages_through_them(
    tabs: Tabs, explorer: Explorer
) -> None:
    analyst = explorer.as_role("analyst")
    query = "{ searchIdentities(name: $name, first: 50) { edges { node { identity { id } } } } }"
    query = "query($name: String) " + query
    counts = {
        name: len(analyst(query, name=name)["searchIdentities"]["edges"])
        for name in ("hoang", "williams", "delmas", "jones", "smith")
    }
    name = max(counts, key=lambda n: (counts[n], n))
    assert counts[name] > 5, counts
    page = tabs.open("analyst")
    page.select_option("#search-size", "5")
    page.locator("#search-input").press_sequentially(name, delay=40)  # no Enter: as you type
    hits = page.locator("#search-results a.hit")
    expect(hits).to_have_count(5)
    expect(page.locator("#search-hint")).to_contain_text("name")
    first_page = hits.evaluate_all("links => links.map(a => a.dataset.id)")
    screenshot(page, "search")

    expect(page.locator("#search-next")).to_be_enabled()
    page.click("#search-next")
    expect(page.locator("#search-page")).to_have_text("Page 2")
    expect(hits).to_have_count(min(5, counts[name] - 5))
    second_page = hits.evaluate_all("links => links.map(a => a.dataset.id)")
    assert not set(first_page) & set(second_page)
    page.click("#search-prev")
    expect(page.locator("#search-page")).to_have_text("Page 1")
    expect(hits.first).to_have_attribute("data-id", first_page[0])

    page.fill("#search-input", "no-such-person@example.org")
    expect(page.locator("#search-results")).to_contain_text("No customer matches")
    page.fill("#search-input", "x")
    expect(page.locator("#search-hint")).to_contain_text("two letters")
    expect(hits).to_have_count(0)


def test_a_profile_shows_golden_values_with_sources_identifiers_channels_value_consent_household_notes(
    tabs: Tabs, explorer: Explorer, subject: dict[str, Any]
) -> None:
    page = tabs.open("analyst")
    page.locator("#search-input").press_sequentially(subject["profile"]["email"]["value"])
    page.locator(f'#search-results a.hit[data-id="{subject["id"]}"]').click()
    expect(page.locator("#identity-name")).to_have_text(_name(subject))
    golden = page.locator("table.golden tbody tr").filter(has_text="Full name")
    expect(golden).to_contain_text(_name(subject))
    expect(golden).to_contain_text(subject["profile"]["fullName"]["source"])
    expect(golden).to_contain_text(subject["profile"]["fullName"]["record"])
    email = page.locator('[data-field="email"]')
    expect(email).to_have_text(subject["profile"]["email"]["value"])
    expect(page.locator("table.identifiers tbody tr")).to_have_count(len(subject["identifiers"]))
    expect(page.locator("table.channels tbody tr")).to_have_count(len(subject["channels"]))
    value = page.locator('section[aria-label="Value and segment"]')
    expect(value).to_contain_text(f"Purchases{subject['metrics']['orderCount']}")
    expect(page.locator("#segment-name")).to_contain_text(subject["segment"]["name"])
    consent = page.locator('section[aria-label="Marketing consent"]')
    if subject["consents"]:
        rows = consent.locator("table.consents tbody tr")
        expect(rows).to_have_count(len(subject["consents"]))
        expect(rows.first).to_contain_text(subject["consents"][0]["channel"])
    else:
        expect(consent).to_contain_text("No consent recorded: contact on no channel.")
    household = page.locator('section[aria-label="Household"] ul.members li')
    expect(household).to_have_count(len(subject["household"]["memberships"]))
    expect(page.locator("table.records tbody tr")).to_have_count(len(subject["records"]["edges"]))
    expect(page.locator("#notes")).to_be_visible()
    # An analyst may read notes but not add them, and is told why.
    expect(page.locator("#note-text")).to_be_disabled()
    expect(page.locator("#note-help")).to_contain_text("needs the admin role")
    expect(page.locator("#note-help")).to_contain_text("test-analyst")
    page.set_viewport_size({"width": 1366, "height": 1400})
    screenshot(page, "profile")


def test_an_admin_adds_a_note_and_it_appears_with_the_author(
    tabs: Tabs, explorer: Explorer, subject: dict[str, Any]
) -> None:
    page = _open(tabs, "admin", subject["id"], "profile")
    text = "Called about a late delivery; offered a voucher. <b>not markup</b>"
    page.fill("#note-text", text)
    page.click("#note-form button[type=submit]")
    expect(page.locator("#note-status")).to_have_text("Note added.")
    note = page.locator("#note-list li").first
    expect(note.locator(".note-text")).to_have_text(text)  # shown as text, never as markup
    expect(note.locator(".note-meta")).to_contain_text("test-admin")
    notes = explorer.as_role("reader")(
        "query($id: ID!) { identity(id: $id) { notes { edges { node { text author } } } } }",
        id=subject["id"],
    )["identity"]["notes"]["edges"]
    assert notes[0]["node"] == {"text": text, "author": "test-admin"}


def test_the_timeline_shows_the_journey_newest_first_and_filters_by_channel_and_type(
    tabs: Tabs, explorer: Explorer, subject: dict[str, Any]
) -> None:
    page = _open(tabs, "analyst", subject["id"], "timeline")
    entries = page.locator("#timeline-list li.entry")
    expect(entries.first).to_be_visible()
    times = entries.evaluate_all("items => items.map(li => li.querySelector('time').dateTime)")
    assert times == sorted(times, reverse=True)
    screenshot(page, "timeline")

    channel = max(
        subject["channels"], key=lambda c: (c["orders"] + c["interactions"], c["channel"])
    )
    page.select_option("#timeline-channel", channel["channel"])
    expected = channel["orders"] + channel["interactions"]
    expect(page.locator("#timeline-summary")).to_have_text(_events(expected))
    assert set(entries.evaluate_all("items => items.map(li => li.dataset.channel)")) == {
        channel["channel"]
    }

    page.select_option("#timeline-channel", "")
    page.select_option("#timeline-kind", "ORDER")
    # Every order, purchases or not (cancelled and returned ones too).
    metrics = subject["metrics"]
    expect(page.locator("#timeline-summary")).to_have_text(
        _events(metrics["orderCount"] + metrics["excludedOrderCount"])
    )
    assert set(entries.evaluate_all("items => items.map(li => li.dataset.kind)")) == {"ORDER"}
    page.select_option("#timeline-kind", "INTERACTION")
    expect(entries.first).to_have_attribute("data-kind", "INTERACTION")
    assert set(entries.evaluate_all("items => items.map(li => li.dataset.kind)")) == {"INTERACTION"}


def _events(count: int) -> re.Pattern[str]:
    """The timeline's summary for `count` events (it shows 25 at a time)."""
    return re.compile(rf"^{min(count, 25)} events? shown")


def _click_edge(page: Page, selector: str) -> dict[str, Any]:
    """Click the middle of an edge matching `selector` that no node or label covers there."""
    # Two frames: Cytoscape.js re-reads where its canvas is on the page after a scroll event.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    point: dict[str, Any] | None = page.evaluate(
        """selector => {
            const cy = window.c360explorer.cy;
            const box = cy.container().getBoundingClientRect();
            const covered = (p) => cy.nodes().some((node) => {
                const b = node.renderedBoundingBox({includeLabels: true});
                return p.x >= b.x1 - 4 && p.x <= b.x2 + 4 && p.y >= b.y1 - 4 && p.y <= b.y2 + 4;
            });
            const edge = cy.edges(selector).filter((e) => !covered(e.renderedMidpoint()))[0];
            if (!edge) return null;
            const middle = edge.renderedMidpoint();
            return {x: box.left + middle.x, y: box.top + middle.y, id: edge.id()};
        }""",
        selector,
    )
    assert point is not None, (
        f"every {selector} edge is covered by a node where it could be clicked"
    )
    page.mouse.click(point["x"], point["y"])
    return point


def test_the_identity_graph_draws_records_identifiers_and_links_and_shows_a_links_evidence(
    tabs: Tabs, explorer: Explorer, subject: dict[str, Any]
) -> None:
    page = _open(tabs, "analyst", subject["id"], "graph")
    graph = page.locator("#identity-graph[data-nodes]")
    expect(graph).to_be_visible()
    nodes = len(subject["records"]["edges"]) + len(subject["identifiers"])
    nodes += len(subject["related"]["edges"])
    expect(graph).to_have_attribute("data-nodes", str(nodes))
    links = page.evaluate("() => window.c360explorer.cy.edges('.link').length")
    assert links == len(subject["links"]) >= 2
    uses = page.evaluate("() => window.c360explorer.cy.edges('.uses').length")
    assert uses == sum(len(i["records"]) for i in subject["identifiers"])

    page.locator("#identity-graph").scroll_into_view_if_needed()
    clicked = _click_edge(page, ".link")
    selected = page.evaluate(
        "() => window.c360explorer.cy.$(':selected').map(e => [e.id(), e.data('link')])"
    )
    assert [id_ for id_, _ in selected] == [clicked["id"]], selected
    link = selected[0][1]
    details = page.locator("#graph-details")
    expect(details).to_contain_text("Link between two records")
    expect(details).to_contain_text(link["a"])
    expect(details).to_contain_text(link["b"])
    expect(page.locator("#link-probability")).to_contain_text("%")
    for evidence in link["evidence"]:
        expect(details).to_contain_text(evidence)
    same = [api for api in subject["links"] if (api["a"], api["b"]) == (link["a"], link["b"])]
    assert [(api["probability"], api["evidence"]) for api in same] == [
        (link["probability"], link["evidence"])
    ]
    screenshot(page.locator("section.panel .card"), "graph")


def test_shared_identifiers_are_marked_as_hubs_in_the_identity_graph(
    tabs: Tabs, explorer: Explorer
) -> None:
    member = cypher(
        explorer.graph,
        "MATCH (:Device {device_id: 'RING-DEVICE-7'})<-[:USES]-(:Customer)-[:RESOLVES_TO]->(i:Identity) "
        "RETURN i.id AS id ORDER BY id LIMIT 1",
    )[0]["id"]
    page = _open(tabs, "analyst", member, "graph")
    expect(page.locator("#identity-graph[data-nodes]")).to_be_visible()
    hubs = page.evaluate("() => window.c360explorer.cy.nodes('.hub').map(n => n.data('label'))")
    assert any("RING-DEVICE-7" in label and "shared hub" in label for label in hubs), hubs


def test_a_fraud_ring_is_drawn_with_its_members_and_the_identifiers_they_share(
    tabs: Tabs, explorer: Explorer
) -> None:
    rings = explorer.as_role("analyst")(
        "{ fraudRings(minScore: 0) { edges { node { id size evidence { kind value identities } "
        "members { edges { node { id } } } } } } }"
    )["fraudRings"]["edges"]
    ring = next(
        r["node"]
        for r in rings
        if any(e["value"] == "RING-DEVICE-7" for e in r["node"]["evidence"])
    )
    page = tabs.open("analyst", "/#/rings")
    page.locator(f'a.ring-link[href="#/rings/{ring["id"]}"]').click()
    graph = page.locator("#ring-graph[data-nodes]")
    expect(graph).to_have_attribute("data-nodes", str(ring["size"] + len(ring["evidence"])))
    hubs = page.evaluate("() => window.c360explorer.cy.nodes('.hub').length")
    assert hubs == len(ring["evidence"])
    members = page.evaluate("() => window.c360explorer.cy.nodes('.member').map(n => n.id())")
    assert sorted(members) == sorted(f"m:{m['node']['id']}" for m in ring["members"]["edges"])
    # a line from each member to each shared identifier it uses (loyalty and national ids
    # are not among a member's listed identifiers, so they stand alone)
    listed = [e for e in ring["evidence"] if e["kind"] in ("email", "phone", "device", "address")]
    uses = page.evaluate("() => window.c360explorer.cy.edges('.uses').length")
    assert uses == sum(e["identities"] for e in listed) > 0
    page.evaluate("() => { window.c360explorer.cy.nodes('.hub')[0].select(); }")
    expect(page.locator("#ring-details")).to_contain_text("Members using it")
    page.locator("#ring-detail").scroll_into_view_if_needed()
    screenshot(page.locator("#ring-detail .card"), "fraud-ring")


def test_explain_says_why_two_records_are_one_person_or_not(
    tabs: Tabs, explorer: Explorer, subject: dict[str, Any]
) -> None:
    page = _open(tabs, "analyst", subject["id"], "explain")
    keys = [edge["node"]["key"] for edge in subject["records"]["edges"]]
    page.select_option("#explain-a", keys[0])
    page.select_option("#explain-b", keys[1])
    page.click("#explain-form button[type=submit]")
    result = page.locator("#explain-result")
    expect(result).to_have_attribute("data-same", "true", timeout=60_000)
    expect(result.locator("h3")).to_have_text("The same person")
    expect(page.locator("#explain-reason")).to_contain_text("linked through")
    expect(result.locator("table.path tbody tr").first).to_be_visible()
    page.set_viewport_size({"width": 1366, "height": 1000})
    screenshot(page, "explain")

    other = cypher(
        explorer.graph,
        "MATCH (c:Customer)-[:RESOLVES_TO]->(j:Identity) WHERE j.id <> $id "
        "RETURN c.key AS key ORDER BY key LIMIT 1",
        id=subject["id"],
    )[0]["key"]
    source, source_id = other.split(":", 1)
    expected = explorer.as_role("analyst")(
        "query($a: RecordRef!, $b: RecordRef!) { explain(a: $a, b: $b) { same reason } }",
        a={"source": keys[0].split(":", 1)[0], "sourceId": keys[0].split(":", 1)[1]},
        b={"source": source, "sourceId": source_id},
    )["explain"]
    page.fill("#explain-other", other)
    page.click("#explain-form button[type=submit]")
    expect(result).to_have_attribute("data-same", "false", timeout=60_000)
    expect(result.locator("h3")).to_have_text("Not the same person")
    expect(page.locator("#explain-reason")).to_have_text(expected["reason"])
    assert expected["same"] is False


def test_a_reader_sees_personal_data_masked_and_no_fraud_review(
    tabs: Tabs, explorer: Explorer, subject: dict[str, Any]
) -> None:
    masked = explorer.as_role("reader")(SUBJECT, id=subject["id"])["identity"]
    assert masked["profile"]["email"]["value"] != subject["profile"]["email"]["value"]
    page = _open(tabs, "reader", subject["id"], "profile")
    expect(page.locator("#role-badge")).to_have_text("test-reader · reader · PII masked")
    expect(page.locator(".masked-note")).to_be_visible()
    expect(page.locator('[data-field="email"]')).to_have_text(masked["profile"]["email"]["value"])
    assert "***@" in masked["profile"]["email"]["value"]
    body = page.locator("main").inner_text()
    for identifier in subject["identifiers"]:
        if identifier["kind"] in ("email", "phone"):
            assert identifier["value"] not in body
    expect(page.locator("#note-text")).to_be_disabled()

    page.goto(f"{explorer.url}/#/rings")
    expect(page.locator("#ring-list .error-box")).to_contain_text("Not allowed for your role")
    expect(page.locator("#ring-list .error-box")).to_contain_text("analyst")


def test_an_agent_finds_a_caller_by_phone_and_sees_their_email_and_phone_and_nothing_in_bulk(
    tabs: Tabs, explorer: Explorer, subject: dict[str, Any]
) -> None:
    whole = explorer.as_role("analyst")(
        "query($id: ID!) { identity(id: $id) { profile { email { value } phone { value } "
        "address { line1 } } } }",
        id=subject["id"],
    )["identity"]["profile"]
    page = tabs.open("agent")
    expect(page.locator("#role-badge")).to_have_text(
        "test-agent · agent · caller's email and phone"
    )
    page.locator("#search-input").press_sequentially("Smith", delay=20)
    expect(page.locator("#search-hint")).to_contain_text("phone number or email")
    page.locator("#search-input").fill("")
    page.locator("#search-input").press_sequentially(whole["phone"]["value"], delay=20)
    hit = page.locator(f'#search-results a.hit[data-id="{subject["id"]}"]')
    expect(hit).to_be_visible()
    hit.click()
    expect(page.locator('#tab-profile[aria-selected="true"]')).to_be_visible()
    expect(page.locator('[data-field="email"]')).to_have_text(whole["email"]["value"])
    expect(page.locator('[data-field="phone"]')).to_have_text(whole["phone"]["value"])
    expect(page.locator(".masked-note")).to_contain_text("each view is recorded")
    if whole["address"] and whole["address"]["line1"]:
        assert whole["address"]["line1"] not in page.locator("main").inner_text()
    for tab in ("graph", "explain", "ring"):
        expect(page.locator(f"#tab-{tab}")).to_have_count(0)
    expect(page.locator("#tab-timeline")).to_be_visible()


def test_without_a_key_the_page_asks_for_one_and_works_once_given(
    tabs: Tabs, explorer: Explorer
) -> None:
    page = tabs.open(None)
    expect(page.locator("#notice")).to_be_visible()
    expect(page.locator("#notice")).to_contain_text("Not signed in (HTTP 401)")
    expect(page.locator("#notice")).to_have_attribute("data-code", "UNAUTHENTICATED")
    expect(page.locator("#key-form")).to_be_visible()
    expect(page.locator("#role-badge")).to_have_text("no API key")

    page.fill("#key-input", "c360_not-a-real-key")
    page.click("#key-form button[type=submit]")
    expect(page.locator("#role-badge")).to_have_text("key not accepted")
    expect(page.locator("#notice")).to_contain_text("not known")

    expect(page.locator("#key-form")).to_be_visible()  # opened again by the refusal
    page.fill("#key-input", explorer.keys["reader"])
    page.click("#key-form button[type=submit]")
    expect(page.locator("#role-badge")).to_have_text("test-reader · reader · PII masked")
    expect(page.locator("#notice")).to_be_hidden()
    assert page.evaluate("() => sessionStorage.getItem('c360.apiKey')") == explorer.keys["reader"]
    # the browser logs each refused request (401) itself: expected here, and only those
    errors = tabs.watch(page).errors
    assert errors and all("401" in error for error in errors), errors
    errors.clear()


def test_every_request_stays_on_the_server_under_a_strict_content_security_policy(
    tabs: Tabs, explorer: Explorer, subject: dict[str, Any]
) -> None:
    page = _open(tabs, "admin", subject["id"], "graph")
    expect(page.locator("#identity-graph[data-nodes]")).to_be_visible()
    page.goto(f"{explorer.url}/#/rings")
    expect(page.locator("a.ring-link").first).to_be_visible()
    watch = tabs.watch(page)
    assert watch.foreign == []
    assert all(url.startswith(explorer.url) for url in watch.requests), watch.requests
    assert f"{explorer.url}/static/vendor/cytoscape.esm.min.mjs" in watch.requests
    for path in ("/", "/static/explorer/js/main.js", "/static/explorer/explorer.css"):
        served = httpx.get(f"{explorer.url}{path}")
        assert served.status_code == 200, path
        assert served.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert served.headers["x-content-type-options"] == "nosniff", path
    assert httpx.get(f"{explorer.url}/static/explorer/js/missing.js").status_code == 404
    # a script from elsewhere would be refused by the policy, not only by this test's guard
    refused = page.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener('securitypolicyviolation', e => resolve(e.violatedDirective));
            const s = document.createElement('script');
            s.src = 'https://cdn.example.com/x.js';
            document.head.append(s);
        })"""
    )
    assert refused.startswith("script-src")
    errors = watch.errors  # the refusal is logged, as it should be, and nothing else
    assert errors and all("cdn.example.com" in error for error in errors), errors
    errors.clear()


@pytest.mark.parametrize("tab", ["profile", "timeline", "graph", "explain"])
def test_a_tablet_width_needs_no_sideways_scrolling(
    tabs: Tabs, explorer: Explorer, subject: dict[str, Any], tab: str
) -> None:
    page = _open(tabs, "reader", subject["id"], tab, viewport=TABLET)
    expect(page.locator("#panel .card").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    if tab == "profile":
        screenshot(page, "tablet-profile")
