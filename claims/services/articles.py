"""Importing an article: body, sentences, scores, claimants and claims, in one transaction.

Matching its claims (encoding them, about a second an article, and finding their strong matches) is
not part of it: the caller runs `claims.jobs.matching_index.match_articles` after the commit, on the job
queue from the web and the API, inline from the CLI, once for a whole bulk import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from claims import audit
from claims.checkworthiness import Scorer
from claims.config import DEFAULT_MAX_CLAIMS_PER_ARTICLE
from claims.errors import ImportRejected, ValidationFailed
from claims.ingest.claimants import claimants
from claims.ingest.furniture import furniture_paragraphs, is_mostly_template_code
from claims.ingest.languages import clean_language, detect_language
from claims.ingest.readers import TITLE_MAX_CHARS, ArticleDraft
from claims.ingest.sentences import Sentence, iter_sentences
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
    if is_mostly_template_code(draft.text):
        raise ImportRejected(
            draft.origin,
            "is mostly template code ({{ … }}), not article text: the page fills its text in with a script; "
            "copy the article's text from a browser and import that",
        )
    try:
        title = clean_text("title", draft.title, max_length=TITLE_MAX_CHARS, required=False)
        url = clean_url("url", draft.url, required=False)
        publisher = clean_text("publisher", draft.publisher, max_length=200, required=False)
        author = clean_text("author", draft.author, max_length=200, required=False)
        language = clean_language(draft.language)
    except (ValidationFailed, ValueError) as exc:
        raise ImportRejected(draft.origin, str(exc)) from None
    return draft.with_overrides(
        title=title or derived_title(draft.text),
        url=url,
        publisher=publisher,
        author=author,
        language=language or detect_language(draft.text),
    )


def find_by_text(session: Session, text: str) -> Article | None:
    return session.scalars(select(Article).where(Article.content_hash == content_hash(text))).one_or_none()


def _stored_before_scoring(session: Session, text: str) -> Article | None:
    """The article stored with this text, if any. When the lookup began the session's transaction and
    found nothing, that transaction ends again: on SQLite it holds the write lock (BEGIN IMMEDIATE), which
    no other writer should wait on while this article's sentences are scored. A session with changes of
    its own keeps its transaction (and the lock it already holds)."""
    began_here = not (session.in_transaction() or session.new or session.dirty or session.deleted)
    existing = find_by_text(session, text)
    if existing is None and began_here:
        session.rollback()
    return existing


def statements(draft: ArticleDraft, headline: str | None, sentences: list[Sentence]) -> list[Sentence]:
    """The draft's sentences that are statements: none of page furniture (bylines, captions, links, …),
    and each once. A sentence the article repeats (a pull quote, a teaser of its own text) is one claim
    where it first stands: a claim has one span, and a second claim would be reviewed twice."""
    furniture = furniture_paragraphs(draft.text, draft.language or "en", headline)
    seen: set[str] = set()
    found = []
    for sentence in sentences:
        wording = " ".join(sentence.text.split())
        if sentence.paragraph not in furniture and wording not in seen:
            seen.add(wording)
            found.append(sentence)
    return found


def bounded_sentences(draft: ArticleDraft, max_claims: int) -> list[Sentence]:
    """The draft's sentences, or a refusal as soon as there are more than `max_claims`: splitting is
    cheap, scoring and storing are not, so an oversized text is refused before any of that starts."""
    try:
        sentences = list(islice(iter_sentences(draft.text, draft.language), max_claims + 1))
    except ValueError as exc:  # the splitter failed: refused, never half imported
        raise ImportRejected(draft.origin, str(exc)) from None
    if len(sentences) > max_claims:
        raise ImportRejected(
            draft.origin,
            f"has more than {max_claims:,} sentences, the most one article may have "
            "(CLAIMTRACK_MAX_CLAIMS_PER_ARTICLE); import it in parts",
        )
    return sentences


def import_article(
    session: Session,
    actor: User | None,
    draft: ArticleDraft,
    scorer: Scorer,
    threshold: float | None = None,
    *,
    max_claims: int = DEFAULT_MAX_CLAIMS_PER_ARTICLE,
) -> ImportResult:
    """Store the article and one claim per sentence; the same text again returns the stored article.

    A text already stored is found before anything is scored. Everything slow (splitting, scoring,
    claimants) happens outside the transaction that writes: the first audit event takes the chain head (on
    SQLite the first statement takes the write lock), and every other writer waits for it until this
    transaction ends. The text is looked up once more just before writing, since another import of it may
    have landed meanwhile.
    """
    if actor is not None:
        require(actor, Action.IMPORT_ARTICLE)
    headline = draft.title  # as found or given: a title derived from the first line is no repeat of it
    draft = _checked(draft)
    existing = _stored_before_scoring(session, draft.text)
    if existing is not None:
        return ImportResult(existing, created=False)
    publication = draft.publisher or UNNAMED_PUBLICATION
    sentences = bounded_sentences(draft, max_claims)
    # Speakers are found in the whole text: a post's signature line or an "X said:" line is furniture or
    # says nothing itself, yet names who speaks in the lines next to it.
    speakers = dict(zip(sentences, claimants(sentences, publication, draft.language), strict=True))
    rows = _claim_rows(statements(draft, headline, sentences), speakers, scorer, threshold)
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
                "author": article.author,
                "published_on": article.published_on,
                "language": article.language,
                "content_hash": article.content_hash,
            }
        ),
        article_id=article.id,
    )
    _add_claims(session, actor, article, publication, rows)
    return ImportResult(article, created=True)


def _claim_rows(
    sentences: list[Sentence],
    speakers: dict[Sentence, str],
    scorer: Scorer,
    threshold: float | None,
) -> list[dict[str, Any]]:
    """One claim row per sentence, scored, with its claimant; the article id is added when it exists."""
    cut = scorer.threshold if threshold is None else threshold
    now = utcnow()
    rows = []
    scores = scorer.score_many([sentence.text for sentence in sentences])
    for sentence, scored in zip(sentences, scores, strict=True):
        claimant = speakers[sentence]
        rows.append(
            {
                "start": sentence.start,
                "end": sentence.end,
                "sentence": sentence.text,
                "text": sentence.text,
                "claimant": claimant,
                "quotation": sentence.quotation,
                "score": scored.value,
                "reasons": scored.reasons,
                "status": Status.UNREVIEWED if scored.value >= cut else Status.NOT_CHECKWORTHY,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    return rows


def _add_claims(
    session: Session, actor: User | None, article: Article, publication: str, rows: list[dict[str, Any]]
) -> None:
    source = Source(name=publication, url=article.url, type=SourceType.ARTICLE)
    session.add(source)
    session.flush()
    audit.record(
        session,
        actor,
        "source",
        source.id,
        "source.created",
        audit.created({"name": source.name, "url": source.url, "type": source.type}),
        article_id=article.id,
    )
    if not rows:
        return
    for row in rows:
        row["article_id"] = article.id
    # One multi-row INSERT per table instead of an ORM object per row: an article has dozens of claims.
    ids = session.scalars(insert(Claim).returning(Claim.id, sort_by_parameter_order=True), rows).all()
    session.execute(
        insert(Appearance),
        [
            {
                "claim_id": claim_id,
                "source_id": source.id,
                "added_by_id": actor.id if actor else None,
                "added_at": rows[0]["created_at"],
            }
            for claim_id in ids
        ],
    )
    audit.record_all(
        session,
        actor,
        [
            audit.claim_created({**row, "id": claim_id}, source_ids=[source.id])
            for row, claim_id in zip(rows, ids, strict=True)
        ],
    )
    session.refresh(article, ["claims"])  # callers read article.claims, possibly after the session closes
