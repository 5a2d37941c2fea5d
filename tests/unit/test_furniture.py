import pytest

from claims.ingest.furniture import (
    furniture_paragraphs,
    furniture_reason,
    is_mostly_template_code,
    template_code_share,
)

# Lines as they stand in the extracted text of ../shared/data/html (and the issue's own examples).
FURNITURE_LINES = [
    "(Reporting by Indulal PM; Editing by Sunil Nair)",
    "(Additional reporting by Fergus Jensen and Wilda Asmarini; Editing by Simon Cameron-Moore)",
    "Our Standards: The Thomson Reuters Trust Principles.",
    "Follow Tia Ghose on Twitter and Google+. Follow Live Science @livescience, Facebook & Google+.",
    "Follow us on Facebook",
    "Matt Friedman may be reached at mfriedman@njadvancemedia.com. Follow him on Twitter @MattFriedmanSL.",
    "Loading Photo Gallery",
    "MORE POLITICS",
    "NO FOUL PLAY SEEN",
    "COULD PLANE HAVE STALLED?",
    "MUMBAI",
    "- Tweet this",
    "- Share this",
    "Trending On Reuters",
    "Credit: Karl Tate, SPACE.com",
    "stretcher during the recovery operation (AFP/Getty)",
    "Juanda Airport, in Surabaya, Indonesia (EPA)",
    "Nature 574, 16-17 (2019)",
    '<iframe src="https://www.youtube.com/embed/abc" width="560"></iframe>',
    '<a href="https://twitter.com/x/status/1">March 3, 2025</a>',
    "{{ article.subtitle }}",
    "Drug's effect",
    "Topics: Immigration, Unauthorized Immigration",
    "Atmospheric composition (by volume):",
    "07.13",
    "— Tom Phillips (@tomphillipsin) December 31, 2014",
    "Learn more about each of the primary planets:",
    "06.59 More on that body recovered from the crashed plane.",
    "SOURCE: Aviation Safety Network; ICAO; WORLD BANK.",
    "Commercial airline accidents and fatalities: 1975 - 2014 (rate per million)",
    "Airline incidents and fatalities since: 1975",
    "Patricio Candia | Palma de Mallorca | 08/01/2014",
    "10.58 The latest updates from Tom Phillips in Indonesia.",
    "08.55 Here's the latest from our video team on the search for wreckage and bodies.",
]
STATEMENTS = [
    "* The council approved 12 new schools in 2024.",
    "The death toll since: 1975 was never higher than this year's.",
    "Sales rose | fell | rose again, the chart shows for 2014.",
    "More on that later: the airline says 162 people were on board.",
    "More than 90 divers are ready on ships to start searching.",
    "The plane, which did not issue a distress signal, disappeared after its pilot failed to get permission.",
    "“We need help.”",
    "U.S. officials said the talks would resume on Monday.",
    "Mars is the fourth planet from the sun.",
    "AirAsia QZ8501 made an unbelievably steep climb (pictured) before it crashed.",
    "Turnout rose.",
    "THE VOTE WAS RIGGED.",
    "Unemployment fell to 3 percent last year",
]


@pytest.mark.parametrize("line", FURNITURE_LINES)
def test_page_furniture_from_real_pages_is_recognised(line: str) -> None:
    assert furniture_reason(line, "en") is not None


@pytest.mark.parametrize("line", STATEMENTS)
def test_statements_are_not_furniture(line: str) -> None:
    assert furniture_reason(line, "en") is None


def test_the_headline_repeated_in_the_body_is_furniture_even_without_the_site_name() -> None:
    title = "CRISPR Patents Spark Fight to Control Genome Editing | MIT Technology Review"

    assert furniture_reason("CRISPR Patents Spark Fight to Control Genome Editing", "en", title)
    assert furniture_reason("CRISPR patents spark a fight.", "en", title) is None


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("ONU: LA ECONOMÍA CRECERÁ", "es"),
        ("Por Juan Pérez", "es"),
        ("＞ ログイン", "ja"),
        ("وقال المرصد السوري لحقوق الإنسان، إن مقاتلين من لواء الاسلام", "ar"),
    ],
)
def test_english_wording_rules_do_not_fire_on_other_languages(line: str, language: str) -> None:
    assert furniture_reason(line, language) is None


def test_markup_and_template_code_are_furniture_in_any_language() -> None:
    assert furniture_reason("{{ nota.titulo }}", "es") == "template code"
    assert (
        furniture_reason('<iframe src="https://example.org/x"></iframe>', "ja")
        == "embed markup shown as text"
    )


def test_a_text_that_is_mostly_template_code_is_recognised_and_one_code_line_is_not() -> None:
    assert is_mostly_template_code("{{ headline }}\n{{ body|safe }}\n{% if author %}{{ author }}{% endif %}")
    assert not is_mostly_template_code(
        "The council met on Monday.\n{{ ad_slot }}\nIt voted 7 to 2 for the plan."
    )


def test_the_links_under_a_further_reading_heading_are_furniture_and_a_list_elsewhere_is_not() -> None:
    body = "\n".join(  # the end of space.com1.html (../shared/data/html), then a list of the article's own
        [
            "Key figures:",
            "- Mars is about half the size of Earth.",
            "Additional resources",
            "- Read about and see pictures of more than 40 missions to Mars.",
            "- Learn more about Mars at NASA's Solar System Exploration website.",
            "Related:",
            "Also see:",
            "- Solar System Planets overview",
            "Curiosity landed in 2012.",
        ]
    )

    furniture = furniture_paragraphs(body, "en")

    assert sorted(furniture) == [0, 2, 3, 4, 5, 6, 7]  # not the article's own list item, nor its sentence
    assert furniture[3] == "a link of a further-reading list"


def test_an_embedded_posts_credit_line_is_furniture_in_any_language() -> None:
    assert furniture_reason("— Tom Phillips (@tomphillipsin) December 31, 2014", "es") is not None


def test_a_charts_footnotes_under_its_source_line_are_furniture_and_a_starred_list_elsewhere_is_not() -> None:
    body = (
        "* The council approved 12 new schools in 2024.\n"
        "SOURCE: Aviation Safety Network; ICAO; WORLD BANK.\n"
        "* Accidents refers to the number of fatal airliner hull-loss accidents.\n"
        "** Includes 162 unconfirmed passengers from AirAsia Flight QZ8501\n"
        "Nearly two days after the flight vanished, chances of finding anyone alive were slim."
    )

    assert furniture_paragraphs(body, "en") == {
        1: "a byline, credit or page link",
        2: "a chart's footnote",
        3: "a chart's footnote",
    }


def test_openers_without_closers_are_read_in_one_pass() -> None:
    # "{{" after "{{", "<a " after "<a ", and a credit followed by spaces were read to the end from each.
    assert template_code_share("{{" * 30_000) == 0.0
    assert furniture_paragraphs("<a " * 20_000, "en") == {}
    assert furniture_paragraphs("REUTERS/A" + " " * 60_000 + ".", "en") == {}


def test_a_byline_with_place_and_date_is_furniture_in_any_language() -> None:
    assert furniture_reason("Patricio Candia | Palma de Mallorca | 08/01/2014", "es") == (
        "a byline with place and date"
    )
