"""Checking credentials; the same answer whether the email is unknown or the password is wrong."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.models import User
from claims.passwords import check_password, hash_password

# Checked against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = hash_password("no such user: timing equaliser")


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.scalars(select(User).where(User.email == email.strip().lower())).one_or_none()
    if user is None:
        check_password(_DUMMY_HASH, password)
        return None
    if not check_password(user.password_hash, password) or not user.is_active:
        return None
    return user
