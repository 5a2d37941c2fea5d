"""The claim page — sentence in context, record, history, as-of — and the actions taken on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from app import forms
from app.auth import acting_user, requires
from app.database import db_session
from app.desk import current_desk
from app.formatting import people_names
from app.highlight import marked_expressions
from app.ids import moment_arg, parse_id
from app.views.queue import queue_neighbours
from claims import history, wording, workflow
from claims.checkworthiness import default_scorer
from claims.errors import ClaimtrackError, NotFound, PermissionDenied, StaleEdit
from claims.facts import claim_facts
from claims.jobs.snapshots import snapshot_jobs
from claims.matching import links
from claims.matching.panel import matching_panel
from claims.models import Appearance, Claim, Comment, Evidence, EvidenceSnapshot, Status, User
from claims.permissions import Action, can
from claims.services import claims as claim_services
from claims.services import comments as comment_services
from claims.services import evidence as evidence_services
from claims.services.lookup import claim_write
from claims.services.spans import split_claim
from claims.snapshots.archive import archived, latest_mark

blueprint = Blueprint("claims", __name__)

# The moves a plain button makes (the rest need a form), each with what the desk reads once it is done.
MOVE_DONE = {
    "triage": "Marked check-worthy; the review has started.",
    "dismiss": "Marked not check-worthy.",
    "restore": "Restored for review.",
    "approve": "Verdict approved and published.",
    "reopen": "Reopened for review.",
}


def paragraph_around(claim: Claim) -> tuple[str, str, str]:
    """The claim's paragraph split into text before, the sentence itself, and text after."""
    body = claim.article.body
    start = body.rfind("\n", 0, claim.start) + 1
    end = body.find("\n", claim.end)
    end = len(body) if end < 0 else end
    return body[start : claim.start], body[claim.start : claim.end], body[claim.end : end]


def load_claim(claim_id: int) -> Claim:
    claim = db_session().get(
        Claim,
        claim_id,
        options=[
            selectinload(Claim.article),
            selectinload(Claim.appearances).selectinload(Appearance.source),
            selectinload(Claim.evidence).selectinload(Evidence.added_by),
            # The page's bytes and text stay behind: the claim page shows when, and any mark.
            selectinload(Claim.evidence)
            .selectinload(Evidence.snapshots)
            .defer(EvidenceSnapshot.body)
            .defer(EvidenceSnapshot.text),
            selectinload(Claim.comments).selectinload(Comment.author),
            selectinload(Claim.assignee),
        ],
    )
    if claim is None:
        abort(404)
    return claim


def default_forms(claim: Claim) -> dict[str, Any]:
    version = {"version": claim.version}
    return {
        "move": forms.MoveForm(data=version),
        "edit": forms.EditClaimForm.for_claim(claim),
        "propose": forms.ProposeForm.for_claim(claim),
        "send_back": forms.SendBackForm(data=version),
        "evidence": forms.EvidenceForm(formdata=None),
        "retract": forms.RetractForm(formdata=None),
        "comment": forms.CommentForm(formdata=None),
        "source": forms.SourceForm(formdata=None, prefix="source"),
        "split": forms.SplitForm(data={**version, "parts": claim.sentence}),
        "assign": assign_form(
            claim, forms.AssignForm(data={**version, "assignee": str(claim.assignee_id or "")})
        ),
    }


def assign_form(claim: Claim, form: forms.AssignForm) -> forms.AssignForm:
    users = db_session().scalars(select(User).where(User.is_active).order_by(User.display_name)).all()
    form.assignee.choices = [
        SelectChoice("", "nobody"),
        *(SelectChoice(str(u.id), u.display_name) for u in users),
    ]
    return form


