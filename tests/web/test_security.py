"""Security: headers, no inline script, sign-in limits, sessions that really end, and escaping."""

import os
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limits.errors import StorageError
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from claims.models import Article, Claim, User
from tests.conftest import TEST_PASSWORD
from tests.web.conftest import RecordingRunner, csrf_token

TEMPLATES = Path(__file__).parents[2] / "app" / "templates"
XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</textarea><svg onload=alert(1)>"]


@pytest.mark.parametrize(
    "path", ["/sign-in", "/", "/api/v1/openapi.json", "/static/claimtrack.css", "/nowhere"]
)
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    response.close()  # static files are streamed from disk
    headers = response.headers

    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # plain http: HSTS would be meaningless


def test_hsts_is_sent_over_https(client: FlaskClient) -> None:
    response = client.get("/sign-in", base_url="https://claims.example.org")

    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_template_has_inline_script_or_event_handlers() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script[^>]*>", text):
            assert "src=" in tag or 'type="application/ld+json"' in tag, f"{template.name}: inline {tag}"
        assert not re.search(r"\son[a-z]+=", text), f"{template.name} has an inline event handler"
        assert "style=" not in text, f"{template.name} has an inline style"


@pytest.fixture
def strict_app(connection: object) -> Flask:
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    return create_app(
        {
            "TESTING": True,
            "SESSION_FACTORY": factory,
            "SIGN_IN_LIMIT_PER_ACCOUNT": "3 per minute",
            "SIGN_IN_LIMIT_PER_ADDRESS": "5 per minute",
        }
    )


def attempt(client: FlaskClient, email: str) -> int:
    token = csrf_token(client, "/sign-in")
    return client.post(
        "/sign-in", data={"email": email, "password": "wrong password", "csrf_token": token}
    ).status_code


def test_sign_in_is_limited_per_account(strict_app: Flask, reviewer: User) -> None:
    client = strict_app.test_client()

    statuses = [attempt(client, reviewer.email) for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert attempt(client, "someone.else@example.org") == 200  # another account is not locked out


def test_sign_in_is_limited_per_address(strict_app: Flask) -> None:
    client = strict_app.test_client()

    statuses = [attempt(client, f"user{n}@example.org") for n in range(6)]

    assert statuses[:5] == [200] * 5 and statuses[5] == 429


def test_signing_out_ends_the_session_even_for_a_copied_cookie(
    app: Flask, sign_in: Callable[[User], FlaskClient], reviewer: User
) -> None:
    client = sign_in(reviewer)
    stolen = client.get_cookie("session").value
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})

    thief = app.test_client()
    thief.set_cookie("session", stolen)

    assert thief.get("/").status_code == 302


def test_signing_in_starts_a_fresh_session(client: FlaskClient, reviewer: User) -> None:
    client.get("/sign-in")
    before = client.get_cookie("session").value
    client.post(
        "/sign-in",
        data={
            "email": reviewer.email,
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token(client, "/sign-in"),
        },
    )

    assert client.get_cookie("session").value != before


@pytest.mark.parametrize("payload", XSS)
def test_what_users_type_is_escaped_everywhere_it_is_shown(
    reviewer_client: FlaskClient, session: Session, sample_article: Article, payload: str
) -> None:
    claim = sample_article.claims[0]
    token = csrf_token(reviewer_client, f"/claims/{claim.id}")
    reviewer_client.post(
        f"/claims/{claim.id}/edit",
        data={"version": claim.version, "text": payload, "claimant": payload, "csrf_token": token},
    )
    reviewer_client.post(
        f"/claims/{claim.id}/evidence",
        data={
            "url": "https://example.org/",
            "title": payload,
            "excerpt": payload,
            "note": payload,
            "stance": "context",
            "csrf_token": token,
        },
    )
    reviewer_client.post(f"/claims/{claim.id}/comments", data={"body": payload, "csrf_token": token})
    session.expire_all()

    pages = [
        reviewer_client.get(path).get_data(as_text=True)
        for path in (f"/claims/{claim.id}", f"/articles/{sample_article.id}", "/queue", "/activity")
    ]

    assert session.get(Claim, claim.id).claimant == payload  # stored as typed...
    for page in pages:
        assert payload not in page  # ...and never shown raw
    assert pages[0].count("&lt;") >= 4


@pytest.mark.parametrize(
    ("field_value", "message"),
    [
        ("javascript:alert(1)", "must be an http(s) address"),
        ("https://example.org/\u202egpj.exe", "text-direction control character (U+202E)"),
        ("https://example.org/\x00", "NUL character"),
        ("https://example.org/" + "a" * 3000, "cannot be longer than 2048 characters"),
    ],
)
def test_dangerous_or_oversized_input_is_refused_with_a_clear_message(
    reviewer_client: FlaskClient, sample_article: Article, field_value: str, message: str
) -> None:
    claim = sample_article.claims[0]

    response = reviewer_client.post(
        f"/claims/{claim.id}/evidence",
        data={
            "url": field_value,
            "title": "T",
            "stance": "context",
            "csrf_token": csrf_token(reviewer_client, f"/claims/{claim.id}"),
        },
    )

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_an_article_with_a_direction_override_is_refused(reviewer_client: FlaskClient) -> None:
    response = reviewer_client.post(
        "/articles/import",
        data={
            "text": "The minister said \u202eno\u202c to the plan.",
            "csrf_token": csrf_token(reviewer_client, "/articles/import"),
        },
    )

    assert response.status_code == 422
    assert "text-direction control character (U+202E)" in response.get_data(as_text=True)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.text(max_size=300), title=st.text(max_size=600))
