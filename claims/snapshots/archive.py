"""Snapshots of cited pages: taken when evidence is added (archive) and again on a recheck, which
marks evidence whose page is gone or whose main text changed since it was cited.

The fetch happens outside any transaction: a snapshot reads the evidence's URL in one short
transaction, fetches with no database work open (and so without the audit chain's lock), then stores
the snapshot and its audit event in a second short transaction. `new_session` makes those sessions
(a `sessionmaker`, or any callable giving a Session).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session, aliased

from claims import audit
from claims.models import Claim, Evidence, EvidenceSnapshot, Finding, Purpose, utcnow
from claims.models.snapshot import encode_body
from claims.replay.state import HISTORY_COLUMNS
from claims.services.lookup import get_or_raise
from claims.snapshots.fetch import (
    FetchPolicy,
    FetchRefused,
    FetchResult,
    NameNotResolved,
    Resolver,
    fetch,
    system_resolver,
)

SessionMaker = Callable[[], Session]
ACTIONS = {
    Purpose.ARCHIVE: "evidence_snapshot.archived",
    Finding.UNCHANGED: "evidence_snapshot.rechecked",
    Finding.UNREACHABLE: "evidence_snapshot.rechecked",
    Finding.CHANGED: "evidence_snapshot.marked",
    Finding.GONE: "evidence_snapshot.marked",
}
# The columns the audit event records: exactly what `audit verify` replays and compares.
AUDITED = HISTORY_COLUMNS["evidence_snapshots"]


@dataclass
class Capture:
    """One fetch of a page and what was made of it, before anything is stored."""

    requested_url: str
    requested_at: datetime
    fetched_at: datetime
    result: FetchResult | None
    text: str | None
    error: str | None
    name_gone: bool = False

    @property
    def gone(self) -> bool:
        return self.name_gone or (self.result is not None and self.result.status >= 400)


def extract_text(content_type: str, body: bytes) -> str | None:
    """The main text of an HTML page (trafilatura, as the article importer reads HTML), the text of a
    plain-text page, or the text of a PDF's pages (pypdf); None for a PDF whose text cannot be read
    (a recheck then compares its bytes)."""
    if content_type == "text/plain":
        return body.decode("utf-8", errors="replace").replace("\x00", "")
    if content_type in ("text/html", "application/xhtml+xml"):
        import trafilatura

        text = trafilatura.extract(body, include_comments=False, include_tables=False, favor_precision=True)
        return text.replace("\x00", "") if text else ""
    if content_type == "application/pdf":
        return pdf_text(body)
    return None


def pdf_text(body: bytes) -> str | None:
    """The text of every page, pages separated by a blank line; None when the file is not a PDF pypdf
    can read (damaged, encrypted) or holds no text (a scan)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return None  # a malformed PDF can fail in any of these; it is still kept and downloadable
    text = "\n\n".join(page.strip() for page in pages if page.strip()).replace("\x00", "")
    return text or None


def capture(url: str, policy: FetchPolicy | None = None, resolve: Resolver = system_resolver) -> Capture:
    requested_at = utcnow()
    try:
        result = fetch(url, policy, resolve)
    except NameNotResolved as exc:
        return Capture(url, requested_at, utcnow(), None, None, _words_of(exc), name_gone=True)
    except FetchRefused as exc:
        return Capture(url, requested_at, utcnow(), None, None, _words_of(exc))
    error = f"the page answered HTTP {result.status}" if result.status >= 400 else None
    text = extract_text(result.content_type, result.body) if error is None else None
    return Capture(url, requested_at, utcnow(), result, text, error)


def _words_of(refusal: FetchRefused) -> str:
    # A refusal may quote what a server sent; PostgreSQL stores no NUL.
    return str(refusal).replace("\x00", "")


def archived(evidence: Evidence) -> EvidenceSnapshot | None:
    """The snapshot that shows the page as cited: the first archive that fetched it."""
    return next((s for s in evidence.snapshots if s.purpose == Purpose.ARCHIVE and s.error is None), None)


def latest_mark(evidence: Evidence) -> EvidenceSnapshot | None:
    """The newest recheck, when it marked the page gone or changed (a later unchanged recheck clears it)."""
    rechecks = [
        s for s in evidence.snapshots if s.purpose == Purpose.RECHECK and s.finding != Finding.UNREACHABLE
    ]
    return rechecks[-1] if rechecks and rechecks[-1].is_mark else None


def store(session: Session, evidence: Evidence, page: Capture, purpose: Purpose) -> EvidenceSnapshot:
    """Insert the snapshot and its audit event (with the body's hash); the caller commits."""
    result = page.result
    body = result.body if result is not None and page.error is None else None
    snapshot = EvidenceSnapshot(
        evidence=evidence,
        purpose=purpose,
        requested_url=page.requested_url,
        requested_at=page.requested_at,
        fetched_at=page.fetched_at,
        final_url=result.final_url if result else None,
        redirects=[{"url": r.url, "status": r.status} for r in result.redirects] if result else [],
        http_status=result.status if result else None,
        # An error page may state any type; one too long for the column is not worth keeping.
        content_type=result.content_type if result and len(result.content_type) <= 100 else None,
        body_sha256=hashlib.sha256(body).hexdigest() if body is not None else None,
        body_size=len(body) if body is not None else None,
        body=encode_body(body) if body is not None else None,
        text=page.text,
        error=page.error,
        finding=_finding(evidence, page, body) if purpose == Purpose.RECHECK else None,
    )
    session.add(snapshot)
    session.flush()
    values = {name: getattr(snapshot, name) for name in AUDITED}
    action = ACTIONS[snapshot.finding or purpose]
    audit.record_on_claim(
        session, None, evidence.claim, "evidence_snapshot", snapshot.id, action, audit.created(values)
    )
    return snapshot


