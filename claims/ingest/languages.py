"""The language of an article, and lengths that mean the same in scripts written without spaces.

py3langid detects the language offline (its model ships in the wheel); docs/languages.md has the
comparison that chose it. The code is stored on the article and chooses the sentence splitter's rules.
"""

from __future__ import annotations

import re

DEFAULT_LANGUAGE = "en"
# Enough text to be sure of the language; detection time grows with the length.
DETECTION_SAMPLE_CHARS = 1_000
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
# Scripts written without spaces between words, and their mean word length in characters (a common
# rule of thumb for Chinese and Japanese news text): a sentence's length in words is estimated from its
# characters, so a Japanese sentence is not "very short" for having no spaces.
WITHOUT_SPACES = re.compile(  # Thai, Lao, Myanmar, Khmer, kana, CJK ideographs, half-width katakana
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)
CHARACTERS_PER_WORD = 2


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the text's language, or English when the text has no letters to tell by."""
    sample = text[:DETECTION_SAMPLE_CHARS]
    if not any(char.isalpha() for char in sample):
        return DEFAULT_LANGUAGE
    import py3langid  # loads its model on first use (about 2 s), so only when an import needs it

    language, _score = py3langid.classify(sample)
    return str(language)


def clean_language(value: str | None) -> str | None:
    """A language code given by a user, lower-cased, or None for "detect it"; ValueError if malformed."""
    if value is None or not value.strip():
        return None
    code = value.strip()
    if not LANGUAGE_CODE.match(code) or len(code) > 8:
        raise ValueError(f"language must be a code such as en, es, ja or pt-BR, got {value!r}")
    return code.lower()


def is_written_without_spaces(text: str) -> bool:
    """Most of the text's letters are in a script that does not separate words with spaces."""
    letters = sum(1 for char in text if char.isalpha())
    return bool(letters) and len(WITHOUT_SPACES.findall(text)) * 2 > letters


def word_count(text: str) -> int:
    """Words separated by spaces, plus an estimate from the characters of scripts without spaces."""
    without_spaces = len(WITHOUT_SPACES.findall(text))
    if not without_spaces:  # the common case, as cheap as it was before scripts without spaces counted
        return len(text.split())
    spaced = len(WITHOUT_SPACES.sub(" ", text).split())
    return spaced + -(-without_spaces // CHARACTERS_PER_WORD)
