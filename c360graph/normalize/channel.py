"""Sales and contact channels: many source spellings, ten canonical names."""

from __future__ import annotations

import re

from c360graph.normalize import InvalidValue
from c360graph.normalize.name import fold

CHANNELS = (
    "web", "app", "store", "call_centre", "social", "email", "marketplace", "chat", "sms", "post",
)  # fmt: skip

# Spellings per channel, folded (lower case, no accents, punctuation as spaces).
_SPELLINGS = {
    "web": "web|web shop|webshop|website|web site|online|online shop|onlineshop|online store|"
    "e commerce|ecommerce|e shop|eshop|internet|www|desktop|mobile web|site|site web",
    "app": "app|apps|ios|android|mobile app|mobile|in app|iphone|ipad|application|app mobile",
    "store": "store|in store|instore|pos|point of sale|retail|shop|branch|boutique|"
    "brick and mortar|filiale|laden|geschaft|magasin|tienda|cua hang|counter|kiosk",
    "call_centre": "call centre|call center|callcentre|callcenter|phone|telephone|tel|"
    "telesales|contact centre|contact center|hotline|ivr|inbound call|outbound call|"
    "telefon|telephone|telefono|dien thoai",
    "social": "social|social media|facebook|fb|instagram|ig|twitter|x|tiktok|linkedin|"
    "youtube|pinterest|snapchat|reddit|threads",
    "email": "email|e mail|newsletter|mailing|email campaign|courriel|correo",
    "marketplace": "marketplace|market place|amazon|ebay|etsy|zalando|shopee|lazada|tiki|"
    "otto|cdiscount|mercado libre|mercadolibre|rakuten|allegro",
    "chat": "chat|live chat|livechat|web chat|webchat|chatbot|whatsapp|messenger|"
    "facebook messenger|zalo|wechat|telegram|line|viber",
    "sms": "sms|text|text message|txt|mms",
    "post": "post|postal|mail order|direct mail|letter|catalogue|catalog|brief|courrier",
}
_CHANNELS = {
    spelling: channel
    for channel, spellings in _SPELLINGS.items()
    for spelling in (channel.replace("_", " "), *spellings.split("|"))
}
_NOT_SLUG = re.compile(r"\W+")


def normalize_channel(raw: str | None) -> str:
    """Return the canonical channel for raw, or a lower-case slug of an unknown channel."""
    folded = fold(raw) if raw is not None else ""
    if not folded:
        raise InvalidValue(
            f"channel {raw!r} is empty; expected one of {', '.join(CHANNELS)} "
            "(or a name of your own), or leave the field out"
        )
    channel = _CHANNELS.get(folded)
    if channel is not None:
        return channel
    slug = _NOT_SLUG.sub("_", folded).strip("_")
    if not slug:
        raise InvalidValue(f"channel {raw!r} has no letters or digits; expected e.g. web or app")
    return slug
