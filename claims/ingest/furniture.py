"""Page furniture: lines of an article body that are part of the page, not statements of the article.

Bylines and credits, "Our Standards: …", "Follow us on …", share buttons, capital subheads and
datelines, a repeated headline, photo captions and credits, citation lines, embed markup and template
code shown as text, an embedded post's credit line, the links of a further-reading list. The body keeps
them (claim spans index it); the import makes no claim of them. Markup, template code and embedded posts'
credits are recognised in any language; the wording rules are English and apply only to English articles,
so they cannot misfire on another language's sentences.
"""

from __future__ import annotations

import re

from claims.ingest.sentences import paragraphs, time_stamp_length

# Markup or template code, in any language.
# Each opening read only as far as the next one: "{{" after "{{" with no "}}" was read to the end each time.
TEMPLATE_CODE = re.compile(r"\{\{(?:(?!\}\}|\{\{).)*\}\}|\{%(?:(?!%\}|\{%).)*%\}", re.DOTALL)
EMBED_MARKUP = re.compile(
    r"</?(?:iframe|a|script|div|img|blockquote|embed|object|p|span)\b[^<>]*>", re.IGNORECASE
)
CITATION = re.compile(
    r"^(?:[A-Z][\w.&’' -]{1,60} \d{1,4}, \d+(?:[-–]\d+)? \(\d{4}\)\.?|(?:doi|DOI):\s*10\.\S+|https?://\S+)$"
)
ENGLISH_FURNITURE = re.compile(
    r"""^(?:
        \(?(?:(?:Additional\ )?[Rr]eporting|Editing|Writing|Compiled|Produced|Photos?|Images?)\ by\b
      | By\ [A-Z][\w.’'-]+(?:\ [A-Z][\w.’'-]+){0,3}(?:\ and\ [A-Z][\w.’'-]+(?:\ [A-Z][\w.’'-]+){0,3})?$
      | Our\ Standards:
      | (?:Follow|Find|Like)\ (?:us|him|her|them|[A-Z][\w.&@ -]{1,40})\ on\ (?:Twitter|Facebook|Instagram|X|
            Google\+|LinkedIn|TikTok|YouTube)\b
      | Originally\ published\ (?:on|in|at)\b
      | (?:Photo|Image|Picture|Credit|Caption|Source|SOURCES?|Related|Read\ more|See\ also|
            Trending\ [Oo]n)\b\ ?[:\-–]?
      | Learn\ more\b
      | (?:Sign\ up|Subscribe|Click\ here|Loading\ Photo\ Gallery|Full\ Article|Full\ Coverage|Reprints)\b
      | -\ (?:Tweet|Link|Share|Digg|Email|Print)\b
      | [\w.’' -]{1,60}\ may\ be\ reached\ at\b
      | (?:Copyright|©)\s
    )""",
    re.VERBOSE,
)
# A caption's credit at the end of a line: "(AFP/Getty)", "REUTERS/Darren Whiteside", "Photo: AP".
CAPTION_CREDIT = re.compile(
    r"(?:\((?:[\w ]+/)?(?:Getty|AFP|AP|Reuters|REUTERS|EPA|PA|Bloomberg|Shutterstock)(?: Images)?\)|"
    r"\bREUTERS/[A-Z](?:[\w ]*\w)?|\b(?:Photo|Image|Credit)s?: [^.]{1,80})\s*$"
)
# A heading over links to other pages; the list items ("- …") under it are those links, not statements.
FURTHER_READING = re.compile(
    r"^(?:Additional\ resources|Related(?:\ (?:stories|articles|coverage|links))?|Also\ see|See\ also|"
    r"Further\ reading|More\ on\ this(?:\ story)?)\s*:?$",
    re.IGNORECASE,
)
# A live blog's signpost to what follows: "More on that body recovered from the crashed plane.", "The latest
# updates from Tom Phillips in Indonesia.", "Here's the latest from our video team on the search …".
SIGNPOST = re.compile(
    r"^(?:More\ (?:on|from)|(?:The\ )?[Ll]atest(?:\ updates?)?\ (?:from|on)|"
    r"Here(?:'s|’s|\ is)\ (?:the\ latest|more))\b[^.!?:;]{0,100}[.:]?$"
)
# A chart's title as text: "Commercial flights and passengers carried: 1975 - 2014", "… since: 1975".
CHART_TITLE = re.compile(r"^[^.!?:]{3,80}:\s*\d{4}(?:\s*[-–]\s*\d{4})?(?:\s*\([^()]{1,40}\))?$")
# Under a chart's source line, its footnotes: "* Accidents refers to …", "** Includes 162 …".
SOURCE_LINE = re.compile(r"^(?:Source|SOURCE)S?:")
FOOTNOTE = "*"
LIST_ITEM = "- "
# The credit line under an embedded post: "— Tom Phillips (@tomphillipsin) December 31, 2014".
EMBEDDED_POST_CREDIT = re.compile(r"^[—–-]\s.{1,80}\s\(@\w{1,15}\)\s[^()]{4,40}\d{4}$")
# A byline in any language: "Patricio Candia | Palma de Mallorca | 08/01/2014".
PIPED_BYLINE = re.compile(r"^[^|]{2,60}(?:\s\|\s[^|]{1,60}){1,4}$")
NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
MIN_HEADING_LETTERS = 3
MAX_HEADING_WORDS = 4
SENTENCE_ENDS = '.!?”"…'
MAX_DATELINE_CHARS = 60
TEMPLATE_SHARE_REFUSED = 0.5


