from sqlalchemy.orm import Session

from claims.models import Article, Evidence, EvidenceSnapshot, Finding, Purpose, User, utcnow
from claims.queue import QueueFilters, queue_rows


def cite_with_rechecks(
    session: Session, reviewer: User, claim_id: int, findings: list[Finding], *, retracted: bool = False
) -> None:
    evidence = Evidence(
        claim_id=claim_id,
        url="https://example.org/page",
        title="A cited page",
        stance="supports",
        added_by_id=reviewer.id,
        retracted_at=utcnow() if retracted else None,
    )
    session.add(evidence)
    session.flush()
    for finding in findings:
        session.add(
            EvidenceSnapshot(
                evidence_id=evidence.id,
                purpose=Purpose.RECHECK,
                requested_url=evidence.url,
                finding=finding,
            )
        )
    session.flush()


def test_the_queue_marks_a_claim_by_what_the_latest_reachable_recheck_of_its_cited_pages_found(
    session: Session, reviewer: User, sample_article: Article
) -> None:
    changed, recovered, withdrawn, gone = (claim.id for claim in sample_article.claims[:4])
    cite_with_rechecks(session, reviewer, changed, [Finding.UNCHANGED, Finding.CHANGED, Finding.UNREACHABLE])
    cite_with_rechecks(session, reviewer, recovered, [Finding.GONE, Finding.UNCHANGED])
    cite_with_rechecks(session, reviewer, withdrawn, [Finding.GONE], retracted=True)
    cite_with_rechecks(session, reviewer, gone, [Finding.GONE])
    cite_with_rechecks(session, reviewer, gone, [Finding.CHANGED])

    rows = queue_rows(session, QueueFilters(article_id=sample_article.id)).rows
    marks = {row.id: row.marks for row in rows}

    assert marks[changed] == (Finding.CHANGED,)
    assert marks[recovered] == () and marks[withdrawn] == ()
    assert marks[gone] == (Finding.CHANGED, Finding.GONE)
