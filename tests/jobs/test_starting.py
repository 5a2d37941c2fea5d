"""Starting a job once the data it works on committed (claims.jobs.starting), on SQLite and PostgreSQL
databases of their own: "committed" is what another connection can read."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from claims.jobs.records import QUEUE_UNREACHABLE, submit
from claims.jobs.runners import RedisRunner
from claims.jobs.running import run_job
from claims.jobs.starting import attach_runner, commit_and_start, start_after_commit
from claims.models import Job, JobState, User
from tests.jobs.conftest import job_row
from tests.jobs.kinds import COUNTING, REFUSING

QUICK = {"steps": 1, "pause": 0}


class CheckingRunner:
    """Records each job it is handed and whether another connection could read the job's row then."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.handed: list[tuple[int, bool]] = []

    def enqueue(self, job_id: int) -> None:
        with self.sessions() as other:
            self.handed.append((job_id, other.get(Job, job_id) is not None))


class RunAtOnceRunner:
    """Runs each job as soon as it is handed one, as an idle worker would."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def enqueue(self, job_id: int) -> None:
        run_job(self.sessions, job_id, stale_seconds=60)


def unreachable_redis() -> RedisRunner:
    return RedisRunner("redis://127.0.0.1:1/0", "nowhere")


def test_a_job_goes_to_its_runner_once_committed_and_not_when_a_savepoint_is_released(
    sessions: sessionmaker[Session], desk_admin: User
) -> None:
    runner = CheckingRunner(sessions)
    with sessions() as session:
        attach_runner(session.info, runner)
        job = submit(session, COUNTING, QUICK, session.get_one(User, desk_admin.id))
        start_after_commit(session, job)
        with session.begin_nested():
            pass
        handed_before_commit = list(runner.handed)
        session.commit()

    assert handed_before_commit == []
    assert runner.handed == [(job.id, True)]


def test_a_rolled_back_job_starts_nothing_and_a_rolled_back_savepoint_forgets_no_job_before_it(
    sessions: sessionmaker[Session], desk_admin: User
) -> None:
    runner = CheckingRunner(sessions)
    with sessions() as session:
        attach_runner(session.info, runner)
        start_after_commit(session, submit(session, COUNTING, QUICK, session.get_one(User, desk_admin.id)))
        session.rollback()
        kept = submit(session, COUNTING, QUICK, session.get_one(User, desk_admin.id))
        start_after_commit(session, kept)
        session.begin_nested().rollback()
        session.commit()

    assert runner.handed == [(kept.id, True)]


def test_a_job_no_runner_could_be_told_about_is_failed_in_words_however_it_was_started(
    sessions: sessionmaker[Session], desk_admin: User
) -> None:
    with sessions() as session:
        attach_runner(session.info, unreachable_redis())
        by_the_web = submit(session, COUNTING, QUICK, session.get_one(User, desk_admin.id))
        queued = commit_and_start(session, by_the_web)
        seen_by_the_request = (by_the_web.state, by_the_web.error)
        by_a_service = submit(session, COUNTING, QUICK, session.get_one(User, desk_admin.id))
        start_after_commit(session, by_a_service)
        session.commit()

    assert not queued and seen_by_the_request == (JobState.FAILED, QUEUE_UNREACHABLE)
    for job in (by_the_web, by_a_service):
        stored = job_row(sessions, job.id)
        assert (stored.state, stored.error) == (JobState.FAILED, QUEUE_UNREACHABLE)


def test_a_job_its_runner_took_counts_as_queued_even_when_it_failed_at_once(
    sessions: sessionmaker[Session], desk_admin: User
) -> None:
    with sessions() as session:
        attach_runner(session.info, RunAtOnceRunner(sessions))
        job = submit(session, REFUSING, {}, session.get_one(User, desk_admin.id))
        queued = commit_and_start(session, job)

    stored = job_row(sessions, job.id)
    assert queued and stored.state == JobState.FAILED
    assert stored.error is not None and "line 3 is not JSON" in stored.error
