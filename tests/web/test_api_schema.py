"""schemathesis against /api/v1/openapi.json in-process: no server errors, no schema-breaking answers."""

from collections.abc import Callable

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from claims.models import Article, User

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(app: Flask, sample_article: Article) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def auth_headers(token_for: Callable[[User], dict[str, str]], editor: User) -> dict[str, str]:
    return token_for(editor)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_matches_its_openapi_document(case: schemathesis.Case, auth_headers: dict[str, str]) -> None:
    # A well-formed request can still be refused for the claim's state (propose without evidence: 422),
    # so "schema-valid data is accepted" does not hold for a workflow API; every other check runs.
    case.call_and_validate(headers=auth_headers, excluded_checks=[positive_data_acceptance])


@pytest.fixture
def admin_headers(token_for: Callable[[User], dict[str, str]], admin: User) -> dict[str, str]:
    return token_for(admin)


@schema.include(path="/factchecks").parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_fact_check_import_answers_any_body_as_documented(
    case: schemathesis.Case, admin_headers: dict[str, str]
) -> None:
    # As an admin, so the bodies reach the ClaimReview reader: odd JSON is a bad record (422), never a 500.
    case.call_and_validate(headers=admin_headers, excluded_checks=[positive_data_acceptance])
