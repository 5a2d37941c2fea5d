"""Evidence snapshots: safe fetching (fetch.py), archive and recheck (archive.py), and when a
snapshot is taken (queueing.py). docs/evidence-snapshots.md."""
