import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy.orm import Session

from claims import workflow
from claims.export.claimreview import Publisher, claim_reviews, claimant_type
from claims.models import Article, Claim, User
from claims.services.evidence import add_evidence

SCHEMA = json.loads((Path(__file__).parents[1] / "claimreview.schema.json").read_text())
WORDING = "Sanae Takaichi was elected Prime Minister with 237 of 465 votes in the lower house, October 2025."
PUBLISHER = Publisher("Sample Fact Desk", "https://factdesk.example.org/", "https://factdesk.example.org")


@pytest.fixture
def publish(session: Session, reviewer: User, editor: User) -> Callable[..., Claim]:
    def publish_claim(claim: Claim, verdict: str, wording: str | None = None) -> Claim:
        workflow.triage(session, reviewer, claim.id, checkworthy=True)
        add_evidence(
            session, reviewer, claim.id, url="https://example.org/record", title="Record", stance="supports"
        )
        workflow.propose_verdict(
            session, reviewer, claim.id, verdict, "Checked against the record.", claim_as_reviewed=wording
        )
        return workflow.approve(session, editor, claim.id)

    return publish_claim


def test_only_published_claims_are_exported_each_as_a_valid_claimreview(
    session: Session, reviewer: User, sample_article: Article, publish: Callable[..., Claim]
) -> None:
    votes = next(c for c in sample_article.claims if "465 votes" in c.sentence)
    quote = next(c for c in sample_article.claims if c.sentence.startswith("Important agreements"))
    publish(votes, "Mostly true", WORDING)
    publish(quote, "Misleading")
    workflow.triage(
        session, reviewer, sample_article.claims[0].id, checkworthy=True
    )  # in review: not exported

    reviews = list(claim_reviews(session, PUBLISHER))

    assert [r["claimReviewed"] for r in reviews] == [WORDING, quote.text]
    for review in reviews:
        jsonschema.validate(review, SCHEMA, format_checker=jsonschema.FormatChecker())
    first, second = reviews
    assert first["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly true",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert second["reviewRating"] == {"@type": "Rating", "alternateName": "Misleading"}
    assert first["url"] == f"https://factdesk.example.org/fact-checks/{votes.id}"
    assert first["itemReviewed"]["author"] == {"@type": "Organization", "name": "Sample Wire"}
    assert second["itemReviewed"]["author"] == {"@type": "Person", "name": "President Trump"}
    assert first["itemReviewed"]["firstAppearance"] == {
        "@type": "CreativeWork",
        "headline": "Trump in Japan",
        "text": votes.sentence,
        "publisher": {"@type": "Organization", "name": "Sample Wire"},
        "name": "Sample Wire",
        "url": "https://news.example.org/trump-japan",
    }


def test_since_leaves_out_earlier_publications(
    session: Session, sample_article: Article, publish: Callable[..., Claim]
) -> None:
    publish(sample_article.claims[1], "True")

    later = list(claim_reviews(session, PUBLISHER, since=datetime.now(UTC) + timedelta(minutes=1)))
    earlier = list(claim_reviews(session, PUBLISHER, since=datetime.now(UTC) - timedelta(days=1)))

    assert (len(later), len(earlier)) == (0, 1)


@pytest.mark.parametrize(
    ("claimant", "expected"),
    [
        ("President Trump", "Person"),
        ("Kyodo News", "Organization"),
        ("Japanese Prime Minister’s Office", "Organization"),
        ("Sample Wire", "Organization"),
    ],
)
def test_claimants_are_people_or_organisations(claimant: str, expected: str) -> None:
    assert claimant_type(claimant, publisher="Sample Wire") == expected
