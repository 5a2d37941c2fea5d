"""Template filters: readable audit diffs, action names, timestamps and the split offered for a claim."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.export.claimreview import known
from claims.ingest.splits import offered_split
from claims.models import Source, User
from claims.textdiff import word_diff

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
    "evidence_snapshot.archived": "archived a cited page",
    "evidence_snapshot.rechecked": "rechecked a cited page",
    "evidence_snapshot.marked": "marked evidence: its page is gone or changed",
    "source.created": "recorded the article as a source",
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


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def event_label(event: Any) -> str:
    """What an audit event did, in words: an archiving that stored only an error archived nothing."""
    error = (event.changes or {}).get("error")
    if event.action == "evidence_snapshot.archived" and isinstance(error, list) and error[-1]:
        return "could not archive a cited page"
    return action_label(event.action)


STATUS_LABELS = {
    "unreviewed": "Unreviewed",
    "in_review": "In review",
    "not_checkworthy": "Not check-worthy",
    "awaiting_approval": "Awaiting approval",
    "published": "Published",
}


def paragraph_breaks(text: str) -> Markup:
    """Article text with each line break in a span the style sheet spaces out, so paragraphs stand apart;
    the text itself (what a selection's offsets count) stays the same."""
    return Markup('<span class="paragraph-break">\n</span>').join(escape(text).split("\n"))


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def claimant_name(name: str | None) -> str:
    """Who made a claim, as the desk reads it: the import's stand-in for an unknown publisher is no name."""
    return known(name) or "unknown claimant"


def source_label(source: Source) -> str:
    """A source as the claim page lists it: its name and kind, or only its kind when the import did not
    know who published it (never the stand-in "the publication")."""
    kind = source.type.replace("_", " ")
    name = known(source.name)
    return f"{name} ({kind})" if name else kind.capitalize()


def show_value(value: Any) -> str:
    """A recorded value as a reader takes it in: scores rounded, lists as phrases, no JSON."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return "; ".join(show_value(item) for item in value) or "none"
    return json.dumps(value, ensure_ascii=False)


def inline_diff(old: Any, new: Any) -> Markup:
    """Word-level diff: removed words in <del>, added ones in <ins>, every piece escaped."""
    pieces: list[str] = []
    for piece in word_diff(show_value(old), show_value(new)):
        if piece.same:
            pieces.append(str(escape(piece.removed)))
            continue
        if piece.removed:
            pieces.append(f"<del>{escape(piece.removed)}</del>")
        if piece.added:
            pieces.append(f"<ins>{escape(piece.added)}</ins>")
    return Markup("".join(pieces))


# Fields that hold a user id: shown as the person's name, which is what a reader needs.
USER_FIELDS = {"assignee_id": "assignee", "proposed_by_id": "proposed by", "retracted_by_id": "retracted by"}
# Fields a person would call something else.
FIELD_NAMES = {"text": "claim as reviewed", "score": "check-worthiness", "published_at": "published"}
# Bookkeeping the audit keeps for replay (offsets, row links, versions): the page shows it elsewhere or not
# at all, and it means nothing to a reader of the history.
BOOKKEEPING_FIELDS = frozenset(
    {"start", "end", "article_id", "claim_id", "source_id", "source_ids", "split_from", "version"}
    | {"content_hash"}
)


def recorded_moment(value: Any) -> Any:
    """A moment the audit recorded as ISO text, to the minute in UTC as the rest of the history reads."""
    if not isinstance(value, str):
        return value
    try:
        return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return value


def change_rows(changes: dict[str, list[Any]], people: dict[int, str] | None = None) -> list[dict[str, Any]]:
    rows = []
    for field, (old, new) in changes.items():
        if field in BOOKKEEPING_FIELDS:
            continue
        if field in USER_FIELDS and people is not None:
            old, new = people.get(old, old), people.get(new, new)
        if field.endswith("_at"):
            old, new = (recorded_moment(value) for value in (old, new))
        if field == "status":
            old, new = (status_label(value) if value else value for value in (old, new))
        if field == "claimant":
            old, new = (claimant_name(value) if value else value for value in (old, new))
        if field == "name":  # a source's: the import's stand-in for an unknown publisher is no name
            old, new = known(old), known(new)
            if old is None and new is None:
                continue
        long = isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > LONG_TEXT
        rows.append(
            {
                "field": USER_FIELDS.get(field) or FIELD_NAMES.get(field) or field.replace("_", " "),
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
    app.add_template_filter(event_label)
    app.add_template_filter(change_rows)
    app.add_template_filter(utc_time)
    app.add_template_filter(show_value)
    app.add_template_filter(claimant_name)
    app.add_template_filter(source_label)
    app.add_template_filter(status_label)
    app.add_template_filter(paragraph_breaks)
    app.add_template_filter(inline_diff)
