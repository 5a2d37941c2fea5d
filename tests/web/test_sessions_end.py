"""Ending access: a new password or a deactivation ends every session, and reactivating revives nothing."""

from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app import create_app
from app.cli import main
from claims import schema
from claims.models import User
from claims.services.users import set_active
from tests.conftest import TEST_PASSWORD
from tests.web.conftest import csrf_token

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def committed_app(empty_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app and the `claimtrack` command over one migrated database of their own (both commit)."""
    monkeypatch.setenv("CLAIMTRACK_DATABASE_URL", empty_database_url)
    schema.upgrade(empty_database_url)
    app = create_app({"DATABASE_URL": empty_database_url})
    yield app
    app.extensions["claimtrack_sessions"].kw["bind"].dispose()


def claimtrack(*args: str, password: str) -> None:
    result = CliRunner().invoke(main, list(args), input=password + "\n", catch_exceptions=False)
    assert result.exit_code == 0, result.output


def signed_in(client: FlaskClient, email: str, password: str = TEST_PASSWORD) -> FlaskClient:
    response = client.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": csrf_token(client, "/sign-in")},
    )
    assert response.status_code == 302
    return client


def replay(app: Flask, cookie: str) -> int:
    """What a copy of an old session cookie gets on the home page (302: sent to sign in)."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/").status_code


def test_setting_a_password_from_the_command_line_ends_the_users_sessions(committed_app: Flask) -> None:
    claimtrack(
        "users",
        "create",
        "riley@example.org",
        "--role",
        "reviewer",
        "--password-stdin",
        password=TEST_PASSWORD,
    )
    client = signed_in(committed_app.test_client(), "riley@example.org")
    old_cookie = client.get_cookie("session").value
    assert replay(committed_app, old_cookie) == 200

    claimtrack("users", "set-password", "riley@example.org", "--password-stdin", password=NEW_PASSWORD)

    assert replay(committed_app, old_cookie) == 302
    assert client.get("/").status_code == 302  # the browser that was signed in is signed out too
    assert (
        signed_in(committed_app.test_client(), "riley@example.org", NEW_PASSWORD).get("/").status_code == 200
    )


def test_reactivating_a_user_brings_back_neither_old_cookies_nor_old_tokens(
    app: Flask,
    sign_in: Callable[[User], FlaskClient],
    token_for: Callable[[User], dict[str, str]],
    session: Session,
    admin: User,
    reviewer: User,
) -> None:
    old_cookie = sign_in(reviewer).get_cookie("session").value
    old_token = token_for(reviewer)
    assert app.test_client().get("/api/v1/claims", headers=old_token).status_code == 200

    set_active(session, admin, reviewer.id, False)
    set_active(session, admin, reviewer.id, True)
    session.flush()

    assert replay(app, old_cookie) == 302
    assert app.test_client().get("/api/v1/claims", headers=old_token).status_code == 401
    assert app.test_client().get("/api/v1/claims", headers=token_for(reviewer)).status_code == 200
