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
from claims.matching import links
from claims.matching.factchecks import import_fact_checks
from claims.models import Article, Claim, Status, User
from claims.passwords import check_password
from claims.replay import verify_database
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
    workflow.propose_verdict(
        session,
        reviewer,
        claim.id,
        "Mostly true",
        "The record shows it.",
        claim_as_reviewed="Sanae Takaichi won 237 of 465 votes.",
    )
    workflow.approve(session, editor, claim.id)
    admin = create_user(session, None, email="a@example.org", role="admin", password=TEST_PASSWORD)
    change_settings(
        session, admin, load_settings(), {"organisation_name": "Sample Desk", "checkworthy_threshold": 0.6}
    )
    import_fact_checks(session, admin, json.dumps(FACT_CHECK))
    other = next(c for c in article.claims if c.status == Status.UNREVIEWED)
    links.decide(session, reviewer, other.id, "factcheck", 1, links.Decision.SAME, 0.81)
    session.commit()


FACT_CHECK = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/takaichi-votes",
    "claimReviewed": "Takaichi won 237 of 465 votes in the lower house.",
    "author": {"name": "Example Checks"},
    "reviewRating": {"alternateName": "True", "ratingValue": 5},
    "itemReviewed": {"appearance": [{"url": "https://social.example.com/p/1"}]},
}


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
        ("comments", {"body": "nul \u0000 byte"}, r"line \d+: contains a NUL character"),
        (
            "audit_events",
            {"action": "claim.forged"},
            r"\(audit_events \d+\): the audit record does not verify",
        ),
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


