"""User administration: create users, change roles, (de)activate — admins only, via claims.services.users."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import forms
from app.auth import acting_user
from app.database import db_session
from claims.desk import change_settings, defaults_from, desk_settings
from claims.errors import ClaimtrackError, ValidationFailed
from claims.ingest.readers import check_size, decode_text
from claims.matching.factchecks import import_fact_checks
from claims.models import User
from claims.permissions import Action, require
from claims.services import users as user_services

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.before_request
def _admins_only() -> None:
    require(acting_user(), Action.MANAGE_USERS)


def render_users(status: int = 200, new_user_form: forms.NewUserForm | None = None) -> tuple[str, int]:
    users = db_session().scalars(select(User).order_by(User.display_name)).all()
    role_forms = {user.id: forms.RoleForm(formdata=None, data={"role": user.role}) for user in users}
    return render_template(
        "admin/users.html",
        users=users,
        new_user_form=new_user_form or forms.NewUserForm(formdata=None),
        role_forms=role_forms,
        active_form=forms.ActiveForm(formdata=None),
    ), status


@blueprint.get("/users")
def users() -> tuple[str, int]:
    return render_users()


def _apply(
    change: Callable[[], object], done: str, form_on_error: forms.NewUserForm | None = None
) -> Response | tuple[str, int]:
    session = db_session()
    try:
        change()
        session.commit()
    except ClaimtrackError as exc:
        session.rollback()
        flash(str(exc), "error")
        return render_users(422, form_on_error)
    flash(done, "success")
    return redirect(url_for("admin.users"))


@blueprint.post("/users")
def create_user() -> Response | tuple[str, int]:
    form = forms.NewUserForm()
    if not form.validate_on_submit():
        return render_users(422, form)
    return _apply(
        lambda: user_services.create_user(
            db_session(),
            acting_user(),
            email=form.email.data,
            role=form.role.data,
            password=form.password.data,
            display_name=form.display_name.data or None,
        ),
        f"User {form.email.data} created.",
        form,
    )


@blueprint.post("/users/<int:user_id>/role")
def change_role(user_id: int) -> Response | tuple[str, int]:
    form = forms.RoleForm()
    if not form.validate_on_submit():
        return render_users(422)
    return _apply(
        lambda: user_services.change_role(db_session(), acting_user(), user_id, form.role.data), "Role saved."
    )


@blueprint.post("/users/<int:user_id>/active")
def set_active(user_id: int) -> Response | tuple[str, int]:
    form = forms.ActiveForm()
    if not form.validate_on_submit():
        return render_users(422)
    is_active = request.form.get("is_active") == "1"
    return _apply(
        lambda: user_services.set_active(db_session(), acting_user(), user_id, is_active),
        "User activated." if is_active else "User deactivated.",
    )


@blueprint.route("/settings", methods=["GET", "POST"])
def settings() -> Response | tuple[str, int]:
    session = db_session()
    defaults = current_app.config["CLAIMTRACK_SETTINGS"]
    current = desk_settings(session, defaults)
    form = forms.DeskSettingsForm(data=asdict(current))
    if request.method == "GET":
        return render_template("admin/settings.html", form=form, defaults=defaults_from(defaults)), 200
    if form.validate_on_submit():
        values = {**form.data, "checkworthy_threshold": _threshold(form.checkworthy_threshold.data)}
        try:
            change_settings(session, acting_user(), defaults, values)
            session.commit()
        except ClaimtrackError as exc:
            session.rollback()
            flash(str(exc), "error")
        else:
            flash("Settings saved.", "success")
            return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form, defaults=defaults_from(defaults)), 422


def _threshold(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@blueprint.route("/factchecks", methods=["GET", "POST"])
def fact_checks() -> tuple[str, int]:
    """Bring in other organisations' published fact-checks; a bad record stops it with nothing written."""
    form = forms.FactCheckImportForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template(
            "admin/factchecks.html", form=form, outcome=None
        ), 200 if request.method == "GET" else 422
    session = db_session()
    try:
        outcome = import_fact_checks(
            session, acting_user(), _uploaded_text(form), skip_bad=form.skip_bad.data
        )
        session.commit()
    except ClaimtrackError as exc:
        session.rollback()
        flash(f"Nothing was imported: {exc}", "error")
        return render_template("admin/factchecks.html", form=form, outcome=None), 422
    return render_template("admin/factchecks.html", form=form, outcome=outcome), 200


def _uploaded_text(form: forms.FactCheckImportForm) -> str:
    upload = form.upload.data
    if not upload or not upload.filename:
        raise ValidationFailed("upload", "choose a ClaimReview file")
    limit = current_app.config["CLAIMTRACK_SETTINGS"].max_import_bytes
    data = upload.stream.read(limit + 1)  # at most one byte over: an oversized file is not read whole
    check_size(upload.filename, len(data), limit)
    return decode_text(data, upload.filename)
