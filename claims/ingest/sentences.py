"""Sentence splitting that keeps exact character offsets into the article body.

sentencex does the splitting (it keeps abbreviations such as "U.S." and "Oct. 4" and decimals); see
docs/sentence-splitting.md for the comparison that chose it. It keeps a quotation of several sentences
together; every statement is a claim of its own, so such a quotation is cut again at its own sentence
ends, and its sentences carry the quotation's number so the page can show they belong together.
sentencex returns strings, so offsets are recovered by locating each piece in order. A paragraph is split
without a live blog's time stamp at its start and an embedded post's links at its end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import sentencex

# A quotation: curly quotes, or straight double quotes within a paragraph. An opening quote without its
# closing one runs to the end of the paragraph (news style: the quote goes on in the next paragraph).
QUOTATION = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)")
# A live blog's time stamp opening an entry ("16.06 AirAsia QZ8501 made …", "10:42 a.m. ET The senator
# said …"): it dates the entry and is no part of its first sentence. A capital must follow it, so a
# paragraph opening with a number ("95.32 percent carbon dioxide, …") keeps it.
LIVE_BLOG_TIME = re.compile(
    r"\s*(?:[01]?\d|2[0-3])[.:][0-5]\d(?:\s?[ap]\.m\.|\s?[AaPp][Mm]\b)?"
    r"(?:\s(?:ET|EST|EDT|CT|CST|CDT|PT|PST|PDT|GMT|BST|UTC|CET|CEST)\b)?\s+"
)
OPENING_QUOTES = "\"“‘'(#"
# A wire story's dateline ("JAKARTA (Reuters) - Countries around Asia …", "SURABAYA, Indonesia (Reuters) -",
# "WASHINGTON (AP) — "): where and who filed it, no part of its first sentence. Only a wire agency's name
# in the brackets, and a few words of place: "WHO (World Health Organization) - The agency said" stays.
WIRE_AGENCIES = "Reuters|AP|AFP|UPI|Bloomberg|CNN|PTI|IANS|Xinhua|dpa|ANSA|EFE|Kyodo|Yonhap|AAP|TASS|Anadolu"
DATELINE = re.compile(
    r"\s*[A-Z][A-Z'’.-]{1,30}(?: [A-Z][A-Z'’.-]{1,30}){0,4}(?:,[^()\n]{1,40})?"
    rf" \((?:Thomson )?(?:{WIRE_AGENCIES})(?: [A-Z]\w+)?\) ?[-–—]{{1,2}}\s+"
)
# A sentence that opens with one of these labels continues the one before it (see
# `_with_continuations_joined`).
CONTINUATION_LABEL = re.compile(r"(?:By|In|For) comparison:")
# "Charpentier says." after a quoted question or exclamation: the quote's attribution, not a sentence.
SPEAKER_TAG = re.compile(
    r"(?:[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}|[Hh]e|[Ss]he|[Tt]hey)\s+"
    r"(?:says|said|asks|asked|adds|added|writes|wrote|explains|explained|recalls|recalled)\.?"
)
QUESTION_OR_EXCLAMATION_QUOTED = ('?"', "?”", '!"', "!”")
SEGMENT_MAX_CHARS = 20_000  # see `_chunks`
ENDS_A_SENTENCE = re.compile(r"[.!?][’'\"”\s]*[\"”]$")
# Every space other than ASCII's, each read as one ASCII space (see `_pieces`).
ASCII_SPACES = str.maketrans(
    {char: " " for char in map(chr, [0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F,
                                    0x205F, 0x3000])}
)  # fmt: skip
# A list's bullet ("• Seven bodies from 162 on board found so far"); at a paragraph's start, followed by a
# space, it is layout, not a word of the claim.
BULLETS = "•◦‣▪■●►▸·*-–—»›"
# What an embedded post (a tweet) shows after its words: its links ("… victims pic.twitter.com/16xocpihlY",
# "… by helicopter http://t.co/fU1QeMQPFC pic.twitter.com/xrDVp5Qaqn"). Lower case; compared with casefold.
TRAILING_LINK_PREFIXES = ("http://", "https://", "pic.twitter.com/", "pic.x.com/")
# A run of trailing links is a post's only if one of them is a form only a post shows (its picture, its
# shortened link): an article sentence that ends by citing a page ("The full report is at
# https://example.org/report") keeps its link.
POST_LINK_PREFIXES = ("pic.twitter.com/", "pic.x.com/", "http://t.co/", "https://t.co/")
# A link followed by a sentence's own full stop ("The report is at https://example.org/report.") is part of
# that sentence, which cites it; a post's links end with no punctuation.
SENTENCE_END_PUNCTUATION = ".!?"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int = 0  # the number of the line the sentence is on, counting only non-empty lines
    quotation: int | None = None  # the article's quotation of several sentences this one belongs to


def paragraphs(body: str) -> Iterator[tuple[int, str]]:
    """Lines of the body with their offsets: news text puts one paragraph per line."""
    offset = 0
    for line in body.split("\n"):
        if line.strip():
            yield offset, line
        offset += len(line) + 1


def split_sentences(body: str, language: str = "en") -> list[Sentence]:
    """Every sentence of `body`, each with `body[start:end] == text`, trimmed of surrounding space."""
    return list(iter_sentences(body, language))


def iter_sentences(body: str, language: str = "en") -> Iterator[Sentence]:
    """The sentences of `body` one at a time, so a caller can stop counting at its limit."""
    quotations = 0
    for number, (line_start, line) in enumerate(paragraphs(body)):
        stamp = _dateline_length(line) or time_stamp_length(line)
        stamp += _bullet_length(line[stamp:])
        paragraph_start, paragraph = line_start + stamp, line[stamp : max(stamp, _end_before_links(line))]
        spans = _with_continuations_joined(paragraph, _pieces(paragraph, language))
        cuts, quoted = _quotation_cuts(paragraph, language)
        for start, end in _cut(paragraph, spans, cuts):
            quote = next((q for q in quoted if start < q[1] and end > q[0]), None)
            if quote is not None and quote[2] is None:
                quotations += 1
                quoted[quoted.index(quote)] = quote = (quote[0], quote[1], quotations)
            yield Sentence(
                paragraph_start + start,
                paragraph_start + end,
                paragraph[start:end],
                number,
                quote[2] if quote else None,
            )


def time_stamp_length(line: str) -> int:
    """How many characters of `line` are a live blog's time stamp (and the space after it), or 0."""
    stamp = LIVE_BLOG_TIME.match(line)
    if stamp is None:
        return 0
    return stamp.end() if line[stamp.end() :].lstrip(OPENING_QUOTES)[:1].isupper() else 0


