"""Users and roles. Password hashes are stored, never audited."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims import audit
from claims.errors import ValidationFailed
from claims.models import Role, User
from claims.passwords import MIN_PASSWORD_LENGTH, hash_password
from claims.permissions import Action, require
from claims.services.lookup import get_or_raise
from claims.services.tokens import revoke_live_tokens
from claims.validation import clean_choice, clean_text


def _clean_email(email: str) -> str:
    email = clean_text("email", email, max_length=254).lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email:
        raise ValidationFailed("email", f"{email!r} is not an email address")
    return email


def create_user(
    session: Session,
    actor: User | None,
    *,
    email: str,
    role: str,
    password: str,
    display_name: str | None = None,
) -> User:
    """Create a user; `actor` None is the bootstrap path (CLI on the server, demo set-up)."""
    if actor is not None:
        require(actor, Action.MANAGE_USERS)
    email = _clean_email(email)
    role = clean_choice("role", role, Role)
    _check_password(password)
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise ValidationFailed("email", f"a user with email {email} already exists")
    name = clean_text("name", display_name, max_length=120, required=False) or email.split("@")[0]
    user = User(email=email, display_name=name, role=Role(role), password_hash=hash_password(password))
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "user",
        user.id,
        "user.created",
        audit.created({"email": email, "display_name": name, "role": user.role}),
    )
    return user


def set_password(session: Session, actor: User | None, *, email: str, password: str) -> User:
    """A new password; `actor` None is the server's CLI. The event says it changed, never what to."""
    if actor is not None:
        require(actor, Action.MANAGE_USERS)
    user = session.scalars(select(User).where(User.email == email.strip().lower())).one_or_none()
    if user is None:
        raise ValidationFailed("email", f"no user has the email {email}")
    _check_password(password)
    user.password_hash = hash_password(password)
    # Whoever knew the old password may hold a session: a new password ends every session of the user.
    ended = audit.apply(user, {"session_version": user.session_version + 1})
    session.flush()
    audit.record(
        session, actor, "user", user.id, "user.password_set", {"password_set": [None, True], **ended}
    )
    return user


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")


def change_role(session: Session, actor: User, user_id: int, role: str) -> User:
    require(actor, Action.MANAGE_USERS)
    user = get_or_raise(session, User, user_id)
    changes = audit.apply(user, {"role": Role(clean_choice("role", role, Role))})
    if changes:
        session.flush()
        audit.record(session, actor, "user", user.id, "user.role_changed", changes)
    return user


def set_active(session: Session, actor: User, user_id: int, is_active: bool) -> User:
    require(actor, Action.MANAGE_USERS)
    user = get_or_raise(session, User, user_id)
    if user.id == actor.id and not is_active:
        raise ValidationFailed("user", "you cannot deactivate your own account")
    if user.is_active == is_active:
        return user
    # Either way, what the account held before stays dead: reactivating must not revive old cookies or
    # tokens (sessions end via the session version, tokens are revoked on the record).
    changes = audit.apply(user, {"is_active": is_active, "session_version": user.session_version + 1})
    session.flush()
    audit.record(
        session, actor, "user", user.id, "user.activated" if is_active else "user.deactivated", changes
    )
    revoke_live_tokens(session, actor, user)
    return user
