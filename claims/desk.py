"""Desk settings admins can change: the organisation named in ClaimReview, where public pages live,
the check-worthiness threshold and the second-reviewer rule. Stored values win over the environment."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims import audit
from claims.config import Settings
from claims.errors import ValidationFailed
from claims.models import Setting, User
from claims.permissions import Action, require
from claims.validation import clean_text, clean_url

SETTINGS_ENTITY_ID = 1


@dataclass(frozen=True)
class DeskSettings:
    organisation_name: str
    organisation_url: str
    public_url: str
    checkworthy_threshold: float | None  # None: the model's own threshold
    require_second_reviewer: bool


def defaults_from(settings: Settings) -> DeskSettings:
    return DeskSettings(
        settings.organisation_name,
        settings.organisation_url,
        settings.public_url,
        settings.checkworthy_threshold,
        settings.require_second_reviewer,
    )


def desk_settings(session: Session, settings: Settings) -> DeskSettings:
    stored = {row.key: row.value for row in session.scalars(select(Setting))}
    known = {key: value for key, value in stored.items() if key in DeskSettings.__dataclass_fields__}
    return replace(defaults_from(settings), **known)


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    threshold = values["checkworthy_threshold"]
    if threshold is not None and not (isinstance(threshold, int | float) and 0 <= threshold <= 1):
        raise ValidationFailed(
            "checkworthy_threshold", "must be a number between 0 and 1, or empty for the model's"
        )
    return {
        "organisation_name": clean_text("organisation_name", values["organisation_name"], max_length=200),
        "organisation_url": clean_url("organisation_url", values["organisation_url"]),
        "public_url": (clean_url("public_url", values["public_url"]) or "").rstrip("/"),
        "checkworthy_threshold": None if threshold is None else float(threshold),
        "require_second_reviewer": bool(values["require_second_reviewer"]),
    }


def change_settings(
    session: Session, actor: User, settings: Settings, values: dict[str, Any]
) -> DeskSettings:
    """Store what differs from the current settings and record it; nothing changed records nothing."""
    require(actor, Action.MANAGE_SETTINGS)
    current = desk_settings(session, settings)
    wanted = _checked({**asdict(current), **values})
    changes = audit.diff(current, wanted)
    for key in changes:
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=wanted[key]))
        else:
            row.value = wanted[key]
    if changes:
        session.flush()
        audit.record(session, actor, "settings", SETTINGS_ENTITY_ID, "settings.changed", changes)
    return DeskSettings(**wanted)
