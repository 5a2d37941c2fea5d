"""The claim page's "Already checked" and "Similar claims on this desk", and linking or dismissing a match."""

import io
import json
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.jobs import EXTENSION_KEY as JOBS_KEY
from claims.errors import ClaimFrozen
from claims.export.full import export_lines
from claims.export.full.checking import check_file
from claims.matching import links
from claims.matching.factchecks import import_fact_checks
from claims.models import (
    AuditEvent,
    Claim,
    ClaimLink,
    Embedding,
    FactCheck,
    Job,
    JobState,
    Status,
    SuggestedMatch,
    User,
)
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
    assert "2024-02-01" in checked and "likely the same claim" in checked and "Same claim</button>" in checked
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
    of_links = select(AuditEvent.action).where(AuditEvent.entity_type == "claim_link")
    in_order = of_links.order_by(AuditEvent.seq)
    actions = session.scalars(in_order).all()
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


def test_a_published_claim_offers_no_match_decision_and_refuses_one(
    reviewer_client: FlaskClient, session: Session, make_article
) -> None:
    claim, repeat = two_articles(make_article)
    claim.status = Status.PUBLISHED  # as approval leaves it; the workflow's own path is tested elsewhere
    session.flush()

    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    answer = decide(reviewer_client, claim.id, "claim", repeat.id, "same")

    assert f"/claims/{repeat.id}" in page.split('id="similar-claims"')[1].split("</ul>")[0]
    assert "Same claim</button>" not in page and "Not the same</button>" not in page
    assert answer.status_code == 422 and "is published" in answer.get_data(as_text=True)
    assert session.scalars(select(ClaimLink)).all() == []
    with pytest.raises(ClaimFrozen):
        links.decide(session, None, claim.id, "claim", repeat.id, links.Decision.DISMISSED)


def queue_rows(client: FlaskClient, query: str = "") -> str:
    rows = client.get(f"/queue?{query}").get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]
    return re.sub(r'\?queue=[^"]*"', '"', rows)  # a claim link carries the queue it was opened from


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


def test_an_article_imported_on_the_web_is_matched_by_a_job_once_its_import_committed(
    reviewer_client: FlaskClient, session: Session, make_article, run_recorded_jobs
) -> None:
    import_fact_checks(session, None, json.dumps(REVIEW))
    [earlier] = [c for c in make_article(f"{REPEATED} Hello.").claims if c.sentence == REPEATED]
    token = csrf_token(reviewer_client, "/articles/import")
    reviewer_client.post("/articles/import", data={"text": f"Differ. {REPEATED}", "csrf_token": token})
    claim = session.scalars(select(Claim).where(Claim.sentence == REPEATED, Claim.id != earlier.id)).one()

    waiting = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    run_recorded_jobs()
    matched = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)

    assert "Looking for matches…" in waiting and 'id="already-checked"' not in waiting
    assert "Looking for matches…" not in matched
    assert REVIEW["url"] in matched.split('id="already-checked"')[1].split("</ul>")[0]
    assert f"/claims/{earlier.id}" in matched.split('id="similar-claims"')[1].split("</ul>")[0]
    assert f'/claims/{claim.id}"' in queue_rows(reviewer_client, "match=strong")


def test_the_matching_job_of_an_api_import_run_twice_changes_nothing_the_second_time(
    client: FlaskClient, reviewer: User, token_for, session: Session, make_article, run_recorded_jobs, app
) -> None:
    make_article(f"{REPEATED} Hello.")
    body = {"text": f"Reports differ. {REPEATED}"}
    client.post("/api/v1/articles", json=body, headers=token_for(reviewer))
    [job_id] = app.extensions[JOBS_KEY].enqueued
    run_recorded_jobs()
    suggested = session.execute(select(SuggestedMatch.claim_id, SuggestedMatch.target_id)).all()
    session.execute(update(Job).where(Job.id == job_id).values(state=JobState.QUEUED))
    app.extensions[JOBS_KEY].enqueued.append(job_id)

    run_recorded_jobs()

    job = session.get_one(Job, job_id)
    session.refresh(job)
    assert job.state == JobState.SUCCEEDED and job.result == {"articles": 1, "embedded": 0}
    assert session.execute(select(SuggestedMatch.claim_id, SuggestedMatch.target_id)).all() == suggested
    assert len(suggested) == 2  # the repeat and the claim it repeats, each told of the other


def move(client: FlaskClient, session: Session, claim: Claim, name: str) -> None:
    session.refresh(claim)
    token = csrf_token(client, f"/claims/{claim.id}")
    answer = client.post(
        f"/claims/{claim.id}/move/{name}", data={"csrf_token": token, "version": claim.version}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)


def strong_in_api(client: FlaskClient, headers: dict[str, str]) -> set[int]:
    listed = client.get("/api/v1/claims?match=strong", headers=headers).get_json()["claims"]
    return {c["id"] for c in listed if c["strong_match"]}