def render_claim(
    claim: Claim, status: int = 200, meanwhile: Sequence[Any] = (), **bound_forms: Any
) -> tuple[str, int]:
    session = db_session()
    moment = moment_arg("as_of")
    facts = claim_facts(session, claim.id)
    queue = request.args.get("queue")
    previous, following = queue_neighbours(claim, queue) if queue is not None else (None, None)
    page = render_template(
        "claims/show.html",
        claim=claim,
        context=paragraph_around(claim),
        wording=wording.marked_pieces(claim.text),
        pronouns=wording.pronouns(claim.text),
        timeline=history.claim_timeline(session, claim.id),
        moment=moment,
        snapshot=history.claim_as_of(session, claim.id, moment) if moment else None,
        forms={**default_forms(claim), **bound_forms},
        moves=workflow.available_moves(current_user, claim),
        frozen=Status(claim.status) in workflow.FROZEN,
        may=lambda action: can(current_user, Action(action)),
        meanwhile=meanwhile,
        people=people_names(session),
        matching=None if moment else matching_panel(session, claim.id),
        facts=facts,
        facts_text=marked_expressions(claim.text, facts.facts),
        queue=queue,
        previous_claim=previous,
        next_claim=following,
        snapshots={item.id: (archived(item), latest_mark(item)) for item in claim.evidence},
        snapshot_jobs=snapshot_jobs(session, [item.id for item in claim.evidence if not item.snapshots]),
    )
    return page, status


@blueprint.get("/claims/<int:claim_id>")
def show(claim_id: int) -> tuple[str, int]:
    return render_claim(load_claim(claim_id))


def act(
    claim_id: int, form_name: str, form: forms.BaseForm, change: Callable[[], object], done: str
) -> Response | tuple[str, int]:
    """Validate, call the service, commit once; on refusal show the page again with the user's input."""
    session = db_session()
    if not form.validate_on_submit():
        flash("Please correct the fields marked below.", "error")
        return render_claim(load_claim(claim_id), 422, **{form_name: form})
    version = form.version.data if isinstance(form, forms.VersionedForm) else None
    try:
        with claim_write(session, claim_id, version):
            change()
            session.commit()
    except ClaimtrackError as exc:
        session.rollback()
        return refused(claim_id, form_name, form, exc)
    flash(done, "success")
    return redirect(url_for("claims.show", claim_id=claim_id, queue=request.args.get("queue")))


def refused(claim_id: int, form_name: str, form: forms.BaseForm, exc: ClaimtrackError) -> tuple[str, int]:
    if isinstance(exc, NotFound):
        abort(404)
    status = 403 if isinstance(exc, PermissionDenied) else 409 if isinstance(exc, StaleEdit) else 422
    claim = load_claim(claim_id)
    meanwhile: Sequence[Any] = ()
    if isinstance(exc, StaleEdit):
        flash(stale_message(exc, form), "error")
        if exc.expected_version is not None:  # None: a race lost by a form that carries no version
            meanwhile = history.changes_since_version(db_session(), claim_id, exc.expected_version)
        if isinstance(form, forms.VersionedForm):
            form.rebase_on(claim)
    else:
        flash(str(exc), "error")
    return render_claim(claim, status, meanwhile, **{form_name: form})


def stale_message(exc: StaleEdit, form: forms.BaseForm) -> str:
    """Why nothing was saved, and what to do now: what the person typed is still in the form (merged with
    the other change where the form can), a button only needs pressing again once they have looked."""
    if exc.expected_version is None:
        seen = "while you were saving it"
    else:
        seen = f"since you opened it (you saw version {exc.expected_version}; it is now at version "
        seen += f"{exc.current_version})"
    told = f"Nothing was saved: this claim was changed by someone else {seen}."
    if isinstance(form, forms.MergingForm):
        return (
            f"{told} Your input is kept in the form below, with their changes to the fields you left "
            "alone; check it and save again."
        )
    if isinstance(form, forms.MoveForm):
        return f"{told} Look at the claim as it is now, then choose again."
    return f"{told} Your input is kept in the form below; check the claim as it is now and send it again."


@blueprint.post("/claims/<int:claim_id>/move/<move>")
def move(claim_id: int, move: str) -> Response | tuple[str, int]:
    if move not in MOVE_DONE:
        abort(404)
    form = forms.MoveForm()
    return act(
        claim_id,
        "move",
        form,
        lambda: workflow.perform(
            db_session(),
            acting_user(),
            claim_id,
            move,
            expected_version=form.version.data,
            require_second_reviewer=current_desk().require_second_reviewer,
        ),
        MOVE_DONE[move],
    )


@blueprint.post("/claims/<int:claim_id>/edit")
def edit(claim_id: int) -> Response | tuple[str, int]:
    form = forms.EditClaimForm()
    return act(
        claim_id,
        "edit",
        form,
        lambda: claim_services.edit_claim(
            db_session(),
            acting_user(),
            claim_id,
            expected_version=form.version.data,
            **form.changed_values(),
        ),
        "Claim saved.",
    )


