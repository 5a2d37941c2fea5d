"""claimtrack's web layer: a Flask app factory over the services in `claims/`."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app import api, auth, database, errors, formatting, jobs, security
from app.extensions import csrf
from app.ids import DatabaseIdConverter, refuse_control_characters
from claims.config import load_settings

FORM_OVERHEAD_BYTES = 64 * 1024  # the form's other fields and multipart boundaries around the text


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    settings = load_settings()
    app = Flask(__name__)
    app.url_map.converters["int"] = DatabaseIdConverter
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key,
        CLAIMTRACK_SETTINGS=settings,
        DATABASE_URL=settings.database_url,
        # One limit, CLAIMTRACK_MAX_IMPORT_BYTES, for a file and for pasted text: a form field may be as
        # large as the request (Flask's own field limit is 500 KB), and the import view refuses text over
        # the limit with a message that keeps the rest of the form.
        MAX_CONTENT_LENGTH=settings.max_import_bytes + FORM_OVERHEAD_BYTES,
        MAX_FORM_MEMORY_SIZE=settings.max_import_bytes + FORM_OVERHEAD_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure cookies only when served over HTTPS; local http and tests would lose the session.
        SESSION_COOKIE_SECURE=settings.behind_https,
        REMEMBER_COOKIE_SECURE=settings.behind_https,
        REMEMBER_COOKIE_HTTPONLY=True,
        SIGN_IN_LIMIT_PER_ADDRESS=settings.sign_in_limit_per_address,
        SIGN_IN_LIMIT_PER_ACCOUNT=settings.sign_in_limit_per_account,
    )
    if test_config:
        app.config.update(test_config)

    app.jinja_env.add_extension("jinja2.ext.do")
    security.init_app(
        app,
        behind_https=settings.behind_https,
        proxy_hops=settings.proxy_hops,
        rate_limit_storage=settings.rate_limit_storage,
    )
    database.init_app(app)
    jobs.init_app(app)
    app.before_request(refuse_control_characters)  # before sign-in, which echoes `next` into a redirect
    csrf.init_app(app)
    auth.init_app(app)
    formatting.init_app(app)
    errors.init_app(app)
    api.init_app(app)

    from app.views import account, activity, admin, articles, claims, public, queue, snapshots
    from app.views import jobs as job_views

    for module in (articles, claims, queue, activity, admin, public, account, snapshots, job_views):
        app.register_blueprint(module.blueprint)
    return app
