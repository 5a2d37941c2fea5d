import json
from collections.abc import Callable

import extruct
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claims import workflow
from claims.export.claimreview import claim_reviews, publisher_from
from claims.models import Article, Claim, User
from claims.services.claims import edit_claim
from claims.services.evidence import add_evidence


def publish(session: Session, reviewer: User, editor: User, claim: Claim) -> Claim:
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    add_evidence(
        session,
        reviewer,
        claim.id,
        url="https://www.shugiin.go.jp/",
        title="Vote record",
        stance="supports",
        excerpt="237 of 465",
    )
    workflow.propose_verdict(session, reviewer, claim.id, "Mostly true", "The record shows 237 of 465 votes.")
    workflow.approve(session, editor, claim.id)
    session.flush()
    return claim


def test_a_published_claims_public_page_embeds_the_same_claimreview_as_the_export(
    app: Flask, client: FlaskClient, session: Session, reviewer: User, editor: User, sample_article: Article
) -> None:
    claim = publish(
        session, reviewer, editor, next(c for c in sample_article.claims if "465 votes" in c.sentence)
    )

    response = client.get(f"/fact-checks/{claim.id}")

    assert response.status_code == 200  # no sign-in needed
    page = response.get_data(as_text=True)
    assert "Our verdict: <strong>Mostly true</strong>" in page and "Vote record" in page
    [embedded] = extruct.extract(page, syntaxes=["json-ld"], uniform=True)["json-ld"]
    [exported] = claim_reviews(session, publisher_from(app.config["CLAIMTRACK_SETTINGS"]))
    assert embedded == exported


def test_unpublished_claims_have_no_public_page(client: FlaskClient, sample_article: Article) -> None:
    assert client.get(f"/fact-checks/{sample_article.claims[0].id}").status_code == 404


def test_the_claimreview_feed_lists_published_claims_without_sign_in(
    client: FlaskClient, session: Session, reviewer: User, editor: User, sample_article: Article
) -> None:
    claim = publish(session, reviewer, editor, sample_article.claims[1])

    response = client.get("/api/v1/claimreview.json")

    reviews = json.loads(response.get_data(as_text=True))
    assert response.mimetype == "application/json"
    assert [review["claimReviewed"] for review in reviews] == [claim.text]


def test_a_claim_text_cannot_break_out_of_the_embedded_json(
    client: FlaskClient, session: Session, reviewer: User, editor: User, sample_article: Article
) -> None:
    claim = sample_article.claims[1]
    claim.text = "</script><script>alert(1)</script>"
    session.flush()
    publish(session, reviewer, editor, claim)

    page = client.get(f"/fact-checks/{claim.id}").get_data(as_text=True)

    assert "<script>alert(1)</script>" not in page
    [embedded] = extruct.extract(page, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert embedded["claimReviewed"] == "</script><script>alert(1)</script>"


def test_the_public_page_is_headed_by_the_claim_as_reviewed_and_quotes_the_sentence_in_its_article(
    client: FlaskClient, session: Session, reviewer: User, editor: User, sample_article: Article
) -> None:
    claim = next(c for c in sample_article.claims if "465 votes" in c.sentence)
    edit_claim(
        session,
        reviewer,
        claim.id,
        expected_version=claim.version,
        text="Sanae Takaichi was elected Prime Minister with 237 of 465 votes in the lower house.",
    )
    publish(session, reviewer, editor, claim)

    page = client.get(f"/fact-checks/{claim.id}").get_data(as_text=True)

    assert "<h1>Sanae Takaichi was elected Prime Minister with 237 of 465 votes" in page
    assert f"<blockquote>{claim.sentence}</blockquote>" in page
    assert (
        '<a href="https://news.example.org/trump-japan" rel="noopener noreferrer">Trump in Japan</a>' in page
    )
    [review] = extruct.extract(page, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert review["claimReviewed"] == claim.text
    assert review["itemReviewed"]["appearance"][0] == {
        "@type": "CreativeWork",
        "headline": "Trump in Japan",
        "text": claim.sentence,
        "publisher": {"@type": "Organization", "name": "Sample Wire"},
        "name": "Sample Wire",
        "url": "https://news.example.org/trump-japan",
    }


def test_an_unknown_publisher_is_left_unsaid_rather_than_called_the_publication(
    client: FlaskClient, session: Session, reviewer: User, editor: User, make_article: Callable[..., Article]
) -> None:
    article = make_article(text="The city budget rose by 40 percent in 2024.", title="Budget")
    claim = publish(session, reviewer, editor, article.claims[0])

    page = client.get(f"/fact-checks/{claim.id}").get_data(as_text=True)

    assert "the publication" not in page
    [review] = extruct.extract(page, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert "author" not in review["itemReviewed"]
    assert review["itemReviewed"]["appearance"] == [
        {"@type": "CreativeWork", "headline": "Budget", "text": claim.sentence}
    ]