def _dateline_length(line: str) -> int:
    """How many characters of `line` are a wire story's dateline (and the space after it), or 0."""
    dateline = DATELINE.match(line)
    return dateline.end() if dateline else 0


def _bullet_length(line: str) -> int:
    """How many characters of `line` are a list bullet (with the space around it), or 0."""
    words = line.lstrip()
    if len(words) < 2 or words[0] not in BULLETS or not words[1].isspace():
        return 0
    return len(line) - len(words[1:].lstrip())


def _end_before_links(line: str) -> int:
    """Where `line` ends once the links an embedded post ends with are left off (several may follow one
    another), so its last sentence ends at its last word; 0 when the line is only links. Read word by word
    from the end, so the time is linear in the length of the line whatever it holds."""
    end = words_end = len(line)
    from_a_post = False
    while True:
        while end > 0 and line[end - 1].isspace():
            end -= 1
        start = end
        while start > 0 and not line[start - 1].isspace():
            start -= 1
        word = line[start:end]
        if start == end or not _has_prefix(word, TRAILING_LINK_PREFIXES):
            return end if from_a_post else words_end
        from_a_post = from_a_post or _has_prefix(word, POST_LINK_PREFIXES)
        end = start


def _has_prefix(word: str, prefixes: tuple[str, ...]) -> bool:
    """Whether `word` is a link of one of these forms, not followed by a sentence's full stop."""
    prefix = next((p for p in prefixes if word[: len(p)].casefold() == p), None)
    return prefix is not None and len(word) > len(prefix) and word[-1] not in SENTENCE_END_PUNCTUATION


