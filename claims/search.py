"""Word search over claims: one query interface over SQLite FTS5 and PostgreSQL full-text search.

The index (migration 0009) holds each claim's text, sentence, claimant and article title, folded for case
and accents. A search is the words of the query in any order, each matching the start of a word, so
`takaichi vote` finds "Takaichi ... votes". Words joined by punctuation alone are a phrase matched whole:
`Takaichi's` finds "Takaichi’s" whatever the apostrophe, and not "Takaichi stated".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import reduce
from typing import Any

from sqlalchemy import Boolean, ColumnElement, column, false, func, literal_column, select, table
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement as ColumnElementBase
from sqlalchemy.sql.visitors import InternalTraversal

from claims.models import Claim

INDEX_TABLE = "claim_search"
WORD = re.compile(r"[^\W_]+")


def is_search_index_table(name: str) -> bool:
    """The index and, on SQLite, FTS5's shadow tables (`claim_search_data`, …): SQL, not models."""
    return name == INDEX_TABLE or name.startswith(f"{INDEX_TABLE}_")


@dataclass(frozen=True)
class Phrase:
    """A chunk of the query between spaces, lower-cased and without accents as the index stores it, and
    its words: words joined by punctuation alone (`Takaichi's`, `U.S.`, `1.9`) are a phrase."""

    text: str
    words: tuple[str, ...]


def search_phrases(query: str) -> list[Phrase]:
    decomposed = unicodedata.normalize("NFKD", query.casefold())
    unaccented = "".join(char for char in decomposed if not unicodedata.combining(char))
    phrases = (Phrase(chunk, tuple(WORD.findall(chunk))) for chunk in unaccented.split())
    return [phrase for phrase in phrases if phrase.words]


class _MatchesWords(ColumnElementBase[bool]):
    """`claims.id` is in the search index's matches for every phrase; compiled per database below."""

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [("phrases", InternalTraversal.dp_plain_obj)]  # noqa: RUF012 - SQLAlchemy's hook

    def __init__(self, phrases: tuple[Phrase, ...]) -> None:
        self.phrases = phrases


def claim_matches(query: str) -> ColumnElement[bool]:
    phrases = search_phrases(query)
    if not phrases:  # only punctuation: there is no word to find
        return false()
    return _MatchesWords(tuple(phrases))


@compiles(_MatchesWords, "sqlite")
def _compile_fts5(element: _MatchesWords, compiler: Any, **kw: Any) -> str:
    # Each phrase quoted (FTS5 syntax cannot leak in), a lone word with `*` for a prefix; a space is AND.
    fts5_query = " ".join(
        f'"{phrase.words[0]}"*' if len(phrase.words) == 1 else f'"{" ".join(phrase.words)}"'
        for phrase in element.phrases
    )
    index = table(INDEX_TABLE, column("rowid"))
    matches = select(index.c.rowid).where(literal_column(INDEX_TABLE).op("MATCH")(fts5_query))
    return compiler.process(Claim.id.in_(matches), **kw)


@compiles(_MatchesWords, "postgresql")
def _compile_tsquery(element: _MatchesWords, compiler: Any, **kw: Any) -> str:
    # A lone word is a prefix (its letters and digits cannot hold a tsquery operator). A phrase is parsed by
    # PostgreSQL's own parser, as the indexed text was: it keeps `u.s`, `1.9` or `lart.ns` as one token,
    # which splitting into words would never find.
    words = [phrase.words[0] for phrase in element.phrases if len(phrase.words) == 1]
    parts = [func.to_tsquery("simple", " & ".join(f"{word}:*" for word in words))] if words else []
    parts += [
        func.phraseto_tsquery("simple", func.unaccent(phrase.text))
        for phrase in element.phrases
        if len(phrase.words) > 1
    ]
    tsquery = reduce(lambda both, part: both.op("&&")(part), parts)
    index = table(INDEX_TABLE, column("claim_id"), column("document"))
    matches = select(index.c.claim_id).where(index.c.document.op("@@")(tsquery))
    return compiler.process(Claim.id.in_(matches), **kw)
