"""`claimtrack serve`: the app under gunicorn, several worker processes, each with its own pool."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication

from app import create_app


class ClaimtrackServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Each worker builds its own app (and database pool) after the fork.
        return create_app()


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def serve(host: str, port: int, workers: int, threads: int, access_log: bool) -> None:
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 20,
        "accesslog": "-" if access_log else None,
        "forwarded_allow_ips": "127.0.0.1",
    }
    ClaimtrackServer(options).run()
