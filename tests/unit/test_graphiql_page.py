"""GraphiQL's page loads only vendored assets (no CDN), and those assets are built and served."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from c360graph.api import graphiql
from c360graph.api.graphiql import VENDOR_DIR, graphiql_page, static_routes, vendor_assets_missing

VENDORED = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "graphiql.min.css",
)
EXTERNAL_URL = re.compile(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)


def _config(page: str) -> dict[str, Any]:
    match = re.search(r"const config = (.*);", page)
    assert match, "the page has no config object"
    loaded = json.loads(match.group(1))
    assert isinstance(loaded, dict)
    return loaded


def test_vendored_assets_are_built_by_make_install() -> None:
    assert vendor_assets_missing() == []
    for name in VENDORED:
        assert (VENDOR_DIR / name).stat().st_size > 1000, name


def test_page_references_no_external_url() -> None:
    page = graphiql_page()
    assert not EXTERNAL_URL.search(page)
    assert "http://" not in page
    assert "https://" not in page


def test_page_references_each_vendored_file_under_static_vendor() -> None:
    page = graphiql_page()
    for name in VENDORED:
        assert f'"/static/vendor/{name}"' in page, name
    assert "<title>c360graph GraphiQL</title>" in page


def test_page_posts_to_the_given_endpoint_with_an_example_query() -> None:
    config = _config(graphiql_page("/api/graphql"))
    assert config["url"] == "/api/graphql"
    assert 'searchIdentities(name: "Smith", first: 3)' in config["defaultQuery"]


def test_page_prefills_the_authorization_header_and_persists_headers() -> None:
    page = graphiql_page()
    headers = json.loads(_config(page)["defaultHeaders"])
    assert headers == {"Authorization": "Bearer <your API key>"}
    assert _config(page)["persistHeaders"] is True
    assert "shouldPersistHeaders: config.persistHeaders" in page
    assert "<your" not in page  # escaped inside the <script> element


def test_in_dev_mode_the_page_prefills_no_authorization_header() -> None:
    config = _config(graphiql_page(dev=True))
    assert json.loads(config["defaultHeaders"]) == {}
    assert config["persistHeaders"] is False  # a key kept from a real server is not sent
    assert "no API key needed" in config["defaultQuery"]
    assert "Authorization" not in json.dumps(config)


def test_without_built_assets_the_page_says_to_run_make_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graphiql, "VENDOR_DIR", tmp_path)
    (tmp_path / "react.production.min.js").write_text("")
    assert vendor_assets_missing() == [name for name in VENDORED if name != VENDORED[0]]
    page = graphiql_page()
    assert "make install" in page
    assert "graphiql.min.js" in page
    assert "<script" not in page
    assert "http://" not in page
    assert "https://" not in page


@pytest.fixture(scope="module")
def vendor_server() -> Iterator[str]:
    """A uvicorn server in a thread, serving static_routes() only; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(Starlette(routes=static_routes()), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            thread.join(0.01)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()
        assert not thread.is_alive()


def test_vendored_script_is_served_as_javascript(vendor_server: str) -> None:
    response = httpx.get(f"{vendor_server}/static/vendor/react.production.min.js", timeout=5)
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert response.content == (VENDOR_DIR / "react.production.min.js").read_bytes()


def test_unknown_vendor_file_is_not_found(vendor_server: str) -> None:
    response = httpx.get(f"{vendor_server}/static/vendor/missing.js", timeout=5)
    assert response.status_code == 404
