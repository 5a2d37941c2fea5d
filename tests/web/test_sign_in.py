from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claims.models import User
from claims.services.users import set_active
from tests.conftest import TEST_PASSWORD
from tests.web.conftest import csrf_token


def test_pages_redirect_anonymous_visitors_to_sign_in(client: FlaskClient) -> None:
    for path in ("/", "/activity", "/claims/1", "/articles/1", "/articles/1/history"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/sign-in")


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    client: FlaskClient, reviewer: User
) -> None:
    answers = []
    for email, password in ((reviewer.email, "wrong password!"), ("nobody@example.org", "wrong password!")):
        token = csrf_token(client, "/sign-in")
        page = client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})
        answers.append((page.status_code, "Email or password is not right." in page.get_data(as_text=True)))

    assert answers == [(200, True), (200, True)]


def test_a_sign_in_post_without_a_csrf_token_is_refused(client: FlaskClient, reviewer: User) -> None:
    response = client.post("/sign-in", data={"email": reviewer.email, "password": "x"})

    assert response.status_code == 400


def test_signing_out_ends_the_session(sign_in: Callable[[User], FlaskClient], reviewer: User) -> None:
    client = sign_in(reviewer)
    token = csrf_token(client, "/")

    client.post("/sign-out", data={"csrf_token": token})

    assert client.get("/").status_code == 302


def test_a_deactivated_user_cannot_sign_in(
    client: FlaskClient, session: Session, admin: User, reviewer: User
) -> None:
    user = set_active(session, admin, reviewer.id, False)
    token = csrf_token(client, "/sign-in")

    page = client.post(
        "/sign-in",
        data={"email": user.email, "password": "correct horse battery staple", "csrf_token": token},
    )

    assert "Email or password is not right." in page.get_data(as_text=True)


def sign_in_with_next(client: FlaskClient, user: User, next_value: str) -> str:
    response = client.post(
        "/sign-in",
        query_string={"next": next_value},
        data={
            "email": user.email,
            "password": "correct horse battery staple",
            "csrf_token": csrf_token(client, "/sign-in"),
        },
    )
    assert response.status_code == 302
    return response.headers["Location"]


@pytest.mark.parametrize(
    "next_value",
    [
        "/\t/evil.example/",
        "\t//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        " //evil.example/",
        "//evil.example/",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example/",
    ],
)
def test_signing_in_never_redirects_off_site_however_next_is_disguised(
    client: FlaskClient, reviewer: User, next_value: str
) -> None:
    assert sign_in_with_next(client, reviewer, next_value) == "/"


def test_signing_in_returns_to_the_page_on_this_site_that_asked_for_it(
    client: FlaskClient, reviewer: User
) -> None:
    assert sign_in_with_next(client, reviewer, "/queue?status=in_review") == "/queue?status=in_review"


@pytest.mark.parametrize("next_value", ["/\r\n/evil.example/", "/\x00/evil.example/"])
def test_a_next_with_line_breaks_or_nul_is_refused_before_anything_redirects(
    client: FlaskClient, reviewer: User, next_value: str
) -> None:
    response = client.post(
        "/sign-in",
        query_string={"next": next_value},
        data={
            "email": reviewer.email,
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token(client, "/sign-in"),
        },
    )

    assert response.status_code == 400
    assert "Location" not in response.headers
