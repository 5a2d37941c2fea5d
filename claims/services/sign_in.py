"""Checking credentials; the same answer whether the email is unknown or the password is wrong."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims import audit
from claims.models import User
from claims.passwords import check_password, hash_password

MAX_ID = 2**31 - 1
# Checked against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = hash_password("no such user: timing equaliser")


def authenticate(session: Session, email: str, password: str) -> User | None:
    # No stored email holds NUL, and PostgreSQL refuses to even compare text containing it.
    user = None if "\x00" in email else _user_by_email(session, email)
    if user is None:
        check_password(_DUMMY_HASH, password)
        return None
    if not check_password(user.password_hash, password) or not user.is_active:
        return None
    return user


def _user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.strip().lower())).one_or_none()


def end_sessions(session: Session, user: User, reason: str = "user.signed_out") -> None:
    """Invalidate every session cookie of the user: the cookie names a version that no longer matches."""
    changes = audit.apply(user, {"session_version": user.session_version + 1})
    session.flush()
    audit.record(session, user, "user", user.id, reason, changes)


def user_for_session(session: Session, key: str) -> User | None:
    """The active user a session cookie names, if the cookie's session version is still current."""
    user_id, _, version = key.partition(":")
    if not (user_id.isdigit() and version.isdigit()) or int(user_id) > MAX_ID:
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user
