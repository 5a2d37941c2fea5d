"""Evidence snapshots on both databases: archived after the evidence is committed, audited with the
body's hash, rechecked for pages gone or changed, replayed by `audit verify` and carried by the export."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims import schema, workflow
from claims.export.full import ImportRefused, export_lines, import_file
from claims.models import (
    Article,
    AuditEvent,
    Claim,
    Evidence,
    EvidenceSnapshot,
    Finding,
    Purpose,
    Status,
    User,
)
from claims.models.snapshot import decode_body, encode_body
from claims.replay import verify_database
from claims.services.evidence import add_evidence
from claims.snapshots.archive import archive_evidence, archived, latest_mark, recheck_evidence
from claims.textdiff import changed_words
from tests.integration.test_full_export import import_text, session_on
from tests.pageserver import ARTICLE, LOCAL_POLICY, Page, PageServer, resolve_test_names


@pytest.fixture
def new_session(connection: Any) -> Callable[[], Session]:
    return lambda: Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def claim(sample_article: Article) -> Claim:
    return next(c for c in sample_article.claims if c.status == Status.UNREVIEWED)


def cite(session: Session, reviewer: User, claim: Claim, url: str) -> Evidence:
    evidence = add_evidence(session, reviewer, claim.id, url=url, title="Council accounts", stance="supports")
    session.commit()
    return evidence


def archive(new_session: Callable[[], Session], evidence: Evidence) -> EvidenceSnapshot:
    return archive_evidence(new_session, evidence.id, policy=LOCAL_POLICY, resolve=resolve_test_names)


def recheck(new_session: Callable[[], Session], evidence: Evidence) -> EvidenceSnapshot:
    return recheck_evidence(new_session, evidence.id, policy=LOCAL_POLICY, resolve=resolve_test_names)


def test_adding_evidence_archives_the_page_once_it_is_committed(
    session: Session, reviewer: User, claim: Claim, pages: PageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMTRACK_SNAPSHOTS", "on")
    monkeypatch.setenv("CLAIMTRACK_FETCH_ALLOW", "127.0.0.1")
    pages.html("/accounts", ARTICLE)
    url = f"http://127.0.0.1:{pages.port}/accounts"

    evidence = add_evidence(session, reviewer, claim.id, url=url, title="Accounts", stance="supports")
    assert pages.requests == []  # nothing is fetched inside the adding transaction
    session.commit()

    session.expire_all()
    [snapshot] = session.get(Evidence, evidence.id).snapshots
    assert (snapshot.purpose, snapshot.http_status, snapshot.final_url) == (Purpose.ARCHIVE, 200, url)
    assert decode_body(snapshot.body) == ARTICLE.encode() and snapshot.body_size == len(ARTICLE)
    assert "The council spent 3 million on roads" in snapshot.text and "Home | News" not in snapshot.text
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (event.action, event.claim_id) == ("evidence_snapshot.archived", claim.id)
    assert event.changes["body_sha256"] == [None, snapshot.body_sha256]
    assert verify_database(session).ok


def test_evidence_rolled_back_is_never_fetched(
    session: Session, reviewer: User, claim: Claim, pages: PageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMTRACK_SNAPSHOTS", "on")
    monkeypatch.setenv("CLAIMTRACK_FETCH_ALLOW", "127.0.0.1")
    add_evidence(
        session, reviewer, claim.id, url=f"http://127.0.0.1:{pages.port}/x", title="T", stance="context"
    )
    session.rollback()
    session.commit()

    assert pages.requests == []


def test_archiving_twice_changes_nothing_the_second_time(
    session: Session, new_session: Any, reviewer: User, claim: Claim, pages: PageServer
) -> None:
    evidence = cite(session, reviewer, claim, pages.html("/a", ARTICLE))

    first, second = archive(new_session, evidence), archive(new_session, evidence)

    assert first.id == second.id and len(pages.requests) == 1
    assert session.scalars(select(EvidenceSnapshot.id)).all() == [first.id]


def test_the_redirect_chain_and_final_address_are_kept(
    session: Session, new_session: Any, reviewer: User, claim: Claim, pages: PageServer
) -> None:
    final = pages.html("/final", ARTICLE)
    start = pages.redirect("/short", "/final", status=301)

    snapshot = archive(new_session, cite(session, reviewer, claim, start))

    assert snapshot.final_url == final and snapshot.redirects == [{"url": start, "status": 301}]
    assert verify_database(session).ok


def test_a_refused_page_is_kept_as_a_snapshot_with_the_reason_in_words(
    session: Session, new_session: Any, reviewer: User, claim: Claim, pages: PageServer
) -> None:
    start = pages.redirect("/start", "http://192.168.1.1/router")

    snapshot = archive(new_session, cite(session, reviewer, claim, start))

    assert snapshot.body is None and snapshot.body_sha256 is None
    assert snapshot.error == "refused to fetch '192.168.1.1': 192.168.1.1 is a private network address"
    assert verify_database(session).ok


def test_a_recheck_marks_a_page_whose_main_text_changed_with_the_words_that_changed(
    session: Session, new_session: Any, reviewer: User, claim: Claim, pages: PageServer
) -> None:
    evidence = cite(session, reviewer, claim, pages.html("/a", ARTICLE))
    cited = archive(new_session, evidence)
    assert recheck(new_session, evidence).finding == Finding.UNCHANGED
    pages.html("/a", ARTICLE.replace("spent 3 million", "spent 30 million"))

    mark = recheck(new_session, evidence)

    assert (mark.purpose, mark.finding) == (Purpose.RECHECK, Finding.CHANGED)
    assert changed_words(cited.text, mark.text) == (1, 1)
    session.expire_all()
    evidence = session.get(Evidence, evidence.id)
    assert latest_mark(evidence).id == mark.id and archived(evidence).id == cited.id
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (event.action, event.changes["finding"]) == ("evidence_snapshot.marked", [None, "changed"])
    assert verify_database(session).ok


def test_a_pdfs_text_is_kept_and_a_recheck_compares_its_words(
    session: Session, new_session: Any, reviewer: User, claim: Claim, pages: PageServer
) -> None:
    evidence = cite(
        session, reviewer, claim, pages.pdf("/report.pdf", "The council spent 3 million on roads.")
    )
    cited = archive(new_session, evidence)
    assert cited.text == "The council spent 3 million on roads."
    assert recheck(new_session, evidence).finding == Finding.UNCHANGED
    pages.pdf("/report.pdf", "The council spent 30 million on roads.")

    mark = recheck(new_session, evidence)

    assert mark.finding == Finding.CHANGED and changed_words(cited.text, mark.text) == (1, 1)
    assert verify_database(session).ok


def test_a_pdf_whose_text_cannot_be_read_is_kept_and_compared_by_its_bytes(
    session: Session, new_session: Any, reviewer: User, claim: Claim, pages: PageServer
) -> None:
    pages.pages["/scan.pdf"] = Page(body=b"%PDF-1.4 not really a PDF", content_type="application/pdf")
    evidence = cite(session, reviewer, claim, pages.url("/scan.pdf"))

    cited = archive(new_session, evidence)

    assert (cited.text, cited.error, cited.body_size) == (None, None, 25)
    assert recheck(new_session, evidence).finding == Finding.UNCHANGED
    pages.pages["/scan.pdf"] = Page(body=b"%PDF-1.4 another file", content_type="application/pdf")
    assert recheck(new_session, evidence).finding == Finding.CHANGED


@pytest.mark.parametrize(
    ("page", "url_of"),
    [
        (Page(status=404, body=b"<p>gone</p>"), lambda pages: pages.url("/a")),
        (Page(status=503, body=b"<p>down</p>"), lambda pages: pages.url("/a")),
    ],
)
def test_a_recheck_marks_a_page_that_now_answers_an_error_as_gone(
    session: Session,
    new_session: Any,
    reviewer: User,
    claim: Claim,
    pages: PageServer,
    page: Page,
    url_of: Any,
) -> None:
    evidence = cite(session, reviewer, claim, pages.html("/a", ARTICLE))
    archive(new_session, evidence)
    pages.pages["/a"] = page

    mark = recheck(new_session, evidence)

    assert mark.finding == Finding.GONE and mark.error == f"the page answered HTTP {page.status}"


def test_a_recheck_marks_a_name_that_no_longer_resolves_as_gone(
    session: Session, new_session: Any, reviewer: User, claim: Claim
) -> None:
    evidence = cite(session, reviewer, claim, "http://vanished.example/report")

    mark = recheck_evidence(new_session, evidence.id, policy=LOCAL_POLICY, resolve=resolve_test_names)

    assert mark.finding == Finding.GONE and "could not be resolved (DNS failure)" in mark.error


def test_a_recheck_of_a_published_claim_flags_it_but_changes_nothing(
    session: Session, new_session: Any, reviewer: User, editor: User, claim: Claim, pages: PageServer
) -> None:
    evidence = cite(session, reviewer, claim, pages.html("/a", ARTICLE))
    archive(new_session, evidence)
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    workflow.propose_verdict(session, reviewer, claim.id, "True", "The accounts say so.")
    workflow.approve(session, editor, claim.id)
    session.commit()
    version = claim.version
    pages.html("/a", ARTICLE.replace("roads", "bridges"))

    assert recheck(new_session, evidence).finding == Finding.CHANGED

    session.expire_all()
    claim = session.get(Claim, claim.id)
    assert (claim.status, claim.version) == (Status.PUBLISHED, version)
    assert verify_database(session).ok


def test_snapshots_round_trip_through_the_full_export(
    session: Session,
    new_session: Any,
    reviewer: User,
    claim: Claim,
    pages: PageServer,
    empty_database_url: str,
) -> None:
    evidence = cite(session, reviewer, claim, pages.html("/a", ARTICLE))
    archive(new_session, evidence)
    pages.html("/a", ARTICLE.replace("roads", "bridges"))
    recheck(new_session, evidence)
    text = "".join(export_lines(session))

    schema.upgrade(empty_database_url)
    counts = import_text(empty_database_url, text)

    assert counts["evidence_snapshots"] == 2
    with session_on(empty_database_url) as restored:
        assert verify_database(restored).ok
        snapshots = restored.scalars(select(EvidenceSnapshot).order_by(EvidenceSnapshot.id)).all()
        assert decode_body(snapshots[0].body) == ARTICLE.encode()
        assert [s.finding for s in snapshots] == [None, Finding.CHANGED]


def test_an_export_whose_archived_bytes_were_altered_is_refused(
    session: Session,
    new_session: Any,
    reviewer: User,
    claim: Claim,
    pages: PageServer,
    empty_database_url: str,
) -> None:
    archive(new_session, cite(session, reviewer, claim, pages.html("/a", ARTICLE)))
    lines = []
    for line in export_lines(session):
        record = json.loads(line)
        if record.get("table") == "evidence_snapshots":
            record["row"]["body"] = encode_body(b"<p>a different page</p>")
            line = json.dumps(record) + "\n"
        lines.append(line)

    schema.upgrade(empty_database_url)
    with session_on(empty_database_url) as target, pytest.raises(ImportRefused) as refused:
        import_file(target, io.StringIO("".join(lines)))
    assert "its body in the file is not the page its history archived (body_sha256 differs)" in str(
        refused.value
    )
