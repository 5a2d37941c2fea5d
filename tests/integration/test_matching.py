"""Asking for similar claims: fact-checks and the desk's own claims, best first, with a readable score."""

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from claims.matching.factchecks import import_fact_checks
from claims.matching.index import (
    ABANDONED_BUILD_SECONDS,
    INDEX_DIR_VARIABLE,
    SIMILARITY_FLOOR,
    CachedIndex,
    Hit,
    MatchIndex,
    build_index_files,
)
from claims.matching.search import similar_to_claim, similar_to_text
from claims.matching.suggestions import keep_strong_matches, strongly_matched
from claims.models import Claim, Embedding, Status
from claims.services.claims import edit_claim

MOON = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/moon-cheese",
    "claimReviewed": "The moon is made of green cheese, NASA admitted.",
    "author": {"name": "Example Checks"},
    "reviewRating": {"alternateName": "False"},
    "datePublished": "2024-03-05",
}
VACCINE = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/vaccine-chips",
    "claimReviewed": "Covid vaccines contain microchips used to track people.",
    "author": {"name": "Other Checks"},
    "reviewRating": {"alternateName": "Pants on fire"},
}
REPEATED = "The mayor said unemployment in Springfield fell to 3.2 percent in 2023."


def test_a_reworded_claim_finds_the_fact_check_that_reviewed_it(session: Session) -> None:
    import_fact_checks(session, None, "\n".join(json.dumps(r) for r in (MOON, VACCINE)))

    # The vaccine fact-check shares nothing with the query: under the similarity floor, it is not offered.
    [best] = similar_to_text(session, "NASA finally admits that the moon is cheese", top=2)

    assert (best.kind, best.url, best.rating, best.organisation) == (
        "factcheck",
        MOON["url"],
        "False",
        "Example Checks",
    )
    assert best.published_on == "2024-03-05"
    assert best.is_strong and best.likeness == "likely the same claim"


def test_a_loosely_related_match_is_offered_as_possibly_related(session: Session) -> None:
    import_fact_checks(session, None, json.dumps(VACCINE))

    [match] = similar_to_text(session, "Vaccines were tested on too few people", top=3)

    assert match.score >= SIMILARITY_FLOOR and not match.is_strong and match.likeness == "possibly related"


def test_a_sentence_repeated_in_two_articles_is_matched_across_them(session: Session, make_article) -> None:
    first = make_article(f"{REPEATED} The weather was fine.")
    second = make_article(f"Reports differ. {REPEATED}")
    [claim_one] = [c for c in first.claims if c.sentence == REPEATED]
    [claim_two] = [c for c in second.claims if c.sentence == REPEATED]

    [best, *_] = similar_to_claim(session, claim_one.id, top=3)

    assert (best.kind, best.id) == ("claim", claim_two.id)
    assert 0.99 < best.score <= 1 and best.status == "unreviewed"  # never above 1: a form refuses that


def test_the_sentences_of_a_claim_own_article_are_not_offered_as_its_matches(
    session: Session, make_article
) -> None:
    reworded = "Springfield's unemployment fell to 3.2 percent in 2023, the mayor said."
    article = make_article(f"{REPEATED} Officials disagreed. {reworded}")
    first, second = (c for c in article.claims if c.sentence in (REPEATED, reworded))
    alone = strongly_matched(session, [first.id, second.id])
    elsewhere = next(c for c in make_article(f"Reports differ. {REPEATED}").claims if c.sentence == REPEATED)

    similar = similar_to_claim(session, first.id, top=5)

    assert alone == set()  # the same claim twice in one article is no repeat to handle first
    assert [(m.kind, m.id) for m in similar if m.kind == "claim"] == [("claim", elsewhere.id)]
    # The repeat in another article is told of its best match, which is told in return.
    assert strongly_matched(session, [first.id, second.id, elsewhere.id]) == {first.id, elsewhere.id}


