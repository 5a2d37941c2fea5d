"""Ingest throughput (run on demand, not a test).

    python bench/ingest.py [--articles 200] [--sentences 40]

Prints sentences/second for (a) the sentence splitter alone, (b) splitting + scoring and (c) the full
ingest into a fresh SQLite database (claims, sources and audit events, one commit per article) and (d)
importing the same texts again (found before scoring, so nothing is scored or written), all in the same
run, with the ratio (c)/(a).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from claims import schema
from claims.checkworthiness import default_scorer
from claims.db import make_engine, make_session_factory
from claims.ingest.languages import detect_language
from claims.ingest.readers import ArticleDraft
from claims.ingest.sentences import split_sentences
from claims.services.articles import import_article

PEOPLE = ["President Trump", "Prime Minister Takaichi", "Mr. Abe", "Dr. Jane Smith", "Sen. Roe", "Gov. Lee"]
PLACES = ["Tokyo", "Kuala Lumpur", "the U.S.", "Osaka", "Washington", "the E.U."]
TEMPLATES = [
    "{person} said the economy grew {pct}.{dec} percent in {year}.",
    "According to Kyodo News, {person} will visit {place} on Oct. {day}.",
    "The parliament elected {person}, securing {n} out of {m} votes.",
    "{person} described the talks as “a historic moment.” Officials in {place} agreed.",
    "It is the first such visit in almost {small} years, officials in {place} said.",
    "Both leaders expressed hope for a stronger partnership between the two countries.",
    "{person} met officials from {place} at 10 a.m. on Jan. {day}, {year}.",
    "Exports to {place} fell by ${n} million, the ministry reported on Monday.",
    "Critics say the plan could cost more than {n} jobs by {year}.",
    "“We will never accept this,” {person} told reporters in {place}.",
]


def make_article(rng: random.Random, sentences: int, number: int) -> str:
    paragraphs, current = [], []
    for _ in range(sentences):
        template = rng.choice(TEMPLATES)
        current.append(
            template.format(
                person=rng.choice(PEOPLE),
                place=rng.choice(PLACES),
                pct=rng.randint(1, 9),
                dec=rng.randint(0, 9),
                year=rng.randint(1990, 2025),
                day=rng.randint(1, 28),
                n=rng.randint(100, 900),
                m=rng.randint(901, 999),
                small=rng.randint(2, 9),
            )
        )
        if len(current) == 4:
            paragraphs.append(" ".join(current))
            current = []
    paragraphs.append(" ".join(current) + f" Article {number}.")
    return "\n".join(paragraphs) + "\n"


def rate(count: int, started: float) -> float:
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(1)
    texts = [make_article(rng, args.sentences, i) for i in range(args.articles)]
    scorer = default_scorer()
    detect_language("Load the language detector's model, as the scorer's, before timing.")

    started = time.perf_counter()
    total = sum(len(split_sentences(text)) for text in texts)
    split_rate = rate(total, started)

    started = time.perf_counter()
    for text in texts:
        scorer.score_many([sentence.text for sentence in split_sentences(text)])  # as an import does
    score_rate = rate(total, started)

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
        ingest_rate = rate(total, started)
        started = time.perf_counter()
        for text in texts:
            with sessions() as session:
                assert not import_article(session, None, ArticleDraft(text=text), scorer, 0.5).created
        again_rate = rate(total, started)
        engine.dispose()

    print(f"{args.articles} articles, {total} sentences")
    print(f"(a) sentence splitter alone     {split_rate:10.0f} sentences/s")
    print(f"(b) splitting + scoring         {score_rate:10.0f} sentences/s")
    print(f"(c) full ingest into SQLite     {ingest_rate:10.0f} sentences/s")
    print(f"(d) the same texts again        {again_rate:10.0f} sentences/s")
    print(f"ratio (c)/(a)                   {ingest_rate / split_rate:10.3f}")


if __name__ == "__main__":
    main()
