"""The /jobs pages, the bulk import form and the jobs API. Jobs are only recorded as enqueued here
(tests/web/conftest.py: RecordingRunner); tests/jobs/ run them."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.jobs import bulk_import, rescoring
from claims.jobs.records import QUEUE_UNREACHABLE, submit
from claims.jobs.runners import RedisRunner
from claims.models import Article, Job, JobState, Role, User
from tests.web.conftest import app_on, csrf_token, signed_in


def recorded_job(session: Session, user: User, **state: object) -> Job:
    job = submit(session, bulk_import.KIND, {"articles": []}, user)
    for name, value in state.items():
        setattr(job, name, value)
    session.flush()
    return job


def test_a_bulk_upload_queues_one_job_and_leads_to_its_page(
    reviewer_client: FlaskClient, session: Session, app: Flask
) -> None:
    files = [
        (io.BytesIO(b"The vote was 237 to 228 on Tuesday, officials said."), "vote.txt"),
        (io.BytesIO(b'{"text": "Exports rose 4 percent in May, the ministry said."}\n'), "feed.jsonl"),
    ]
    response = reviewer_client.post(
        "/articles/import/bulk",
        data={"uploads": files, "csrf_token": csrf_token(reviewer_client, "/articles/import/bulk")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )

    [job_id] = app.extensions["claimtrack_jobs"].enqueued
    job = session.get_one(Job, job_id)
    assert [file["name"] for file in job.params["files"]] == ["vote.txt", "feed.jsonl"]
    page = response.get_data(as_text=True)
    assert response.request.path == f"/jobs/{job_id}"
    assert "Importing 2 file(s) in the background." in page
    assert 'class="job-state">queued<' in page


def test_a_bulk_upload_without_files_says_what_is_missing(reviewer_client: FlaskClient, app: Flask) -> None:
    response = reviewer_client.post(
        "/articles/import/bulk",
        data={"csrf_token": csrf_token(reviewer_client, "/articles/import/bulk")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Choose one or more files to import, or list the addresses of pages." in response.get_data(
        as_text=True
    )
    assert app.extensions["claimtrack_jobs"].enqueued == []


def test_a_list_of_urls_queues_one_job_that_keeps_each_address_once(
    reviewer_client: FlaskClient, session: Session, app: Flask
) -> None:
    urls = "https://example.org/a\n\n  https://example.org/b \nhttps://example.org/a\n"
    response = reviewer_client.post(
        "/articles/import/bulk",
        data={"urls": urls, "csrf_token": csrf_token(reviewer_client, "/articles/import/bulk")},
        follow_redirects=True,
    )

    [job_id] = app.extensions["claimtrack_jobs"].enqueued
    assert session.get_one(Job, job_id).params["urls"] == ["https://example.org/a", "https://example.org/b"]
    assert "Importing 2 page(s) in the background." in response.get_data(as_text=True)


def test_a_list_of_too_many_urls_is_refused_in_a_sentence_and_queues_nothing(
    reviewer_client: FlaskClient,
    app: Flask,
    client: FlaskClient,
    token_for: Callable[[User], dict[str, str]],
    reviewer: User,
) -> None:
    urls = [f"https://example.org/{n}" for n in range(bulk_import.MAX_URLS + 1)]
    refusal = "One import fetches at most 500 addresses; this list has 501 (split it into several imports)."

    form = reviewer_client.post(
        "/articles/import/bulk",
        data={"urls": "\n".join(urls), "csrf_token": csrf_token(reviewer_client, "/articles/import/bulk")},
    )
    api = client.post("/api/v1/articles/bulk", json={"urls": urls}, headers=token_for(reviewer))

    assert form.status_code == 422 and refusal in form.get_data(as_text=True)
    assert api.status_code == 422 and api.get_json()["error"]["message"] == refusal
    assert app.extensions["claimtrack_jobs"].enqueued == []


def test_the_api_queues_a_list_of_urls(
    client: FlaskClient, session: Session, token_for: Callable[[User], dict[str, str]], reviewer: User
) -> None:
    response = client.post(
        "/api/v1/articles/bulk", json={"urls": ["https://example.org/a"]}, headers=token_for(reviewer)
    )

    assert response.status_code == 202
    assert session.get_one(Job, response.get_json()["id"]).params["urls"] == ["https://example.org/a"]


def test_a_job_is_seen_by_whoever_asked_for_it_and_by_admins_only(
    session: Session, make_user: Callable[..., User], sign_in: Callable[[User], FlaskClient], app: Flask
) -> None:
    owner, other, admin = make_user(Role.REVIEWER), make_user(Role.REVIEWER), make_user(Role.ADMIN)
    job = recorded_job(session, owner)

    seen = {}
    for user in (owner, other, admin):
        client = sign_in(user)
        seen[user.email] = (
            client.get(f"/jobs/{job.id}").status_code,
            f"/jobs/{job.id}" in client.get("/jobs").get_data(as_text=True),
            len(client.get(f"/jobs/progress?ids={job.id}").get_json()["jobs"]),
        )
        client.post("/sign-out", data={"csrf_token": csrf_token(client, "/jobs")})

    assert seen == {owner.email: (200, True, 1), other.email: (404, False, 0), admin.email: (200, True, 1)}


def test_progress_is_answered_as_json_for_the_page_to_poll(
    reviewer_client: FlaskClient, session: Session, reviewer: User
) -> None:
    job = recorded_job(session, reviewer, state=JobState.RUNNING, done=3, total=10, attempts=1)

    answer = reviewer_client.get(f"/jobs/progress?ids={job.id},{job.id + 1000}").get_json()

    [polled] = answer["jobs"]
    assert (polled["id"], polled["state"], polled["done"], polled["total"]) == (job.id, "running", 3, 10)
    assert reviewer_client.get("/jobs/progress?ids=1,²").status_code == 400


def test_a_failed_job_shows_its_error_in_words_and_a_retry_queues_it_again(
    reviewer_client: FlaskClient, session: Session, reviewer: User, app: Flask
) -> None:
    job = recorded_job(
        session, reviewer, state=JobState.FAILED, error="vote.txt: is not UTF-8 text", attempts=1
    )
    page = reviewer_client.get("/jobs").get_data(as_text=True)
    assert "vote.txt: is not UTF-8 text" in page
    assert f'action="/jobs/{job.id}/retry" class="job-retry"\n      >' in page  # the button is not hidden

    response = reviewer_client.post(
        f"/jobs/{job.id}/retry",
        data={"csrf_token": csrf_token(reviewer_client, "/jobs")},
        follow_redirects=True,
    )

    assert "Queued again." in response.get_data(as_text=True)
    session.refresh(job)
    assert (job.state, job.error) == (JobState.QUEUED, None)
    assert app.extensions["claimtrack_jobs"].enqueued == [job.id]


def test_a_retry_without_the_form_token_is_refused(
    reviewer_client: FlaskClient, session: Session, reviewer: User
) -> None:
    job = recorded_job(session, reviewer, state=JobState.FAILED, error="x", attempts=1)
    assert reviewer_client.post(f"/jobs/{job.id}/retry").status_code == 400
    session.refresh(job)
    assert job.state == JobState.FAILED


def test_an_admin_starts_a_rescore_of_every_claim_and_a_reviewer_may_not(
    session: Session, make_user: Callable[..., User], sign_in: Callable[[User], FlaskClient], app: Flask
) -> None:
    reviewer_client = sign_in(make_user(Role.REVIEWER))
    assert "Re-score every claim" not in reviewer_client.get("/jobs").get_data(as_text=True)
    refused = reviewer_client.post(
        "/jobs", data={"kind": rescoring.KIND, "csrf_token": csrf_token(reviewer_client, "/jobs")}
    )
    assert refused.status_code == 403
    reviewer_client.post("/sign-out", data={"csrf_token": csrf_token(reviewer_client, "/jobs")})

    admin_client = sign_in(make_user(Role.ADMIN))
    started = admin_client.post(
        "/jobs", data={"kind": rescoring.KIND, "csrf_token": csrf_token(admin_client, "/jobs")}
    )

    [job_id] = app.extensions["claimtrack_jobs"].enqueued
    assert started.headers["Location"] == f"/jobs/{job_id}"
    assert session.get_one(Job, job_id).kind == rescoring.KIND


def test_the_api_queues_a_bulk_import_and_answers_its_job(
    client: FlaskClient, token_for: Callable[[User], dict[str, str]], reviewer: User, editor: User
) -> None:
    articles = [
        {"text": "Exports rose 4 percent in May."},
        {"text": "Rents fell.", "published": "2026-11-02"},
    ]
    response = client.post("/api/v1/articles/bulk", json={"articles": articles}, headers=token_for(reviewer))

    assert response.status_code == 202
    job = response.get_json()
    assert (job["kind"], job["state"], job["done"]) == ("bulk_import", "queued", 0)
    assert response.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    assert client.get(response.headers["Location"], headers=token_for(reviewer)).get_json()["id"] == job["id"]
    assert client.get(response.headers["Location"], headers=token_for(editor)).status_code == 404


def test_the_api_refuses_an_empty_bulk_import(
    client: FlaskClient, token_for: Callable[[User], dict[str, str]], reviewer: User
) -> None:
    response = client.post("/api/v1/articles/bulk", json={"articles": []}, headers=token_for(reviewer))
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "articles"


@pytest.fixture
def client_without_redis(connection: Any) -> FlaskClient:
    """A client of an app whose job queue is on a Redis nobody answers at."""
    return app_on(connection, RedisRunner("redis://127.0.0.1:1/0", "nowhere")).test_client()


def test_a_job_submitted_while_redis_is_unreachable_is_answered_503_and_failed_in_words(
    client_without_redis: FlaskClient,
    session: Session,
    token_for: Callable[[User], dict[str, str]],
    reviewer: User,
) -> None:
    response = client_without_redis.post(
        "/api/v1/articles/bulk", json={"articles": [{"text": "Rents fell."}]}, headers=token_for(reviewer)
    )

    assert response.status_code == 503
    answered = response.get_json()
    assert (answered["state"], answered["error"]) == ("failed", QUEUE_UNREACHABLE)
    job = session.get_one(Job, answered["id"])
    session.refresh(job)
    assert (job.state, job.error) == (JobState.FAILED, QUEUE_UNREACHABLE)


def test_a_retry_while_redis_is_unreachable_shows_the_job_failed_in_words_not_queued_again(
    client_without_redis: FlaskClient, session: Session, reviewer: User
) -> None:
    job = recorded_job(session, reviewer, state=JobState.FAILED, error="x", attempts=1)
    client = signed_in(client_without_redis, reviewer)

    response = client.post(
        f"/jobs/{job.id}/retry", data={"csrf_token": csrf_token(client, "/jobs")}, follow_redirects=True
    )

    page = response.get_data(as_text=True)
    assert "Queued again." not in page and QUEUE_UNREACHABLE in page
    assert 'class="job-state">failed<' in page
    session.refresh(job)
    assert (job.state, job.error) == (JobState.FAILED, QUEUE_UNREACHABLE)


def test_an_article_imported_while_redis_is_unreachable_is_kept_and_its_matching_job_failed_in_words(
    client_without_redis: FlaskClient, session: Session, reviewer: User
) -> None:
    client = signed_in(client_without_redis, reviewer)
    token = csrf_token(client, "/articles/import")

    response = client.post(
        "/articles/import", data={"text": "Rents fell 4 percent in May.", "csrf_token": token}
    )

    assert response.status_code == 302
    assert session.scalars(select(Article.id)).all() != []
    [job] = session.scalars(select(Job)).all()
    session.refresh(job)
    assert (job.kind, job.state, job.error) == ("match_claims", JobState.FAILED, QUEUE_UNREACHABLE)
