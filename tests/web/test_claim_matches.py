"""The claim page's "Already checked" and "Similar claims on this desk", and linking or dismissing a match."""

import io
import json

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.export.full import export_lines
from claims.export.full.checking import check_file
from claims.matching.factchecks import import_fact_checks
from claims.models import AuditEvent, ClaimLink, FactCheck
from claims.replay import verify_database
from tests.web.conftest import csrf_token

REPEATED = "The mayor said unemployment in Springfield fell to 3.2 percent in 2023."
REVIEW = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/springfield-jobs",
    "claimReviewed": "Unemployment in Springfield fell to 3.2 percent in 2023, the mayor claims.",
    "author": {"name": "Example Checks"},
    "reviewRating": {"alternateName": "Mostly true"},
    "datePublished": "2024-02-01",
}


def two_articles(make_article) -> tuple:
    first = make_article(f"{REPEATED} The weather was fine.")
    second = make_article(f"Reports differ. {REPEATED}")
    return (
        next(c for c in first.claims if c.sentence == REPEATED),
        next(c for c in second.claims if c.sentence == REPEATED),
    )


def decide(client: FlaskClient, claim_id: int, kind: str, target_id: int, decision: str):
    token = csrf_token(client, f"/claims/{claim_id}")
    data = {"csrf_token": token, "kind": kind, "target_id": target_id, "decision": decision, "score": "0.9"}
    return client.post(f"/claims/{claim_id}/matches", data=data)


def test_the_claim_page_shows_the_fact_check_and_the_repeated_claim(
    reviewer_client: FlaskClient, session: Session, make_article
) -> None:
    import_fact_checks(session, None, json.dumps(REVIEW))
    claim, repeat = two_articles(make_article)

    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)

    checked = page.split('id="already-checked"')[1].split("</ul>")[0]
    similar = page.split('id="similar-claims"')[1].split("</ul>")[0]
    assert REVIEW["url"] in checked and "Example Checks" in checked and "Mostly true" in checked
    assert "2024-02-01" in checked and "% similar" in checked
    assert f"/claims/{repeat.id}" in similar and "strong match" in similar and "unreviewed" in similar


def test_linking_is_audited_shown_both_ways_and_survives_export(
    reviewer_client: FlaskClient, session: Session, make_article
) -> None:
    claim, repeat = two_articles(make_article)

    answer = decide(reviewer_client, claim.id, "claim", repeat.id, "same")

    assert answer.status_code == 302
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "claim_link.decided")).all()
    assert event.claim_id == claim.id and event.changes["decision"] == [None, "same"]
    here = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    there = reviewer_client.get(f"/claims/{repeat.id}").get_data(as_text=True)
    assert f"/claims/{repeat.id}" in here.split('id="same-as"')[1].split("</ul>")[0]
    assert "linked from that claim" in there.split('id="same-as"')[1].split("</ul>")[0]
    assert verify_database(session).ok
    dump = "".join(export_lines(session))
    assert check_file(io.StringIO(dump)).counts["claim_links"] == 1


def test_a_dismissed_match_leaves_the_list_and_deciding_again_is_audited(
    reviewer_client: FlaskClient, session: Session, make_article
) -> None:
    claim, repeat = two_articles(make_article)

    decide(reviewer_client, claim.id, "claim", repeat.id, "dismissed")
    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    decide(reviewer_client, claim.id, "claim", repeat.id, "dismissed")
    decide(reviewer_client, claim.id, "claim", repeat.id, "same")

    assert f"/claims/{repeat.id}" not in page.split("Similar claims on this desk")[1].split("</section>")[0]
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "claim_link")).all()
    assert actions == ["claim_link.decided", "claim_link.changed"]
    assert session.scalars(select(ClaimLink.decision)).one() == "same"
    assert verify_database(session).ok


def test_bad_match_decisions_are_refused_and_write_nothing(
    reviewer_client: FlaskClient, session: Session, make_article
) -> None:
    claim, _ = two_articles(make_article)

    itself = decide(reviewer_client, claim.id, "claim", claim.id, "same")
    unknown = decide(reviewer_client, claim.id, "factcheck", 999999, "same")
    odd = decide(reviewer_client, claim.id, "person", 1, "same")
    no_token = reviewer_client.post(f"/claims/{claim.id}/matches", data={"kind": "claim", "target_id": 1})

    assert (itself.status_code, unknown.status_code, odd.status_code) == (422, 404, 422)
    assert no_token.status_code == 400
    assert session.scalars(select(ClaimLink)).all() == []


def queue_rows(client: FlaskClient, query: str = "") -> str:
    return client.get(f"/queue?{query}").get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]


def test_the_queue_filters_and_badges_claims_with_a_strong_match(
    reviewer_client: FlaskClient, session: Session, make_article
) -> None:
    other = make_article("Officials opened a new bridge over the Mekong on Monday.")
    claim, repeat = two_articles(make_article)
    unmatched = next(c for c in other.claims)

    everything = queue_rows(reviewer_client)
    strong = queue_rows(reviewer_client, "match=strong")

    assert f"/claims/{unmatched.id}" in everything and f"/claims/{unmatched.id}" not in strong
    assert f'/claims/{claim.id}"' in strong and f'/claims/{repeat.id}"' in strong
    assert strong.count("strong match</span>") == 2


def test_a_fact_check_imported_later_marks_the_claim_it_reviewed_and_dismissing_clears_it(
    reviewer_client: FlaskClient, session: Session, make_article
) -> None:
    claim = next(c for c in make_article(f"{REPEATED} Hello.").claims if c.sentence == REPEATED)
    assert f'/claims/{claim.id}"' not in queue_rows(reviewer_client, "match=strong")

    import_fact_checks(session, None, json.dumps(REVIEW))
    marked = queue_rows(reviewer_client, "match=strong")
    check_id = session.scalars(select(FactCheck.id)).one()
    decide(reviewer_client, claim.id, "factcheck", check_id, "dismissed")

    assert f'/claims/{claim.id}"' in marked
    assert f'/claims/{claim.id}"' not in queue_rows(reviewer_client, "match=strong")
