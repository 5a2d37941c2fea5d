import pytest

from claims.ingest.sentences import split_sentences
from tests.conftest import SAMPLE_ARTICLE


def texts(body: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(body)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Mr. Abe met U.S. officials in Washington. He left on Oct. 4 for Tokyo.",
            ["Mr. Abe met U.S. officials in Washington.", "He left on Oct. 4 for Tokyo."],
        ),
        (
            "Growth was 3.5 percent in 2024. It fell to 2.1 percent.",
            ["Growth was 3.5 percent in 2024.", "It fell to 2.1 percent."],
        ),
        (
            "Dr. Jane Smith and Prof. J. R. Doe disagreed. The vote was 237 to 228.",
            ["Dr. Jane Smith and Prof. J. R. Doe disagreed.", "The vote was 237 to 228."],
        ),
        (
            "The company moved to the U.S. in 2019. Sales grew.",
            ["The company moved to the U.S. in 2019.", "Sales grew."],
        ),
    ],
    ids=["abbreviations", "decimals", "titles-and-initials", "abbreviation-mid-sentence"],
)
def test_abbreviations_and_decimals_do_not_end_a_sentence(body: str, expected: list[str]) -> None:
    assert texts(body) == expected


def test_each_sentence_of_a_quotation_is_a_sentence_of_its_own_in_one_quotation() -> None:
    body = "He said, “Peace, not war! Millions of lives were saved.” Then he left."

    sentences = split_sentences(body)

    assert [s.text for s in sentences] == [
        "He said, “Peace, not war!",
        "Millions of lives were saved.”",
        "Then he left.",
    ]
    assert [s.quotation for s in sentences] == [1, 1, None]


def test_quotations_are_numbered_through_the_article_and_a_one_sentence_quote_is_none() -> None:
    body = '“One. Two,” she said.\nHe called it “a historic moment.”\n"Three. Four."'

    assert [(s.text, s.quotation) for s in split_sentences(body)] == [
        ("“One.", 1),
        ("Two,” she said.", 1),
        ("He called it “a historic moment.”", None),
        ('"Three.', 2),
        ('Four."', 2),
    ]


