"""Template filters: readable audit diffs, action names, timestamps and the split offered for a claim."""

from __future__ import annotations

import difflib
import json
import re
from datetime import datetime
from typing import Any

from flask import Flask
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.ingest.splits import offered_split
from claims.models import User

ACTION_LABELS = {
    "article.imported": "imported the article",
    "claim.created": "created by import",
    "claim.edited": "edited the claim",
    "claim.assigned": "assigned",
    "claim.triage": "triaged as check-worthy",
    "claim.dismiss": "marked not check-worthy",
    "claim.restore": "restored for review",
    "claim.verdict_set": "set the draft verdict",
    "claim.propose": "proposed a verdict",
    "claim.send_back": "sent back for review",
    "claim.approve": "approved and published",
    "claim.reopen": "reopened",
    "evidence.added": "added evidence",
    "evidence.retracted": "retracted evidence",
    "source.added": "added a source",
    "source.removed": "removed a source",
    "comment.added": "commented",
    "user.created": "created a user",
    "user.role_changed": "changed a role",
    "user.activated": "activated a user",
    "user.deactivated": "deactivated a user",
    "user.password_set": "set a password",
    "user.signed_out": "signed out (all sessions ended)",
    "api_token.created": "created an API token",
    "settings.changed": "changed the desk settings",
    "api_token.revoked": "revoked an API token",
    "claim.split": "split the claim",
    "claim.split_off": "split off from another claim",
    "claim.merged": "merged claims into this one",
    "claim.merged_into": "merged into another claim",
    "claim.added_from_selection": "added from a selection",
    "claim.rescored": "re-scored by the check-worthiness model",
    "claims.rescored": "re-scored every claim",
}
LONG_TEXT = 60
WORDS = re.compile(r"\S+|\s+")


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def show_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def inline_diff(old: Any, new: Any) -> Markup:
    """Word-level diff: removed words in <del>, added ones in <ins>, every piece escaped."""
    before, after = WORDS.findall(show_value(old)), WORDS.findall(show_value(new))
    pieces: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(str(escape("".join(before[i1:i2]))))
            continue
        if i2 > i1:
            pieces.append(f"<del>{escape(''.join(before[i1:i2]))}</del>")
        if j2 > j1:
            pieces.append(f"<ins>{escape(''.join(after[j1:j2]))}</ins>")
    return Markup("".join(pieces))


# Fields that hold a user id: shown as the person's name, which is what a reader needs.
USER_FIELDS = {"assignee_id": "assignee", "proposed_by_id": "proposed by", "retracted_by_id": "retracted by"}


def change_rows(changes: dict[str, list[Any]], people: dict[int, str] | None = None) -> list[dict[str, Any]]:
    rows = []
    for field, (old, new) in changes.items():
        if field in USER_FIELDS and people is not None:
            old, new = people.get(old, old), people.get(new, new)
        long = isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > LONG_TEXT
        rows.append(
            {
                "field": USER_FIELDS.get(field, field.replace("_", " ")),
                "old": show_value(old),
                "new": show_value(new),
                "diff": inline_diff(old, new) if long else None,
            }
        )
    return rows


def people_names(session: Session) -> dict[int, str]:
    """Every user's display name by id (a desk has dozens of users): for reading audit diffs."""
    return {user_id: name for user_id, name in session.execute(select(User.id, User.display_name))}


def utc_time(moment: datetime | None) -> Markup:
    """A <time> the browser script turns into the viewer's local time; UTC without script."""
    if moment is None:
        return Markup("—")
    return Markup('<time datetime="{}">{}</time>').format(
        moment.isoformat(), moment.strftime("%Y-%m-%d %H:%M UTC")
    )


def init_app(app: Flask) -> None:
    app.add_template_filter(offered_split)
    app.add_template_filter(action_label)
    app.add_template_filter(change_rows)
    app.add_template_filter(utc_time)
    app.add_template_filter(show_value)
