"""GraphiQL at /graphql without a CDN: the page, and the vendored React and GraphiQL builds.

`make install` copies the builds from tools/graphiql (npm, pinned by its package-lock.json) into
VENDOR_DIR, which is gitignored but packed into the wheel.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from starlette.requests import HTTPConnection
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

VENDOR_DIR: Path = Path(__file__).resolve().parent / "static" / "vendor"
VENDOR_URL = "/static/vendor"
VENDOR_FILES = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "graphiql.min.css",
)

TITLE = "c360graph GraphiQL"
DEFAULT_QUERY = """\
# Identities named Smith.
# Put your API key in Headers below, then Run.
{
  searchIdentities(name: "Smith", first: 3) {
    edges {
      node {
        id
        profile {
          fullName {
            value
            source
          }
        }
      }
    }
  }
}
"""
DEFAULT_HEADERS = {"Authorization": "Bearer <your API key>"}
# In dev mode a request without a key acts as admin: a placeholder key would only fail (401).
DEV_QUERY = DEFAULT_QUERY.replace(
    "# Put your API key in Headers below, then Run.",
    "# Dev mode: no API key needed. Run.",
)


def vendor_assets_missing() -> list[str]:
    """The names of the vendored GraphiQL files that are not in VENDOR_DIR."""
    return [name for name in VENDOR_FILES if not (VENDOR_DIR / name).is_file()]


def wants_graphiql_page(conn: HTTPConnection) -> bool:
    """True for a browser opening /graphql (a GET accepting HTML): the page needs no API key."""
    # .get: a WebSocket handshake's scope has no method.
    return conn.scope.get("method") == "GET" and "text/html" in conn.headers.get("accept", "")


def static_routes() -> list[BaseRoute]:
    """The route that serves VENDOR_DIR under /static/vendor."""
    files = StaticFiles(directory=VENDOR_DIR, check_dir=False)
    return [Mount(VENDOR_URL, files, name="vendor")]


def graphiql_page(endpoint: str = "/graphql", dev: bool = False) -> str:
    """GraphiQL's HTML page for `endpoint`, or a page saying how to build its missing assets.

    In dev mode no Authorization header is prefilled or kept between visits.
    """
    missing = vendor_assets_missing()
    if missing:
        return _missing_assets_page(missing)
    config = {
        "url": endpoint,
        "defaultQuery": DEV_QUERY if dev else DEFAULT_QUERY,
        "defaultHeaders": "{}" if dev else json.dumps(DEFAULT_HEADERS, indent=2),
        "persistHeaders": not dev,
    }
    return _PAGE.format(
        title=html.escape(TITLE),
        vendor=VENDOR_URL,
        # "<" escaped so that no value can close the <script> element
        config=json.dumps(config).replace("<", "\\u003c"),
    )


def _missing_assets_page(missing: list[str]) -> str:
    items = "".join(f"<li><code>{html.escape(name)}</code></li>" for name in missing)
    return _MISSING.format(
        title=html.escape(TITLE),
        vendor=html.escape(str(VENDOR_DIR)),
        items=items,
    )


_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="stylesheet" href="{vendor}/graphiql.min.css">
  <style>
    html, body, #graphiql {{ height: 100%; margin: 0; }}
  </style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL...</div>
  <script src="{vendor}/react.production.min.js"></script>
  <script src="{vendor}/react-dom.production.min.js"></script>
  <script src="{vendor}/graphiql.min.js"></script>
  <script>
    const config = {config};
    const fetcher = GraphiQL.createFetcher({{ url: config.url }});
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {{
        fetcher: fetcher,
        defaultQuery: config.defaultQuery,
        defaultHeaders: config.defaultHeaders,
        shouldPersistHeaders: config.persistHeaders,
        defaultEditorToolsVisibility: "headers",
      }}),
    );
  </script>
</body>
</html>
"""

_MISSING = """\
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
</head>
<body>
  <h1>GraphiQL's assets are not built</h1>
  <p>Run <code>make install</code> to build them into <code>{vendor}</code>. Missing:</p>
  <ul>{items}</ul>
  <p>The GraphQL endpoint itself works without them.</p>
</body>
</html>
"""
