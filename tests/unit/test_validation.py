import pytest

from claims.errors import ValidationFailed
from claims.validation import clean_text, clean_url


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/", "http://[", "https://", "example.org"]
)
def test_only_well_formed_http_addresses_are_accepted(url: str) -> None:
    with pytest.raises(ValidationFailed, match="URL"):
        clean_url("url", url)


def test_text_is_stripped_and_limited_with_a_clear_message() -> None:
    assert clean_text("title", "  A title \n", max_length=10) == "A title"
    with pytest.raises(ValidationFailed, match="Title is 11 characters long; the limit is 10"):
        clean_text("title", "x" * 11, max_length=10)
    with pytest.raises(ValidationFailed, match="NUL character"):
        clean_text("title", "a\x00b", max_length=10)


def test_a_refusal_reads_as_a_sentence_without_a_field_name_prefix() -> None:
    assert str(ValidationFailed("rationale", "is required")) == "Rationale is required."
    assert str(ValidationFailed("url", "must be an http(s) address")) == "URL must be an http(s) address."
    assert str(ValidationFailed("claims", "select at least one claim")) == "Select at least one claim."
    assert str(ValidationFailed("claimReviewed", "is required")) == "claimReviewed is required."  # a JSON key
    assert ValidationFailed("url", "is required").field == "url"  # the API still names the field
