"""Word search over claims and the counts per status the database keeps, on SQLite and PostgreSQL."""

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims import workflow
from claims.models import Article, Claim, User
from claims.queue import QueueFilters, queue_menus, queue_page, queue_rows, status_counts
from claims.services.claims import edit_claim


def found(session: Session, query: str) -> list[str]:
    return [claim.sentence for claim in queue_page(session, QueueFilters(search=query), limit=100).claims]


def sentence_with(article: Article, words: str) -> str:
    return next(claim.sentence for claim in article.claims if words in claim.sentence)


@pytest.mark.parametrize(
    ("query", "words_of_the_sentence"),
    [
        ("237 votes", "237 out of 465 votes"),
        ("votes 237", "237 out of 465 votes"),
        ("takaichi elect", "newly elected Prime Minister Sanae Takaichi"),
        ("VOTES", "237 out of 465 votes"),
        ("Takaichi's", "Takaichi’s leadership"),
        ("TAKAICHI’S leadership", "Takaichi’s leadership"),
        ("“indispensable partnership”", "indispensable partnership"),
    ],
)
def test_search_finds_words_in_any_order_whatever_the_case_and_apostrophe(
    session: Session, sample_article: Article, query: str, words_of_the_sentence: str
) -> None:
    assert sentence_with(sample_article, words_of_the_sentence) in found(session, query)


def test_words_joined_by_an_apostrophe_are_a_phrase_not_prefixes(
    session: Session, sample_article: Article
) -> None:
    assert found(session, "Takaichi's") == [sentence_with(sample_article, "Takaichi’s leadership")]


def test_search_ignores_accents_and_finds_claimant_and_article_title(
    session: Session, reviewer: User, make_article: Callable[..., Article]
) -> None:
    article = make_article(
        text="The café in Zürich raised its prices by 40 percent.", title="Swiss Prices Report"
    )
    claim = article.claims[0]
    assert found(session, "zurich CAFE") == [claim.sentence]
    assert found(session, "Café Zürich") == [claim.sentence]
    assert found(session, "swiss report") == [claim.sentence]

    edit_claim(session, reviewer, claim.id, expected_version=claim.version, claimant="Amélie Dubois")
    session.flush()
    assert found(session, "amelie dubois") == [claim.sentence]


def test_search_follows_the_edited_claim_text(
    session: Session, reviewer: User, make_article: Callable[..., Article]
) -> None:
    claim = make_article(text="She said unemployment fell to 3 percent last year.").claims[0]
    edit_claim(
        session,
        reviewer,
        claim.id,
        expected_version=claim.version,
        text="Mayor Ines Ortega said unemployment fell to 3 percent in 2024.",
    )
    session.flush()

    assert found(session, "ortega unemployment") == [claim.sentence]


def test_a_search_of_punctuation_alone_finds_nothing(session: Session, sample_article: Article) -> None:
    assert found(session, "%") == []
    assert found(session, "'\" * ( ) -") == []


def test_counts_per_status_stay_in_step_with_imports_and_moves(
    session: Session, reviewer: User, sample_article: Article, make_article: Callable[..., Article]
) -> None:
    make_article(text="The budget rose 3 percent in 2024. Unemployment fell to 4 percent.")
    for claim in [claim for claim in sample_article.claims if claim.status == "unreviewed"][:3]:
        workflow.triage(session, reviewer, claim.id, checkworthy=True)
    session.flush()

    counted = dict(session.execute(select(Claim.status, func.count()).group_by(Claim.status)).all())
    kept = status_counts(session, QueueFilters())
    assert {status: n for status, n in kept.items() if n} == counted
    assert kept["in_review"] >= 3


@pytest.mark.parametrize("status", [None, "in_review", "published"])
def test_a_searched_page_counts_its_matches_per_status_as_the_menus_would(
    session: Session, reviewer: User, sample_article: Article, status: str | None
) -> None:
    """The page query brings a search's counts (one read of the index); they must be what counting
    gives, whatever status the page is narrowed to, and an empty page still gets its counts."""
    first = next(claim for claim in sample_article.claims if "Takaichi" in claim.sentence)
    workflow.triage(session, reviewer, first.id, checkworthy=True)
    session.flush()
    searched = QueueFilters(search="takaichi", status=status)

    page = queue_rows(session, searched)
    menus = queue_menus(session, searched, page.counts)

    assert menus.counts == status_counts(session, searched)
    assert sum(menus.counts.values()) == len(found(session, "takaichi")) > 1
    assert menus.counts["in_review"] == 1
    assert len(page.rows) == (menus.counts[status] if status else sum(menus.counts.values()))


@pytest.mark.parametrize("status", [None, "unreviewed"])
def test_paging_through_a_searched_queue_shows_each_match_once_in_order(
    session: Session, sample_article: Article, status: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("claims.queue.PAGE_SIZE", 3)  # the page is cut inside the search's subquery
    searched = QueueFilters(search="the", status=status)
    expected = [claim.id for claim in queue_page(session, searched, limit=100).claims]

    shown, after = [], None
    while True:
        page = queue_rows(session, searched, after=after)
        shown += [row.id for row in page.rows]
        if page.next_cursor is None:
            break
        after = page.next_cursor

    assert len(expected) > 6 and shown == expected


@pytest.mark.parametrize("query", ["U.S.", "u.s", "1.9 percent", "LART.NS", "27,403.54"])
def test_words_joined_by_dots_are_found_as_the_index_holds_them(
    make_article: Callable[..., Article], session: Session, query: str
) -> None:
    """PostgreSQL's parser indexes `u.s`, `1.9` and `lart.ns` as single tokens: the query must be parsed
    the same way, not split into words that were never indexed apart."""
    make_article(
        text="The U.S. economy grew 1.9 percent in 2024, officials said. "
        "Shares of LART.NS rose as the index closed at 27,403.54 points."
    )

    assert found(session, query)
