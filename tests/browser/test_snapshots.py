"""In Chromium: add evidence, see "archiving…" then "archived", open the snapshot; change the page,
recheck, see the mark."""

from pathlib import Path
from typing import Any

import pytest

from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory
from claims.ingest.readers import ArticleDraft
from claims.services.articles import import_article
from claims.snapshots.archive import recheck_all
from tests.browser.test_review_flow import add_evidence, create_users, sign_in
from tests.conftest import SAMPLE_ARTICLE, THRESHOLD
from tests.pageserver import ARTICLE, Page, PageServer


def import_sample(database_url: str) -> None:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        draft = ArticleDraft(text=SAMPLE_ARTICLE.read_text(encoding="utf-8"), title="Trump in Japan")
        import_article(session, None, draft, RuleScorer(), THRESHOLD)
        session.commit()
    engine.dispose()


def recheck(database_url: str) -> None:
    engine = make_engine(database_url)
    recheck_all(make_session_factory(engine))
    engine.dispose()


def test_evidence_is_archived_its_snapshot_opens_and_a_changed_page_is_marked(
    browser: Any,
    live_server: str,
    empty_database_url: str,
    pages: PageServer,
    screenshots: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLAIMTRACK_SNAPSHOTS", "on")
    monkeypatch.setenv("CLAIMTRACK_FETCH_ALLOW", "127.0.0.1")
    create_users(empty_database_url)
    import_sample(empty_database_url)
    pages.pages["/accounts"] = Page(body=ARTICLE.encode(), delay_per_chunk=0.02)  # about two seconds
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    sign_in(page, live_server, "riley@example.org")
    page.goto(f"{live_server}/claims/1")
    add_evidence(page, f"http://127.0.0.1:{pages.port}/accounts", "City accounts", "supports", "3 million")
    archive_line = page.locator("ul.evidence p.archive")
    assert archive_line.inner_text() == "archiving…"  # the form answered while the app's job thread fetches
    page.screenshot(path=str(screenshots / "archiving-evidence.png"), full_page=True)
    # The page puts the archive line in place by itself once the snapshot job is done.
    page.locator("ul.evidence p.archive:not([data-archiving])").wait_for(timeout=60_000)
    assert archive_line.inner_text().startswith("archived ")
    page.screenshot(path=str(screenshots / "archived-evidence.png"), full_page=True)

    archive_line.get_by_role("link", name="view snapshot").click()
    page.get_by_role("heading", name="Archived page of City accounts").wait_for()
    assert "The council spent 3 million on roads" in page.locator("#snapshot-text").inner_text()
    assert page.locator("#download-raw").is_visible()
    page.screenshot(path=str(screenshots / "snapshot.png"), full_page=True)

    pages.html("/accounts", ARTICLE.replace("spent 3 million", "spent 30 million"))
    recheck(empty_database_url)
    page.goto(f"{live_server}/claims/1")
    mark = page.locator("ul.evidence p.mark")
    assert mark.inner_text().startswith("Main text changed since cited")
    mark.get_by_role("link", name="see the change").click()
    assert page.locator("#snapshot-diff del").first.inner_text() == "3"
    assert page.locator("#snapshot-diff ins").first.inner_text() == "30"
    page.screenshot(path=str(screenshots / "changed-page.png"), full_page=True)
