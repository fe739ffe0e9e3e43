"""One purchase rule for metrics and segments; amounts shown as the data's locale writes them."""

from __future__ import annotations

from c360graph.analyze.purchases import PurchaseRule
from c360graph.normalize.amount import display_amount, display_locale, round_to_minor


def test_cancelled_refunded_and_undated_orders_are_no_purchase() -> None:
    rule = PurchaseRule.of(["cancelled", "returned", "refunded", "failed"])
    assert rule.is_purchase("paid", dated=True)
    assert rule.is_purchase(None, dated=True)  # no status: most exports say nothing when fine
    assert not rule.is_purchase(" Cancelled ", dated=True)
    assert not rule.is_purchase("refunded", dated=True)
    assert not rule.is_purchase("paid", dated=False)


def test_amounts_are_grouped_as_the_locale_writes_them() -> None:
    assert display_amount(7_500_000, "VND", "vi_VN") == "7.500.000\xa0₫"
    assert display_amount(1234.5, "GBP", "en_GB") == "£1,234.50"
    assert display_amount(1234.5, None, "de_DE") == "1.234,5"


def test_the_display_locale_is_the_one_most_sources_declared() -> None:
    assert display_locale([("en_GB", 1), ("vi_VN", 3)]) == "vi_VN"
    assert display_locale([("vi_VN", 2), ("en_GB", 2)]) == "en_GB"  # a tie goes by name
    assert display_locale([]) == "en_GB"


def test_values_are_rounded_to_the_currencys_minor_units() -> None:
    assert round_to_minor(1_234_567.89, "VND") == 1_234_568
    assert round_to_minor(19.999, "EUR") == 20.0
    assert round_to_minor(1.2345, None) == 1.23
