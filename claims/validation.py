"""Checks every service applies to what users type, so both databases store the same thing."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from claims.errors import ValidationFailed

# Embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) let text display in a different
# order than it is stored — a spoofing tool ("evil.exe" shown as "exe.live"); no claim or note needs them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

# Ids are PostgreSQL `integer` columns: a larger number names nothing, and PostgreSQL refuses to compare it.
MAX_ID = 2**31 - 1
# ASCII digits only: str.isdigit() and a regex \d accept "²" or "٣", which int() then refuses or misreads.
WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Dates a desk can mean; the ends of Python's calendar overflow as soon as a day or a time zone is added.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2999, 12, 31)


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


def whole_number(field: str, raw: str, *, low: int = 1, high: int = MAX_ID) -> int:
    """A decimal whole number typed or sent as text (a query parameter, a cursor), within [low, high]."""
    if not WHOLE_NUMBER.fullmatch(raw):
        raise ValidationFailed(field, f"must be a whole number written with the digits 0-9, got {raw[:40]!r}")
    value = int(raw)
    if not low <= value <= high:
        raise ValidationFailed(field, f"must be between {low} and {high}, got {raw[:40]}")
    return value


def finite_number(field: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValidationFailed(field, f"must be a number, got {raw[:40]!r}") from None
    if not math.isfinite(value):
        raise ValidationFailed(field, f"must be a finite number, got {raw[:40]!r}")
    return value


def _within_calendar(field: str, day: date, raw: str) -> None:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationFailed(field, f"must be between {EARLIEST_DAY} and {LATEST_DAY}, got {raw[:40]}")


def calendar_day(field: str, raw: str) -> date:
    """A day written YYYY-MM-DD, within the dates a desk can mean."""
    try:
        day = date.fromisoformat(raw) if DAY.fullmatch(raw) else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationFailed(field, f"must be a date written YYYY-MM-DD, got {raw[:40]!r}")
    _within_calendar(field, day, raw)
    return day


def moment(field: str, raw: str) -> datetime:
    """An ISO 8601 date and time, in UTC; one written without a time zone is taken as UTC."""
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(field, f"must be a date and time (ISO 8601), got {raw[:40]!r}") from None
    _within_calendar(field, parsed.date(), raw)
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
