import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims import workflow
from claims.models import Article, AuditEvent, Claim, User
from claims.services.claims import edit_claim, set_verdict
from claims.services.comments import add_comment
from claims.services.evidence import add_evidence


def publish_then_reopen(session: Session, reviewer: User, editor: User, claim: Claim) -> AuditEvent:
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    add_evidence(
        session, reviewer, claim.id, url="https://example.org/readout", title="Readout", stance="supports"
    )
    workflow.propose_verdict(session, reviewer, claim.id, "Mostly true", "The readout confirms it.")
    workflow.approve(session, editor, claim.id)
    approved = session.scalars(select(AuditEvent).where(AuditEvent.action == "claim.approve")).one()
    workflow.reopen(session, editor, claim.id)
    set_verdict(session, reviewer, claim.id, "False", "Newer records contradict it.")
    session.flush()
    return approved


def test_the_claim_page_shows_its_history_with_who_when_and_what_changed(
    reviewer_client: FlaskClient, session: Session, reviewer: User, editor: User, sample_article: Article
) -> None:
    claim = sample_article.claims[1]
    publish_then_reopen(session, reviewer, editor, claim)

    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)

    for label in (
        "created by import",
        "triaged as check-worthy",
        "added evidence",
        "proposed a verdict",
        "approved and published",
        "reopened",
        "set the draft verdict",
    ):
        assert label in page
    assert editor.display_name in page
    assert '<time datetime="' in page
    assert "<del>Mostly true</del></td><td><ins>False</ins>" in page
    compact = " ".join(page.split())
    proposer_row = (
        f'<th scope="row">proposed by</th> <td><del>—</del></td><td><ins>{reviewer.display_name}</ins>'
    )
    assert proposer_row in compact
    history = compact.split('id="history"')[1]
    status_row = '<th scope="row">status</th> <td><del>In review</del></td><td><ins>Awaiting approval</ins>'
    assert status_row in history
    for bookkeeping in ('<th scope="row">start</th>', '<th scope="row">source ids</th>', "[&#34;", '["'):
        assert bookkeeping not in history  # no offsets, row ids or JSON lists
    assert f"<ins>{claim.score:.2f}</ins>" in history
    assert re.search(
        r'scope="row">published</th> <td><del>—</del></td><td><ins>\d{4}-\d\d-\d\d \d\d:\d\d UTC<', history
    )


def test_the_claim_page_shows_the_claim_as_it_stood_at_a_moment(
    reviewer_client: FlaskClient, session: Session, reviewer: User, editor: User, sample_article: Article
) -> None:
    claim = sample_article.claims[1]
    approved = publish_then_reopen(session, reviewer, editor, claim)
    moment = approved.occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%f")

    page = reviewer_client.get(f"/claims/{claim.id}", query_string={"as_of": moment}).get_data(as_text=True)

    snapshot = page.split('class="snapshot"')[1].split("</div>")[0]
    assert "<dd>Published</dd>" in snapshot
    assert "<dd>Mostly true</dd>" in snapshot
    assert "supports: Readout" in snapshot


def test_long_text_edits_show_an_escaped_inline_diff(
    reviewer_client: FlaskClient, session: Session, reviewer: User, sample_article: Article
) -> None:
    claim = sample_article.claims[0]
    edit_claim(
        session,
        reviewer,
        claim.id,
        expected_version=None,
        text=claim.text.replace("Malaysia", "<script>alert(1)</script>"),
    )
    session.flush()

    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)

    assert "<script>alert(1)</script>" not in page
    assert "<del>Malaysia</del><ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page


def test_the_desk_feed_filters_by_user_and_action_and_pages(
    reviewer_client: FlaskClient, session: Session, reviewer: User, sample_article: Article
) -> None:
    claim = sample_article.claims[0]
    for number in range(55):
        add_comment(session, reviewer, claim.id, f"comment number {number}")
    session.flush()

    first = reviewer_client.get("/activity", query_string={"user": reviewer.id, "action": "comment.added"})
    page = first.get_data(as_text=True)

    assert page.count("commented") == 50 + 1  # 50 events, plus the action filter's option label
    assert "comment number 54" in page and "comment number 4<" not in page
    older = page.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    rest = reviewer_client.get("/activity" + older).get_data(as_text=True)
    assert "comment number 4<" in rest and "comment number 0<" in rest
    assert 'rel="next"' not in rest


def test_the_article_history_shows_the_import_as_one_entry_that_opens_to_its_claims(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    page = reviewer_client.get(f"/articles/{sample_article.id}/history").get_data(as_text=True)
    created = reviewer_client.get(
        f"/articles/{sample_article.id}/history", query_string={"action": "claim.created"}
    ).get_data(as_text=True)

    assert "imported <a href=" in page and "<em>Trump in Japan</em></a>: 27 claims" in page
    imported = page.split('class="imported-claims"')[1].split("</details>")[0]
    assert imported.count('<li><a href="/claims/') == 27
    assert "created by import</strong>" not in page and page.count("created by import") == 1  # the filter
    assert created.count("created by import") == 27 + 1  # asked for, each claim's event is listed
    options = page.split('id="action"')[1].split("</select>")[0]
    assert "triaged as check-worthy" in options and "created a user" not in options
    assert "changed the desk settings" not in options


def test_the_desk_feed_filters_by_article(
    reviewer_client: FlaskClient, make_article: Callable[..., Article], sample_article: Article
) -> None:
    other = make_article(text="The council approved 12 new schools in 2024.", title="Schools")

    page = reviewer_client.get("/activity", query_string={"article": other.id}).get_data(as_text=True)

    assert f'<option value="{other.id}" selected>Schools</option>' in page
    assert "<em>Schools</em></a>: 1 claim" in page and "1 claims" not in page  # one entry, one claim
    assert page.count("created by import") == 1  # only the action filter's option label


def test_the_article_history_names_no_stand_in_publisher_and_shows_no_event_numbers(
    reviewer_client: FlaskClient, make_article: Callable[..., Article]
) -> None:
    article = make_article(title="Unsigned", url="https://news.example.org/unsigned")

    page = reviewer_client.get(f"/articles/{article.id}/history").get_data(as_text=True)
    timeline = page.split('class="timeline"')[1]

    source = timeline.split("recorded the article as a source")[1].split("</li>")[0]
    assert "https://news.example.org/unsigned" in source and "article" in source
    assert "the publication" not in page
    assert not re.search(r"#\d+", timeline)
