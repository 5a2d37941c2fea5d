"""The lexical leg of claim matching: BM25 over words folded for case and accents, stop words left out."""

import numpy as np

from claims.matching.lexical import LexicalIndex, words


def test_words_are_folded_and_stop_words_dropped() -> None:
    assert words("The Vaccinés ARE in the water, ²") == ["vaccines", "water", "2"]


def test_the_entry_sharing_the_rarer_words_scores_highest() -> None:
    index = LexicalIndex.build(
        [
            "The moon is made of green cheese.",
            "Cheese prices rose in March.",
            "Vaccines contain microchips.",
            "",
        ]
    )

    scores = index.scores("NASA admits the moon is cheese")

    assert scores.argmax() == 0 and scores[1] > 0 and scores[2] == scores[3] == 0


def test_a_query_with_no_known_word_scores_nothing() -> None:
    index = LexicalIndex.build(["Vaccines contain microchips."])

    assert np.array_equal(index.scores("the of and"), [0.0])
    assert np.array_equal(LexicalIndex.build([]).scores("moon"), np.zeros(0))
