from claims.checkworthiness.rules import RuleScorer

scorer = RuleScorer()


def test_a_sentence_with_a_vote_count_and_a_date_is_checkworthy_with_reasons() -> None:
    score = scorer.score(
        "She won the leadership on October 4th and was elected, securing 237 out of 465 votes."
    )

    assert score.value > 0.9
    assert "contains a number: 237" in score.reasons
    assert "a date: October 4th" in score.reasons
    assert "a quantity or comparison: out of" in score.reasons or any("won" in r for r in score.reasons)


def test_a_superlative_is_named_as_a_reason() -> None:
    score = scorer.score("The current three-day visit to Japan is the first such visit in almost six years.")

    assert "a superlative/record: first" in score.reasons
    assert score.value >= 0.5


def test_hopes_and_predictions_score_low() -> None:
    score = scorer.score("Both leaders expressed enthusiasm for the upcoming meeting.")

    assert score.value < 0.5
    assert any(reason.startswith("opinion, hope or prediction") for reason in score.reasons)


def test_scores_stay_in_the_unit_interval() -> None:
    for sentence in ["", "?", "1 2 3 first record January 2020 according to " * 20]:
        assert 0.0 <= scorer.score(sentence).value <= 1.0
