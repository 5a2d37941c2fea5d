import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claims import workflow
from claims.models import Article, Claim, Status, User
from claims.services import claims as claim_services
from claims.services.evidence import add_evidence
from tests.conftest import TEST_PASSWORD
from tests.web.conftest import csrf_token

WORDING = "Sanae Takaichi was elected Prime Minister with 237 of 465 votes in the lower house, October 2025."


def unreviewed(article: Article) -> Claim:
    return next(claim for claim in article.claims if claim.status == Status.UNREVIEWED)


def post(client: FlaskClient, claim: Claim, path: str, **data: object):
    token = csrf_token(client, f"/claims/{claim.id}")
    return client.post(f"/claims/{claim.id}{path}", data={"csrf_token": token, **data})


def test_a_claim_goes_through_review_and_publication_in_the_forms(
    sign_in: Callable[[User], FlaskClient],
    session: Session,
    reviewer: User,
    editor: User,
    sample_article: Article,
) -> None:
    claim = unreviewed(sample_article)
    client = sign_in(reviewer)

    assert post(client, claim, "/move/triage", version=claim.version).status_code == 302
    session.refresh(claim)
    assert (
        post(
            client, claim, "/evidence", url="https://www.kantei.go.jp/", title="Readout", stance="supports"
        ).status_code
        == 302
    )
    session.refresh(claim)
    assert (
        post(
            client,
            claim,
            "/propose",
            version=claim.version,
            claim_as_reviewed=WORDING,
            verdict="Mostly true",
            rationale="Confirmed by the readout.",
        ).status_code
        == 302
    )
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    client = sign_in(editor)
    session.refresh(claim)
    response = post(client, claim, "/move/approve", version=claim.version)

    assert response.status_code == 302
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "approved and published" in page
    assert 'class="badge verdict">Mostly true' in page
    assert WORDING in page


def test_a_post_without_a_csrf_token_is_refused(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    claim = unreviewed(sample_article)

    response = reviewer_client.post(f"/claims/{claim.id}/move/triage", data={"version": claim.version})

    assert response.status_code == 400
    assert claim.status == Status.UNREVIEWED


def test_a_reviewer_cannot_approve(
    reviewer_client: FlaskClient, session: Session, editor: User, sample_article: Article
) -> None:
    claim = unreviewed(sample_article)
    claim.status = Status.AWAITING_APPROVAL
    session.flush()

    response = post(reviewer_client, claim, "/move/approve", version=claim.version)

    assert response.status_code == 403
    assert "a reviewer user may not approve" in response.get_data(as_text=True)
    assert "Approve and publish" not in reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)


