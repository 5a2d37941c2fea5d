"""The JSON API under /api/v1: bearer tokens or the signed-in session (with an X-CSRFToken header
for writes), JSON errors with proper status codes, and the same `claims/` services as the forms."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Flask, Response, g, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match
from werkzeug.exceptions import HTTPException

from app.database import db_session
from app.extensions import csrf
from claims.errors import (
    ClaimFrozen,
    ClaimtrackError,
    IllegalTransition,
    ImportRejected,
    NotFound,
    PermissionDenied,
    StaleEdit,
    ValidationFailed,
)
from claims.matching.claimreview import BadRecord
from claims.models import User
from claims.services.tokens import user_for_token

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
FORMATS = FormatChecker(["date"])
PUBLIC_ENDPOINTS = {"api.openapi"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_response(status: int, code: str, message: str, field: str | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"code": code, "message": message}
    if field:
        body["field"] = field
    return jsonify(error=body), status


DOMAIN_ERRORS: tuple[tuple[type[ClaimtrackError], int, str], ...] = (
    (NotFound, 404, "not_found"),
    (PermissionDenied, 403, "forbidden"),
    (StaleEdit, 409, "stale_version"),
    (ClaimFrozen, 409, "claim_frozen"),
    (IllegalTransition, 409, "illegal_transition"),
    (ValidationFailed, 422, "validation_failed"),
    (ImportRejected, 422, "import_rejected"),
    (BadRecord, 422, "bad_record"),
)


def _domain_error(error: ClaimtrackError) -> tuple[Response, int]:
    for kind, status, code in DOMAIN_ERRORS:
        if isinstance(error, kind):
            return error_response(status, code, str(error), getattr(error, "field", None))
    return error_response(422, "refused", str(error))


def _http_error(error: HTTPException) -> tuple[Response, int]:
    codes = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}
    return error_response(error.code or 500, codes.get(error.code or 500, "error"), error.description or "")


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON object, checked against the same schema the OpenAPI document publishes:
    400 when the body is not JSON, 422 naming the first field that does not fit."""
    body = parsed_json(request.get_data(cache=True))
    problem = best_match(Draft202012Validator(schema, format_checker=FORMATS).iter_errors(body))
    if problem is not None:
        # The object at fault may be nested (an article of a bulk import): name its field in full.
        where = [str(part) for part in problem.absolute_path]
        field = ".".join(where) or None
        if problem.validator == "additionalProperties" and isinstance(problem.instance, dict):
            field = ".".join([*where, sorted(set(problem.instance) - set(problem.schema["properties"]))[0]])
        elif problem.validator == "required" and isinstance(problem.instance, dict):
            field = ".".join([*where, next(n for n in problem.validator_value if n not in problem.instance)])
        raise ApiError(422, "validation_failed", f"{field or 'body'}: {_short(problem.message)}", field)
    return body


def parsed_json(raw: bytes) -> Any:
    try:
        body = json.loads(raw or b"null")
        # Encoding it back finds a lone surrogate ("\ud800"): valid JSON, but not text anything can store.
        json.dumps(body, ensure_ascii=False).encode()
    except RecursionError:
        raise ApiError(400, "malformed_json", "the request body is nested too deeply") from None
    except UnicodeEncodeError:
        raise ApiError(
            400, "malformed_json", "the request body contains a lone surrogate (\\ud800-\\udfff), not text"
        ) from None
    except ValueError:  # also UnicodeDecodeError: the body is not UTF-8
        raise ApiError(400, "malformed_json", "the request body is not valid JSON") from None
    return body


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:197] + "..."


def api_user() -> User:
    return g.api_user


@blueprint.before_request
def _authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization")
    if header:
        scheme, _, token = header.partition(" ")
        user = user_for_token(db_session(), token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise ApiError(401, "unauthenticated", "the API token is missing, malformed or revoked")
        g.api_user = user
        return
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            csrf.protect()  # a browser session writes only with its CSRF token in X-CSRFToken
        g.api_user = current_user._get_current_object()
        return
    raise ApiError(401, "unauthenticated", "send `Authorization: Bearer <token>` or sign in")


blueprint.register_error_handler(ApiError, lambda e: error_response(e.status, e.code, e.message, e.field))
blueprint.register_error_handler(ClaimtrackError, _domain_error)
blueprint.register_error_handler(CSRFError, lambda e: error_response(400, "csrf_failed", e.description))
blueprint.register_error_handler(HTTPException, _http_error)
csrf.exempt(blueprint)


def init_app(app: Flask) -> None:
    from app.api import routes  # noqa: F401 - registers the views on the blueprint

    app.register_blueprint(blueprint)
