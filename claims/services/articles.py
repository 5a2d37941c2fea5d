"""Importing an article: body, sentences, scores, claimants and claims, in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from claims import audit
from claims.checkworthiness import Scorer
from claims.errors import ImportRejected, ValidationFailed
from claims.ingest.claimants import claimants
from claims.ingest.readers import TITLE_MAX_CHARS, ArticleDraft
from claims.ingest.sentences import split_sentences
from claims.models import Appearance, Article, Claim, Source, SourceType, Status, User, utcnow
from claims.permissions import Action, require
from claims.validation import bidi_problem, clean_text, clean_url

UNNAMED_PUBLICATION = "the publication"
DERIVED_TITLE_CHARS = 120


@dataclass(frozen=True)
class ImportResult:
    article: Article
    created: bool

    @property
    def checkworthy_count(self) -> int:
        return sum(1 for claim in self.article.claims if claim.status != Status.NOT_CHECKWORTHY)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def derived_title(text: str) -> str:
    """A readable title for a text imported without one: its first line, shortened at a word."""
    first_line = next(line.strip() for line in text.splitlines() if line.strip())
    if len(first_line) <= DERIVED_TITLE_CHARS:
        return first_line
    return first_line[:DERIVED_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def _checked(draft: ArticleDraft) -> ArticleDraft:
    """Refuse what cannot be stored faithfully, naming the input it came from."""
    if "\x00" in draft.text:
        raise ImportRejected(draft.origin, "contains a NUL character, which cannot be stored")
    problem = bidi_problem(draft.text)
    if problem:
        raise ImportRejected(draft.origin, problem)
    if not draft.text.strip():
        raise ImportRejected(draft.origin, "is empty")
    try:
        title = clean_text("title", draft.title, max_length=TITLE_MAX_CHARS, required=False)
        url = clean_url("url", draft.url, required=False)
        publisher = clean_text("publisher", draft.publisher, max_length=200, required=False)
        author = clean_text("author", draft.author, max_length=200, required=False)
    except ValidationFailed as exc:
        raise ImportRejected(draft.origin, str(exc)) from None
    return draft.with_overrides(
        title=title or derived_title(draft.text), url=url, publisher=publisher, author=author
    )


def find_by_text(session: Session, text: str) -> Article | None:
    return session.scalars(select(Article).where(Article.content_hash == content_hash(text))).one_or_none()


def import_article(
    session: Session, actor: User | None, draft: ArticleDraft, scorer: Scorer, threshold: float | None = None
) -> ImportResult:
    """Store the article and one claim per sentence; the same text again returns the stored article."""
    if actor is not None:
        require(actor, Action.IMPORT_ARTICLE)
    draft = _checked(draft)
    existing = find_by_text(session, draft.text)
    if existing is not None:
        return ImportResult(existing, created=False)

    article = Article(
        title=draft.title,
        url=draft.url,
        publisher=draft.publisher,
        author=draft.author,
        published_on=draft.published_on,
        language=draft.language,
        body=draft.text,
        content_hash=content_hash(draft.text),
        imported_by=actor,
    )
    session.add(article)
    session.flush()
    audit.record(
        session,
        actor,
        "article",
        article.id,
        "article.imported",
        audit.created(
            {
                "title": article.title,
                "url": article.url,
                "publisher": article.publisher,
                "published_on": article.published_on,
                "content_hash": article.content_hash,
            }
        ),
        article_id=article.id,
    )
    _add_claims(session, actor, article, scorer, threshold)
    return ImportResult(article, created=True)


def _add_claims(
    session: Session, actor: User | None, article: Article, scorer: Scorer, threshold: float | None
) -> None:
    cut = scorer.threshold if threshold is None else threshold
    sentences = split_sentences(article.body, article.language)
    publication = article.publisher or UNNAMED_PUBLICATION
    speakers = claimants([sentence.text for sentence in sentences], publication)
    source = Source(name=publication, url=article.url, type=SourceType.ARTICLE)
    session.add(source)
    session.flush()
    now = utcnow()
    rows = []
    scores = scorer.score_many([sentence.text for sentence in sentences])
    for sentence, claimant, scored in zip(sentences, speakers, scores, strict=True):
        rows.append(
            {
                "article_id": article.id,
                "start": sentence.start,
                "end": sentence.end,
                "sentence": sentence.text,
                "text": sentence.text,
                "claimant": claimant,
                "score": scored.value,
                "reasons": scored.reasons,
                "status": Status.UNREVIEWED if scored.value >= cut else Status.NOT_CHECKWORTHY,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    if not rows:
        return
    # One multi-row INSERT per table instead of an ORM object per row: an article has dozens of claims.
    ids = session.scalars(insert(Claim).returning(Claim.id, sort_by_parameter_order=True), rows).all()
    session.execute(
        insert(Appearance),
        [
            {
                "claim_id": claim_id,
                "source_id": source.id,
                "added_by_id": actor.id if actor else None,
                "added_at": now,
            }
            for claim_id in ids
        ],
    )
    audit.record_all(
        session,
        actor,
        [audit.claim_created({**row, "id": claim_id}) for row, claim_id in zip(rows, ids, strict=True)],
    )
    session.refresh(article, ["claims"])  # callers read article.claims, possibly after the session closes
