"""The `claimtrack` command. Each module adds its commands to `main`; importing them registers them."""

from app.cli import audit_record, checkworthiness, data, evidence, facts, jobs, matching, people, serving  # noqa: F401 - they register commands
from app.cli.root import main

__all__ = ["main"]
