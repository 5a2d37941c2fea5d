"""`claimtrack checkworthiness`: training on a tiny set, scoring, and evaluation against the baseline."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from claims.checkworthiness.model import LinearModel

YES = [
    "Unemployment fell to 4.1 percent in 2019.",
    "We cut taxes for 20 million families last year.",
    "The deficit doubled between 2001 and 2008.",
    "He voted against the bill 12 times.",
    "Exports grew by 30 percent in three years.",
    "The plant closed in 2015 and 900 jobs were lost.",
    "Crime dropped 20 percent since 1990.",
    "She was elected with 237 of 465 votes.",
]
NO = [
    "I hope we can work together.",
    "Thank you all for coming tonight.",
    "We will make this country great.",
    "That is a wonderful question.",
    "I believe in the American people.",
    "Let me tell you what I think.",
    "We should be proud of our nation.",
    "Good evening, everyone.",
]


def write_split(path: Path, yes: list[str], no: list[str]) -> None:
    rows = [f"{i}\t{text}\tYes" for i, text in enumerate(yes)] + [
        f"{100 + i}\t{text}\tNo" for i, text in enumerate(no)
    ]
    path.write_text("Sentence_id\tText\tclass_label\n" + "\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    write_split(tmp_path / "ct24_train.tsv", YES[:6], NO[:6])
    write_split(tmp_path / "ct24_dev.tsv", YES[6:7], NO[6:7])
    write_split(tmp_path / "ct24_dev-test.tsv", YES[7:], NO[7:])
    return tmp_path


def test_training_on_a_tiny_set_writes_a_model_that_scores(tiny_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "model.npz"

    first = CliRunner().invoke(
        main, ["checkworthiness", "train", "--data", str(tiny_data), "--out", str(out)]
    )
    model = LinearModel.load(out)
    again = CliRunner().invoke(
        main, ["checkworthiness", "train", "--data", str(tiny_data), "--out", str(tmp_path / "again.npz")]
    )

    assert first.exit_code == 0, first.output
    assert "trained on 12 sentences" in first.output
    assert model.probability("Taxes fell 10 percent in 2020.") > model.probability(
        "I hope you enjoy tonight."
    )
    assert (tmp_path / "again.npz").read_bytes() == out.read_bytes()  # fixed seed: the same artefact
    assert again.exit_code == 0


def test_extra_files_add_training_data(tiny_data: Path, tmp_path: Path) -> None:
    extra = tmp_path / "desk.tsv"
    write_split(extra, ["The minister resigned on 3 May."], ["What a day it has been."])

    result = CliRunner().invoke(
        main,
        [
            "checkworthiness",
            "train",
            "--data",
            str(tiny_data),
            "--extra",
            str(extra),
            "--out",
            str(tmp_path / "m.npz"),
        ],
    )

    assert "trained on 14 sentences" in result.output


def test_score_prints_score_flag_and_sentence(tmp_path: Path) -> None:
    sentences = tmp_path / "sentences.txt"
    sentences.write_text(
        "Crime fell 20 percent in 2019.\n\nI hope you enjoy the evening.\n", encoding="utf-8"
    )

    result = CliRunner().invoke(main, ["checkworthiness", "score", str(sentences)])

    lines = [line.split("\t") for line in result.output.splitlines()]
    assert [(flag, text) for _, flag, text in lines] == [
        ("1", "Crime fell 20 percent in 2019."),
        ("0", "I hope you enjoy the evening."),
    ]
    assert all(0 <= float(score) <= 1 for score, _, _ in lines)


def test_evaluate_reports_the_model_and_the_baseline(tiny_data: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "checkworthiness",
            "evaluate",
            str(tiny_data / "ct24_dev-test.tsv"),
            "--train",
            str(tiny_data / "ct24_train.tsv"),
        ],
    )

    assert result.exit_code == 0, result.output
    assert "ct24_dev-test.tsv: 2 sentences, 1 Yes" in result.output
    assert "claimtrack model" in result.output and "TF-IDF + LR baseline" in result.output


def test_a_missing_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["checkworthiness", "train", "--data", str(tmp_path / "nowhere")])

    assert result.exit_code == 1
    assert "ct24_train.tsv: no such file" in result.output
