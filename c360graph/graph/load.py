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
from c360graph.graph.runs import file_sha256
from c360graph.sources.fields import CARRIED_CUSTOMER_FIELDS, SPECS, Kind
from c360graph.sources.mapping import Mapping, MappingError, load_mapping, nfc
from c360graph.sources.readers import FileUnreadable, RawRow, open_source
from c360graph.sources.rejects import RejectWriter, default_rejects_path

# The field that gives each kind away, checked in this order.
_KIND_MARKERS = (
    ("order_id", Kind.ORDERS),
    ("ticket_id", Kind.TICKETS),
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
    carried_map, column_map = split_carried(column_map, kind)
    digest = file_sha256(path)
    carried = None
    if carried_map is not None:
        carried = _ingest_carried(graph, path, source, mapping, carried_map, settings,
                                  rejects_path, delimiter, digest)  # fmt: skip
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
            file_sha256=digest,
        )
    finally:
        writer.close()
        bar.close()
    if carried is not None:
        report.used_columns |= carried.used_columns
    report.ignored_columns = ignored if source_file.format == "csv" else json_ignored(report)
    report.rejects_file = str(writer.path) if writer.count else None
    report.carried = carried
    return report


def split_carried(
    column_map: dict[str, str] | None, kind: Kind
) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """(the customers' column map, the file's own) of a file that carries customer details.

    The customers' map sends the column mapped to customer_id to source_id and the carried
    detail columns to their fields; it is None when the file carries no detail. The file's
    own map keeps only its kind's fields.
    """
    carried_fields = CARRIED_CUSTOMER_FIELDS.get(kind, ())
    if column_map is None or not carried_fields:
        return None, column_map
    details = {c: t for c, t in column_map.items() if t in carried_fields}
    own = {c: t for c, t in column_map.items() if t in SPECS[kind].fields}
    if not details:
        return None, own
    if "customer_source" in own.values():
        raise MappingError(
            "this order file carries customer details and maps customer_source: the details "
            "would belong to other sources' records. Ingest the customers with their own "
            "source (--kind customers), or drop the customer_source mapping"
        )
    ids = [c for c, t in own.items() if t == "customer_id"]
    return {**details, **{c: "source_id" for c in ids}}, own


def _ingest_carried(
    graph: Graph,
    path: Path,
    source: str,
    mapping: Mapping,
    column_map: dict[str, str],
    settings: IngestSettings | None,
    rejects_path: Path | None,
    delimiter: str | None,
    digest: str,
) -> IngestReport:
    """Ingest the customer details an order file carries, as records of its source.

    One record per customer: of the rows naming one customer id, the last with any detail
    wins (exports list orders oldest first); rows without details add no record (their
    customer stays as the orders left it). Rejects go to their own numbered reject file.
    """
    source_file = open_source(path, delimiter or mapping.delimiter)
    details = [c for c, t in column_map.items() if t != "source_id"]
    ids = [c for c, t in column_map.items() if t == "source_id"]
    latest: dict[str, RawRow] = {}
    for row in source_file.rows():
        if row.problem or not any(_filled(row.values.get(c)) for c in details):
            continue
        key = next((str(row.values.get(c)).strip() for c in ids if _filled(row.values.get(c))), "")
        latest[key or f"line {row.line}"] = row
    writer = RejectWriter(rejects_path or default_rejects_path(path), source_file)
    try:
        report = ingest_rows(
            graph,
            sorted(latest.values(), key=lambda r: r.line),
            source,
            Kind.CUSTOMERS,
            column_map=column_map,
            mapping=mapping,
            settings=settings,
            on_reject=lambda row, reason: writer.write(row, f"customer details: {reason}"),
            file=str(path),
            file_sha256=digest,
        )
    finally:
        writer.close()
    report.rejects_file = str(writer.path) if writer.count else None
    return report


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


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
