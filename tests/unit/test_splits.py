import pytest

from claims.ingest.splits import offered_split


def test_two_peoples_statements_are_offered_as_two_parts_with_both_claimants() -> None:
    sentence = (
        "Prime Minister Takaichi stated that she is eager to welcome Trump to Japan, while President Trump "
        "also conveyed that he is looking forward to meeting her in person."
    )

    offer = offered_split(sentence)

    assert offer is not None
    assert offer.parts == [
        "Prime Minister Takaichi stated that she is eager to welcome Trump to Japan,",
        "while President Trump also conveyed that he is looking forward to meeting her in person.",
    ]
    assert offer.claimants == ["Prime Minister Takaichi", "President Trump"]


def test_two_facts_in_one_sentence_are_offered_as_two_parts() -> None:
    sentence = (
        "Important agreements were signed on trade and rare earth elements, and a historic peace treaty "
        "was concluded between Thailand and Cambodia."
    )

    offer = offered_split(sentence)

    assert offer is not None and " ".join(offer.parts) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "He bought apples, pears, and bananas at the market on Monday.",
        "Both leaders emphasized enhancing bilateral relations, regional stability, and cooperation.",
        "The economy grew 3 percent last year.",
    ],
)
def test_a_list_or_a_single_statement_is_offered_no_split(sentence: str) -> None:
    assert offered_split(sentence) is None


def test_no_split_is_offered_in_another_language() -> None:
    assert (
        offered_split("El PIB creció un 3 por ciento, y el paro bajó al 11 por ciento en marzo.", "es")
        is None
    )
