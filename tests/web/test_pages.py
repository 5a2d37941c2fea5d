from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import sessionmaker

from app import create_app
from claims.models import Article


@pytest.fixture
def app(connection: Any) -> Iterator[Flask]:
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield create_app({"TESTING": True, "SESSION_FACTORY": factory})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_the_home_page_lists_articles_with_claim_counts(client: FlaskClient, sample_article: Article) -> None:
    page = client.get("/").get_data(as_text=True)

    assert "Trump in Japan" in page
    assert f"/articles/{sample_article.id}" in page
    assert "<td>23</td>" in page


def test_the_article_page_shows_claims_with_scores_reasons_and_claimants(
    client: FlaskClient, sample_article: Article
) -> None:
    page = client.get(f"/articles/{sample_article.id}").get_data(as_text=True)

    assert "securing 237 out of 465 votes" in page
    assert "contains a number: 237" in page
    assert "Kyodo News" in page


def test_an_unknown_article_is_a_404(client: FlaskClient) -> None:
    assert client.get("/articles/999999").status_code == 404
