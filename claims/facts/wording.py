"""Values and intervals as a reviewer reads them: "27 October 2025", "1–26 October 2025", "(5.5, 6] years"."""

from __future__ import annotations

import calendar
from datetime import date

from claims.facts.resolve import Interval

TIME_PLURALS = {
    **{unit: f"{unit}s" for unit in ("year", "month", "week", "day", "hour", "minute", "second", "decade")},
    "century": "centuries",
}


def number_words(value: float | int | str | None) -> str:
    """237.0 → "237", 5.5 → "5.5", 2e9 → "2,000,000,000"."""
    if value is None:
        return "?"
    number = float(value)
    return (
        f"{number:,.0f}"
        if number.is_integer()
        else f"{number:,.4g}"
        if abs(number) < 1e6
        else f"{number:,.2f}"
    )


def day_words(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def interval_words(interval: Interval, unit: str | None) -> str:
    if isinstance(interval.low, date) and isinstance(interval.high, date):
        return _days(interval.low, interval.high)
    if interval.low == interval.high:
        return f"{number_words(interval.low)}{_unit(unit)}"
    low = "−∞" if interval.low is None else number_words(interval.low)
    high = "∞" if interval.high is None else number_words(interval.high)
    opening = "(" if interval.low_open or interval.low is None else "["
    closing = ")" if interval.high_open or interval.high is None else "]"
    return f"{opening}{low}, {high}{closing}{_unit(unit)}"


def _unit(unit: str | None) -> str:
    """Durations are kept in the singular ("year"); every other unit as written."""
    if unit is None:
        return ""
    return f" {TIME_PLURALS.get(unit, unit)}"


def _days(low: date, high: date) -> str:
    month_name = calendar.month_name
    if low == high:
        return day_words(low)
    if (low.month, low.day, high.month, high.day) == (1, 1, 12, 31) and low.year == high.year:
        return str(low.year)
    whole_month = low.day == 1 and high.day == calendar.monthrange(high.year, high.month)[1]
    if whole_month and (low.year, low.month) == (high.year, high.month):
        return f"{month_name[low.month]} {low.year}"
    if (low.year, low.month) == (high.year, high.month):
        return f"{low.day}–{high.day} {month_name[low.month]} {low.year}"
    if low.year == high.year:
        return f"{low.day} {month_name[low.month]} – {high.day} {month_name[high.month]} {low.year}"
    return f"{day_words(low)} – {day_words(high)}"
