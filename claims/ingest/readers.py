"""Read .txt, .html and .jsonl files into article drafts, refusing anything unusable up front."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from claims.errors import ImportRejected
from claims.ingest.languages import word_count
from claims.ingest.sentences import BULLETS

SUPPORTED_EXTENSIONS = (".txt", ".html", ".htm", ".jsonl")
UPLOAD_EXTENSIONS = (".txt", ".html", ".htm")
TITLE_MAX_CHARS = 500
JSONL_FIELDS = ("title", "url", "publisher", "published", "author", "language", "text")
# A site's name after its page title: "Bodies pulled from sea | Reuters", "… - The Globe and Mail".
TITLE_SUFFIX = re.compile(r"\s[|–—-]\s*([^|–—-]{2,40}?)\s*$")
MONTH_OR_DATE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?(?: \d{1,2})?(?:, \d{4})?|[\d/.: -]+",
    re.IGNORECASE,
)
# Below this, what the extractor found is navigation or boilerplate, not an article.
MIN_MAIN_TEXT_WORDS = 8
# A link whose whole text only points the reader elsewhere ("Full Article", "Read more »"). The extractor
# reads it as words of the paragraph it ends, so a label became a claim or was glued to a sentence.
LINK_LABEL = re.compile(
    r"^(?:full\s+(?:article|story)|read\s+(?:more|(?:the\s+)?full\s+(?:article|story))|continue\s+reading"
    r"(?:\s+the\s+main\s+story)?)\W*$",
    re.IGNORECASE,
)
# "Full Article" / "Full Story": the paragraph it ends summarises another page (a teaser), not this one.
TEASER_LABEL = re.compile(r"^full\s+(?:article|story)\W*$", re.IGNORECASE)
TEASER_BLOCKS = ("p", "li")  # not a div: that may hold the whole article
SPACES = " \t\r"
# libxml2 reads HTML elements 256 levels deep and silently drops what lies deeper and everything after it,
# so a tree that reaches that depth may have lost text; real news pages go 13–23 deep (../shared/data/html).
PARSER_MAX_DEPTH = 256


@dataclass(frozen=True)
class ArticleDraft:
    """What an import knows about an article before it is stored."""

    text: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    published_on: date | None = None
    language: str | None = None  # a code such as "en"; None: detected from the text when imported
    origin: str = "pasted text"

    def with_overrides(self, **overrides: Any) -> ArticleDraft:
        """Metadata given by the user wins over what was found in the file."""
        return replace(self, **{key: value for key, value in overrides.items() if value is not None})


def parse_date(value: str, origin: str, field: str = "published") -> date:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ImportRejected(origin, f"{field} must be a date as YYYY-MM-DD, got {value!r}") from None


def decode_text(data: bytes, origin: str) -> str:
    if b"\x00" in data:
        raise ImportRejected(origin, "looks like a binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(origin, f"is not UTF-8 text (invalid byte at position {exc.start})") from None
    if not text.strip():
        raise ImportRejected(origin, "is empty")
    return text


def check_extension(origin: str, suffix: str, allowed: tuple[str, ...] = SUPPORTED_EXTENSIONS) -> str:
    suffix = suffix.lower()
    if suffix not in allowed:
        raise ImportRejected(
            origin, f"unsupported file type {suffix or '(none)'!r}; use one of {', '.join(allowed)}"
        )
    return suffix


def check_size(origin: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ImportRejected(origin, f"is {size:,} bytes, over the import limit of {max_bytes:,} bytes")
    if size == 0:
        raise ImportRejected(origin, "is empty")


def read_bytes(path: Path, max_bytes: int) -> bytes:
    origin = str(path)
    if not path.exists():
        raise ImportRejected(origin, "no such file")
    if not path.is_file():
        raise ImportRejected(origin, "is not a regular file")
    check_extension(origin, path.suffix)
    check_size(origin, path.stat().st_size, max_bytes)
    return path.read_bytes()


def draft_from_html(html: str, origin: str) -> ArticleDraft:
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is not None and _deepest(tree) >= PARSER_MAX_DEPTH:
        raise ImportRejected(
            origin,
            f"nests its HTML elements {PARSER_MAX_DEPTH} levels deep, as deep as the HTML parser reads: "
            "the text after that point would be lost",
        )
    site_names = _site_names(tree)  # read before the extractor cleans the tree
    if tree is not None:
        unwrap_source_lines(tree)
        _drop_empty_markers(tree)
        _drop_link_labels(tree)
        drop_link_only_paragraphs(tree)
    # favor_precision leaves navigation, share links and teasers out (docs/ingest-quality.md: mean F1
    # against the reference texts 0.933 → 0.969 on the real pages); what is left, furniture marks.
    document = trafilatura.bare_extraction(
        html if tree is None else tree,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    text = (document.text if document is not None else None) or ""
    if word_count(text) < MIN_MAIN_TEXT_WORDS:
        raise ImportRejected(origin, "has no main article text that could be extracted from the HTML")
    published = None
    if document.date:
        try:
            published = date.fromisoformat(document.date[:10])
        except ValueError:
            published = None
    publisher = _publisher(document.sitename, site_names, document.url)
    return ArticleDraft(
        text=text,
        title=_without_site_name(document.title or "", publisher, document.url) or None,
        url=document.url or None,
        publisher=publisher,
        author=_people_only(document.author or "") or None,
        published_on=published,
        origin=origin,
    )


def _deepest(tree: HtmlElement) -> int:
    """How many levels deep the tree's elements go (the root is 1)."""
    deepest, level = 0, {tree: 1}
    for element in tree.iter():
        depth = level.pop(element)
        deepest = max(deepest, depth)
        level.update((child, depth + 1) for child in element)
    return deepest


