"""Evidence snapshots on the pages: archived <time> · view snapshot, the stored text shown as text,
the raw file only as a download, and the marks a recheck leaves on the claim page, the queue and the feed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claims import workflow
from claims.models import Article, Claim, Status, User
from claims.snapshots.archive import recheck_evidence
from tests.pageserver import ARTICLE, LOCAL_POLICY, PageServer, resolve_test_names
from tests.web.test_claim_actions import post

HOSTILE = (
    "<html><body><article><h1>Council accounts</h1>"
    + "<p>The council spent 3 million on roads, the accounts say, in a report of the city.</p>" * 6
    + '<script>document.title="pwned"</script><img src=x onerror="alert(1)"></article></body></html>'
)


@pytest.fixture
def snapshots_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_SNAPSHOTS", "on")
    monkeypatch.setenv("CLAIMTRACK_FETCH_ALLOW", "127.0.0.1")


@pytest.fixture
def claim(session: Session, reviewer: User, sample_article: Article) -> Claim:
    claim = next(c for c in sample_article.claims if c.status == Status.UNREVIEWED)
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    session.commit()
    return claim


def add_cited_page(client: FlaskClient, claim: Claim, pages: PageServer, html: str) -> str:
    pages.html("/accounts", html)
    url = f"http://127.0.0.1:{pages.port}/accounts"
    response = post(client, claim, "/evidence", url=url, title="City accounts", stance="supports")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "archiving…" in client.get(f"/claims/{claim.id}").get_data(as_text=True)
    client.application.extensions["claimtrack_jobs"].run_enqueued(client.application)
    return client.get(f"/claims/{claim.id}").get_data(as_text=True)


def snapshot_link(page: str) -> str:
    start = page.index('href="/evidence/')
    return page[start + 6 : page.index('"', start + 6)]


def recheck_on(connection: Any, evidence_id: int) -> None:
    """What `claimtrack evidence recheck` does for one piece of evidence, inside the test's transaction."""
    recheck_evidence(
        lambda: Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False),
        evidence_id,
        policy=LOCAL_POLICY,
        resolve=resolve_test_names,
    )


def test_added_evidence_shows_archived_and_its_snapshot_shows_the_text_not_the_html(
    snapshots_on: None, reviewer_client: FlaskClient, claim: Claim, pages: PageServer
) -> None:
    page = add_cited_page(reviewer_client, claim, pages, HOSTILE)

    assert "archived <time" in page and "view snapshot</a>" in page
    snapshot = reviewer_client.get(snapshot_link(page))
    text = snapshot.get_data(as_text=True)
    assert snapshot.status_code == 200
    assert "The council spent 3 million on roads" in text
    assert "<script>document.title" not in text and "<img src=x" not in text
    assert "Download the file as fetched" in text


def test_the_raw_file_is_only_ever_a_download(
    snapshots_on: None, reviewer_client: FlaskClient, claim: Claim, pages: PageServer
) -> None:
    page = add_cited_page(reviewer_client, claim, pages, HOSTILE)

    raw = reviewer_client.get(snapshot_link(page) + "/raw")

    assert raw.data == HOSTILE.encode()
    assert raw.headers["Content-Type"] == "application/octet-stream"
    assert raw.headers["Content-Disposition"].startswith("attachment; filename=")
    assert raw.headers["Content-Disposition"].endswith('.html"')
    assert raw.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in raw.headers["Content-Security-Policy"]


def test_the_snapshot_of_a_pdf_shows_its_text(
    snapshots_on: None, reviewer_client: FlaskClient, claim: Claim, pages: PageServer
) -> None:
    url = pages.pdf("/report.pdf", "The council spent 3 million on roads.", "Roads come first.")
    post(
        reviewer_client,
        claim,
        "/evidence",
        url=url.replace("pages.test", "127.0.0.1"),
        title="R",
        stance="context",
    )
    reviewer_client.application.extensions["claimtrack_jobs"].run_enqueued(reviewer_client.application)
    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)

    snapshot = reviewer_client.get(snapshot_link(page)).get_data(as_text=True)

    assert "The council spent 3 million on roads.\nRoads come first." in snapshot
    assert reviewer_client.get(snapshot_link(page) + "/raw").headers["Content-Type"] == "application/pdf"


def test_a_page_that_could_not_be_archived_says_why(
    snapshots_on: None, reviewer_client: FlaskClient, claim: Claim
) -> None:
    response = post(
        reviewer_client, claim, "/evidence", url="http://10.0.0.1/x", title="Intranet", stance="context"
    )
    reviewer_client.application.extensions["claimtrack_jobs"].run_enqueued(reviewer_client.application)
    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)

    jobs = reviewer_client.get("/jobs").get_data(as_text=True)

    assert response.status_code == 302
    assert "not archived: refused to fetch &#39;10.0.0.1&#39;: 10.0.0.1 is a private network address" in page
    # The job succeeded as a job; its row says what it could not do instead of an empty error.
    assert "page not archived: refused to fetch &#39;10.0.0.1&#39;" in jobs
    assert "could not archive a cited page" in page and "archived a cited page" not in page.replace(
        "could not archive a cited page", ""
    )


def test_a_changed_page_is_marked_on_the_claim_page_the_queue_and_the_feed(
    snapshots_on: None,
    reviewer_client: FlaskClient,
    session: Session,
    connection: Any,
    claim: Claim,
    pages: PageServer,
) -> None:
    page = add_cited_page(reviewer_client, claim, pages, ARTICLE)
    evidence_id = int(snapshot_link(page).split("/")[2])
    pages.html("/accounts", ARTICLE.replace("spent 3 million", "spent 30 million"))

    recheck_on(connection, evidence_id)

    claim_page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Main text changed since cited" in claim_page and "see the change</a>" in claim_page
    change = reviewer_client.get(
        claim_page[claim_page.index("/evidence/", claim_page.index("Main text changed")) :].split('"')[0]
    )
    diff = change.get_data(as_text=True)
    assert "<del>3</del><ins>30</ins>" in diff
    queue = reviewer_client.get("/queue?status=in_review").get_data(as_text=True)
    assert "evidence changed</span>" in queue
    feed = reviewer_client.get("/activity").get_data(as_text=True)
    assert "marked evidence: its page is gone or changed" in feed


def test_a_published_claim_with_a_changed_page_is_flagged_for_an_editor(
    snapshots_on: None,
    sign_in: Callable[[User], FlaskClient],
    reviewer: User,
    editor: User,
    session: Session,
    connection: Any,
    claim: Claim,
    pages: PageServer,
) -> None:
    client = sign_in(reviewer)
    page = add_cited_page(client, claim, pages, ARTICLE)
    evidence_id = int(snapshot_link(page).split("/")[2])
    workflow.propose_verdict(session, reviewer, claim.id, "True", "The accounts say so.")
    workflow.approve(session, editor, claim.id)
    session.commit()
    pages.pages.clear()  # the page is gone: 404

    recheck_on(connection, evidence_id)

    claim_page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Page gone" in claim_page and "flagged for an editor: the published verdict cites it" in claim_page
    assert 'badge status-published">Published' in claim_page
