"""Settings read from the environment, shared by the CLI, the web app and scripts."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from claims.errors import ConfigurationError

# Relative to the working directory: an installed package must not write into its own folder.
INSTANCE_DIR = Path("instance")
DEFAULT_MAX_IMPORT_BYTES = 5 * 1024 * 1024
DEVELOPMENT_SECRET_KEY = "claimtrack-development-only"


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    environment: str
    max_import_bytes: int
    checkworthy_threshold: float | None  # None: the scorer's own threshold
    organisation_name: str
    organisation_url: str
    require_second_reviewer: bool
    behind_https: bool
    public_url: str
    proxy_hops: int
    rate_limit_storage: str
    sign_in_limit_per_address: str
    sign_in_limit_per_account: str


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number of bytes, got {raw!r}") from None
    if value <= 0:
        raise ConfigurationError(f"{name} must be positive, got {value}")
    return value


def _count_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not raw.isdigit():
        raise ConfigurationError(f"{name} must be a whole number (0 or more), got {raw!r}")
    return int(raw)


def _float_env(name: str, default: float | None) -> float | None:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number between 0 and 1, got {raw!r}") from None
    if not 0.0 <= value <= 1.0:
        raise ConfigurationError(f"{name} must be between 0 and 1, got {value}")
    return value


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'claimtrack.sqlite3'}"


def load_settings() -> Settings:
    """Read settings; outside development a real secret key is required."""
    environment = os.environ.get("CLAIMTRACK_ENV", "development")
    secret_key = os.environ.get("CLAIMTRACK_SECRET_KEY")
    if not secret_key:
        if environment not in {"development", "test"}:
            raise ConfigurationError(
                "CLAIMTRACK_SECRET_KEY must be set when CLAIMTRACK_ENV is "
                f"{environment!r} (only development and test have a built-in key)"
            )
        secret_key = DEVELOPMENT_SECRET_KEY
    return Settings(
        database_url=os.environ.get("CLAIMTRACK_DATABASE_URL") or default_database_url(),
        secret_key=secret_key,
        environment=environment,
        max_import_bytes=_int_env("CLAIMTRACK_MAX_IMPORT_BYTES", DEFAULT_MAX_IMPORT_BYTES),
        checkworthy_threshold=_float_env("CLAIMTRACK_CHECKWORTHY_THRESHOLD", None),
        organisation_name=os.environ.get("CLAIMTRACK_ORGANISATION_NAME", "claimtrack desk"),
        organisation_url=os.environ.get("CLAIMTRACK_ORGANISATION_URL", "http://127.0.0.1:5000/"),
        require_second_reviewer=os.environ.get("CLAIMTRACK_REQUIRE_SECOND_REVIEWER", "1") != "0",
        behind_https=os.environ.get("CLAIMTRACK_HTTPS", "0") == "1",
        public_url=os.environ.get("CLAIMTRACK_PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        proxy_hops=_count_env("CLAIMTRACK_PROXY_HOPS", 0),
        rate_limit_storage=os.environ.get("CLAIMTRACK_RATE_LIMIT_STORAGE", "memory://"),
        sign_in_limit_per_address=os.environ.get("CLAIMTRACK_SIGN_IN_LIMIT_PER_ADDRESS", "20 per minute"),
        sign_in_limit_per_account=os.environ.get("CLAIMTRACK_SIGN_IN_LIMIT_PER_ACCOUNT", "5 per minute"),
    )
