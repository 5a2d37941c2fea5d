"""claimtrack's domain core: models, ingest, workflow, audit. Never imports Flask."""
