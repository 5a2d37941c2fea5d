"""Expressions turned into intervals: dates against the article's day, qualifiers into bounds.

A date becomes the days it may mean (both ends included) with its precision; a duration, quantity or
percentage becomes the values it allows ("almost six years" → (5.5, 6] years, "more than two hours" →
(2, ∞) hours); a ratio becomes its percentage. The reference day is the article's publication date, or
its import date when it has none — and the result says which.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta

from claims.facts.extract import Expression, Kind

UPCOMING = timedelta(days=31)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Interval:
    """From `low` to `high`; None is unbounded. Dates are always closed (whole days)."""

    low: float | date | None
    high: float | date | None
    low_open: bool = False
    high_open: bool = False

    def contains(self, value: float) -> bool:
        above = self.low is None or (value > self.low if self.low_open else value >= self.low)  # type: ignore[operator]
        below = self.high is None or (value < self.high if self.high_open else value <= self.high)  # type: ignore[operator]
        return above and below


@dataclass(frozen=True)
class Reference:
    """The day relative dates are read against, and where it comes from ("published" or "imported")."""

    day: date
    source: str


@dataclass(frozen=True)
class Resolved:
    expression: Expression
    interval: Interval | None
    precision: str | None  # day, week, month, year; "exact" or "bounds" for numbers


def resolve(expression: Expression, reference: Reference) -> Resolved:
    if expression.kind is Kind.DATE:
        interval, precision = _date_interval(expression, reference.day)
        return Resolved(expression, interval, precision)
    if expression.kind in (Kind.ORDINAL, Kind.SUPERLATIVE) or expression.value is None:
        return Resolved(expression, None, None)
    if len(expression.parts) == 2 and expression.kind in (Kind.QUANTITY, Kind.DURATION):
        low, high = expression.parts
        interval = Interval(float(low), float(high))  # type: ignore[arg-type]
    else:
        interval = qualified(expression.value, expression.qualifier)
    return Resolved(expression, interval, "exact" if interval.low == interval.high else "bounds")


def qualified(value: float, qualifier: str | None) -> Interval:
    """The values a qualifier allows: "almost N" is (N - slack, N], "about N" is [N - slack, N + slack]."""
    slack = max(0.5, 0.05 * value) if value >= 1 else value * 0.1
    match qualifier:
        case "almost" | "nearly" | "just under" | "close to":
            return Interval(value - slack, value, low_open=True)
        case "just over":
            return Interval(value, value + slack, low_open=True)
        case "more than" | "over" | "above" | "exceeding":
            return Interval(value, None, low_open=True)
        case "at least" | "no fewer than":
            return Interval(value, None)
        case "less than" | "fewer than" | "under" | "below":
            return Interval(0.0, value, high_open=True)
        case "at most" | "up to" | "no more than":
            return Interval(0.0, value)
        case "about" | "approximately" | "around" | "roughly" | "some" | "an estimated" | "estimated":
            return Interval(value - slack, value + slack)
        case _:
            return Interval(value, value)


def _date_interval(expression: Expression, today: date) -> tuple[Interval | None, str | None]:
    if len(expression.parts) == 1:
        return _relative(str(expression.parts[0]), today)
    year, month, day = expression.parts
    try:
        if day is not None and month is not None:
            year = year or _nearest_year(int(month), int(day), today)
            moment = date(int(year), int(month), int(day))
            return Interval(moment, moment), "day"
        if month is not None:
            year = year or (today.year if month <= today.month else today.year - 1)
            return _month(int(year), int(month)), "month"
        return Interval(date(int(year), 1, 1), date(int(year), 12, 31)), "year"  # type: ignore[arg-type]
    except ValueError:
        return None, None  # "February 30", or a year no calendar holds: read, not resolved


def _nearest_year(month: int, day: int, today: date) -> int:
    """A day without a year is the latest one no more than a month after the article's day: news
    reports the past and announces the near future ("March 8" in a December article is the past March,
    "January 3" in a 30 December article the coming one)."""
    for year in (today.year + 1, today.year, today.year - 1):
        try:
            if date(year, month, day) <= today + UPCOMING:
                return year
        except ValueError:
            continue
    return today.year


def _month(year: int, month: int) -> Interval:
    return Interval(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def _shift_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _relative(words: str, today: date) -> tuple[Interval | None, str | None]:
    """Relative words against `today`; "earlier this month" is the 1st to the day before."""
    one_day = timedelta(days=1)
    monday = today - timedelta(days=today.weekday())
    spans: dict[str, tuple[Interval, str]] = {
        "today": (Interval(today, today), "day"),
        "yesterday": (Interval(today - one_day, today - one_day), "day"),
        "tomorrow": (Interval(today + one_day, today + one_day), "day"),
        "this week": (Interval(monday, monday + timedelta(days=6)), "week"),
        "last week": (Interval(monday - timedelta(days=7), monday - one_day), "week"),
        "next week": (Interval(monday + timedelta(days=7), monday + timedelta(days=13)), "week"),
        "earlier this week": (Interval(monday, max(monday, today - one_day)), "day"),
        "later this week": (
            Interval(min(today + one_day, monday + timedelta(days=6)), monday + timedelta(days=6)),
            "day",
        ),
        "this month": (_month(today.year, today.month), "month"),
        "last month": (_month(*_shift_month(today, -1)), "month"),
        "next month": (_month(*_shift_month(today, 1)), "month"),
        "earlier this month": (
            Interval(today.replace(day=1), max(today.replace(day=1), today - one_day)),
            "day",
        ),
        "later this month": (Interval(today + one_day, _month(today.year, today.month).high), "day"),  # type: ignore[arg-type]
        "this year": (Interval(date(today.year, 1, 1), date(today.year, 12, 31)), "year"),
        "last year": (Interval(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)), "year"),
        "next year": (Interval(date(today.year + 1, 1, 1), date(today.year + 1, 12, 31)), "year"),
        "earlier this year": (
            Interval(date(today.year, 1, 1), max(date(today.year, 1, 1), today - one_day)),
            "day",
        ),
        "later this year": (Interval(today + one_day, date(today.year, 12, 31)), "day"),
    }
    if words in spans:
        return spans[words]
    qualifier, _, weekday = words.rpartition(" ")
    if weekday in WEEKDAYS:
        return _weekday(qualifier, WEEKDAYS.index(weekday), today), "day"
    return None, None


def _weekday(qualifier: str, weekday: int, today: date) -> Interval:
    """ "Monday" in news is the nearest past Monday (or today); "next Monday" the coming one."""
    back = (today.weekday() - weekday) % 7
    if qualifier == "next":
        day = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    elif qualifier == "last":
        day = today - timedelta(days=back or 7)
    else:
        day = today - timedelta(days=back)
    return Interval(day, day)


def years_between(earlier: date, later: date) -> float:
    """Elapsed years as a reviewer counts them (365.25 days a year), to one more decimal than shown."""
    return (later - earlier).days / 365.25


def finite(value: float | date | None) -> float | str | None:
    """A bound as JSON: a number, an ISO day, or None for unbounded (never inf/NaN)."""
    if isinstance(value, date):
        return value.isoformat()
    if value is None or not math.isfinite(value):
        return None
    return round(value, 4)
