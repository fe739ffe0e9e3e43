"""Generate the whole sample dataset: every source file, the manifest and the ground truth."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from c360graph.generate.activity import (
    emit_consents,
    emit_devices,
    emit_interactions,
    emit_orders,
)
from c360graph.generate.ids import IdAllocator, loyalty_card
from c360graph.generate.people import Person, PersonFactory
from c360graph.generate.pools import build_pools
from c360graph.generate.profiles import DEFAULT_PROFILE, NoiseProfile
from c360graph.generate.records import Appearance, choose_sources, customer_view
from c360graph.generate.sources import (
    ACTIVITY_FILES,
    CUSTOMER_SOURCES,
    GROUND_TRUTH,
    GROUND_TRUTH_COLUMNS,
    write_manifest,
)
from c360graph.generate.writer import Sinks

CRM_LOYALTY_LINK_RATE = 0.4  # CRM records that quote the person's loyalty card number


@dataclass(frozen=True)
class DatasetSummary:
    """What generate_dataset wrote: rows per file and the size of the true population."""

    out_dir: Path
    manifest: Path
    persons: int
    records: int  # customer records across all customer files
    households: int
    rings: int
    files: dict[str, int]

    def __str__(self) -> str:
        width = max(len(p) for p in self.files)
        head = (
            f"{self.persons:,} persons, {self.records:,} customer records, "
            f"{self.households:,} households, {self.rings:,} fraud rings"
        )
        return "\n".join([head, *(f"  {p:<{width}}  {n:>10,}" for p, n in self.files.items())])


def _write_person(
    p: Person,
    rng: random.Random,
    act_rng: random.Random,
    ids: IdAllocator,
    sinks: Sinks,
    noise: NoiseProfile,
) -> None:
    chosen = choose_sources(rng, p)
    source_ids = [ids.new(s.id_style, p.first_name, p.last_name, p.dob.year) for s in chosen]
    pos_id = next((sid for s, sid in zip(chosen, source_ids, strict=True) if s.name == "pos"), "")
    card = loyalty_card(pos_id) if pos_id else ""
    apps: list[Appearance] = []
    for src, sid in zip(chosen, source_ids, strict=True):
        loyalty = ""
        if src.name == "pos":
            # Duplicate members got a second card; the first one is the one staff quote.
            loyalty = card if sid == pos_id else loyalty_card(sid)
            loyalty = f"{loyalty[:4]} {loyalty[4:8]} {loyalty[8:]}"  # as printed on the card
        elif src.name == "crm" and card and rng.random() < CRM_LOYALTY_LINK_RATE:
            loyalty = card
        a = customer_view(rng, p, src, sid, loyalty, noise)
        sinks.write(src.path, a.record)
        sinks.write(
            GROUND_TRUTH,
            {
                "source": src.name,
                "source_id": sid,
                "person_id": p.person_id,
                "household_id": p.household_id,
                "ring_id": p.ring_id,
            },
        )
        apps.append(a)
    emit_orders(act_rng, apps, ids, sinks.write)
    for a in apps:
        emit_interactions(act_rng, a, ids, sinks.write)
        emit_consents(a, sinks.write)
        if a.source.name == "app":
            emit_devices(act_rng, a, sinks.write)


def generate_dataset(
    out_dir: Path,
    customers: int,
    seed: int = 42,
    progress: bool = True,
    noise: NoiseProfile = DEFAULT_PROFILE,
) -> DatasetSummary:
    """Write a dataset of `customers` true persons into out_dir; same seed and noise, same bytes."""
    if customers < 1:
        raise ValueError(f"customers must be at least 1, got {customers}: pass --customers 1000")
    out_dir.mkdir(parents=True, exist_ok=True)
    pools = build_pools(seed)
    # Separate streams: changing how activity is drawn leaves the identities untouched.
    factory = PersonFactory(random.Random(f"{seed}:people"), pools)
    rng = random.Random(f"{seed}:records")
    act_rng = random.Random(f"{seed}:activity")
    ids = IdAllocator(random.Random(f"{seed}:ids"))
    persons = 0
    with (
        Sinks(out_dir) as sinks,
        tqdm(
            total=customers, unit="person", desc="generate", disable=None if progress else True
        ) as bar,
    ):
        for src in CUSTOMER_SOURCES:
            sinks.open(src.path, src.columns, delimiter=src.delimiter, bom=src.bom)
        for act in ACTIVITY_FILES:
            sinks.open(act.path, act.columns)
        sinks.open(GROUND_TRUTH, GROUND_TRUTH_COLUMNS)
        for unit in factory.units(customers):
            for person in unit:
                _write_person(person, rng, act_rng, ids, sinks, noise)
            persons += len(unit)
            bar.update(len(unit))
        counts = sinks.counts()
    manifest = write_manifest(out_dir)
    return DatasetSummary(
        out_dir=out_dir,
        manifest=manifest,
        persons=persons,
        records=sum(counts[s.path] for s in CUSTOMER_SOURCES),
        households=factory.households,
        rings=factory.rings,
        files=counts,
    )
