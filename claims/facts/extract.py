"""Finding the numbers, dates and durations of a statement, each with its exact span in the text.

Hand-written English rules (see docs/claim-anatomy.md for why not the libraries alone). Every
expression keeps `text[start:end] == expression.text`, so a page can highlight it. Patterns are tried
from the most specific kind to the least; a match overlapping an earlier one is dropped, so "237 out of
465" is one ratio, not two numbers.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from claims.checkworthiness.rules import MONTHS


class Kind(enum.StrEnum):
    PERCENTAGE = "percentage"
    RATIO = "ratio"
    DATE = "date"
    DURATION = "duration"
    QUANTITY = "quantity"
    COUNT = "count"
    ORDINAL = "ordinal"
    SUPERLATIVE = "superlative"


@dataclass(frozen=True)
class Expression:
    """One expression as written: `value` is a number (or, for dates, what was read), `unit` as written."""

    kind: Kind
    text: str
    start: int
    end: int
    value: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    # The two numbers of a ratio (part, total); the parts of a date (year, month, day) or its relative words.
    parts: tuple[float | int | str | None, ...] = ()


UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "a dozen": 12, "dozen": 12, "half a": 0.5,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "m": 1e6,
}
ORDINALS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|twentieth|"
    "hundredth|thousandth"
)
TIME_UNITS = "years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|century"
QUALIFIERS = (
    "almost|nearly|just under|just over|close to|more than|over|above|exceeding|less than|fewer than|"
    "under|below|at least|at most|up to|no more than|no fewer than|about|approximately|around|roughly|"
    "some|an estimated|estimated"
)
CURRENCIES = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}

_WORD_NUMBER = (
    rf"(?:(?:{'|'.join(TENS)})(?:[- ](?:{'|'.join(k for k in UNITS if ' ' not in k)}))?|"
    rf"(?:{'|'.join(sorted(UNITS, key=len, reverse=True))}))"
)
# "5-1/2", "27,403.54", "4.3". Possessive, and never starting after a comma (the lookbehinds below): a
# run of "100,101,102,…" was read again from every comma, and a 36 KB sentence took a minute.
_DIGITS = r"\d+-[1-3]/[234]|\d{1,3}(?:,\d{3})++(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s?(?:hundred|thousand|million|billion|trillion)\b|(?:bn|m)\b)"
NUMBER = rf"(?:(?<![\w.,-])(?:{_DIGITS})(?![\d]|s\b)|\b{_WORD_NUMBER}\b)(?:{_SCALE})?"
# The upper end of a range follows its dash: "24-30 meters", "3-5 years".
UPPER_NUMBER = rf"(?:(?<![\w.,])(?:{_DIGITS})(?![\d])|\b{_WORD_NUMBER}\b)(?:{_SCALE})?"
_QUALIFIER = rf"(?:(?P<qualifier>{QUALIFIERS})\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
_YEAR = r"(?P<year>(?:1[0-9]|2[0-9])\d\d)\b"
_MONTH = rf"(?:(?P<part_of>mid-|early |late )?(?P<month>{MONTHS}))"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
STOP_WORDS = (
    "and|or|to|of|in|on|at|the|a|an|by|for|from|with|as|is|was|are|were|has|had|this|that|its|his|her|their|"
    "percent|out|each|who|which"
)
# A unit of one word, or of up to three when they end in a plural: "square nautical miles", "South Koreans".
_WORD = rf"(?!(?:{STOP_WORDS})\b)[A-Za-z][\w-]*"
_UNIT = rf"(?P<unit>{_WORD}(?:(?:\s{_WORD}){{0,2}}?\s{_WORD}s\b)?)"
FRACTIONS = {"half": 50.0, "a third": 100 / 3, "one third": 100 / 3, "two-thirds": 200 / 3, "a quarter": 25.0,
             "one quarter": 25.0, "three-quarters": 75.0}  # fmt: skip

PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (
        Kind.PERCENTAGE,
        re.compile(rf"{_QUALIFIER}(?P<number>{NUMBER})\s?(?:%|per ?cent\b|percentage points?\b)", re.I),
    ),
    (
        Kind.RATIO,
        re.compile(
            rf"(?P<part>{NUMBER})\s(?:out of|in|of(?: the)?|of every)\s(?P<total>{NUMBER})(?![\w-])", re.I
        ),
    ),
    (Kind.RATIO, re.compile(rf"{_QUALIFIER}(?P<fraction>{'|'.join(FRACTIONS)})(?=\sof\b)", re.I)),
    (Kind.DATE, re.compile(rf"(?:\b{_WEEKDAY},?\s)?\b{_MONTH}\s{_DAY}(?:,?\s{_YEAR})?")),
    (Kind.DATE, re.compile(rf"\b{_DAY}\s{_MONTH}(?:,?\s{_YEAR})?")),
    (Kind.DATE, re.compile(rf"\b{_MONTH}(?:(?:,?\s|\sof\s){_YEAR})?")),
    (
        Kind.DATE,
        re.compile(
            r"\b(?P<relative>(?:earlier|later) this (?:week|month|year)|"
            r"(?:last|this|next) (?:week|month|year)|(?:yesterday|today|tomorrow)|"
            r"(?:on |last |this |next )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b",
            re.I,
        ),
    ),
    (
        Kind.DATE,
        re.compile(rf"(?<![\d,.$€£])\b(?P<year>(?:19|20)\d\d)\b(?![\d,.]\d|\s?%|[\s-](?:{TIME_UNITS}))"),
    ),
    (
        Kind.DURATION,
        re.compile(
            rf"(?P<number>{NUMBER})\s?(?:to|-|–)\s?(?P<upper>{UPPER_NUMBER})[\s-](?P<unit>{TIME_UNITS})\b(?!-old)",
            re.I,
        ),
    ),
    (
        Kind.DURATION,
        # Not an age: "the pilot's 55-year-old brother" is no span of time.
        re.compile(rf"{_QUALIFIER}(?P<number>{NUMBER}|\ban?)[\s-](?P<unit>{TIME_UNITS})\b(?!-old)", re.I),
    ),
    (Kind.ORDINAL, re.compile(rf"\b(?:{ORDINALS})\b|(?<![\w.])\d+(?:st|nd|rd|th)\b", re.I)),
    (Kind.QUANTITY, re.compile(rf"{_QUALIFIER}(?P<currency>US\$|[$€£¥])\s?(?P<number>{NUMBER})", re.I)),
    (
        Kind.QUANTITY,
        re.compile(rf"(?P<number>{NUMBER})\s?(?:to|-|–)\s?(?P<upper>{UPPER_NUMBER})(?:[\s-]{_UNIT})?", re.I),
    ),
    (
        Kind.QUANTITY,
        re.compile(
            r"\b(?:dozens|hundreds|thousands|millions|billions|trillions)(?:\sof\s(?:hundreds|thousands|"
            r"millions|billions|trillions))?\sof\s(?P<unit>[A-Za-z]+)",
            re.I,
        ),
    ),
    (
        Kind.QUANTITY,
        re.compile(
            rf"{_QUALIFIER}(?P<number>{NUMBER})[\s-]{_UNIT}",
            re.I,
        ),
    ),
    # A bare number in words ("one of them") is left out: too often no count at all.
    (
        Kind.COUNT,
        re.compile(rf"{_QUALIFIER}(?P<number>(?<![\w.,-])(?:{_DIGITS})(?![\d]|s\b)(?:{_SCALE})?)", re.I),
    ),
    (
        Kind.SUPERLATIVE,
        re.compile(
            r"\b(?:(?:most|least)\s[a-z]+|largest|biggest|smallest|highest|lowest|greatest|longest|shortest|"
            r"best|worst|oldest|youngest|fastest|slowest|strongest|weakest|richest|poorest|deadliest|"
            r"tallest|earliest|latest|newest|heaviest|hottest|coldest|record)\b",
            re.I,
        ),
    ),
)
ANY_LANGUAGE_PATTERNS = tuple(
    (kind, pattern)
    for kind, pattern in PATTERNS
    if kind is Kind.COUNT or (kind is Kind.PERCENTAGE) or "currency" in pattern.groupindex
)
# Words a number names something after rather than counts it: "Flight 17", "Boeing 777", "Section 230".
NAMED_BY_NUMBER = re.compile(
    r"\b(?:Flight|Boeing|Airbus|Apollo|Route|Highway|Interstate|Section|Article|Chapter|Room|Gate|Terminal|"
    r"Platform|Channel|Windows|Resolution|Amendment|Proposition|Bill|Game|Line|No\.)\s$"
)
FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")  # fmt: skip
MONTH_NUMBER = (
    {name: number for number, name in enumerate(FULL_MONTHS, 1)}
    | {name[:3]: number for number, name in enumerate(FULL_MONTHS, 1)}
    | {"sept": 9}
)


def number_value(written: str) -> float | None:
    """The value of "237", "1,234.5", "six", "twenty-five", "2 billion", "43m"; None beyond a float."""
    text = written.strip().lower()
    scale = 1.0
    for word, factor in SCALES.items():
        if re.search(rf"(?:\s|\d){word}$", text):
            scale = factor
            text = text[: -len(word)].strip()
            break
    mixed = re.fullmatch(r"(\d+)-(\d)/(\d)", text)
    if mixed:
        return (int(mixed[1]) + int(mixed[2]) / int(mixed[3])) * scale
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", text) and text[0].isdecimal():
        number = float(text.replace(",", ""))
    else:
        number = _words_value(text)
        if number is None:
            return None
    value = number * scale
    return value if math.isfinite(value) else None


def _words_value(text: str) -> float | None:
    if text in UNITS:
        return float(UNITS[text])
    if text in ("a", "an"):  # "a day after", "less than a year"
        return 1.0
    tens, _, unit = text.replace("-", " ").partition(" ")
    if tens in TENS and (not unit or unit in UNITS):
        return float(TENS[tens] + (UNITS[unit] if unit else 0))
    return None


# Kept per process: a claim's page reads every claim of its article for the hints, on every view, and
# the same texts come back (the article page, the next claim of the article); each costs about 1 ms.
EXTRACTIONS_KEPT = 8192


@lru_cache(maxsize=EXTRACTIONS_KEPT)
def extract(text: str, language: str = "en") -> tuple[Expression, ...]:
    """Every expression of `text` in reading order, none overlapping another. The rules are English; in
    another language only what is written the same in any ("42 %", "$5", a number in digits) is read,
    since "el próximo 8 de marzo" is no quantity of "de"."""
    taken = bytearray(len(text))  # 1 where an earlier expression is: linear in the text, however many
    found: list[Expression] = []
    patterns = PATTERNS if language.lower().startswith("en") else ANY_LANGUAGE_PATTERNS
    for kind, pattern in patterns:
        for match in pattern.finditer(text):
            start, end = _trimmed(text, match)
            if start == end or any(taken[start:end]):
                continue
            expression = _read(kind, match, text[start:end], start, end)
            if expression is None:
                continue
            if kind in (Kind.COUNT, Kind.QUANTITY) and NAMED_BY_NUMBER.search(
                text, max(0, start - 20), start
            ):
                continue  # "Flight 17", "Boeing 777": a name, not an amount
            taken[start:end] = b"\x01" * (end - start)
            found.append(expression)
    return tuple(sorted(found, key=lambda e: e.start))


def _trimmed(text: str, match: re.Match[str]) -> tuple[int, int]:
    """The span without the "on" of "on Monday"."""
    start, end = match.span()
    if match.re.pattern.startswith(r"\b(?P<relative>") and text[start:end].lower().startswith("on "):
        start += 3
    return start, end


def _read(kind: Kind, match: re.Match[str], written: str, start: int, end: int) -> Expression | None:
    groups = {name: value for name, value in match.groupdict().items() if value is not None}
    qualifier = groups.get("qualifier")
    qualifier = qualifier.lower() if qualifier else None
    if kind is Kind.RATIO and "fraction" in groups:
        return Expression(
            kind, written, start, end, round(FRACTIONS[groups["fraction"].lower()], 1), "%", qualifier
        )
    if kind is Kind.RATIO:
        part, total = number_value(groups["part"]), number_value(groups["total"])
        if part is None or total is None or total == 0 or (" in " in written and part > total):
            return None
        return Expression(kind, written, start, end, round(100 * part / total, 1), "%", parts=(part, total))
    if kind is Kind.DATE:
        return _date(groups, written, start, end)
    if kind in (Kind.ORDINAL, Kind.SUPERLATIVE):
        return Expression(
            kind, written, start, end, _ordinal_value(written) if kind is Kind.ORDINAL else None
        )
    if "number" not in groups:  # "hundreds of billions of dollars": a quantity without a value
        return Expression(kind, written, start, end, None, _unit_of(groups["unit"]))
    value = number_value(groups["number"])
    if value is None:
        return None
    upper = number_value(groups["upper"]) if "upper" in groups else None
    if "upper" in groups and (upper is None or upper <= value):
        return None  # "2014-15" or "10-2" is no range
    unit = groups.get("unit")
    if kind is Kind.PERCENTAGE:
        unit = "percentage points" if "point" in written.lower() else "%"
    elif kind is Kind.DURATION:
        unit = _singular(unit.lower()) if unit else None
    elif "currency" in groups:
        unit = CURRENCIES[groups["currency"].upper()]
    return Expression(
        kind, written, start, end, value, unit, qualifier, () if upper is None else (value, upper)
    )


def _unit_of(word: str) -> str:
    return {"dollars": "USD", "euros": "EUR", "pounds": "GBP"}.get(word.lower(), word)


def _date(groups: dict[str, str], written: str, start: int, end: int) -> Expression | None:
    if "relative" in groups:
        relative = re.sub(r"^on ", "", groups["relative"].lower())
        return Expression(Kind.DATE, written, start, end, parts=(relative,))
    year, month_name, day = groups.get("year"), groups.get("month"), groups.get("day")
    month = MONTH_NUMBER[month_name.rstrip(".").lower()] if month_name else None
    if month_name and not day and not year and month_name in ("May", "March") and written == month_name:
        return None  # "may" and "march" are verbs too often; alone they are no date
    if day is not None and not 1 <= int(day) <= 31:
        return None
    return Expression(
        Kind.DATE, written, start, end, parts=(int(year) if year else None, month, int(day) if day else None)
    )


def _ordinal_value(written: str) -> float | None:
    digits = re.match(r"\d+", written)
    if digits:
        return float(digits.group(0))
    names = ORDINALS.split("|")
    return float((names.index(written.lower()) + 1) if names.index(written.lower()) < 12 else 0) or None


def _singular(unit: str) -> str:
    return {"centuries": "century"}.get(unit, unit.rstrip("s"))
