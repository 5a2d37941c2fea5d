"""`claimtrack ingest` of several files against a database of its own: each article is committed on its
own, so a reviewer's write does not wait for the whole batch; `--all-or-nothing` keeps one transaction."""

import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import main
from claims import schema
from claims.checkworthiness import Score
from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory, unit_of_work
from claims.ingest.batch import import_batch
from claims.models import Article, Role, User
from claims.services.users import create_user
from tests.conftest import SAMPLE_ARTICLE, TEST_PASSWORD, THRESHOLD

WRITE_TIMEOUT_SECONDS = 15


def article_files(directory: Path, count: int) -> list[Path]:
    paths = []
    for number in range(count):
        path = directory / f"article-{number}.txt"
        path.write_text(
            f"Article {number} says the council approved {number + 10} schools.", encoding="utf-8"
        )
        paths.append(path)
    return paths


class WriterDuringBatch(RuleScorer):
    """Scores like the rule scorer; while scoring the second article it starts a reviewer's write in
    another connection, and while scoring the third it waits for that write to finish."""

    def __init__(self, write: threading.Thread) -> None:
        super().__init__()
        self.write = write

    def score(self, sentence: str) -> Score:
        if sentence.startswith("Article 1 ") and not self.write.is_alive():
            self.write.start()
        if sentence.startswith("Article 2 "):
            self.write.join(WRITE_TIMEOUT_SECONDS)
        return super().score(sentence)


def test_a_reviewer_write_during_an_ingest_commits_before_the_batch_ends(
    empty_database_url: str, tmp_path: Path
) -> None:
    schema.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    sessions = make_session_factory(engine)
    finished: list[str] = []

    def reviewer_write() -> None:
        with unit_of_work(sessions) as session:
            create_user(session, None, email="late@example.org", role=Role.REVIEWER, password=TEST_PASSWORD)
            session.commit()
        finished.append("committed")

    write = threading.Thread(target=reviewer_write, daemon=True)
    try:
        with unit_of_work(sessions) as session:
            outcome = import_batch(
                session,
                None,
                article_files(tmp_path, 3),
                scorer=WriterDuringBatch(write),
                threshold=THRESHOLD,
                max_bytes=10_000,
                overrides={},
            )
            assert finished == ["committed"], "the reviewer's write waited for the whole batch"
            session.commit()
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(Article)) == 3
            assert session.scalar(select(User.email)) == "late@example.org"
        assert len(outcome.imported) == 3
    finally:
        write.join(WRITE_TIMEOUT_SECONDS)
        engine.dispose()


@pytest.fixture
def ingest(empty_database_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CLAIMTRACK_DATABASE_URL", empty_database_url)
    monkeypatch.setenv("CLAIMTRACK_MAX_CLAIMS_PER_ARTICLE", "30")
    schema.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)

    def run(*args: str):
        result = CliRunner().invoke(main, ["ingest", *args], catch_exceptions=False)
        with make_session_factory(engine)() as session:
            return result, session.scalar(select(func.count()).select_from(Article))

    yield run
    engine.dispose()


def test_an_article_refused_mid_batch_stops_it_and_keeps_the_articles_before(ingest, tmp_path: Path) -> None:
    long_article = tmp_path / "long.txt"
    long_article.write_text("Word. " * 31, encoding="utf-8")
    [after] = article_files(tmp_path, 1)

    result, articles = ingest(str(SAMPLE_ARTICLE), str(long_article), str(after))

    assert result.exit_code == 1
    assert "article 1: 27 sentences" in result.stdout
    assert "long.txt: has more than 30 sentences" in result.output
    assert "the 1 article(s) listed above were imported" in result.output
    assert articles == 1


def test_all_or_nothing_imports_nothing_when_one_article_is_refused(ingest, tmp_path: Path) -> None:
    long_article = tmp_path / "long.txt"
    long_article.write_text("Word. " * 31, encoding="utf-8")

    result, articles = ingest("--all-or-nothing", str(SAMPLE_ARTICLE), str(long_article))

    assert result.exit_code == 1
    assert "long.txt: has more than 30 sentences" in result.output
    assert articles == 0


def test_ingest_help_says_when_a_batch_is_all_or_nothing() -> None:
    text = CliRunner().invoke(main, ["ingest", "--help"]).output

    assert "--all-or-nothing" in text
    assert "committed on its own" in text
