"""Numbers and dates: extraction cost per claim, in the same run as an import (run on demand).

    python bench/facts.py [--articles 100] [--sentences 40]

Imports the synthetic articles of bench/ingest.py into a fresh SQLite database (claims per second),
then reads, resolves and cross-checks every claim of every article (`claims.facts.facts_of`, what the
claim page, the API and the CLI run) and prints its cost per claim and the import throughput that would
be left if it ran inside the import (it does not: it runs on demand and stores nothing).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from ingest import make_article  # bench/ingest.py: the same synthetic news sentences
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from claims import schema
from claims.checkworthiness import default_scorer
from claims.db import make_engine, make_session_factory
from claims.facts import facts_of
from claims.facts.extract import extract
from claims.ingest.languages import detect_language
from claims.ingest.readers import ArticleDraft
from claims.models import Article
from claims.services.articles import import_article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--sentences", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(1)
    texts = [make_article(rng, args.sentences, i) for i in range(args.articles)]
    scorer = default_scorer()
    detect_language("Load the language detector's model, as the scorer's, before timing.")

    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        schema.upgrade(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        started = time.perf_counter()
        for text in texts:
            with sessions() as session:
                import_article(session, None, ArticleDraft(text=text), scorer, 0.5)
                session.commit()
        import_seconds = time.perf_counter() - started

        with sessions() as session:
            articles = session.scalars(select(Article).options(selectinload(Article.claims))).all()
            claims = sum(len(article.claims) for article in articles)
            extract.cache_clear()  # the cost of reading each text, not of remembering it
            started = time.perf_counter()
            found = [facts_of(article) for article in articles]
            facts_seconds = time.perf_counter() - started
        engine.dispose()

    expressions = sum(len(f.facts) for article in found for f in article)
    hints = sum(len(f.hints) for article in found for f in article)
    import_rate = claims / import_seconds
    per_claim = facts_seconds / claims
    print(f"{args.articles} articles, {claims} claims, {expressions} expressions, {hints} hint mentions")
    print(f"import into SQLite                      {import_rate:10.0f} claims/s")
    print(
        f"facts (extract + resolve + hints)       {per_claim * 1e6:10.0f} µs/claim "
        f"({1 / per_claim:.0f} claims/s)"
    )
    print(
        f"import if facts ran inside it           {claims / (import_seconds + facts_seconds):10.0f} claims/s"
    )


if __name__ == "__main__":
    main()
