from pathlib import Path

from claims.ingest.evaluation import evaluate_claimants, read_claimant_labels, same_claimant

LABELS = Path(__file__).resolve().parents[1] / "data" / "claimant-labels.tsv"
PAGES = Path(__file__).resolve().parents[3] / "shared" / "data" / "html"


def test_the_labelled_set_has_at_least_150_sentences_from_several_pages() -> None:
    labels = read_claimant_labels(LABELS)

    assert len(labels) >= 150
    assert len({label.page for label in labels}) >= 8


def test_claimants_of_the_labelled_real_sentences_are_right_at_least_nine_times_in_ten() -> None:
    assert PAGES.is_dir(), (
        f"the real pages are missing: {PAGES} (the shared data folder beside the repository)"
    )

    results = evaluate_claimants(read_claimant_labels(LABELS), PAGES)

    assert sum(result.correct for result in results) / len(results) >= 0.9


def test_the_same_claimant_allows_a_surname_or_an_article_but_not_another_person() -> None:
    assert same_claimant("Sargent", "Macmillan CEO John Sargent")
    assert same_claimant("the Scottish government", "The Scottish government")
    assert not same_claimant("Tony Fernandes", "Yohannes")
    assert not same_claimant("PUB", "Doherty")
