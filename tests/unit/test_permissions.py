import pytest

from claims.errors import PermissionDenied
from claims.models import Role, User
from claims.permissions import Action, can, require


def user(role: Role, active: bool = True) -> User:
    return User(email="x@example.org", display_name="x", role=role, password_hash="-", is_active=active)


@pytest.mark.parametrize("action", [Action.APPROVE, Action.REOPEN, Action.SEND_BACK, Action.MANAGE_USERS])
def test_reviewers_cannot_take_editor_or_admin_actions(action: Action) -> None:
    assert not can(user(Role.REVIEWER), action)


def test_editors_approve_but_do_not_manage_users() -> None:
    assert can(user(Role.EDITOR), Action.APPROVE)
    assert not can(user(Role.EDITOR), Action.MANAGE_USERS)


def test_admins_can_do_everything() -> None:
    assert all(can(user(Role.ADMIN), action) for action in Action)


def test_deactivated_and_anonymous_users_can_do_nothing() -> None:
    assert not any(can(user(Role.ADMIN, active=False), action) for action in Action)
    assert not any(can(None, action) for action in Action)


def test_a_refusal_names_the_role_and_the_action() -> None:
    with pytest.raises(PermissionDenied, match="a reviewer user may not approve"):
        require(user(Role.REVIEWER), Action.APPROVE)