def test_a_second_stale_save_is_refused_and_keeps_the_second_persons_input(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    claim = sample_article.claims[0]
    seen = claim.version
    post(reviewer_client, claim, "/edit", version=seen, text="First person's wording", claimant="Kyodo News")

    response = post(
        reviewer_client, claim, "/edit", version=seen, text="Second person's wording", claimant="Someone"
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "was changed by someone else" in page
    assert "Second person&#39;s wording</textarea>" in page
    assert "First person&#39;s wording" in page  # the current claim text, shown above the form
    meanwhile = page.split('class="meanwhile"')[1].split("</ol>")[0]
    assert "edited the claim" in meanwhile and "<ins>Kyodo News</ins>" in meanwhile
    assert f'name="version" type="hidden" value="{seen + 1}"' in page.split('id="edit"')[1]


def test_invalid_evidence_is_refused_with_a_message_and_the_input_kept(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    claim = sample_article.claims[0]

    response = post(
        reviewer_client, claim, "/evidence", url="javascript:alert(1)", title="My title", stance="refutes"
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "URL must be an http(s) address" in page
    assert 'value="My title"' in page


def test_every_element_id_on_the_claim_page_is_unique_so_labels_point_at_one_field(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    page = reviewer_client.get(f"/claims/{sample_article.claims[0].id}").get_data(as_text=True)

    ids = re.findall(r' id="([^"]+)"', page)

    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_a_source_is_added_from_the_claim_page(reviewer_client: FlaskClient, sample_article: Article) -> None:
    claim = sample_article.claims[4]

    response = post(
        reviewer_client,
        claim,
        "/sources",
        **{
            "source-name": "Truth Social",
            "source-url": "https://truthsocial.com/",
            "source-source_type": "social_media",
        },
    )

    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert response.status_code == 302
    assert "Truth Social (social media)" in page


def test_a_sentence_joining_two_statements_is_offered_as_a_split_applied_in_one_click(
    reviewer_client: FlaskClient, session: Session, sample_article: Article
) -> None:
    claim = next(c for c in sample_article.claims if c.text.startswith("Prime Minister Takaichi stated"))
    single = next(c for c in sample_article.claims if c.text.startswith("Both leaders expressed"))

    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    offered_parts = re.search(r'<textarea name="parts" hidden>(.*?)</textarea>', page, re.DOTALL)
    answer = post(
        reviewer_client, claim, "/split", parts=html.unescape(offered_parts.group(1)), version=claim.version
    )

    assert "This sentence joins two statements" in page and "— President Trump" in page
    assert "This sentence joins two statements" not in reviewer_client.get(f"/claims/{single.id}").get_data(
        as_text=True
    )
    assert answer.status_code == 302
    session.refresh(sample_article)
    texts = [c.text for c in sample_article.claims]
    assert "Prime Minister Takaichi stated that she is eager to welcome Trump to Japan," in texts
    assert "while President Trump also conveyed that he is looking forward to meeting her in person." in texts


def published(session: Session, reviewer: User, editor: User, claim: Claim) -> Claim:
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    add_evidence(
        session, reviewer, claim.id, url="https://www.kantei.go.jp/", title="Readout", stance="supports"
    )
    workflow.propose_verdict(session, reviewer, claim.id, "True", "Confirmed by the readout.")
    workflow.approve(session, editor, claim.id)
    session.flush()
    return claim


def test_a_published_claim_offers_no_change_to_its_evidence_or_sources_and_refuses_one(
    sign_in: Callable[[User], FlaskClient],
    session: Session,
    reviewer: User,
    editor: User,
    sample_article: Article,
) -> None:
    claim = published(session, reviewer, editor, unreviewed(sample_article))
    client = sign_in(editor)

    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    response = post(client, claim, "/evidence", url="https://example.org/", title="Late", stance="refutes")

    for offer in ("Add evidence</button>", "Retract</button>", "Add source</button>", "Save claim</button>"):
        assert offer not in page
    assert "An editor can reopen it to change them." in page
    assert response.status_code == 422
    assert "so its wording, evidence and sources are frozen; an editor must reopen it first" in (
        response.get_data(as_text=True)
    )
    assert [item.title for item in claim.evidence] == ["Readout"]


class FormFields(HTMLParser):
    """The name → value pairs a browser would submit from the form with a given id."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.textarea, self.select = form_id, False, None, None
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        elif self.inside and tag == "input" and attributes.get("name"):
            self.values[attributes["name"]] = attributes.get("value") or ""
        elif self.inside and tag == "textarea":
            self.textarea = attributes["name"]
            self.values[self.textarea] = ""
        elif self.inside and tag == "select":
            self.select = attributes["name"]
        elif self.select and tag == "option" and ("selected" in attributes or self.select not in self.values):
            # the selected option, else the first, as a browser sends
            self.values[self.select] = attributes.get("value") or ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea] += data.removeprefix("\r\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def edit_form(page: str) -> dict[str, str]:
    parser = FormFields("edit")
    parser.feed(page)
    return parser.values


def second_client(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    token = csrf_token(client, "/sign-in")
    client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
    return client


def test_saving_again_after_a_conflict_applies_only_what_the_second_person_changed(
    app: Flask, session: Session, reviewer_client: FlaskClient, editor: User, sample_article: Article
) -> None:
    claim = sample_article.claims[0]
    original_claimant = claim.claimant
    stale_client = second_client(app, editor)
    stale_form = edit_form(stale_client.get(f"/claims/{claim.id}").get_data(as_text=True))
    a_form = edit_form(reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True))
    reviewer_client.post(f"/claims/{claim.id}/edit", data={**a_form, "text": "A's tightened wording"})

    conflict = stale_client.post(f"/claims/{claim.id}/edit", data={**stale_form, "claimant": "Kyodo News"})
    resaved = stale_client.post(f"/claims/{claim.id}/edit", data=edit_form(conflict.get_data(as_text=True)))
    # The page as it was before the conflict, sent again with the new version: still only the claimant.
    session.refresh(claim)
    replayed = stale_client.post(
        f"/claims/{claim.id}/edit", data={**stale_form, "version": claim.version, "claimant": "Kyodo"}
    )

    assert conflict.status_code == 409 and "was changed by someone else" in conflict.get_data(as_text=True)
    assert edit_form(conflict.get_data(as_text=True))["text"] == "A's tightened wording"
    assert resaved.status_code == 302 and replayed.status_code == 302
    session.refresh(claim)
    assert (claim.text, claim.claimant) == ("A's tightened wording", "Kyodo")
    assert original_claimant != "Kyodo"


def test_a_field_both_people_changed_is_shown_as_a_conflict_and_saving_again_keeps_the_second_version(
    app: Flask, session: Session, reviewer_client: FlaskClient, editor: User, sample_article: Article
) -> None:
    claim = sample_article.claims[0]
    stale_client = second_client(app, editor)
    stale_form = edit_form(stale_client.get(f"/claims/{claim.id}").get_data(as_text=True))
    a_form = edit_form(reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True))
    reviewer_client.post(f"/claims/{claim.id}/edit", data={**a_form, "text": "A's wording"})

    conflict = stale_client.post(f"/claims/{claim.id}/edit", data={**stale_form, "text": "B's wording"})
    page = conflict.get_data(as_text=True)
    resaved = stale_client.post(f"/claims/{claim.id}/edit", data=edit_form(page))

    assert conflict.status_code == 409
    assert "Someone else changed this too" in page and "A&#39;s wording" in page
    assert edit_form(page)["text"] == "B's wording"
    assert resaved.status_code == 302
    session.refresh(claim)
    assert claim.text == "B's wording"


def test_the_claim_page_marks_the_pronouns_the_claim_as_reviewed_still_leans_on(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    claim = next(c for c in sample_article.claims if "465 votes" in c.sentence)

    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)

    assert "<dt>Claim as reviewed</dt>" in page
    assert '<mark class="pronoun" title="Who is this? Name them.">She</mark> won the leadership' in page
    assert "To stand alone, it needs names for “She”." in page


def test_assign_to_me_takes_the_claim_in_one_click(
    reviewer_client: FlaskClient, session: Session, reviewer: User, sample_article: Article
) -> None:
    claim = unreviewed(sample_article)
    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Assign to me</button>" in page

    response = post(reviewer_client, claim, "/assign", version=claim.version, assignee=reviewer.id)

    assert response.status_code == 302
    session.refresh(claim)
    assert claim.assignee_id == reviewer.id
    assert "Assign to me</button>" not in reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)


def test_proposing_needs_a_claim_as_reviewed_that_stands_alone(
    session: Session, reviewer: User, reviewer_client: FlaskClient, sample_article: Article
) -> None:
    claim = next(c for c in sample_article.claims if c.sentence.startswith("She won"))
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    add_evidence(
        session, reviewer, claim.id, url="https://www.shugiin.go.jp/", title="Vote record", stance="supports"
    )
    session.commit()
    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    parser = FormFields("propose")
    parser.feed(page)
    prefilled = {**parser.values, "verdict": "Mostly true", "rationale": "The record shows it."}
    assert prefilled["claim_as_reviewed"] == claim.sentence  # offered as written, pronoun and all
    assert "name who “She” is" in page

    refused = post(reviewer_client, claim, "/propose", **prefilled)

    assert refused.status_code == 422
    assert "claim as reviewed" in refused.get_data(as_text=True) and "“She”" in refused.get_data(as_text=True)
    session.refresh(claim)
    assert claim.status == Status.IN_REVIEW and claim.text == claim.sentence

    accepted = post(
        reviewer_client,
        claim,
        "/propose",
        **{**prefilled, "claim_as_reviewed": WORDING},
    )

    assert accepted.status_code == 302
    session.refresh(claim)
    assert claim.status == Status.AWAITING_APPROVAL and claim.text == WORDING
    assert claim.sentence.startswith("She won")  # the quoted appearance stays as written


def test_a_claim_whose_publisher_is_unknown_is_never_offered_the_publication_as_claimant(
    session: Session, reviewer_client: FlaskClient, make_article: Callable[..., Article]
) -> None:
    article = make_article(text="The council approved 12 new schools in 2024.", title="Schools")
    [claim] = article.claims
    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    sources = page.split("<h2>Sources</h2>")[1].split("</ul>")[0]
    form = edit_form(page)

    saved = reviewer_client.post(f"/claims/{claim.id}/edit", data={**form, "text": "The council met."})

    assert "the publication" not in page
    assert "Article" in sources
    assert form["claimant"] == "" and 'placeholder="unknown claimant"' in page
    assert saved.status_code == 302
    session.refresh(claim)
    assert claim.text == "The council met."
    assert "the publication" not in reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)


def test_emptying_the_claimant_makes_it_unknown_and_naming_one_again_is_kept(
    session: Session, reviewer_client: FlaskClient, sample_article: Article
) -> None:
    claim = sample_article.claims[0]
    form = edit_form(reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True))

    emptied = reviewer_client.post(f"/claims/{claim.id}/edit", data={**form, "claimant": ""})
    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    named = reviewer_client.post(f"/claims/{claim.id}/edit", data={**edit_form(page), "claimant": "Kyodo"})

    assert emptied.status_code == 302 and named.status_code == 302
    assert "unknown claimant" in page and edit_form(page)["claimant"] == ""
    session.refresh(claim)
    assert claim.claimant == "Kyodo"


def test_a_reworded_claims_score_says_it_is_the_article_sentences_with_that_sentences_reasons(
    reviewer_client: FlaskClient, session: Session, sample_article: Article
) -> None:
    claim = next(c for c in sample_article.claims if "237" in c.sentence)
    before = check_worthiness(reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True))

    edited = post(
        reviewer_client, claim, "/edit", version=claim.version, text="Takaichi won.", claimant=claim.claimant
    )
    after = check_worthiness(reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True))

    assert edited.status_code == 302 and "before the rewording" not in before
    assert after == before + " (scored on the article’s sentence, before the rewording)"


def check_worthiness(page: str) -> str:
    cell = page.split('<dd class="check-worthiness">')[1].split("</dd>")[0]
    return html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()


def propose_form(page: str) -> dict[str, str]:
    parser = FormFields("propose")
    parser.feed(page)
    return parser.values


def proposal_page_gone_stale(
    app: Flask, session: Session, reviewer: User, editor: User, article: Article
) -> tuple[Claim, FlaskClient, dict[str, str]]:
    """A claim in review with evidence, its propose form as a reviewer loaded it, then an editor's
    rewording (WORDING) committed behind the reviewer's back."""
    claim = unreviewed(article)
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    add_evidence(
        session, reviewer, claim.id, url="https://www.kantei.go.jp/", title="Readout", stance="supports"
    )
    session.commit()
    stale_client = second_client(app, reviewer)
    stale_form = propose_form(stale_client.get(f"/claims/{claim.id}").get_data(as_text=True))
    claim_services.edit_claim(session, editor, claim.id, expected_version=claim.version, text=WORDING)
    session.commit()
    return claim, stale_client, stale_form


def test_a_stale_proposal_sent_again_keeps_the_wording_someone_changed_meanwhile(
    app: Flask, session: Session, reviewer: User, editor: User, sample_article: Article
) -> None:
    claim, stale_client, stale_form = proposal_page_gone_stale(app, session, reviewer, editor, sample_article)

    proposal = {**stale_form, "verdict": "Mostly true", "rationale": "The readout confirms it."}
    conflict = stale_client.post(f"/claims/{claim.id}/propose", data=proposal)
    merged = propose_form(conflict.get_data(as_text=True))
    proposed = stale_client.post(f"/claims/{claim.id}/propose", data=merged)

    assert conflict.status_code == 409
    assert "Nothing was saved: this claim was changed by someone else since you opened it" in html.unescape(
        conflict.get_data(as_text=True)
    )
    assert merged["claim_as_reviewed"] == WORDING
    assert (merged["verdict"], merged["rationale"]) == ("Mostly true", "The readout confirms it.")
    assert proposed.status_code == 302
    session.refresh(claim)
    assert (claim.status, claim.text, claim.verdict) == (Status.AWAITING_APPROVAL, WORDING, "Mostly true")


def test_a_stale_proposal_replayed_with_a_fresh_version_does_not_put_back_the_old_wording(
    app: Flask, session: Session, reviewer: User, editor: User, sample_article: Article
) -> None:
    claim, stale_client, stale_form = proposal_page_gone_stale(app, session, reviewer, editor, sample_article)

    replayed = stale_client.post(
        f"/claims/{claim.id}/propose",
        data={**stale_form, "version": claim.version, "rationale": "Confirmed."},
    )

    assert replayed.status_code == 302
    session.refresh(claim)
    assert claim.text == WORDING


def test_a_wording_longer_than_the_limit_is_refused_by_name_and_kept_never_cut_short(
    reviewer_client: FlaskClient, session: Session, sample_article: Article
) -> None:
    claim = unreviewed(sample_article)
    page = reviewer_client.get(f"/claims/{claim.id}").get_data(as_text=True)
    too_long = "The lower house voted 237 to 228. " * 180  # 6,120 characters, past the 5,000 allowed

    response = post(reviewer_client, claim, "/edit", version=claim.version, text=too_long, claimant="Kyodo")

    assert "maxlength" not in page  # a browser would cut the paste at it without a word
    assert response.status_code == 422
    assert "longer than 5000 characters" in response.get_data(as_text=True)
    assert edit_form(response.get_data(as_text=True))["text"] == too_long.strip()
    session.refresh(claim)
    assert claim.text != too_long.strip()
