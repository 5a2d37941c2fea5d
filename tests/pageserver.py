"""A local HTTP server of cited pages for snapshot tests: pages, redirects, 404s, a slow page, an
oversized page, a page that changes, a wrong content type. It listens on loopback, so tests that fetch
from it allow-list 127.0.0.1 (`policy`) and reach it by a test name (`resolve`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claims.snapshots.fetch import FetchPolicy, parse_allow_list

HOST_NAME = "pages.test"
ARTICLE = (
    "<html><head><title>Budget report</title></head><body><nav>Home | News</nav><article>"
    "<h1>Budget report</h1>"
    + "".join(
        f"<p>The council spent {n} million on roads in year {n}, according to the published accounts of "
        f"the city, which list every contract and its cost in detail.</p>"
        for n in range(1, 9)
    )
    + "</article></body></html>"
)


@dataclass
class Page:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay_per_chunk: float = 0.0  # a slow page sends its body a little at a time


class PageServer:
    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, str]] = []  # (path, Host header)
        server = self
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://{HOST_NAME}:{self.port}{path}"

    def html(self, path: str, html: str, **options: object) -> str:
        self.pages[path] = Page(body=html.encode(), **options)  # type: ignore[arg-type]
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        self.pages[path] = Page(status=status, headers={"Location": location})
        return self.url(path)


def _handler(server: PageServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.requests.append((self.path, self.headers.get("Host", "")))
            page = server.pages.get(self.path, Page(status=404, body=b"<html><body>Not found</body></html>"))
            self.send_response(page.status)
            self.send_header("Content-Type", page.content_type)
            for name, value in page.headers.items():
                self.send_header(name, value)
            if not page.delay_per_chunk:
                self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            if not page.delay_per_chunk:
                self.wfile.write(page.body)
                return
            for start in range(0, len(page.body), 16):
                self.wfile.write(page.body[start : start + 16])
                self.wfile.flush()
                time.sleep(page.delay_per_chunk)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(scope="session")
def page_server() -> Iterator[PageServer]:
    server = PageServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def pages(page_server: PageServer) -> Iterator[PageServer]:
    """The server with no pages: each test serves its own."""
    page_server.pages.clear()
    page_server.requests.clear()
    yield page_server
    page_server.pages.clear()


def resolve_test_names(host: str, port: int) -> list[str]:
    """`pages.test` is the local server; any other name does not resolve (no network in tests)."""
    if host == HOST_NAME:
        return ["127.0.0.1"]
    raise OSError(f"test resolver: no address for {host}")


LOCAL_POLICY = FetchPolicy(allow=parse_allow_list("127.0.0.1"), deadline=5.0, read_timeout=2.0)
