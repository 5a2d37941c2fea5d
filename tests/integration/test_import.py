import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.checkworthiness import Score
from claims.checkworthiness.rules import RuleScorer
from claims.errors import ImportRejected
from claims.ingest.batch import import_batch
from claims.ingest.readers import ArticleDraft, read_drafts
from claims.models import Article, AuditEvent, Claim, SourceType, Status
from claims.services.articles import import_article
from tests.conftest import SAMPLE_ARTICLE, THRESHOLD
from tests.helpers import row_count

PAGES = Path(__file__).resolve().parents[3] / "shared" / "data" / "html"


def test_importing_the_sample_makes_a_claim_per_sentence_with_exact_spans(sample_article: Article) -> None:
    claims = sample_article.claims

    assert len(claims) == 27
    for claim in claims:
        assert sample_article.body[claim.start : claim.end] == claim.sentence == claim.text
        assert 0 <= claim.score <= 1
        assert claim.status == (Status.UNREVIEWED if claim.score >= THRESHOLD else Status.NOT_CHECKWORTHY)
    votes = next(c for c in claims if "237 out of 465 votes" in c.sentence)
    assert votes.status == Status.UNREVIEWED
    assert "a number: 237" in votes.reasons


def test_the_body_is_stored_exactly_as_imported(session: Session, sample_article: Article) -> None:
    session.expire_all()

    stored = session.get(Article, sample_article.id)

    assert stored.body == SAMPLE_ARTICLE.read_text(encoding="utf-8")


def test_each_claim_appears_in_the_article_as_its_first_source(sample_article: Article) -> None:
    claim = sample_article.claims[0]

    [appearance] = claim.appearances
    assert appearance.source.type == SourceType.ARTICLE
    assert appearance.source.name == "Sample Wire"
    assert appearance.source.url == "https://news.example.org/trump-japan"


def test_reimporting_the_same_text_returns_the_existing_article_and_adds_nothing(
    session: Session, sample_article: Article
) -> None:
    claims_before, events_before = row_count(session, Claim), row_count(session, AuditEvent)

    again = import_article(
        session, None, ArticleDraft(text=sample_article.body, title="Other title"), RuleScorer(), THRESHOLD
    )

    assert not again.created
    assert again.article.id == sample_article.id
    assert (row_count(session, Claim), row_count(session, AuditEvent)) == (claims_before, events_before)


def test_an_import_is_audited_once_for_the_article_and_once_per_claim(
    session: Session, sample_article: Article
) -> None:
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.article_id == sample_article.id)
    ).all()

    assert actions.count("article.imported") == 1
    assert actions.count("claim.created") == 27


def test_text_with_a_nul_character_is_refused(make_article: Callable[..., Article]) -> None:
    with pytest.raises(ImportRejected, match="NUL character"):
        make_article(text="Bad\x00text.")


def test_an_invalid_url_is_refused_with_the_field_named(make_article: Callable[..., Article]) -> None:
    with pytest.raises(ImportRejected, match="URL must be an http"):
        make_article(text="A sentence of some length.", url="javascript:alert(1)")


def write_files(directory: Path) -> list[Path]:
    good = directory / "good.txt"
    good.write_text("The council approved 12 new schools in 2024.", encoding="utf-8")
    bad = directory / "bad.txt"
    bad.write_bytes(b"\xff\xfe broken")
    return [good, bad]


def import_files(session: Session, directory: Path, **options: object):
    return import_batch(
        session,
        None,
        write_files(directory),
        scorer=RuleScorer(),
        threshold=THRESHOLD,
        max_bytes=10_000,
        **{"overrides": {}, **options},
    )


def test_a_batch_with_one_bad_file_imports_nothing(session: Session, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match=r"bad\.txt: is not UTF-8"):
        import_files(session, tmp_path)

    assert row_count(session, Article) == 0


def test_skip_bad_imports_the_good_files_and_reports_the_bad(session: Session, tmp_path: Path) -> None:
    outcome = import_files(session, tmp_path, overrides={"publisher": "Gazette"}, skip_bad=True)

    assert [result.article.publisher for result in outcome.imported] == ["Gazette"]
    assert [rejected.source for rejected in outcome.skipped] == [str(tmp_path / "bad.txt")]
    assert row_count(session, Article) == 1


