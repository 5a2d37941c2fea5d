"""schema.org ClaimReview for published claims: what search engines and fact-check aggregators read.

The same object is served by the export command, the JSON endpoint and embedded as JSON-LD in each
published claim's public page, so the three can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from claims.config import Settings
from claims.desk import DeskSettings
from claims.models import Appearance, Claim, SourceType, Status
from claims.services.articles import UNNAMED_PUBLICATION
from claims.verdicts import BEST_RATING, WORST_RATING, rating_named

# Claimants whose name says they are an organisation rather than a person.
ORGANISATION_WORDS = re.compile(
    r"\b(news|office|agency|ministry|department|party|government|council|times|post|press|wire|"
    r"reuters|associated|bbc|cnn|committee|commission|bank|university|institute|company|inc|ltd|"
    r"publication|network|channel|radio|tv|foundation|union|association)\b",
    re.I,
)
BATCH = 500


@dataclass(frozen=True)
class Publisher:
    """The fact-checking organisation and where its public pages live."""

    name: str
    url: str
    public_url: str

    def claim_url(self, claim_id: int) -> str:
        return f"{self.public_url}/fact-checks/{claim_id}"


def publisher_from(settings: Settings | DeskSettings) -> Publisher:
    return Publisher(settings.organisation_name, settings.organisation_url, settings.public_url)


def claimant_type(claimant: str, publisher: str | None) -> str:
    if publisher and claimant == publisher:
        return "Organization"
    return "Organization" if ORGANISATION_WORDS.search(claimant) else "Person"


def rating(verdict: str) -> dict[str, Any]:
    scale = rating_named(verdict)
    result: dict[str, Any] = {"@type": "Rating", "alternateName": scale.name}
    if scale.value is not None:
        result.update(ratingValue=scale.value, bestRating=BEST_RATING, worstRating=WORST_RATING)
    return result


def known(name: str | None) -> str | None:
    """A name worth printing: the import's stand-in for an unknown publisher says nothing to a reader."""
    return name if name and name != UNNAMED_PUBLICATION else None


def appearance(claim: Claim, item: Appearance) -> dict[str, Any]:
    source, article = item.source, claim.article
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if source.type == SourceType.ARTICLE and source.url == article.url:
        # The article the claim was imported from: the sentence quoted as it appears there.
        work.update(headline=article.title, text=claim.sentence)
        if known(article.publisher):
            work["publisher"] = {"@type": "Organization", "name": article.publisher}
    if known(source.name):
        work["name"] = source.name
    if source.url:
        work["url"] = source.url
    return work


def claim_review(claim: Claim, publisher: Publisher) -> dict[str, Any]:
    article = claim.article
    claim_date = (
        article.published_on.isoformat() if article.published_on else article.imported_at.date().isoformat()
    )
    item: dict[str, Any] = {"@type": "Claim", "datePublished": claim_date}
    if known(claim.claimant):
        item["author"] = {"@type": claimant_type(claim.claimant, article.publisher), "name": claim.claimant}
    appearances = [appearance(claim, a) for a in claim.appearances]
    if appearances:
        item["firstAppearance"] = appearances[0]
        item["appearance"] = appearances
    if claim.published_at is None or claim.verdict is None:
        raise ValueError(f"claim {claim.id} is not published: it has no ClaimReview")
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": publisher.claim_url(claim.id),
        "claimReviewed": claim.text,
        "datePublished": claim.published_at.date().isoformat(),
        "author": {"@type": "Organization", "name": publisher.name, "url": publisher.url},
        "reviewRating": rating(claim.verdict),
        "itemReviewed": item,
    }


def published_claims(session: Session, since: datetime | None = None) -> Iterator[Claim]:
    """Published claims oldest first, loaded in batches so memory stays flat on a large desk."""
    query = (
        select(Claim)
        .where(Claim.status == Status.PUBLISHED)
        .options(selectinload(Claim.article), selectinload(Claim.appearances).selectinload(Appearance.source))
        .order_by(Claim.published_at, Claim.id)
        .execution_options(yield_per=BATCH)
    )
    if since is not None:
        query = query.where(Claim.published_at >= since)
    with session.execute(query) as result:
        yield from result.scalars()


def claim_reviews(
    session: Session, publisher: Publisher, since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    for claim in published_claims(session, since):
        yield claim_review(claim, publisher)