def unwrap_source_lines(tree: HtmlElement) -> None:
    """Make a line break in the HTML source a space, as a browser shows it: the extractor keeps the breaks
    inside some inline elements (the Telegraph's `<i>I've just spoken to … a Disaster Victim
      Identification centre …</i>`, wrapped in its source), and each line became a claim of its own. The
    paragraphs come from the markup (`<p>`, `<br>`, …), not from these breaks; `<pre>` keeps its lines."""
    for element in tree.iter():
        if not isinstance(element.tag, str) or next(element.iterancestors("pre"), None) is not None:
            continue
        if element.tag != "pre" and element.text and "\n" in element.text:
            element.text = _unwrapped(element.text)
        if element.tail and "\n" in element.tail:
            element.tail = _unwrapped(element.tail)


def _unwrapped(text: str) -> str:
    """`text` with each line break and the spaces around it (blank lines too) made one space; by splitting
    rather than a pattern, so a long run of spaces costs its length once."""
    first, *middle, last = text.split("\n")
    lines = [first.rstrip(SPACES), *(line.strip(SPACES) for line in middle), last.lstrip(SPACES)]
    return " ".join(line for index, line in enumerate(lines) if line or index in (0, len(lines) - 1))


def _drop_empty_markers(tree: HtmlElement) -> None:
    """Take out empty inline elements, which mark a place and show nothing: the extractor left out the
    whole paragraph that WordPress's "read more" marker (`<span id="more-265087"></span>`) opens, four
    check-worthy sentences of the Pew page, without a word."""
    for marker in [span for span in tree.iter("span") if len(span) == 0 and not (span.text or "").strip()]:
        marker.drop_tree()  # keeps the tail, the text after it


def _drop_link_labels(tree: HtmlElement) -> None:
    """Take out links that are only labels ("Read more"), keeping the text that follows them, and the
    teasers a "Full Article" link ends: the paragraph summarises another article (Reuters lists them
    after its own, "Trending On Reuters"), so its sentences are not this article's statements."""
    for link in [link for link in tree.iter("a") if LINK_LABEL.match(link.text_content().strip())]:
        label = link.text_content().strip()
        teaser = next(link.iterancestors(*TEASER_BLOCKS), None) if TEASER_LABEL.match(label) else None
        dropped = teaser if teaser is not None else link
        if dropped.getparent() is not None:  # not already gone with an earlier teaser
            dropped.drop_tree()  # keeps the tail, the text after it


