"""The matching encoder as claims and fact-checks meet it."""

import numpy as np

from claims.matching.encoder import default_encoder

SENTENCES = [
    "Takaichi secured 237 out of 465 votes in the lower house.",
    "It is the first such visit in almost six years.",
    "Indonesia AirAsia is 49 percent owned by Malaysia-based budget carrier AirAsia.",
    "No one was hurt.",
]


def test_a_text_gets_the_same_vector_with_other_texts_as_alone() -> None:
    """int8 dynamic quantisation scales activations per run: a claim encoded with its article must get the
    vector a query for the same words gets, or a repeated sentence would not be a perfect match."""
    encoder = default_encoder()

    together = encoder.encode(SENTENCES)

    assert np.array_equal(together, np.vstack([encoder.encode([text]) for text in SENTENCES]))
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