def test_an_article_over_the_sentence_limit_is_refused_before_anything_is_written(
    session: Session,
) -> None:
    events_before = row_count(session, AuditEvent)
    draft = ArticleDraft(text="Word. " * 6, origin="words.txt")

    with pytest.raises(ImportRejected, match=r"words\.txt: has more than 5 sentences"):
        import_article(session, None, draft, RuleScorer(), THRESHOLD, max_claims=5)

    assert row_count(session, Article) == 0
    assert row_count(session, AuditEvent) == events_before


def test_an_article_at_the_sentence_limit_is_imported(session: Session) -> None:
    draft = ArticleDraft(text=" ".join(f"Word {number}." for number in range(5)))  # distinct: not repeats

    result = import_article(session, None, draft, RuleScorer(), THRESHOLD, max_claims=5)

    assert len(result.article.claims) == 5


def test_a_quotation_of_several_sentences_becomes_one_claim_per_sentence_in_one_group(
    session: Session, sample_article: Article
) -> None:
    post = [claim for claim in sample_article.claims if claim.quotation is not None]

    assert [claim.text[:15] for claim in post] == [
        "He had written ",
        "Important agree",
        "Peace, not war!",
        "Millions of liv",
        "Now, I’m off to",
    ]
    assert {claim.quotation for claim in post} == {1}
    assert {claim.claimant for claim in post} == {"President Trump"}
    created = session.scalars(
        select(AuditEvent).where(AuditEvent.claim_id.in_([claim.id for claim in post]))
    ).all()
    assert all(event.changes["quotation"] == [None, 1] for event in created)


SPANISH = "El Gobierno aprobó el martes una subida del salario mínimo del 5 por ciento para 2025."


def test_the_detected_language_is_stored_and_a_given_one_wins(make_article: Callable[..., Article]) -> None:
    assert make_article(text=SPANISH).language == "es"
    assert make_article(text=SPANISH + " ", language="PT").language == "pt"


def test_a_malformed_language_is_refused_naming_the_input(make_article: Callable[..., Article]) -> None:
    with pytest.raises(ImportRejected, match="language must be a code"):
        make_article(text=SPANISH, language="Spanish")


def test_a_japanese_page_is_split_by_japanese_rules_and_its_sentences_are_not_very_short(
    session: Session,
) -> None:
    [draft] = read_drafts(PAGES / "japanese_article.html", 10_000_000)

    article = import_article(session, None, draft, RuleScorer(), THRESHOLD).article

    assert article.language == "ja"
    long_sentences = [c for c in article.claims if len(c.text) >= 20]
    assert long_sentences
    assert not any("too short to carry a checkable fact" in c.reasons for c in long_sentences)
    assert all(article.body[c.start : c.end] == c.text for c in article.claims)


def test_furniture_lines_of_a_real_page_stay_in_the_body_but_are_not_claims(session: Session) -> None:
    [draft] = read_drafts(PAGES / "reuters.com3.html", 10_000_000)

    article = import_article(session, None, draft, RuleScorer(), THRESHOLD).article

    texts = [claim.text for claim in article.claims]
    assert article.body == draft.text
    for furniture in (
        "SEARCHING THROUGH THE NIGHT",
        "SURABAYA, Indonesia/JAKARTA",
        "(Additional reporting by Fergus Jensen",
    ):
        assert f"\n{furniture}" in article.body
        assert not any(text.startswith(furniture) and "(Reuters)" not in text for text in texts)
    assert not any(text == article.title for text in texts)
    assert any(text.startswith("The plane has yet to be found") for text in texts)
    assert all(article.body[c.start : c.end] == c.text for c in article.claims)


def test_a_teaser_of_another_article_and_its_full_article_link_make_no_claim(session: Session) -> None:
    [draft] = read_drafts(PAGES / "reuters.com1.html", 10_000_000)

    article = import_article(session, None, draft, RuleScorer(), THRESHOLD).article

    texts = [claim.text for claim in article.claims]
    assert "Full Article" not in article.body
    assert not any("Jaitley" in text for text in texts)  # "Trending On Reuters": another article's teaser
    assert texts[-1].startswith("Reliance Industries (RELI.NS) closed down 1.9 percent")


