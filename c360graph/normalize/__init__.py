"""Pure normalization functions: raw source values in, canonical values or InvalidValue out.

Nothing here does I/O or touches the database; every function is deterministic apart from
the date checks that need "today", which take it as a parameter.
"""

from __future__ import annotations


class InvalidValue(ValueError):
    """A raw value that cannot be normalized; the message says what is wrong and what to do next."""


# The submodules import InvalidValue from this package, so it must exist before they load.
from c360graph.normalize.address import (  # noqa: E402
    NormalizedAddress,
    address_line_key,
    normalize_address,
)
from c360graph.normalize.channel import CHANNELS, normalize_channel  # noqa: E402
from c360graph.normalize.dates import parse_birth_date, parse_date, parse_datetime  # noqa: E402
from c360graph.normalize.email import (  # noqa: E402
    email_local_key,
    is_placeholder_email,
    normalize_email,
)
from c360graph.normalize.name import display_name, name_key, split_full_name  # noqa: E402
from c360graph.normalize.phone import normalize_phone, phone_line_type  # noqa: E402
from c360graph.normalize.text import clean_text, normalize_gender  # noqa: E402

__all__ = [
    "CHANNELS",
    "InvalidValue",
    "NormalizedAddress",
    "address_line_key",
    "clean_text",
    "display_name",
    "email_local_key",
    "is_placeholder_email",
    "name_key",
    "normalize_address",
    "normalize_channel",
    "normalize_email",
    "normalize_gender",
    "normalize_phone",
    "parse_birth_date",
    "parse_date",
    "parse_datetime",
    "phone_line_type",
    "split_full_name",
]
