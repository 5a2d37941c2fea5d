"""`claimtrack evidence recheck` and `evidence warc` against a database of its own and the local page
server."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from claims.db import make_engine, make_session_factory
from claims.services.evidence import add_evidence
from claims.services.users import create_user
from tests.conftest import SAMPLE_ARTICLE
from tests.integration.test_cli import cli  # noqa: F401 - the fixture
from tests.pageserver import ARTICLE, PageServer


def test_recheck_archives_then_marks_a_changed_page_audit_verify_agrees_and_warc_holds_the_pages(
    cli,  # noqa: F811 - the fixture imported above
    empty_database_url: str,
    pages: PageServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
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

    warc = tmp_path / "snapshots.warc.gz"
    written = cli("evidence", "warc", str(warc))

    assert written.output.strip() == f"Wrote 2 snapshot(s) to {warc}."
    with warc.open("rb") as stream:
        records = [
            (
                record.rec_type,
                record.rec_headers.get_header("WARC-Target-URI"),
                record.http_headers.get_statuscode() if record.http_headers else None,
                record.rec_headers.get_header("WARC-Claimtrack-Body-SHA256"),
                record.content_stream().read(),
            )
            for record in ArchiveIterator(stream)
        ]
    assert [record[:2] for record in records] == [("warcinfo", None), ("response", url), ("response", url)]
    archived_page = (200, hashlib.sha256(ARTICLE.encode()).hexdigest(), ARTICLE.encode())
    assert (int(records[1][2]), *records[1][3:]) == archived_page
