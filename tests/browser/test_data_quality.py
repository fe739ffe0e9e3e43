"""The explorer's Data quality view in headless Chromium, against the real `c360 serve`: the
generated sample plus a Vietnamese retailer's exports through the real `c360 ingest` (a CRM
row rejected, one kept with a bad phone, dong amounts, nested NDJSON).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from c360graph.db.graph import Graph
from tests.api.conftest import Run
from tests.browser.conftest import TABLET, Explorer, Tabs, screenshot
from tests.integration.test_ingest_history import BAD_PHONE, ingest_vietnamese

SOURCES = "{ ingestSources { name runs lastRun { id read landed rejected withIssues } } }"


@pytest.fixture(scope="module")
def explorer(
    api_data: Graph,
    api_url: str,
    api_keys: tuple[Path, dict[str, str]],
    as_role: Callable[[str], Run],
    cli_env_session: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Explorer:
    """The sample (ingested from its manifest), then the Vietnamese exports as vn_crm, vn_pos
    and vn_web (the sample has a crm and a pos of its own)."""
    ingest_vietnamese(cli_env_session, tmp_path_factory.mktemp("vn-quality"), prefix="vn_")
    return Explorer(api_url, api_keys[1], as_role, api_data)


def _figures(row: Any) -> list[int]:
    return [int(n) for n in row.locator(".num").all_inner_texts()]


def test_the_view_lists_each_sources_runs_with_counts_and_a_runs_problems(
    tabs: Tabs, explorer: Explorer
) -> None:
    sources = explorer.as_role("analyst")(SOURCES)["ingestSources"]
    assert {"vn_crm", "vn_pos", "vn_web"} <= {s["name"] for s in sources}
    page = tabs.open("analyst", "/#/quality")
    rows = page.locator("table.sources-table tbody tr")
    expect(rows).to_have_count(len(sources))
    for source in sources:
        row = rows.filter(has=page.locator(f'a.source-link[data-source="{source["name"]}"]'))
        read, landed, rejected, kept = _figures(row)
        last = source["lastRun"]
        assert (read, landed, rejected, kept) == (
            last["read"], last["landed"], last["rejected"], last["withIssues"]
        )  # fmt: skip
        assert read == landed + rejected

    page.locator('a.source-link[data-source="vn_crm"]').click()
    runs = page.locator("table.runs-table tbody tr")
    expect(runs).to_have_count(1)
    assert _figures(runs.first) == [5, 3, 2, 1]
    runs.first.locator("a.run-link").click()
    expect(page.locator("#run-sum")).to_have_text(
        "read 5 = landed 3 (created 3, updated 0, unchanged 0) + rejected 2"
    )
    reasons = page.locator("table.reasons-table tbody tr")
    expect(reasons).to_have_count(2)
    expect(reasons.filter(has_text="source_id … stands for a missing id")).to_have_count(1)
    expect(page.locator("table.problems-table tbody tr")).to_have_text(
        ["phone" + "contains letters" + "1"]
    )
    [record] = page.locator("table.problem-records tbody tr").all()
    cells = record.locator("td").all_inner_texts()
    assert cells == ["3", "vn_crm:KH002", "phone", "contains letters", BAD_PHONE]
    page.locator("#quality-run").scroll_into_view_if_needed()
    screenshot(page.locator("#quality-run"), "data-quality")

    page.goto(f"{explorer.url}/#/quality/vn_pos")
    page.locator("table.runs-table a.run-link").first.click()
    expect(page.locator("table.problems-table tbody tr")).to_have_count(2)
    values = page.locator("table.problem-records tbody tr td:nth-child(5)").all_inner_texts()
    assert sorted(values) == ["12,5", "ba trăm"]


def test_a_reader_is_told_the_history_needs_the_analyst_role(
    tabs: Tabs, explorer: Explorer
) -> None:
    page = tabs.open("reader", "/#/quality")
    expect(page.locator(".quality .masked-note")).to_be_visible()
    expect(page.locator("#quality-sources .error-box")).to_contain_text("Not allowed for your role")
    expect(page.locator("#quality-sources .error-box")).to_contain_text("analyst")
    assert BAD_PHONE not in page.locator("main").inner_text()


def test_a_run_reads_on_a_tablet_without_sideways_scrolling(tabs: Tabs, explorer: Explorer) -> None:
    crm = explorer.as_role("analyst")('{ ingestRuns(source: "vn_crm") { edges { node { id } } } }')
    run_id = crm["ingestRuns"]["edges"][0]["node"]["id"]
    page = tabs.open("analyst", f"/#/quality/vn_crm/{run_id}", viewport=TABLET)
    expect(page.locator("table.problem-records tbody tr")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
