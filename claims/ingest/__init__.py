"""From a file or pasted text to an article's sentences, scores and claimants."""
