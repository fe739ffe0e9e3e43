"""The explorer's files, read without a browser: data never becomes markup, nothing names another
origin, every module it imports exists, and Cytoscape.js is pinned and built; the policy that
serves them forbids inline code and other origins."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from c360graph.api.explorer import (
    CONTENT_SECURITY_POLICY,
    CYTOSCAPE_FILE,
    EXPLORER_DIR,
    cytoscape_missing,
)
from c360graph.api.graphiql import VENDOR_DIR

ROOT = Path(__file__).resolve().parents[2]
NPM = ROOT / "tools" / "explorer"
MODULES = sorted((EXPLORER_DIR / "js").glob("*.js"))
ASSETS = [EXPLORER_DIR / "index.html", EXPLORER_DIR / "explorer.css", *MODULES]


def test_no_module_turns_text_into_markup() -> None:
    assert len(MODULES) >= 10
    sinks = re.compile(
        r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function"
    )
    for module in MODULES:
        assert not sinks.findall(module.read_text(encoding="utf-8")), module.name


def test_the_page_has_no_inline_script_style_or_event_handler() -> None:
    page = (EXPLORER_DIR / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all(
        'src="/static/explorer/' in attrs and not body.strip() for attrs, body in scripts
    )
    assert not re.search(r"\son[a-z]+\s*=", page, re.I)
    assert not re.search(r"\sstyle\s*=|<style", page, re.I)


def test_nothing_names_another_origin() -> None:
    for asset in ASSETS:
        text = asset.read_text(encoding="utf-8")
        assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), asset.name


def test_every_module_imported_exists() -> None:
    for module in MODULES:
        for name in re.findall(r'from "\./([a-z]+\.js)"', module.read_text(encoding="utf-8")):
            assert (EXPLORER_DIR / "js" / name).is_file(), f"{module.name} imports {name}"
    page = (EXPLORER_DIR / "index.html").read_text(encoding="utf-8")
    for path in re.findall(r'(?:src|href)="/static/explorer/([^"]+)"', page):
        assert (EXPLORER_DIR / path).is_file(), path


def test_cytoscape_is_pinned_and_built_by_make_install() -> None:
    wanted = json.loads((NPM / "package.json").read_text())["dependencies"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted["cytoscape"]), "pin an exact version"
    locked = json.loads((NPM / "package-lock.json").read_text())["packages"]
    assert locked["node_modules/cytoscape"]["version"] == wanted["cytoscape"]
    assert not cytoscape_missing(), "run `make install`"
    built = (VENDOR_DIR / CYTOSCAPE_FILE).read_text(encoding="utf-8")
    assert f'version="{wanted["cytoscape"]}"' in built


def test_the_policy_allows_this_origin_only_and_no_inline_code() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'none'"
    for name in ("script-src", "style-src", "connect-src", "font-src"):
        assert directives[name] == "'self'", name
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'none'"


def test_every_document_the_page_sends_is_valid_against_schema_graphql() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed (Node 20+, as for `make lint`)")
    source = (EXPLORER_DIR / "js" / "queries.js").as_uri()
    script = f"import * as q from {json.dumps(source)}; console.log(JSON.stringify(q));"
    out = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    documents = json.loads(out.stdout)
    assert len(documents) >= 12
    schema = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
    for name, text in documents.items():
        assert validate(schema, parse(text)) == [], name
