"""Who made a statement: the quoted or reporting speaker where the text says so, else the publication.

The rules read the sentence with its quotations blanked out (a name inside a quote is not its speaker)
and look, in order, for `according to X`, `in a statement, X …`, `X said` / `X told Reuters` /
`X wrote on …`, and `…,” said X` / `says Di Li`. A sentence with no speaker of its own takes its
quotation's speaker, or — when it is itself a quote — the speaker of its paragraph, or of the previous
paragraph whose quote it continues. A lead-in ending with a colon ("Moazzam Malik, the British
Ambassador, said:") gives its speaker to the next paragraph's sentences that name none of their own.
`he`/`she` is the last person the article named: the last speaker,
else the first titled person of the last sentence that named one. The rules are English: on another
language every claim is the publication's (docs/claimants.md has the measured accuracy).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from claims.ingest.sentences import Sentence

SPEECH_VERBS = (
    r"said|says|say|stated|wrote|writes|written|told|tells|described|describes|added|adds|"
    r"announced|announces|claimed|declared|declares|tweeted|insisted|insists|argued|argues|"
    r"noted|warned|warns|stressed|explained|explains|conveyed|praised|recalled|recalls|"
    r"asked|asks|replied|replies|responded|admitted|admits|acknowledged|acknowledges|"
    r"emphasized|emphasised|predicted|predicts|testified|suggested|"
    r"reported|believes|believed|countered|complained|complains|laughs|laughed|"
    r"affirmed|affirms|conjecture|conjectures|speculated|feared|calls for|called for|pleaded|pleads|"
    r"urged|urges|demanded|demands|wondered|shouted|whispered|cautioned|cautions|speaking"
)
TITLE_WORDS = (
    r"President|Prime Minister|Chief Cabinet Secretary|Secretary|Minister|Emperor|Chancellor|Senator|"
    r"Governor|Mayor|King|Queen|General|Spokesperson|Spokesman|Spokeswoman|Ambassador|Chairman|"
    r"Chairwoman|CEO|Dr\.|Mr\.|Mrs\.|Ms\.|Prof\.|Sen\.|Gov\.|Rep\."
)
# A capital, accented ones included ("Öcalan", "Łukasz").
CAPITAL = r"(?:[A-ZÀ-ÖØ-Þ]|[ĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĶĹĻĽĿŁŃŅŇŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ])"
# A word starts where no word character stands before it: tried inside a long token, every position
# would read to the token's end again.
WORD = rf"(?<![\w’'.-]){CAPITAL}[\w’'.-]*"
# A name keeps its inner connectors whole: "University and College Union", "Bank of England".
NAME = rf"{WORD}(?:\s+(?:(?:of|and|for|the|de|del|la|van|von|bin|al)\s+)?{WORD}){{0,6}}"
# After "said", a name may start with its particle: "said van Sebille".
PARTICLE_NAME = rf"(?:(?:van|von|de|al)\s+)?{NAME}"
# Groups that speak in news copy without a name: "officials said", "Pilots and aviation experts said".
GROUP = (
    r"(?<![\w.’'-])(?:[\w.’'-]+\s+){0,4}?(?:officials|experts|analysts|sources|investigators|researchers|scientists|"
    r"authorities|witnesses|economists|lawmakers|police|residents|doctors|prosecutors|observers|companies)\b"
)
NOT_NOUNS = r"who|that|which|was|were|is|are|be|been|had|has|have|will|would|can|could|may|might"
NOUN_WORD = rf"(?!(?:{NOT_NOUNS})\b)[\w’'-]+"
NOUN_PHRASE = rf"\b(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother)\s+{NOUN_WORD}(?:\s+{NOUN_WORD}){{0,3}}?"
PRONOUN = r"\b(?:[Hh]e|[Ss]he)\b"
# Between a speaker and the verb: "(R-Warren)", ", who …,", "on Monday", "had", "also", and the comma
# an apposition leaves before an auxiliary ("Her father, Haidar Fauzi, has said").
LINKS = (
    r"(?:\s*\([^()]{0,120}\))?(?:,[^,]{1,120},)?(?:\s+on\s+[A-Z]\w+day)?(?:,(?=\s+(?:had|has|have)\s))?\s+"
    r"(?:(?:had|has|have|been|also|even|later|then|further|initially|previously|earlier|again)\s+){0,2}"
)

ACCORDING_TO = re.compile(
    rf"\b[Aa]ccording to (?:the )?(?P<who>{NAME}(?:’s? \w+)?|[\w’'/ -]{{2,60}}?)(?=[,.;]|$)"
)
IN_A_STATEMENT = re.compile(rf"\b[Ii]n an? (?:\w+ )?statement(?: [^,]{{0,60}})?, (?P<who>{NAME})")
# "Erik van Sebille, a physical oceanographer at the University of … in Sydney told Reuters"
# The name opens a clause: in "…floating off Indonesia, a pilot … has claimed" the pilot speaks.
NAME_WITH_ROLE_THEN_VERB = re.compile(
    rf"(?:^|(?<=[,;:”\"]\s))(?P<who>{NAME}), (?:an?|the) [^,“\"]{{0,60}}\b(?:at|of|for|in|with|from)\b"
    rf"[^,“\"]{{1,80}}?\s"
    rf"(?:{SPEECH_VERBS})\b"
)
# "…, a pilot involved in the search for the missing plane has claimed.": an unnamed speaker ending the
# sentence, described at more length than a noun phrase allows.
TRAILING_DESCRIBED_SPEAKER = re.compile(
    rf",\s+(?P<who>(?:an?|the)\s+[^,“\"]{{1,80}}?)\s+(?:(?:has|had|have)\s+)?(?:{SPEECH_VERBS})\b"
    r"(?!\s+to\s+(?:be|have)\b)"
    rf"[^,“\"]{{0,40}}$"
)
# Not a passive: "a weathered Martian rock claimed to be a 'thigh bone'" says nothing of the rock's.
SPEAKER_THEN_VERB = re.compile(
    rf"(?P<who>{GROUP}|{NAME}|{PRONOUN}|{NOUN_PHRASE}){LINKS}(?:{SPEECH_VERBS})\b(?!\s+to\s+(?:be|have)\b)"
)
# "…,” said study co-author Paul Expert, a physicist": the lower-case role before the name is left out.
VERB_THEN_SPEAKER = re.compile(
    rf"(?:^|[,”\"]\s*)(?:{SPEECH_VERBS})\s+(?:[a-z][\w-]*\s+){{0,3}}?"
    rf"(?P<who>{PARTICLE_NAME}|{PRONOUN}|{NOUN_PHRASE}|{GROUP})(?=[,.;]|\s+\(|\s+earlier|$)"
)
# "The newspaper quoted the agency as saying …": the agency speaks.
QUOTED_AS_SAYING = re.compile(rf"\bquot(?:ed|es|ing) (?P<who>{NAME}|{NOUN_PHRASE}) as saying\b")
ISSUED_STATEMENT = re.compile(
    rf"(?P<who>{NAME}|{NOUN_PHRASE}) (?:released|issued|put out) an? (?:\w+ )?statement"
)
# Every pattern needs one of these words: most sentences have none and are passed over at once.
# "Scientists think …" attributes a view; "when Americans think of Kurds" and "what he thinks victory looks
# like" do not, so "think" counts only after a group that speaks as experts do.
GROUP_THINKS = re.compile(rf"(?P<who>{GROUP})\s+(?:now\s+)?thinks?\b(?!\s+(?:of|about)\b)", re.IGNORECASE)
# A wire flash in capitals: "Reuters - INDONESIA SEARCH AND RESCUE AGENCY SAYS BODY RECOVERED …".
SPEAKER_IN_CAPITALS = re.compile(r"(?:^|[-–—:]\s)(?P<who>[A-Z][A-Z.'’ ]{2,60}?)\s(?:SAYS|SAID|TELLS|TOLD)\b")
CUE_WORDS = re.compile(rf"\b(?:{SPEECH_VERBS}|thinks?|saying|[Aa]ccording|statement|SAYS|SAID|TELLS|TOLD)\b")
TITLED_PERSON = re.compile(rf"(?:{TITLE_WORDS})(?:\s+{WORD}){{1,3}}")
# An embedded post's signature: "— Tom Phillips (@tomphillipsin) December 31, 2014". It ends the post's
# paragraph ("… pic.twitter.com/x — Tom Phillips …") or, from a page, is the line after it, its dash taken
# off as a bullet. The post is its author's, as a quotation is its speaker's.
_SIGNED = r"(?P<name>[^—()]{1,60}?)\s*\((?P<handle>@\w{1,15})\)(?:\s*[A-Z][a-z]+\.? \d{1,2}, \d{4})?\s*$"
SIGNATURE_ENDING = re.compile(rf"—\s*{_SIGNED}")
SIGNATURE_LINE = re.compile(rf"^(?:—\s*)?{_SIGNED}")
# A ‘ quote ends at its ’ before another ‘ opens: many openers without closers were each read to the end.
QUOTED = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)|‘[^’‘]*’(?!\w)")
# Capitalised words that start a sentence or clause without being part of a name.
NOT_NAME_WORDS = {
    "But", "And", "Still", "However", "Yet", "So", "Then", "Now", "Also", "Furthermore", "Meanwhile",
    "In", "On", "At", "As", "For", "When", "While", "After", "Before", "If", "Though", "Although",
    "Instead", "Earlier", "Later", "Separately", "Moreover", "Last", "This", "That", "These", "It", "We",
    "They", "I", "You", "There", "Here", "His", "Her", "Its", "Their",
    "Our", "My", "The", "A", "An", "Among", "Despite", "During", "With", "Without", "From", "By", "To",
    "Of", "Under", "Over", "Since", "Until", "Because", "Unlike", "Like", "One", "Some", "Many", "Most",
    "All", "Both", "Each", "Several", "Few", "Those", "Such", "What", "Why", "How", "Who", "Where", "No",
    "Not", "Even", "Only", "Just", "Once",
}  # fmt: skip
# Words that make a speaker an organisation or a document: "he" and "she" never refer back to it.
NOT_PERSON_WORDS = re.compile(
    r"\b(?:Post|Times|Journal|News|Department|Office|Organi[sz]ation|Agency|Government|government|Ministry|"
    r"Pentagon|Reuters|Union|Center|Centre|Institute|University|Company|company|Research|report|reports|"
    r"[Aa]uthority|agency|ministry|[Cc]ommittee|[Cc]ouncil|[Cc]ommission|[Bb]oard|[Aa]rmy|[Mm]ilitary|"
    r"data|survey|analysis|documents|media|airline|navy|police)\b"
)
# "according to reports" names no one: the publication stands behind it.
NOT_SPEAKERS = {"it", "this", "that", "we", "they", "i", "you", "there", "what", "one", "reports"}


def blank_quotations(sentence: str) -> str:
    """The sentence with the inside of every quotation replaced by spaces (offsets unchanged)."""
    return QUOTED.sub(_blank_inside, sentence)


def _blank_inside(match: re.Match[str]) -> str:
    quote = match.group(0)
    if len(quote) > 1 and quote[-1] in '”"’':
        return quote[0] + " " * (len(quote) - 2) + quote[-1]
    return quote[0] + " " * (len(quote) - 1)


def _clean(who: str) -> str | None:
    words = who.strip().split()
    while words and words[0] in NOT_NAME_WORDS:
        words.pop(0)
    name = " ".join(words).strip(" ,;")
    if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):  # "said Soelistyo." ends the sentence
        name = name[:-1]
    if not name or name.lower() in NOT_SPEAKERS or name.lower().split()[0] in {"our", "its", "their"}:
        return None
    return name


def explicit_speaker(sentence: str, opens_inside_quote: bool = False) -> str | None:
    """The speaker the sentence names outside its quotations (possibly a pronoun), if any.
    `opens_inside_quote`: the sentence continues a quotation opened in an earlier sentence."""
    if opens_inside_quote:  # reopen the quotation with the mark that closes it: “…” or "…"
        opening = "“" if "”" in sentence or '"' not in sentence else '"'
        outside = blank_quotations(opening + sentence)[1:]
    else:
        outside = blank_quotations(sentence)
    if not CUE_WORDS.search(outside):
        return None
    patterns = (
        ACCORDING_TO,
        IN_A_STATEMENT,
        ISSUED_STATEMENT,
        QUOTED_AS_SAYING,
        NAME_WITH_ROLE_THEN_VERB,
        TRAILING_DESCRIBED_SPEAKER,
        SPEAKER_THEN_VERB,
        GROUP_THINKS,
        VERB_THEN_SPEAKER,
    )
    for pattern in patterns:
        for match in pattern.finditer(outside):
            who = _clean(match.group("who"))
            if who:
                return who
    flash = SPEAKER_IN_CAPITALS.search(outside)
    return _clean(_title_case(flash.group("who"))) if flash else None


def _title_case(words: str) -> str:
    """ "INDONESIA SEARCH AND RESCUE AGENCY" as a name is written: "Indonesia Search and Rescue Agency"."""
    small = {"and", "of", "the", "for", "in", "on"}
    return " ".join(
        word.lower() if index and word.lower() in small else word.capitalize()
        for index, word in enumerate(words.split())
    )


def is_pronoun(who: str) -> bool:
    return who.lower() in {"he", "she"}


def looks_like_person(who: str) -> bool:
    """A named speaker (not "the airline", "the Washington Post") that a later pronoun may mean."""
    return (
        who[:1].isupper()
        and not who.startswith("The ")
        and not NOT_PERSON_WORDS.search(who)
        and not re.fullmatch(GROUP, who, re.IGNORECASE)
    )


def is_quote(sentence: str) -> bool:
    return sentence.lstrip()[:1] in {"“", '"'} or sentence.rstrip().endswith(("”", '"'))


@dataclass
class _People:
    """Whom "he" or "she" may mean: the person quoted in this paragraph or the previous one, else the
    person the article has quoted most so far, else the last titled person it named."""

    by_paragraph: dict[int, str] = field(default_factory=dict)
    quoted: Counter[str] = field(default_factory=Counter)  # counted by surname: "Matie" is Matiullah Matie
    full_names: dict[str, str] = field(default_factory=dict)
    last_titled: str | None = None

    def heard(self, paragraph: int, who: str) -> None:
        if not looks_like_person(who):
            return
        self.by_paragraph.setdefault(paragraph, who)
        surname = who.split()[-1]
        self.quoted[surname] += 1
        if len(who) > len(self.full_names.get(surname, "")):
            self.full_names[surname] = who

    def named_in(self, sentence: str) -> None:
        mention = TITLED_PERSON.search(blank_quotations(sentence))
        if mention:
            self.last_titled = mention.group(0)

    def meant_by_pronoun(self, paragraph: int) -> str | None:
        nearby = self.by_paragraph.get(paragraph) or self.by_paragraph.get(paragraph - 1)
        if nearby:
            return nearby
        if self.quoted:
            return self.full_names[self.quoted.most_common(1)[0][0]]
        return self.last_titled


def claimants(sentences: Sequence[Sentence], publication: str, language: str = "en") -> list[str]:
    """The claimant of each sentence, in order (see the module docstring for the rules)."""
    if not language.lower().startswith("en"):
        return [publication] * len(sentences)
    found: list[str | None] = []
    post_authors = _post_authors(sentences)
    people = _People()
    paragraph_speaker: dict[int, str] = {}
    introduced: dict[int, str] = {}  # paragraph → the speaker whose words a lead-in announced for it
    quotations_seen: set[int] = set()
    for sentence in sentences:
        who = explicit_speaker(sentence.text, sentence.quotation in quotations_seen)
        if sentence.quotation is not None:
            quotations_seen.add(sentence.quotation)
        if who is not None and is_pronoun(who):
            who = people.meant_by_pronoun(sentence.paragraph)
        if who is not None and sentence.text.rstrip().endswith(":"):  # "Moazzam Malik … said:"
            introduced[sentence.paragraph + 1] = who
        if who is None:
            who = introduced.get(sentence.paragraph)
        if who is None and is_quote(sentence.text):
            who = paragraph_speaker.get(sentence.paragraph) or _continued_quote_speaker(
                sentence, sentences, paragraph_speaker
            )
        if who is not None:
            paragraph_speaker.setdefault(sentence.paragraph, who)
            people.heard(sentence.paragraph, who)
        else:
            people.named_in(sentence.text)
        found.append(who or post_authors.get(sentence.paragraph))
    _share_within_quotations_and_paragraph_quotes(sentences, found)
    return [who or publication for who in found]


def _post_authors(sentences: Sequence[Sentence]) -> dict[int, str]:
    """The signed author of each paragraph that is an embedded post or its signature line, by paragraph:
    "Tom Phillips (@tomphillipsin)", the account named as the post shows it."""
    first_of_paragraph: dict[int, Sentence] = {}
    for sentence in sentences:
        first_of_paragraph.setdefault(sentence.paragraph, sentence)
    last_of_paragraph = {sentence.paragraph: sentence for sentence in sentences}
    authors: dict[int, str] = {}
    for paragraph, last in last_of_paragraph.items():
        line = SIGNATURE_LINE.search(last.text) if last is first_of_paragraph[paragraph] else None
        signature = line or SIGNATURE_ENDING.search(last.text)
        if signature is None:
            continue
        author = f"{signature['name'].strip()} ({signature['handle']})"
        authors[paragraph] = author
        if line:  # a signature line signs the paragraph before it
            authors.setdefault(paragraph - 1, author)
    return authors


def _continued_quote_speaker(
    sentence: Sentence, sentences: Sequence[Sentence], paragraph_speaker: dict[int, str]
) -> str | None:
    """A paragraph that opens with a quote and names no speaker continues the previous paragraph's."""
    first_of_paragraph = next(s for s in sentences if s.paragraph == sentence.paragraph)
    if not first_of_paragraph.text.startswith(("“", '"')):
        return None
    return paragraph_speaker.get(sentence.paragraph - 1)


def _share_within_quotations_and_paragraph_quotes(
    sentences: Sequence[Sentence], found: list[str | None]
) -> None:
    """An unattributed quote takes the speaker its paragraph names ("“…. …?” Charpentier says."), and
    every sentence of a quotation takes the speaker found for any of its sentences."""
    by_paragraph: dict[int, str] = {}
    for sentence, who in zip(sentences, found, strict=True):
        if who is not None:
            by_paragraph.setdefault(sentence.paragraph, who)
    for index, sentence in enumerate(sentences):
        if found[index] is None and (is_quote(sentence.text) or sentence.quotation is not None):
            found[index] = by_paragraph.get(sentence.paragraph)
    by_quotation: dict[int, str] = {}
    for sentence, who in zip(sentences, found, strict=True):
        if who is not None and sentence.quotation is not None:
            by_quotation.setdefault(sentence.quotation, who)
    for index, sentence in enumerate(sentences):
        if found[index] is None and sentence.quotation is not None:
            found[index] = by_quotation.get(sentence.quotation)
