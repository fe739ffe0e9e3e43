"""Runs householding and fraud-ring detection against the graph: read, analyse, write back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from c360graph.analyze import store
from c360graph.analyze.facts import IdentityFacts, read_facts, read_orders
from c360graph.analyze.fraud import Hub, find_candidates, score_rings
from c360graph.analyze.households import find_households
from c360graph.analyze.settings import AnalysesConfig
from c360graph.db.graph import Graph
from c360graph.run import Run, fingerprint
from c360graph.stages import Progress


@dataclass
class HouseholdReport:
    """What a householding run found and wrote."""

    run_id: str
    identities: int = 0  # active identities looked at
    links: int = 0  # identity pairs linked as one home
    households: int = 0
    members: int = 0
    kept: int = 0  # households keeping an earlier id
    new: int = 0
    oversized: int = 0  # groups cut at max_size
    evidence: dict[str, int] = field(default_factory=dict)  # households per evidence kind
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """One paragraph for people."""
        evidence = ", ".join(f"{n:,} {k}" for k, n in sorted(self.evidence.items())) or "none"
        return (
            f"Householding of {self.identities:,} identities in {sum(self.seconds.values()):.1f}s: "
            f"{self.households:,} households ({self.members:,} identities; {self.kept:,} kept "
            f"their id, {self.new:,} new) from {self.links:,} linked pairs; evidence: {evidence}; "
            f"{self.oversized:,} groups cut at the size cap."
        )


@dataclass
class FraudReport:
    """What a fraud-ring run found and wrote."""

    run_id: str
    identities: int = 0
    candidates: int = 0  # connected groups in the size range, before scoring
    rings: int = 0  # scoring at min_score or more, stored
    members: int = 0
    kept: int = 0
    new: int = 0
    oversized: int = 0  # groups above max_ring_size, not stored
    hubs: list[Hub] = field(default_factory=list)  # identifiers too widely shared to be links
    shared: list[dict[str, object]] = field(default_factory=list)  # marked shared by resolution
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """One paragraph for people, then the widest hubs and shared identifiers."""
        lines = [
            f"Fraud-ring search over {self.identities:,} identities in "
            f"{sum(self.seconds.values()):.1f}s: {self.candidates:,} candidate groups, "
            f"{self.rings:,} rings stored ({self.members:,} identities; {self.kept:,} kept their "
            f"id, {self.new:,} new); {self.oversized:,} groups above the size cap; "
            f"{len(self.hubs):,} hub identifiers left out; {len(self.shared):,} identifiers "
            "marked shared by resolution."
        ]
        for hub in self.hubs[:5]:
            lines.append(f"  hub: {hub.kind} {hub.value} used by {hub.identities:,} identities")
        for row in self.shared[:5]:
            lines.append(f"  shared: {row['kind']} {row['value']} on {row['records']:,} records")
        return "\n".join(lines)


def load_facts(graph: Graph, progress: Progress | None = None) -> dict[str, IdentityFacts]:
    """Read every active identity's facts once, reporting progress in records read."""

    def rows_read(n: int) -> None:
        if progress:
            progress(f"read {n:,} records")

    return read_facts(graph, rows_read)


def analyze_households(
    graph: Graph,
    config: AnalysesConfig,
    progress: Progress | None = None,
    facts: Mapping[str, IdentityFacts] | None = None,
) -> HouseholdReport:
    """Group identities into households and write them, keeping household ids stable."""
    run = Run("analysis", fingerprint(repr(config.households)), progress)
    report = HouseholdReport(run_id=run.run_id, seconds=run.seconds)
    facts = facts if facts is not None else load_facts(graph, progress)
    report.identities = len(facts)
    run.done("read", f"{len(facts):,} identities")

    found = find_households(facts, config.households)
    report.links, report.oversized = found.links, len(found.oversized)
    report.households = len(found.households)
    report.members = sum(len(h.members) for h in found.households)
    report.evidence = dict(Counter(e for h in found.households for e in h.evidence))
    run.done("group", f"{report.households:,} households")

    previous = store.current_groups(graph, "analyses/current_households", "household")
    ids = store.stable_group_ids([h.members for h in found.households], previous, "hh_")
    report.kept, report.new = ids.kept, ids.new
    run.begin(graph, analysis="households")
    store.write_households(graph, found.households, ids.ids, report.run_id, datetime.now(UTC))
    run.finish(graph, **_counts(report))
    run.done("write")
    return report


def analyze_fraud(
    graph: Graph,
    config: AnalysesConfig,
    progress: Progress | None = None,
    facts: Mapping[str, IdentityFacts] | None = None,
) -> FraudReport:
    """Find and score fraud rings beyond household patterns; write them with their evidence."""
    run = Run("analysis", fingerprint(repr(config.fraud)), progress)
    report = FraudReport(run_id=run.run_id, seconds=run.seconds)
    facts = facts if facts is not None else load_facts(graph, progress)
    households = store.current_groups(graph, "analyses/current_households", "household")
    report.identities = len(facts)
    run.done("read", f"{len(facts):,} identities, {len(set(households.values())):,} households")

    search = find_candidates(facts, households, config.fraud)
    report.candidates, report.oversized = len(search.candidates), len(search.oversized)
    report.hubs = search.hubs
    members = {m for c in search.candidates for m in c.members}
    orders = read_orders(graph, members)
    rings = score_rings(search.candidates, facts, orders, config.fraud, config.currency)
    report.rings, report.members = len(rings), sum(len(r.members) for r in rings)
    run.done("score", f"{report.candidates:,} candidates, {report.rings:,} rings")

    previous = store.current_groups(graph, "analyses/current_rings", "ring")
    ids = store.stable_group_ids([r.members for r in rings], previous, "ring_")
    report.kept, report.new = ids.kept, ids.new
    run.begin(graph, analysis="fraud")
    store.write_rings(graph, rings, ids.ids, report.run_id, datetime.now(UTC))
    report.shared = graph.read("resolve/shared_identifiers")
    run.finish(graph, **_counts(report))
    run.done("write")
    return report


def _counts(report: HouseholdReport | FraudReport) -> dict[str, object]:
    counts = {
        k: v for k, v in vars(report).items() if isinstance(v, int) and not isinstance(v, bool)
    }
    return {"seconds": sum(report.seconds.values()), **counts}