def furniture_paragraphs(body: str, language: str, title: str | None = None) -> dict[int, str]:
    """The paragraphs (numbered as `sentences.paragraphs` yields them) that are furniture, with why."""
    found = {}
    lines = [line.strip() for _start, line in paragraphs(body)]
    in_reading_list = in_footnotes = False
    for number, line in enumerate(lines):
        reason = furniture_reason(line, language, title)
        in_footnotes = _is_english(language) and (
            bool(SOURCE_LINE.match(line)) or (in_footnotes and line.startswith(FOOTNOTE))
        )
        if reason is None and in_footnotes and line.startswith(FOOTNOTE):
            reason = "a chart's footnote"
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if reason is None and len(line) <= MAX_DATELINE_CHARS and following.startswith(line + " "):
            reason = "a dateline repeated by the next paragraph"
        in_reading_list = _is_english(language) and (
            bool(FURTHER_READING.match(line)) or (in_reading_list and line.startswith(LIST_ITEM))
        )
        if reason is None and in_reading_list and line.startswith(LIST_ITEM):
            reason = "a link of a further-reading list"
        if reason:
            found[number] = reason
    return found


def furniture_reason(line: str, language: str, title: str | None = None) -> str | None:
    """Why `line` (one paragraph of the body) is page furniture, or None if it is article text."""
    text = line.strip()
    if TEMPLATE_CODE.search(text):
        return "template code"
    if EMBED_MARKUP.search(text):
        return "embed markup shown as text"
    if title and _same_words(text, title):
        return "the headline repeated"
    if EMBEDDED_POST_CREDIT.match(text):
        return "an embedded post's credit line"
    if PIPED_BYLINE.match(text) and NUMERIC_DATE.search(text):
        return "a byline with place and date"
    if not _is_english(language):
        return None
    if CITATION.match(text):
        return "a citation line"
    if ENGLISH_FURNITURE.match(text):
        return "a byline, credit or page link"
    if CHART_TITLE.match(text):
        return "a chart's title"
    if SIGNPOST.match(text[time_stamp_length(text) :]):
        return "a signpost to what follows"
    if CAPTION_CREDIT.search(text):
        return "a photo caption or credit"
    if _is_capital_heading(text):
        return "a subhead or dateline in capitals"
    if _is_short_heading(text):
        return "a subhead or label"
    return None


def _is_english(language: str) -> bool:
    return language.lower().startswith("en")


def _same_words(line: str, title: str) -> bool:
    """The line is the title, or the title without the site name pages append ("… | MIT Technology
    Review", "… - Telegraph")."""
    words = re.findall(r"\w+", line.casefold())
    headline = re.split(r"\s+[|»–-]\s+", title)[0]
    return bool(words) and words in (
        re.findall(r"\w+", title.casefold()),
        re.findall(r"\w+", headline.casefold()),
    )


def _is_capital_heading(text: str) -> bool:
    """ "NO FOUL PLAY SEEN", "MUMBAI", "COULD PLANE HAVE STALLED?": every letter a capital, and no sentence
    punctuation after it but a subhead's question mark."""
    if not text.isupper() or (text[-1] in SENTENCE_ENDS and text[-1] != "?"):
        return False
    return sum(1 for char in text if char.isalpha()) >= MIN_HEADING_LETTERS


def _is_short_heading(text: str) -> bool:
    """ "Drug's effect", "Top Picks", "Topics: Immigration, …": a few words that end no sentence. On the
    news labels (`tests/data/news-labels.tsv`) all 9 such lines are labelled not check-worthy."""
    return bool(text) and text[-1] not in SENTENCE_ENDS and len(text.split()) <= MAX_HEADING_WORDS


def template_code_share(text: str) -> float:
    """The share of the text's non-space characters that are template code (`{{ … }}`, `{% … %}`)."""
    if "{{" not in text and "{%" not in text:
        return 0.0
    total = sum(1 for char in text if not char.isspace())
    code = sum(
        sum(1 for char in match.group(0) if not char.isspace()) for match in TEMPLATE_CODE.finditer(text)
    )
    return code / total


def is_mostly_template_code(text: str) -> bool:
    return template_code_share(text) > TEMPLATE_SHARE_REFUSED
