"""Snapshots, URL imports and the periodic recheck as jobs run by the app's own thread (no Redis), on
both databases: the form answers before the page is fetched, each refusal is kept in words, and only
one recheck job is queued or running at a time however many runners look."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from claims.checkworthiness.rules import RuleScorer
from claims.ingest.readers import ArticleDraft
from claims.jobs.runners import ThreadRunner
from claims.jobs.snapshots import RECHECK, SNAPSHOT, queue_recheck_if_due
from claims.models import Article, Claim, Evidence, EvidenceSnapshot, Finding, Job, JobState, User
from claims.services.articles import import_article
from claims.services.evidence import add_evidence
from tests.conftest import THRESHOLD
from tests.helpers import row_count
from tests.jobs.conftest import finished, job_row, wait_for
from tests.pageserver import ARTICLE, Page, PageServer
from tests.web.conftest import csrf_token


@pytest.fixture
def snapshots_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_SNAPSHOTS", "on")
    monkeypatch.setenv("CLAIMTRACK_FETCH_ALLOW", "127.0.0.1")


@pytest.fixture
def claim_id(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        draft = ArticleDraft(text="The council spent 3 million on roads in 2024, its accounts say.")
        article = import_article(session, None, draft, RuleScorer(), THRESHOLD).article
        session.commit()
        return article.claims[0].id


def cite(session: Session, user: User, claim_id: int, url: str) -> Evidence:
    return add_evidence(session, session.get(User, user.id), claim_id, url=url, title="A", stance="supports")


def snapshot_job(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalars(select(Job.id).where(Job.kind == SNAPSHOT)).one()


def test_added_evidence_is_archived_by_the_apps_thread_after_the_form_has_answered(
    snapshots_on: None,
    admin_client: FlaskClient,
    sessions: sessionmaker[Session],
    claim_id: int,
    pages: PageServer,
) -> None:
    pages.pages["/slow"] = Page(body=ARTICLE.encode(), delay_per_chunk=0.02)  # about two seconds
    url = f"http://127.0.0.1:{pages.port}/slow"
    token = csrf_token(admin_client, f"/claims/{claim_id}")

    response = admin_client.post(
        f"/claims/{claim_id}/evidence",
        data={"url": url, "title": "City accounts", "stance": "supports", "csrf_token": token},
    )
    while_fetching = admin_client.get(f"/claims/{claim_id}").get_data(as_text=True)

    assert response.status_code == 302
    assert "archiving…" in while_fetching and "data-archiving" in while_fetching
    job = wait_for(sessions, snapshot_job(sessions), finished)
    assert job.state == JobState.SUCCEEDED, job.error
    page = admin_client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "archived <time" in page and "view snapshot</a>" in page and "archiving…" not in page
    with sessions() as session:
        [snapshot] = session.scalars(select(EvidenceSnapshot)).all()
        assert (snapshot.http_status, snapshot.final_url) == (200, url)


def test_a_snapshot_job_run_twice_takes_one_snapshot(
    snapshots_on: None,
    sessions: sessionmaker[Session],
    submitted: Callable[..., int],
    desk_admin: User,
    claim_id: int,
    pages: PageServer,
) -> None:
    with sessions() as session:
        # Without a runner attached to the session, the job runs in this process after the commit.
        pages.html("/a", ARTICLE)
        evidence = cite(session, desk_admin, claim_id, f"http://127.0.0.1:{pages.port}/a")
        session.commit()
    first = job_row(sessions, snapshot_job(sessions))
    again = submitted(SNAPSHOT, {"evidence_id": evidence.id}, desk_admin)
    runner = ThreadRunner(sessions, stale_seconds=60)
    runner.enqueue(again)
    second = wait_for(sessions, again, finished)
    runner.stop()

    assert first.state == second.state == JobState.SUCCEEDED, (first.error, second.error)
    assert first.result["snapshot_id"] == second.result["snapshot_id"]
    assert len(pages.requests) == 1
    with sessions() as session:
        assert row_count(session, EvidenceSnapshot) == 1


def test_a_list_of_urls_is_fetched_and_imported_and_each_page_refused_says_why(
    snapshots_on: None,
    admin_client: FlaskClient,
    sessions: sessionmaker[Session],
    pages: PageServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLAIMTRACK_MAX_IMPORT_BYTES", "20000")
    base = f"http://127.0.0.1:{pages.port}"
    pages.html("/budget", ARTICLE)
    pages.pdf("/report.pdf", "The council spent 3 million on roads.")
    pages.html("/huge", ARTICLE * 20)
    pages.redirect("/short", "http://10.0.0.1/router")
    urls = [f"{base}/budget", f"{base}/missing", f"{base}/report.pdf", f"{base}/huge", f"{base}/short"]

    response = admin_client.post(
        "/articles/import/bulk",
        data={"urls": "\n".join(urls), "csrf_token": csrf_token(admin_client, "/articles/import/bulk")},
    )
    job = wait_for(sessions, int(response.headers["Location"].rsplit("/", 1)[1]), finished)

    assert job.state == JobState.SUCCEEDED, job.error
    assert (job.done, job.total) == (5, 5)
    assert {refused["origin"]: refused["reason"].split(": ", 1)[1] for refused in job.result["refused"]} == {
        f"{base}/missing": "the page answered HTTP 404",
        f"{base}/report.pdf": "the page is application/pdf, not an HTML page",
        f"{base}/huge": f"the page is {len(ARTICLE) * 20:,} bytes, over the import limit of 20,000",
        f"{base}/short": "refused to fetch '10.0.0.1': 10.0.0.1 is a private network address",
    }
    with sessions() as session:
        [article] = session.scalars(select(Article)).all()
        assert article.id in job.result["imported"]
        assert (article.title, article.url) == ("Budget report", f"{base}/budget")
        assert "The council spent 3 million on roads" in article.body


def test_the_thread_runner_queues_the_periodic_recheck_which_marks_a_changed_page(
    snapshots_on: None,
    sessions: sessionmaker[Session],
    desk_admin: User,
    claim_id: int,
    pages: PageServer,
) -> None:
    pages.html("/a", ARTICLE)
    with sessions() as session:
        cite(session, desk_admin, claim_id, f"http://127.0.0.1:{pages.port}/a")
        session.commit()
    pages.html("/a", ARTICLE.replace("spent 3 million", "spent 30 million"))

    runner = ThreadRunner(sessions, stale_seconds=60, recheck_every=timedelta(hours=24))
    runner.start()
    recheck = wait_for(sessions, recheck_job(sessions), finished)
    runner.stop()

    assert recheck.state == JobState.SUCCEEDED, recheck.error
    assert recheck.result == {"rechecked": 1, "findings": {"changed": 1}}
    assert (recheck.done, recheck.total, recheck.requested_by_id) == (1, 1, None)
    assert queue_recheck_if_due(sessions, timedelta(hours=24)) is None  # not due again for a day
    with sessions() as session:
        [evidence] = session.scalars(select(Evidence)).all()
        assert evidence.snapshots[-1].finding == Finding.CHANGED


def recheck_job(sessions: sessionmaker[Session]) -> int:
    for _ in range(600):
        with sessions() as session:
            job_id = session.scalar(select(Job.id).where(Job.kind == RECHECK))
        if job_id is not None:
            return job_id
        time.sleep(0.1)
    pytest.fail("no recheck job was queued")


def test_runners_looking_at_the_same_moment_queue_one_recheck_job(sessions: sessionmaker[Session]) -> None:
    start = threading.Barrier(4)
    queued: list[int | None] = []

    def look() -> None:
        start.wait()
        queued.append(queue_recheck_if_due(sessions, timedelta(0)))

    lookers = [threading.Thread(target=look) for _ in range(4)]
    for looker in lookers:
        looker.start()
    for looker in lookers:
        looker.join()

    assert len([job_id for job_id in queued if job_id is not None]) == 1
    with sessions() as session:
        [job] = session.scalars(select(Job).where(Job.kind == RECHECK)).all()
        job.state = JobState.SUCCEEDED
        session.commit()
    assert queue_recheck_if_due(sessions, timedelta(0)) is not None  # the last one finished: due again
    assert queue_recheck_if_due(sessions, timedelta(hours=1)) is None  # one was queued just now


def test_a_recheck_with_nothing_cited_succeeds_having_nothing_to_do(sessions: sessionmaker[Session]) -> None:
    job_id = queue_recheck_if_due(sessions, timedelta(hours=1))
    runner = ThreadRunner(sessions, stale_seconds=60)
    runner.enqueue(job_id)
    job = wait_for(sessions, job_id, finished)
    runner.stop()

    assert (job.state, job.result) == (JobState.SUCCEEDED, {"rechecked": 0, "findings": {}})
    with sessions() as session:
        assert row_count(session, Claim) == 0