def drop_link_only_paragraphs(tree: HtmlElement) -> None:
    """Take out the paragraphs whose whole text is one link (a bullet aside): a `<p>`, or a line of one
    that a `<br>` ends. They point to other pages ("• AirAsia plane found in Java Sea, in pictures" in the
    Telegraph's list of links at the top of its live blog) and state nothing. Not a list item, nor a `<p>`
    in one: taking out the Reuters pages' share items ("Tweet this", "Share this") changed what the
    extractor keeps, and the rest of the share list came into the body (mean F1 0.972 → 0.970)."""
    for paragraph in list(tree.iter("p")):
        if next(paragraph.iterancestors("li"), None) is not None:
            continue
        lines = _lines(paragraph)
        kept = [line for line in lines if not _is_one_link(line)]
        if len(kept) == len(lines):
            continue
        if all(_is_blank(line) for line in kept):  # also when none is kept
            paragraph.drop_tree()  # keeps the tail, the text after it
        else:
            _keep_only(paragraph, kept)


@dataclass
class _Line:
    """The text and the children of a paragraph up to the `<br>` child that ends them (None: the last)."""

    leading_text: str
    children: list[HtmlElement]
    end: HtmlElement | None = None


def _lines(paragraph: HtmlElement) -> list[_Line]:
    lines = [_Line(paragraph.text or "", [])]
    for child in paragraph:
        if child.tag == "br":
            lines[-1].end = child
            lines.append(_Line(child.tail or "", []))
        else:
            lines[-1].children.append(child)
    return lines


def _is_one_link(line: _Line) -> bool:
    elements = [child for child in line.children if isinstance(child.tag, str)]  # not a comment
    links = [link for child in elements for link in child.iter("a")]
    if len(links) != 1:
        return False
    text = line.leading_text + "".join(
        (child.text_content() if isinstance(child.tag, str) else "") + (child.tail or "")
        for child in line.children
    )
    link_text = _unbulleted(links[0].text_content())
    return bool(link_text) and _unbulleted(text) == link_text


def _unbulleted(text: str) -> str:
    return text.strip().lstrip(BULLETS).strip()


def _is_blank(line: _Line) -> bool:
    """Nothing on the line but space (what follows a paragraph's last `<br>`, say)."""
    return not line.leading_text.strip() and all(
        not isinstance(child.tag, str) and not (child.tail or "").strip() for child in line.children
    )


def _keep_only(paragraph: HtmlElement, kept: list[_Line]) -> None:
    """Rebuild `paragraph` from the lines kept, a `<br>` between each two as before."""
    for child in list(paragraph):
        paragraph.remove(child)  # an element's tail goes and comes back with it
    paragraph.text = kept[0].leading_text
    for line, following in zip(kept, [*kept[1:], None], strict=True):
        paragraph.extend(line.children)
        if following is not None:
            br = line.end if line.end is not None else paragraph.makeelement("br")
            br.tail = following.leading_text
            paragraph.append(br)


@dataclass(frozen=True)
class _SiteNames:
    """What a page's head says of its site beyond what the extractor reads."""

    twitter_handles: frozenset[str]  # casefolded, without the "@"
    title: str  # the <title>, its white space collapsed


def _site_names(tree: HtmlElement | None) -> _SiteNames:
    if tree is None:
        return _SiteNames(frozenset(), "")
    handles = tree.xpath("//meta[translate(@name, 'TWITERS', 'twiters')='twitter:site']/@content")
    title = tree.find(".//title")
    return _SiteNames(
        frozenset(handle.strip().lstrip("@").casefold() for handle in handles),
        " ".join((title.text_content() if title is not None else "")[-TITLE_MAX_CHARS:].split()),
    )


def _publisher(sitename: str | None, site: _SiteNames, url: str | None) -> str | None:
    """The page's site name, unless the extractor only had the site's Twitter handle to go on
    ("@reuters_co_uk" read as "Reuters_Co_Uk"): then the name the title ends with if the page's address
    holds it ("… | Reuters" on in.reuters.com), else that address's host, or none."""
    if not sitename or sitename.casefold() not in site.twitter_handles:
        return sitename or None
    host = urlsplit(url).hostname if url else None
    if not host:
        return None
    suffix = TITLE_SUFFIX.search(site.title)
    if suffix and _letters(suffix.group(1)) in _letters(host):
        return suffix.group(1)
    return host.removeprefix("www.")


