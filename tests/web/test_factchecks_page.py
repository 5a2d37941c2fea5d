"""The admins' fact-check import page: an uploaded ClaimReview file, clear errors, nothing half-written."""

import io
import json
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.models import AuditEvent, FactCheck, User
from tests.web.conftest import csrf_token

REVIEW = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/springfield-jobs",
    "claimReviewed": "Unemployment in Springfield fell to 3.2 percent in 2023, the mayor claims.",
    "author": {"name": "Example Checks"},
    "reviewRating": {"alternateName": "Mostly true"},
}


def upload(client: FlaskClient, content: bytes, name: str = "reviews.jsonl", skip_bad: bool = False):
    data = {"csrf_token": csrf_token(client, "/admin/factchecks"), "upload": (io.BytesIO(content), name)}
    if skip_bad:
        data["skip_bad"] = "y"
    return client.post("/admin/factchecks", data=data, content_type="multipart/form-data")


def fact_checks(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(FactCheck))


def test_an_admin_uploads_claimreview_and_sees_what_came_in(
    sign_in: Callable[[User], FlaskClient], admin: User, session: Session
) -> None:
    client = sign_in(admin)

    answer = upload(client, json.dumps([REVIEW]).encode(), "reviews.json")

    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "1 fact-check(s) added, 0 updated" in page
    assert fact_checks(session) == 1
    assert session.scalar(select(func.count()).where(AuditEvent.action == "fact_check.imported")) == 1


def test_a_bad_record_names_its_line_and_writes_nothing_unless_skipped(
    sign_in: Callable[[User], FlaskClient], admin: User, session: Session
) -> None:
    client = sign_in(admin)
    lines = "\n".join(
        [json.dumps(REVIEW), json.dumps({**REVIEW, "url": "https://x.example/2", "claimReviewed": ""})]
    )

    refused = upload(client, lines.encode())
    written = fact_checks(session)
    skipped = upload(client, lines.encode(), skip_bad=True)

    assert refused.status_code == 422 and "Nothing was imported: line 2: claimReviewed" in refused.get_data(
        as_text=True
    )
    assert written == 0
    assert skipped.status_code == 200 and "Line 2: claimReviewed" in skipped.get_data(as_text=True)
    assert fact_checks(session) == 1


def test_odd_uploads_are_refused_clearly(
    sign_in: Callable[[User], FlaskClient], admin: User, session: Session
) -> None:
    client = sign_in(admin)

    nothing = client.post("/admin/factchecks", data={"csrf_token": csrf_token(client, "/admin/factchecks")})
    empty = upload(client, b"")
    binary = upload(client, b"\x00\x01")
    latin1 = upload(client, '{"claimReviewed": "caf\xe9"}'.encode("latin-1"))

    assert [r.status_code for r in (nothing, empty, binary, latin1)] == [422] * 4
    assert "choose a claimreview file" in nothing.get_data(as_text=True).lower()
    assert "is empty" in empty.get_data(as_text=True) and "binary" in binary.get_data(as_text=True)
    assert "not UTF-8" in latin1.get_data(as_text=True) and fact_checks(session) == 0


def test_only_admins_reach_the_page(reviewer_client: FlaskClient) -> None:
    assert reviewer_client.get("/admin/factchecks").status_code == 403
