"""The shipped model (loaded once per test session): scores, cues as reasons, its cuts, news prose."""

import json
from pathlib import Path

import pytest

from claims.checkworthiness import default_scorer
from claims.checkworthiness.data import DatasetError, read_labelled
from claims.checkworthiness.evaluation import news_halves
from claims.checkworthiness.metrics import at_threshold, average_precision
from claims.checkworthiness.rules import cues_in, reasons_to_show
from claims.checkworthiness.transformer import ARTEFACT

SAMPLE_LABELS = Path(__file__).parents[1] / "data" / "sample-article-labels.tsv"
NEWS_LABELS = Path(__file__).parents[1] / "data" / "news-labels.tsv"


def test_a_vote_count_scores_above_the_cut_with_its_cues_as_reasons() -> None:
    score = default_scorer().score(
        "She was elected in the parliamentary vote, securing 237 out of 465 votes."
    )

    assert score.value >= default_scorer().threshold
    assert "a number: 237" in score.reasons


def test_a_hope_ranks_below_a_vote_count_and_says_why_in_words() -> None:
    """The queue is ordered by score. (The 2-epoch model puts this hope at 0.21, just over the news cut
    of 0.19: its cut favours recall, docs/checkworthiness.md.)"""
    hope = default_scorer().score("She stated that she is eager to welcome him to Tokyo.")
    vote = default_scorer().score("She was elected in the parliamentary vote, securing 237 out of 465 votes.")

    assert hope.value < vote.value
    assert "opinion or hope: eager to" in hope.reasons


def test_reasons_never_show_a_model_token_or_placeholder() -> None:
    labelled = read_labelled(SAMPLE_LABELS)

    reasons = [reason for scored in default_scorer().score_many(labelled.texts) for reason in scored.reasons]

    assert reasons
    assert not [r for r in reasons if "<" in r or "the word" in r or r[0] in "↑↓"]


def test_a_sentence_scores_the_same_in_an_article_as_alone() -> None:
    """int8 dynamic quantisation scales activations per batch: sentences are scored one a run so that a
    claim re-scored alone (a split, a merge) keeps the score its import gave it."""
    texts = read_labelled(SAMPLE_LABELS).texts
    scorer = default_scorer()

    together = scorer.score_many(texts)

    assert together == [scorer.score(text) for text in texts]


def test_on_the_sample_article_facts_rank_above_opinions() -> None:
    labelled = read_labelled(SAMPLE_LABELS)

    scores = [scored.value for scored in default_scorer().score_many(labelled.texts)]

    assert average_precision(labelled.labels, scores) >= 0.75  # 0.80 for the shipped model, 23 sentences


def test_on_news_the_default_cut_flags_facts_not_the_whole_article() -> None:
    """The reporting half of the news labels: articles the news cut was not chosen on. (The shipped
    model's news cut, 0.19, is below its debate cut, 0.25: on news it flags 76 % against 73 %.)"""
    _, reporting = news_halves(read_labelled(NEWS_LABELS))
    scorer = default_scorer()

    scores = [scored.value for scored in scorer.score_many(reporting.texts)]

    figures = at_threshold(reporting.labels, scores, scorer.threshold)
    flagged = sum(score >= scorer.threshold for score in scores) / len(scores)
    assert flagged < 0.8
    assert figures.precision >= 0.65 and figures.recall >= 0.85


def test_the_artefact_names_its_provenance_and_cuts() -> None:
    card = json.loads((ARTEFACT / "card.json").read_text(encoding="utf-8"))

    assert "all-MiniLM-L6-v2" in card["base_model"]
    assert 0 < card["news_threshold"] < 1 and 0 < card["debate_threshold"] < 1
    assert (ARTEFACT / "model.onnx").stat().st_size < 30_000_000


def test_malformed_rows_are_skipped_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "labels.tsv"
    path.write_text(
        "Sentence_id\tText\tclass_label\n1\tWe cut taxes by 5%.\tYes\n2\tmerged\tNo3\tx\tNo\n"
        "4\tI hope so.\tMaybe\n5\tIt rained.\tNo\n",
        encoding="utf-8",
    )

    data = read_labelled(path)

    assert data.texts == ["We cut taxes by 5%.", "It rained."]
    assert data.labels == [1, 0]
    assert data.ids == ["1", "5"]
    assert data.skipped == [
        "labels.tsv:3: 5 fields, expected 3",
        "labels.tsv:4: label 'Maybe' is not Yes or No, or the text is empty",
    ]


def test_a_file_without_the_columns_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("id\tsentence\n1\tHello\n", encoding="utf-8")

    with pytest.raises(DatasetError, match="missing column\\(s\\) Text, class_label"):
        read_labelled(path)


def test_an_old_models_word_reasons_are_shown_as_the_cues_of_the_sentence() -> None:
    sentence = "Takaichi was elected on October 4th, securing 237 out of 465 votes."
    old = ["↑ the word “japan”", "↑ the word “<num>”", "↓ the word “to”"]

    assert reasons_to_show(old, sentence) == cues_in(sentence)
    assert reasons_to_show(["a number: 237"], sentence) == ["a number: 237"]
    assert reasons_to_show(["↓ the word “eager”"], "We are eager to help") == ["opinion or hope: eager to"]
