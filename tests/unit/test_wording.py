from claims.wording import Piece, leading_pronoun, marked_pieces, pronouns


def test_personal_pronouns_are_found_once_each_in_order() -> None:
    assert pronouns("She said her party and she would win; they agreed.") == ["She", "her", "she", "they"]
    assert pronouns("Sanae Takaichi won 237 of 465 votes.") == []


def test_pronouns_are_whole_words_only() -> None:
    assert pronouns("The shepherd theorised that usury hit Heathrow.") == []


def test_marked_pieces_give_back_the_wording_with_its_pronouns_marked() -> None:
    pieces = marked_pieces("She won 237 votes, her party said.")
    assert "".join(piece.text for piece in pieces) == "She won 237 votes, her party said."
    assert [piece for piece in pieces if piece.is_pronoun] == [Piece("She", True), Piece("her", True)]


def test_country_and_trade_in_capitals_are_not_pronouns() -> None:
    assert pronouns("US tariffs on IT services hurt us, HE said.") == ["us"]


def test_a_wording_that_opens_with_a_pronoun_leans_on_another_sentence() -> None:
    assert leading_pronoun("She won the leadership of the ruling LDP.") == "She"
    assert leading_pronoun("“They will pay,” he said.") == "They"
    assert leading_pronoun("Sanae Takaichi said she won.") is None
    assert leading_pronoun("US troops will stay in Japan.") is None


def test_a_pronoun_the_wording_itself_resolves_needs_no_name() -> None:
    assert pronouns("Matie said his company grew.") == []
    assert pronouns("Her Desher was closed to visitors.") == []  # a pronoun that begins a name
    assert pronouns("In March, his party won.") == ["his"]  # a month names no one
