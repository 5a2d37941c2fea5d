import pytest

from claims.errors import ValidationFailed
from claims.validation import clean_text, clean_url


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/", "http://[", "https://", "example.org"]
)
def test_only_well_formed_http_addresses_are_accepted(url: str) -> None:
    with pytest.raises(ValidationFailed, match="url"):
        clean_url("url", url)


def test_text_is_stripped_and_limited_with_a_clear_message() -> None:
    assert clean_text("title", "  A title \n", max_length=10) == "A title"
    with pytest.raises(ValidationFailed, match="title: is 11 characters long; the limit is 10"):
        clean_text("title", "x" * 11, max_length=10)
    with pytest.raises(ValidationFailed, match="NUL character"):
        clean_text("title", "a\x00b", max_length=10)
