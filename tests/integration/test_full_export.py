"""Full export → import restores everything: round trips are byte-identical, across databases too."""

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims import audit, schema, workflow
from claims.checkworthiness.rules import RuleScorer
from claims.config import load_settings
from claims.db import make_engine, make_session_factory
from claims.desk import change_settings
from claims.export.full import ImportRefused, export_lines, import_file
from claims.ingest.readers import ArticleDraft
from claims.models import Article, Claim, User
from claims.passwords import check_password
from claims.services.articles import import_article
from claims.services.claims import add_source
from claims.services.comments import add_comment
from claims.services.evidence import add_evidence, retract_evidence
from claims.services.users import create_user, set_password
from tests.conftest import SAMPLE_ARTICLE, TEST_PASSWORD, THRESHOLD
from tests.databases import empty_database, postgres_database


def build_desk(session: Session) -> None:
    reviewer = create_user(session, None, email="r@example.org", role="reviewer", password=TEST_PASSWORD)
    editor = create_user(session, None, email="e@example.org", role="editor", password=TEST_PASSWORD)
    article = import_article(
        session,
        reviewer,
        ArticleDraft(
            text=SAMPLE_ARTICLE.read_text(),
            title="Trump in Japan",
            publisher="Sample Wire",
            url="https://news.example.org/trump-japan",
        ),
        RuleScorer(),
        THRESHOLD,
    ).article
    claim = next(c for c in article.claims if "465 votes" in c.sentence)
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    wrong = add_evidence(
        session, reviewer, claim.id, url="https://example.org/x", title="Wrong", stance="refutes"
    )
    retract_evidence(session, reviewer, wrong.id, "Wrong document")
    add_evidence(
        session,
        reviewer,
        claim.id,
        url="https://www.shugiin.go.jp/",
        title="Record",
        stance="supports",
        excerpt="237 of 465 — “votes”",
    )
    add_source(
        session,
        reviewer,
        claim.id,
        name="Kyodo News",
        url="https://english.kyodonews.net/",
        source_type="news_agency",
    )
    add_comment(session, editor, claim.id, "Ünïcode and emoji 🗳 survive")
    workflow.propose_verdict(session, reviewer, claim.id, "Mostly true", "The record shows it.")
    workflow.approve(session, editor, claim.id)
    admin = create_user(session, None, email="a@example.org", role="admin", password=TEST_PASSWORD)
    change_settings(
        session, admin, load_settings(), {"organisation_name": "Sample Desk", "checkworthy_threshold": 0.6}
    )
    session.commit()


@contextmanager
def session_on(url: str) -> Iterator[Session]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def export_text(url: str) -> str:
    with session_on(url) as session:
        return "".join(export_lines(session))


def import_text(url: str, text: str) -> dict[str, int]:
    with session_on(url) as session:
        counts = import_file(session, io.StringIO(text))
        session.commit()
        return counts


def verify(url: str) -> audit.VerifyResult:
    with session_on(url) as session:
        return audit.verify(session)


@pytest.fixture
def desk_url(tmp_path: Path) -> Iterator[str]:
    with empty_database("sqlite", tmp_path) as url:
        schema.upgrade(url)
        with session_on(url) as session:
            build_desk(session)
        yield url


def test_a_round_trip_sqlite_to_postgresql_and_back_is_identical(desk_url: str, tmp_path: Path) -> None:
    original = export_text(desk_url)

    with postgres_database() as postgres_url:
        schema.upgrade(postgres_url)
        counts = import_text(postgres_url, original)
        from_postgres = export_text(postgres_url)
        assert verify(postgres_url).ok
    with empty_database("sqlite", tmp_path) as back_url:
        schema.upgrade(back_url)
        import_text(back_url, from_postgres)
        back_again = export_text(back_url)

    assert from_postgres == original
    assert back_again == original
    assert counts["claims"] == 27 and counts["evidence"] == 2 and counts["audit_events"] > 30
    assert counts["settings"] == 2
    assert verify(back_url).ok


def test_the_export_holds_no_password_hashes(desk_url: str) -> None:
    text = export_text(desk_url)

    assert "password_hash" not in text and "scrypt$" not in text


def test_imported_users_must_set_a_password_before_signing_in(desk_url: str, empty_database_url: str) -> None:
    schema.upgrade(empty_database_url)
    import_text(empty_database_url, export_text(desk_url))
    with session_on(empty_database_url) as session:
        user = session.scalars(select(User).where(User.email == "r@example.org")).one()
        assert not check_password(user.password_hash, TEST_PASSWORD)
        set_password(session, None, email="r@example.org", password="a brand new password")
        assert check_password(user.password_hash, "a brand new password")
        new_user = create_user(
            session, None, email="new@example.org", role="reviewer", password=TEST_PASSWORD
        )
        assert new_user.id > user.id  # the id sequences were moved past the imported rows
        session.commit()
        assert audit.verify(session).ok


def test_import_refuses_a_database_that_is_not_empty(desk_url: str) -> None:
    with pytest.raises(ImportRefused, match="database: is not empty"):
        import_text(desk_url, export_text(desk_url))


def tampered(text: str, table: str, change: dict[str, object], nth: int = 0) -> str:
    lines = text.splitlines(keepends=True)
    matching = [i for i, line in enumerate(lines) if json.loads(line).get("table") == table]
    record = json.loads(lines[matching[nth]])
    record["row"].update(change)
    lines[matching[nth]] = json.dumps(record, ensure_ascii=False) + "\n"
    return "".join(lines)


@pytest.mark.parametrize(
    ("table", "change", "message"),
    [
        ("claims", {"start": 3}, r"\(claims \d+\): its span does not match the article text"),
        ("claims", {"score": "high"}, r"\(claims \d+\): field 'score' must be a number"),
        ("claims", {"colour": "red"}, r"\(claims \d+\): unknown field\(s\) colour"),
        (
            "evidence",
            {"claim_id": 999},
            r"\(evidence \d+\): field 'claim_id' refers to claims 999, which is not in the file",
        ),
        ("articles", {"body": None}, r"\(articles \d+\): field 'body' is required"),
        ("comments", {"body": "nul \u0000 byte"}, r"field 'body' contains a NUL character"),
        ("audit_events", {"action": "claim.forged"}, r"audit event #\d+: the audit record does not verify"),
    ],
)
def test_an_invalid_file_is_refused_naming_the_record_and_field_and_nothing_is_written(
    desk_url: str, empty_database_url: str, table: str, change: dict[str, object], message: str
) -> None:
    schema.upgrade(empty_database_url)
    text = tampered(export_text(desk_url), table, change, nth=5 if table == "audit_events" else 0)

    with pytest.raises(ImportRefused, match=message):
        import_text(empty_database_url, text)

    with session_on(empty_database_url) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 0
        assert session.scalar(select(func.count()).select_from(Claim)) == 0


def test_a_file_that_is_not_an_export_is_refused(empty_database_url: str) -> None:
    schema.upgrade(empty_database_url)

    with pytest.raises(ImportRefused, match="line 1: not a claimtrack export"):
        import_text(empty_database_url, '{"hello": "world"}\n')
    with pytest.raises(ImportRefused, match="line 1: export version 9 is not supported"):
        import_text(empty_database_url, '{"format": "claimtrack-export", "version": 9}\n')
