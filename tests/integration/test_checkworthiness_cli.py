"""`claimtrack checkworthiness`: scoring, evaluation with intervals, and training's guard rails.

Training itself needs the `train` extra (PyTorch, about 2 GB), which CI does not install: these tests
cover what runs without it (the clear error, data checks); the fine-tuning code is exercised by the
smoke run in docs/checkworthiness.md ("Reproduce").
"""

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main


def write_split(path: Path, yes: list[str], no: list[str]) -> None:
    rows = [f"{i}\t{text}\tYes" for i, text in enumerate(yes)] + [
        f"{100 + i}\t{text}\tNo" for i, text in enumerate(no)
    ]
    path.write_text("Sentence_id\tText\tclass_label\n" + "\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    for name in ("ct24_train.tsv", "ct24_dev.tsv", "ct24_dev-test.tsv"):
        write_split(
            tmp_path / name,
            ["Unemployment fell to 4.1 percent in 2019.", "She was elected with 237 of 465 votes."],
            ["I hope we can work together.", "Thank you all for coming tonight."],
        )
    return tmp_path


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


def test_evaluate_prints_each_figure_with_its_bootstrap_interval(tiny_data: Path) -> None:
    result = CliRunner().invoke(main, ["checkworthiness", "evaluate", str(tiny_data / "ct24_dev-test.tsv")])

    assert result.exit_code == 0, result.output
    assert "ct24_dev-test.tsv: 4 sentences, 2 Yes" in result.output
    for figure in ("precision", "recall", "f1", "AP"):
        assert f"{figure} " in result.output
    assert "[" in result.output and "95 % bootstrap" in result.output


def test_training_without_the_train_extra_says_how_to_install_it(
    tiny_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # as on a machine without the extra

    result = CliRunner().invoke(
        main, ["checkworthiness", "train", "--data", str(tiny_data), "--out", str(tmp_path / "model")]
    )

    assert result.exit_code == 1
    assert "pip install 'claimtrack[train]'" in result.output
    assert not (tmp_path / "model").exists()


def test_a_missing_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["checkworthiness", "train", "--data", str(tmp_path / "nowhere")])

    assert result.exit_code == 1
    assert "ct24_train.tsv: no such file" in result.output


def test_a_missing_extra_file_is_a_clear_error_before_any_training(tiny_data: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["checkworthiness", "train", "--data", str(tiny_data), "--extra", str(tmp_path / "feedback.tsv")],
    )

    assert result.exit_code == 1
    assert "feedback.tsv: no such file" in result.output
