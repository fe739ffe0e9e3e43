"""Named Cypher statements, loaded from the `cypher/` folder and run by name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
# A wheel carries the files inside the package; a source checkout has them at the top.
_CANDIDATES = (_PACKAGE_DIR / "_cypher", _PACKAGE_DIR.parent / "cypher")
_STATEMENT_END = re.compile(r";\s*$", re.MULTILINE)


class UnknownQuery(KeyError):
    """A query name has no `.cypher` file."""


@dataclass(frozen=True)
class Query:
    """One named `.cypher` file: its header comment and its statements."""

    name: str
    header: str
    statements: tuple[str, ...]

    @property
    def text(self) -> str:
        """The single statement of this file; fails for multi-statement files."""
        if len(self.statements) != 1:
            raise ValueError(f"cypher/{self.name}.cypher holds {len(self.statements)} statements")
        return self.statements[0]


def cypher_dir() -> Path:
    """The folder holding the `.cypher` files."""
    for candidate in _CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no cypher folder at {' or '.join(map(str, _CANDIDATES))}")


def _parse(name: str, text: str) -> Query:
    lines = text.splitlines()
    header_lines = []
    for line in lines:
        if not line.lstrip().startswith("//"):
            break
        header_lines.append(line.lstrip()[2:].strip())
    body = "\n".join(lines[len(header_lines) :])
    statements = tuple(s.strip() for s in _STATEMENT_END.split(body) if s.strip())
    return Query(name=name, header="\n".join(header_lines), statements=statements)


@cache
def all_queries() -> dict[str, Query]:
    """Every query, keyed by its path under `cypher/` without the extension."""
    root = cypher_dir()
    return {
        path.relative_to(root).with_suffix("").as_posix(): _parse(
            path.relative_to(root).with_suffix("").as_posix(), path.read_text(encoding="utf-8")
        )
        for path in sorted(root.rglob("*.cypher"))
    }


def query(name: str) -> Query:
    """The query called `name` (e.g. 'ingest/create_customers'); UnknownQuery if none."""
    queries = all_queries()
    if name not in queries:
        raise UnknownQuery(f"no cypher/{name}.cypher; known: {', '.join(sorted(queries))}")
    return queries[name]
