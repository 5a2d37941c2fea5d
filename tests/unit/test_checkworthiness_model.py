"""The shipped model: explainable scores, a chosen threshold, and good sense on news prose."""

from pathlib import Path

import pytest

from claims.checkworthiness import default_scorer
from claims.checkworthiness.data import DatasetError, read_labelled
from claims.checkworthiness.metrics import average_precision

SAMPLE_LABELS = Path(__file__).parents[1] / "data" / "sample-article-labels.tsv"


def test_scores_come_with_reasons_in_words() -> None:
    score = default_scorer().score(
        "She was elected in the parliamentary vote, securing 237 out of 465 votes."
    )

    assert score.value >= default_scorer().threshold
    assert "↑ contains a number: 237" in score.reasons
    assert 1 <= len(score.reasons) <= 3


def test_a_low_score_explains_what_lowered_it() -> None:
    score = default_scorer().score("Both leaders expressed enthusiasm for the upcoming meeting.")

    assert score.value < default_scorer().threshold
    assert score.reasons[0] == "↓ opinion, hope or prediction: enthusiasm"


def test_on_the_sample_article_every_factual_sentence_outranks_every_opinion() -> None:
    """Hand labels: visits, dates, numbers, records and votes are Yes; opinions, hopes, predictions No."""
    labelled = read_labelled(SAMPLE_LABELS)
    scorer = default_scorer()

    scores = [scorer.score(text).value for text in labelled.texts]

    assert average_precision(labelled.labels, scores) == 1.0
    assert all(
        score >= scorer.threshold for score, label in zip(scores, labelled.labels, strict=True) if label
    )


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
    assert data.skipped == [
        "labels.tsv:3: 5 fields, expected 3",
        "labels.tsv:4: label 'Maybe' is not Yes or No, or the text is empty",
    ]


def test_a_file_without_the_columns_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("id\tsentence\n1\tHello\n", encoding="utf-8")

    with pytest.raises(DatasetError, match="missing column\\(s\\) Text, class_label"):
        read_labelled(path)
