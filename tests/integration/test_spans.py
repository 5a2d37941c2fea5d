"""Splitting, merging and adding claims keeps every span true to the article body and loses nothing."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims import workflow
from claims.checkworthiness.rules import RuleScorer
from claims.errors import IllegalTransition, ValidationFailed
from claims.matching.suggestions import strongly_matched
from claims.models import Article, AuditEvent, Claim, Job, JobState, Status, User
from claims.services.comments import add_comment
from claims.services.evidence import add_evidence
from claims.services.spans import add_claim, merge_claims, split_claim

scorer = RuleScorer()
# The sample article's vote sentence, split in two as a reviewer would.
VOTES_PARTS = (
    "She won the leadership of the ruling Liberal Democratic Party (LDP) on October 4th",
    "and was officially elected Prime Minister in the subsequent parliamentary vote, "
    "securing 237 out of 465 votes.",
)


def spans_hold(article: Article) -> bool:
    return all(article.body[c.start : c.end] == c.sentence for c in article.claims)


def votes_claim(article: Article) -> Claim:
    return next(c for c in article.claims if "237 out of 465" in c.sentence)


def test_splitting_a_claim_makes_one_claim_per_part_with_true_spans(
    session: Session, reviewer: User, sample_article: Article
) -> None:
    claim = votes_claim(sample_article)
    first, second = VOTES_PARTS

    parts = split_claim(session, reviewer, claim.id, [first, second], scorer, expected_version=claim.version)

    session.refresh(sample_article)
    assert [p.sentence for p in parts] == [first, second]
    assert spans_hold(sample_article)
    assert len(sample_article.claims) == 28
    assert [a.source_id for a in parts[1].appearances] == [a.source_id for a in claim.appearances]
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.claim_id.in_([p.id for p in parts]))
    ).all()
    assert "claim.split" in actions and "claim.split_off" in actions


def test_split_parts_must_be_the_sentence_as_written(
    session: Session, reviewer: User, sample_article: Article
) -> None:
    claim = votes_claim(sample_article)

    with pytest.raises(ValidationFailed, match="is not the next part of the sentence"):
        split_claim(
            session, reviewer, claim.id, ["She won an election", "securing 237 out of 465 votes."], scorer
        )
    with pytest.raises(ValidationFailed, match="leave out the end"):
        split_claim(session, reviewer, claim.id, ["She won the leadership", "of the ruling"], scorer)


def test_merging_neighbours_keeps_their_evidence_and_comments(
    session: Session, reviewer: User, sample_article: Article
) -> None:
    first, second = sample_article.claims[1], sample_article.claims[2]
    evidence = add_evidence(
        session, reviewer, second.id, url="https://example.org/a", title="A", stance="context"
    )
    comment = add_comment(session, reviewer, second.id, "Same statement, really")
    second_id = second.id

    merged = merge_claims(session, reviewer, [second.id, first.id])

    session.expire_all()
    assert session.get(Claim, second_id) is None
    assert merged.sentence == sample_article.body[merged.start : merged.end]
    assert merged.sentence.startswith("This visit of his") and merged.sentence.endswith("two countries.")
    assert [e.id for e in merged.evidence] == [evidence.id]
    assert [c.id for c in merged.comments] == [comment.id]
    assert session.scalars(select(AuditEvent.action).where(AuditEvent.claim_id == second_id)).all()[-1] == (
        "claim.merged_into"
    )


def test_only_neighbouring_claims_of_one_article_merge(
    session: Session, reviewer: User, sample_article: Article
) -> None:
    claims = sample_article.claims

    with pytest.raises(ValidationFailed, match="another claim lies between"):
        merge_claims(session, reviewer, [claims[0].id, claims[2].id])
    with pytest.raises(ValidationFailed, match="at least two claims"):
        merge_claims(session, reviewer, [claims[0].id])


def test_a_claim_awaiting_approval_cannot_be_reshaped(
    session: Session, reviewer: User, sample_article: Article
) -> None:
    claim = votes_claim(sample_article)
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    add_evidence(session, reviewer, claim.id, url="https://example.org/a", title="A", stance="supports")
    workflow.propose_verdict(
        session,
        reviewer,
        claim.id,
        "True",
        "Checked.",
        claim_as_reviewed="Sanae Takaichi won 237 of 465 votes.",
    )

    with pytest.raises(IllegalTransition, match="cannot split a claim that is awaiting_approval"):
        split_claim(session, reviewer, claim.id, ["She won", claim.sentence[8:]], scorer)


def test_a_claim_added_from_a_selection_is_trimmed_and_checked(
    session: Session, reviewer: User, sample_article: Article
) -> None:
    body = sample_article.body
    start = body.index("securing 237 out of 465 votes")

    claim = add_claim(
        session,
        reviewer,
        sample_article.id,
        start - 1,
        start + len("securing 237 out of 465 votes"),
        scorer,
    )

    assert claim.sentence == "securing 237 out of 465 votes"
    assert (claim.status, claim.claimant) == (Status.UNREVIEWED, "Sample Wire")
    with pytest.raises(ValidationFailed, match="is not inside the article"):
        add_claim(session, reviewer, sample_article.id, 10, len(body) + 5, scorer)
    with pytest.raises(ValidationFailed, match="contains no text"):
        add_claim(session, reviewer, sample_article.id, body.index("\n"), body.index("\n") + 1, scorer)


def test_a_merged_claim_loses_the_matches_of_its_parts_and_is_matched_again(
    session: Session, reviewer: User, make_article
) -> None:
    repeated = "The mayor said unemployment in Springfield fell to 3.2 percent in 2023."
    article = make_article(f"{repeated} The minister said exports of rice rose 12 percent in 2023.")
    other = next(c for c in make_article(f"Reports differ. {repeated}").claims if c.sentence == repeated)
    first, second = article.claims
    assert strongly_matched(session, [first.id, other.id]) == {first.id, other.id}

    merged = merge_claims(session, reviewer, [first.id, second.id])

    assert strongly_matched(session, [merged.id, other.id]) == set()  # the words that earned it are gone
    job = session.scalars(select(Job).where(Job.kind == "match_claims")).one()
    assert job.params == {"article_ids": [article.id]} and job.state == JobState.QUEUED


def test_the_parts_of_a_split_claim_are_matched_again(
    session: Session, reviewer: User, sample_article: Article
) -> None:
    claim = votes_claim(sample_article)
    first, second = VOTES_PARTS

    split_claim(session, reviewer, claim.id, [first, second], scorer, expected_version=claim.version)

    job = session.scalars(select(Job).where(Job.kind == "match_claims")).one()
    assert job.params == {"article_ids": [sample_article.id]}
