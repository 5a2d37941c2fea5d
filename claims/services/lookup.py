"""Loading what a service acts on, with the checks every service needs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from claims.db import lost_race
from claims.errors import BulkRefused, NotFound, StaleEdit
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


@contextmanager
def claim_write(session: Session, claim_id: int, expected_version: int | None) -> Iterator[None]:
    """Around a write to a claim and its commit: if a concurrent writer changed the claim first (the check
    in `claim_for_edit` passed, then the other transaction committed), roll back and raise the StaleEdit a
    stale form gets, so every lost race is the same explained conflict."""
    try:
        yield
    except (StaleDataError, DBAPIError) as error:
        if not lost_race(error):
            raise
        session.rollback()
        current = session.scalar(select(Claim.version).where(Claim.id == claim_id))
        if current is None:
            raise NotFound("claim", claim_id) from error
        raise StaleEdit(claim_id, expected_version, current) from error


@contextmanager
def claims_write(session: Session, versions: Mapping[int, int | None]) -> Iterator[None]:
    """`claim_write` for one action on several claims: a lost race rolls everything back and names each
    claim that someone else changed meanwhile."""
    try:
        yield
    except (StaleDataError, DBAPIError) as error:
        if not lost_race(error):
            raise
        session.rollback()
        current = dict(session.execute(select(Claim.id, Claim.version).where(Claim.id.in_(versions))).all())
        refusals = {
            claim_id: str(StaleEdit(claim_id, seen, current[claim_id]))
            for claim_id, seen in versions.items()
            if claim_id in current and current[claim_id] != seen
        }
        if not refusals:  # a serialisation failure or deadlock, with no version moved on
            refusals = dict.fromkeys(versions, "it was being changed at the same moment; try again")
        raise BulkRefused(refusals, len(versions)) from error
