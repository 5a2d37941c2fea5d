"""Error pages: 400, 403, 404, 413, 500 and 503 as pages a reviewer can act on; domain refusals that escape a
view map to them (a value the view did not take: 400, not allowed: 403, missing: 404)."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, jsonify, render_template, request
from flask_login import AnonymousUserMixin
from limits.errors import StorageError
from sqlalchemy.exc import OperationalError

from claims.errors import NotFound, PermissionDenied, ValidationFailed

MESSAGES = {
    400: ("Not understood", "Part of the address or the form is not something this page takes."),
    403: ("Not allowed", "Your role does not allow this. Ask an editor or an admin."),
    404: ("Not found", "There is nothing at this address. It may have been merged or never existed."),
    413: ("Too large", "That upload is over the import size limit."),
    429: ("Too many attempts", "Too many attempts in a short time. Wait a minute and try again."),
    500: ("Something went wrong", "The error has been logged. Nothing you sent was half-saved."),
    503: ("Unavailable", "This is unavailable for a moment. Try again in a minute."),
}
RATE_LIMITS_UNREACHABLE = (
    "Signing in is unavailable for a moment: the service that counts sign-in attempts cannot be reached. "
    "Nothing was changed; try again in a minute. The error has been logged."
)
DATABASE_BUSY = (
    "The database is busy with other work (a long import, say) and this change had to wait too long. "
    "Nothing was saved; send it again in a moment."
)
logger = logging.getLogger(__name__)


def _page(status: int, detail: str | None = None) -> tuple[str | Response, int]:
    title, message = MESSAGES[status]
    if request.path.startswith("/api/"):
        # Machines get JSON even for URLs no API route matched.
        return jsonify(error={"code": title.lower().replace(" ", "_"), "message": detail or message}), status
    return render_template("error.html", status=status, title=title, message=detail or message), status


def _rate_limits_unreachable(error: StorageError) -> tuple[str | Response, int]:
    # Refuse rather than sign in unlimited: without the counts, password guessing would be unbounded.
    logger.error("rate-limit storage unreachable, refusing %s %s: %s", request.method, request.path, error)
    return _page(503, RATE_LIMITS_UNREACHABLE)


def _database_busy(error: OperationalError) -> tuple[str | Response, int]:
    """SQLite's "database is locked" after its busy timeout: a wait, not a fault. Other operational
    errors (the server gone) stay 500s."""
    if "database is locked" not in str(error.orig):
        raise error
    logger.warning("database busy, refusing %s %s: %s", request.method, request.path, error.orig)
    # The page must not wait for the database again: shown as to a visitor (no user lookup for the nav).
    g._login_user = AnonymousUserMixin()  # Flask-Login's per-request cache of the current user
    return _page(503, DATABASE_BUSY)


def init_app(app: Flask) -> None:
    for status in MESSAGES.keys() - {400}:  # other 400s (CSRF) keep their own explanation
        app.register_error_handler(status, lambda error, status=status: _page(status))
    app.register_error_handler(ValidationFailed, lambda error: _page(400, str(error)))
    app.register_error_handler(PermissionDenied, lambda error: _page(403, str(error)))
    app.register_error_handler(NotFound, lambda error: _page(404, str(error)))
    app.register_error_handler(StorageError, _rate_limits_unreachable)
    app.register_error_handler(OperationalError, _database_busy)
