"""The import form and API: the size limit the form states is the one it applies, and an article with
more sentences than the desk allows is refused with a message, keeping what was typed."""

from dataclasses import replace

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claims.models import Article, User
from tests.helpers import row_count
from tests.web.conftest import csrf_token


def multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """The body a browser sends for the import form (multipart, as its enctype says). Built here because
    the test client spools a large multipart body to a temporary file that it never closes."""
    boundary = "claimtrack-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    return ("".join(parts) + f"--{boundary}--\r\n").encode(), f"multipart/form-data; boundary={boundary}"


# A paragraph of long sentences, like a report: about 1 MB gives about a thousand claims.
LONG_SENTENCE = "The regional budget report lists " + ", ".join(f"{n} schools" for n in range(120)) + ".\n"


def test_a_one_megabyte_paste_is_imported(reviewer_client: FlaskClient, session: Session) -> None:
    text = LONG_SENTENCE * (1024 * 1024 // len(LONG_SENTENCE) + 1)
    assert len(text.encode()) > 1024 * 1024  # twice Flask's default 500 KB form field limit

    body, content_type = multipart(
        {"text": text, "title": "Budget", "csrf_token": csrf_token(reviewer_client, "/articles/import")}
    )

    response = reviewer_client.post("/articles/import", data=body, content_type=content_type)

    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert row_count(session, Article) == 1


def test_the_import_form_states_the_limit_it_applies(reviewer_client: FlaskClient, app: Flask) -> None:
    app.config["CLAIMTRACK_SETTINGS"] = replace(app.config["CLAIMTRACK_SETTINGS"], max_import_bytes=2000)
    text = "The council approved 12 new schools in 2024. " * 50  # 2,300 bytes

    response = reviewer_client.post(
        "/articles/import",
        data={"text": text, "csrf_token": csrf_token(reviewer_client, "/articles/import")},
        content_type="multipart/form-data",
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Up to 2,000 bytes." in page
    assert "pasted text: is over the import limit of 2,000 bytes" in page
    assert text.strip() in page  # the paste is kept in the form


def test_an_article_with_too_many_sentences_is_refused_and_the_paste_kept(
    reviewer_client: FlaskClient, app: Flask, session: Session
) -> None:
    app.config["CLAIMTRACK_SETTINGS"] = replace(app.config["CLAIMTRACK_SETTINGS"], max_claims_per_article=3)
    text = "Word. " * 4

    response = reviewer_client.post(
        "/articles/import",
        data={"text": text, "csrf_token": csrf_token(reviewer_client, "/articles/import")},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "pasted text: has more than 3 sentences, the most one article may have" in page
    assert text.strip() in page
    assert row_count(session, Article) == 0


def test_the_api_refuses_an_article_with_too_many_sentences(
    client: FlaskClient, app: Flask, reviewer: User, token_for
) -> None:
    app.config["CLAIMTRACK_SETTINGS"] = replace(app.config["CLAIMTRACK_SETTINGS"], max_claims_per_article=3)

    response = client.post("/api/v1/articles", json={"text": "Word. " * 4}, headers=token_for(reviewer))

    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "import_rejected"
    assert "has more than 3 sentences" in response.get_json()["error"]["message"]
