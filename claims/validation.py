"""Checks every service applies to what users type, so both databases store the same thing."""

from __future__ import annotations

from urllib.parse import urlsplit

from claims.errors import ValidationFailed


def clean_text(field: str, value: str | None, *, max_length: int, required: bool = True) -> str | None:
    """Strip surrounding space; refuse NUL (PostgreSQL cannot store it) and over-long values."""
    if value is None or not value.strip():
        if required:
            raise ValidationFailed(field, "is required")
        return None
    if "\x00" in value:
        raise ValidationFailed(field, "contains a NUL character, which cannot be stored")
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
