from claims.wording import Piece, marked_pieces, pronouns


def test_personal_pronouns_are_found_once_each_in_order() -> None:
    assert pronouns("She said her party and she would win; they agreed.") == ["She", "her", "she", "they"]
    assert pronouns("Sanae Takaichi won 237 of 465 votes.") == []


def test_pronouns_are_whole_words_only() -> None:
    assert pronouns("The shepherd theorised that usury hit Heathrow.") == []


def test_marked_pieces_give_back_the_wording_with_its_pronouns_marked() -> None:
    pieces = marked_pieces("She won 237 votes, her party said.")
    assert "".join(piece.text for piece in pieces) == "She won 237 votes, her party said."
    assert [piece for piece in pieces if piece.is_pronoun] == [Piece("She", True), Piece("her", True)]