def test_a_claim_looked_at_again_finds_the_repeat_imported_since(session: Session, make_article) -> None:
    first = make_article(f"{REPEATED} The weather was fine.")
    [claim_one] = [c for c in first.claims if c.sentence == REPEATED]
    before = similar_to_claim(session, claim_one.id, top=3)
    second = make_article(f"Reports differ. {REPEATED}")
    [claim_two] = [c for c in second.claims if c.sentence == REPEATED]

    [best, *_] = similar_to_claim(session, claim_one.id, top=3)

    assert claim_two.id not in {match.id for match in before if match.kind == "claim"}
    assert (best.kind, best.id) == ("claim", claim_two.id)


def test_check_worthy_claims_are_embedded_on_import(session: Session, make_article) -> None:
    article = make_article(f"{REPEATED} Hello.")
    embedded = set(session.scalars(select(Embedding.entity_id).where(Embedding.kind == "claim")))
    worthy = {c.id for c in article.claims if c.status != Status.NOT_CHECKWORTHY}
    assert worthy and embedded == worthy


def test_a_reworded_claim_is_searched_by_its_new_wording(session: Session, make_article) -> None:
    article = make_article(f"{REPEATED} Hello.")
    claim = next(c for c in article.claims if c.sentence == REPEATED)
    session.execute(
        Claim.__table__.update()
        .where(Claim.id == claim.id)
        .values(text="Vaccines hide tracking microchips, the mayor said.")
    )

    [best] = similar_to_text(session, "microchips in vaccines track you", top=1)

    assert (best.kind, best.id) == ("claim", claim.id)


def test_rewording_a_claim_drops_the_strong_matches_its_old_words_earned(
    session: Session, make_article, reviewer
) -> None:
    first, second = (make_article(f"{REPEATED} Hello.").claims[0] for _ in range(2))
    keep_strong_matches(session, [(first.id, Hit("claim", second.id, 0.9))])  # kept both ways
    edit_claim(session, reviewer, first.id, expected_version=first.version, claimant="The mayor")
    assert strongly_matched(session, [first.id, second.id]) == {first.id, second.id}

    edit_claim(session, reviewer, first.id, expected_version=first.version, text="Bridges rusted in 1990.")

    assert strongly_matched(session, [first.id, second.id]) == set()


def test_a_desk_without_stored_embeddings_is_not_all_encoded_by_one_reader(
    session: Session, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Past a bound, entries without an embedding (a desk upgraded from before stored embeddings) wait for
    the matching-index job instead of making the page that asked encode them all."""
    import_fact_checks(session, None, "\n".join(json.dumps(r) for r in (MOON, VACCINE)))
    session.execute(delete(Embedding))
    monkeypatch.setattr("claims.matching.index.INLINE_ENCODING_LIMIT", 1)

    index = MatchIndex.load(session)

    assert len(index) == 1
    assert "Build the claim-matching index" in caplog.text


def test_workers_map_one_shared_index_file_rebuilt_when_the_collection_changes(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(INDEX_DIR_VARIABLE, str(tmp_path))
    import_fact_checks(session, None, json.dumps(MOON))
    one_worker, another_worker = CachedIndex(), CachedIndex()

    first, same = one_worker.get(session), another_worker.get(session)
    import_fact_checks(session, None, json.dumps(VACCINE))
    grown = another_worker.get(session)

    assert isinstance(first.vectors, np.memmap) and first.vectors.filename == same.vectors.filename
    assert (len(first), len(grown)) == (1, 2) and one_worker.get(
        session
    ).vectors.filename == grown.vectors.filename
    assert not Path(first.vectors.filename).exists()  # the old files are removed once a newer one is built


def test_a_build_abandoned_by_a_dead_process_is_cleared_and_one_in_progress_is_left(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(INDEX_DIR_VARIABLE, str(tmp_path))
    import_fact_checks(session, None, json.dumps(MOON))
    database = build_index_files(session).parent
    abandoned, in_progress = database / ".building-dead", database / ".building-busy"
    abandoned.mkdir(), in_progress.mkdir()
    os.utime(abandoned, (time.time() - 2 * ABANDONED_BUILD_SECONDS,) * 2)

    import_fact_checks(session, None, json.dumps(VACCINE))
    build_index_files(session)

    assert in_progress.exists() and not abandoned.exists()
