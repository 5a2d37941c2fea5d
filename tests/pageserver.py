"""A local HTTP server of cited pages for snapshot tests: pages, redirects, 404s, a slow page, an
oversized page, a page that changes, a wrong content type. It listens on loopback, so tests that fetch
from it allow-list 127.0.0.1 (`policy`) and reach it by a test name (`resolve`)."""

from __future__ import annotations

import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from claims.snapshots.fetch import FetchPolicy, parse_allow_list

HOST_NAME = "pages.test"
OTHER_HOST_NAME = "other.test"  # the same server by another name: its certificate does not cover it
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


def pdf_with_text(*lines: str) -> bytes:
    """A one-page PDF showing `lines` in Helvetica, written out here (no binary fixture): the catalogue,
    the page tree, a page, its content stream and font, and the cross-reference table pypdf reads."""
    shown = "".join(
        f"BT /F1 12 Tf 72 {720 - 16 * n} Td ({line.replace('(', '[').replace(')', ']')}) Tj ET\n"
        for n, line in enumerate(lines)
    ).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%sendstream" % (len(shown), shown),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return pdf


@dataclass
class Page:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay_per_chunk: float = 0.0  # a slow page sends its body a little at a time


class PageServer:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, str]] = []  # (path, Host header)
        server = self
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str, host: str = HOST_NAME) -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def html(self, path: str, html: str, **options: object) -> str:
        self.pages[path] = Page(body=html.encode(), **options)  # type: ignore[arg-type]
        return self.url(path)

    def pdf(self, path: str, *lines: str) -> str:
        self.pages[path] = Page(body=pdf_with_text(*lines), content_type="application/pdf")
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


@dataclass(frozen=True)
class LocalCertificates:
    ca: Path  # the PEM of a certificate authority made for the test run
    certificate: Path  # pages.test's certificate, signed by it
    key: Path


def make_certificates(folder: Path) -> LocalCertificates:
    """A certificate authority and a certificate for pages.test it signed, made with the openssl command
    (the `cryptography` package is not a dependency here); valid for two days."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl(
        "req",
        "-x509",
        *key,
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=claimtrack test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    )
    openssl("req", *key, "-keyout", "server.key", "-out", "server.csr", "-subj", f"/CN={HOST_NAME}")
    (folder / "server.ext").write_text(f"subjectAltName=DNS:{HOST_NAME}\nextendedKeyUsage=serverAuth\n")
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    )
    return LocalCertificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")


@pytest.fixture(scope="session")
def test_certificates(tmp_path_factory: pytest.TempPathFactory) -> LocalCertificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def tls_page_server(test_certificates: LocalCertificates) -> Iterator[PageServer]:
    """The page server over TLS, with a certificate for pages.test signed by the test's own authority."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(test_certificates.certificate, test_certificates.key)
    server = PageServer(tls=context)
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def resolve_test_names(host: str, port: int) -> list[str]:
    """`pages.test` (and `other.test`) is the local server; any other name does not resolve (no network
    in tests)."""
    if host in (HOST_NAME, OTHER_HOST_NAME):
        return ["127.0.0.1"]
    raise OSError(f"test resolver: no address for {host}")


LOCAL_POLICY = FetchPolicy(allow=parse_allow_list("127.0.0.1"), deadline=5.0, read_timeout=2.0)
