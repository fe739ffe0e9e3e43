"""The cypher/ folder: every statement named, documented, used, lint-clean; none inlined."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from c360graph.db.cypher import UnknownQuery, all_queries, query
from c360graph.graph.plans import PLANS
from c360graph.graph.schema import EVIDENCE, IDENTIFIERS, MIGRATIONS
from c360graph.resolve.settings import load_resolution_config

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / "tools" / "cypher-lint" / "lint.mjs"
_NAME_LITERAL = re.compile(
    r"[\"']((?:schema|ingest|suppression|rules|resolve|review|analyses|api|explore|client|bench)/[a-z0-9_]+)[\"']"
)
_INLINE_CYPHER = re.compile(r"[\"'](?:MATCH|MERGE|CREATE|UNWIND|RETURN|CALL)\b")


# They prove that unknown names are caught, so they name files that do not exist.
_NAMING_MISSING_FILES_ON_PURPOSE = {
    "test_cypher_files.py",
    "test_no_cypher_from_strings.py",
    "cypher_scan.py",
    "test_rendered_cypher.py",  # renders files for a kind that is not declared
}


def _names_used_in_code() -> set[str]:
    names: set[str] = set()
    code = [
        *(ROOT / "c360graph").rglob("*.py"),
        *(ROOT / "bench").rglob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
    ]
    for path in code:
        if path.name not in _NAMING_MISSING_FILES_ON_PURPOSE:
            names.update(_NAME_LITERAL.findall(path.read_text(encoding="utf-8")))
    for rule in load_resolution_config().rules:
        names.update({f"rules/{rule}", f"rules/{rule}_everywhere"})
    names.update(kind.merge_query for kind in IDENTIFIERS)
    # Every evidence kind's rule ships, for configurations that turn it on.
    names.update(
        name
        for kind in EVIDENCE
        for name in (f"rules/{kind.rule}", f"rules/{kind.rule}_everywhere")
    )
    for plan in PLANS.values():
        names.update(
            {plan.existing_query, plan.create_query, plan.update_query, plan.problems_query}
        )
    names.update(MIGRATIONS)
    # Browser queries are for people; tests/integration/test_explore_queries.py runs each one.
    names.update(name for name in all_queries() if name.startswith("explore/"))
    return names


def test_every_query_named_in_code_has_a_file() -> None:
    missing = sorted(_names_used_in_code() - set(all_queries()))
    assert missing == []


def test_every_cypher_file_is_used_by_the_code() -> None:
    unused = sorted(set(all_queries()) - _names_used_in_code())
    assert unused == []


def test_every_file_starts_with_a_header_and_holds_a_statement() -> None:
    for name, q in all_queries().items():
        assert q.header, f"cypher/{name}.cypher has no header comment"
        assert "Parameters" in q.header, f"cypher/{name}.cypher does not list its parameters"
        assert q.statements, f"cypher/{name}.cypher holds no statement"


def test_an_unknown_query_name_fails_loudly() -> None:
    with pytest.raises(UnknownQuery, match=r"no cypher/ingest/nope\.cypher"):
        query("ingest/nope")


def test_no_cypher_is_inlined_in_python() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "c360graph").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _INLINE_CYPHER.search(line)
    ]
    assert offenders == []


def _lint(*targets: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "node is needed for the Cypher lint; install Node 20+"
    assert (LINT.parent / "node_modules").is_dir(), "run `make install` to install the Cypher lint"
    return subprocess.run(
        [node, str(LINT), *map(str, targets)], capture_output=True, text=True, check=False
    )


def test_all_cypher_files_pass_neo4j_grammar_lint() -> None:
    result = _lint(ROOT / "cypher")
    assert result.returncode == 0, result.stderr
    assert f"{len(all_queries())} files checked, 0 problems" in result.stdout


def test_lint_rejects_a_syntax_error_and_an_undocumented_parameter(tmp_path: Path) -> None:
    (tmp_path / "broken.cypher").write_text(
        "// Broken on purpose.\n// Parameters: none.\nMATCH (n RETURN n\n"
    )
    (tmp_path / "undocumented.cypher").write_text(
        "// No params listed.\nMATCH (n {k: $key}) RETURN n\n"
    )
    result = _lint(tmp_path)
    assert result.returncode == 1
    assert "broken.cypher:3" in result.stderr
    assert "parameter $key is used but not documented" in result.stderr
