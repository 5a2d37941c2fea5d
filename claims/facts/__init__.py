"""Numbers, dates and durations of claims: read (extract), resolved against the article's day
(resolve), checked against each other within an article (hints), worded for a reviewer (wording).

Computed on demand from a claim's text — cheap, derived, never stored or audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, selectinload

from claims.errors import NotFound
from claims.facts.extract import extract
from claims.facts.hints import Hint, Statement, hints
from claims.facts.resolve import Reference, Resolved, finite, resolve
from claims.facts.wording import interval_words
from claims.models import Article, Claim


@dataclass(frozen=True)
class ClaimFacts:
    claim: Claim
    reference: Reference
    facts: list[Resolved]
    hints: list[Hint]

    def as_json(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim.id,
            "article_id": self.claim.article_id,
            "text": self.claim.text,
            "reference": {"day": self.reference.day.isoformat(), "source": self.reference.source},
            "expressions": [_fact_json(fact) for fact in self.facts],
            "hints": [{"kind": h.kind, "text": h.text, "claim_ids": list(h.claim_ids)} for h in self.hints],
        }


def reference_of(article: Article) -> Reference:
    """The article's publication date, or the day it was imported when it has none."""
    if article.published_on is not None:
        return Reference(article.published_on, "published")
    return Reference(article.imported_at.date() if article.imported_at else date.today(), "imported")


def article_facts(session: Session, article_id: int) -> list[ClaimFacts]:
    """Every claim of an article with its facts, and the hints that join it to others."""
    article = session.get(Article, article_id, options=[selectinload(Article.claims)])
    if article is None:
        raise NotFound("article", article_id)
    return facts_of(article)


def claim_facts(session: Session, claim_id: int) -> ClaimFacts:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound("claim", claim_id)
    return next(f for f in facts_of(claim.article) if f.claim.id == claim_id)


def facts_of(article: Article) -> list[ClaimFacts]:
    reference = reference_of(article)
    statements = [
        Statement(
            claim.id,
            claim.text,
            [resolve(e, reference) for e in extract(claim.text, article.language or "en")],
        )
        for claim in article.claims
    ]
    by_claim: dict[int, list[Hint]] = {}
    for hint in hints(statements, reference):
        for claim_id in dict.fromkeys(hint.claim_ids):
            by_claim.setdefault(claim_id, []).append(hint)
    return [
        ClaimFacts(claim, reference, list(statement.facts), by_claim.get(claim.id, []))
        for claim, statement in zip(article.claims, statements, strict=True)
    ]


def claims_with_hints(article: Article) -> set[int]:
    """The claims of an article that a hint joins to itself or to another: marked on the article page."""
    return {claim_id for facts in facts_of(article) for hint in facts.hints for claim_id in hint.claim_ids}


def _fact_json(fact: Resolved) -> dict[str, Any]:
    expression, interval = fact.expression, fact.interval
    return {
        "text": expression.text,
        "kind": expression.kind.value,
        "start": expression.start,
        "end": expression.end,
        "value": finite(expression.value),
        "unit": expression.unit,
        "qualifier": expression.qualifier,
        "precision": fact.precision,
        "interval": None
        if interval is None
        else {
            "low": finite(interval.low),
            "high": finite(interval.high),
            "low_open": interval.low_open,
            "high_open": interval.high_open,
            "words": interval_words(interval, expression.unit),
        },
    }
