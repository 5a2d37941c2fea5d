import pytest

from claims.ingest.claimants import claimant_of, claimants
from claims.ingest.sentences import split_sentences
from tests.conftest import SAMPLE_ARTICLE


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("According to Kyodo News, the visit will strengthen ties.", "Kyodo News"),
        (
            "According to the Japanese Prime Minister’s Office, the call lasted 10 minutes.",
            "Japanese Prime Minister’s Office",
        ),
        ("Prime Minister Takaichi stated that she is eager to welcome Trump.", "Prime Minister Takaichi"),
        ("Senator Jane Roe said the bill failed.", "Senator Jane Roe"),
        ("The economy grew 3 percent last year.", "Daily Planet"),
    ],
)
def test_the_claimant_is_the_attributed_speaker_or_else_the_publication(sentence: str, expected: str) -> None:
    assert claimant_of(sentence, last_person=None, publication="Daily Planet") == expected


def test_a_pronoun_speaker_is_the_last_titled_person_named() -> None:
    sentences = [
        "President Trump congratulated Prime Minister Takaichi on her victory.",
        "He said, “Japan is an ally at the core of our strategy.”",
    ]

    assert claimants(sentences, "Daily Planet") == ["Daily Planet", "President Trump"]


def test_the_sample_articles_quotations_are_attributed_to_their_speakers() -> None:
    body = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    sentences = [s.text for s in split_sentences(body)]

    by_sentence = dict(zip(sentences, claimants(sentences, "Sample Wire"), strict=True))

    def claimant_starting(prefix: str) -> str:
        return next(who for sentence, who in by_sentence.items() if sentence.startswith(prefix))

    assert claimant_starting("He had written on his social media") == "President Trump"
    assert claimant_starting("He said, “Japan is an ally") == "President Trump"
    assert claimant_starting("According to Kyodo News") == "Kyodo News"
    assert (
        claimant_starting("According to Chief Cabinet Secretary") == "Chief Cabinet Secretary Minoru Kihara"
    )
    assert claimant_starting("Prime Minister Takaichi stated") == "Prime Minister Takaichi"
    assert claimant_starting("US President Donald Trump has successfully") == "Sample Wire"
