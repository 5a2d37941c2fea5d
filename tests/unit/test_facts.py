"""Numbers, dates and durations: read with their spans, resolved against the article's day, and the hints."""

import re
from collections import Counter
from datetime import date

import pytest

from claims.facts.extract import Kind, extract
from claims.facts.hints import Statement, hints
from claims.facts.resolve import Reference, resolve
from claims.facts.wording import interval_words
from tests.conftest import SAMPLE_ARTICLE

PUBLISHED = Reference(date(2025, 10, 27), "published")


def read(text: str, reference: Reference = PUBLISHED) -> list[tuple[str, str, str | None]]:
    """(kind, text as written, resolved in words) for each expression; every span indexes the text."""
    found = []
    for expression in extract(text):
        assert text[expression.start : expression.end] == expression.text
        fact = resolve(expression, reference)
        found.append(
            (
                expression.kind.value,
                expression.text,
                fact.interval and interval_words(fact.interval, expression.unit),
            )
        )
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It cost $2 billion.", ("quantity", "$2 billion", "2,000,000,000 USD")),
        ("That covers 43 million Americans.", ("quantity", "43 million Americans", "43,000,000 Americans")),
        ("securing 237 out of 465 votes", ("ratio", "237 out of 465", "51 %")),
        ("one in five adults", ("ratio", "one in five", "20 %")),
        ("Turnout was 51.2%.", ("percentage", "51.2%", "51.2 %")),
        ("up 3.5 percentage points", ("percentage", "3.5 percentage points", "3.5 percentage points")),
        ("the first such visit in almost six years", ("duration", "almost six years", "(5.5, 6] years")),
        ("it lasted more than two hours", ("duration", "more than two hours", "(2, ∞) hours")),
        ("his 24-hour visit", ("duration", "24-hour", "24 hours")),
        (
            "in the approximately 10-minute long dialogue",
            ("duration", "approximately 10-minute", "[9.5, 10.5] minutes"),
        ),
        ("on October 4th", ("date", "October 4th", "4 October 2025")),
        ("made history earlier this month", ("date", "earlier this month", "1–26 October 2025")),
        ("returned in January", ("date", "January", "January 2025")),
        ("sales fell last year", ("date", "last year", "2024")),
        ("last visited Japan in 2019", ("date", "2019", "2019")),
        ("on 4 July 2020", ("date", "4 July 2020", "4 July 2020")),
        ("the second leg of his tour", ("ordinal", "second", None)),
        ("the 2nd round", ("ordinal", "2nd", None)),
        ("his highest priority", ("superlative", "highest", None)),
        ("the most expensive bridge", ("superlative", "most expensive", None)),
    ],
)
def test_each_kind_is_read_with_its_span_and_resolved(text: str, expected: tuple) -> None:
    assert expected in read(text)


def test_a_ratio_is_one_expression_not_two_numbers() -> None:
    assert [kind for kind, _, _ in read("securing 237 out of 465 votes")] == ["ratio"]


@pytest.mark.parametrize(
    ("words", "day", "expected"),
    [
        ("last month", date(2025, 1, 15), "December 2024"),
        ("next month", date(2025, 12, 3), "January 2026"),
        ("earlier this month", date(2025, 10, 1), "1 October 2025"),
        ("later this month", date(2024, 2, 10), "11–29 February 2024"),
        ("last year", date(2025, 1, 1), "2024"),
        ("earlier this year", date(2025, 3, 2), "1 January – 1 March 2025"),
        ("yesterday", date(2025, 1, 1), "31 December 2024"),
        ("last week", date(2025, 1, 2), "23–29 December 2024"),
        ("December 30", date(2025, 1, 2), "30 December 2024"),
        ("January 3", date(2024, 12, 30), "3 January 2025"),
        ("in December", date(2025, 1, 10), "December 2024"),
        ("in January", date(2025, 1, 10), "January 2025"),
        ("February 29", date(2024, 10, 1), "29 February 2024"),
    ],
)
def test_relative_dates_resolve_across_month_and_year_edges(words: str, day: date, expected: str) -> None:
    assert read(words, Reference(day, "published"))[0][2] == expected


def sample_hints() -> list:
    """The sample article, cut into sentences, against its publication date (27 October 2025)."""
    text = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    sentences = [s for s in re.split(r"(?<=[.!”])\s+", text) if s.strip()]
    statements = [
        Statement(number, sentence, [resolve(e, PUBLISHED) for e in extract(sentence)])
        for number, sentence in enumerate(sentences, start=1)
    ]
    return hints(statements, PUBLISHED)


def test_the_sample_votes_are_a_majority_by_four() -> None:
    (votes,) = [h for h in sample_hints() if h.kind == "part and total"]
    assert "237 / 465 = 51.0 %" in votes.text
    assert "A majority of 465 needs 233" in votes.text
    assert "a majority by 4" in votes.text


def test_almost_six_years_holds_only_for_a_visit_after_late_october_2019() -> None:
    (years,) = [h for h in sample_hints() if h.kind == "duration and date"]
    assert len(years.claim_ids) == 2
    assert "from any day of 2019 to 27 October 2025" in years.text
    assert "between 5.8 and 6.8 years" in years.text
    assert "(5.5, 6] years" in years.text
    assert "27 October – 31 December 2019" in years.text
    assert "an earlier one would make it more than 6 years" in years.text