def edited(text: str, table: str, match: dict[str, object], change: dict[str, object]) -> str:
    """The export with the first `table` row matching `match` changed, as someone editing the file would."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        record = json.loads(line)
        if record.get("table") == table and match.items() <= record["row"].items():
            record["row"].update(change)
            lines[index] = json.dumps(record, ensure_ascii=False) + "\n"
            return "".join(lines)
    raise AssertionError(f"no {table} row matches {match}")


def recounted(lines: list[str]) -> str:
    """The lines with the trailer's counts made to agree with them: a careful forger's file."""
    records = [json.loads(line) for line in lines]
    counts = records[-1]["trailer"]["counts"]
    for name in counts:
        counts[name] = sum(1 for record in records if record.get("table") == name)
    return "".join(lines[:-1]) + json.dumps(records[-1]) + "\n"


def assert_refused_and_nothing_written(url: str, text: str, message: str) -> None:
    with pytest.raises(ImportRefused, match=message):
        import_text(url, text)
    with session_on(url) as session:
        for model in (User, Article, Claim):
            assert session.scalar(select(func.count()).select_from(model)) == 0


@pytest.mark.parametrize(
    ("table", "match", "change", "message"),
    [
        pytest.param(
            "claims",
            {"status": "published"},
            {"verdict": "False"},
            r"line \d+ \(claims \d+\): verdict is 'False' in the file, 'Mostly true' in its history",
            id="published verdict",
        ),
        pytest.param(
            "claims",
            {"status": "published"},
            {"text": "Something else"},
            r"line \d+ \(claims \d+\): text is 'Something else' in the file, '.+' in its history",
            id="published text",
        ),
        pytest.param(
            "claims",
            {"status": "unreviewed"},
            {"status": "published"},
            r"line \d+ \(claims \d+\): status is 'published' in the file, 'unreviewed' in its history",
            id="unreviewed set to published",
        ),
        pytest.param(
            "evidence",
            {"title": "Record"},
            {"url": "https://evil.example/"},
            r"line \d+ \(evidence \d+\): url is 'https://evil.example/' in the file",
            id="evidence url",
        ),
        pytest.param(
            "users",
            {"email": "r@example.org"},
            {"role": "admin"},
            r"line \d+ \(users \d+\): role is 'admin' in the file, 'reviewer' in its history",
            id="reviewer promoted to admin",
        ),
        pytest.param(
            "settings",
            {"key": "organisation_name"},
            {"value": "Another Desk"},
            r"line \d+ \(settings\): value is 'Another Desk' in the file, 'Sample Desk' in its history",
            id="setting",
        ),
    ],
)
def test_an_edited_export_is_refused_naming_the_line_and_field(
    desk_url: str,
    empty_database_url: str,
    table: str,
    match: dict[str, object],
    change: dict[str, object],
    message: str,
) -> None:
    schema.upgrade(empty_database_url)

    assert_refused_and_nothing_written(
        empty_database_url, edited(export_text(desk_url), table, match, change), message
    )


def test_a_deleted_evidence_line_is_refused_even_with_the_trailer_recounted(
    desk_url: str, empty_database_url: str
) -> None:
    schema.upgrade(empty_database_url)
    lines = export_text(desk_url).splitlines(keepends=True)
    evidence = [i for i, line in enumerate(lines) if json.loads(line).get("table") == "evidence"]
    without = lines[: evidence[0]] + lines[evidence[0] + 1 :]

    assert_refused_and_nothing_written(
        empty_database_url, "".join(without), r"\(trailer\): the file has 1 evidence rows, the trailer says 2"
    )
    assert_refused_and_nothing_written(
        empty_database_url, recounted(without), r"evidence \d+: is in its history but not in the file"
    )


def test_reordered_records_are_refused_at_the_line_out_of_place(
    desk_url: str, empty_database_url: str
) -> None:
    schema.upgrade(empty_database_url)
    lines = export_text(desk_url).splitlines(keepends=True)

    def swapped(table: str) -> str:
        first, second = [i for i, line in enumerate(lines) if json.loads(line).get("table") == table][3:5]
        copy = list(lines)
        copy[first], copy[second] = copy[second], copy[first]
        return "".join(copy)

    assert_refused_and_nothing_written(
        empty_database_url, swapped("claims"), r"line \d+ \(claims \d+\): claims rows are out of order"
    )
    assert_refused_and_nothing_written(
        empty_database_url,
        swapped("audit_events"),
        r"line \d+ \(audit_events \d+\): the audit record does not verify: event #4 is missing",
    )


@pytest.mark.parametrize("dropped", [1, 2, 3])
def test_a_cut_short_export_is_refused(desk_url: str, empty_database_url: str, dropped: int) -> None:
    schema.upgrade(empty_database_url)
    lines = export_text(desk_url).splitlines(keepends=True)

    assert_refused_and_nothing_written(
        empty_database_url, "".join(lines[:-dropped]), r"the file ends without its trailer: it was cut short"
    )


def test_a_cut_short_export_with_a_forged_trailer_is_refused(desk_url: str, empty_database_url: str) -> None:
    schema.upgrade(empty_database_url)
    lines = export_text(desk_url).splitlines(keepends=True)
    # Without the last event and the chain head, or without the head alone; trailers recounted to match.
    without_last_event = recounted(lines[:-3] + lines[-1:])
    without_head = recounted(lines[:-2] + lines[-1:])

    assert_refused_and_nothing_written(
        empty_database_url,
        without_last_event,
        r"\(trailer\): the last audit event in the file is not the one the trailer names",
    )
    assert_refused_and_nothing_written(
        empty_database_url,
        without_head,
        r"audit_chain_head: the row naming the newest audit event is missing",
    )


def test_an_export_of_version_1_is_refused_naming_its_version(empty_database_url: str) -> None:
    schema.upgrade(empty_database_url)

    assert_refused_and_nothing_written(
        empty_database_url,
        '{"format": "claimtrack-export", "version": 1}\n',
        r"line 1: export version 1 is not supported: it has no trailer",
    )


def test_an_export_ends_with_a_trailer_counting_every_table(desk_url: str) -> None:
    lines = export_text(desk_url).splitlines()
    trailer = json.loads(lines[-1])["trailer"]
    events = [json.loads(line)["row"] for line in lines if '"table":"audit_events"' in line]

    assert json.loads(lines[0]) == {"format": "claimtrack-export", "version": 4}
    assert trailer["counts"]["claims"] == 27 and trailer["counts"]["audit_events"] == len(events)
    assert trailer["audit_hash"] == events[-1]["hash"]


def test_a_version_2_export_made_before_claim_matching_still_imports(
    desk_url: str, empty_database_url: str
) -> None:
    matching_tables = {"fact_checks", "embeddings", "claim_links", "suggested_matches", "evidence_snapshots"}
    lines = [json.loads(line) for line in export_text(desk_url).splitlines()]
    older = [{"format": "claimtrack-export", "version": 2}]
    for record in lines[1:-1]:
        if record["table"] in matching_tables:
            continue
        if record["table"] == "audit_events" and record["row"]["entity_type"] in {"fact_check", "claim_link"}:
            break  # the desk's history as it stood before it imported fact-checks
        older.append(record)
    counts = {name: 0 for name in lines[-1]["trailer"]["counts"] if name not in matching_tables}
    for record in older[1:]:
        counts[record["table"]] += 1
    events = [r["row"] for r in older[1:] if r["table"] == "audit_events"]
    head = {
        "table": "audit_chain_head",
        "row": {"id": 1, "seq": events[-1]["seq"], "hash": events[-1]["hash"]},
    }
    counts["audit_chain_head"] = 1
    text = "\n".join(
        json.dumps(r)
        for r in [*older, head, {"trailer": {"counts": counts, "audit_hash": events[-1]["hash"]}}]
    )

    schema.upgrade(empty_database_url)
    imported = import_text(empty_database_url, text + "\n")

    assert imported["claims"] == 27 and "fact_checks" not in imported
    with session_on(empty_database_url) as session:
        assert verify_database(session).ok


def test_a_version_3_export_made_before_evidence_snapshots_still_imports(
    desk_url: str, empty_database_url: str
) -> None:
    lines = [json.loads(line) for line in export_text(desk_url).splitlines()]
    counts = lines[-1]["trailer"]["counts"]
    assert counts.pop("evidence_snapshots") == 0
    records = [r for r in lines[1:-1] if r["table"] != "evidence_snapshots"]
    older = [{"format": "claimtrack-export", "version": 3}, *records, lines[-1]]

    schema.upgrade(empty_database_url)
    imported = import_text(empty_database_url, "\n".join(json.dumps(r) for r in older) + "\n")

    assert imported["claims"] == 27 and "evidence_snapshots" not in imported
    with session_on(empty_database_url) as session:
        assert verify_database(session).ok
