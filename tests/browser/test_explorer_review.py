"""The explorer's Review view in headless Chromium, against the real `c360 serve`: the sample
plus two Vietnamese near pairs; an analyst accepts one and rejects the other."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from c360graph.db.graph import Graph
from c360graph.resolve.engine import resolve
from c360graph.resolve.settings import load_resolution_config
from tests.api.conftest import Run
from tests.browser.conftest import Explorer, Tabs, screenshot
from tests.integration.test_resolve import same
from tests.integration.test_review_queue import HONG, HUYEN, near_pairs
from tests.population import store_test_model


@pytest.fixture(scope="module")
def explorer(
    api_data: Graph,
    api_url: str,
    api_keys: tuple[Path, dict[str, str]],
    as_role: Callable[[str], Run],
) -> Explorer:
    """The sample and the two near pairs, resolved with the test population's model (the one
    the integration tests score the pairs with), so both pairs are queued."""
    near_pairs(api_data)
    store_test_model(api_data)
    resolve(api_data, load_resolution_config())
    return Explorer(api_url, api_keys[1], as_role, api_data)


def _show_pair(page: Page, pair: tuple[str, str]) -> None:
    """Page forward until the pair's card shows (the sample may queue pairs of its own)."""
    card = page.locator(f'article.review-pair[data-a="{pair[0]}"][data-b="{pair[1]}"]')
    shown = 1
    expect(page.locator("#review-list")).to_have_attribute("data-page", str(shown))
    while card.count() == 0:
        pager = page.get_by_role("navigation", name="Review queue pages")
        following = pager.get_by_role("button", name="Next ›")
        assert following.is_enabled(), f"{pair} is not in the queue"
        following.click()
        shown += 1
        expect(page.locator("#review-list")).to_have_attribute("data-page", str(shown))


def test_an_analyst_accepts_one_pair_and_rejects_another_and_both_leave_the_queue(
    tabs: Tabs, explorer: Explorer
) -> None:
    page = tabs.open("analyst", "/#/review")
    _show_pair(page, HONG)
    hong = page.locator(f'article.review-pair[data-a="{HONG[0]}"][data-b="{HONG[1]}"]')
    expect(hong.locator(".review-record").first).to_contain_text("Thị Hồng Nguyễn")
    expect(hong.locator(".review-record").last).to_contain_text("Hong Nguyen")
    expect(hong.locator(".review-record").first).to_contain_text("+84912345601")
    expect(hong.locator("h3")).to_contain_text("just under the match threshold")
    expect(hong.locator('table.waterfall tr[data-field="name"]')).to_contain_text("exact")
    expect(hong.locator('table.waterfall tr[data-field="phone"]')).to_contain_text("else")
    hong.scroll_into_view_if_needed()
    screenshot(hong, "review")

    hong.locator("input.review-note").fill("cùng một người, đã gọi điện xác nhận")
    hong.get_by_role("button", name="Accept: same person").click()
    expect(page.locator("#review-done")).to_have_text(
        f"{HONG[0]} and {HONG[1]} accepted as one person."
    )
    expect(hong).to_have_count(0)
    assert same(explorer.graph, *HONG)

    page.reload()
    _show_pair(page, HUYEN)
    huyen = page.locator(f'article.review-pair[data-a="{HUYEN[0]}"][data-b="{HUYEN[1]}"]')
    huyen.get_by_role("button", name="Reject: different people").click()
    expect(page.locator("#review-done")).to_have_text(
        f"{HUYEN[0]} and {HUYEN[1]} rejected as two people."
    )
    expect(huyen).to_have_count(0)
    assert not same(explorer.graph, *HUYEN)

    queue = explorer.as_role("analyst")(
        "{ reviewQueue(first: 100) { edges { node { a { key } } } } }"
    )
    keys = {e["node"]["a"]["key"] for e in queue["reviewQueue"]["edges"]}
    assert HONG[0] not in keys and HUYEN[0] not in keys


def test_a_reader_is_told_the_queue_needs_the_analyst_role(tabs: Tabs, explorer: Explorer) -> None:
    page = tabs.open("reader", "/#/review")
    expect(page.locator(".masked-note")).to_contain_text("does not include reviewing")
    expect(page.locator("#review-list .error-box")).to_have_attribute("data-code", "FORBIDDEN")
