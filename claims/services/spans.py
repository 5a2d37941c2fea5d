"""Reshaping claims within their article: split one, merge neighbours, add one from a selection.

Every claim keeps a span into the article body, checked here: `body[start:end] == sentence`.
Only claims not yet awaiting approval or published can be reshaped; a verdict belongs to its wording.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims import audit
from claims.checkworthiness import Scorer
from claims.errors import IllegalTransition, ValidationFailed
from claims.jobs.matching_index import rematch_reworded
from claims.matching.suggestions import forget_claim
from claims.models import Appearance, Article, Claim, Status, User
from claims.permissions import Action, require
from claims.services.articles import UNNAMED_PUBLICATION
from claims.services.lookup import claim_for_edit, get_or_raise

RESHAPEABLE = frozenset({Status.UNREVIEWED, Status.NOT_CHECKWORTHY, Status.IN_REVIEW})


def _require_reshapeable(claim: Claim, action: str) -> None:
    status = Status(claim.status)
    if status not in RESHAPEABLE:
        raise IllegalTransition(action, status.value, [s.value for s in sorted(RESHAPEABLE)])


def trimmed_span(body: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace; refuses spans outside the body or with no text."""
    if not 0 <= start < end <= len(body):
        raise ValidationFailed("span", f"{start}–{end} is not inside the article (0–{len(body)})")
    text = body[start:end]
    if not text.strip():
        raise ValidationFailed("span", "the selection contains no text")
    start += len(text) - len(text.lstrip())
    end -= len(text) - len(text.rstrip())
    return start, end


def part_spans(claim: Claim, parts: list[str]) -> list[tuple[int, int]]:
    """Locate each part, in order, in the claim's sentence; together they must cover all of it."""
    pieces = [part.strip() for part in parts if part.strip()]
    if len(pieces) < 2:
        raise ValidationFailed("parts", "give at least two parts to split the claim into")
    spans, cursor = [], 0
    for piece in pieces:
        found = claim.sentence.find(piece, cursor)
        if found < 0 or claim.sentence[cursor:found].strip():
            raise ValidationFailed("parts", f"“{piece[:60]}” is not the next part of the sentence as written")
        spans.append((claim.start + found, claim.start + found + len(piece)))
        cursor = found + len(piece)
    if claim.sentence[cursor:].strip():
        raise ValidationFailed("parts", "the parts leave out the end of the sentence")
    return spans


def split_claim(
    session: Session,
    actor: User,
    claim_id: int,
    parts: list[str],
    scorer: Scorer,
    *,
    expected_version: int | None = None,
) -> list[Claim]:
    """The claim keeps the first part; each further part becomes a new claim with the same sources."""
    require(actor, Action.EDIT_CLAIM)
    claim = claim_for_edit(session, claim_id, expected_version)
    _require_reshapeable(claim, "split")
    spans = part_spans(claim, parts)
    body = claim.article.body
    new_claims = [_copy_with_span(claim, start, end, scorer) for start, end in spans[1:]]
    session.add_all(new_claims)
    first_start, first_end = spans[0]
    rescored = scorer.score(body[first_start:first_end])
    changes = audit.apply(
        claim,
        {
            "start": first_start,
            "end": first_end,
            "sentence": body[first_start:first_end],
            "text": body[first_start:first_end],
            "score": rescored.value,
            "reasons": rescored.reasons,
        },
    )
    audit.record_claim_change(session, actor, claim, "claim.split", changes)
    rematch_reworded(session, claim)  # the job embeds and matches the parts split off too
    audit.record_all(
        session,
        actor,
        [audit.claim_created(new, "claim.split_off", split_from=claim.id) for new in new_claims],
    )
    return [claim, *new_claims]


def _copy_with_span(claim: Claim, start: int, end: int, scorer: Scorer) -> Claim:
    sentence = claim.article.body[start:end]
    scored = scorer.score(sentence)
    copy = Claim(
        article_id=claim.article_id,
        start=start,
        end=end,
        sentence=sentence,
        text=sentence,
        claimant=claim.claimant,
        quotation=claim.quotation,
        score=scored.value,
        reasons=scored.reasons,
        status=claim.status,
        assignee_id=claim.assignee_id,
    )
    copy.appearances = [
        Appearance(source_id=a.source_id, added_by_id=a.added_by_id) for a in claim.appearances
    ]
    return copy


