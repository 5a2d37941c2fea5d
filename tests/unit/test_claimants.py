import pytest

from claims.ingest.claimants import claimants, explicit_speaker
from claims.ingest.sentences import split_sentences
from tests.conftest import SAMPLE_ARTICLE


def claimants_of(body: str, language: str = "en") -> list[str]:
    return claimants(split_sentences(body, language), "Daily Planet", language)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("According to Kyodo News, the visit will strengthen ties.", "Kyodo News"),
        (
            "According to the Japanese Prime Minister’s Office, the call lasted 10 minutes.",
            "Japanese Prime Minister’s Office",
        ),
        ("The visit, according to Senator Jane Roe, was a success.", "Senator Jane Roe"),
        ("Prime Minister Takaichi stated that she is eager to welcome Trump.", "Prime Minister Takaichi"),
        ("Senator Jane Roe said the bill failed.", "Senator Jane Roe"),
        ("“We will not accept this,” said Jane Roe, a union official.", "Jane Roe"),
        ("Growth will slow, says Di Li, an economist at the bank.", "Di Li"),
        ("Minister Ahmed Khan told Reuters the talks had stalled.", "Minister Ahmed Khan"),
        ("Jane Roe wrote on Twitter that the vote was rigged.", "Jane Roe"),
        ("In a statement, Acme Corp said its profits had doubled.", "Acme Corp"),
        ("The University and College Union said the strike was on.", "University and College Union"),
        ("But Doherty said that had nothing to do with it.", "Doherty"),
        ("State Sen. Michael Doherty (R-Warren) said Christie failed.", "State Sen. Michael Doherty"),
        ("Scientists think the canyon formed by rifting.", "Scientists"),
        ("“It is flexible and consensus-oriented,” Öcalan writes.", "Öcalan"),
        (
            "Reuters - INDONESIA SEARCH AND RESCUE AGENCY SAYS BODY RECOVERED WAS WEARING LIFE JACKET",
            "Indonesia Search and Rescue Agency",
        ),
        (
            "“Papa, come home,” Angela Anggi Ranastianis, his 22-year-old daughter, pleaded.",
            "Angela Anggi Ranastianis",
        ),
        ("The newspaper quoted the agency as saying the image showed a plane.", "the agency"),
        ("A number of researchers have even speculated that life began on Mars.", "number of researchers"),
        ("Ms Khairunisa’s father, Haidar Fauzi, has said: “This is what we expected.”", "Haidar Fauzi"),
        (
            "Lieutenant Tri Wobowo, who co-piloted the C130 Hercules aircraft that first saw debris of the "
            "plane on Tuesday, told Indonesian newspaper Kompas: “There are seven to eight people.”",
            "Lieutenant Tri Wobowo",
        ),
        (
            "Three people were holding hands when their bodies were spotted in the Java sea off Indonesia, "
            "a pilot involved in the search for the missing plane has claimed.",
            "a pilot involved in the search for the missing plane",
        ),
    ],
)
def test_each_attribution_pattern_names_the_speaker(sentence: str, expected: str) -> None:
    assert explicit_speaker(sentence) == expected


def test_a_sentence_without_a_speaker_is_the_publications() -> None:
    assert claimants_of("The economy grew 3 percent last year.") == ["Daily Planet"]


def test_a_name_inside_the_quotation_is_not_its_speaker() -> None:
    assert claimants_of("“Jane Roe said nothing,” Tom Poe told reporters.") == ["Tom Poe"]


def test_a_quote_in_a_reuters_story_belongs_to_the_person_quoted() -> None:
    body = "“The talks have stalled,” Minister Ahmed Khan told Reuters on Monday."

    assert claimants(split_sentences(body), "Reuters") == ["Minister Ahmed Khan"]


def test_every_sentence_of_a_quotation_is_its_speakers() -> None:
    body = "“Prices rose. Wages did not. We will act,” said Jane Roe."

    assert claimants_of(body) == ["Jane Roe"] * 3


def test_a_quote_continued_in_the_next_paragraph_keeps_its_speaker() -> None:
    body = "“We need help,” Doherty said.\n“The towns are struggling.”\nThe vote is on Monday."

    assert claimants_of(body) == ["Doherty", "Doherty", "Daily Planet"]


def test_a_pronoun_is_the_person_of_the_previous_paragraph() -> None:
    body = (
        "According to Chief Cabinet Secretary Minoru Kihara, Trump will meet Emperor Naruhito.\n"
        "He described the visit as historic."
    )

    assert claimants_of(body) == ["Chief Cabinet Secretary Minoru Kihara"] * 2


def test_a_pronoun_never_means_an_organisation() -> None:
    body = "According to the Washington Post, USAID spent $30 million.\nHe said the money was wasted."

    assert claimants_of(body) == ["Washington Post", "Daily Planet"]


def test_other_languages_keep_the_publication_as_claimant() -> None:
    body = "El presidente Pedro Sánchez dijo que la economía creció. Según el Banco de España, subió."

    assert claimants_of(body, "es") == ["Daily Planet", "Daily Planet"]