def _pieces(text: str, language: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence sentencex finds in `text`, trimmed of surrounding space."""
    # sentencex panics (a Rust panic, which no `except Exception` stops: it killed a web worker) on a
    # capital, a space other than ASCII's and a full stop ("Plan B\u00a0."). It reads a copy with ASCII
    # spaces: the same length, so its spans index `text` too.
    readable = text.translate(ASCII_SPACES)
    spans = []
    cursor = 0
    for chunk_start, chunk_end in _chunks(readable):
        for piece in _segmented(readable[chunk_start:chunk_end], language):
            stripped = piece.strip()
            if not stripped:
                continue
            found = readable.find(stripped, cursor, chunk_end)
            if found < 0:
                # The splitter altered the text; never store a span that does not match the body.
                raise ValueError(f"sentence splitter returned text not in the paragraph: {stripped[:60]!r}")
            spans.append((found, found + len(stripped)))
            cursor = found + len(stripped)
    return _with_openers_moved(text, spans)


def _chunks(text: str) -> Iterator[tuple[int, int]]:
    """`text` in pieces of at most SEGMENT_MAX_CHARS, each cut after a sentence's end where one stands in
    its last half, else at a space: sentencex takes time that grows with the square of some texts (64,000
    opening quotes took 1.2 s, a 5 MB line would take hours), and no paragraph of prose is this long."""
    start = 0
    while len(text) - start > SEGMENT_MAX_CHARS:
        window = text[start : start + SEGMENT_MAX_CHARS]
        end = max(window.rfind(mark) for mark in (". ", "? ", "! "))
        if end < SEGMENT_MAX_CHARS // 2:
            end = window.rfind(" ")
        end = start + (end + 1 if end > 0 else SEGMENT_MAX_CHARS)
        yield start, end
        start = end
    yield start, len(text)


def _with_continuations_joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans, each that only continues the one before it joined to it. A fact box's "Average
    distance from the sun: 141,633,260 miles. By comparison: 1.524 times that of Earth" is one
    statement, and its second half alone says nothing checkable; in "“What kind of company do we want?”
    Charpentier says." the last two words are no sentence."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        previous = text[joined[-1][0] : joined[-1][1]] if joined else ""
        continues = bool(previous) and (
            CONTINUATION_LABEL.match(text, start) is not None
            or (previous.endswith(QUESTION_OR_EXCLAMATION_QUOTED) and SPEAKER_TAG.fullmatch(text, start, end))
        )
        if continues:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _with_openers_moved(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans with a quotation's marks on the sentence they belong to: the splitter leaves an opening
    mark on the sentence before ("…the boy's uncle. \"" and "He thinks daddy is still at work.\""), and
    a closing one on the sentence after ("” Then …")."""
    moved = list(spans)
    for index in range(len(moved) - 1):
        start, end = moved[index]
        if end - start > 2 and text[end - 1] in '"“' and text[end - 2].isspace():
            moved[index] = (start, len(text[start : end - 1].rstrip()) + start)
            moved[index + 1] = (end - 1, moved[index + 1][1])
    closed: list[tuple[int, int]] = []
    for start, end in moved:
        if closed and text[start] == "”" and (end - start == 1 or text[start + 1].isspace()):
            closed[-1] = (closed[-1][0], start + 1)
            rest = text[start + 1 : end]
            start = end - len(rest.lstrip())
        if start < end:
            closed.append((start, end))
    return closed


def _segmented(text: str, language: str) -> list[str]:
    try:
        return list(sentencex.segment(language, text))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a panic in the splitter must not end the process
        raise ValueError(f"the sentence splitter failed on this text ({type(exc).__name__})") from None


def _quotation_cuts(paragraph: str, language: str) -> tuple[set[int], list[tuple[int, int, int | None]]]:
    """Where the quotations of several sentences in `paragraph` end a sentence, and those quotations'
    spans (with no number yet)."""
    cuts: set[int] = set()
    quoted: list[tuple[int, int, int | None]] = []
    for match in QUOTATION.finditer(paragraph):
        inner_start = match.start() + 1
        inner = _pieces(paragraph[inner_start : match.end()], language)
        if len(inner) < 2:
            continue
        quoted.append((match.start(), match.end(), None))
        cuts.update(inner_start + end for _, end in inner[:-1])
        # A quotation that ends its sentence ("…As much as you want.’ ” The workers stayed …"), where the
        # splitter saw no end between the marks.
        after = paragraph[match.end() :].lstrip()
        ends = ENDS_A_SENTENCE.search(paragraph, match.start(), match.end())
        if ends and after[:1].isupper() and not SPEAKER_TAG.match(after):  # not "… want?” Charpentier says."
            cuts.add(match.end())
    return cuts, quoted


def _cut(text: str, spans: list[tuple[int, int]], cuts: set[int]) -> Iterator[tuple[int, int]]:
    """The spans, each cut again at the cut points strictly inside it (the space after a cut dropped)."""
    for start, end in spans:
        for cut in sorted(point for point in cuts if start < point < end):
            if text[start:cut].strip():
                yield start, cut
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            yield start, end
