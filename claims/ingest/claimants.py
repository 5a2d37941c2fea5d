"""Who made a statement: the quoted or reporting speaker where the text says so, else the publication.

The rules are deliberately narrow (an attribution phrase, or a named person or pronoun directly before
a verb of saying); a pronoun is resolved to the last titled person the article named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TITLES = (
    r"(?:US |U\.S\. |Former |former |the late |Vice )?(?:President|Prime Minister|Chief Cabinet Secretary|"
    r"Secretary|Minister|Emperor|Chancellor|Senator|Governor|Mayor|King|Queen|General|Spokesperson|"
    r"Spokesman|Spokeswoman|Ambassador|Chairman|Chairwoman|Dr\.|Mr\.|Mrs\.|Ms\.|Prof\.)"
)
CAPITALISED = r"[A-Z][\w’'-]+"
TITLED_PERSON = rf"{TITLES}(?:\s+{CAPITALISED}){{1,3}}"
NAME = rf"(?:{TITLED_PERSON}|{CAPITALISED}(?:\s+{CAPITALISED}){{1,3}})"
SPEECH_VERBS = (
    r"said|says|stated|states|wrote|written|writes|told|tells|described|describes|added|announced|"
    r"claimed|claims|declared|tweeted|posted|insisted|argued|noted|warned|stressed|explained|conveyed"
)

ATTRIBUTION = re.compile(r"^\s*According to (?:the )?(?P<who>[^,]{2,120}),")
SPEAKER = re.compile(
    rf"(?P<who>{NAME}|\b[Hh]e\b|\b[Ss]he\b|\b[Tt]hey\b)\s+(?:had\s+|has\s+|have\s+|also\s+)?(?:{SPEECH_VERBS})\b"
)
PERSON_MENTION = re.compile(TITLED_PERSON)
PRONOUNS = {"he", "she", "they"}


def claimant_of(sentence: str, last_person: str | None, publication: str) -> str:
    attributed = ATTRIBUTION.search(sentence)
    if attributed:
        return attributed.group("who").strip()
    spoken = SPEAKER.search(sentence)
    if spoken:
        who = spoken.group("who")
        if who.lower() not in PRONOUNS:
            return who
        if last_person:
            return last_person
    return publication


def claimants(sentences: Iterable[str], publication: str) -> list[str]:
    """The claimant of each sentence, in order, carrying the last named person across sentences."""
    result: list[str] = []
    last_person: str | None = None
    for sentence in sentences:
        result.append(claimant_of(sentence, last_person, publication))
        mention = PERSON_MENTION.search(sentence)
        if mention:
            last_person = mention.group(0)
    return result
