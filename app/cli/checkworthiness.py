"""Training, evaluating and using the check-worthiness model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from app.cli.root import Context, DomainErrorsGroup, main, pass_context
from claims.checkworthiness import default_scorer, metrics, model, training
from claims.checkworthiness.data import read_labelled, read_many
from claims.checkworthiness.feedback import as_tsv_line, reviewer_labels
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
    "--out", type=click.Path(path_type=Path, dir_okay=False), default=model.ARTEFACT, show_default=True
)
def checkworthiness_train(data_dir: Path, extra: tuple[Path, ...], out: Path) -> None:
    """Train the model (fixed seed) and write the artefact that scoring loads."""
    training_data = read_many([data_dir / "ct24_train.tsv", *extra])
    dev, dev_test = read_labelled(data_dir / "ct24_dev.tsv"), read_labelled(data_dir / "ct24_dev-test.tsv")
    for skipped in training_data.skipped + dev.skipped + dev_test.skipped:
        click.echo(f"skipped {skipped}", err=True)
    trained, report = training.train(training_data, dev, dev_test)
    trained.save(out)
    figures = report.dev_test
    click.echo(
        f"trained on {len(training_data.texts)} sentences; C={report.c} class_weight={report.class_weight}; "
        f"dev AP {report.dev_average_precision:.3f}"
    )
    click.echo(
        f"threshold {report.threshold:.4f} (best F1 on dev-test): precision {figures.precision:.3f} "
        f"recall {figures.recall:.3f} F1 {figures.f1:.3f} AP {figures.average_precision:.3f}"
    )
    click.echo(f"wrote {out} ({out.stat().st_size:,} bytes)")


@checkworthiness.command("score")
@click.argument("file", type=click.File(encoding="utf-8"))
def checkworthiness_score(file: Any) -> None:
    """Score one sentence per line: score, flag (1 = check-worthy), sentence."""
    scorer = default_scorer()
    for line in file:
        sentence = line.rstrip("\n")
        if not sentence.strip():
            continue
        scored = scorer.score(sentence)
        click.echo(f"{scored.value:.4f}\t{int(scored.value >= scorer.threshold)}\t{sentence}")


@checkworthiness.command("evaluate")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--train",
    "train_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=SHARED_DATA / "ct24_train.tsv",
    show_default=True,
    help="Training file for the baseline.",
)
def checkworthiness_evaluate(file: Path, train_file: Path) -> None:
    """Precision, recall, F1 (Yes) and average precision of the model and of a TF-IDF baseline."""
    test = read_labelled(file)
    scorer = default_scorer()
    ours = [scorer.score(text).value for text in test.texts]
    baseline = training.baseline_scores(read_labelled(train_file), test.texts)
    tuned = metrics.best_threshold(test.labels, baseline)
    rows = [
        ("claimtrack model", metrics.at_threshold(test.labels, ours, scorer.threshold), scorer.threshold),
        ("TF-IDF + LR baseline", metrics.at_threshold(test.labels, baseline, 0.5), 0.5),
        # The baseline's best possible cut on this very file: an optimistic bound, not a fair score.
        ("  same, cut tuned here", metrics.at_threshold(test.labels, baseline, tuned), tuned),
    ]
    click.echo(f"{file.name}: {len(test.texts)} sentences, {sum(test.labels)} Yes")
    click.echo(f"{'':24}{'threshold':>10}{'precision':>10}{'recall':>8}{'F1':>8}{'AP':>8}")
    for name, figures, cut in rows:
        click.echo(
            f"{name:24}{cut:10.3f}{figures.precision:10.3f}{figures.recall:8.3f}{figures.f1:8.3f}"
            f"{figures.average_precision:8.3f}"
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