def test_the_sample_articles_statements_are_attributed_to_their_speakers() -> None:
    body = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    sentences = split_sentences(body)

    by_sentence = dict(zip([s.text for s in sentences], claimants(sentences, "Sample Wire"), strict=True))

    def claimant_starting(prefix: str) -> str:
        return next(who for sentence, who in by_sentence.items() if sentence.startswith(prefix))

    assert claimant_starting("He had written on his social media") == "President Trump"
    assert claimant_starting("Peace, not war!") == "President Trump"
    assert claimant_starting("Now, I’m off to Japan!") == "President Trump"
    assert claimant_starting("He said, “Japan is an ally") == "President Trump"
    assert claimant_starting("According to Kyodo News") == "Kyodo News"
    assert claimant_starting("Furthermore, she praised") == "Prime Minister Takaichi"
    assert (
        claimant_starting("According to Chief Cabinet Secretary") == "Chief Cabinet Secretary Minoru Kihara"
    )
    assert claimant_starting("He described this occasion") == "Chief Cabinet Secretary Minoru Kihara"
    assert claimant_starting("Prime Minister Takaichi stated") == "Prime Minister Takaichi"
    assert claimant_starting("US President Donald Trump has successfully") == "Sample Wire"


def test_according_to_reports_names_no_one_so_the_publication_stands_behind_it() -> None:
    assert claimants_of("One was in a life jacket according to reports.") == ["Daily Planet"]


def test_a_quotation_in_straight_marks_continued_keeps_its_speaker() -> None:
    body = '"We have bad weather now. Rains prevented the search," coordinator S.B. Supriyadi told AFP.'

    assert claimants_of(body) == ["S.B. Supriyadi"] * 2


def test_an_embedded_post_is_its_signed_authors() -> None:
    body = (
        "AirAsia's boss has just tweeted his thanks.\n"
        "I hope to fly to the site. And keep everyone informed. "
        "— Tony Fernandes (@tonyfernandes) December 31, 2014"
    )

    assert claimants_of(body) == ["Daily Planet"] + ["Tony Fernandes (@tonyfernandes)"] * 3


def test_a_post_signed_on_its_own_line_as_a_page_shows_it_is_its_authors() -> None:
    body = (
        "So many ambulances lined up outside the airport pic.twitter.com/16xocpihlY\n"
        "Tom Phillips (@tomphillipsin) December 31, 2014\n"
        "Stormy weather has forced rescuers to suspend their search."
    )

    assert claimants_of(body) == ["Tom Phillips (@tomphillipsin)"] * 2 + ["Daily Planet"]


def test_a_post_that_quotes_someone_names_them_not_the_account() -> None:
    body = "DNA tests are under way, police chief Ahmad Rizal said. — CNA (@ChannelNewsAsia) May 1, 2014"

    assert claimants_of(body) == ["Ahmad Rizal", "CNA (@ChannelNewsAsia)"]


def test_a_group_that_spoke_is_never_whom_he_means() -> None:
    body = "Observers feared a disaster.\nThe town, he explains, had always been free."

    assert claimants_of(body) == ["Observers", "Daily Planet"]


@pytest.mark.parametrize(
    "sentence",
    [
        "When a TV station calls her cell, one woman shushes the room.",
        "When Americans think of Kurds, we tend to think of the Kurds of Iraq.",
        "It's hard to imagine what he thinks victory looks like.",
    ],
)
def test_a_call_or_a_thought_that_attributes_nothing_leaves_the_sentence_to_the_publication(
    sentence: str,
) -> None:
    assert claimants_of(sentence) == ["Daily Planet"]


def test_he_never_means_an_authority_that_spoke_but_the_person_named_after_it() -> None:
    body = (
        "Air Vice Marshal Sunarbowo Sandi said the divers were ready.\n"
        "The Indonesian search authority said the weather was bad.\n"
        "He says one more body was found today."
    )

    assert claimants_of(body)[2] == "Air Vice Marshal Sunarbowo Sandi"


def test_a_lead_in_ending_with_a_colon_gives_its_speaker_to_the_next_paragraph_only() -> None:
    body = (
        "Moazzam Malik, the British Ambassador to Indonesia, said:\n"
        "Our thoughts and prayers are with them at this difficult time. We stand ready to help.\n"
        "The search resumed on Thursday."
    )

    assert claimants_of(body) == ["Moazzam Malik"] * 3 + ["Daily Planet"]


def test_he_after_someone_has_been_speaking_means_them() -> None:
    body = (
        "Tony Fernandes, the Air Asia chief, has been speaking at the airport.\n"
        '"The weather is not looking good," he told reporters.'
    )

    assert claimants_of(body) == ["Tony Fernandes", "Tony Fernandes"]


@pytest.mark.parametrize(
    "body",
    [
        "Tom — a (@b)" + " " * 20_000 + "x.",
        "a" * 20_000 + " said.",
        "A" * 20_000 + " said.",
        "‘" * 20_000 + " said.",
        "A (" * 7_000 + " said.",
    ],
    ids=["signature-spaces", "long-token", "long-capitals", "open-quotes", "open-brackets"],
)
def test_pathological_text_is_attributed_to_the_publication_in_one_pass(body: str) -> None:
    # Each shape made a pattern read the rest of the text again from every position (an attack pass).
    assert set(claimants_of(body)) == {"Daily Planet"}


def test_a_passive_claimed_to_be_attributes_nothing() -> None:
    body = "While the face drew attention, a weathered Martian rock claimed to be a thigh bone went viral."

    assert claimants_of(body) == ["Daily Planet"]
