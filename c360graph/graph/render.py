"""Renders the Cypher that repeats per identifier kind (graph/schema.py) into `cypher/` files.

A template, `cypher/templates/<stage>/<name>.cypher.tmpl`, is plain Cypher with `%{field}`
placeholders (string.Template with `%` as delimiter: `$` marks Cypher parameters) and
`%{for KINDS}` ... `%{end}` around the text repeated per kind, where KINDS is `identifiers`,
`evidence` or `suppressed` (graph/schema.py) and a field is an IdentifierKind attribute.
`%{for KINDS joined by ", "}` puts the text between repeats; written on lines of their own,
the tags repeat whole lines, and the separator ends each line but the last ("\\n" in it is
a line break). `_PER_KIND` names the templates rendered once per kind.

`python -m c360graph.graph.render` (`make cypher`) writes the files; `--check` lists stale
ones and exits 1; tests/unit/test_rendered_cypher.py runs the check.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from string import Template

from c360graph.db.cypher import cypher_dir
from c360graph.graph.schema import EVIDENCE, IDENTIFIERS, SUPPRESSED, IdentifierKind

COMMAND = "make cypher"
_KINDS: dict[str, tuple[IdentifierKind, ...]] = {
    "identifiers": IDENTIFIERS,
    "evidence": EVIDENCE,
    "suppressed": SUPPRESSED,
}
# Templates rendered once per kind, and the query name each kind's copy gets.
_PER_KIND: dict[str, tuple[tuple[IdentifierKind, ...], Callable[[IdentifierKind], str]]] = {
    "ingest/merge_identifier.cypher.tmpl": (IDENTIFIERS, lambda kind: kind.merge_query),
    "rules/same_identifier.cypher.tmpl": (EVIDENCE, lambda kind: f"rules/{kind.rule}"),
    "rules/same_identifier_everywhere.cypher.tmpl": (
        EVIDENCE,
        lambda kind: f"rules/{kind.rule}_everywhere",
    ),
}
# `%{for KINDS joined by "SEP"}BODY%{end}`; when the tag ends its line, so does `%{end}`.
_FOR = re.compile(
    r'%\{for (\w+)(?: joined by "([^"]*)")?\}(\n)?(.*?)%\{end\}(?(3)(?:\n|\Z))', re.DOTALL
)


class _CypherTemplate(Template):
    delimiter = "%"


def template_dir() -> Path:
    """The folder holding the templates, inside `cypher/`."""
    return cypher_dir() / "templates"


def _fields(kind: IdentifierKind) -> dict[str, str]:
    """The kind's text attributes, for placeholders ("" when unset)."""
    values = {f.name: getattr(kind, f.name) for f in dataclasses.fields(kind)}
    return {k: v or "" for k, v in values.items() if v is None or isinstance(v, str)}


def _repeat(match: re.Match[str]) -> str:
    kinds, separator = _KINDS[match[1]], (match[2] or "").replace("\\n", "\n")
    parts = [_CypherTemplate(match[4]).substitute(_fields(kind)) for kind in kinds]
    if match[3] and parts:  # whole lines: the separator ends every line but the last
        *others, last = parts
        return "".join(part.removesuffix("\n") + separator + "\n" for part in others) + last
    return separator.join(parts)


def _stamp(text: str, template: str) -> str:
    """Add the do-not-edit line as the last line of the file's header comment."""
    lines = text.splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("//"))
    note = (
        f"// Generated from c360graph/graph/schema.py and cypher/templates/{template}\n"
        f"// by `{COMMAND}`; do not edit.\n"
    )
    return "".join([*lines[:header], note, *lines[header:]])


def render(template: str, kind: IdentifierKind | None = None) -> str:
    """The text of the file `template` (a path under cypher/templates/) renders, for `kind`."""
    text = _FOR.sub(_repeat, (template_dir() / template).read_text(encoding="utf-8"))
    text = _CypherTemplate(text).substitute(_fields(kind) if kind else {})
    return _stamp(text, template)


def rendered() -> dict[str, str]:
    """Every generated file's text, keyed by its query name (its path under cypher/)."""
    files: dict[str, str] = {}
    for path in sorted(template_dir().rglob("*.cypher.tmpl")):
        template = path.relative_to(template_dir()).as_posix()
        if template in _PER_KIND:
            kinds, name_of = _PER_KIND[template]
            files.update({name_of(kind): render(template, kind) for kind in kinds})
        else:
            files[template.removesuffix(".cypher.tmpl")] = render(template)
    return files


def stale() -> list[str]:
    """The generated files whose checked-in text differs from what the templates render."""
    found = []
    for name, text in rendered().items():
        path = cypher_dir() / f"{name}.cypher"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            found.append(name)
    return found


def main(argv: Sequence[str] = ()) -> int:
    """Write every generated file (or, with --check, list the stale ones); the exit code."""
    if "--check" in argv:
        names = stale()
        for name in names:
            print(f"cypher/{name}.cypher is out of date: run `{COMMAND}`", file=sys.stderr)
        return 1 if names else 0
    for name, text in rendered().items():
        (cypher_dir() / f"{name}.cypher").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
