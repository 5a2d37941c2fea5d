import html
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs

from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from claims import workflow
from claims.models import Article, User
from claims.services.claims import assign
from claims.services.evidence import add_evidence


@contextmanager
def counted_selects(connection: Any) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", count)


def claim_links(page: str) -> list[str]:
    return [re.split('[?"]', part)[0] for part in page.split('<td><a href="/claims/')[1:]]


def test_the_queue_lists_claims_by_score_with_counts_per_status(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    page = reviewer_client.get("/queue").get_data(as_text=True)

    assert "all (27)" in page and "Unreviewed (13)" in page and "Not check-worthy (14)" in page
    scores = [c.score for c in sorted(sample_article.claims, key=lambda c: (-c.score, -c.id))]
    ids = [str(c.id) for c in sorted(sample_article.claims, key=lambda c: (-c.score, -c.id))]
    assert claim_links(page) == ids
    assert scores == sorted(scores, reverse=True)


def test_the_queue_filters_by_status_text_and_assigned_to_me(
    reviewer_client: FlaskClient, session: Session, reviewer: User, sample_article: Article
) -> None:
    votes = next(c for c in sample_article.claims if "465 votes" in c.sentence)
    assign(session, reviewer, votes.id, reviewer.id)
    workflow.triage(session, reviewer, votes.id, checkworthy=True)
    session.flush()

    searched = reviewer_client.get("/queue", query_string={"q": "465 VOTES"}).get_data(as_text=True)
    mine = reviewer_client.get("/queue", query_string={"mine": "1"}).get_data(as_text=True)
    in_review = reviewer_client.get("/queue", query_string={"status": "in_review"}).get_data(as_text=True)
    wildcard = reviewer_client.get("/queue", query_string={"q": "100%"}).get_data(as_text=True)

    assert claim_links(searched) == claim_links(mine) == claim_links(in_review) == [str(votes.id)]
    assert claim_links(wildcard) == []


def test_keyset_pages_cover_every_claim_once_in_each_sort(
    reviewer_client: FlaskClient, make_article: Callable[..., Article], sample_article: Article
) -> None:
    for number in range(3):
        make_article(
            text=f"Report {number}.\n" + "The budget rose 3 percent in 2024. " * 1 + sample_article.body
        )
    for sort in ("score", "newest", "changed"):
        seen: list[str] = []
        query: dict[str, str] = {"sort": sort}
        while True:
            page = reviewer_client.get("/queue", query_string=query).get_data(as_text=True)
            seen += claim_links(page)
            if 'rel="next"' not in page:
                break
            href = html.unescape(page.split('rel="next" href="?')[1].split('"')[0])
            query = {name: values[0] for name, values in parse_qs(href).items()}
        assert len(seen) == len(set(seen)) == 27 + 3 * 29, sort


def test_a_broken_page_link_is_explained_over_the_first_page(reviewer_client: FlaskClient) -> None:
    response = reviewer_client.get("/queue", query_string={"after": "nonsense~x"})

    assert response.status_code == 400
    assert "The page link is not valid" in response.get_data(as_text=True)


def test_the_queue_and_article_pages_use_a_bounded_number_of_queries(
    reviewer_client: FlaskClient,
    connection: Any,
    session: Session,
    reviewer: User,
    make_article: Callable[..., Article],
    sample_article: Article,
) -> None:
    for claim in sample_article.claims[:5]:
        assign(session, reviewer, claim.id, reviewer.id)
    session.flush()
    with counted_selects(connection) as small_queue:
        reviewer_client.get("/queue")
    with counted_selects(connection) as small_article:
        reviewer_client.get(f"/articles/{sample_article.id}")
    big = make_article(
        text="".join(
            f"The budget rose {number} percent in 2024. Mr. Abe met U.S. officials {number} times by Oct. 4. "
            for number in range(60)
        )  # distinct sentences: a sentence repeated in one article is one claim
    )
    for claim in big.claims[:30]:
        assign(session, reviewer, claim.id, reviewer.id)
    session.flush()
    with counted_selects(connection) as big_queue:
        reviewer_client.get("/queue")
    with counted_selects(connection) as big_article:
        reviewer_client.get(f"/articles/{big.id}")

    assert len(big.claims) > 100
    print(f"queries: queue {len(small_queue)}, article page {len(small_article)}")
    # 9: the evidence marks of the page's claims (rechecked pages gone or changed) are one query more.
    assert len(small_queue) == len(big_queue) <= 9, big_queue
    assert len(small_article) == len(big_article) <= 6, big_article


def test_an_over_long_search_is_searched_by_its_start_and_the_queue_says_so(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    page = reviewer_client.get("/queue", query_string={"q": "votes " + "x" * 300}).get_data(as_text=True)

    assert "The search text is 306 characters long; only its first 200 were searched for." in page


def test_the_queue_says_which_verdicts_are_only_proposed_and_names_no_stand_in_claimant(
    reviewer_client: FlaskClient,
    session: Session,
    reviewer: User,
    make_article: Callable[..., Article],
) -> None:
    article = make_article(text="The council approved 12 new schools in 2024.", title="Schools")
    [claim] = article.claims
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    add_evidence(session, reviewer, claim.id, url="https://example.org/r", title="Record", stance="supports")
    workflow.propose_verdict(session, reviewer, claim.id, "True", "The minutes say so.")
    session.commit()

    row = reviewer_client.get("/queue").get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]

    assert "Awaiting approval" in row and 'True <span class="badge proposed">proposed</span>' in row
    assert "unknown claimant" in row and "the publication" not in row


def test_a_claim_opened_from_an_edited_queue_link_still_shows_without_previous_and_next(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    claim = sample_article.claims[0]

    page = reviewer_client.get(f"/claims/{claim.id}", query_string={"queue": "assignee=abc&article=0"})

    assert page.status_code == 200
    assert claim.sentence in html.unescape(page.get_data(as_text=True))
    assert 'id="next-claim"' not in page.get_data(as_text=True)


def test_a_claim_opened_from_the_queue_links_the_previous_and_next_claim_in_that_order(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    queue = reviewer_client.get("/queue", query_string={"status": "unreviewed", "sort": "score"})
    links = re.findall(r'href="(/claims/(\d+)\?queue=[^"]+)"', queue.get_data(as_text=True))
    (first_url, first), (second_url, _), (_, third) = links[:3]

    page = html.unescape(reviewer_client.get(html.unescape(second_url)).get_data(as_text=True))

    assert re.search(rf'id="previous-claim" rel="prev" data-key="k" href="/claims/{first}\?queue=', page)
    assert re.search(rf'id="next-claim" rel="next" data-key="j" href="/claims/{third}\?queue=', page)
    assert "queue=status%3Dunreviewed%26sort%3Dscore" in page.split('id="next-claim"')[1].split(">")[0]
    first_page = reviewer_client.get(html.unescape(first_url)).get_data(as_text=True)
    assert "First in the queue" in first_page and 'data-key="c"' in first_page
