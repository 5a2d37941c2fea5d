"""Per-user API tokens: shown once, stored as a SHA-256, revocable. Events never carry the token."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims import audit
from claims.errors import PermissionDenied, ValidationFailed
from claims.models import ApiToken, User, utcnow
from claims.services.lookup import get_or_raise
from claims.validation import clean_text

TOKEN_PREFIX = "ct_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the acting user; returns the stored record and the token, which is not kept."""
    name = clean_text("name", name, max_length=100)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user_id=actor.id, name=name, token_hash=token_hash(token))
    session.add(record)
    session.flush()
    audit.record(session, actor, "api_token", record.id, "api_token.created", audit.created({"name": name}))
    return record, token


def revoke_token(session: Session, actor: User, token_id: int) -> ApiToken:
    record = get_or_raise(session, ApiToken, token_id)
    if record.user_id != actor.id:
        raise PermissionDenied("you can only revoke your own tokens")
    if record.revoked_at is not None:
        raise ValidationFailed("token", f"token {record.name!r} was already revoked")
    changes = audit.apply(record, {"revoked_at": utcnow()})
    session.flush()
    audit.record(session, actor, "api_token", record.id, "api_token.revoked", changes)
    return record


def revoke_live_tokens(session: Session, actor: User, user: User) -> None:
    """Revoke every token of `user` still live, each on the record (an admin ending an account's access)."""
    live = session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id)
    ).all()
    for record in live:
        changes = audit.apply(record, {"revoked_at": utcnow()})
        session.flush()
        audit.record(session, actor, "api_token", record.id, "api_token.revoked", changes)


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    record = session.scalars(select(ApiToken).where(ApiToken.token_hash == token_hash(token))).one_or_none()
    if record is None or record.revoked_at is not None or not record.user.is_active:
        return None
    return record.user


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))
