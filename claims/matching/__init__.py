"""Claim matching: has this claim been checked already, by this desk or by anyone?

Entry points:
- `factchecks.import_fact_checks` — bring in schema.org ClaimReview (object, list, DataFeed, JSON lines),
  created or updated (audited) by `url`; `claimreview` reads and checks the records.
- `search.similar_to_text`, `similar_to_texts`, `similar_to_claim` — the fact-checks and desk claims
  most similar to a text or a claim, ranked by cosine + BM25 fusion (a fact-check matched on the claim
  it reviewed alone, `embeddings.fact_check_text`), none under the similarity floor, with their cosine
  similarity and a label people read.
- `embeddings` — vectors stored with the data (table `embeddings`), `index` — the index files built from
  them (`build_index_files`) and memory-mapped by every process, `lexical` — its BM25 leg in numpy,
  `encoder` — all-MiniLM-L6-v2 fine-tuned on tweet → fact-check pairs (`finetune`, on the CheckThat!
  data `clef` reads), as int8 ONNX (`encoder_export`).
- `metrics` — MAP@k, recall@k and bootstrap intervals (`bench/matching_quality.py`).
"""