def similar_on_page(client: FlaskClient, claim_id: int) -> str:
    return client.get(f"/claims/{claim_id}").get_data(as_text=True).split("Similar claims on this desk")[1]


def test_a_claim_marked_not_check_worthy_is_pushed_as_a_repeat_nowhere_until_it_is_restored(
    reviewer_client: FlaskClient, session: Session, make_article, token_for, reviewer: User
) -> None:
    claim, repeat = two_articles(make_article)
    headers = token_for(reviewer)
    assert strong_in_api(reviewer_client, headers) == {claim.id, repeat.id}

    move(reviewer_client, session, claim, "dismiss")
    queue = queue_rows(reviewer_client, "match=strong")
    thrown_out = queue_rows(reviewer_client, "status=not_checkworthy")
    api = strong_in_api(reviewer_client, headers)
    similar = similar_on_page(reviewer_client, repeat.id)

    # Neither the claim the desk threw out nor the repeat whose match it is is offered as a repeat.
    assert f'/claims/{claim.id}"' not in queue and f'/claims/{repeat.id}"' not in queue
    assert f'/claims/{claim.id}"' in thrown_out and "strong match</span>" not in thrown_out
    assert api == set() and f"/claims/{claim.id}" not in similar

    move(reviewer_client, session, claim, "restore")
    restored = queue_rows(reviewer_client, "match=strong")

    assert f'/claims/{claim.id}"' in restored and f'/claims/{repeat.id}"' in restored
    assert strong_in_api(reviewer_client, headers) == {claim.id, repeat.id}
    assert f"/claims/{claim.id}" in similar_on_page(reviewer_client, repeat.id)


def test_a_fact_check_match_of_a_claim_marked_not_check_worthy_comes_back_when_it_is_restored(
    reviewer_client: FlaskClient, session: Session, make_article
) -> None:
    claim = next(c for c in make_article(f"{REPEATED} Hello.").claims if c.sentence == REPEATED)
    import_fact_checks(session, None, json.dumps(REVIEW))

    move(reviewer_client, session, claim, "dismiss")
    dismissed = queue_rows(reviewer_client, "match=strong")
    move(reviewer_client, session, claim, "restore")

    assert f'/claims/{claim.id}"' not in dismissed
    assert f'/claims/{claim.id}"' in queue_rows(reviewer_client, "match=strong")
    assert "strong match</span>" in queue_rows(reviewer_client, "status=unreviewed")


def test_a_claim_reworded_into_a_repeat_gets_the_badge_once_its_matching_job_ran(
    reviewer_client: FlaskClient, session: Session, make_article, run_recorded_jobs
) -> None:
    [earlier] = [c for c in make_article(f"{REPEATED} Hello.").claims if c.sentence == REPEATED]
    claim = make_article("Officials said the Mekong bridge cost 40 million dollars in 2022.").claims[0]
    token = csrf_token(reviewer_client, f"/claims/{claim.id}")
    form = {"csrf_token": token, "version": claim.version, "original_text": claim.text, "text": REPEATED}
    answer = reviewer_client.post(f"/claims/{claim.id}/edit", data={**form, "original_claimant": ""})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    before_the_job = queue_rows(reviewer_client, "match=strong")

    run_recorded_jobs()

    assert claim.status == Status.UNREVIEWED and f'/claims/{claim.id}"' not in before_the_job
    strong = queue_rows(reviewer_client, "match=strong")
    assert f'/claims/{claim.id}"' in strong and f'/claims/{earlier.id}"' in strong


def test_a_claim_triaged_out_at_import_is_matched_when_it_is_restored(
    reviewer_client: FlaskClient, session: Session, make_article, run_recorded_jobs, app
) -> None:
    claim, repeat = two_articles(make_article)
    # As the import leaves a sentence it scored not check-worthy: never embedded, so never matched.
    session.execute(update(Claim).where(Claim.id == claim.id).values(status=Status.NOT_CHECKWORTHY))
    session.execute(delete(Embedding).where(Embedding.kind == "claim", Embedding.entity_id == claim.id))
    session.execute(delete(SuggestedMatch))
    session.expire_all()

    move(reviewer_client, session, claim, "restore")
    [job_id] = app.extensions[JOBS_KEY].enqueued
    run_recorded_jobs()

    assert session.get_one(Job, job_id).kind == "match_claims"
    strong = queue_rows(reviewer_client, "match=strong")
    assert f'/claims/{claim.id}"' in strong and f'/claims/{repeat.id}"' in strong


def test_restoring_a_claim_whose_embedding_is_current_runs_no_matching_job(
    reviewer_client: FlaskClient, session: Session, make_article, app
) -> None:
    claim, _ = two_articles(make_article)
    move(reviewer_client, session, claim, "dismiss")
    move(reviewer_client, session, claim, "restore")

    assert app.extensions[JOBS_KEY].enqueued == []
