"""The JSON API: tokens and sessions, reads with ETags, writes through the services, JSON errors."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claims import workflow
from claims.models import Article, Claim, Status, User
from claims.services.claims import assign
from claims.services.evidence import add_evidence
from claims.services.tokens import create_token, revoke_token
from tests.conftest import SAMPLE_ARTICLE
from tests.web.conftest import csrf_token


@pytest.fixture
def api(
    client: FlaskClient, reviewer: User, token_for: Callable[[User], dict[str, str]]
) -> Callable[..., Any]:
    headers = token_for(reviewer)

    def call(method: str, path: str, body: Any = None, **options: Any) -> Any:
        data = json.dumps(body) if body is not None and not isinstance(body, str | bytes) else body
        return client.open(
            f"/api/v1{path}",
            method=method,
            data=data,
            headers={**headers, **options.pop("headers", {})},
            content_type="application/json",
            **options,
        )

    return call


def unreviewed(article: Article) -> Claim:
    return next(claim for claim in article.claims if claim.status == Status.UNREVIEWED)


def test_requests_without_a_valid_token_get_a_json_401(
    client: FlaskClient, session: Session, reviewer: User
) -> None:
    record, token = create_token(session, reviewer, "old")
    revoke_token(session, reviewer, record.id)
    session.flush()

    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": f"Bearer {token}"}):
        response = client.get("/api/v1/claims", headers=headers)
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthenticated"


def test_listing_claims_pages_with_a_cursor_and_answers_304_to_a_matching_etag(
    api: Callable[..., Any], sample_article: Article
) -> None:
    first = api("GET", "/claims?limit=10&sort=score")
    second = api("GET", f"/claims?limit=10&sort=score&after={first.json['next']}")
    again = api("GET", "/claims?limit=10&sort=score", headers={"If-None-Match": first.headers["ETag"]})

    ids = [c["id"] for c in first.json["claims"] + second.json["claims"]]
    assert len(ids) == len(set(ids)) == 20
    assert again.status_code == 304
    assert {
        "id",
        "sentence",
        "text",
        "start",
        "end",
        "status",
        "score",
        "reasons",
        "claimant",
        "verdict",
        "version",
    } <= first.json["claims"][0].keys()


def test_reading_a_claim_its_history_and_an_article(api: Callable[..., Any], sample_article: Article) -> None:
    claim = sample_article.claims[0]

    detail = api("GET", f"/claims/{claim.id}").json
    history = api("GET", f"/claims/{claim.id}/history").json
    article = api("GET", f"/articles/{sample_article.id}").json
    articles = api("GET", "/articles").json

    assert detail["sources"][0]["name"] == "Sample Wire" and detail["evidence"] == []
    assert [e["action"] for e in history["events"]] == ["claim.created"]
    assert len(article["claims"]) == 27 and article["body"] == sample_article.body
    assert [a["id"] for a in articles["articles"]] == [sample_article.id]


def test_importing_an_article_then_the_same_text_again(api: Callable[..., Any]) -> None:
    body = {"text": SAMPLE_ARTICLE.read_text(), "title": "Trump in Japan", "published": "2025-10-27"}

    created = api("POST", "/articles", body)
    repeat = api("POST", "/articles", body)

    assert created.status_code == 201 and len(created.json["claims"]) == 27
    assert (
        repeat.status_code == 200 and repeat.json["id"] == created.json["id"] and not repeat.json["created"]
    )


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ("{not json", 400, "malformed_json", None),
        ("[1, 2]", 422, "validation_failed", None),
        ({"title": "no text"}, 422, "validation_failed", "text"),
        ({"text": "A sentence.", "url": "javascript:alert(1)"}, 422, "validation_failed", "url"),
        ({"text": "A sentence.", "colour": "red"}, 422, "validation_failed", "colour"),
        ({"text": " \t "}, 422, "validation_failed", "text"),
        ({"text": "A sentence.", "published": "yesterday"}, 422, "validation_failed", "published"),
    ],
)
def test_bad_article_bodies_get_json_errors(
    api: Callable[..., Any], body: Any, status: int, code: str, field: str | None
) -> None:
    response = api("POST", "/articles", body)

    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert response.json["error"].get("field") == field


def test_an_oversized_body_gets_a_json_413(app: Flask, api: Callable[..., Any]) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 100

    response = api("POST", "/articles", {"text": "x" * 500})

    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


def test_evidence_and_the_workflow_through_the_api(
    api: Callable[..., Any],
    sample_article: Article,
    client: FlaskClient,
    editor: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    claim = unreviewed(sample_article)

    triaged = api("POST", f"/claims/{claim.id}/transitions", {"action": "triage", "version": claim.version})
    bad_url = api(
        "POST", f"/claims/{claim.id}/evidence", {"url": "ftp://x", "title": "T", "stance": "supports"}
    )
    added = api(
        "POST",
        f"/claims/{claim.id}/evidence",
        {"url": "https://example.org/r", "title": "Record", "stance": "supports"},
    )
    stale = api(
        "POST",
        f"/claims/{claim.id}/transitions",
        {"action": "propose", "version": claim.version, "verdict": "True", "rationale": "Checked."},
    )
    proposed = api(
        "POST",
        f"/claims/{claim.id}/transitions",
        {"action": "propose", "version": triaged.json["version"], "verdict": "True", "rationale": "Checked."},
    )
    current = proposed.json["version"]
    not_allowed = api("POST", f"/claims/{claim.id}/transitions", {"action": "approve", "version": current})
    approved = client.post(
        f"/api/v1/claims/{claim.id}/transitions",
        data=json.dumps({"action": "approve", "version": current}),
        headers=token_for(editor),
        content_type="application/json",
    )
    illegal = api(
        "POST", f"/claims/{claim.id}/transitions", {"action": "triage", "version": approved.json["version"]}
    )

    assert triaged.status_code == 200 and triaged.json["status"] == "in_review"
    assert (bad_url.status_code, bad_url.json["error"]["field"]) == (422, "url")
    assert added.status_code == 201 and added.json["evidence"][0]["title"] == "Record"
    assert (stale.status_code, stale.json["error"]["code"]) == (409, "stale_version")
    assert proposed.json["status"] == "awaiting_approval"
    assert (not_allowed.status_code, not_allowed.json["error"]["code"]) == (403, "forbidden")
    assert approved.json["status"] == "published" and approved.json["verdict"] == "True"
    assert (illegal.status_code, illegal.json["error"]["code"]) == (409, "illegal_transition")


def test_a_signed_in_session_writes_only_with_its_csrf_header(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    claim = unreviewed(sample_article)
    body = json.dumps({"action": "triage", "version": claim.version})

    without = reviewer_client.post(
        f"/api/v1/claims/{claim.id}/transitions", data=body, content_type="application/json"
    )
    with_header = reviewer_client.post(
        f"/api/v1/claims/{claim.id}/transitions",
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": csrf_token(reviewer_client, "/")},
    )

    assert (without.status_code, without.json["error"]["code"]) == (400, "csrf_failed")
    assert with_header.status_code == 200


def test_unknown_api_paths_answer_in_json(api: Callable[..., Any]) -> None:
    response = api("GET", "/nothing-here")

    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_a_token_is_shown_once_and_can_be_revoked_from_the_account_page(
    reviewer_client: FlaskClient, client: FlaskClient
) -> None:
    page = reviewer_client.post(
        "/account/tokens",
        data={"name": "newsroom CMS", "csrf_token": csrf_token(reviewer_client, "/account/tokens")},
    ).get_data(as_text=True)
    token = page.split('<code id="new-token">')[1].split("</code>")[0]
    works = reviewer_client.get("/api/v1/claims", headers={"Authorization": f"Bearer {token}"})
    listing = reviewer_client.get("/account/tokens").get_data(as_text=True)
    revoke_url = listing.split('action="/account/tokens/')[1].split('"')[0]
    reviewer_client.post(
        f"/account/tokens/{revoke_url}", data={"csrf_token": csrf_token(reviewer_client, "/account/tokens")}
    )

    assert works.status_code == 200
    assert token not in listing
    assert client.get("/api/v1/claims", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_claims_list_can_show_only_my_assignments(
    api: Callable[..., Any], session: Session, reviewer: User, sample_article: Article
) -> None:
    mine = sample_article.claims[3]
    assign(session, reviewer, mine.id, reviewer.id)
    session.flush()

    listed = api("GET", "/claims?mine=true").json["claims"]

    assert [claim["id"] for claim in listed] == [mine.id]


def test_the_api_refuses_new_evidence_on_a_claim_awaiting_approval(
    api: Callable[..., Any], session: Session, reviewer: User, sample_article: Article
) -> None:
    claim = unreviewed(sample_article)
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    add_evidence(session, reviewer, claim.id, url="https://example.org/r", title="Record", stance="supports")
    workflow.propose_verdict(session, reviewer, claim.id, "True", "Checked.")
    session.flush()

    response = api(
        "POST",
        f"/claims/{claim.id}/evidence",
        {"url": "https://example.org/late", "title": "Late", "stance": "refutes"},
    )

    assert (response.status_code, response.json["error"]["code"]) == (409, "claim_frozen")
    assert "evidence and sources are frozen" in response.json["error"]["message"]
    assert "reopen" in response.json["error"]["message"]
    assert [item["title"] for item in api("GET", f"/claims/{claim.id}").json["evidence"]] == ["Record"]


@pytest.mark.parametrize(
    ("path", "body"),
    [("/transitions", {"action": "triage"}), ("/verdict", {"verdict": "True", "rationale": "Checked."})],
)
def test_a_claim_write_without_the_version_the_client_saw_is_refused_naming_the_field(
    api: Callable[..., Any], sample_article: Article, path: str, body: dict[str, str]
) -> None:
    claim = unreviewed(sample_article)

    response = api("PUT" if path == "/verdict" else "POST", f"/claims/{claim.id}{path}", body)

    assert (response.status_code, response.json["error"]["field"]) == (422, "version")
    assert api("GET", f"/claims/{claim.id}").json["status"] == "unreviewed"


def test_the_api_refuses_a_proposal_whose_claim_as_reviewed_leans_on_another_sentence(
    api: Callable[..., Any], session: Session, reviewer: User, sample_article: Article
) -> None:
    claim = next(c for c in sample_article.claims if c.sentence.startswith("She won"))
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    add_evidence(session, reviewer, claim.id, url="https://example.org/r", title="Record", stance="supports")
    session.commit()
    proposal = {"action": "propose", "version": claim.version, "verdict": "True", "rationale": "Checked."}

    refused = api("POST", f"/claims/{claim.id}/transitions", proposal)
    proposed = api(
        "POST",
        f"/claims/{claim.id}/transitions",
        {**proposal, "claim_as_reviewed": "Sanae Takaichi won 237 of 465 votes."},
    )

    assert (refused.status_code, refused.json["error"]["field"]) == (422, "claim_as_reviewed")
    assert "“She”" in refused.json["error"]["message"]
    assert proposed.status_code == 200 and proposed.json["status"] == "awaiting_approval"
    assert proposed.json["text"] == "Sanae Takaichi won 237 of 465 votes."