def test_statements_that_cannot_both_hold_are_said_to() -> None:
    first = "The visit was the first in almost two years."
    last = "He last visited the country in 2019."
    statements = [
        Statement(i, t, [resolve(e, PUBLISHED) for e in extract(t)]) for i, t in enumerate([first, last])
    ]
    (hint,) = hints(statements, PUBLISHED)
    assert "both cannot hold" in hint.text


def test_a_share_in_words_is_read_but_gives_no_majority_hint() -> None:
    # pewresearch.org1.html: "two-thirds" has no counts; the article page answered 500 on it.
    text = "Two-thirds of the members voted for the measure, which passed."
    statement = Statement(1, text, [resolve(e, PUBLISHED) for e in extract(text)])

    assert [(e.kind, e.parts) for e in extract(text)] == [(Kind.RATIO, ())]
    assert [h for h in hints([statement], PUBLISHED) if h.kind == "part and total"] == []


def test_a_percentage_is_checked_against_its_counts() -> None:
    text = "She won 237 out of 465 votes, or 55%."
    statement = Statement(1, text, [resolve(e, PUBLISHED) for e in extract(text)])
    texts = [h.text for h in hints([statement], PUBLISHED) if h.kind == "percentage and counts"]
    assert texts == ["“237 out of 465” is 51.0 %; “55%” does not: both cannot hold as written."]


def test_an_article_without_a_date_is_read_against_its_import_day() -> None:
    imported = Reference(date(2026, 12, 4), "imported")
    (hint,) = hints(
        [
            Statement(
                1,
                "It is the first visit in almost six years.",
                [resolve(e, imported) for e in extract("It is the first visit in almost six years.")],
            ),
            Statement(
                2,
                "He last visited in 2019.",
                [resolve(e, imported) for e in extract("He last visited in 2019.")],
            ),
        ],
        imported,
    )
    assert "4 December 2026 (the article's import date)" in hint.text


@pytest.mark.parametrize(
    "text",
    [
        "9" * 400 + " people",
        "x² and 10² metres",
        "NUL\x00 here 12\x00%",
        "on February 30, 2025 and in 9999 and on January 1, 1000",
        "",
        "¹²³ ٣ ۴",
    ],
)
def test_odd_input_is_read_without_errors_and_spans_hold(text: str) -> None:
    for kind, written, _ in read(text):
        assert Kind(kind) and written


def test_a_day_no_calendar_holds_is_read_but_not_resolved() -> None:
    assert ("date", "February 30, 2025", None) in read("on February 30, 2025")


def test_a_number_beyond_a_float_gives_no_value() -> None:
    assert all(kind != "quantity" for kind, _, _ in read("9" * 400 + " people"))


def test_superscripts_are_not_numbers() -> None:
    assert read("x²") == []


def test_a_range_after_a_dash_is_one_quantity_not_a_count_of_its_first_number() -> None:
    found = extract("The image showed an airplane upside down in 24-30 meters of water.")

    assert [(e.kind, e.text, e.parts) for e in found] == [(Kind.QUANTITY, "24-30 meters", (24.0, 30.0))]


def test_an_age_is_no_span_of_time() -> None:
    assert all(e.kind is not Kind.DURATION for e in extract("The pilot's 55-year-old brother said so."))


def test_a_number_that_names_something_is_no_amount() -> None:
    assert extract("Malaysia Airlines Flight 17 was a Boeing 777 shot down over Ukraine.") == ()


def test_a_first_in_years_is_weighed_against_the_nearest_last_visits_only() -> None:
    # Every pairing of 200 such sentences would be 10,000 hints (3,000 sentences took minutes a page view).
    texts = [
        f"Envoy {i} made the first visit in 6 years." if i % 2 == 0 else f"Envoy {i} last visited in 2019."
        for i in range(200)
    ]
    statements = [
        Statement(i, text, [resolve(e, PUBLISHED) for e in extract(text)]) for i, text in enumerate(texts)
    ]

    found = [h for h in hints(statements, PUBLISHED) if h.kind == "duration and date"]

    per_claim = Counter(h.claim_ids[0] for h in found)
    assert max(per_claim.values()) == 3 and len(per_claim) == 100
    assert {(100, 99), (100, 101)} <= {h.claim_ids for h in found}


def test_a_long_run_of_comma_grouped_digits_is_read_once_and_the_text_after_it_still_is() -> None:
    # Read again from every comma, a 36 KB sentence of these took a minute of a page view.
    text = ",".join(str(100 + i % 900) for i in range(16_000)) + " and 1,000 people came."

    assert [e.text for e in extract(text)][-1:] == ["1,000 people"]


def test_a_decade_is_no_count() -> None:
    assert [e.text for e in extract("In the 1970s and the 2030s prices rose 5%.")] == ["5%"]


def test_another_languages_numbers_are_read_without_the_english_unit_rules() -> None:
    found = extract("El próximo 8 de marzo los precios subieron un 5 % y costaron 3 millones.", "es")

    assert [(e.kind, e.text) for e in found] == [
        (Kind.COUNT, "8"),
        (Kind.PERCENTAGE, "5 %"),
        (Kind.COUNT, "3"),
    ]
