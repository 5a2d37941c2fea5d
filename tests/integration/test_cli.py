"""The `claimtrack` command against a real database of its own (the commands commit)."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from app.cli import main
from claims import schema, workflow
from claims.db import make_engine, make_session_factory
from claims.services.users import create_user
from tests.conftest import SAMPLE_ARTICLE


@pytest.fixture
def cli(empty_database_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CLAIMTRACK_DATABASE_URL", empty_database_url)
    schema.upgrade(empty_database_url)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def test_ingesting_the_sample_twice_gives_the_same_article(cli) -> None:
    first = cli("ingest", str(SAMPLE_ARTICLE), "--publisher", "Sample Wire", "--published", "2025-10-27")
    second = cli("ingest", str(SAMPLE_ARTICLE))

    assert first.exit_code == 0, first.output
    # How many pass the cut is the model's business (its int8 scores move with the batch); the count of
    # sentences and the repeat are the importer's.
    assert re.fullmatch(r"article 1: 27 sentences, \d+ check-worthy", first.output.strip())
    assert second.output.strip() == "article 1: already imported"


def test_claims_list_as_json_shows_spans_scores_reasons_and_claimants(cli) -> None:
    cli("ingest", str(SAMPLE_ARTICLE), "--publisher", "Sample Wire")

    rows = json.loads(cli("claims", "list", "--format", "json").output)

    body = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    assert len(rows) == 27
    for row in rows:
        assert {
            "id",
            "article_id",
            "sentence",
            "text",
            "start",
            "end",
            "status",
            "score",
            "reasons",
            "claimant",
            "verdict",
        } <= row.keys()
        assert body[row["start"] : row["end"]] == row["sentence"]
    claimants = {row["claimant"] for row in rows}
    assert {"Sample Wire", "President Trump", "Kyodo News"} <= claimants


def test_claims_list_filters_by_status(cli) -> None:
    cli("ingest", str(SAMPLE_ARTICLE))

    rows = json.loads(cli("claims", "list", "--status", "not_checkworthy", "--format", "json").output)

    assert rows and {row["status"] for row in rows} == {"not_checkworthy"}


def test_a_batch_with_a_bad_file_fails_and_writes_nothing(cli, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")

    result = cli("ingest", str(SAMPLE_ARTICLE), str(tmp_path / "empty.txt"))

    assert result.exit_code == 1
    assert result.output.strip().endswith("empty.txt: is empty")
    assert json.loads(cli("claims", "list", "--format", "json").output) == []


def test_skip_bad_reports_the_skipped_file(cli, tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK")

    result = cli("ingest", "--skip-bad", str(SAMPLE_ARTICLE), str(tmp_path / "notes.docx"))

    assert result.exit_code == 0
    assert "article 1: 27 sentences" in result.stdout
    assert "skipped" in result.stderr and "unsupported file type '.docx'" in result.stderr


def test_a_bad_date_flag_is_a_usage_error(cli) -> None:
    result = cli("ingest", str(SAMPLE_ARTICLE), "--published", "27/10/2025")

    assert result.exit_code == 2
    assert "must be a date as YYYY-MM-DD" in result.output


def test_users_create_reads_the_password_from_stdin_and_refuses_duplicates(cli) -> None:
    def create_editor() -> Result:
        return cli(
            "users",
            "create",
            "ed@example.org",
            "--role",
            "editor",
            "--password-stdin",
            input="a long enough password\n",
        )

    created = create_editor()
    duplicate = create_editor()

    assert created.output.strip() == "user 1: ed@example.org (editor)"
    assert duplicate.exit_code == 1
    assert "A user with email ed@example.org already exists." in duplicate.output


def test_demo_creates_users_once_and_imports_the_sample(cli) -> None:
    first = cli("demo")
    second = cli("demo")

    assert first.output.count("password:") == 3
    assert "article 1: 27 sentences" in first.output
    assert "password:" not in second.output
    assert "article 1: already imported" in second.output


def test_db_check_reports_agreement(cli) -> None:
    result = cli("db", "check")

    assert result.exit_code == 0
    assert "ok: models and migrations agree" in result.output


def test_audit_verify_passes_then_names_a_tampered_event(cli, empty_database_url: str) -> None:
    cli("ingest", str(SAMPLE_ARTICLE))
    assert cli("audit", "verify").output.strip() == "ok: 29 events; 56 rows match their history"

    engine = make_engine(empty_database_url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        connection.execute(text("UPDATE audit_events SET action = 'claim.forged' WHERE seq = 7"))
    engine.dispose()
    result = cli("audit", "verify")

    assert result.exit_code == 1
    assert "event #7 was altered after it was written" in result.output


def test_audit_verify_names_a_row_edited_without_an_event(cli, empty_database_url: str) -> None:
    cli("ingest", str(SAMPLE_ARTICLE))
    engine = make_engine(empty_database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE claims SET text = 'Forged wording' WHERE id = 3"))
    engine.dispose()

    result = cli("audit", "verify")

    assert result.exit_code == 1
    assert "the tables do not match the audit record: claim 3: text is 'Forged wording' in the table" in (
        result.output
    )


def test_audit_log_prints_a_claims_events_as_json(cli) -> None:
    cli("ingest", str(SAMPLE_ARTICLE))

    events = json.loads(cli("audit", "log", "--claim", "3", "--format", "json").output)
    everything = cli("audit", "log", "--since", "2000-01-01").output.splitlines()

    assert [(e["action"], e["claim_id"], e["actor"]) for e in events] == [("claim.created", 3, None)]
    assert len(everything) == 29  # the article, its source, 27 claims
    assert everything[0].startswith("#1 ") and "article.imported" in everything[0]


def test_export_claimreview_writes_the_published_claims_to_a_file(cli, tmp_path: Path) -> None:
    cli("ingest", str(SAMPLE_ARTICLE))
    out = tmp_path / "reviews.json"

    result = cli("export", "claimreview", "--out", str(out))

    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == []
    assert not list(tmp_path.glob(".reviews.json.*.partial"))


def test_export_full_then_import_full_into_an_empty_database(
    cli, empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli(
        "users",
        "create",
        "ed@example.org",
        "--role",
        "editor",
        "--password-stdin",
        input="a long enough password\n",
    )
    cli("ingest", str(SAMPLE_ARTICLE))
    dump = tmp_path / "desk.jsonl"
    assert cli("export", "full", "--out", str(dump)).exit_code == 0
    refused = cli("import", "full", str(dump))
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    schema.upgrade(fresh)
    monkeypatch.setenv("CLAIMTRACK_DATABASE_URL", fresh)

    restored = cli("import", "full", str(dump))
    password = cli(
        "users", "set-password", "ed@example.org", "--password-stdin", input="another long password\n"
    )

    assert refused.exit_code == 1 and "database: is not empty" in refused.output
    assert "imported 1 users, 1 articles, 1 sources, 27 claims" in restored.output
    assert "set one with `claimtrack users set-password EMAIL`" in restored.output
    assert password.output.strip() == "password set for ed@example.org"
    assert cli("audit", "verify").output.strip() == "ok: 31 events; 57 rows match their history"


def test_feedback_exports_reviewers_latest_triage_decisions(
    cli, empty_database_url: str, tmp_path: Path
) -> None:
    cli("ingest", str(SAMPLE_ARTICLE))
    engine = make_engine(empty_database_url)
    with make_session_factory(engine)() as session:
        reviewer = create_user(
            session, None, email="r@example.org", role="reviewer", password="long enough pw"
        )
        workflow.triage(session, reviewer, 1, checkworthy=True)
        workflow.triage(session, reviewer, 2, checkworthy=False)
        workflow.triage(session, reviewer, 4, checkworthy=False)  # claim 3 was set aside by the model only
        workflow.restore(session, reviewer, 4)
        workflow.triage(session, reviewer, 4, checkworthy=True)
        session.commit()
    engine.dispose()
    out = tmp_path / "feedback.tsv"

    result = cli("checkworthiness", "feedback", "--out", str(out))

    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert result.output.strip() == f"wrote 3 labelled sentences to {out}"
    assert rows[0] == ["Sentence_id", "Text", "class_label"]
    assert [(row[0], row[2]) for row in rows[1:]] == [("1", "Yes"), ("2", "No"), ("4", "Yes")]


def _export_with(cli, tmp_path: Path, change) -> Path:
    """A real export of the sample desk with one line changed by `change(record) -> str`."""
    cli("ingest", str(SAMPLE_ARTICLE))
    dump = tmp_path / "desk.jsonl"
    cli("export", "full", "--out", str(dump))
    lines = dump.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if '"table":"claims"' in line)
    lines[index] = change(json.loads(lines[index]))
    odd = tmp_path / "odd.jsonl"
    odd.write_bytes("".join(lines).encode("utf-8", "surrogatepass"))
    return odd


def _with_row(**values):
    def change(record):
        record["row"].update(values)
        return json.dumps(record) + "\n"

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            _with_row(id=10**20),
            r"\(claims 100000000000000000000\): field 'id' is out of range",
            id="huge id",
        ),
        pytest.param(
            lambda record: "[" * 100_000 + "]" * 100_000 + "\n", "nests JSON deeper than", id="deep nesting"
        ),
        pytest.param(
            _with_row(reasons=[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]),
            "nests JSON deeper than",
            id="deep value",
        ),
        pytest.param(
            _with_row(text="\ud800 alone"), "contains a lone surrogate", id="escaped lone surrogate"
        ),
        pytest.param(
            lambda record: (
                json.dumps(record, ensure_ascii=False).replace('"text": "', '"text": "\ud800') + "\n"
            ),
            "is not valid UTF-8 text",
            id="raw lone surrogate",
        ),
        pytest.param(_with_row(claimant="NUL \x00 here"), "contains a NUL character", id="NUL"),
        pytest.param(_with_row(score=float("nan")), "NaN is not a number JSON allows", id="NaN"),
        pytest.param(
            _with_row(published_at="9999-12-31T23:59:59-05:00"),
            "is outside the dates that can be stored",
            id="date",
        ),
    ],
)
def test_import_full_refuses_odd_input_in_one_line_and_writes_nothing(
    cli, empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change, message: str
) -> None:
    odd = _export_with(cli, tmp_path, change)
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    schema.upgrade(fresh)
    monkeypatch.setenv("CLAIMTRACK_DATABASE_URL", fresh)

    result = cli("import", "full", str(odd))

    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert re.search(r"^Error: line \d+", result.output) and re.search(message, result.output), result.output
    engine = make_engine(fresh)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM claims")).scalar() == 0
    engine.dispose()
