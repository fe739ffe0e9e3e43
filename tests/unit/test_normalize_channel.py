"""normalize_channel on the channel labels found in order and interaction exports."""

from __future__ import annotations

import pytest

from c360graph.normalize import InvalidValue
from c360graph.normalize.channel import CHANNELS, normalize_channel


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("web", "web"),
        ("Web shop", "web"),
        ("ONLINE", "web"),
        ("e-commerce", "web"),
        ("E-Commerce", "web"),
        ("iOS", "app"),
        ("Android", "app"),
        ("Mobile App", "app"),
        ("POS", "store"),
        ("In-Store", "store"),
        ("retail", "store"),
        ("Shop", "store"),
        ("Cửa hàng", "store"),  # Vietnamese
        ("Filiale", "store"),  # German
        ("phone", "call_centre"),
        ("Call Center", "call_centre"),
        ("call_centre", "call_centre"),
        ("Telephone", "call_centre"),
        ("Điện thoại", "call_centre"),
        ("Facebook", "social"),
        ("Instagram", "social"),
        ("X", "social"),
        ("TikTok", "social"),
        ("newsletter", "email"),
        ("E-Mail", "email"),
        ("Amazon", "marketplace"),
        ("eBay", "marketplace"),
        ("Shopee", "marketplace"),
        ("Live Chat", "chat"),
        ("WhatsApp", "chat"),
        ("Zalo", "chat"),
        ("SMS", "sms"),
        ("Direct mail", "post"),
        ("  web  ", "web"),
    ],
)
def test_common_spellings_map_to_one_canonical_channel(raw: str, expected: str) -> None:
    assert normalize_channel(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Kiosk Partner XYZ!", "kiosk_partner_xyz"),
        ("Trade Fair 2024", "trade_fair_2024"),
        ("Événement", "evenement"),
    ],
)
def test_unknown_channels_become_a_lower_case_slug(raw: str, expected: str) -> None:
    assert normalize_channel(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", None, "---", "?!"])
def test_empty_channel_raises_listing_the_canonical_channels(raw: str | None) -> None:
    with pytest.raises(InvalidValue, match="web"):
        normalize_channel(raw)


def test_every_canonical_channel_maps_to_itself() -> None:
    assert [normalize_channel(c) for c in CHANNELS] == list(CHANNELS)
