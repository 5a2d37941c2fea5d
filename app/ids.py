"""Values from URLs, query strings and form fields: ids, whole numbers, days and moments.

Every view reads them through these helpers, which parse with the checks of `claims.validation`: a value
that is present but not what the parameter takes is refused (ValidationFailed: a 400 page, or a 422 JSON
error naming the parameter in the API) rather than ignored or turned into a server error. In a path,
`<int:...>` only matches ids that fit the id columns (anything else is a 404).
"""

from __future__ import annotations

from datetime import date, datetime

from flask import request
from werkzeug.routing import IntegerConverter

from claims.errors import ValidationFailed
from claims.validation import MAX_ID, calendar_day, moment, whole_number

CONTROL_CHARACTERS = ("\x00", "\r", "\n")


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: digits only, at most MAX_ID; anything else does not match (404)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def parse_id(raw: str | None, field: str = "id") -> int | None:
    """An id typed or sent as text; None when absent or empty."""
    return whole_number(field, raw) if raw else None


def id_arg(name: str) -> int | None:
    return parse_id(request.args.get(name), name)


def int_arg(name: str, *, default: int | None = None, low: int = 1, high: int = MAX_ID) -> int | None:
    raw = request.args.get(name)
    return whole_number(name, raw, low=low, high=high) if raw else default


def day_arg(name: str) -> date | None:
    raw = request.args.get(name)
    return calendar_day(name, raw) if raw else None


def moment_arg(name: str) -> datetime | None:
    raw = request.args.get(name)
    return moment(name, raw) if raw else None


def refuse_control_characters() -> None:
    """Before every request: no query parameter carries NUL, CR or LF. PostgreSQL cannot compare text
    with NUL, and CR/LF would split a header if a value were echoed into one (a redirect's Location)."""
    for name, value in request.args.items(multi=True):
        if any(character in name + value for character in CONTROL_CHARACTERS):
            raise ValidationFailed(name[:40], "contains a control character (NUL, CR or LF)")