def _finding(evidence: Evidence, page: Capture, body: bytes | None) -> Finding:
    if page.gone:
        return Finding.GONE
    if body is None:
        return Finding.UNREACHABLE
    cited = archived(evidence)
    if cited is None:
        return Finding.UNCHANGED  # unreachable: recheck() stores a first successful fetch as the archive
    if cited.text is not None and page.text is not None:
        return Finding.UNCHANGED if _words(cited.text) == _words(page.text) else Finding.CHANGED
    return Finding.UNCHANGED if cited.body_sha256 == hashlib.sha256(body).hexdigest() else Finding.CHANGED


def _words(text: str) -> list[str]:
    return text.split()


def archive_evidence(
    new_session: SessionMaker,
    evidence_id: int,
    *,
    policy: FetchPolicy | None = None,
    resolve: Resolver = system_resolver,
) -> EvidenceSnapshot:
    """The archive snapshot of one piece of evidence. Idempotent: evidence already archived (even
    unsuccessfully) gets no second archive; a recheck fetches again."""
    with new_session() as session:
        evidence = get_or_raise(session, Evidence, evidence_id)
        existing = _first_archive(session, evidence_id)
        if existing is not None:
            return existing
        url = evidence.url
    page = capture(url, policy, resolve)
    with new_session() as session:
        existing = _first_archive(session, evidence_id)  # another run got there while this one fetched
        if existing is not None:
            return existing
        snapshot = store(session, get_or_raise(session, Evidence, evidence_id), page, Purpose.ARCHIVE)
        session.commit()
        return snapshot


def recheck_evidence(
    new_session: SessionMaker,
    evidence_id: int,
    *,
    policy: FetchPolicy | None = None,
    resolve: Resolver = system_resolver,
) -> EvidenceSnapshot:
    """Fetch the cited page again and store what was found: gone, changed (word diff against the
    archive), unchanged or unreachable. A page never archived is archived by its first good fetch."""
    with new_session() as session:
        url = get_or_raise(session, Evidence, evidence_id).url
    page = capture(url, policy, resolve)
    with new_session() as session:
        evidence = get_or_raise(session, Evidence, evidence_id)
        purpose = Purpose.RECHECK if archived(evidence) or page.error else Purpose.ARCHIVE
        snapshot = store(session, evidence, page, purpose)
        session.commit()
        return snapshot


def recheck_all(
    new_session: SessionMaker,
    *,
    claim_id: int | None = None,
    policy: FetchPolicy | None = None,
    resolve: Resolver = system_resolver,
) -> list[EvidenceSnapshot]:
    """Recheck every piece of evidence still cited (or a claim's), one page at a time, each stored
    and committed on its own so a long run holds no lock and loses nothing if stopped."""
    with new_session() as session:
        evidence_ids = evidence_to_recheck(session, claim_id)
    return [recheck_evidence(new_session, i, policy=policy, resolve=resolve) for i in evidence_ids]


def evidence_to_recheck(session: Session, claim_id: int | None = None) -> list[int]:
    """Every piece of evidence still cited (not retracted), oldest first; or those of one claim."""
    query = select(Evidence.id).where(Evidence.retracted_at.is_(None)).order_by(Evidence.id)
    if claim_id is not None:
        query = query.where(Evidence.claim_id == claim_id)
    return list(session.scalars(query))


def _first_archive(session: Session, evidence_id: int) -> EvidenceSnapshot | None:
    return session.scalars(
        select(EvidenceSnapshot)
        .where(EvidenceSnapshot.evidence_id == evidence_id, EvidenceSnapshot.purpose == Purpose.ARCHIVE)
        .order_by(EvidenceSnapshot.id)
        .limit(1)
    ).first()


def marked_by(finding: Finding) -> ColumnElement[bool]:
    """Whether the claim of the enclosing query has evidence (still cited) whose latest recheck found its
    page `finding` (gone or changed): the queue's marks, read with its page of claims. A recheck that
    could not reach the page is no finding, so it does not hide an earlier one."""
    later = aliased(EvidenceSnapshot)
    return exists().where(
        Evidence.claim_id == Claim.id,
        Evidence.retracted_at.is_(None),
        EvidenceSnapshot.evidence_id == Evidence.id,
        EvidenceSnapshot.purpose == Purpose.RECHECK,
        EvidenceSnapshot.finding == finding,
        ~exists().where(
            later.evidence_id == Evidence.id,
            later.purpose == Purpose.RECHECK,
            later.finding != Finding.UNREACHABLE,
            later.id > EvidenceSnapshot.id,
        ),
    )
