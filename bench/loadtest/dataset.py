"""The data: one generation cut by person into a first load, write batches and API batches."""

from __future__ import annotations

import csv
import json
import random
from collections import Counter, defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from c360graph.generate.sources import (
    ACTIVITY_FILES,
    CUSTOMER_SOURCES,
    GROUND_TRUTH,
    GROUND_TRUTH_COLUMNS,
    write_manifest,
)
from c360graph.generate.writer import Sinks
from c360graph.sources.readers import open_source

BATCHES = ("batch-a", "batch-b")


def _email_of(row: dict[str, Any]) -> str:
    value = row.get("email")
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "").split("|")[0]


def _moved(email: str) -> str:
    local, at, domain = email.partition("@")
    return f"{local}.moved{at}{domain}"


def _changed(row: dict[str, Any], n: int) -> dict[str, Any]:
    """The same record with changed details: a new first email, a new street if it has one."""
    new = dict(row)
    email = row["email"]
    if isinstance(email, list):
        new["email"] = [_moved(str(email[0])), *email[1:]]
    else:
        first, bar, rest = str(email).partition("|")
        new["email"] = _moved(first) + bar + rest
    if row.get("address_line1"):
        new["address_line1"] = f"{n % 170 + 1} Station Road"
    return new


def split_dataset(
    generated: Path, out: Path, new_people: int, api_people: int, changed: int, seed: int
) -> dict[str, Any]:
    """Cut `generated` by person into the first load, write batches A and B (files and
    manifests under `out`) and API batches A and B (`out/api-a.json`, `out/api-b.json`);
    what each part holds."""
    with (generated / GROUND_TRUTH).open(encoding="utf-8", newline="") as fh:
        truth = list(csv.DictReader(fh))
    person_of = {(r["source"], r["source_id"]): r["person_id"] for r in truth}
    rng = random.Random(f"{seed}:load")
    late = rng.sample(sorted({r["person_id"] for r in truth}), 2 * (new_people + api_people))
    part_of: dict[str, str] = {}
    for number, name in enumerate(BATCHES):
        start = number * (new_people + api_people)
        part_of |= dict.fromkeys(late[start : start + new_people], name)
        part_of |= dict.fromkeys(
            late[start + new_people : start + new_people + api_people], f"api-{name[-1]}"
        )
    facts: dict[str, Counter[str]] = {p: Counter() for p in ("first", *BATCHES)}
    api: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = {
        "api-a": defaultdict(list),
        "api-b": defaultdict(list),
    }
    candidates: list[tuple[str, dict[str, Any]]] = []  # first-load records with an email
    with ExitStack() as stack:
        sinks = {p: stack.enter_context(Sinks(out / p)) for p in facts}
        for sink in sinks.values():
            for src in CUSTOMER_SOURCES:
                sink.open(src.path, src.columns, delimiter=src.delimiter, bom=src.bom)
            for act in ACTIVITY_FILES:
                sink.open(act.path, act.columns)
            sink.open(GROUND_TRUTH, GROUND_TRUTH_COLUMNS)
        for src in CUSTOMER_SOURCES:
            for raw in open_source(generated / src.path).rows():
                row = {key: raw.values.get(name) for name, key in src.columns}
                part = part_of.get(person_of[(src.name, str(row["source_id"]))], "first")
                if part in api:
                    api[part][(src.name, "CUSTOMERS")].append(row)
                    continue
                sinks[part].write(src.path, row)
                facts[part]["customers"] += 1
                facts[part]["rows"] += 1
                if part == "first" and _email_of(row):
                    candidates.append((src.path, row))
        picked = rng.sample(candidates, min(2 * changed, len(candidates)))
        for number, (path, row) in enumerate(picked):
            part = BATCHES[number % 2]
            sinks[part].write(path, _changed(row, number))
            facts[part]["changed"] += 1
            facts[part]["rows"] += 1
        for act in ACTIVITY_FILES:
            for raw in open_source(generated / act.path).rows():
                row = {key: raw.values.get(name) for name, key in act.columns}
                owner = (str(row.get("customer_source") or act.source), str(row["customer_id"]))
                part = part_of.get(person_of[owner], "first")
                if part in api:
                    api[part][(act.source, act.kind.name)].append(row)
                    continue
                sinks[part].write(act.path, row)
                facts[part][act.kind.value] += 1
                facts[part]["rows"] += 1
        for row in truth:
            part = part_of.get(row["person_id"], "first")
            if part not in api:
                sinks[part].write(GROUND_TRUTH, row)
    for part in facts:
        write_manifest(out / part)
    kinds = ("CUSTOMERS", "ORDERS", "INTERACTIONS", "DEVICES")  # records before their activity
    summary: dict[str, Any] = {part: dict(counts) for part, counts in facts.items()}
    for name, groups in api.items():
        calls = [
            {"source": source, "kind": kind, "records": groups[(source, kind)]}
            for kind in kinds
            for source, k in sorted(groups)
            if k == kind
        ]
        (out / f"{name}.json").write_text(json.dumps(calls, ensure_ascii=False), encoding="utf-8")
        summary[name] = {"calls": len(calls), "rows": sum(len(c["records"]) for c in calls)}
    return summary
