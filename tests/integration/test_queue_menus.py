from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from claims import queue
from claims.models import Article, User
from claims.queue import QueueFilters, queue_menus


def test_the_queue_menus_list_active_people_by_name_and_the_newest_articles_plus_the_one_filtered_on(
    session: Session,
    make_user: Callable[..., User],
    make_article: Callable[..., Article],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_user(display_name="Zoe")
    make_user(display_name="Ada")
    make_user(display_name="Gone").is_active = False
    session.flush()
    older = make_article(text="The council approved 12 new schools in 2024.", title="Schools")
    newer = make_article(text="The port handled 3 million containers in 2023.", title="Port")
    monkeypatch.setattr(queue, "ARTICLE_CHOICES", 1)

    unfiltered = queue_menus(session, QueueFilters())
    on_older = queue_menus(session, QueueFilters(article_id=older.id))

    assert [name for _, name in unfiltered.assignees] == ["Ada", "Zoe"]
    assert unfiltered.articles == [(newer.id, "Port")]
    assert on_older.articles == [(newer.id, "Port"), (older.id, "Schools")]
    assert on_older.counts["unreviewed"] == sum(on_older.counts.values()) == len(older.claims)
    assert unfiltered.counts["unreviewed"] == len(older.claims) + len(newer.claims)
