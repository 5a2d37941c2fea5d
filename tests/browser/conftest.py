"""Browser fixtures: the app served on a free loopback port over a real database, and Debian's Chromium.

Without /usr/bin/chromium the browser tests skip with a reason, except under CI=true, where they fail.
"""

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from app import create_app
from claims import schema

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("CLAIMTRACK_SCREENSHOTS_DIR", "test-results/screenshots"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        message = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(empty_database_url: str) -> Iterator[str]:
    """The app over a migrated database of its own, served until the test ends; yields its base URL."""
    schema.upgrade(empty_database_url)
    app = create_app({"DATABASE_URL": empty_database_url})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        app.extensions["claimtrack_jobs"].stop()  # the app's job thread (no Redis in these tests)
        app.extensions["claimtrack_sessions"].kw["bind"].dispose()


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Path:
    folder = SCREENSHOTS / request.node.name.replace("[", "-").replace("]", "")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Werkzeug's development server, which serves these tests (production runs gunicorn), leaves a static
    # file open when the browser drops the connection while it is sent (Chromium does, for the favicon, as
    # a page navigates away); warnings are errors here, so that would fail a test at random.
    static_file_left_open = pytest.mark.filterwarnings(
        "ignore:unclosed file <_io.BufferedReader name=.*/app/static/:ResourceWarning"
    )
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(static_file_left_open)
