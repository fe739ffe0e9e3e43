"""No Cypher is built from strings: every statement run comes from a named `cypher/` file.

An AST scan of c360graph/, bench/ and tests/ follows the text of every call that runs Cypher
(`session.run`, `tx.run`, `execute_query`; the work given to `execute_read/_write` must be a
lambda or local function, so its `tx.run` is scanned too) back to `query(name).text` or
`.statements`, and every query name (given to `query()`, `Graph.read`, `write`, `stream`,
`write_all`, `write_returning`, `run_script`, or the API's `read`) back to string literals
naming files that exist. A value passed through a parameter is followed to every caller.
Only tests may run a string literal (through `tests.helpers.cypher`). The `.cypher` files are
scanned for ways to run or shape Cypher from data. tests/unit/test_cypher_files.py checks the
rest: names have files, files are used, headers, Neo4j's grammar.
"""

from __future__ import annotations

import ast

from c360graph.db.cypher import all_queries, cypher_dir
from tests.cypher_scan import (
    CYPHER_CLAUSE,
    EXCEPTIONS,
    Module,
    Scanner,
    escape_hatches,
    repository_modules,
    scan_modules,
    string_building,
)

# -- the repository --------------------------------------------------------------------------


def test_every_cypher_run_comes_from_a_named_file_and_every_name_is_a_literal() -> None:
    """The whole repository: no Cypher text or query name is built from strings or data."""
    scanner = Scanner(repository_modules(), set(all_queries()))
    assert scanner.scan() == []
    stale = sorted(set(EXCEPTIONS) - scanner.excused)
    assert stale == [], "these EXCEPTIONS excuse nothing any more; remove them"


