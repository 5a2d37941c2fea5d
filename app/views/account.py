"""The signed-in user's API tokens: create one (shown once), see them, revoke them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from app import forms
from app.auth import acting_user
from app.database import db_session
from claims.errors import ClaimtrackError
from claims.services.tokens import create_token, revoke_token, tokens_of

blueprint = Blueprint("account", __name__, url_prefix="/account")


def render_tokens(
    new_token: str | None = None, form: forms.TokenForm | None = None, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "account/tokens.html",
        tokens=tokens_of(db_session(), acting_user()),
        form=form or forms.TokenForm(formdata=None),
        revoke_form=forms.BaseForm(formdata=None),
        new_token=new_token,
    ), status


@blueprint.get("/tokens")
def tokens() -> tuple[str, int]:
    return render_tokens()


@blueprint.post("/tokens")
def create() -> tuple[str, int]:
    form = forms.TokenForm()
    if not form.validate_on_submit():
        return render_tokens(form=form, status=422)
    session = db_session()
    _, token = create_token(session, acting_user(), form.name.data or "")
    session.commit()
    flash("Token created. Copy it now: it is not shown again.", "success")
    return render_tokens(new_token=token)


@blueprint.post("/tokens/<int:token_id>/revoke")
def revoke(token_id: int) -> Response | tuple[str, int]:
    session = db_session()
    if not forms.BaseForm().validate_on_submit():
        return render_tokens(status=400)
    try:
        revoke_token(session, acting_user(), token_id)
        session.commit()
    except ClaimtrackError as exc:
        session.rollback()
        flash(str(exc), "error")
        return render_tokens(status=403)
    flash("Token revoked.", "success")
    return redirect(url_for("account.tokens"))
