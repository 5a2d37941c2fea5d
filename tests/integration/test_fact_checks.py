"""Importing ClaimReview fact-checks: four shapes, audited updates by url, bad records refused or skipped."""

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.errors import PermissionDenied
from claims.matching.claimreview import BadRecord
from claims.matching.factchecks import import_fact_checks
from claims.models import AuditEvent, Embedding, FactCheck, User
from claims.replay import verify_database


def review(number: int = 1, **overrides) -> dict:
    record = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://factcheck.example.org/checks/{number}",
        "claimReviewed": f"Claim number {number}: the moon is made of cheese.",
        "headline": f"No, the moon is not cheese ({number})",
        "author": {"@type": "Organization", "name": "Example Checks"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "False",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
        },
        "datePublished": "2024-03-05T10:00:00Z",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A. Blogger"},
            "appearance": [{"url": "https://social.example.com/post/9"}],
        },
    }
    record.update(overrides)
    return record


def count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        (lambda rs: json.dumps(rs[0]), 1),
        (lambda rs: json.dumps(rs, indent=2), 2),
        (lambda rs: json.dumps({"@type": "DataFeed", "dataFeedElement": rs}, indent=1), 2),
        (
            lambda rs: json.dumps(
                {"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": [r]} for r in rs]}
            ),
            2,
        ),
        (lambda rs: "\n".join(json.dumps(r) for r in rs) + "\n", 2),
    ],
    ids=["object", "list", "datafeed", "datafeed-items", "json-lines"],
)
def test_every_published_shape_is_read_with_its_fields(session: Session, shape, expected: int) -> None:
    outcome = import_fact_checks(session, None, shape([review(1), review(2)]))

    assert outcome.created == expected
    check = session.scalars(select(FactCheck).where(FactCheck.url.endswith("/1"))).one()
    assert check.claim_reviewed == "Claim number 1: the moon is made of cheese."
    assert check.headline == "No, the moon is not cheese (1)"
    assert (check.organisation, check.rating, check.rating_value) == ("Example Checks", "False", 1.0)
    assert (check.best_rating, check.worst_rating) == (5.0, 1.0)
    assert check.published_on.isoformat() == "2024-03-05"
    assert check.claimant == "A. Blogger"
    assert check.appearances == ["https://social.example.com/post/9"]
    assert count(session, Embedding) == expected


def test_importing_the_same_url_again_updates_it_with_an_audited_change(session: Session) -> None:
    import_fact_checks(session, None, json.dumps(review(1)))
    corrected = review(1, reviewRating={"alternateName": "Mostly false"})

    again = import_fact_checks(session, None, json.dumps(corrected))
    unchanged = import_fact_checks(session, None, json.dumps(corrected))

    assert (again.created, again.updated, unchanged.unchanged) == (0, 1, 1)
    assert count(session, FactCheck) == 1
    [update] = session.scalars(select(AuditEvent).where(AuditEvent.action == "fact_check.updated")).all()
    assert update.changes["rating"] == ["False", "Mostly false"]
    assert update.changes["rating_value"] == [1.0, None]
    assert verify_database(session).ok


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (review(2, url=None), "URL is required"),
        (review(2, url="ftp://x.example.org/a"), "URL must be an http(s) address"),
        (review(2, claimReviewed="  "), "claimReviewed is required"),
        (review(2, claimReviewed="nul\x00inside"), "NUL character"),
        (review(2, datePublished="last Tuesday"), "datePublished must be a date"),
        (review(2, reviewRating={"ratingValue": "high"}), "reviewRating.ratingValue must be a number"),
        (review(2, **{"@type": "NewsArticle"}), "@type must be ClaimReview"),
        (review(2, headline=["a list"]), "Headline must be text"),
        (review(2, itemReviewed={"appearance": [{"url": "javascript:alert(1)"}]}), "appearance.url"),
        (["not", "an object"], "Record must be a ClaimReview object"),
    ],
)
def test_a_bad_record_is_refused_with_its_line_and_nothing_is_written(session: Session, bad, reason) -> None:
    text = "\n".join(json.dumps(r) for r in [review(1), bad, review(3)])

    with pytest.raises(BadRecord) as refused:
        import_fact_checks(session, None, text)

    assert refused.value.line == 2 and reason in str(refused.value)
    assert count(session, FactCheck) == 0
    assert count(session, AuditEvent) == 0


def test_a_line_that_is_not_json_names_its_line(session: Session) -> None:
    text = json.dumps(review(1)) + "\n\n{not json\n"
    with pytest.raises(BadRecord, match="line 3: is not valid JSON"):
        import_fact_checks(session, None, text)


def test_a_bad_item_of_a_json_list_names_the_line_it_starts_on(session: Session) -> None:
    text = json.dumps([review(1), review(2, url="nope")], indent=2)
    second_line = [n for n, line in enumerate(text.splitlines(), start=1) if line == "  {"][1]
    with pytest.raises(BadRecord) as refused:
        import_fact_checks(session, None, text)
    assert refused.value.line == second_line


def test_skip_bad_imports_the_good_records_and_reports_the_bad(session: Session) -> None:
    text = "\n".join(json.dumps(r) for r in [review(1), review(2, url=None), review(3)])

    outcome = import_fact_checks(session, None, text, skip_bad=True)

    assert outcome.created == 2
    assert [(bad.line, bad.reason) for bad in outcome.skipped] == [(2, "URL is required.")]


def test_only_an_admin_may_import_fact_checks(session: Session, editor: User, admin: User) -> None:
    with pytest.raises(PermissionDenied):
        import_fact_checks(session, editor, json.dumps(review(1)))
    assert import_fact_checks(session, admin, json.dumps(review(1))).created == 1
    assert session.scalars(select(FactCheck)).one().imported_by_id == admin.id
    assert verify_database(session).ok


def test_the_feeds_own_list_is_read_not_one_nested_deeper_and_the_last_when_repeated(
    session: Session,
) -> None:
    one, two, three = (json.dumps(review(number)) for number in (1, 2, 3))
    decoy = f'{{"about": {{"dataFeedElement": []}}, "dataFeedElement": [{one}, {two}]}}'
    repeated = f'{{"dataFeedElement": [], "dataFeedElement": [{three}]}}'

    assert import_fact_checks(session, None, decoy).created == 2
    assert import_fact_checks(session, None, repeated).created == 1


def test_a_json_line_holding_a_line_separator_in_a_string_is_one_record(session: Session) -> None:
    text = "\n".join(
        json.dumps(r, ensure_ascii=False) for r in [review(1, headline="Two\u2028lines"), review(2)]
    )

    assert import_fact_checks(session, None, text).created == 2


@pytest.mark.parametrize(
    "shape",
    [lambda r: f"[{r}]", lambda r: r + "\n" + json.dumps(review(2)), lambda r: r],
    ids=["list", "json-lines", "object"],
)
def test_a_number_too_long_to_read_is_a_bad_record_not_a_crash(session: Session, shape) -> None:
    record = json.dumps(review(1))[:-1] + ', "extra": ' + "1" * 5000 + "}"

    with pytest.raises(BadRecord, match="line 1: is not valid JSON"):
        import_fact_checks(session, None, shape(record))
    assert count(session, FactCheck) == 0
