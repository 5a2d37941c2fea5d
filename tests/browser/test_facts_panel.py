"""In Chromium: the article page flags the claims a hint joins; the claim page's "Numbers and dates" panel
shows the expressions, their resolved values and the hint, whose link leads to the other claim."""

from datetime import date
from pathlib import Path
from typing import Any

from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory
from claims.ingest.readers import ArticleDraft
from claims.services.articles import import_article
from tests.browser.test_review_flow import create_users, sign_in
from tests.conftest import SAMPLE_ARTICLE, THRESHOLD


def import_dated_sample(database_url: str) -> int:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        draft = ArticleDraft(
            text=SAMPLE_ARTICLE.read_text(encoding="utf-8"),
            title="Trump in Japan",
            published_on=date(2025, 10, 27),
        )
        article_id = import_article(session, None, draft, RuleScorer(), THRESHOLD).article.id
        session.commit()
    engine.dispose()
    return article_id


def test_a_reviewer_follows_the_six_years_hint_from_the_article_to_the_2019_visit(
    browser: Any, live_server: str, empty_database_url: str, screenshots: Path
) -> None:
    create_users(empty_database_url)
    article_id = import_dated_sample(empty_database_url)
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server, "riley@example.org")

    page.goto(f"{live_server}/articles/{article_id}")
    flagged = page.locator("#article-body a.has-fact-hint")
    assert flagged.count() == 3
    flagged.filter(has_text="almost six years").click()

    panel = page.locator("#numbers-and-dates")
    panel.get_by_role("heading", name="Numbers and dates").wait_for()
    assert panel.locator("mark.kind-duration", has_text="almost six years").is_visible()
    assert "(5.5, 6] years" in panel.inner_text() and "3 days" in panel.inner_text()
    hint = panel.locator(".fact-hint").first.inner_text()
    assert "between 5.8 and 6.8 years" in hint and "27 October – 31 December 2019" in hint
    page.screenshot(path=str(screenshots / "numbers-and-dates.png"), full_page=True)

    panel.locator(".fact-hint a").first.click()
    assert "last visited Japan in 2019" in page.locator(".claim-as-reviewed").inner_text()
    assert page.locator("#numbers-and-dates mark.kind-date", has_text="2019").is_visible()
    context.close()
