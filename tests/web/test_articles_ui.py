import html
import io
import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.models import Article, Claim, Status, User
from tests.conftest import SAMPLE_ARTICLE
from tests.web.conftest import csrf_token


def article_body_text(page: str) -> str:
    inner = page.split('id="article-body" class="article-body" data-selectable>')[1].split("</div>")[0]
    return html.unescape(re.sub(r"<[^>]+>", "", inner))


def test_the_article_page_shows_the_text_verbatim_with_every_claim_highlighted_in_place(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    page = reviewer_client.get(f"/articles/{sample_article.id}").get_data(as_text=True)

    assert article_body_text(page) == sample_article.body
    links = re.findall(r'<a class="claim-span status-(\w+)[^"]*"\s+href="/claims/(\d+)"', page)
    assert len(links) == 27
    assert {int(claim_id) for _, claim_id in links} == {c.id for c in sample_article.claims}
    assert ("not_checkworthy" in {status for status, _ in links}) and ("unreviewed" in {s for s, _ in links})


def test_the_sentences_of_one_quotation_are_shown_as_one_quotation(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    post = [claim for claim in sample_article.claims if claim.quotation == 1]

    article_page = reviewer_client.get(f"/articles/{sample_article.id}").get_data(as_text=True)
    claim_page = reviewer_client.get(f"/claims/{post[2].id}").get_data(as_text=True)

    assert article_page.count('data-quotation="1"') == 5
    assert article_page.count("· quotation 1") == 5
    assert "Sentence 3 of 5 of one quotation" in claim_page
    for other in (post[0], post[1], post[3], post[4]):
        assert f'href="/claims/{other.id}"' in claim_page


def test_pasting_an_article_imports_it_and_a_repeat_finds_it(reviewer_client: FlaskClient) -> None:
    data = {
        "text": SAMPLE_ARTICLE.read_text(encoding="utf-8"),
        "title": "Trump in Japan",
        "publisher": "Sample Wire",
        "published": "2025-10-27",
    }

    first = reviewer_client.post(
        "/articles/import",
        data={**data, "csrf_token": csrf_token(reviewer_client, "/articles/import")},
        follow_redirects=True,
    )
    second = reviewer_client.post(
        "/articles/import",
        data={**data, "csrf_token": csrf_token(reviewer_client, "/articles/import")},
        follow_redirects=True,
    )

    assert re.search(r"Imported: 27 sentences, \d+ check-worthy\.", first.get_data(as_text=True))
    assert "This text was imported before" in second.get_data(as_text=True)


def test_an_import_error_is_explained_and_keeps_what_was_typed(reviewer_client: FlaskClient) -> None:
    token = csrf_token(reviewer_client, "/articles/import")

    response = reviewer_client.post(
        "/articles/import",
        data={
            "text": "The council approved 12 new schools in 2024.",
            "title": "Schools",
            "url": "ftp://x",
            "csrf_token": token,
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "URL must be an http(s) address" in page
    assert 'value="Schools"' in page
    assert "The council approved 12 new schools in 2024.</textarea>" in page


def test_an_uploaded_text_file_is_imported_and_other_types_are_refused(reviewer_client: FlaskClient) -> None:
    good = {
        "upload": (io.BytesIO(b"The vote was 237 to 228 on Tuesday, officials said."), "../../etc/vote.txt"),
        "csrf_token": csrf_token(reviewer_client, "/articles/import"),
    }
    bad = {
        "upload": (io.BytesIO(b"%PDF-1.7"), "report.pdf"),
        "csrf_token": csrf_token(reviewer_client, "/articles/import"),
    }

    imported = reviewer_client.post(
        "/articles/import", data=good, content_type="multipart/form-data", follow_redirects=True
    )
    refused = reviewer_client.post("/articles/import", data=bad, content_type="multipart/form-data")

    assert "Imported: 1 sentences" in imported.get_data(as_text=True)
    assert refused.status_code == 422
    assert "report.pdf: unsupported file type &#39;.pdf&#39;" in refused.get_data(as_text=True)


def test_an_upload_over_the_request_limit_gets_a_friendly_413(reviewer_client: FlaskClient, app) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1024
    token = csrf_token(reviewer_client, "/articles/import")

    response = reviewer_client.post(
        "/articles/import",
        data={"upload": (io.BytesIO(b"a" * 4096), "big.txt"), "csrf_token": token},
        content_type="multipart/form-data",
    )

    assert response.status_code == 413
    assert "over the import size limit" in response.get_data(as_text=True)


def test_a_selection_becomes_a_claim(
    reviewer_client: FlaskClient, session: Session, sample_article: Article
) -> None:
    start = sample_article.body.index("securing 237 out of 465 votes")
    token = csrf_token(reviewer_client, f"/articles/{sample_article.id}")

    response = reviewer_client.post(
        f"/articles/{sample_article.id}/claims",
        data={"start": start, "end": start + len("securing 237 out of 465 votes"), "csrf_token": token},
    )

    assert response.status_code == 302
    added = session.scalars(select(Claim).where(Claim.sentence == "securing 237 out of 465 votes")).one()
    assert added.status == Status.UNREVIEWED


def test_neighbouring_claims_merge_from_the_article_page(
    sign_in: Callable[[User], FlaskClient], reviewer: User, session: Session, sample_article: Article
) -> None:
    client = sign_in(reviewer)
    first_id, second_id = sample_article.claims[1].id, sample_article.claims[2].id
    token = csrf_token(client, f"/articles/{sample_article.id}")

    response = client.post(
        f"/articles/{sample_article.id}/merge", data={"claim_ids": [first_id, second_id], "csrf_token": token}
    )

    assert response.headers["Location"] == f"/claims/{first_id}"
    session.expire_all()
    assert session.get(Claim, second_id) is None


def test_the_import_form_takes_a_language_and_explains_a_malformed_one(
    reviewer_client: FlaskClient, session: Session
) -> None:
    text = "Le gouvernement a annoncé mardi une hausse de 5 % du salaire minimum pour 2025."

    def submit(language: str) -> str:
        data = {
            "text": text,
            "language": language,
            "csrf_token": csrf_token(reviewer_client, "/articles/import"),
        }
        return reviewer_client.post("/articles/import", data=data, follow_redirects=True).get_data(
            as_text=True
        )

    refused = submit("French")
    imported = submit("fr-CA")

    assert "language must be a code such as en, es, ja or pt-BR" in html.unescape(refused)
    assert "Imported: 1 sentences" in imported
    assert session.scalars(select(Article.language)).all() == ["fr-ca"]


def test_adding_a_claim_asks_for_a_selection_not_character_offsets(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    page = reviewer_client.get(f"/articles/{sample_article.id}").get_data(as_text=True)
    form = page.split('id="add-claim"')[1].split("</form>")[0]

    assert "Select a passage in the article text above" in form and "No passage selected yet." in form
    assert "character" not in form
    assert re.search(
        r'<input[^>]*name="start"[^>]*type="hidden"|<input[^>]*type="hidden"[^>]*name="start"', form
    )


def test_adding_a_claim_with_nothing_selected_says_to_select_a_passage(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    token = csrf_token(reviewer_client, f"/articles/{sample_article.id}")

    response = reviewer_client.post(f"/articles/{sample_article.id}/claims", data={"csrf_token": token})

    assert response.status_code == 422
    assert "Select a passage of the article first." in response.get_data(as_text=True)


def test_pasted_text_and_a_file_together_are_refused_and_the_text_is_kept(
    reviewer_client: FlaskClient,
) -> None:
    both = {
        "text": "The council approved 12 new schools in 2024.",
        "upload": (io.BytesIO(b"The vote was 237 to 228 on Tuesday, officials said."), "vote.txt"),
        "csrf_token": csrf_token(reviewer_client, "/articles/import"),
    }

    response = reviewer_client.post("/articles/import", data=both, content_type="multipart/form-data")

    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Give the article as pasted text or as a file, not both" in page
    assert "The council approved 12 new schools in 2024.</textarea>" in page


def test_a_repeat_import_says_which_details_it_did_not_apply(reviewer_client: FlaskClient) -> None:
    data = {"text": SAMPLE_ARTICLE.read_text(encoding="utf-8"), "publisher": "Sample Wire"}
    reviewer_client.post(
        "/articles/import", data={**data, "csrf_token": csrf_token(reviewer_client, "/articles/import")}
    )

    again = reviewer_client.post(
        "/articles/import",
        data={
            **data,
            "publisher": "The Sample Wire",
            "csrf_token": csrf_token(reviewer_client, "/articles/import"),
        },
        follow_redirects=True,
    )

    assert "The publisher you gave was not applied: it keeps its first import" in html.unescape(
        again.get_data(as_text=True)
    )
