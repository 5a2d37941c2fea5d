"""Sign-in and the deny-by-default rule: every view needs a signed-in user unless marked public."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from app.database import db_session
from app.security import limiter
from claims.models import User
from claims.permissions import Action, require
from claims.services.sign_in import authenticate, end_sessions, user_for_session

blueprint = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."

View = TypeVar("View", bound=Callable[..., Any])


def public(view: View) -> View:
    """Mark a view as reachable without signing in."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def requires(action: Action) -> Callable[[View], View]:
    """Refuse (403) before anything else runs when the user's role does not allow `action`."""

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            require(acting_user(), action)
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate


def acting_user() -> User:
    """The signed-in user as the domain object services expect (not Flask-Login's proxy)."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_require_sign_in)
    app.register_blueprint(blueprint)


@login_manager.user_loader
def _load_user(key: str) -> User | None:
    return user_for_session(db_session(), key)


def _require_sign_in() -> Response | None:
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or request.endpoint == "static" or getattr(view, "is_public", False):
        return None
    if request.blueprint == "api":
        return None  # the API authenticates itself and answers 401 in JSON, not with a redirect
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


# Browsers (WHATWG URL parsing) drop tabs and newlines anywhere in a URL, trim C0 controls and spaces
# at its ends, and read "\\" as "/": "/\t/evil.example/" and "/\\evil.example" both mean //evil.example.
_DROPPED_BY_BROWSERS = str.maketrans("", "", "\t\r\n")
_TRIMMED_BY_BROWSERS = "".join(chr(code) for code in range(0x21))


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, decided on the URL as a browser will read it;
    anything else (another host, a scheme, a control character) goes home instead of off-site."""
    home = url_for("articles.index")
    if not target:
        return home
    normalised = target.translate(_DROPPED_BY_BROWSERS).strip(_TRIMMED_BY_BROWSERS).replace("\\", "/")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in normalised):
        return home
    parts = urlsplit(normalised)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return home
    return normalised


def _sign_in_failed(response: Response) -> bool:
    # Both limits count failures only (the form shown again, 200): a reviewer signing in on three devices,
    # or a newsroom behind one address, is not guessing; and a refusal (429, 503) is not another guess.
    return response.status_code == 200


def _email_key() -> str:
    return "sign-in:" + (request.form.get("email") or "").strip().lower()


@blueprint.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_sign_in_failed
)
@limiter.limit(
    lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"],
    key_func=_email_key,
    methods=["POST"],
    deduct_when=_sign_in_failed,
)
def login() -> str | Response:
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(db_session(), form.email.data or "", form.password.data or "")
        if user is not None:
            session.clear()  # a fresh session at sign-in: nothing carried over from before
            login_user(user)
            flash(f"Signed in as {user.display_name}.", "success")
            return redirect(safe_next(request.args.get("next")))
        flash("Email or password is not right.", "error")
    return render_template("auth/sign_in.html", form=form)


@blueprint.post("/sign-out")
def logout() -> Response:
    end_sessions(db_session(), acting_user())
    db_session().commit()
    logout_user()
    session.clear()
    flash("Signed out.", "success")
    return redirect(url_for("auth.login"))
