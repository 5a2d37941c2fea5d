"""Small queries the tests share."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.models import AuditEvent


def row_count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model))


def newest_event(session: Session) -> AuditEvent:
    return session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()


def event_count(session: Session) -> int:
    return row_count(session, AuditEvent)