@blueprint.post("/claims/<int:claim_id>/propose")
def propose(claim_id: int) -> Response | tuple[str, int]:
    form = forms.ProposeForm()
    return act(
        claim_id,
        "propose",
        form,
        lambda: workflow.propose_verdict(
            db_session(),
            acting_user(),
            claim_id,
            form.verdict.data,
            form.rationale.data,
            expected_version=form.version.data,
            # Unchanged on the page: the claim's wording as it stands now, whoever changed it since.
            claim_as_reviewed=form.changed_fields().get("claim_as_reviewed"),
        ),
        "Verdict proposed for approval.",
    )


@blueprint.post("/claims/<int:claim_id>/send-back")
@requires(Action.SEND_BACK)
def send_back(claim_id: int) -> Response | tuple[str, int]:
    form = forms.SendBackForm()
    return act(
        claim_id,
        "send_back",
        form,
        lambda: workflow.send_back(
            db_session(), acting_user(), claim_id, form.comment.data, expected_version=form.version.data
        ),
        "Sent back for review.",
    )


@blueprint.post("/claims/<int:claim_id>/evidence")
def add_evidence(claim_id: int) -> Response | tuple[str, int]:
    form = forms.EvidenceForm()
    return act(
        claim_id,
        "evidence",
        form,
        lambda: evidence_services.add_evidence(
            db_session(),
            acting_user(),
            claim_id,
            url=form.url.data,
            title=form.title.data,
            stance=form.stance.data,
            publisher=form.publisher.data,
            excerpt=form.excerpt.data,
            note=form.note.data,
        ),
        "Evidence added.",
    )


@blueprint.post("/claims/<int:claim_id>/evidence/<int:evidence_id>/retract")
def retract_evidence(claim_id: int, evidence_id: int) -> Response | tuple[str, int]:
    form = forms.RetractForm()
    evidence = db_session().get(Evidence, evidence_id)
    if evidence is None or evidence.claim_id != claim_id:
        abort(404)
    return act(
        claim_id,
        "retract",
        form,
        lambda: evidence_services.retract_evidence(
            db_session(), acting_user(), evidence_id, form.reason.data
        ),
        "Evidence retracted.",
    )


@blueprint.post("/claims/<int:claim_id>/assign")
def assign(claim_id: int) -> Response | tuple[str, int]:
    form = assign_form(load_claim(claim_id), forms.AssignForm())
    assignee = parse_id(form.assignee.data)
    return act(
        claim_id,
        "assign",
        form,
        lambda: claim_services.assign(
            db_session(), acting_user(), claim_id, assignee, expected_version=form.version.data
        ),
        "Assignment saved.",
    )


@blueprint.post("/claims/<int:claim_id>/split")
def split(claim_id: int) -> Response | tuple[str, int]:
    form = forms.SplitForm()
    return act(
        claim_id,
        "split",
        form,
        lambda: split_claim(
            db_session(),
            acting_user(),
            claim_id,
            form.parts.data.splitlines(),
            default_scorer(),
            expected_version=form.version.data,
        ),
        "Claim split; the new parts are listed on the article page.",
    )


@blueprint.post("/claims/<int:claim_id>/sources")
def add_source(claim_id: int) -> Response | tuple[str, int]:
    form = forms.SourceForm(prefix="source")  # its url field must not share the evidence form's id
    return act(
        claim_id,
        "source",
        form,
        lambda: claim_services.add_source(
            db_session(),
            acting_user(),
            claim_id,
            name=form.name.data,
            url=form.url.data or None,
            source_type=form.source_type.data,
        ),
        "Source added.",
    )


@blueprint.post("/claims/<int:claim_id>/matches")
def decide_match(claim_id: int) -> Response | tuple[str, int]:
    form = forms.MatchForm()
    return act(
        claim_id,
        "match",
        form,
        lambda: links.decide(
            db_session(),
            acting_user(),
            claim_id,
            form.kind.data,
            form.target_id.data,
            links.Decision(form.decision.data),
            form.score.data,
        ),
        "Marked as the same claim." if form.decision.data == "same" else "Match dismissed.",
    )


@blueprint.post("/claims/<int:claim_id>/comments")
def comment(claim_id: int) -> Response | tuple[str, int]:
    form = forms.CommentForm()
    return act(
        claim_id,
        "comment",
        form,
        lambda: comment_services.add_comment(db_session(), acting_user(), claim_id, form.body.data),
        "Comment added.",
    )