def test_a_live_blogs_time_stamps_stay_in_the_body_but_not_in_its_claims(session: Session) -> None:
    [draft] = read_drafts(PAGES / "telegraph.co.uk1.html", 10_000_000)

    article = import_article(session, None, draft, RuleScorer(), THRESHOLD).article

    assert "\n23.45 It is now approaching 7am in Jakarta." in article.body
    assert "It is now approaching 7am in Jakarta." in [claim.text for claim in article.claims]
    assert not any(re.match(r"\d\d\.\d\d ", claim.text) for claim in article.claims)
    assert all(article.body[c.start : c.end] == c.text for c in article.claims)


def test_a_sentence_the_article_repeats_is_one_claim_where_it_first_stands(
    make_article: Callable[..., Article],
) -> None:
    repeated = "No CRISPR drug yet exists."  # technologyreview.com1.html repeats it as a pull quote
    body = (
        f"{repeated} But if CRISPR turns out to be as important as scientists hope, commercial control over "
        "the underlying technology could be worth billions.\n"
        "Zhang cofounded Editas Medicine, and this week the startup licensed his patent.\n"
        f"{repeated}\n"
    )

    article = make_article(text=body)

    assert [claim.start for claim in article.claims if claim.text == repeated] == [0]
    assert len(article.claims) == 3


def test_a_text_that_is_mostly_template_code_is_refused_with_a_reason(
    make_article: Callable[..., Article],
) -> None:
    with pytest.raises(ImportRejected, match=r"is mostly template code \(\{\{ … \}\}\), not article text"):
        make_article(text="{{ headline }}\n{{ story.body|safe }}\n{% for tag in tags %}{{ tag }}{% endfor %}")


class CountingScorer(RuleScorer):
    """Counts the sentences scored, and notes whether the session held a transaction while scoring."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sentences_scored = 0
        self.scored_inside_a_transaction = False

    def score_many(self, sentences: Sequence[str]) -> list[Score]:
        self.sentences_scored += len(sentences)
        self.scored_inside_a_transaction |= self.session.in_transaction()
        return super().score_many(sentences)


def test_reimporting_a_known_text_scores_nothing(session: Session, sample_article: Article) -> None:
    scorer = CountingScorer(session)

    again = import_article(session, None, ArticleDraft(text=sample_article.body), scorer, THRESHOLD)

    assert not again.created
    assert scorer.sentences_scored == 0


def test_a_new_text_is_scored_outside_any_transaction_then_stored(session: Session) -> None:
    """On SQLite a transaction holds the write lock: no other writer waits while sentences are scored."""
    scorer = CountingScorer(session)
    text = "The council approved a budget of 12 million euros on Monday. Critics called it reckless."

    result = import_article(session, None, ArticleDraft(text=text), scorer, THRESHOLD)

    assert result.created
    assert scorer.sentences_scored == 2
    assert not scorer.scored_inside_a_transaction
    assert [claim.text for claim in result.article.claims] == [
        "The council approved a budget of 12 million euros on Monday.",
        "Critics called it reckless.",
    ]


def test_an_embedded_post_is_claimed_by_the_author_its_signature_line_names(session: Session) -> None:
    # The signature line is furniture and makes no claim, but it names who wrote the post above it.
    text = (
        "Relatives have been holding prayer sessions at the airport as they wait for news.\n"
        "So many ambulances lined up outside the military airport to receive the bodies of the victims\n"
        "— Tom Phillips (@tomphillipsin) December 31, 2014\n"
        "Stormy weather has forced Indonesian rescuers to suspend their search for the bodies."
    )
    draft = ArticleDraft(text=text, publisher="The Telegraph")

    article = import_article(session, None, draft, RuleScorer(), THRESHOLD).article

    assert [(claim.text[:20], claim.claimant) for claim in article.claims] == [
        ("Relatives have been ", "The Telegraph"),
        ("So many ambulances l", "Tom Phillips (@tomphillipsin)"),
        ("Stormy weather has f", "The Telegraph"),
    ]
