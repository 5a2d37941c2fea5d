from claims.checkworthiness.rules import RuleScorer, cues_in

scorer = RuleScorer()


def test_a_sentence_with_a_vote_count_and_a_date_is_checkworthy_with_reasons() -> None:
    score = scorer.score(
        "She won the leadership on October 4th and was elected, securing 237 out of 465 votes."
    )

    assert score.value > 0.9
    assert "a number: 237" in score.reasons
    assert "a date: October 4th" in score.reasons
    assert "a quantity or comparison: out of" in score.reasons or any("won" in r for r in score.reasons)


def test_a_superlative_is_named_as_a_reason() -> None:
    score = scorer.score("The current three-day visit to Japan is the first such visit in almost six years.")

    assert "a record: first" in score.reasons
    assert score.value >= 0.5


def test_hopes_and_predictions_score_low() -> None:
    score = scorer.score("Both leaders expressed enthusiasm for the upcoming meeting.")

    assert score.value < 0.5
    assert any(reason.startswith("opinion or hope") for reason in score.reasons)


def test_scores_stay_in_the_unit_interval() -> None:
    for sentence in ["", "?", "1 2 3 first record January 2020 according to " * 20]:
        assert 0.0 <= scorer.score(sentence).value <= 1.0


def test_reasons_name_what_was_found_in_words() -> None:
    reasons = cues_in("According to Kyodo News, she was elected on October 4th with 237 votes.")

    assert "attributed: According to Kyodo News" in reasons
    assert "a date: October 4th" in reasons
    assert "a number: 237" in reasons


def test_an_opinion_is_named_with_its_words() -> None:
    assert "opinion or hope: eager to" in cues_in("She stated that she is eager to welcome him.")


def test_a_year_in_a_date_is_named_once_as_the_date() -> None:
    reasons = cues_in("The law passed in March 2024.")

    assert "a date: March 2024" in reasons
    assert not any(reason.startswith("a number") for reason in reasons)


def test_an_abbreviated_source_keeps_its_full_name() -> None:
    assert "attributed: according to the U.S. State Department" in cues_in(
        "The summit, according to the U.S. State Department, was cancelled."
    )


def test_a_sentence_without_a_cue_has_no_reasons() -> None:
    assert cues_in("Thank you all for coming tonight.") == []
    assert scorer.score("Thank you all for coming tonight.").reasons == []


def test_a_question_mark_followed_by_a_long_run_of_spaces_is_read_in_one_pass() -> None:
    assert not any(cue.startswith("a question") for cue in cues_in("Why?" + " " * 60_000 + "x"))
    assert "a question: ?" in cues_in("Did the vote pass? ")