def _without_site_name(title: str, publisher: str | None, url: str | None) -> str:
    """The page's title without the site's name it ends with ("AirAsia plane found: latest - Telegraph"
    on telegraph.co.uk, "… | MIT Technology Review"): the article's title is what a desk lists."""
    suffix = TITLE_SUFFIX.search(title)
    if suffix is None or suffix.start() == 0:
        return title
    name = _letters(suffix.group(1))
    site = {_letters(publisher or ""), _letters(urlsplit(url).hostname or "") if url else ""} - {""}
    if name and any(name in known or known in name for known in site):
        return title[: suffix.start()].rstrip()
    return title


def _people_only(author: str) -> str:
    """The extractor's authors without what it took for one from a byline's date ("Malcolm Harris;
    January")."""
    names = [name.strip() for name in author.split(";")]
    return "; ".join(name for name in names if name and not MONTH_OR_DATE.fullmatch(name))


def _letters(name: str) -> str:
    return "".join(char for char in name.casefold() if char.isalnum())


def drafts_from_jsonl(content: str, origin: str) -> list[ArticleDraft]:
    drafts = []
    # Lines end at "\n" only: splitlines() also breaks at U+2028 and others a JSON string may hold.
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{origin} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportRejected(where, f"is not valid JSON ({exc.msg})") from None
        except ValueError as exc:  # an integer of more digits than Python converts
            raise ImportRejected(where, f"is not valid JSON ({exc})") from None
        except RecursionError:
            raise ImportRejected(where, "nests JSON too deeply to be an article") from None
        if not isinstance(record, dict):
            raise ImportRejected(where, "must be a JSON object")
        unknown = sorted(set(record) - set(JSONL_FIELDS))
        if unknown:
            raise ImportRejected(
                where, f"has unknown field(s) {', '.join(unknown)}; allowed: {', '.join(JSONL_FIELDS)}"
            )
        for field in JSONL_FIELDS:
            if record.get(field) is not None and not isinstance(record[field], str):
                raise ImportRejected(where, f"field {field!r} must be a string")
        text = record.get("text") or ""
        if not text.strip():
            raise ImportRejected(where, "has no text")
        published = record.get("published")
        drafts.append(
            ArticleDraft(
                text=text,
                title=record.get("title"),
                url=record.get("url"),
                publisher=record.get("publisher"),
                author=record.get("author"),
                published_on=parse_date(published, where) if published else None,
                language=record.get("language"),
                origin=where,
            )
        )
    if not drafts:
        raise ImportRejected(origin, "has no articles")
    return drafts


def read_drafts(path: Path, max_bytes: int) -> list[ArticleDraft]:
    """All article drafts in a file; raises ImportRejected naming the file (and line) on bad input."""
    return drafts_from_bytes(str(path), path.suffix, read_bytes(path, max_bytes))


def read_upload(filename: str, stream: BinaryIO, max_bytes: int) -> ArticleDraft:
    """One .txt or .html article from an upload. The name only chooses the format, never a path;
    at most `max_bytes + 1` bytes are read, so an oversized upload is refused without reading it all."""
    origin = Path(filename).name or "upload"
    suffix = check_extension(origin, Path(origin).suffix, UPLOAD_EXTENSIONS)
    data = stream.read(max_bytes + 1)
    check_size(origin, len(data), max_bytes)
    [draft] = drafts_from_bytes(origin, suffix, data)
    return draft


def drafts_from_bytes(origin: str, suffix: str, data: bytes) -> list[ArticleDraft]:
    content = decode_text(data, origin)
    suffix = suffix.lower()
    if suffix == ".jsonl":
        return drafts_from_jsonl(content, origin)
    if suffix in {".html", ".htm"}:
        return [draft_from_html(content, origin)]
    return [ArticleDraft(text=content, origin=origin)]
