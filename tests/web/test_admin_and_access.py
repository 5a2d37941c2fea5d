"""Who reaches what: every route is closed to anonymous visitors, admin pages to non-admins."""

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.models import Article, Role, Status, User
from tests.web.conftest import csrf_token

# Published fact-checks and their ClaimReview feed are for everyone; nothing else is.
PUBLIC_ENDPOINTS = {
    "auth.login",
    "static",
    "public.fact_check",
    "public.claimreview_feed",
    "api.openapi",
    "public.health",
}


def concrete_url(rule: str) -> str:
    """A URL for a rule, with every <converter:name> replaced by 1."""
    parts = rule.split("<")
    return parts[0] + "".join("1" + part.split(">", 1)[1] for part in parts[1:])


def test_every_route_refuses_anonymous_visitors(app: Flask, client: FlaskClient) -> None:
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = concrete_url(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method)
            refused = response.status_code in {400, 401, 403} or (
                response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
            )
            assert refused, f"{method} {url} answered {response.status_code} to an anonymous visitor"


@pytest.mark.parametrize("path", ["/admin/users"])
def test_reviewers_and_editors_cannot_reach_user_admin(
    sign_in: Callable[[User], FlaskClient], make_user: Callable[..., User], path: str
) -> None:
    for role in (Role.REVIEWER, Role.EDITOR):
        client = sign_in(make_user(role))
        assert client.get(path).status_code == 403, role
        client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})


@pytest.mark.parametrize(
    ("role", "move", "status", "allowed"),
    [
        (Role.REVIEWER, "triage", Status.UNREVIEWED, True),
        (Role.REVIEWER, "approve", Status.AWAITING_APPROVAL, False),
        (Role.REVIEWER, "reopen", Status.PUBLISHED, False),
        (Role.EDITOR, "approve", Status.AWAITING_APPROVAL, True),
        (Role.EDITOR, "reopen", Status.PUBLISHED, True),
        (Role.ADMIN, "reopen", Status.PUBLISHED, True),
    ],
)
def test_the_role_and_action_matrix(
    sign_in: Callable[[User], FlaskClient],
    make_user: Callable[..., User],
    session: Session,
    sample_article: Article,
    role: Role,
    move: str,
    status: Status,
    allowed: bool,
) -> None:
    claim = sample_article.claims[0]
    claim.status = status
    session.flush()
    client = sign_in(make_user(role))

    response = client.post(
        f"/claims/{claim.id}/move/{move}",
        data={"version": claim.version, "csrf_token": csrf_token(client, f"/claims/{claim.id}")},
    )

    assert response.status_code == (302 if allowed else 403)


def test_an_admin_creates_a_user_changes_the_role_and_deactivates_them(
    sign_in: Callable[[User], FlaskClient], admin: User, session: Session
) -> None:
    client = sign_in(admin)

    created = client.post(
        "/admin/users",
        data={
            "email": "New.Reviewer@Example.org",
            "display_name": "New Reviewer",
            "role": "reviewer",
            "password": "a long enough password",
            "csrf_token": csrf_token(client, "/admin/users"),
        },
    )
    user = session.scalars(select(User).where(User.email == "new.reviewer@example.org")).one()
    client.post(
        f"/admin/users/{user.id}/role",
        data={"role": "editor", "csrf_token": csrf_token(client, "/admin/users")},
    )
    client.post(
        f"/admin/users/{user.id}/active",
        data={"is_active": "0", "csrf_token": csrf_token(client, "/admin/users")},
    )

    assert created.status_code == 302
    session.refresh(user)
    assert (user.role, user.is_active) == (Role.EDITOR, False)


def test_a_duplicate_email_is_explained_and_the_form_kept(
    sign_in: Callable[[User], FlaskClient], admin: User, reviewer: User
) -> None:
    client = sign_in(admin)

    response = client.post(
        "/admin/users",
        data={
            "email": reviewer.email,
            "display_name": "Again",
            "role": "reviewer",
            "password": "a long enough password",
            "csrf_token": csrf_token(client, "/admin/users"),
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"A user with email {reviewer.email} already exists" in page
    assert 'value="Again"' in page


def test_an_unknown_claim_shows_the_404_page(reviewer_client: FlaskClient) -> None:
    response = reviewer_client.get("/claims/987654")

    assert response.status_code == 404
    assert "There is nothing at this address" in response.get_data(as_text=True)


# Every endpoint of the app, with who may use it. A route added without an entry here fails
# `test_every_endpoint_has_a_declared_audience`, so nobody adds a page without deciding who sees it.
SIGNED_IN = "any signed-in user"
BY_ACTION = "depends on the action; see test_the_role_and_action_matrix"
ACCESS = {
    **dict.fromkeys(PUBLIC_ENDPOINTS, "public"),
    **dict.fromkeys(
        [
            "admin.users",
            "admin.create_user",
            "admin.change_role",
            "admin.set_active",
            "admin.settings",
            "admin.fact_checks",
            "api.import_factchecks",
        ],
        "admin",
    ),
    "claims.send_back": "editor",
    "claims.move": BY_ACTION,
    "api.transition": BY_ACTION,
    "jobs.start": BY_ACTION,  # each kind of job names the action it needs (claims.jobs.registry)
    **dict.fromkeys(
        [
            "account.create",
            "account.revoke",
            "account.tokens",
            "activity.article_history",
            "activity.desk",
            "api.create_article",
            "api.create_articles",
            "api.create_evidence",
            "api.get_article",
            "api.get_claim",
            "api.get_facts",
            "api.get_history",
            "api.get_job",
            "api.get_similar",
            "api.get_similar_claims",
            "api.list_articles",
            "api.list_claims",
            "api.put_verdict",
            "articles.add_from_selection",
            "articles.import_form",
            "articles.index",
            "articles.merge",
            "articles.show",
            "auth.logout",
            "claims.add_evidence",
            "claims.add_source",
            "claims.assign",
            "claims.comment",
            "claims.decide_match",
            "claims.edit",
            "claims.propose",
            "claims.retract_evidence",
            "claims.show",
            "claims.split",
            "jobs.bulk_import_form",
            "jobs.index",
            "jobs.progress",
            "jobs.retry_job",
            "jobs.show",
            "queue.bulk_triage",
            "queue.index",
            "snapshots.raw",
            "snapshots.show",
        ],
        SIGNED_IN,
    ),
}


def test_every_endpoint_has_a_declared_audience(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}

    assert endpoints - ACCESS.keys() == set(), "declare who may use these new endpoints in ACCESS"
    assert ACCESS.keys() - endpoints == set(), "these endpoints no longer exist"


def test_reviewers_are_refused_every_editor_and_admin_endpoint(
    app: Flask, sign_in: Callable[[User], FlaskClient], reviewer: User, sample_article: Article
) -> None:
    client = sign_in(reviewer)
    token = csrf_token(client, "/")
    rules = [rule for rule in app.url_map.iter_rules() if ACCESS[rule.endpoint] in {"editor", "admin"}]

    for rule in rules:
        url = concrete_url(rule.rule).replace("/claims/1/", f"/claims/{sample_article.claims[0].id}/")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            data = {"csrf_token": token, "comment": "why", "role": "admin", "email": "x@example.org"}
            response = client.open(url, method=method, data=data if method == "POST" else None)
            assert response.status_code == 403, (
                f"{method} {url} answered {response.status_code} to a reviewer"
            )
