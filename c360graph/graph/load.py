"""Loading files and manifests: opens a source file, maps its columns, ingests, writes rejects."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from tqdm import tqdm

from c360graph.config import IngestSettings
from c360graph.db.graph import Graph
from c360graph.graph.ingest import IngestReport, ingest_rows
from c360graph.sources.fields import SPECS, Kind
from c360graph.sources.mapping import MappingError, load_mapping, nfc
from c360graph.sources.readers import FileUnreadable, open_source
from c360graph.sources.rejects import RejectWriter, default_rejects_path

# The field that gives each kind away, checked in this order.
_KIND_MARKERS = (
    ("order_id", Kind.ORDERS),
    ("interaction_id", Kind.INTERACTIONS),
    ("source_id", Kind.CUSTOMERS),
    ("device_id", Kind.DEVICES),
    ("consent_id", Kind.CONSENTS),
)


def infer_kind(fields: set[str]) -> Kind | None:
    """The record kind a set of canonical field names points to, or None."""
    for marker, kind in _KIND_MARKERS:
        if marker in fields:
            return kind
    return None


def ingest_file(
    graph: Graph,
    path: Path,
    source: str,
    kind: Kind | None = None,
    mapping_path: Path | None = None,
    settings: IngestSettings | None = None,
    rejects_path: Path | None = None,
    delimiter: str | None = None,
    progress: bool | None = None,
) -> IngestReport:
    """Ingest one CSV/NDJSON/JSON file; FileUnreadable or MappingError when it cannot start."""
    mapping = load_mapping(mapping_path)
    source_file = open_source(path, delimiter or mapping.delimiter)
    column_map: dict[str, str] | None = None
    ignored: list[str] = []
    kind = kind or mapping.kind
    if source_file.format == "csv":
        if kind is None:
            kind = infer_kind({mapping.columns.get(nfc(c), c).lower() for c in source_file.header})
        if kind is None:
            columns = ", ".join(repr(c) for c in source_file.header[:6])
            raise MappingError(
                f"cannot tell what {path} holds from its columns ({columns}, split on "
                f"{source_file.delimiter!r}); pass --kind ({'|'.join(k.value for k in Kind)}), "
                "map its id column, or pass --delimiter if the columns are split wrongly"
            )
        column_map, ignored = mapping.resolve_columns(source_file.header, kind)
    elif kind is None:
        raise MappingError(f"pass --kind for {path}: JSON files do not announce their kind")
    elif mapping.columns:
        mapping.check_columns(source_file.field_names(), kind, what="fields")
        column_map = {**{f: f for f in SPECS[kind].fields}, **mapping.columns}
    writer = RejectWriter(rejects_path or default_rejects_path(path), source_file)
    # disable=None: quiet when stderr is not a terminal (CI, pipes).
    bar = tqdm(
        total=source_file.progress.total,
        unit="B",
        unit_scale=True,
        desc=f"{source} {kind.value}",
        disable=None if progress is None else not progress,
        leave=False,
    )

    def advance() -> None:
        bar.update(source_file.progress.done - bar.n)

    try:
        report = ingest_rows(
            graph,
            source_file.rows(),
            source,
            kind,
            column_map=column_map,
            mapping=mapping,
            settings=settings,
            on_reject=writer.write,
            on_batch=advance,
            file=str(path),
        )
    finally:
        writer.close()
        bar.close()
    report.ignored_columns = ignored if source_file.format == "csv" else json_ignored(report)
    report.rejects_file = str(writer.path) if writer.count else None
    return report


def json_ignored(report: IngestReport) -> list[str]:
    """The fields of JSON rows that fed nothing, as CSV ingests list unmapped columns.

    A nested object none of whose fields is used is listed once by its own name; when some
    of its fields are used (`khach_hang.id`), its other fields are listed by their paths.
    """
    used = report.used_columns
    names = report.seen_columns

    def feeds(name: str) -> bool:
        return name in used or any(u.startswith(name + ".") for u in used)

    def listed(name: str) -> bool:
        parent = name.rpartition(".")[0]
        return not feeds(name) and (not parent or any(u.startswith(parent + ".") for u in used))

    return sorted(n for n in names if listed(n))


@dataclass(frozen=True)
class ManifestEntry:
    """One file listed in a manifest."""

    path: Path
    source: str
    kind: Kind | None
    mapping: Path | None


def read_manifest(path: Path) -> list[ManifestEntry]:
    """The files a manifest.yaml lists, paths resolved against its folder."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FileUnreadable(f"cannot read manifest {path}: {exc}") from exc
    items = data.get("files") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise FileUnreadable(f"manifest {path} must hold a list of files (path, source, kind)")
    entries = []
    for item in items:
        if not isinstance(item, dict) or "path" not in item or "source" not in item:
            raise FileUnreadable(f"manifest {path}: each entry needs path and source, got {item!r}")
        entries.append(
            ManifestEntry(
                path=path.parent / item["path"],
                source=str(item["source"]),
                kind=Kind(item["kind"]) if item.get("kind") else None,
                mapping=path.parent / item["mapping"] if item.get("mapping") else None,
            )
        )
    return entries