def _cypher_shaped(mod: Module) -> list[str]:
    """Strings `mod` builds from pieces that hold a Cypher clause, wherever they go."""
    lines: set[int] = set()
    for node in ast.walk(mod.tree):
        if string_building(node):
            pieces = " ".join(
                part.value
                for part in ast.walk(node)
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if CYPHER_CLAUSE.search(pieces):
                lines.add(getattr(node, "lineno", 0))
    return [f"{mod.rel}:{line}" for line in sorted(lines)]


def test_no_cypher_shaped_string_is_built_in_the_product_or_benchmarks() -> None:
    """For calls the scan does not recognise: no built string in c360graph/ or bench/ holds
    a Cypher clause."""
    offenders = [
        offender
        for mod in repository_modules()
        if not mod.is_test
        for offender in _cypher_shaped(mod)
    ]
    assert offenders == []


# -- the scan itself: it must catch what it is for ----------------------------------------

_BAD = """
from c360graph.db.cypher import query

def by_label(session, label):
    return session.run(f"MATCH (n:{label}) RETURN n").data()

def by_email(graph, email):
    with graph.driver.session() as session:
        text = "MATCH (c:Customer) WHERE c.email = '" + email + "' RETURN c"
        return session.execute_read(lambda tx: tx.run(text).data())

def by_kind(graph, kind):
    return graph.read("api/" + kind)

def formatted(tx, key):
    return tx.run("MATCH (n {{key: '{}'}}) RETURN n".format(key))

def joined(tx, parts):
    return tx.run(" ".join(["MATCH (n)", *parts]))

def picked(graph, name):
    return graph.write(name)

def caller(graph, request):
    picked(graph, request.query_name)
    picked(graph, "ingest/no_such_query")
"""

_GOOD = """
from c360graph.db.cypher import query

def orders(graph, ids):
    text = query("api/orders_of").text
    with graph.driver.session() as session:
        return session.execute_read(lambda tx: tx.run(text, {"ids": ids}).data())

def counts(graph, write):
    name = "schema/clear_all" if write else "schema/counts"
    return graph.read(name)
"""


def test_the_scan_flags_cypher_built_by_f_string_concatenation_format_and_join() -> None:
    """A module building Cypher five ways and picking names from data is caught each time."""
    problems = "\n".join(scan_modules(Module.parse("c360graph/bad.py", _BAD)))
    assert "c360graph/bad.py:5: runs Cypher built by an f-string" in problems
    assert "c360graph/bad.py:9: runs Cypher built by `+` concatenation" in problems
    assert "c360graph/bad.py:13: picks a query by a name built by `+` concatenation" in problems
    assert "c360graph/bad.py:16: runs Cypher built by `.format`" in problems
    assert "c360graph/bad.py:19: runs Cypher built by `str.join`" in problems
    assert "c360graph/bad.py:25: picks a query by a name it cannot trace" in problems
    assert "c360graph/bad.py:26: names no file: cypher/ingest/no_such_query.cypher" in problems
    shaped = _cypher_shaped(Module.parse("c360graph/bad.py", _BAD))
    assert shaped == [f"c360graph/bad.py:{line}" for line in (5, 9, 16, 19)]


def test_the_scan_passes_named_queries_and_literal_names_and_allows_literals_in_tests() -> None:
    """Text from query(name).text and names from literals pass; tests may pass literal Cypher
    (through a helper too), but not an f-string."""
    assert scan_modules(Module.parse("c360graph/good.py", _GOOD)) == []
    inline = "def f(session):\n    return session.run('MATCH (n) RETURN n')\n"
    assert scan_modules(Module.parse("tests/integration/x.py", inline)) == []
    assert scan_modules(Module.parse("c360graph/x.py", inline)) == [
        "c360graph/x.py:2: runs a string literal as Cypher: 'MATCH (n) RETURN n'"
    ]
    helper = (
        "def cypher(graph, text):\n    with graph.driver.session() as session:\n"
        "        return session.run(text).data()\n\n"
        "def test_x(graph, label):\n    cypher(graph, 'MATCH (n) RETURN n')\n"
        "    cypher(graph, f'MATCH (n:{label}) RETURN n')\n"
    )
    assert scan_modules(Module.parse("tests/helpers.py", helper)) == [
        "tests/helpers.py:7: runs Cypher built by an f-string: f'MATCH (n:{label}) RETURN n'"
    ]


def test_no_cypher_file_runs_strings_or_takes_labels_or_property_names_from_data() -> None:
    """No file uses apoc.cypher/periodic/create/merge, CALL db.*, LOAD CSV or dynamic labels."""
    found = {
        path.relative_to(cypher_dir()).as_posix(): hatches
        for path in sorted(cypher_dir().rglob("*.cypher"))
        if (hatches := escape_hatches(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_cypher_file_scan_flags_each_escape_hatch() -> None:
    """Each escape hatch in a snippet is found; map literals and subqueries are not."""
    flagged = [
        "CALL apoc.cypher.run('MATCH (n) RETURN n', {}) YIELD value RETURN value",
        "CALL apoc.cypher.doIt($statement, {})",
        "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
        "MATCH (n) CALL apoc.create.addLabels(n, [$label]) YIELD node RETURN node",
        "CALL apoc.merge.node([$label], {id: $id}) YIELD node RETURN node",
        "CALL db.createLabel($label)",
        "LOAD CSV FROM $url AS row RETURN row",
        "MATCH (n:$($label)) RETURN n",
        "CREATE (n:$label)",
        "MATCH (n) SET n[$property] = $value",
    ]
    for text in flagged:
        assert escape_hatches(f"// Bad.\n{text}\n"), text
    clean = (
        "// Fine: '$(x)' and apoc.cypher.run in comments and strings do not count.\n"
        "MATCH (c:Customer {key: $key, source: $source})-[:HAS_EMAIL]->(e:Email)\n"
        "CALL (c) { MATCH (c)-[r:PLACED]->(o:Order) RETURN count(o) AS n }\n"
        "SET c += $props, c.note = 'apoc.cypher.run $(label)'\n"
        "RETURN c {.key, n: n, list: [x IN $xs | x]}"
    )
    assert escape_hatches(clean) == []
