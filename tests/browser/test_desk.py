"""In Chromium: the desk at reading speed — bulk triage, word search, the claim as reviewed made public."""

import json
from pathlib import Path
from typing import Any

import extruct
from playwright.sync_api import expect

from tests.browser.test_review_flow import add_evidence, create_users, import_sample, sign_in


def test_a_reviewer_marks_five_claims_check_worthy_in_one_action(
    browser: Any, live_server: str, empty_database_url: str, screenshots: Path
) -> None:
    create_users(empty_database_url)
    import_sample(empty_database_url)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "riley@example.org")

    page.goto(f"{live_server}/queue?status=unreviewed")
    boxes = page.locator('input[form="bulk-triage"]')
    unreviewed_before = boxes.count()
    for index in range(5):
        boxes.nth(index).check()
    page.screenshot(path=str(screenshots / "queue-bulk-triage.png"), full_page=True)
    page.get_by_role("button", name="Mark check-worthy", exact=True).click()

    page.get_by_text("Marked 5 claims check-worthy.").wait_for()
    expect(page.locator('input[form="bulk-triage"]')).to_have_count(unreviewed_before - 5)
    page.goto(f"{live_server}/queue?status=in_review")
    assert page.locator('input[form="bulk-triage"]').count() == 5
    context.close()


def test_search_finds_the_sentence_by_its_words_and_a_straight_apostrophe(
    browser: Any, live_server: str, empty_database_url: str
) -> None:
    create_users(empty_database_url)
    import_sample(empty_database_url)
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server, "riley@example.org")

    for query, expected in (
        ("237 votes", "She won the leadership of the ruling Liberal Democratic Party"),
        ("Takaichi's", "under Takaichi’s"),
    ):
        page.goto(f"{live_server}/queue")
        page.get_by_role("searchbox", name="Text").fill(query)
        page.get_by_role("button", name="Apply").click()
        rows = page.locator("table.queue tbody tr")
        expect(rows).to_have_count(1)  # waits for the filtered page; the old one has every row
        assert expected in rows.first.inner_text()
    context.close()


def test_the_claim_as_reviewed_heads_the_public_page_and_the_feed(
    browser: Any, live_server: str, empty_database_url: str, screenshots: Path
) -> None:
    create_users(empty_database_url)
    claim_url = f"{live_server}/claims/{import_sample(empty_database_url)}"
    wording = "Sanae Takaichi was elected Prime Minister with 237 of 465 votes in the lower house."
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "riley@example.org")
    page.goto(claim_url)
    assert page.locator("mark.pronoun", has_text="She").count() == 1

    page.locator("#edit").get_by_label("Claim as reviewed").fill(wording)
    page.locator("#edit").get_by_role("button", name="Save claim").click()
    page.get_by_text("Claim saved.").wait_for()
    assert page.locator("mark.pronoun").count() == 0
    page.get_by_role("button", name="Check-worthy: start review").click()
    page.get_by_text("Marked check-worthy; the review has started.").wait_for()
    page.wait_for_load_state("load")
    add_evidence(page, "https://www.shugiin.go.jp/", "Lower-house vote record", "supports", "237 of 465")
    proposal = page.locator("#propose")
    proposal.get_by_label("Verdict").select_option("True")
    proposal.get_by_label("Rationale").fill("The lower-house record shows 237 of 465 votes.")
    proposal.get_by_role("button", name="Propose verdict").click()
    page.get_by_text("Verdict proposed for approval.").wait_for()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "eden@example.org")
    page.goto(claim_url)
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("Verdict approved and published.").wait_for()

    page.goto(claim_url.replace("/claims/", "/fact-checks/"))
    assert page.get_by_role("heading", level=1).inner_text() == wording
    assert "securing 237 out of 465 votes" in page.locator("blockquote").first.inner_text()
    assert "the publication" not in page.content()
    [review] = extruct.extract(page.content(), syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert review["claimReviewed"] == wording
    page.screenshot(path=str(screenshots / "public-fact-check.png"), full_page=True)
    feed = json.loads(page.request.get(f"{live_server}/api/v1/claimreview.json").text())
    assert [item["claimReviewed"] for item in feed] == [wording]
    context.close()


def test_the_keyboard_steps_through_the_queue_the_reviewer_came_from(
    browser: Any, live_server: str, empty_database_url: str, screenshots: Path
) -> None:
    create_users(empty_database_url)
    import_sample(empty_database_url)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "riley@example.org")
    page.goto(f"{live_server}/queue?status=unreviewed&sort=newest")
    queue_links = page.locator("table.queue tbody td a[href^='/claims/']")
    in_order = [queue_links.nth(index).get_attribute("href").split("?")[0] for index in range(3)]

    queue_links.nth(1).click()
    page.get_by_text("Keys:").wait_for()
    page.wait_for_load_state("load")  # the shortcuts listen once claimtrack.js has run, not when text shows
    page.screenshot(path=str(screenshots / "claim-page-from-queue.png"), full_page=True)
    page.keyboard.press("j")
    page.wait_for_url(f"**{in_order[2]}?queue=*")
    page.keyboard.press("k")
    page.wait_for_url(f"**{in_order[1]}?queue=*")
    page.keyboard.press("k")
    page.wait_for_url(f"**{in_order[0]}?queue=*")
    page.locator("#edit").get_by_label("Claim as reviewed").press("j")  # typing is not a shortcut
    assert in_order[0] in page.url

    page.get_by_role("heading", level=1).click()  # out of the field
    page.keyboard.press("c")  # check-worthy, and the page stays in the queue
    page.get_by_text("Marked check-worthy; the review has started.").wait_for()
    assert "queue=" in page.url
    page.keyboard.press("j")
    page.wait_for_url(f"**{in_order[1]}?queue=*")
    context.close()


def test_the_queue_filters_take_at_most_two_rows_when_wide_and_fold_behind_one_button_on_a_phone(
    browser: Any, live_server: str, empty_database_url: str, screenshots: Path
) -> None:
    create_users(empty_database_url)
    import_sample(empty_database_url)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "riley@example.org")
    page.goto(f"{live_server}/queue")
    page.screenshot(path=str(screenshots / "queue-1440.png"), full_page=True)
    filters = page.locator("form.filters .filter")
    boxes = [filters.nth(index).bounding_box() for index in range(filters.count())]
    rows = {round(box["y"] + box["height"] / 2) for box in boxes}
    assert len(rows) <= 2  # at 1440 px: at most two rows, each filter's label beside its control
    assert all(box["height"] < 50 for box in boxes)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert not page.get_by_role("searchbox", name="Text").is_visible()
    page.screenshot(path=str(screenshots / "queue-390.png"), full_page=True)
    page.get_by_text("Filters and sort").click()
    page.get_by_role("searchbox", name="Text").fill("237 votes")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    context.close()
