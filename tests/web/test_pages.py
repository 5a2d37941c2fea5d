from flask.testing import FlaskClient

from claims.models import Article


def test_the_home_page_lists_articles_with_claim_counts(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    page = reviewer_client.get("/").get_data(as_text=True)

    assert "Trump in Japan" in page
    assert f"/articles/{sample_article.id}" in page
    assert "<td>23</td>" in page


def test_the_article_page_shows_claims_with_scores_reasons_and_claimants(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    page = reviewer_client.get(f"/articles/{sample_article.id}").get_data(as_text=True)

    assert "securing 237 out of 465 votes" in page
    assert "a number: 237" in page
    assert "Kyodo News" in page


def test_an_unknown_article_is_a_404(reviewer_client: FlaskClient) -> None:
    assert reviewer_client.get("/articles/999999").status_code == 404
