"""The segments' value for people: per segment, identities, purchases, spend and lifetime
value, with amounts grouped as the data's locale writes them ('1.250.000 ₫' in vi_VN)."""

from __future__ import annotations

from c360graph.db.graph import Graph
from c360graph.normalize.amount import display_amount, display_locale


def data_locale(graph: Graph) -> str:
    """The locale amounts are shown in: the one the sources' mappings declared most."""
    rows = graph.read("analyses/source_locales")
    return display_locale([(row["locale"], int(row["sources"])) for row in rows])


def segment_values(graph: Graph) -> str:
    """One line per segment, biggest lifetime value first; empty before segments are scored."""
    locale = data_locale(graph)
    lines = []
    for row in graph.read("analyses/segment_summary"):
        currency = row["currency"]
        spend = display_amount(float(row["total_spend"] or 0.0), currency, locale)
        value = display_amount(float(row["lifetime_value"] or 0.0), currency, locale)
        lines.append(
            f"  {row['segment']}: {int(row['identities']):,} identities, "
            f"{int(row['orders'] or 0):,} purchases, spend {spend}, lifetime value {value}"
        )
    return "\n".join(lines)
