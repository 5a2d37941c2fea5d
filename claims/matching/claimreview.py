"""Reading schema.org ClaimReview as fact-checkers publish it, into `FactCheckDraft`s.

Four shapes: one ClaimReview object, a JSON list of them, a schema.org `DataFeed` whose
`dataFeedElement` items are ClaimReviews (or `DataFeedItem`s holding them in `item`, as the public
ClaimReview feeds do), or JSON lines. Every record is placed by its line in the file, so a refusal
names the line a person can open.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from claims.errors import ClaimtrackError, ValidationFailed
from claims.validation import EARLIEST_DAY, LATEST_DAY, clean_text, clean_url

DAY_PREFIX = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})")


class BadRecord(ClaimtrackError):
    """One record cannot become a fact-check; `line` is where it starts in the file."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class FactCheckDraft:
    url: str
    claim_reviewed: str
    headline: str | None = None
    organisation: str | None = None
    rating: str | None = None
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    published_on: date | None = None
    claimant: str | None = None
    appearances: list[str] = field(default_factory=list)

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


TOO_DEEP = "is nested too deeply to be a ClaimReview"


def records(text: str) -> Iterator[tuple[int, Any]]:
    """(line, raw record) for each ClaimReview in the file, in any of the four shapes. A file that is
    not JSON at all raises BadRecord for its first bad line."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _array_items(text, text.index("["))
        return
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError):  # JSON lines, or a bad record found line by line
        whole = None
    if isinstance(whole, dict):
        if "dataFeedElement" in whole:
            yield from _feed_items(text, whole)
        else:
            yield 1 + text[: len(text) - len(stripped)].count("\n"), whole
        return
    yield from _json_lines(text)


class _Lines:
    """The line of a position in `text`, counted on from the last position asked about: the items of an
    array come in order, and counting from the start each time made a long feed quadratic."""

    def __init__(self, text: str) -> None:
        self.text, self.position, self.line = text, 0, 1

    def at(self, position: int) -> int:
        if position < self.position:
            self.position, self.line = 0, 1
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


def _array_items(text: str, opening: int) -> Iterator[tuple[int, Any]]:
    """Items of the JSON array opening at `opening`, each with the line it starts on."""
    decoder = json.JSONDecoder()
    lines = _Lines(text)
    position = _skip_space(text, opening + 1)
    if text.startswith("]", position):
        return
    while True:
        try:
            item, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise BadRecord(lines.at(exc.pos), f"is not valid JSON ({exc.msg})") from None
        except ValueError as exc:  # an integer of more digits than Python converts
            raise BadRecord(lines.at(position), f"is not valid JSON ({exc})") from None
        except RecursionError:
            raise BadRecord(lines.at(position), TOO_DEEP) from None
        yield lines.at(position), item
        position = _skip_space(text, end)
        if text.startswith(",", position):
            position = _skip_space(text, position + 1)
        elif text.startswith("]", position):
            return
        else:
            raise BadRecord(lines.at(position), "is not valid JSON (expected ',' or ']')")


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _feed_items(text: str, feed: dict[str, Any]) -> Iterator[tuple[int, Any]]:
    if not isinstance(feed["dataFeedElement"], list):
        raise BadRecord(1, "dataFeedElement must be a list")
    # The feed's own key, not one nested deeper; the last if repeated, as json.loads reads it.
    *_, opening = (at for key, at in _top_level_values(text) if key == "dataFeedElement")
    for line, element in _array_items(text, opening):
        if isinstance(element, dict) and "item" in element:
            inner = element["item"]
            for review in inner if isinstance(inner, list) else [inner]:
                yield line, review
        else:
            yield line, element


def _top_level_values(text: str) -> Iterator[tuple[str, int]]:
    """Each key of the JSON object `text` holds (already known to be valid JSON) with where its value
    starts."""
    decoder = json.JSONDecoder()
    position = _skip_space(text, text.index("{") + 1)
    while not text.startswith("}", position):
        key, position = decoder.raw_decode(text, position)
        position = _skip_space(text, _skip_space(text, position) + 1)  # past the colon
        yield key, position
        _, position = decoder.raw_decode(text, position)
        position = _skip_space(text, position)
        if text.startswith(",", position):
            position = _skip_space(text, position + 1)


@dataclass(frozen=True)
class UnreadableLine:
    """A JSON line that is not JSON: one bad record (the lines around it still are records)."""

    reason: str


def _json_lines(text: str) -> Iterator[tuple[int, Any]]:
    # Lines end at "\n" only: splitlines() also breaks at U+2028 and others a JSON string may hold.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, UnreadableLine(f"is not valid JSON ({exc.msg})")
        except ValueError as exc:  # an integer of more digits than Python converts
            yield number, UnreadableLine(f"is not valid JSON ({exc})")
        except RecursionError:
            yield number, UnreadableLine(TOO_DEEP)


def draft(line: int, raw: Any) -> FactCheckDraft:
    """The fact-check a ClaimReview record describes, or BadRecord saying what is wrong with it."""
    if isinstance(raw, UnreadableLine):
        raise BadRecord(line, raw.reason)
    try:
        return _draft(raw)
    except ValidationFailed as exc:
        raise BadRecord(line, str(exc)) from None


def _draft(raw: Any) -> FactCheckDraft:
    if not isinstance(raw, dict):
        raise ValidationFailed("record", "must be a ClaimReview object")
    kind = raw.get("@type", "ClaimReview")
    if kind != "ClaimReview" and not (isinstance(kind, list) and "ClaimReview" in kind):
        raise ValidationFailed("@type", f"must be ClaimReview, got {str(kind)[:40]!r}")
    rating = _object(raw, "reviewRating")
    item = _object(raw, "itemReviewed")
    return FactCheckDraft(
        url=clean_url("url", _text(raw, "url")),  # type: ignore[arg-type]
        claim_reviewed=clean_text("claimReviewed", _text(raw, "claimReviewed"), max_length=5000),  # type: ignore[arg-type]
        headline=clean_text("headline", _text(raw, "headline"), max_length=1000, required=False),
        organisation=clean_text("author.name", _name(raw.get("author")), max_length=300, required=False),
        rating=clean_text(
            "reviewRating.alternateName", _text(rating, "alternateName"), max_length=300, required=False
        ),
        rating_value=_number(rating, "ratingValue"),
        best_rating=_number(rating, "bestRating"),
        worst_rating=_number(rating, "worstRating"),
        published_on=_day(raw.get("datePublished")),
        claimant=clean_text(
            "itemReviewed.author.name", _name(item.get("author")), max_length=300, required=False
        ),
        appearances=_appearances(item),
    )


def _object(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name)
    if value is None:
        return {}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]  # several ratings or items: the first is the one a reader sees
    if not isinstance(value, dict):
        raise ValidationFailed(name, "must be an object")
    return value


def _text(raw: dict[str, Any], name: str) -> str | None:
    value = raw.get(name)
    if value is None or isinstance(value, str):
        return value
    raise ValidationFailed(name, f"must be text, got {type(value).__name__}")


def _name(author: Any) -> str | None:
    """`author` is a Person/Organization object, a list of them (the first is named), or plain text."""
    if isinstance(author, list):
        author = author[0] if author else None
    if author is None or isinstance(author, str):
        return author
    if isinstance(author, dict):
        return _text(author, "name")
    raise ValidationFailed("author", "must be an object with a name")


def _number(rating: dict[str, Any], name: str) -> float | None:
    value = rating.get(name)
    if value is None or value == "":
        return None
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise ValidationFailed(f"reviewRating.{name}", f"must be a number, got {str(value)[:40]!r}")
    return number


def _day(value: Any) -> date | None:
    """datePublished as a day; a full date and time keeps its date part."""
    if value is None or value == "":
        return None
    found = DAY_PREFIX.match(value) if isinstance(value, str) else None
    try:
        day = date.fromisoformat(found.group(1)) if found else None
    except ValueError:
        day = None
    if day is None or not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationFailed("datePublished", f"must be a date (YYYY-MM-DD…), got {str(value)[:40]!r}")
    return day


def _appearances(item: dict[str, Any]) -> list[str]:
    found = item.get("appearance") or item.get("firstAppearance") or []
    urls = []
    for appearance in found if isinstance(found, list) else [found]:
        url = appearance.get("url") if isinstance(appearance, dict) else appearance
        cleaned = clean_url("itemReviewed.appearance.url", url if isinstance(url, str) else None)
        if cleaned not in urls:
            urls.append(cleaned)  # type: ignore[arg-type]
    return urls
