"""The /api/v1 endpoints: thin adapters from JSON to `claims/` services and back."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from flask import Response, current_app, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api import ApiError, api_user, blueprint, json_body, parsed_json
from app.api.openapi import BULK_ARTICLES, NEW_ARTICLE, NEW_EVIDENCE, TRANSITION, VERDICT, openapi_document
from app.database import db_session
from app.desk import current_desk
from app.ids import int_arg
from claims import history, workflow
from claims.checkworthiness import default_scorer
from claims.errors import ImportRejected, NotFound
from claims.facts import claim_facts
from claims.ingest.readers import ArticleDraft, decode_text, parse_date
from claims.jobs import bulk_import
from claims.jobs.matching_index import match_after_commit
from claims.jobs.records import submit, visible_job
from claims.jobs.starting import commit_and_start
from claims.matching.factchecks import import_fact_checks
from claims.matching.search import MAX_QUERY_CHARS, MAX_TOP, similar_to_claim, similar_to_text
from claims.matching.suggestions import strongly_matched
from claims.models import Appearance, Article, Claim
from claims.permissions import Action, require
from claims.queue import SEARCH_MAX_CHARS, QueueFilters, Sort, queue_page
from claims.serialize import article_summary, claim_detail, claim_summary, event_summary, job_summary
from claims.services import claims as claim_services
from claims.services.articles import import_article
from claims.services.evidence import add_evidence
from claims.services.lookup import claim_write
from claims.validation import clean_text, whole_number
from claims.verdicts import DEFAULT_SCALE

MAX_PAGE = 200


def json_response(body: Any, status: int = 200) -> Response:
    """JSON with a strong ETag, answering 304 when the client already has this exact body."""
    data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    response = Response(data, status=status, mimetype="application/json")
    if request.method == "GET":
        response.set_etag(hashlib.sha256(data).hexdigest())
        response.make_conditional(request)
    return response


def choice_arg(name: str, allowed: list[str]) -> str | None:
    value = request.args.get(name)
    if value is not None and value not in allowed:
        raise ApiError(422, "validation_failed", f"{name} must be one of {', '.join(allowed)}", name)
    return value


def search_arg() -> str | None:
    text = (request.args.get("q") or "").strip()
    if len(text) > SEARCH_MAX_CHARS:
        raise ApiError(422, "validation_failed", f"q is longer than {SEARCH_MAX_CHARS} characters", "q")
    return text or None


def load_claim(claim_id: int) -> Claim:
    claim = db_session().get(
        Claim,
        claim_id,
        options=[
            selectinload(Claim.appearances).selectinload(Appearance.source),
            selectinload(Claim.evidence),
            selectinload(Claim.comments),
        ],
    )
    if claim is None:
        raise NotFound("claim", claim_id)
    return claim


@blueprint.get("/openapi.json")
def openapi() -> Response:
    return json_response(openapi_document())


@blueprint.get("/claims")
def list_claims() -> Response:
    filters = QueueFilters(
        status=choice_arg(
            "status", ["unreviewed", "not_checkworthy", "in_review", "awaiting_approval", "published"]
        ),
        verdict=choice_arg("verdict", [rating.name for rating in DEFAULT_SCALE]),
        assignee_id=api_user().id if choice_arg("mine", ["true", "false"]) == "true" else int_arg("assignee"),
        article_id=int_arg("article"),
        search=search_arg(),
        strong_match=choice_arg("match", ["strong"]) == "strong",
    )
    sort = Sort(choice_arg("sort", [s.value for s in Sort]) or Sort.SCORE)
    page = queue_page(
        db_session(),
        filters,
        sort,
        request.args.get("after") or None,
        limit=int_arg("limit", default=50, high=MAX_PAGE) or 50,
    )
    strong = strongly_matched(db_session(), [claim.id for claim in page.claims])
    return json_response(
        {
            "claims": [{**claim_summary(c), "strong_match": c.id in strong} for c in page.claims],
            "next": page.next_cursor,
        }
    )


@blueprint.get("/claims/<int:claim_id>")
def get_claim(claim_id: int) -> Response:
    return json_response(claim_detail(load_claim(claim_id)))


@blueprint.get("/claims/<int:claim_id>/similar")
def get_similar_claims(claim_id: int) -> Response:
    matches = similar_to_claim(db_session(), claim_id, top_arg())
    return json_response({"matches": [match.as_json() for match in matches]})


@blueprint.get("/similar")
def get_similar() -> Response:
    text = clean_text("q", request.args.get("q"), max_length=MAX_QUERY_CHARS)
    matches = similar_to_text(db_session(), text, top_arg())  # type: ignore[arg-type]
    return json_response({"matches": [match.as_json() for match in matches]})


@blueprint.post("/factchecks")
def import_factchecks() -> Response:
    """ClaimReview as published (object, list, DataFeed; JSON lines as application/x-ndjson)."""
    actor = api_user()
    require(actor, Action.IMPORT_FACT_CHECKS)  # before reading the body: a reviewer learns nothing from it
    limit = current_app.config["CLAIMTRACK_SETTINGS"].max_import_bytes
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise ApiError(413, "too_large", f"the body is over the import limit of {limit:,} bytes")
    if request.mimetype != "application/x-ndjson":
        parsed_json(raw)  # the same 400s as every other write: not JSON, nested too deeply, a lone surrogate
    text = decode_text(raw, "request body")
    if text.lstrip()[:1] not in ("{", "["):  # every ClaimReview shape (JSON lines too) opens so
        raise ApiError(
            422, "validation_failed", "the body must be a ClaimReview object, a list or a DataFeed"
        )
    session = db_session()
    skip_bad = choice_arg("skip_bad", ["true", "false"]) == "true"
    outcome = import_fact_checks(session, actor, text, skip_bad=skip_bad)
    session.commit()
    return json_response(
        {
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
            "skipped": [{"line": bad.line, "reason": bad.reason} for bad in outcome.skipped],
        }
    )


def top_arg() -> int:
    """`top` given empty is refused like any other non-number, not read as the default."""
    raw = request.args.get("top")
    return 5 if raw is None else whole_number("top", raw, high=MAX_TOP)


@blueprint.get("/claims/<int:claim_id>/facts")
def get_facts(claim_id: int) -> Response:
    return json_response(claim_facts(db_session(), claim_id).as_json())


@blueprint.get("/claims/<int:claim_id>/history")
def get_history(claim_id: int) -> Response:
    load_claim(claim_id)
    return json_response(
        {"events": [event_summary(e) for e in history.claim_timeline(db_session(), claim_id)]}
    )


@blueprint.get("/articles")
def list_articles() -> Response:
    limit = int_arg("limit", default=50, high=MAX_PAGE) or 50
    query = select(Article).order_by(Article.id.desc()).limit(limit + 1)
    after = int_arg("after")
    if after is not None:
        query = query.where(Article.id < after)
    rows = db_session().scalars(query).all()
    page = rows[:limit]
    return json_response(
        {
            "articles": [article_summary(a) for a in page],
            "next": str(page[-1].id) if len(rows) > limit else None,
        }
    )


@blueprint.get("/articles/<int:article_id>")
def get_article(article_id: int) -> Response:
    article = db_session().get(Article, article_id, options=[selectinload(Article.claims)])
    if article is None:
        raise NotFound("article", article_id)
    return json_response(
        {
            **article_summary(article),
            "body": article.body,
            "claims": [claim_summary(c) for c in article.claims],
        }
    )


def text_field(body: dict[str, Any], name: str) -> str | None:
    """A string field of a body already checked against its schema."""
    return body.get(name)


@blueprint.post("/articles")
def create_article() -> Response:
    body = json_body(NEW_ARTICLE)
    settings = current_app.config["CLAIMTRACK_SETTINGS"]
    text = text_field(body, "text") or ""
    if len(text.encode()) > settings.max_import_bytes:
        raise ApiError(
            413, "too_large", f"text is over the import limit of {settings.max_import_bytes:,} bytes"
        )
    published = text_field(body, "published")
    draft = ArticleDraft(
        text=text,
        title=text_field(body, "title"),
        url=text_field(body, "url"),
        publisher=text_field(body, "publisher"),
        author=text_field(body, "author"),
        language=text_field(body, "language"),
        published_on=_date(published) if published else None,
        origin="request body",
    )
    session = db_session()
    result = import_article(
        session,
        api_user(),
        draft,
        default_scorer(),
        current_desk().checkworthy_threshold,
        max_claims=settings.max_claims_per_article,
    )
    article = result.article
    if result.created:
        match_after_commit(session, api_user(), article.id)
    session.commit()
    return json_response(
        {
            **article_summary(article),
            "created": result.created,
            "claims": [claim_summary(c) for c in article.claims],
        },
        201 if result.created else 200,
    )


@blueprint.post("/articles/bulk")
def create_articles() -> Response:
    """Queue the articles as one bulk import job; each is refused or imported on its own when it runs."""
    settings = current_app.config["CLAIMTRACK_SETTINGS"]
    request.max_content_length = settings.max_import_bytes * bulk_import.MAX_UPLOAD_FACTOR
    refuse_too_many_urls()
    body = json_body(BULK_ARTICLES)
    session = db_session()
    params = {
        "articles": [bulk_import.article_param(article) for article in body.get("articles", [])],
        "urls": bulk_import.url_params(body.get("urls", [])),
    }
    job = submit(session, bulk_import.KIND, params, api_user())
    queued = commit_and_start(session, job)
    response = json_response(job_summary(job), 202 if queued else 503)
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return response


def refuse_too_many_urls() -> None:
    """Too many URLs is refused in a sentence (the schema's own refusal would quote the whole list)."""
    body = parsed_json(request.get_data(cache=True))
    if isinstance(body, dict) and isinstance(body.get("urls"), list):
        bulk_import.url_params([url for url in body["urls"] if isinstance(url, str)])


@blueprint.get("/jobs/<int:job_id>")
def get_job(job_id: int) -> Response:
    return json_response(job_summary(visible_job(db_session(), api_user(), job_id)))


def _date(value: str) -> date:
    try:
        return parse_date(value, "published")
    except ImportRejected as exc:
        raise ApiError(422, "validation_failed", exc.reason, "published") from None


@blueprint.post("/claims/<int:claim_id>/evidence")
def create_evidence(claim_id: int) -> Response:
    body = json_body(NEW_EVIDENCE)
    session = db_session()
    with claim_write(session, claim_id, None):
        evidence = add_evidence(
            session,
            api_user(),
            claim_id,
            url=text_field(body, "url") or "",
            title=text_field(body, "title") or "",
            stance=text_field(body, "stance") or "",
            publisher=text_field(body, "publisher"),
            excerpt=text_field(body, "excerpt"),
            note=text_field(body, "note"),
        )
        session.commit()
    return json_response(claim_detail(load_claim(evidence.claim_id)), 201)


@blueprint.post("/claims/<int:claim_id>/transitions")
def transition(claim_id: int) -> Response:
    """Move a claim through the workflow; `version` (required) is the version the client last saw."""
    body = json_body(TRANSITION)
    version = body["version"]
    session, actor = db_session(), api_user()
    with claim_write(session, claim_id, version):
        workflow.perform(
            session,
            actor,
            claim_id,
            text_field(body, "action") or "",
            expected_version=version,
            verdict=text_field(body, "verdict"),
            rationale=text_field(body, "rationale"),
            comment=text_field(body, "comment"),
            claim_as_reviewed=text_field(body, "claim_as_reviewed"),
            require_second_reviewer=current_desk().require_second_reviewer,
        )
        session.commit()
    return json_response(claim_detail(load_claim(claim_id)))


@blueprint.put("/claims/<int:claim_id>/verdict")
def put_verdict(claim_id: int) -> Response:
    """Draft or change the verdict of a claim in review."""
    body = json_body(VERDICT)
    session = db_session()
    with claim_write(session, claim_id, body["version"]):
        claim_services.set_verdict(
            session,
            api_user(),
            claim_id,
            text_field(body, "verdict"),
            text_field(body, "rationale"),
            expected_version=body["version"],
        )
        session.commit()
    return json_response(claim_detail(load_claim(claim_id)))
