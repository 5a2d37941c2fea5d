"""`claimtrack evidence recheck` against a database of its own and the local page server."""

from __future__ import annotations

import pytest

from claims.db import make_engine, make_session_factory
from claims.services.evidence import add_evidence
from claims.services.users import create_user
from tests.conftest import SAMPLE_ARTICLE
from tests.integration.test_cli import cli  # noqa: F401 - the fixture
from tests.pageserver import ARTICLE, PageServer


def test_recheck_archives_then_marks_a_changed_page_and_audit_verify_agrees(
    cli,  # noqa: F811 - the fixture imported above
    empty_database_url: str,
    pages: PageServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLAIMTRACK_FETCH_ALLOW", "127.0.0.1")
    cli("ingest", str(SAMPLE_ARTICLE))
    pages.html("/accounts", ARTICLE)
    url = f"http://127.0.0.1:{pages.port}/accounts"
    engine = make_engine(empty_database_url)
    with make_session_factory(engine)() as session:
        reviewer = create_user(
            session, None, email="r@example.org", role="reviewer", password="long enough pw"
        )
        add_evidence(session, reviewer, 1, url=url, title="Accounts", stance="supports")
        add_evidence(session, reviewer, 2, url="http://vanished.invalid/", title="Gone", stance="context")
        session.commit()
    engine.dispose()

    first = cli("evidence", "recheck")
    pages.html("/accounts", ARTICLE.replace("spent 3 million", "spent 30 million"))
    second = cli("evidence", "recheck", "--claim", "1")

    assert first.exit_code == 0, first.output
    assert f"evidence 1 ({url}): archived now (it had no snapshot)" in first.output
    assert (
        "evidence 2 (http://vanished.invalid/): gone: the name 'vanished.invalid' could not be resolved"
        in (first.output)
    )
    assert first.output.strip().endswith("Rechecked 2 cited page(s): 1 archived, 1 gone.")
    assert f"evidence 1 ({url}): changed since cited (1 words removed, 1 added)" in second.output
    assert second.output.strip().endswith("Rechecked 1 cited page(s): 1 changed.")
    assert cli("audit", "verify").output.startswith("ok: ")
