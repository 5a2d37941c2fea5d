"""In Chromium: the whole review flow (import, highlight, evidence, proposal, approval, history), and two
people editing one claim at once."""

import re
from pathlib import Path
from typing import Any

from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory
from claims.ingest.readers import ArticleDraft
from claims.services.articles import import_article
from claims.services.users import create_user
from tests.conftest import SAMPLE_ARTICLE, TEST_PASSWORD, THRESHOLD

VOTES_SENTENCE = "securing 237 out of 465 votes"


def create_users(database_url: str) -> None:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        create_user(
            session,
            None,
            email="riley@example.org",
            role="reviewer",
            password=TEST_PASSWORD,
            display_name="Riley Reviewer",
        )
        create_user(
            session,
            None,
            email="eden@example.org",
            role="editor",
            password=TEST_PASSWORD,
            display_name="Eden Editor",
        )
        session.commit()
    engine.dispose()


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def add_evidence(page: Any, url: str, title: str, stance: str, excerpt: str) -> None:
    form = page.locator("#add-evidence")
    form.get_by_label("URL").fill(url)
    form.get_by_label("Title").fill(title)
    form.get_by_label("Quoted excerpt").fill(excerpt)
    form.get_by_label("Stance").select_option(stance)
    form.get_by_role("button", name="Add evidence").click()
    page.get_by_text("Evidence added.").wait_for()


def test_a_reviewer_and_an_editor_take_a_claim_from_import_to_publication(
    browser: Any, live_server: str, empty_database_url: str, screenshots: Path
) -> None:
    create_users(empty_database_url)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()

    sign_in(page, live_server, "riley@example.org")
    page.get_by_role("link", name="Import an article").click()
    page.get_by_label("…or a .txt or .html file").set_input_files(str(SAMPLE_ARTICLE))
    page.get_by_label("Title").fill(
        "Trump arrives in Japan for his first meeting with Prime Minister Takaichi"
    )
    page.get_by_label("Publisher").fill("Sample Wire")
    page.get_by_label("Published").fill("2025-10-27")
    page.get_by_role("button", name="Import").click()
    page.get_by_text(re.compile(r"Imported: 27 sentences, \d+ check-worthy\.")).wait_for()
    assert page.locator("#article-body a.claim-span").count() == 27
    page.screenshot(path=str(screenshots / "article-page.png"), full_page=True)

    page.locator("#article-body a.claim-span", has_text=VOTES_SENTENCE).click()
    page.get_by_role("button", name="Check-worthy: start review").click()
    page.get_by_text("Marked check-worthy; the review has started.").wait_for()
    add_evidence(
        page,
        "https://www.shugiin.go.jp/",
        "House of Representatives vote record",
        "supports",
        "Takaichi 237 votes of 465",
    )
    add_evidence(
        page,
        "https://english.kyodonews.net/",
        "Kyodo: Takaichi elected prime minister",
        "supports",
        "won 237 votes in the lower house",
    )
    proposal = page.locator("#propose")
    proposal.get_by_label("Verdict").select_option("Mostly true")
    proposal.get_by_label("Rationale").fill(
        "The lower-house record shows 237 of 465 votes; the date is right."
    )
    proposal.get_by_role("button", name="Propose verdict").click()  # the wording still opens with "She"
    page.get_by_text("The claim as reviewed must stand alone before a verdict is proposed").wait_for()
    proposal.get_by_label("Claim as reviewed").fill(
        "Sanae Takaichi was elected Prime Minister with 237 of 465 votes in the lower house."
    )
    proposal.get_by_role("button", name="Propose verdict").click()
    page.get_by_text("Verdict proposed for approval.").wait_for()
    claim_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "eden@example.org")
    page.goto(claim_url)
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("Verdict approved and published.").wait_for()

    heading = page.get_by_role("heading", level=1)
    assert "Published" in heading.inner_text() and "Mostly true" in heading.inner_text()
    history = page.locator("#history").inner_text()
    for entry in (
        "created by import",
        "triaged as check-worthy",
        "added evidence",
        "proposed a verdict",
        "approved and published",
        "Riley Reviewer",
        "Eden Editor",
    ):
        assert entry in history
    page.screenshot(path=str(screenshots / "claim-page.png"), full_page=True)
    context.close()


def import_sample(database_url: str) -> int:
    """The sample article imported straight into the database; the id of its votes claim."""
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        draft = ArticleDraft(text=SAMPLE_ARTICLE.read_text(encoding="utf-8"), title="Trump in Japan")
        article = import_article(session, None, draft, RuleScorer(), THRESHOLD).article
        claim_id = next(claim.id for claim in article.claims if VOTES_SENTENCE in claim.sentence)
        session.commit()
    engine.dispose()
    return claim_id


def test_saving_again_after_a_conflict_keeps_the_change_the_other_person_made(
    browser: Any, live_server: str, empty_database_url: str, screenshots: Path
) -> None:
    create_users(empty_database_url)
    claim_url = f"{live_server}/claims/{import_sample(empty_database_url)}"
    a_context, b_context = browser.new_context(), browser.new_context()
    a, b = a_context.new_page(), b_context.new_page()
    sign_in(a, live_server, "riley@example.org")
    sign_in(b, live_server, "eden@example.org")
    a.goto(claim_url)
    b.goto(claim_url)  # B now holds a copy that A is about to make stale

    a.locator("#edit").get_by_label("Claim as reviewed").fill(
        "Sanae Takaichi won 237 of 465 lower-house votes."
    )
    a.locator("#edit").get_by_role("button", name="Save claim").click()
    a.get_by_text("Claim saved.").wait_for()
    b.locator("#edit").get_by_label("Claimant").fill("Kyodo News")
    b.locator("#edit").get_by_role("button", name="Save claim").click()
    b.get_by_text("was changed by someone else").wait_for()
    b.screenshot(path=str(screenshots / "conflict.png"), full_page=True)
    b.locator("#edit").get_by_role("button", name="Save claim").click()
    b.get_by_text("Claim saved.").wait_for()

    facts = b.locator("dl.facts").first.inner_text()
    assert "Sanae Takaichi won 237 of 465 lower-house votes." in facts
    assert "Kyodo News" in facts
    a_context.close()
    b_context.close()
