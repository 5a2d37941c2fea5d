"""`claimtrack claims facts`: the same structure as the API, for one claim or a whole article."""

import json

from tests.conftest import SAMPLE_ARTICLE
from tests.integration.test_cli import cli  # noqa: F401 - the fixture


def test_an_article_as_json_has_both_sample_hints(cli) -> None:  # noqa: F811
    cli("ingest", str(SAMPLE_ARTICLE), "--published", "2025-10-27")

    rows = json.loads(cli("claims", "facts", "--article", "1", "--format", "json").output)

    kinds = {hint["kind"] for row in rows for hint in row["hints"]}
    assert kinds == {"part and total", "duration and date"}
    assert all(row["reference"] == {"day": "2025-10-27", "source": "published"} for row in rows)


def test_one_claim_as_a_table_shows_its_expressions_and_hint(cli) -> None:  # noqa: F811
    cli("ingest", str(SAMPLE_ARTICLE), "--published", "2025-10-27")
    rows = json.loads(cli("claims", "facts", "--article", "1", "--format", "json").output)
    votes = next(row for row in rows if "237 out of 465" in row["text"])

    table = cli("claims", "facts", "--claim", str(votes["claim_id"])).output

    assert "'237 out of 465'" in table and "51 %" in table and "a majority by 4" in table
    assert "(against 2025-10-27, published)" in table


def test_claim_and_article_together_are_refused(cli) -> None:  # noqa: F811
    result = cli("claims", "facts", "--claim", "1", "--article", "1")
    assert result.exit_code != 0 and "either --claim ID or --article ID" in result.output


def test_an_unknown_claim_is_named(cli) -> None:  # noqa: F811
    cli("ingest", str(SAMPLE_ARTICLE))
    result = cli("claims", "facts", "--claim", "999")
    assert result.exit_code != 0 and "999" in result.output
