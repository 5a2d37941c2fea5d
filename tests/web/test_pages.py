from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from claims.models import Article, Claim


def test_the_home_page_lists_articles_with_claim_counts(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    page = reviewer_client.get("/").get_data(as_text=True)

    assert "Trump in Japan" in page
    assert f"/articles/{sample_article.id}" in page
    assert "<td>27</td>" in page


def test_the_article_page_shows_claims_with_scores_reasons_and_claimants(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    page = reviewer_client.get(f"/articles/{sample_article.id}").get_data(as_text=True)

    assert "securing 237 out of 465 votes" in page
    assert "a number: 237" in page
    assert "Kyodo News" in page


def test_a_claim_stored_with_an_old_models_word_reasons_shows_its_cues_in_words(
    reviewer_client: FlaskClient, session: Session, sample_article: Article
) -> None:
    """Imports scored by the linear model that came before stored its features ("↑ the word …")."""
    claim = next(claim for claim in sample_article.claims if "237 out of 465" in claim.text)
    session.execute(
        update(Claim)
        .where(Claim.id == claim.id)
        .values(reasons=["↑ the word “japan”", "↑ the word “<num>”", "↓ the word “to”"])
    )
    session.flush()

    claim_page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    article_page = reviewer_client.get(f"/articles/{sample_article.id}").get_data(as_text=True)

    for page in (claim_page, article_page):
        assert "a number: 237" in page
        assert "the word “" not in page
        assert "&lt;num&gt;" not in page


def test_an_unknown_article_is_a_404(reviewer_client: FlaskClient) -> None:
    assert reviewer_client.get("/articles/999999").status_code == 404
