"""Running jobs through the one code path every runner uses (`run_job`), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from claims import schema
from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory
from claims.errors import JobNotRetryable, PermissionDenied
from claims.export.full import export_lines, import_file
from claims.ingest.readers import ArticleDraft
from claims.jobs import bulk_import, matching_index, rescoring
from claims.jobs.records import retry, submit
from claims.jobs.running import WORKER_DIED, recover_stale, run_job
from claims.matching.embeddings import CLAIM, SEARCHABLE_CLAIM, text_hash
from claims.matching.factchecks import import_fact_checks
from claims.matching.index import Hit
from claims.matching.suggestions import keep_strong_matches
from claims.models import (
    Article,
    AuditEvent,
    Claim,
    Embedding,
    Job,
    JobState,
    Role,
    SuggestedMatch,
    User,
    utcnow,
)
from claims.replay import verify_database
from claims.services.articles import import_article
from tests.conftest import SAMPLE_ARTICLE, THRESHOLD
from tests.databases import empty_database
from tests.helpers import event_count, row_count
from tests.jobs.conftest import job_row
from tests.jobs.kinds import COUNTING, CRASHING, REFUSING

STALE_SECONDS = 60
ARTICLES = [
    {"text": "The minister said unemployment fell by 3 percent last year.", "publisher": "Wire"},
    {"text": "Officials claimed the bridge cost 40 million dollars to build.", "title": "Bridge"},
    {"text": "A text with a bad date.", "published": "yesterday"},
]


def run(sessions: sessionmaker[Session], job_id: int) -> Job:
    run_job(sessions, job_id, STALE_SECONDS)
    return job_row(sessions, job_id)


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return row_count(session, model)


def test_a_bulk_import_job_imports_each_article_and_reports_the_one_it_refused(
    sessions: sessionmaker[Session], desk_admin: User, submitted: Callable[..., int]
) -> None:
    job_id = submitted(bulk_import.KIND, {"articles": ARTICLES}, desk_admin)

    job = run(sessions, job_id)

    assert job.state == JobState.SUCCEEDED
    assert (job.done, job.total, job.attempts) == (2, 2, 1)
    assert len(job.result["imported"]) == 2
    [refused] = job.result["refused"]
    assert refused["origin"] == "article 3"
    assert "YYYY-MM-DD" in refused["reason"]
    assert count(sessions, Article) == 2


def test_running_a_job_twice_changes_nothing_the_second_time(
    sessions: sessionmaker[Session], desk_admin: User, submitted: Callable[..., int]
) -> None:
    first = run(sessions, submitted(bulk_import.KIND, {"articles": ARTICLES[:2]}, desk_admin))
    with sessions() as session:
        events = event_count(session)

    run_job(sessions, first.id, STALE_SECONDS)  # the same job delivered again: already finished
    again = run(sessions, submitted(bulk_import.KIND, {"articles": ARTICLES[:2]}, desk_admin))

    assert job_row(sessions, first.id).attempts == 1
    assert again.result == {"imported": [], "repeated": first.result["imported"], "refused": []}
    assert count(sessions, Article) == 2
    with sessions() as session:
        assert event_count(session) == events


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        (REFUSING, "feed.jsonl: line 3 is not JSON"),
        (CRASHING, "stopped by an unexpected error (RuntimeError); it has been logged"),
    ],
)
def test_a_failed_job_shows_its_error_in_words_and_can_be_retried(
    sessions: sessionmaker[Session], desk_admin: User, submitted: Callable[..., int], kind: str, error: str
) -> None:
    job = run(sessions, submitted(kind, {}, desk_admin))
    assert (job.state, job.error) == (JobState.FAILED, error)

    with sessions() as session:
        retried = retry(session, session.get_one(User, desk_admin.id), job.id)
        session.commit()
    assert (retried.state, retried.error, retried.attempts) == (JobState.QUEUED, None, 0)
    assert run(sessions, job.id).state == JobState.FAILED


def test_only_a_failed_job_can_be_retried(
    sessions: sessionmaker[Session], desk_admin: User, submitted: Callable[..., int]
) -> None:
    job_id = submitted(COUNTING, {"steps": 1, "pause": 0}, desk_admin)
    run(sessions, job_id)
    with sessions() as session, pytest.raises(JobNotRetryable, match="succeeded"):
        retry(session, session.get_one(User, desk_admin.id), job_id)


def _as_if_worker_died(sessions: sessionmaker[Session], job_id: int, attempts: int) -> None:
    long_ago = utcnow() - timedelta(seconds=STALE_SECONDS + 1)
    with sessions() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(state=JobState.RUNNING, attempts=attempts, heartbeat_at=long_ago)
        )
        session.commit()


def test_a_job_whose_worker_died_is_queued_again_once_and_then_failed(
    sessions: sessionmaker[Session], desk_admin: User, submitted: Callable[..., int]
) -> None:
    job_id = submitted(COUNTING, {"steps": 1, "pause": 0}, desk_admin)
    _as_if_worker_died(sessions, job_id, attempts=1)

    assert recover_stale(sessions, STALE_SECONDS) == [job_id]
    assert job_row(sessions, job_id).state == JobState.QUEUED

    _as_if_worker_died(sessions, job_id, attempts=2)
    assert recover_stale(sessions, STALE_SECONDS) == []
    job = job_row(sessions, job_id)
    assert (job.state, job.error) == (JobState.FAILED, WORKER_DIED)


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(
    sessions: sessionmaker[Session], desk_admin: User, submitted: Callable[..., int]
) -> None:
    job_id = submitted(COUNTING, {"steps": 1, "pause": 0}, desk_admin)
    with sessions() as session:
        session.execute(update(Job).values(state=JobState.RUNNING, attempts=1, heartbeat_at=utcnow()))
        session.commit()
    assert recover_stale(sessions, STALE_SECONDS) == []
    assert job_row(sessions, job_id).state == JobState.RUNNING


def _import_with_rules(sessions: sessionmaker[Session], user: User) -> None:
    """The sample article scored by the rule scorer, so the shipped model scores it differently."""
    with sessions() as session:
        draft = ArticleDraft(text=SAMPLE_ARTICLE.read_text(encoding="utf-8"), publisher="Sample Wire")
        import_article(session, session.get_one(User, user.id), draft, RuleScorer(), THRESHOLD)
        session.commit()


def test_rescoring_audits_each_changed_claim_and_the_run_and_a_second_run_changes_nothing(
    sessions: sessionmaker[Session], desk_admin: User, submitted: Callable[..., int]
) -> None:
    _import_with_rules(sessions, desk_admin)

    job = run(sessions, submitted(rescoring.KIND, {}, desk_admin))

    assert job.state == JobState.SUCCEEDED, job.error
    assert 0 < job.result["changed"] <= job.result["claims"]
    with sessions() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
        assert actions.count("claim.rescored") == job.result["changed"]
        assert actions.count("claims.rescored") == 1
        assert verify_database(session).ok
        events = event_count(session)

    again = run(sessions, submitted(rescoring.KIND, {}, desk_admin))
    assert again.result["changed"] == 0
    with sessions() as session:
        assert event_count(session) == events


def test_only_an_admin_may_rescore_every_claim(
    sessions: sessionmaker[Session], make_committed_user: Callable[[Role], User]
) -> None:
    reviewer = make_committed_user(Role.REVIEWER)
    with sessions() as session, pytest.raises(PermissionDenied):
        submit(session, rescoring.KIND, {}, session.get_one(User, reviewer.id))


def test_the_matching_index_job_embeds_what_is_missing_or_of_an_earlier_encoder_and_then_nothing(
    sessions: sessionmaker[Session], desk_admin: User, submitted: Callable[..., int]
) -> None:
    _import_with_rules(sessions, desk_admin)  # imported without matching: nothing embedded yet
    with sessions() as session:
        searchable = session.scalar(select(func.count()).select_from(Claim).where(SEARCHABLE_CLAIM))

    first = run(sessions, submitted(matching_index.KIND, {}, desk_admin))
    with sessions() as session:
        session.execute(update(Embedding).values(model="an earlier encoder"))
        session.commit()
    after_a_new_model = run(sessions, submitted(matching_index.KIND, {}, desk_admin))

    assert searchable and first.result == after_a_new_model.result == {"embedded": searchable}
    assert count(sessions, Embedding) == searchable
    assert run(sessions, submitted(matching_index.KIND, {}, desk_admin)).result == {"embedded": 0}


def test_the_matching_index_job_keeps_a_fact_checks_embedding_of_its_claim_and_redoes_one_of_another_text(
    sessions: sessionmaker[Session], desk_admin: User, submitted: Callable[..., int]
) -> None:
    review = {
        "@type": "ClaimReview",
        "url": "https://factcheck.example.org/bridge",
        "claimReviewed": "The bridge cost 40 million dollars.",
        "headline": "Did the New Bridge Cost 40 Million Dollars?",
    }
    with sessions() as session:
        import_fact_checks(session, None, json.dumps(review))
        session.commit()
    # Made from the claim it reviewed alone, headline or not: an upgraded desk re-embeds nothing.
    kept = run(sessions, submitted(matching_index.KIND, {}, desk_admin))
    with sessions() as session:
        other_text = f"{review['claimReviewed']} {review['headline']}"
        session.execute(update(Embedding).values(text_hash=text_hash(other_text)))
        session.commit()

    redone = run(sessions, submitted(matching_index.KIND, {}, desk_admin))

    assert (kept.result, redone.result) == ({"embedded": 0}, {"embedded": 1})
    assert run(sessions, submitted(matching_index.KIND, {}, desk_admin)).result == {"embedded": 0}


def test_a_bulk_import_matches_its_articles_claims_once_at_its_end(
    sessions: sessionmaker[Session], desk_admin: User, submitted: Callable[..., int]
) -> None:
    repeated = "The minister said unemployment fell by 3 percent last year."
    articles = [{"text": f"{repeated} Hello."}, {"text": f"Reports differ. {repeated}"}]

    job = run(sessions, submitted(bulk_import.KIND, {"articles": articles}, desk_admin))

    with sessions() as session:
        repeats = session.scalars(select(Claim.id).where(Claim.sentence == repeated)).all()
        suggested = session.execute(select(SuggestedMatch.claim_id, SuggestedMatch.target_id)).all()
        embedded = set(session.scalars(select(Embedding.entity_id)))
    assert job.state == JobState.SUCCEEDED and set(repeats) <= embedded
    assert sorted(suggested) == sorted([(repeats[0], repeats[1]), (repeats[1], repeats[0])])


def test_two_jobs_keeping_the_same_match_at_once_both_land_and_the_higher_score_stays(
    sessions: sessionmaker[Session], desk_admin: User
) -> None:
    _import_with_rules(sessions, desk_admin)
    with sessions() as session:
        first, second = session.scalars(select(Claim.id).order_by(Claim.id).limit(2)).all()
    weaker, stronger = [(first, Hit(CLAIM, second, score)) for score in (0.8, 0.9)]

    with sessions() as holding:
        keep_strong_matches(holding, [weaker])  # inserted, not yet committed
        racing = ThreadPoolExecutor(1).submit(_keep_and_commit, sessions, stronger)
        time.sleep(0.3)  # the other job reaches the same row and waits on it
        holding.commit()
    racing.result(timeout=30)

    with sessions() as session:
        kept = session.execute(
            select(SuggestedMatch.claim_id, SuggestedMatch.score).order_by(SuggestedMatch.claim_id)
        )
    assert kept.all() == [(first, pytest.approx(0.9)), (second, pytest.approx(0.9))]  # told both ways


def _keep_and_commit(sessions: sessionmaker[Session], match: tuple[int, Hit]) -> None:
    with sessions() as session:
        keep_strong_matches(session, [match])
        session.commit()


def test_a_rescored_desk_exports_and_imports_whole(
    sessions: sessionmaker[Session], desk_admin: User, submitted: Callable[..., int], tmp_path: Path
) -> None:
    _import_with_rules(sessions, desk_admin)
    run(sessions, submitted(rescoring.KIND, {}, desk_admin))
    with sessions() as session:
        exported = "".join(export_lines(session))

    with empty_database("sqlite", tmp_path) as url:
        schema.upgrade(url)
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            counts = import_file(session, io.StringIO(exported))
            session.commit()
            assert verify_database(session).ok
        engine.dispose()
    assert counts["claims"] > 0
