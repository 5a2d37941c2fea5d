"""Loading what a service acts on, with the checks every service needs."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from claims.errors import NotFound, StaleEdit
from claims.models import Base, Claim

M = TypeVar("M", bound=Base)


def get_or_raise(session: Session, model: type[M], entity_id: int) -> M:
    entity = session.get(model, entity_id)
    if entity is None:
        raise NotFound(model.__name__.lower(), entity_id)
    return entity


def claim_for_edit(session: Session, claim_id: int, expected_version: int | None) -> Claim:
    """The claim, refusing the edit if the editor saw an older version than the stored one."""
    claim = get_or_raise(session, Claim, claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise StaleEdit(claim_id, expected_version, claim.version)
    return claim
