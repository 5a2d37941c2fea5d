"""In Chromium: a repeated claim on the claim page ("Already checked", "Similar claims on this desk"),
linking it as the same claim, and the queue's strong-match filter."""

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory
from claims.ingest.readers import ArticleDraft
from claims.jobs.matching_index import match_articles
from claims.matching.factchecks import import_fact_checks
from claims.models import Article
from claims.services.articles import import_article
from tests.browser.test_review_flow import create_users, sign_in
from tests.conftest import THRESHOLD

REPEATED = "The mayor said unemployment in Springfield fell to 3.2 percent in 2023."
REVIEW = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/springfield-jobs",
    "claimReviewed": "Unemployment in Springfield fell to 3.2 percent in 2023, the mayor claims.",
    "author": {"name": "Example Checks"},
    "reviewRating": {"alternateName": "Mostly true"},
    "datePublished": "2024-02-01",
}


def seed(database_url: str) -> tuple[int, int, int]:
    """A fact-check, then two articles repeating one sentence and a third unrelated: the three claim ids."""
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        import_fact_checks(session, None, json.dumps(REVIEW))
        ids = []
        for text in (f"{REPEATED} The weather was fine.", f"Reports differ. {REPEATED}"):
            article = import_article(session, None, ArticleDraft(text=text), RuleScorer(), THRESHOLD).article
            ids.append(next(c.id for c in article.claims if c.sentence == REPEATED))
        bridge = "Officials said the new bridge over the Mekong cost 40 million dollars."
        other = import_article(session, None, ArticleDraft(text=bridge), RuleScorer(), THRESHOLD).article
        ids.append(other.claims[0].id)
        session.commit()
        match_articles(session, list(session.scalars(select(Article.id))))  # as the CLI: after the commit
    engine.dispose()
    return ids[0], ids[1], ids[2]


def test_a_reviewer_sees_a_repeat_links_it_and_filters_the_queue_to_repeats(
    browser: Any, live_server: str, empty_database_url: str, screenshots: Path
) -> None:
    create_users(empty_database_url)
    claim, repeat, unrelated = seed(empty_database_url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "riley@example.org")

    page.goto(f"{live_server}/claims/{claim}")
    checked = page.locator("#already-checked li")
    similar = page.locator("#similar-claims li")
    assert checked.count() == 1 and similar.count() == 1
    assert "Example Checks" in checked.inner_text() and "Mostly true" in checked.inner_text()
    assert "likely the same claim" in checked.inner_text()
    assert checked.get_by_role("link").first.get_attribute("href") == REVIEW["url"]
    assert "unreviewed" in similar.inner_text().lower() and "strong match" in similar.inner_text()
    page.screenshot(path=str(screenshots / "claim-matches.png"), full_page=True)

    similar.get_by_role("button", name="Same claim").click()
    page.get_by_text("Marked as the same claim.").wait_for()
    assert f"/claims/{repeat}" in page.locator("#same-as").inner_html()
    page.goto(f"{live_server}/claims/{repeat}")
    assert "linked from that claim" in page.locator("#same-as").inner_text()

    page.goto(f"{live_server}/queue")
    page.get_by_label("Strong match only").check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**match=strong**")
    rows = page.locator("table.queue tbody tr")
    shown = rows.all_inner_texts()
    assert len(shown) == 2 and all("strong match" in row for row in shown)
    assert page.locator(f'a[href="/claims/{unrelated}"]').count() == 0
    page.screenshot(path=str(screenshots / "queue-strong-matches.png"), full_page=True)
    context.close()
