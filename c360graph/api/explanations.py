"""Explain over the API: the core's explanation of two records, masked for the caller."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence

import strawberry

from c360graph.api.context import Info
from c360graph.api.errors import NotFound
from c360graph.api.masking import Masker, View
from c360graph.resolve.assertions import UnknownRecord
from c360graph.resolve.explain import Explanation as CoreExplanation
from c360graph.resolve.explain import explain as core_explain

_E164 = re.compile(r"\+\d{7,15}")


@strawberry.input(description="A source record: its system and its id there.")
class RecordRef:
    source: str = strawberry.field(description="The source system (crm, webshop...).")
    source_id: str = strawberry.field(description="The record's id in that system.")

    @property
    def key(self) -> str:
        """The record key, `source:source_id`."""
        return f"{self.source.strip()}:{self.source_id.strip()}"


@strawberry.type(description="One accepted link between two records, and why it was made.")
class Hop:
    a: str = strawberry.field(description="Record key on one end.")
    b: str = strawberry.field(description="Record key on the other end.")
    kind: str = strawberry.field(description="rule, fuzzy, or must (an analyst's assertion).")
    probability: float = strawberry.field(description="Match probability of the link.")
    rules: list[str] = strawberry.field(description="Deterministic rules that fired.")
    evidence: list[str] = strawberry.field(description="The shared identifiers (masked).")
    levels: list[str] = strawberry.field(description="Per-field comparison levels.")


@strawberry.type(description="One compared field: its comparison level and its log2 weight.")
class FieldWeight:
    field: str = strawberry.field(description="The compared field (name, address...).")
    level: str = strawberry.field(description="The level the pair falls in (exact, fuzzy...).")
    weight: float = strawberry.field(
        description="Its log2 Bayes factor: positive for a match, negative against, 0 if null."
    )


@strawberry.type(description="A direct comparison of two records by the matching model.")
class Comparison:
    probability: float = strawberry.field(description="Match probability.")
    weight: float = strawberry.field(description="Total log2 Bayes factor, prior included.")
    threshold: float = strawberry.field(description="The acceptance threshold in use.")
    levels: list[str] = strawberry.field(description="Per-field comparison levels.")
    blocked_by: str | None = strawberry.field(description="The guard vetoing it, if any.")
    field_weights: list[FieldWeight] = strawberry.field(
        description="Each compared field's level and weight, in the model's order: the "
        "waterfall from the prior (weight minus their sum) to the total weight."
    )


@strawberry.type(description="Why two records are, or are not, the same person.")
class Explanation:
    a: str = strawberry.field(description="The first record key.")
    b: str = strawberry.field(description="The second record key.")
    same: bool = strawberry.field(description="True when both resolve to one identity.")
    reason: str = strawberry.field(description="The verdict in words.")
    identity_a: str | None = strawberry.field(description="The first record's identity.")
    identity_b: str | None = strawberry.field(description="The second record's identity.")
    path: list[Hop] = strawberry.field(description="The evidence chain, when the same.")
    direct: Comparison | None = strawberry.field(
        description="How the model scores the pair directly, when they were compared."
    )

    @classmethod
    def of(cls, core: CoreExplanation, masker: Masker) -> Explanation:
        """From the core explanation, with identifiers masked for the caller."""
        view = masker.view(
            [core.identity_a, core.identity_b],
            [key for hop in core.path for key in (hop.a, hop.b)] or [core.a, core.b],
            "explanation",
        )
        direct = None
        if core.direct is not None:
            direct = Comparison(
                probability=core.direct.probability,
                weight=core.direct.weight,
                threshold=core.threshold,
                levels=[f"{k}={v}" for k, v in sorted(core.direct.levels.items())],
                blocked_by=core.direct.blocked_by,
                field_weights=[
                    FieldWeight(field=name, level=core.direct.levels.get(name, "?"), weight=w)
                    for name, w in core.direct.partials.items()
                ],
            )
        return cls(
            a=core.a,
            b=core.b,
            same=core.same,
            reason=view.text(core.reason),
            identity_a=core.identity_a,
            identity_b=core.identity_b,
            path=[
                hop_of(h.a, h.b, h.kind, h.probability, h.rules, h.evidence, h.levels, view)
                for h in core.path
            ],
            direct=direct,
        )


def hop_of(
    a: str,
    b: str,
    kind: str,
    probability: float,
    rules: Sequence[str],
    evidence: Sequence[str],
    levels: Sequence[str],
    masker: View,
) -> Hop:
    """A Hop from a stored link's parts, with its evidence masked for the caller."""
    return Hop(
        a=a,
        b=b,
        kind=kind,
        probability=probability,
        rules=list(rules),
        evidence=[_masked_evidence(value, rules, masker) for value in evidence],
        levels=list(levels),
    )


def _masked_evidence(value: str, rules: Sequence[str], masker: View) -> str:
    # Links stored before rules and evidence were paired keep each sorted apart, so the i-th
    # value need not belong to the i-th rule: a value is masked by what it looks like (an
    # email, a phone), else as strictly as the most private kind among the rules.
    if "@" in value:
        return masker.email(value) or ""
    if _E164.fullmatch(value):
        return masker.phone(value) or ""
    if {rule.removeprefix("same_") for rule in rules} & {"address", "national_id"}:
        return masker.street(value) or ""
    return value


async def explain(info: Info, a: str, b: str) -> Explanation:
    """Explain two records by key, with the core explain running off the event loop."""
    app = info.context.app

    config = app.resolution_config
    try:
        core = await asyncio.to_thread(app.run_sync, lambda g: core_explain(g, config, a, b))
    except UnknownRecord as exc:
        raise NotFound(str(exc.args[0])) from exc
    return Explanation.of(core, info.context.masker)
