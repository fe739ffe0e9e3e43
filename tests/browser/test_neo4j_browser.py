"""Neo4j Browser as the data scientists use it, on the local Neo4j engine, in headless chromium.

The engine serves Browser itself (`/browser/`, from Maven's `neo4j-browser` jar). The test logs
in with the generated password, loads `docs/c360graph.grass` with `:style`, runs
`cypher/explore/identity_neighbourhood.cypher` with its `:param` lines, and checks the drawing
uses the style. It writes docs/img/neo4j-browser.png. Nothing may leave 127.0.0.1: the test
refuses every other request and checks Browser asked for nothing but what is known (below).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, Route

from c360graph.db.graph import Graph
from tests.api.conftest import api_data, cli_env_session, sample_files  # noqa: F401 (fixtures)
from tests.browser.conftest import LAPTOP, SCREENSHOTS
from tests.helpers import cypher, engine_server

pytestmark = pytest.mark.engine("neo4j")

# Browser 5.24 on Community asks for these whatever the server says: a web font (it falls back
# to a local one), and once connected the Segment and Canny SDKs, which it loads whenever the
# edition is Community (`client.allow_telemetry=false` only stops it sending usage data);
# when one of those refused loads throws, its Sentry client reports the error (seen in one
# run of three). All are refused here.
KNOWN_OUTSIDE = (
    "https://fonts.googleapis.com/",
    "https://cdn.segment.com/",
    "https://canny.io/",
    "https://o110884.ingest.sentry.io/",
)
ROOT = Path(__file__).resolve().parents[2]
GRASS = ROOT / "docs" / "c360graph.grass"
QUERY = ROOT / "cypher" / "explore" / "identity_neighbourhood.cypher"


def _grass_colour(label: str) -> str:
    """The `color` the style file gives a label, as `rgb(r, g, b)` (how the page reports it)."""
    block = re.search(rf"node\.{label} \{{(.*?)\}}", GRASS.read_text(), re.S)
    assert block, f"no rule for {label} in {GRASS.name}"
    found = re.search(r"\bcolor: #([0-9A-Fa-f]{6});", block.group(1))
    assert found
    red, green, blue = (int(found.group(1)[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({red}, {green}, {blue})"


def _run(page: Page, command: str) -> None:
    """Type a command into Browser's editor as if pasted (no auto-closed brackets), run it, and
    wait for its frame (typing on at once would go into the editor before it is cleared)."""
    frames = page.get_by_test_id("frame").count()
    page.get_by_test_id("activeEditor").click()
    page.keyboard.insert_text(command)
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        f"() => document.querySelectorAll('[data-testid=frame]').length > {frames}"
    )


def test_neo4j_browser_logs_in_and_draws_an_explore_query_in_the_project_style(
    api_data: Graph,  # noqa: F811
    server_home: Path,
    browser: Browser,
) -> None:
    info = engine_server(server_home, database="c360test").info()
    assert info is not None
    biggest = cypher(
        api_data,
        "MATCH (i:Identity {status: 'active'})<-[:RESOLVES_TO]-(c:Customer) "
        "WITH i, count(c) AS records ORDER BY records DESC, i.id LIMIT 1 "
        "RETURN i.id AS id, i.full_name AS name",
    )[0]
    outside: list[str] = []

    def local_only(route: Route, request: Request) -> None:
        if request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    context = browser.new_context(viewport=LAPTOP, service_workers="block")
    context.route("**/*", local_only)
    try:
        page = context.new_page()
        page.goto(
            f"http://127.0.0.1:{info.http_port}/browser/"
            f"?dbms=neo4j://neo4j@127.0.0.1:{info.bolt_port}&db={info.database}"
        )
        page.get_by_test_id("password").fill(info.password)
        page.get_by_test_id("connect").click()
        page.get_by_text("You are connected as user neo4j").wait_for(timeout=30_000)

        _run(page, ":style " + " ".join(GRASS.read_text().split()))
        _run(page, f":param identity => '{biggest['id']}'")
        _run(page, ":param activity => false")
        cypher_text = "\n".join(
            line for line in QUERY.read_text().splitlines() if not line.startswith("//")
        )
        _run(page, cypher_text)
        page.locator("g.node").first.wait_for(timeout=30_000)

        chip = page.get_by_text(re.compile(r"^Identity \(1\)$"))
        assert chip.evaluate("e => getComputedStyle(e).backgroundColor") == _grass_colour(
            "Identity"
        )
        drawing = page.locator("svg").filter(has=page.locator("g.node")).first
        assert biggest["name"][:8] in (drawing.text_content() or "")  # caption '{full_name}'
        assert page.locator("g.relationship").count() > 0
        page.screenshot(path=str(SCREENSHOTS / "neo4j-browser.png"))
    finally:
        context.close()
    assert [url for url in outside if not url.startswith(KNOWN_OUTSIDE)] == []
