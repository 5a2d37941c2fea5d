"""The built-in development key signs cookies only for the demo database, and says so when it does."""

from typing import Any

import pytest
from click.testing import CliRunner

import app as web
from app.cli import main

PRODUCTION_DATABASE = "postgresql+psycopg://claimtrack:hunter2@db.example.org/claims"


class StubApp:
    """Stands in for the app so the command returns instead of serving."""

    served = False

    def run(self, **options: Any) -> None:
        StubApp.served = True


@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMTRACK_SECRET_KEY", raising=False)
    monkeypatch.delenv("CLAIMTRACK_ENV", raising=False)
    monkeypatch.setattr(web, "create_app", lambda: StubApp())
    StubApp.served = False


@pytest.mark.usefixtures("no_key")
def test_run_refuses_a_real_database_with_the_built_in_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_DATABASE_URL", PRODUCTION_DATABASE)

    result = CliRunner().invoke(main, ["run"])

    assert result.exit_code == 1 and not StubApp.served
    assert "CLAIMTRACK_SECRET_KEY must be set to serve" in result.output
    assert "only for the demo database" in result.output
    assert "hunter2" not in result.output


@pytest.mark.usefixtures("no_key")
def test_run_on_the_demo_database_says_it_signs_with_the_built_in_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CLAIMTRACK_DATABASE_URL", raising=False)

    result = CliRunner().invoke(main, ["run"])

    assert result.exit_code == 0 and StubApp.served
    assert "signed with the built-in development key" in result.output


@pytest.mark.usefixtures("no_key")
def test_run_with_a_secret_key_serves_any_database_without_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_DATABASE_URL", PRODUCTION_DATABASE)
    monkeypatch.setenv("CLAIMTRACK_SECRET_KEY", "a real secret from the environment")

    result = CliRunner().invoke(main, ["run"])

    assert result.exit_code == 0 and StubApp.served
    assert "built-in" not in result.output
