"""Reading a full export record by record: header, records, trailer, and each value's type and range.
Every problem is an `ImportRefused` naming the line, never an exception from deeper down."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, String, Table, Text
from sqlalchemy.sql.type_api import TypeEngine

from claims.export.full.format import (
    FORMAT,
    LEFT_OUT,
    SUPPORTED_VERSIONS,
    TABLES_BY_NAME,
    VERSION,
    ImportRefused,
    tables_of,
)

# The whole-number columns are 32-bit on PostgreSQL (BigInteger ones 64-bit): larger ids cannot be stored.
INTEGER_LIMIT, BIG_INTEGER_LIMIT = 2**31 - 1, 2**63 - 1
# Records are flat but for the JSON columns (an event's diff, a claim's reasons): none nests this deep.
MAX_DEPTH = 16
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def read_records(lines: Iterable[str]) -> Iterator[tuple[str, Table, dict[str, Any]]]:
    """Each record as (where, table, raw row), after checking the header and the record's shape;
    at the end, the trailer must be there and agree with what was read."""
    numbered = _numbered(lines)
    first = next(numbered, None)
    if first is None:
        raise ImportRefused("line 1", "the file is empty")
    order = tables_of(_check_header(_json(first[1], "line 1")))
    counts = dict.fromkeys(order, 0)
    position, last_number, last_hash = 0, 1, None
    trailer: tuple[str, Any] | None = None
    for number, line in numbered:
        if not line.strip():
            continue
        last_number, where = number, f"line {number}"
        if trailer is not None:
            raise ImportRefused(where, "comes after the trailer, which must end the file")
        record = _json(line, where)
        if isinstance(record, dict) and set(record) == {"trailer"}:
            trailer = (f"{where} (trailer)", record["trailer"])
            continue
        if not isinstance(record, dict) or set(record) != {"table", "row"}:
            raise ImportRefused(where, 'each record must be {"table": ..., "row": {...}}')
        name = record["table"]
        if name not in order:
            raise ImportRefused(where, f"unknown table {name!r}")
        if order.index(name) < position:
            raise ImportRefused(where, f"{name} rows must come before {order[position]} rows")
        position = order.index(name)
        counts[name] += 1
        if name == "audit_events" and isinstance(record["row"], dict):
            last_hash = record["row"].get("hash")
        yield f"{where} ({_record_name(name, record['row'])})", TABLES_BY_NAME[name], record["row"]
    if trailer is None:
        raise ImportRefused(
            f"line {last_number}",
            "the file ends without its trailer: it was cut short (or is not a complete export)",
        )
    _check_trailer(*trailer, counts, last_hash)


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    iterator, number = iter(lines), 0
    while True:
        try:
            line = next(iterator)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise ImportRefused(f"line {number + 1}", "is not valid UTF-8 text") from None
        number += 1
        yield number, line


def _check_header(header: Any) -> int:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ImportRefused("line 1", f"not a claimtrack export (expected a header with format {FORMAT!r})")
    version = header.get("version")
    if version == 1:
        raise ImportRefused(
            "line 1",
            "export version 1 is not supported: it has no trailer and its audit events cannot rebuild "
            f"every row, so it cannot be checked; export the desk again (version {VERSION})",
        )
    if version not in SUPPORTED_VERSIONS:
        supported = ", ".join(map(str, SUPPORTED_VERSIONS))
        raise ImportRefused("line 1", f"export version {version!r} is not supported (only {supported})")
    return version


def _check_trailer(where: str, trailer: Any, counts: dict[str, int], last_hash: Any) -> None:
    if not isinstance(trailer, dict) or set(trailer) != {"counts", "audit_hash"}:
        raise ImportRefused(where, 'the trailer must be {"trailer": {"counts": {...}, "audit_hash": ...}}')
    stated = trailer["counts"]
    if not isinstance(stated, dict) or set(stated) != set(counts):
        raise ImportRefused(where, f"the trailer must count the rows of each table: {', '.join(counts)}")
    for name, count in counts.items():
        if stated[name] != count:
            raise ImportRefused(where, f"the file has {count} {name} rows, the trailer says {stated[name]!r}")
    if trailer["audit_hash"] != last_hash:
        raise ImportRefused(where, "the last audit event in the file is not the one the trailer names")


def _record_name(table: str, row: Any) -> str:
    """`claims 12` for a row with an id, else just the table (appearances have a two-part key)."""
    return f"{table} {row['id']}" if isinstance(row, dict) and isinstance(row.get("id"), int) else table


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _json(line: str, where: str) -> Any:
    try:
        value = json.loads(line, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ImportRefused(where, f"not valid JSON ({exc.msg})") from None
    except ValueError as exc:
        raise ImportRefused(where, f"not valid JSON ({exc})") from None
    except RecursionError:
        raise ImportRefused(where, f"nests JSON deeper than {MAX_DEPTH} levels") from None
    # A NUL or a lone surrogate can only arrive escaped, and deep nesting needs many brackets.
    if "\\u" in line or line.count("[") + line.count("{") > MAX_DEPTH:
        _check_values(value, where)
    return value


def _check_values(value: Any, where: str) -> None:
    """Refuse text no database stores faithfully, and nesting deeper than any record has."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item, where)
        elif isinstance(item, dict | list) and depth > MAX_DEPTH:
            raise ImportRefused(where, f"nests JSON deeper than {MAX_DEPTH} levels")
        elif isinstance(item, dict):
            stack.extend((key, depth) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)


def _check_text(text: str, where: str) -> None:
    if "\x00" in text:
        raise ImportRefused(where, "contains a NUL character, which cannot be stored")
    if LONE_SURROGATE.search(text):
        raise ImportRefused(where, "contains a lone surrogate (\\ud800–\\udfff), which is not valid text")


def convert(column_type: TypeEngine[Any], value: Any) -> Any:
    """The Python value for a JSON value of a column, or ValueError naming what was expected."""
    impl = getattr(column_type, "impl", column_type)
    if isinstance(impl, Boolean):
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if isinstance(impl, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        limit = BIG_INTEGER_LIMIT if isinstance(impl, BigInteger) else INTEGER_LIMIT
        if not -limit <= value <= limit:
            raise ValueError(f"is out of range (at most {limit:,} either side of 0)")
        return value
    if isinstance(impl, Float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be a number")
        return float(value)
    if isinstance(impl, DateTime):
        return _moment(value)
    if isinstance(impl, Date):
        if not isinstance(value, str):
            raise ValueError("must be a date as YYYY-MM-DD")
        return date.fromisoformat(value)
    if isinstance(impl, String | Text):
        if not isinstance(value, str):
            raise ValueError("must be text")
        if isinstance(impl, String) and impl.length and len(value) > impl.length:
            raise ValueError(f"is longer than {impl.length} characters")
        return value
    return value  # JSON columns take any JSON value


def _moment(value: Any) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        raise ValueError("must be a date and time with a UTC offset")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("is outside the dates that can be stored") from None


def check_row(table: Table, raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ImportRefused(where, "the row must be a JSON object")
    left_out = LEFT_OUT.get(table.name, set())
    known = {c.key for c in table.columns} - left_out
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ImportRefused(where, f"unknown field(s) {', '.join(unknown)}")
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.key in left_out:
            continue
        if raw.get(column.key) is None:
            if not column.nullable:
                raise ImportRefused(where, f"field {column.key!r} is required")
            row[column.key] = None
            continue
        try:
            row[column.key] = convert(column.type, raw[column.key])
        except ValueError as exc:
            raise ImportRefused(where, f"field {column.key!r} {exc}") from None
    return row
