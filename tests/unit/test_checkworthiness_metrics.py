import pytest

from claims.checkworthiness.metrics import at_threshold, average_precision, best_threshold

# Five sentences by falling score: Yes, No, Yes, No, Yes.
LABELS = [1, 0, 1, 0, 1]
SCORES = [0.9, 0.8, 0.7, 0.4, 0.2]


def test_precision_recall_and_f1_by_hand() -> None:
    figures = at_threshold(LABELS, SCORES, 0.5)

    # Flagged: 0.9, 0.8, 0.7 -> two of three are Yes; two of the three Yes are found.
    assert figures.precision == pytest.approx(2 / 3)
    assert figures.recall == pytest.approx(2 / 3)
    assert figures.f1 == pytest.approx(2 / 3)


def test_average_precision_by_hand() -> None:
    # Yes at ranks 1, 3 and 5: precisions 1/1, 2/3, 3/5.
    assert average_precision(LABELS, SCORES) == pytest.approx((1 + 2 / 3 + 3 / 5) / 3)


def test_nothing_flagged_gives_zero_not_an_error() -> None:
    figures = at_threshold(LABELS, SCORES, 0.95)

    assert (figures.precision, figures.recall, figures.f1) == (0.0, 0.0, 0.0)


def test_the_best_threshold_maximises_f1() -> None:
    # Cutting at 0.2 flags all five: P 3/5, R 1, F1 0.75 -- better than any higher cut.
    assert best_threshold(LABELS, SCORES) == 0.2
