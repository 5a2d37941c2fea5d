"""Who may do what: pure decisions on a role, testable without Flask or a database."""

from __future__ import annotations

import enum

from claims.errors import PermissionDenied
from claims.models import Role, User


class Action(enum.StrEnum):
    IMPORT_ARTICLE = "import_article"
    EDIT_CLAIM = "edit_claim"
    TRIAGE = "triage"
    ASSIGN = "assign"
    ADD_EVIDENCE = "add_evidence"
    RETRACT_EVIDENCE = "retract_evidence"
    MANAGE_SOURCES = "manage_sources"
    COMMENT = "comment"
    PROPOSE_VERDICT = "propose_verdict"
    SEND_BACK = "send_back"
    APPROVE = "approve"
    REOPEN = "reopen"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    IMPORT_FACT_CHECKS = "import_fact_checks"
    RESCORE_CLAIMS = "rescore_claims"
    SEE_ALL_JOBS = "see_all_jobs"


REVIEWER_ACTIONS = frozenset(
    {
        Action.IMPORT_ARTICLE,
        Action.EDIT_CLAIM,
        Action.TRIAGE,
        Action.ASSIGN,
        Action.ADD_EVIDENCE,
        Action.RETRACT_EVIDENCE,
        Action.MANAGE_SOURCES,
        Action.COMMENT,
        Action.PROPOSE_VERDICT,
    }
)
EDITOR_ACTIONS = REVIEWER_ACTIONS | {Action.SEND_BACK, Action.APPROVE, Action.REOPEN}
ALLOWED: dict[Role, frozenset[Action]] = {
    Role.REVIEWER: REVIEWER_ACTIONS,
    Role.EDITOR: EDITOR_ACTIONS,
    Role.ADMIN: EDITOR_ACTIONS
    | {
        Action.MANAGE_USERS,
        Action.MANAGE_SETTINGS,
        Action.IMPORT_FACT_CHECKS,
        Action.RESCORE_CLAIMS,
        Action.SEE_ALL_JOBS,
    },
}


def can(user: User | None, action: Action) -> bool:
    if user is None or not user.is_active:
        return False
    return action in ALLOWED.get(Role(user.role), frozenset())


def require(user: User | None, action: Action) -> None:
    if not can(user, action):
        role = Role(user.role).value if user is not None else "anonymous"
        raise PermissionDenied(f"a {role} user may not {action.value.replace('_', ' ')}")


def may_see_job(user: User | None, requested_by_id: int | None) -> bool:
    """A job is seen (and retried) by whoever asked for it, and by admins."""
    if user is None or not user.is_active:
        return False
    return user.id == requested_by_id or can(user, Action.SEE_ALL_JOBS)
