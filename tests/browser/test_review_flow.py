"""The whole review flow in Chromium: import, highlight, evidence, proposal, approval, history."""

from pathlib import Path
from typing import Any

from claims.db import make_engine, make_session_factory
from claims.services.users import create_user
from tests.conftest import SAMPLE_ARTICLE, TEST_PASSWORD

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
    context = browser.new_context(viewport={"width": 1280, "height": 900})
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
    page.get_by_text("Imported: 27 sentences, 22 check-worthy.").wait_for()
    assert page.locator("#article-body a.claim-span").count() == 27
    page.screenshot(path=str(screenshots / "article-page.png"), full_page=True)

    page.locator("#article-body a.claim-span", has_text=VOTES_SENTENCE).click()
    page.get_by_role("button", name="Check-worthy: start review").click()
    page.get_by_text("Done: triage.").wait_for()
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
    proposal.get_by_role("button", name="Propose verdict").click()
    page.get_by_text("Verdict proposed for approval.").wait_for()
    claim_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "eden@example.org")
    page.goto(claim_url)
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("Done: approve.").wait_for()

    heading = page.get_by_role("heading", level=1)
    assert "published" in heading.inner_text() and "Mostly true" in heading.inner_text()
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
