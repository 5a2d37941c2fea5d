from pathlib import Path

import pytest

from claims.checkworthiness.rules import RuleScorer
from claims.ingest.languages import clean_language, detect_language, is_written_without_spaces, word_count
from claims.ingest.sentences import split_sentences

PAGES = Path(__file__).resolve().parents[3] / "shared" / "data" / "html"


@pytest.mark.parametrize(
    ("page", "language"),
    [
        ("spanish_article", "es"),
        ("japanese_article", "ja"),
        ("arabic_article", "ar"),
        ("chinese_article", "zh"),
    ],
)
def test_the_language_of_each_non_english_page_is_detected(page: str, language: str) -> None:
    assert detect_language((PAGES / f"{page}.txt").read_text(encoding="utf-8")) == language


def test_an_english_page_and_a_text_without_letters_are_english() -> None:
    assert detect_language((PAGES / "reuters.com1.txt").read_text(encoding="utf-8")) == "en"
    assert detect_language("2024 — 3.5% / 12,000") == "en"


def test_a_japanese_sentence_is_measured_in_characters_and_is_not_very_short() -> None:
    sentence = "中国国家主席、習近平（シー・ジンピン）も重要な陰の参戦者だった。"

    assert is_written_without_spaces(sentence)
    assert word_count(sentence) >= 10
    assert "too short to carry a checkable fact" not in RuleScorer().score(sentence).reasons


def test_english_length_is_still_counted_in_words() -> None:
    assert word_count("The vote was 237 to 228.") == 6
    assert word_count("Café owners said “no”.") == 4


def test_japanese_and_chinese_pages_split_into_sentences_with_exact_spans() -> None:
    for page, language in (("japanese_article", "ja"), ("chinese_article", "zh")):
        body = (PAGES / f"{page}.txt").read_text(encoding="utf-8")
        sentences = split_sentences(body, language)
        assert len(sentences) > len([line for line in body.splitlines() if line.strip()])
        assert all(body[s.start : s.end] == s.text for s in sentences)


@pytest.mark.parametrize(("given", "stored"), [("ES", "es"), (" pt-BR ", "pt-br"), ("", None), (None, None)])
def test_a_language_override_is_a_code(given: str | None, stored: str | None) -> None:
    assert clean_language(given) == stored


@pytest.mark.parametrize("given", ["english", "e", "en_US", "<b>", "toolongcode"])
def test_a_malformed_language_is_refused(given: str) -> None:
    with pytest.raises(ValueError, match="language must be a code"):
        clean_language(given)
