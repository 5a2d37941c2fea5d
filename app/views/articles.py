"""Articles: the list, the import form, and the article page with its claims highlighted in place."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app import forms
from app.auth import acting_user
from app.database import db_session
from app.desk import current_desk
from app.highlight import segments
from app.ids import parse_id
from claims.checkworthiness import default_scorer
from claims.errors import ClaimtrackError, ImportRejected, ValidationFailed
from claims.facts import claims_with_hints
from claims.ingest.readers import ArticleDraft, read_upload
from claims.jobs.matching_index import match_after_commit
from claims.models import Article, Claim
from claims.permissions import Action, can
from claims.queries import articles_with_counts, list_claims
from claims.services.articles import import_article
from claims.services.spans import add_claim, merge_claims

blueprint = Blueprint("articles", __name__)


def settings():
    return current_app.config["CLAIMTRACK_SETTINGS"]


@blueprint.get("/")
def index() -> str:
    return render_template("articles/index.html", articles=articles_with_counts(db_session()))


def load_article(article_id: int) -> tuple[Article, list[Claim]]:
    article = db_session().get(Article, article_id)
    if article is None:
        abort(404)
    return article, list(list_claims(db_session(), article_id=article_id))


def render_article(article_id: int, status: int = 200, **bound: object) -> tuple[str, int]:
    article, claims = load_article(article_id)
    return render_template(
        "articles/show.html",
        article=article,
        segments=segments(article.body, claims),
        claims=sorted(claims, key=lambda claim: (-claim.score, claim.start)),
        in_order=claims,
        selection_form=bound.get("selection_form") or forms.SelectionForm(formdata=None),
        merge_form=forms.MergeForm(formdata=None),
        may_edit=can(acting_user(), Action.EDIT_CLAIM),
        triage_form=forms.BulkTriageForm(formdata=None, back=request.full_path),
        may_triage=can(acting_user(), Action.TRIAGE),
        hinted=claims_with_hints(article),
    ), status


@blueprint.get("/articles/<int:article_id>")
def show(article_id: int) -> tuple[str, int]:
    return render_article(article_id)


@blueprint.route("/articles/import", methods=["GET", "POST"])
def import_form() -> str | Response | tuple[str, int]:
    form = forms.ImportForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template(
            "articles/import.html", form=form, max_bytes=settings().max_import_bytes
        ), status
    session = db_session()
    try:
        draft = _draft(form)
        result = import_article(
            session,
            acting_user(),
            draft,
            default_scorer(),
            current_desk().checkworthy_threshold,
            max_claims=settings().max_claims_per_article,
        )
        if result.created:
            match_after_commit(session, acting_user(), result.article.id)
        session.commit()
    except ClaimtrackError as exc:
        session.rollback()
        flash(str(exc), "error")
        return render_template("articles/import.html", form=form, max_bytes=settings().max_import_bytes), 422
    article = result.article
    if result.created:
        flash(
            f"Imported: {len(article.claims)} sentences, {result.checkworthy_count} check-worthy.", "success"
        )
    else:
        flash(f"This text was imported before; here is that article.{_not_applied(form, article)}", "success")
    return redirect(url_for("articles.show", article_id=article.id))


def _not_applied(form: forms.ImportForm, article: Article) -> str:
    """What the person typed about an article imported before, where it differs from what is kept."""
    details = (
        ("title", form.title.data, article.title),
        ("URL", form.url.data, article.url),
        ("publisher", form.publisher.data, article.publisher),
        ("published date", form.published.data, article.published_on),
        ("author", form.author.data, article.author),
    )
    differing = [name for name, given, kept in details if given and given != kept]
    if not differing:
        return ""
    verb = "was" if len(differing) == 1 else "were"
    return f" The {', '.join(differing)} you gave {verb} not applied: it keeps its first import's details."


def _draft(form: forms.ImportForm) -> ArticleDraft:
    upload = form.upload.data
    if upload and upload.filename and form.text.data:
        raise ValidationFailed(
            "text", "give the article as pasted text or as a file, not both: it is not clear which to import"
        )
    if upload and upload.filename:
        draft = read_upload(upload.filename, upload.stream, settings().max_import_bytes)
    elif form.text.data:
        if len(form.text.data.encode()) > settings().max_import_bytes:
            raise ImportRejected(
                "pasted text", f"is over the import limit of {settings().max_import_bytes:,} bytes"
            )
        draft = ArticleDraft(text=form.text.data, origin="pasted text")
    else:
        raise ValidationFailed("text", "paste the article text or choose a .txt or .html file")
    return draft.with_overrides(
        title=form.title.data or None,
        url=form.url.data or None,
        publisher=form.publisher.data or None,
        published_on=form.published.data,
        author=form.author.data or None,
        language=form.language.data or None,
    )


@blueprint.post("/articles/<int:article_id>/claims")
def add_from_selection(article_id: int) -> Response | tuple[str, int]:
    form = forms.SelectionForm()
    session = db_session()
    if form.validate_on_submit():
        try:
            claim = add_claim(
                session, acting_user(), article_id, form.start.data, form.end.data, default_scorer()
            )
            session.commit()
        except ClaimtrackError as exc:
            session.rollback()
            flash(str(exc), "error")
        else:
            flash("Claim added from your selection.", "success")
            return redirect(url_for("claims.show", claim_id=claim.id))
    else:
        flash("Select a passage of the article first.", "error")
    return render_article(article_id, 422, selection_form=form)


@blueprint.post("/articles/<int:article_id>/merge")
def merge(article_id: int) -> Response | tuple[str, int]:
    form = forms.MergeForm()
    session = db_session()
    claim_ids = [key for raw in request.form.getlist("claim_ids") if (key := parse_id(raw, "claim_ids"))]
    if not form.validate_on_submit():
        abort(400)
    try:
        merged = merge_claims(session, acting_user(), claim_ids)
        session.commit()
    except ClaimtrackError as exc:
        session.rollback()
        flash(str(exc), "error")
        return render_article(article_id, 422)
    flash(f"Merged {len(set(claim_ids))} claims.", "success")
    return redirect(url_for("claims.show", claim_id=merged.id))
