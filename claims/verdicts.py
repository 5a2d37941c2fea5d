"""The rating scale: ClaimReview-compatible, numeric where a rating has a place on the scale."""

from __future__ import annotations

from dataclasses import dataclass

from claims.errors import ValidationFailed


@dataclass(frozen=True)
class Rating:
    name: str
    value: int | None  # None: a rating outside the numeric scale (Misleading, Unverifiable)


DEFAULT_SCALE = (
    Rating("True", 5),
    Rating("Mostly true", 4),
    Rating("Half true", 3),
    Rating("Mostly false", 2),
    Rating("False", 1),
    Rating("Misleading", None),
    Rating("Unverifiable", None),
)
BEST_RATING = max(rating.value for rating in DEFAULT_SCALE if rating.value is not None)
WORST_RATING = min(rating.value for rating in DEFAULT_SCALE if rating.value is not None)


def rating_named(name: str, scale: tuple[Rating, ...] = DEFAULT_SCALE) -> Rating:
    for rating in scale:
        if rating.name == name:
            return rating
    raise ValidationFailed("verdict", f"must be one of {', '.join(r.name for r in scale)}, got {name!r}")
