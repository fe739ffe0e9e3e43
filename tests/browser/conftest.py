"""The explorer in a real browser: Debian's chromium driven by Playwright (never a downloaded
browser), against the real `c360 serve` of tests/api on the generated sample plus one fraud ring.

Every page opened here fails its test if it asks any origin but the server's, or if the browser
logs an error (a Content-Security-Policy violation, a script error, a failed request).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Route,
    sync_playwright,
)

from c360graph.db.graph import Graph
from tests.api.conftest import (  # noqa: F401 (fixtures: the real server and data of tests/api)
    Run,
    api_data,
    api_keys,
    api_url,
    as_role,
    cli_env_session,
    sample_files,
)
from tests.integration.test_cli import c360

# Flags that keep a root, headless chromium from reaching out to the internet by itself.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"

# A ring of four accounts on one phone and one device, opened within days, each with a large
# basket soon after: `c360 analyze fraud` scores it well above the rest of the sample.
RING_SOURCE = "ringshop"
RING_PHONE = "+447911123456"  # a valid UK mobile (invalid numbers are dropped at ingest)
RING_DEVICE = "RING-DEVICE-7"
RING_NAMES = [
    ("Oskar", "Brandt"),
    ("Mireille", "Fontaine"),
    ("Tobias", "Lindqvist"),
    ("Priya", "Raman"),
]
INGEST = (
    "mutation($kind: RecordKind!, $records: [JSON!]!, $resolve: Boolean!) { ingestRecords("
    f'source: "{RING_SOURCE}", kind: $kind, records: $records, resolve: $resolve) {{ rejected }} }}'
)


def _ring_records() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    customers = [
        {
            "source_id": f"R{n}",
            "first_name": first,
            "last_name": last,
            "email": f"{first}.{last}@example.net".lower(),
            "phone": RING_PHONE,
            "device_id": RING_DEVICE,
            "created_at": f"2026-05-0{n}T09:00:00Z",
        }
        for n, (first, last) in enumerate(RING_NAMES, start=1)
    ]
    orders = [
        {
            "order_id": f"RO{n}",
            "customer_id": f"R{n}",
            "amount": 950.0,
            "currency": "EUR",
            "ordered_at": f"2026-05-1{n}T12:00:00Z",
            "channel": "web",
            "status": "paid",
        }
        for n in range(1, len(RING_NAMES) + 1)
    ]
    return customers, orders


@dataclass(frozen=True)
class Explorer:
    """The server under test: its URL, a key per role, and a GraphQL runner per role."""

    url: str
    keys: dict[str, str]
    as_role: Callable[[str], Run]
    graph: Graph


@pytest.fixture(scope="module")
def explorer(
    api_data: Graph,  # noqa: F811
    api_url: str,  # noqa: F811
    api_keys: tuple[Path, dict[str, str]],  # noqa: F811
    as_role: Callable[[str], Run],  # noqa: F811
    cli_env_session: dict[str, str],  # noqa: F811
) -> Explorer:
    """The sample plus one fraud ring (ingested through the API), resolved and analysed."""
    admin = as_role("admin")
    customers, orders = _ring_records()
    for kind, records, then_resolve in (("CUSTOMERS", customers, False), ("ORDERS", orders, True)):
        result = admin(INGEST, kind=kind, records=records, resolve=then_resolve)
        assert result["ingestRecords"]["rejected"] == 0, result
    analysed = c360(cli_env_session, "analyze", "all")
    assert analysed.returncode == 0, analysed.stderr
    return Explorer(api_url, api_keys[1], as_role, api_data)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium (`make browser` installs it; Playwright cannot download one here)."""
    found = shutil.which("chromium")
    if found is None:
        pytest.fail("chromium is not installed: run `make browser` (apt-get install chromium)")
    return found


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver, for the session."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright, chromium_path: str) -> Iterator[Browser]:
    """Headless chromium, the system one."""
    launched = playwright.chromium.launch(
        executable_path=chromium_path, args=CHROMIUM_FLAGS, headless=True
    )
    yield launched
    launched.close()


@dataclass
class Watch:
    """What a page did that it must not: requests elsewhere, errors in the console."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        """Let requests to the server through; abort (and remember) any other."""
        url = route.request.url
        if url.startswith(("data:", "blob:")) or _origin(url) == self.origin:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def request(self, request: Request) -> None:
        """Remember every request the page made."""
        self.requests.append(request.url)

    def console(self, message: ConsoleMessage) -> None:
        """Remember errors and warnings (CSP violations are errors)."""
        if message.type in ("error", "warning"):
            self.errors.append(f"{message.type}: {message.text}")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Tabs:
    """Browser tabs on the explorer, each holding a role's key and watched (see `open`)."""

    def __init__(self, browser: Browser, explorer: Explorer) -> None:
        self.browser = browser
        self.explorer = explorer
        self.watches: dict[int, Watch] = {}
        self.contexts: list[BrowserContext] = []

    def open(
        self, role: str | None, path: str = "/", viewport: dict[str, int] | None = None
    ) -> Page:
        """A fresh tab with `role`'s key (None: no key) at `path`; laptop-sized by default."""
        context = self.browser.new_context(viewport=viewport or LAPTOP, service_workers="block")
        self.contexts.append(context)
        watch = Watch(_origin(self.explorer.url))
        context.route("**/*", watch.route)
        context.on("request", watch.request)
        if role is not None:
            key = self.explorer.keys[role]
            context.add_init_script(f"sessionStorage.setItem('c360.apiKey', {key!r});")
        page = context.new_page()
        self.watches[id(page)] = watch
        page.on("console", watch.console)
        page.on("pageerror", lambda error: watch.errors.append(f"pageerror: {error}"))
        page.set_default_timeout(20_000)
        page.goto(f"{self.explorer.url}{path}")
        return page

    def watch(self, page: Page) -> Watch:
        """What `page` requested and logged so far."""
        return self.watches[id(page)]

    def close(self) -> list[Watch]:
        """Close every tab; what they did."""
        for context in self.contexts:
            context.close()
        return list(self.watches.values())


@pytest.fixture
def tabs(browser: Browser, explorer: Explorer) -> Iterator[Tabs]:
    """Tabs on the explorer; the test fails if one reached another origin or logged an error."""
    opened = Tabs(browser, explorer)
    yield opened
    for watch in opened.close():
        assert watch.foreign == [], f"the page asked other origins: {watch.foreign}"
        assert watch.errors == [], f"the browser logged: {watch.errors}"


def screenshot(target: Any, name: str) -> None:
    """Save a screenshot of a page or element as docs/img/explorer-NAME.png (overwritten)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=str(SCREENSHOTS / f"explorer-{name}.png"))