def test_fuzzed_form_input_never_breaks_a_page(
    reviewer_client: FlaskClient, sample_article: Article, body: str, title: str
) -> None:
    claim = sample_article.claims[0]
    token = csrf_token(reviewer_client, f"/claims/{claim.id}")

    comment = reviewer_client.post(f"/claims/{claim.id}/comments", data={"body": body, "csrf_token": token})
    evidence = reviewer_client.post(
        f"/claims/{claim.id}/evidence",
        data={"url": "https://example.org/", "title": title, "stance": "supports", "csrf_token": token},
    )
    page = reviewer_client.get(f"/claims/{claim.id}")

    assert comment.status_code in {302, 422} and evidence.status_code in {302, 422}
    assert page.status_code == 200


def redis_url() -> str:
    url = os.environ.get("CLAIMTRACK_TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CLAIMTRACK_TEST_REDIS_URL must be set in CI")
        pytest.skip(
            "the shared rate-limit test needs CLAIMTRACK_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)"
        )
    return url


def test_two_workers_share_the_sign_in_limit_through_redis(connection: object) -> None:
    email = f"{uuid.uuid4().hex}@example.org"  # counts in Redis outlive the test; start from a fresh account
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    config = {
        "TESTING": True,
        "SESSION_FACTORY": factory,
        "SIGN_IN_LIMIT_PER_ACCOUNT": "3 per minute",
        "RATELIMIT_STORAGE_URI": redis_url(),
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    first_worker, second_worker = create_app(config).test_client(), create_app(config).test_client()

    statuses = [attempt(first_worker, email) for _ in range(2)]
    statuses += [attempt(second_worker, email) for _ in range(2)]

    assert statuses == [200, 200, 200, 429]


def test_an_unexpected_error_shows_a_friendly_500_page_without_internals(
    connection: object, reviewer: User
) -> None:
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    # TESTING off starts the job thread at once; the recording runner keeps it off the test's connection.
    app = create_app({"TESTING": False, "SESSION_FACTORY": factory, "JOB_RUNNER": RecordingRunner()})

    def broken() -> str:
        raise RuntimeError("secret internals: /etc/passwd")

    app.view_functions["queue.index"] = broken
    client = app.test_client()
    client.post(
        "/sign-in",
        data={
            "email": reviewer.email,
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token(client, "/sign-in"),
        },
    )

    response = client.get("/queue")

    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and "secret internals" not in page


def unreachable_limits_app(connection: object) -> Flask:
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    return create_app(
        {"TESTING": True, "SESSION_FACTORY": factory, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}
    )


def test_with_the_limit_store_unreachable_sign_in_answers_a_clear_503_and_logs_it(
    connection: object, reviewer: User, caplog: pytest.LogCaptureFixture
) -> None:
    client = unreachable_limits_app(connection).test_client()
    token = csrf_token(client, "/sign-in")

    response = client.post(
        "/sign-in", data={"email": reviewer.email, "password": TEST_PASSWORD, "csrf_token": token}
    )

    assert response.status_code == 503
    assert "Signing in is unavailable for a moment" in response.get_data(as_text=True)
    assert "rate-limit storage unreachable" in caplog.text
    assert client.get("/").status_code == 302  # not signed in


def test_with_the_limit_store_unreachable_the_api_answers_json_503(connection: object) -> None:
    app = unreachable_limits_app(connection)

    def limited() -> str:  # no API route is rate-limited today; one that is would fail like this
        raise StorageError(ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused."))

    app.view_functions["api.openapi"] = limited

    response = app.test_client().get("/api/v1/openapi.json")

    assert response.status_code == 503
    assert response.json["error"]["code"] == "unavailable"
    assert "cannot be reached" in response.json["error"]["message"]


def test_successful_sign_ins_do_not_count_toward_the_account_lockout(
    strict_app: Flask, reviewer: User
) -> None:
    devices = [strict_app.test_client() for _ in range(4)]

    signed_in = [
        device.post(
            "/sign-in",
            data={
                "email": reviewer.email,
                "password": TEST_PASSWORD,
                "csrf_token": csrf_token(device, "/sign-in"),
            },
        ).status_code
        for device in devices
    ]
    failures = [attempt(devices[0], reviewer.email) for _ in range(4)]

    assert signed_in == [302, 302, 302, 302]
    assert failures == [200, 200, 200, 429]
