"""In Chromium: a job's progress bar on /jobs moves while the job runs, without reloading the page."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from claims.db import make_engine, make_session_factory
from claims.jobs.records import submit
from claims.models import User
from tests.browser.test_review_flow import create_users, sign_in
from tests.jobs.kinds import COUNTING

STEPS = 8


@pytest.fixture(autouse=True)
def quick_job_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The app's job thread looks for queued work every quarter of this (before live_server starts)."""
    monkeypatch.setenv("CLAIMTRACK_JOB_STALE_SECONDS", "2")
    yield


def submit_counting_job(database_url: str, email: str) -> int:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            user = session.scalars(select(User).where(User.email == email)).one()
            job = submit(session, COUNTING, {"steps": STEPS, "pause": 0.4}, user)
            session.commit()
            return job.id
    finally:
        engine.dispose()


def test_a_jobs_progress_bar_fills_while_the_page_stays_open(
    browser: Any, live_server: str, empty_database_url: str, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    create_users(empty_database_url)
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server, "riley@example.org")
    job_id = submit_counting_job(empty_database_url, "riley@example.org")

    page.goto(f"{live_server}/jobs")
    page.evaluate("window.notReloaded = true")
    row = page.locator(f'tr.job[data-job-id="{job_id}"]')
    expect(row.locator(".job-state")).to_have_text("running", timeout=30_000)
    page.screenshot(path=str(screenshots / "jobs-running.png"), full_page=True)
    expect(row.locator(".job-state")).to_have_text("succeeded", timeout=30_000)

    bar = row.locator("progress.job-progress")
    assert bar.evaluate("bar => [bar.value, bar.max]") == [STEPS, STEPS]
    assert row.locator(".job-count").inner_text() == f"{STEPS} / {STEPS}"
    assert page.evaluate("window.notReloaded") is True
    context.close()
