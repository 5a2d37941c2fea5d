"""Database ids in URLs and query strings: whole numbers that fit the id columns (PostgreSQL `integer`).

A larger number can name nothing, and PostgreSQL would refuse to even compare it, so it is treated as
"no such thing" (a 404 in a path, no filter in a query) instead of becoming a server error.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: digits only, at most MAX_ID; anything else does not match (404)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def parse_id(raw: str | None) -> int | None:
    if raw is None or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None
