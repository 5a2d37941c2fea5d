"""Odd input on every endpoint: each is refused with a 4xx and a message, never a server error.

The app runs with TESTING=True, so a server error would surface here as the exception itself.
"""

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from claims.models import Article, Role, User

SUPERSCRIPT_TWO = "²"  # str.isdigit() says yes, int() says no
BEYOND_ID = str(2**31)
CURSOR_SORTS = ("score", "newest", "changed")

ODD_QUERIES: list[dict[str, str]] = [
    *({name: SUPERSCRIPT_TWO} for name in ("limit", "after", "before", "article", "assignee", "user")),
    *({name: BEYOND_ID} for name in ("limit", "after", "before", "article", "assignee", "user")),
    {"article": "1" * 25},
    *({"sort": sort, "after": f"0.5~{BEYOND_ID}"} for sort in CURSOR_SORTS),
    {"sort": "newest", "after": "2025-01-01T00:00:00~1"},  # a naive cursor date
    {"sort": "newest", "after": "0001-01-01T00:00:00+05:00~1"},
    {"sort": "changed", "after": "9999-12-31T23:59:59-05:00~1"},
    {"sort": "score", "after": "nan~1"},
    {"as_of": "0001-01-01T00:00:00+05:00"},
    {"as_of": "9999-12-31T23:59:59-05:00"},
    {"since": "0001-01-01", "until": "9999-12-31"},
    {"since": "2025-02-30"},
    {"q": "votes\x00"},
    {"next": "/queue\r\nSet-Cookie: stolen=1"},
    {"status": "published\r\n"},
]


def path_for(rule: Rule, ids: dict[str, object]) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<int:{name}>", str(ids[name])).replace(f"<{name}>", str(ids[name]))
    return path


def routes(app: Flask) -> Iterator[tuple[str, Rule]]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield method, rule


@pytest.fixture
def ids(sample_article: Article, make_user: Callable[..., User]) -> dict[str, object]:
    return {
        "claim_id": sample_article.claims[0].id,
        "article_id": sample_article.id,
        "evidence_id": 1,
        "snapshot_id": 1,
        "user_id": make_user(Role.REVIEWER).id,
        "token_id": 1,
        "job_id": 1,
        "move": "triage",
    }


@pytest.fixture
def admin_client(sign_in: Callable[[User], FlaskClient], admin: User) -> FlaskClient:
    return sign_in(admin)


def test_odd_query_strings_never_cause_a_server_error_on_any_endpoint(
    app: Flask, admin_client: FlaskClient, ids: dict[str, object]
) -> None:
    anonymous = app.test_client()
    for method, rule in routes(app):
        for query in ODD_QUERIES:
            for client in (admin_client, anonymous):
                response = client.open(path_for(rule, ids), method=method, query_string=query)
                assert response.status_code < 500, (method, rule.rule, query)


@pytest.mark.parametrize(
    ("path", "query", "message"),
    [
        (
            "/queue",
            {"article": SUPERSCRIPT_TWO},
            "Article must be a whole number written with the digits 0-9",
        ),
        ("/queue", {"assignee": BEYOND_ID}, f"Assignee must be between 1 and 2147483647, got {BEYOND_ID}"),
        ("/queue", {"sort": "newest", "after": "0001-01-01T00:00:00+05:00~1"}, "The page link is not valid"),
        ("/queue", {"after": f"0.5~{BEYOND_ID}"}, "The page link is not valid"),
        ("/activity", {"since": "0001-01-01"}, "Start date must be between 1900-01-01 and 2999-12-31"),
        ("/activity", {"until": "9999-12-31"}, "End date must be between 1900-01-01 and 2999-12-31"),
        ("/activity", {"before": SUPERSCRIPT_TWO}, "Page link must be a whole number"),
        ("/queue", {"q": "votes\x00"}, "Search text contains a control character (NUL, CR or LF)"),
        ("/sign-in", {"next": "/\r\nSet-Cookie: x=1"}, "Return address contains a control character"),
    ],
)
def test_an_odd_value_in_a_page_address_is_a_400_that_names_it(
    admin_client: FlaskClient, path: str, query: dict[str, str], message: str
) -> None:
    response = admin_client.get(path, query_string=query)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")


def test_an_extreme_as_of_on_a_claim_page_is_a_400_that_names_it(
    admin_client: FlaskClient, ids: dict[str, object]
) -> None:
    response = admin_client.get(
        f"/claims/{ids['claim_id']}", query_string={"as_of": "9999-12-31T23:59-05:00"}
    )

    assert response.status_code == 400
    assert "Date must be between 1900-01-01 and 2999-12-31" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": SUPERSCRIPT_TWO}, "limit"),
        ({"article": BEYOND_ID}, "article"),
        ({"after": "2025-01-01T00:00:00~99999999999", "sort": "newest"}, "after"),
        ({"after": "0001-01-01T00:00:00+05:00~1", "sort": "changed"}, "after"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_the_api_answers_an_odd_query_with_a_422_naming_the_parameter(
    client: FlaskClient, token_for: Callable[[User], dict[str, str]], admin: User, query: dict, field: str
) -> None:
    response = client.get("/api/v1/claims", query_string=query, headers=token_for(admin))

    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


DEEP_JSON = b"[" * 100_000 + b"]" * 100_000
LONE_SURROGATE = b'{"text": "The vote was \\ud800 close.", "title": "x", "url": "https://a.example/", '
LONE_SURROGATE += b'"stance": "supports", "action": "triage", "verdict": "True", "rationale": "r"}'


@pytest.mark.parametrize(
    ("body", "message"), [(DEEP_JSON, "nested too deeply"), (LONE_SURROGATE, "surrogate")]
)
def test_every_api_write_refuses_deep_or_non_text_json_with_a_400(
    app: Flask,
    client: FlaskClient,
    token_for: Callable[[User], dict[str, str]],
    admin: User,
    ids: dict[str, object],
    body: bytes,
    message: str,
) -> None:
    headers = {**token_for(admin), "Content-Type": "application/json"}
    writes = [(m, r) for m, r in routes(app) if r.rule.startswith("/api/") and m in {"POST", "PUT"}]
    assert len(writes) == 6
    for method, rule in writes:
        response = client.open(path_for(rule, ids), method=method, data=body, headers=headers)

        assert response.status_code == 400, (rule.rule, response.get_json())
        assert message in response.get_json()["error"]["message"]


def test_a_nul_in_the_sign_in_email_is_an_ordinary_failed_sign_in(client: FlaskClient, admin: User) -> None:
    from tests.conftest import TEST_PASSWORD
    from tests.web.conftest import csrf_token

    response = client.post(
        "/sign-in",
        data={
            "email": admin.email + "\x00",
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token(client, "/sign-in"),
        },
    )

    assert response.status_code == 200
    assert "Email or password is not right." in response.get_data(as_text=True)


def test_a_superscript_digit_in_a_merge_is_a_400(admin_client: FlaskClient, ids: dict[str, object]) -> None:
    from tests.web.conftest import csrf_token

    article = ids["article_id"]
    response = admin_client.post(
        f"/articles/{article}/merge",
        data={
            "claim_ids": [str(ids["claim_id"]), SUPERSCRIPT_TWO],
            "csrf_token": csrf_token(admin_client, f"/articles/{article}"),
        },
    )

    assert response.status_code == 400
    assert "Claim ids must be a whole number" in response.get_data(as_text=True)
