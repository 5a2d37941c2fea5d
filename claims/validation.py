"""Checks every service applies to what users type, so both databases store the same thing."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from claims.errors import ValidationFailed

# Embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) let text display in a different
# order than it is stored — a spoofing tool ("evil.exe" shown as "exe.live"); no claim or note needs them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_problem(value: str) -> str | None:
    found = BIDI_CONTROLS.search(value)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    return f"contains a text-direction control character ({code}) at position {found.start()}"


def clean_text(field: str, value: str | None, *, max_length: int, required: bool = True) -> str | None:
    """Strip surrounding space; refuse NUL (PostgreSQL cannot store it) and over-long values."""
    if value is None or not value.strip():
        if required:
            raise ValidationFailed(field, "is required")
        return None
    if "\x00" in value:
        raise ValidationFailed(field, "contains a NUL character, which cannot be stored")
    problem = bidi_problem(value)
    if problem:
        raise ValidationFailed(field, problem)
    value = value.strip()
    if len(value) > max_length:
        raise ValidationFailed(field, f"is {len(value):,} characters long; the limit is {max_length:,}")
    return value


def clean_url(field: str, value: str | None, *, required: bool = True) -> str | None:
    url = clean_text(field, value, max_length=2048, required=required)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[": an unbalanced IPv6 bracket
        raise ValidationFailed(field, f"is not a valid address: {url[:80]!r}") from None
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValidationFailed(field, f"must be an http(s) address, got {url[:80]!r}")
    return url


def clean_choice(field: str, value: str, choices: type) -> str:
    allowed = [member.value for member in choices]
    if value not in allowed:
        raise ValidationFailed(field, f"must be one of {', '.join(allowed)}, got {value!r}")
    return value