def test_every_span_indexes_the_exact_sentence_in_the_body() -> None:
    body = "  First one.\r\n\r\nSecond:   “Quoted.” Third   one?\n\nFourth!  "

    for sentence in split_sentences(body):
        assert body[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()


def test_sentences_never_cross_a_paragraph_break() -> None:
    assert texts("A heading without a full stop\nThe body starts here.") == [
        "A heading without a full stop",
        "The body starts here.",
    ]


def test_the_sample_article_splits_into_its_27_statements() -> None:
    body = SAMPLE_ARTICLE.read_text(encoding="utf-8")

    sentences = split_sentences(body)

    assert len(sentences) == 27
    assert all(body[s.start : s.end] == s.text for s in sentences)
    assert sentences[0].text.startswith("US President Donald Trump has successfully concluded")
    assert any(s.text.endswith("securing 237 out of 465 votes.") for s in sentences)
    assert any(
        s.text
        == "President Trump’s current three-day visit to Japan is the first such visit in almost six years."
        for s in sentences
    )
    post = [s for s in sentences if s.quotation == 1]
    assert [s.text[:30] for s in post] == [
        "He had written on his social m",
        "Important agreements were sign",
        "Peace, not war!",
        "Millions of lives were saved –",
        "Now, I’m off to Japan!”",
    ]


@pytest.mark.parametrize(
    ("entry", "first_sentence"),
    [
        (  # telegraph.co.uk1.html (../shared/data/html), a live blog's entries
            '16.06 AirAsia QZ8501 made an "unbelievably" steep climb before it crashed, a source close '
            "to the investigation has told Reuters. It was seen on radar.",
            'AirAsia QZ8501 made an "unbelievably" steep climb before it crashed, a source close '
            "to the investigation has told Reuters.",
        ),
        ("23.45 It is now approaching 7am in Jakarta.", "It is now approaching 7am in Jakarta."),
        ("10:42 a.m. ET The senator said the bill would pass.", "The senator said the bill would pass."),
        ("9:05 PM “We won,” she said.", "“We won,” she said."),
    ],
)
def test_a_live_blog_time_stamp_is_not_part_of_the_entry_first_sentence(
    entry: str, first_sentence: str
) -> None:
    body = f"Latest\n{entry}"

    first = split_sentences(body)[1]

    assert first.text == first_sentence
    assert body[first.start : first.end] == first_sentence


@pytest.mark.parametrize(
    ("paragraph", "claim"),
    [
        (  # reuters.com2.html (../shared/data/html)
            "JAKARTA (Reuters) - Countries around Asia on Tuesday stepped up the search.",
            "Countries around Asia on Tuesday stepped up the search.",
        ),
        ("SURABAYA, Indonesia (Reuters) - Relatives waited.", "Relatives waited."),
        ("WASHINGTON (AP) — The Senate passed the bill 51-49.", "The Senate passed the bill 51-49."),
        ("NATO (the alliance) - a note", "NATO (the alliance) - a note"),  # no agency's capital after "("
        (
            "WHO (World Health Organization) - The agency said so.",
            "WHO (World Health Organization) - The agency said so.",
        ),
        (
            "A" * 10_000 + " (Reuters) - The ministry said so.",
            "A" * 10_000 + " (Reuters) - The ministry said so.",
        ),
    ],
)
def test_a_wire_dateline_is_not_part_of_the_first_sentence(paragraph: str, claim: str) -> None:
    body = f"Latest\n{paragraph}"

    first = split_sentences(body)[1]

    assert (first.text, body[first.start : first.end]) == (claim, claim)


@pytest.mark.parametrize(
    ("item", "claim"),
    [
        (  # telegraph.co.uk1.html (../shared/data/html), the live blog's summary
            "• Seven bodies from 162 on board found so far",
            "Seven bodies from 162 on board found so far",
        ),
        ("  - Turnout rose to 61 percent.", "Turnout rose to 61 percent."),
    ],
)
def test_a_list_bullet_is_not_part_of_the_claim(item: str, claim: str) -> None:
    body = f"Latest\n{item}"

    first = split_sentences(body)[1]

    assert (first.text, body[first.start : first.end]) == (claim, claim)


@pytest.mark.parametrize(
    "paragraph", ["-5 degrees were forecast for Monday.", "•", "*Figures are provisional."]
)
def test_a_dash_or_star_that_is_no_bullet_stays(paragraph: str) -> None:
    assert texts(paragraph) == [paragraph]


def test_a_paragraph_opening_with_a_number_keeps_it() -> None:
    body = "95.32 percent carbon dioxide, 2.7 percent nitrogen, 1.6 percent argon."  # space.com1.html

    assert texts(body) == [body]


@pytest.mark.parametrize(
    ("post", "words"),
    [
        (  # telegraph.co.uk1.html (../shared/data/html), embedded tweets
            "Our deepest condolences #airasiamissing pic.twitter.com/Nli9H4c2md",
            "Our deepest condolences #airasiamissing",
        ),
        (
            "#QZ8501: Search teams have just brought a body back to Pangkalan Bun from sea via helicopter "
            "http://t.co/fU1QeMQPFC pic.twitter.com/xrDVp5Qaqn",
            "#QZ8501: Search teams have just brought a body back to Pangkalan Bun from sea via helicopter",
        ),
        (
            "Search called off for the night. https://t.co/a1 \t HTTPS://t.co/b2  pic.twitter.com/c3  ",
            "Search called off for the night.",
        ),
    ],
    ids=["one-link", "two-links", "three-links-and-spaces"],
)
def test_an_embedded_post_links_are_not_part_of_its_last_sentence(post: str, words: str) -> None:
    body = f"Latest\n{post}\nThe search resumes tomorrow."

    sentences = split_sentences(body)

    assert [s.text for s in sentences] == ["Latest", words, "The search resumes tomorrow."]
    assert all(body[s.start : s.end] == s.text for s in sentences)
    assert sentences[1].start == body.index(post)


def test_a_post_link_after_its_last_sentence_is_no_sentence_of_its_own() -> None:
    body = "Air Asia flight attendant Khairunisa Haidar Fauzi was on the flight. pic.twitter.com/RBBPdyUNaS"

    assert texts(body) == ["Air Asia flight attendant Khairunisa Haidar Fauzi was on the flight."]


def test_a_paragraph_of_links_only_gives_no_sentence_and_keeps_the_numbering() -> None:
    body = "First paragraph.\nhttp://t.co/fU1QeMQPFC pic.twitter.com/xrDVp5Qaqn\nThird paragraph."

    sentences = split_sentences(body)

    assert [(s.text, s.paragraph) for s in sentences] == [("First paragraph.", 0), ("Third paragraph.", 2)]
    assert all(body[s.start : s.end] == s.text for s in sentences)


@pytest.mark.parametrize(
    "paragraph",
    [
        "The full report is at https://example.org/report.",  # the sentence cites it
        "Visit https://example.org/vote now, officials said.",  # not at the end
        "The page http:// was blank",  # a scheme alone is no link
        "The site is www.p2016.org",  # not a post's link
        "The full report is at https://example.org/report",  # an article's citation, no post's link
        "Read it at http://bit.ly/3xYz https://example.org/report",
    ],
)
def test_a_link_that_is_part_of_a_sentence_stays_in_it(paragraph: str) -> None:
    assert texts(paragraph) == [paragraph]


def test_a_long_paragraph_ending_in_many_post_links_keeps_all_its_words() -> None:
    # A backtracking pattern would not finish on this; the trimming reads each word once.
    words = "word " * 200_000  # a million characters and no sentence end
    links = " ".join(f"https://t.co/{n}" for n in range(50_000))
    body = f"{words}{links}\n{'x' * 1_000_000}\n{'https://t.co/' + 'y' * 1_000_000}"

    sentences = split_sentences(body)

    # Read in pieces of at most 20,000 characters (see sentences._chunks), every word kept, no link.
    assert " ".join(s.text for s in sentences if s.paragraph == 0) == words.rstrip()
    assert "".join(s.text for s in sentences if s.paragraph == 1) == "x" * 1_000_000
    assert all(body[s.start : s.end] == s.text and len(s.text) <= 20_000 for s in sentences)


def test_a_fact_box_comparison_stays_with_the_figure_it_compares() -> None:
    body = (
        "Average distance from the sun: 141,633,260 miles (227,936,640 km). By comparison: 1.524 times that "
        "of Earth\nBy comparison: this paragraph has nothing before it."
    )

    assert texts(body) == [
        "Average distance from the sun: 141,633,260 miles (227,936,640 km). By comparison: 1.524 times that "
        "of Earth",
        "By comparison: this paragraph has nothing before it.",
    ]


def test_a_speaker_tag_after_a_quoted_question_is_no_sentence_of_its_own() -> None:
    body = "“What kind of company do we want?” Charpentier says. Then she left."

    assert texts(body) == ["“What kind of company do we want?” Charpentier says.", "Then she left."]


def test_a_quotations_opening_mark_starts_the_sentence_it_opens() -> None:
    body = '"I told him," said Budi, the uncle. "He thinks daddy is at work."'

    assert texts(body) == ['"I told him," said Budi, the uncle.', '"He thinks daddy is at work."']


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u202f", "\u3000", "\u2028", "\u0085"])
def test_a_capital_and_a_wide_space_before_a_full_stop_split_like_an_ascii_space(space: str) -> None:
    # sentencex panicked on these (a Rust panic that ended a web worker); the spans index the text as given.
    body = f"Plan B{space}. The vote was 237 to 228."

    assert [body[s.start : s.end] for s in split_sentences(body)] == texts(body)
    assert texts(body)[-1] == "The vote was 237 to 228."


def test_a_paragraph_longer_than_the_splitter_reads_at_once_is_cut_after_a_sentence_end() -> None:
    body = " ".join(f"The council approved {i} new schools in 2024." for i in range(3_000))

    found = texts(body)

    assert len(found) == 3_000 and found[-1] == "The council approved 2999 new schools in 2024."


def test_a_closing_mark_the_splitter_left_on_the_next_sentence_goes_back_to_its_quotation() -> None:
    body = "“I said, ‘Don’t you worry. As much as you want.’ ” The workers stayed for 15 days."

    assert texts(body) == [
        "“I said, ‘Don’t you worry.",
        "As much as you want.’ ”",
        "The workers stayed for 15 days.",
    ]
