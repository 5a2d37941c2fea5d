"""`claimtrack factchecks import` and `claimtrack claims similar` against a database of their own."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from app.cli import main
from claims import schema
from claims.db import make_engine, make_session_factory
from claims.models import Claim, FactCheck, SuggestedMatch

MOON = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/moon-cheese",
    "claimReviewed": "The moon is made of green cheese, NASA admitted.",
    "author": {"name": "Example Checks"},
    "reviewRating": {"alternateName": "False"},
}
VACCINE = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/vaccine-chips",
    "claimReviewed": "Covid vaccines contain microchips used to track people.",
    "reviewRating": {"alternateName": "Pants on fire"},
}


@pytest.fixture
def cli(empty_database_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CLAIMTRACK_DATABASE_URL", empty_database_url)
    schema.upgrade(empty_database_url)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({"@type": "DataFeed", "dataFeedElement": [MOON, VACCINE]}), encoding="utf-8")
    return path


def test_import_then_ask_in_table_json_and_batch_form(cli, feed: Path, tmp_path: Path) -> None:
    imported = cli("factchecks", "import", str(feed))
    again = cli("factchecks", "import", str(feed))
    table = cli("claims", "similar", "NASA says the moon is cheese", "--top", "1")
    as_json = cli("claims", "similar", "microchips in the vaccine", "--format", "json")
    queries = tmp_path / "queries.tsv"
    queries.write_text("q1\tthe moon is cheese\n\nq2\tvaccines carry chips\n", encoding="utf-8")
    batch = cli("claims", "similar", "--file", str(queries), "--top", "2", "--format", "json")

    assert imported.output.strip() == "2 fact-check(s) added, 0 updated, 0 unchanged"
    assert again.output.strip() == "0 fact-check(s) added, 0 updated, 2 unchanged"
    assert "factcheck" in table.output and MOON["url"] in table.output and VACCINE["url"] not in table.output
    assert json.loads(as_json.output)[0]["rating"] == "Pants on fire"
    lines = [json.loads(line) for line in batch.output.splitlines()]
    assert [line["query"] for line in lines] == ["q1", "q2"]
    assert [line["matches"][0]["url"] for line in lines] == [MOON["url"], VACCINE["url"]]
    assert set(lines[0]["matches"][0]) == {"kind", "id", "url", "text", "score", "rating"}


def test_a_bad_record_fails_with_its_line_and_skip_bad_reports_it(cli, tmp_path: Path) -> None:
    path = tmp_path / "reviews.jsonl"
    path.write_text(json.dumps(MOON) + "\n" + json.dumps({**VACCINE, "url": "nope"}) + "\n", encoding="utf-8")

    refused = cli("factchecks", "import", str(path))
    nothing = cli("claims", "similar", "moon cheese", "--format", "json")
    skipped = cli("factchecks", "import", str(path), "--skip-bad")

    assert refused.exit_code == 1 and "line 2: URL must be an http(s) address" in refused.output
    assert json.loads(nothing.output) == []
    assert "skipped" in skipped.output and "line 2" in skipped.output
    assert "1 fact-check(s) added, 0 updated, 0 unchanged, 1 bad record(s) skipped" in skipped.output


def test_bad_arguments_are_clear_errors(cli, tmp_path: Path) -> None:
    queries = tmp_path / "queries.tsv"
    queries.write_text("no tab here\n", encoding="utf-8")
    binary = tmp_path / "feed.json"
    binary.write_bytes(b"\xff\xfe{}")

    assert "give either TEXT or --file" in cli("claims", "similar").output
    assert "line 1: expected id<TAB>text" in cli("claims", "similar", "--file", str(queries)).output
    assert "is not UTF-8 text" in cli("factchecks", "import", str(binary)).output
    assert "cannot be read" in cli("factchecks", "import", str(tmp_path / "missing.json")).output


def test_an_article_imported_from_the_cli_is_matched_once_it_committed(
    cli, feed: Path, tmp_path: Path, empty_database_url: str
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("The minister said vaccines contain microchips to track people.", encoding="utf-8")
    cli("factchecks", "import", str(feed))

    cli("ingest", str(article))

    engine = make_engine(empty_database_url)
    with make_session_factory(engine)() as session:
        [claim] = session.scalars(select(Claim)).all()
        suggested = session.get_one(SuggestedMatch, claim.id)
        check = session.get_one(FactCheck, suggested.target_id)
    engine.dispose()
    assert (suggested.target_kind, check.url) == ("factcheck", VACCINE["url"])
