"""How cuts are chosen and figures reported: the news halves, held-back feedback, bootstrap intervals."""

from claims.checkworthiness.data import Labelled
from claims.checkworthiness.evaluation import choose_cuts, hold_back, news_halves
from claims.checkworthiness.finetune import length_batches
from claims.checkworthiness.metrics import at_threshold, bootstrap_intervals

LABELS = [1, 0, 1, 0, 1, 1, 0, 0, 1, 0]
SCORES = [0.9, 0.8, 0.7, 0.4, 0.2, 0.95, 0.1, 0.3, 0.6, 0.5]


def news(articles: dict[str, list[int]]) -> Labelled:
    data = Labelled()
    for article, labels in articles.items():
        for number, label in enumerate(labels, start=1):
            data.texts.append(f"{article} sentence {number}")
            data.labels.append(label)
            data.ids.append(f"{article}:{number}")
    return data


def test_each_news_article_falls_wholly_in_one_half() -> None:
    data = news({"a.com1": [1, 0], "b.com1": [1], "c.com1": [0, 0], "d.com1": [1]})

    choosing, reporting = news_halves(data)

    assert {i.split(":")[0] for i in choosing.ids} == {"a.com1", "c.com1"}
    assert {i.split(":")[0] for i in reporting.ids} == {"b.com1", "d.com1"}


def test_the_news_cut_is_chosen_on_the_choosing_half_only() -> None:
    # The choosing half (a, c) is separated at 0.5; the reporting half (b, d) would want another cut.
    data = news({"a.com1": [1, 0], "b.com1": [1, 0], "c.com1": [1, 0], "d.com1": [1, 0]})
    scores = {"a.com1": (0.6, 0.4), "c.com1": (0.7, 0.3), "b.com1": (0.2, 0.1), "d.com1": (0.25, 0.05)}

    def probabilities(texts: list[str]) -> list[float]:
        return [scores[t.split()[0]][int(t.split()[-1]) - 1] for t in texts]

    cuts = choose_cuts(probabilities, data, data)

    assert cuts.news == 0.6
    reporting = cuts.reports[2]
    assert reporting.figures.recall == 0.0 and reporting.share_flagged == 0.0


def test_held_back_feedback_is_neither_lost_nor_used_twice() -> None:
    feedback = news({"desk": [1, 0] * 50})

    used, kept = hold_back(feedback, 0.2)

    assert sorted(used.ids + kept.ids) == sorted(feedback.ids)
    assert 10 <= len(kept.texts) <= 30


def test_bootstrap_intervals_hold_the_figure_and_repeat_exactly() -> None:
    figures = at_threshold(LABELS, SCORES, 0.5)

    intervals = bootstrap_intervals(LABELS, SCORES, 0.5, rounds=300)

    assert intervals == bootstrap_intervals(LABELS, SCORES, 0.5, rounds=300)
    for name in ("precision", "recall", "f1", "average_precision"):
        assert intervals[name].low <= getattr(figures, name) <= intervals[name].high
    assert intervals["f1"].low < intervals["f1"].high


def test_training_batches_cover_every_sentence_once_grouped_by_length() -> None:
    lengths = [i % 40 for i in range(1000)]

    batches = length_batches(list(range(1000)), lengths, 32)

    assert sorted(i for batch in batches for i in batch) == list(range(1000))
    assert all(max(lengths[i] for i in b) - min(lengths[i] for i in b) <= 2 for b in batches)
