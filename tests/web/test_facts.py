"""The "Numbers and dates" panel, the article page's marks, GET /api/v1/claims/<id>/facts and the CLI."""

import re
from collections.abc import Callable
from datetime import date

import pytest
from flask.testing import FlaskClient

from claims.models import Article, Claim, User

VOTES = "securing 237 out of 465 votes"
SIX_YEARS = "the first such visit in almost six years"
LAST_VISIT = "last visited Japan in 2019"


@pytest.fixture
def dated_sample(make_article: Callable[..., Article]) -> Article:
    return make_article(title="Trump in Japan", published_on=date(2025, 10, 27))


def claim_with(article: Article, words: str) -> Claim:
    return next(claim for claim in article.claims if words in claim.text)


def test_the_claim_page_shows_expressions_resolved_and_the_hint_linking_the_other_claim(
    reviewer_client: FlaskClient, dated_sample: Article
) -> None:
    visit, last = claim_with(dated_sample, SIX_YEARS), claim_with(dated_sample, LAST_VISIT)

    page = reviewer_client.get(f"/claims/{visit.id}").get_data(as_text=True)

    panel = page.split('id="numbers-and-dates"')[1].split("</section>")[0]
    assert '<mark class="fact kind-duration" title="duration">almost six years</mark>' in panel
    assert "(5.5, 6] years" in panel and "3 days" in panel
    assert "27 October 2025, the article’s publication date" in panel
    assert "between 5.8 and 6.8 years" in panel and f'href="/claims/{last.id}"' in panel


def test_the_article_page_marks_the_claims_that_carry_a_hint(
    reviewer_client: FlaskClient, dated_sample: Article
) -> None:
    page = reviewer_client.get(f"/articles/{dated_sample.id}").get_data(as_text=True)

    hinted = {claim_with(dated_sample, words).id for words in (VOTES, SIX_YEARS, LAST_VISIT)}
    marked = re.findall(r'class="claim-span [^"]*has-fact-hint[^"]*"\s+href="/claims/(\d+)"', page)
    assert {int(claim_id) for claim_id in marked} == hinted
    assert page.count("numbers to check against each other") == 3


def test_the_api_gives_the_structure_with_the_majority_hint(
    client: FlaskClient, dated_sample: Article, reviewer: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    votes = claim_with(dated_sample, VOTES)

    answer = client.get(f"/api/v1/claims/{votes.id}/facts", headers=token_for(reviewer))

    body = answer.json
    assert answer.status_code == 200
    assert body["reference"] == {"day": "2025-10-27", "source": "published"}
    ratio = next(e for e in body["expressions"] if e["kind"] == "ratio")
    assert votes.text[ratio["start"] : ratio["end"]] == "237 out of 465"
    assert ratio["value"] == 51.0 and ratio["unit"] == "%"
    dates = {e["text"]: e["interval"] for e in body["expressions"] if e["kind"] == "date"}
    assert dates["October 4th"]["low"] == dates["October 4th"]["high"] == "2025-10-04"
    (hint,) = body["hints"]
    assert hint["claim_ids"] == [votes.id] and "a majority by 4" in hint["text"]


def test_an_article_without_a_date_is_read_against_its_import_day_and_says_so(
    client: FlaskClient,
    make_article: Callable[..., Article],
    reviewer: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    article = make_article("Prices rose 4% last month, the report said.")
    claim = article.claims[0]

    body = client.get(f"/api/v1/claims/{claim.id}/facts", headers=token_for(reviewer)).json

    assert body["reference"] == {"day": article.imported_at.date().isoformat(), "source": "imported"}
    (month,) = [e for e in body["expressions"] if e["kind"] == "date"]
    assert month["precision"] == "month"


def test_an_unknown_claim_is_a_json_404(
    client: FlaskClient, reviewer: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    answer = client.get("/api/v1/claims/999999/facts", headers=token_for(reviewer))
    assert answer.status_code == 404 and answer.json["error"]["code"]
