import pytest

from claims.config import load_settings
from claims.errors import ConfigurationError


def test_production_refuses_to_start_without_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_ENV", "production")
    monkeypatch.delenv("CLAIMTRACK_SECRET_KEY", raising=False)

    with pytest.raises(ConfigurationError, match="CLAIMTRACK_SECRET_KEY must be set"):
        load_settings()


def test_development_defaults_to_a_sqlite_file_under_instance_in_the_working_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not inside the package's own folder, which an installed claimtrack may not write to."""
    monkeypatch.delenv("CLAIMTRACK_DATABASE_URL", raising=False)
    monkeypatch.delenv("CLAIMTRACK_ENV", raising=False)

    settings = load_settings()

    assert settings.database_url == "sqlite:///instance/claimtrack.sqlite3"


def test_a_malformed_size_limit_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_MAX_IMPORT_BYTES", "5MB")

    with pytest.raises(ConfigurationError, match="CLAIMTRACK_MAX_IMPORT_BYTES must be a whole number"):
        load_settings()


def test_the_claims_per_article_limit_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_MAX_CLAIMS_PER_ARTICLE", "40")
    assert load_settings().max_claims_per_article == 40

    monkeypatch.setenv("CLAIMTRACK_MAX_CLAIMS_PER_ARTICLE", "lots")
    with pytest.raises(ConfigurationError, match="whole number of sentences, got 'lots'"):
        load_settings()
