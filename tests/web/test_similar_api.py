"""GET /api/v1/similar and /api/v1/claims/<id>/similar: matches best first, bad input a JSON 422."""

import json
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claims.matching.factchecks import import_fact_checks
from claims.models import Article, User

MOON = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/moon-cheese",
    "claimReviewed": "The moon is made of green cheese, NASA admitted.",
    "author": {"name": "Example Checks"},
    "reviewRating": {"alternateName": "False"},
}


def test_similar_answers_the_fact_check_first_with_its_rating(
    client: FlaskClient, session: Session, reviewer: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    import_fact_checks(session, None, json.dumps(MOON))

    answer = client.get("/api/v1/similar?q=NASA+says+the+moon+is+cheese&top=3", headers=token_for(reviewer))

    [best, *_] = answer.json["matches"]
    assert answer.status_code == 200
    assert {k: best[k] for k in ("kind", "url", "rating")} == {
        "kind": "factcheck",
        "url": MOON["url"],
        "rating": "False",
    }
    assert 0.5 < best["score"] <= 1


def test_a_claims_similar_claims_leave_the_claim_itself_out_and_the_unrelated_ones(
    client: FlaskClient,
    make_article: Callable[..., Article],
    reviewer: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    repeated = "The mayor said unemployment in Springfield fell to 3.2 percent in 2023."
    [claim, _bridge] = make_article(
        f"{repeated} Officials opened a new bridge over the Mekong on Monday."
    ).claims
    [repeat] = make_article(repeated).claims

    answer = client.get(f"/api/v1/claims/{claim.id}/similar", headers=token_for(reviewer))

    ids = [m["id"] for m in answer.json["matches"] if m["kind"] == "claim"]
    assert answer.status_code == 200 and ids == [repeat.id]  # the bridge is under the similarity floor


def test_missing_or_bad_queries_get_a_json_422_and_unknown_claims_a_404(
    client: FlaskClient, reviewer: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    headers = token_for(reviewer)
    assert client.get("/api/v1/similar", headers=headers).status_code == 422
    assert client.get("/api/v1/similar?q=%20%20", headers=headers).json["error"]["field"] == "q"
    assert client.get("/api/v1/similar?q=x&top=0", headers=headers).json["error"]["field"] == "top"
    assert client.get("/api/v1/similar?q=x&top=51", headers=headers).status_code == 422
    assert client.get("/api/v1/similar?q=x&top=", headers=headers).json["error"]["field"] == "top"
    assert client.get("/api/v1/similar?q=" + "x" * 2001, headers=headers).status_code == 422
    assert client.get("/api/v1/claims/999999/similar", headers=headers).status_code == 404
