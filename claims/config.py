"""Settings read from the environment, shared by the CLI, the web app and scripts."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from claims.errors import ConfigurationError

# Relative to the working directory: an installed package must not write into its own folder.
INSTANCE_DIR = Path("instance")
DEFAULT_MAX_IMPORT_BYTES = 5 * 1024 * 1024
# A long news feature has a few hundred sentences and a long report a couple of thousand; a text with more
# is refused before it is scored, so one import cannot hold a worker for minutes (docs/deploy.md, limits).
DEFAULT_MAX_CLAIMS_PER_ARTICLE = 3000
DEVELOPMENT_SECRET_KEY = "claimtrack-development-only"
DEFAULT_JOB_QUEUE = "claimtrack-jobs"
# A running job writes a heartbeat every quarter of this; one older than this means its worker died.
DEFAULT_JOB_STALE_SECONDS = 60
# Every cited page is fetched again this often by the workers (or the app's thread); 0 turns it off.
DEFAULT_RECHECK_HOURS = 24.0


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    environment: str
    max_import_bytes: int
    max_claims_per_article: int
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
    redis_url: str | None  # None: jobs run in a background thread of the app (claims.jobs)
    job_queue: str
    job_stale_seconds: int
    recheck_hours: float  # 0: no periodic recheck of cited pages


def hours_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number of hours (0 turns it off), got {raw!r}") from None
    if not 0 <= value < 24 * 365 * 10:
        raise ConfigurationError(f"{name} must be 0 (off) or a positive number of hours, got {raw!r}")
    return value


def _int_env(name: str, default: int, unit: str) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number of {unit}, got {raw!r}") from None
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
        max_import_bytes=_int_env("CLAIMTRACK_MAX_IMPORT_BYTES", DEFAULT_MAX_IMPORT_BYTES, "bytes"),
        max_claims_per_article=_int_env(
            "CLAIMTRACK_MAX_CLAIMS_PER_ARTICLE", DEFAULT_MAX_CLAIMS_PER_ARTICLE, "sentences"
        ),
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
        redis_url=os.environ.get("CLAIMTRACK_REDIS_URL") or None,
        job_queue=os.environ.get("CLAIMTRACK_JOB_QUEUE") or DEFAULT_JOB_QUEUE,
        job_stale_seconds=_int_env("CLAIMTRACK_JOB_STALE_SECONDS", DEFAULT_JOB_STALE_SECONDS, "seconds"),
        recheck_hours=hours_env("CLAIMTRACK_RECHECK_HOURS", DEFAULT_RECHECK_HOURS),
    )


def built_in_key_warning(settings: Settings) -> str | None:
    """For the commands that serve the app: the built-in key signs cookies anyone can forge (it is in the
    source), so it is accepted only on the demo database, and then with a warning to print at start-up."""
    if settings.secret_key != DEVELOPMENT_SECRET_KEY:
        return None
    if settings.database_url != default_database_url():
        database = _without_password(settings.database_url)
        raise ConfigurationError(
            f"CLAIMTRACK_SECRET_KEY must be set to serve {database}: the built-in development key, which "
            f"anyone can read in the source, is only for the demo database at {default_database_url()} "
            "(a database named by CLAIMTRACK_DATABASE_URL may hold real work, even one `claimtrack demo` "
            "filled)"
        )
    return (
        "warning: session cookies are signed with the built-in development key, which is public; that is "
        "only acceptable for the demo database. Set CLAIMTRACK_SECRET_KEY (and CLAIMTRACK_ENV=production) "
        "for real use."
    )


def _without_password(database_url: str) -> str:
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "that database"
