"""The language of an article, and lengths that mean the same in scripts written without spaces.

py3langid detects the language offline (its model ships in the wheel); docs/languages.md has the
comparison that chose it. The code is stored on the article and chooses the sentence splitter's rules.
"""

from __future__ import annotations

import re
import unicodedata

DEFAULT_LANGUAGE = "en"
# Enough text to be sure of the language; detection time grows with the length.
DETECTION_SAMPLE_CHARS = 2_000
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
# Scripts written without spaces between words, and their mean word length in characters (a common
# rule of thumb for Chinese and Japanese news text): a sentence's length in words is estimated from its
# characters, so a Japanese sentence is not "very short" for having no spaces.
SCRIPTS_WITHOUT_SPACES = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")
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


def _without_spaces(char: str) -> bool:
    return unicodedata.name(char, "").startswith(SCRIPTS_WITHOUT_SPACES)


def is_written_without_spaces(text: str) -> bool:
    """Most of the text's letters are in a script that does not separate words with spaces."""
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and sum(map(_without_spaces, letters)) * 2 > len(letters)


def word_count(text: str) -> int:
    """Words separated by spaces, plus an estimate from the characters of scripts without spaces."""
    if text.isascii():  # the common case, kept as cheap as it was before scripts without spaces counted
        return len(text.split())
    without_spaces = sum(1 for char in text if char.isalpha() and _without_spaces(char))
    spaced = len(re.sub(r"\w", lambda m: " " if _without_spaces(m.group(0)) else m.group(0), text).split())
    return spaced + -(-without_spaces // CHARACTERS_PER_WORD)