def merge_claims(
    session: Session, actor: User, claim_ids: list[int], *, expected_versions: dict[int, int] | None = None
) -> Claim:
    """Merge neighbouring claims of one article into the first; its evidence, comments and sources move
    to the merged claim, so nothing is lost. The other claims are removed, and that is on the record."""
    require(actor, Action.EDIT_CLAIM)
    if len(set(claim_ids)) < 2:
        raise ValidationFailed("claims", "choose at least two claims to merge")
    versions = expected_versions or {}
    claims = sorted(
        (claim_for_edit(session, cid, versions.get(cid)) for cid in set(claim_ids)),
        key=lambda c: (c.start, c.id),
    )
    if len({claim.article_id for claim in claims}) > 1:
        raise ValidationFailed("claims", "only claims of the same article can be merged")
    for claim in claims:
        _require_reshapeable(claim, "merge")
    _require_neighbours(session, claims)
    keeper, others = claims[0], claims[1:]
    body = keeper.article.body
    start, end = keeper.start, max(claim.end for claim in claims)
    for other in others:
        _move_children(other, keeper)
    session.flush()
    changes = audit.apply(
        keeper,
        {
            "start": start,
            "end": end,
            "sentence": body[start:end],
            "text": " ".join(claim.text for claim in claims),
            "score": max(claim.score for claim in claims),
            "reasons": sorted({reason for claim in claims for reason in claim.reasons}),
        },
    )
    audit.record_claim_change(
        session,
        actor,
        keeper,
        "claim.merged",
        {**changes, "merged_ids": [None, [other.id for other in others]]},
    )
    for other in others:
        audit.record_on_claim(
            session,
            actor,
            other,
            "claim",
            other.id,
            "claim.merged_into",
            {"merged_into": [None, keeper.id], "text": [other.text, None]},
        )
        forget_claim(session, other.id)
        session.delete(other)
    rematch_reworded(session, keeper)
    session.flush()
    return keeper


def _require_neighbours(session: Session, claims: list[Claim]) -> None:
    """No other claim may start between the first and the last of those merged."""
    ids = {claim.id for claim in claims}
    between = session.scalars(
        select(Claim.id).where(
            Claim.article_id == claims[0].article_id,
            Claim.start > claims[0].start,
            Claim.start < claims[-1].start,
        )
    ).all()
    if set(between) - ids:
        raise ValidationFailed("claims", "only neighbouring claims can be merged; another claim lies between")


def _move_children(source: Claim, target: Claim) -> None:
    for item in list(source.evidence):
        item.claim = target
    for comment in list(source.comments):
        comment.claim = target
    kept_sources = {appearance.source_id for appearance in target.appearances}
    for appearance in list(source.appearances):
        if appearance.source_id not in kept_sources:
            target.appearances.append(
                Appearance(source_id=appearance.source_id, added_by_id=appearance.added_by_id)
            )


def add_claim(
    session: Session,
    actor: User,
    article_id: int,
    start: int,
    end: int,
    scorer: Scorer,
    *,
    claimant: str | None = None,
) -> Claim:
    """A claim the reviewer selected in the article; it starts unreviewed (a person chose it)."""
    require(actor, Action.EDIT_CLAIM)
    article = get_or_raise(session, Article, article_id)
    start, end = trimmed_span(article.body, start, end)
    sentence = article.body[start:end]
    scored = scorer.score(sentence)
    first_source = session.scalars(
        select(Appearance.source_id).join(Claim).where(Claim.article_id == article_id).limit(1)
    ).first()
    claim = Claim(
        article=article,
        start=start,
        end=end,
        sentence=sentence,
        text=sentence,
        claimant=claimant or article.publisher or UNNAMED_PUBLICATION,
        score=scored.value,
        reasons=scored.reasons,
        status=Status.UNREVIEWED,
    )
    if first_source is not None:
        claim.appearances.append(Appearance(source_id=first_source, added_by=actor))
    session.add(claim)
    session.flush()
    audit.record_all(
        session,
        actor,
        [
            audit.claim_created(
                claim, "claim.added_from_selection", source_ids=[] if first_source is None else [first_source]
            )
        ],
    )
    return claim
