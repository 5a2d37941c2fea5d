"""POST /api/v1/factchecks (admins bring in ClaimReview) and the strong-match filter of GET /api/v1/claims."""

import json
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.models import Article, FactCheck, User

REVIEW = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/springfield-jobs",
    "claimReviewed": "Unemployment in Springfield fell to 3.2 percent in 2023, the mayor claims.",
    "author": {"name": "Example Checks"},
    "reviewRating": {"alternateName": "Mostly true"},
}
OTHER = {**REVIEW, "url": "https://factcheck.example.org/moon", "claimReviewed": "The moon is cheese."}
REPEATED = "The mayor said unemployment in Springfield fell to 3.2 percent in 2023."


def fact_checks(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(FactCheck))


def test_an_admin_imports_a_data_feed_and_importing_again_updates(
    client: FlaskClient, session: Session, admin: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    feed = {"@type": "DataFeed", "dataFeedElement": [REVIEW, OTHER]}

    first = client.post("/api/v1/factchecks", json=feed, headers=token_for(admin))
    again = client.post("/api/v1/factchecks", json={**REVIEW, "headline": "Jobs"}, headers=token_for(admin))

    assert first.status_code == 200 and first.json == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": [],
    }
    assert again.json["updated"] == 1 and fact_checks(session) == 2


def test_a_bad_json_line_is_refused_with_its_line_and_nothing_is_written_unless_skipped(
    client: FlaskClient, session: Session, admin: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    lines = "\n".join([json.dumps(REVIEW), json.dumps({**OTHER, "url": "ftp://x"}), "{not json"])
    headers = {**token_for(admin), "Content-Type": "application/x-ndjson"}

    refused = client.post("/api/v1/factchecks", data=lines, headers=headers)
    written_after_refusal = fact_checks(session)
    skipped = client.post("/api/v1/factchecks?skip_bad=true", data=lines, headers=headers)

    assert refused.status_code == 422 and refused.json["error"]["code"] == "bad_record"
    assert refused.json["error"]["message"].startswith("line 2:") and written_after_refusal == 0
    assert skipped.json["created"] == 1 and [bad["line"] for bad in skipped.json["skipped"]] == [2, 3]


def test_only_admins_import_and_odd_bodies_get_a_clear_error(
    client: FlaskClient,
    session: Session,
    admin: User,
    editor: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    forbidden = client.post("/api/v1/factchecks", json=REVIEW, headers=token_for(editor))
    lines = {**token_for(admin), "Content-Type": "application/x-ndjson"}
    not_utf8 = client.post("/api/v1/factchecks", data=b"\xff\xfe{}", headers=lines)
    as_json = {**token_for(admin), "Content-Type": "application/json"}
    deep = client.post("/api/v1/factchecks", data="[" * 5000 + "]" * 5000, headers=as_json)
    nul = client.post(
        "/api/v1/factchecks", json={**REVIEW, "claimReviewed": "a\x00b"}, headers=token_for(admin)
    )
    text = client.post("/api/v1/factchecks", json="just a string", headers=token_for(admin))

    assert (forbidden.status_code, not_utf8.status_code, deep.status_code) == (403, 422, 400)
    assert "not UTF-8" in not_utf8.json["error"]["message"]
    assert "nested too deeply" in deep.json["error"]["message"]
    assert nul.status_code == 422 and "line 1" in nul.json["error"]["message"]
    assert text.status_code == 422 and "ClaimReview object" in text.json["error"]["message"]
    assert fact_checks(session) == 0


def test_the_claims_list_filters_and_marks_claims_with_a_strong_match(
    client: FlaskClient,
    session: Session,
    make_article: Callable[..., Article],
    admin: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    article = make_article(f"{REPEATED} Officials opened a new bridge over the Mekong on Monday.")
    client.post("/api/v1/factchecks", json=REVIEW, headers=token_for(admin))
    repeated, bridge = article.claims

    everything = client.get(f"/api/v1/claims?article={article.id}", headers=token_for(admin)).json["claims"]
    strong = client.get(f"/api/v1/claims?article={article.id}&match=strong", headers=token_for(admin)).json

    assert {c["id"]: c["strong_match"] for c in everything} == {repeated.id: True, bridge.id: False}
    assert [c["id"] for c in strong["claims"]] == [repeated.id]
    assert client.get("/api/v1/claims?match=weak", headers=token_for(admin)).status_code == 422
