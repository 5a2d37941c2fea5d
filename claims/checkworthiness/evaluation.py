"""How the shipped cuts are chosen and how the model's figures are reported.

- The **debate cut** is the best F1 of the Yes class on `ct24_dev-test.tsv` (train and dev chose
  everything else), the protocol of the CheckThat! data the model is trained on.
- The **news cut** (the desk's default) is chosen on the hand-labelled news sentences in
  `tests/data/news-labels.tsv`: on the articles of the *choosing* half only, as the best F1 of the Yes
  class; the other half's articles report it. Whole articles go to one half, so no article is both
  chosen on and reported on. The labels never train the model.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from claims.checkworthiness.data import Labelled, subset
from claims.checkworthiness.metrics import (
    Figures,
    Interval,
    at_threshold,
    best_threshold,
    bootstrap_intervals,
)

# Relative to the working directory, like the training data: a checkout of the project, not the package.
NEWS_LABELS = Path("tests", "data", "news-labels.tsv")


def article_of(sentence_id: str) -> str:
    """News label ids are `ARTICLE:NUMBER` (e.g. `reuters.com2:14`)."""
    return sentence_id.rsplit(":", 1)[0]


def news_halves(news: Labelled) -> tuple[Labelled, Labelled]:
    """(choosing half, reporting half): articles in name order, alternately."""
    articles = sorted({article_of(sentence_id) for sentence_id in news.ids})
    choosing = set(articles[::2])
    in_choosing = [article_of(sentence_id) in choosing for sentence_id in news.ids]
    return subset(news, in_choosing), subset(news, [not flag for flag in in_choosing])


def hold_back(feedback: Labelled, share: float, seed: int = 20241) -> tuple[Labelled, Labelled]:
    """(labels to train on, labels kept back to judge them): a fixed random share of the rows."""
    generator = random.Random(seed)
    kept_back = [generator.random() < share for _ in feedback.texts]
    return subset(feedback, [not flag for flag in kept_back]), subset(feedback, kept_back)


@dataclass(frozen=True)
class Report:
    name: str
    sentences: int
    positives: int
    threshold: float
    figures: Figures
    intervals: dict[str, Interval]
    share_flagged: float


def report(name: str, data: Labelled, scores: Sequence[float], threshold: float) -> Report:
    flagged = sum(1 for score in scores if score >= threshold)
    return Report(
        name,
        len(data.texts),
        sum(data.labels),
        threshold,
        at_threshold(data.labels, scores, threshold),
        bootstrap_intervals(data.labels, scores, threshold),
        flagged / len(scores) if scores else 0.0,
    )


@dataclass(frozen=True)
class Cuts:
    debate: float
    news: float
    reports: list[Report]


def choose_cuts(
    probabilities: Callable[[Sequence[str]], list[float]], dev_test: Labelled, news: Labelled
) -> Cuts:
    """The two cuts, with the figures that justify them (the choosing sets, then the reporting half)."""
    dev_test_scores = probabilities(dev_test.texts)
    debate = round(best_threshold(dev_test.labels, dev_test_scores), 4)
    choosing, reporting = news_halves(news)
    choosing_scores = probabilities(choosing.texts)
    news_cut = round(best_threshold(choosing.labels, choosing_scores), 4)
    return Cuts(
        debate,
        news_cut,
        [
            report("dev-test (chose the debate cut)", dev_test, dev_test_scores, debate),
            report("news, choosing half (chose the news cut)", choosing, choosing_scores, news_cut),
            report("news, reporting half", reporting, probabilities(reporting.texts), news_cut),
        ],
    )


def format_report(item: Report) -> str:
    figures, intervals = item.figures, item.intervals
    cells = [
        f"{name} {getattr(figures, name):.3f} [{intervals[name].low:.3f}–{intervals[name].high:.3f}]"
        for name in ("precision", "recall", "f1", "average_precision")
    ]
    return (
        f"{item.name}: {item.sentences} sentences, {item.positives} Yes, cut {item.threshold:.4f}, "
        f"flagged {item.share_flagged:.0%}\n  " + "  ".join(cells).replace("average_precision", "AP")
    )


def set_cuts(folder: Path, dev_test: Labelled, news: Labelled) -> Cuts:
    """Choose both cuts for the model in `folder` and write them, with their figures, into its card."""
    from claims.checkworthiness.transformer import TransformerScorer

    cuts = choose_cuts(TransformerScorer.load(folder).probabilities, dev_test, news)
    card_path = folder / "card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card.update(
        debate_threshold=cuts.debate,
        news_threshold=cuts.news,
        figures=[{**asdict(item), "share_flagged": round(item.share_flagged, 4)} for item in cuts.reports],
    )
    card_path.write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return cuts
