"""The web half of the plain-install job: sign in as the demo admin and import files through the form.

Standard library only: it runs in the plain install's venv, which has no test tools. Prints one line per
file (`imported`, `repeat` or `refused` with the page's message); exits 1 on anything else (a 500, a
missing page, a refusal without a message).

usage: smoke_web.py BASE_URL ADMIN_EMAIL ADMIN_PASSWORD FILE...
"""

from __future__ import annotations

import html
import http.cookiejar
import re
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FLASH = re.compile(r'<p class="flash flash-(\w+)"[^>]*>(.*?)</p>', re.S)
FIELD_ERROR = re.compile(r'<span class="field-error">(.*?)</span>', re.S)


class Browser:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def request(self, path: str, body: bytes | None = None, content_type: str = "") -> tuple[int, str]:
        """(status, page text) after redirects; 4xx answers are returned, not raised."""
        headers = {"Content-Type": content_type} if content_type else {}
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode(errors="replace")

    def csrf_token(self, path: str) -> str:
        status, page = self.request(path)
        found = CSRF_TOKEN.search(page)
        if status != 200 or not found:
            sys.exit(f"FAIL: GET {path} answered {status} without a CSRF token")
        return found.group(1)


def wait_until_healthy(browser: Browser, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, text = browser.request("/healthz")
            if status == 200 and text.strip() == "ok":
                print("healthz: ok")
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"FAIL: /healthz did not answer ok within {seconds:.0f} s")


def sign_in(browser: Browser, email: str, password: str) -> None:
    token = browser.csrf_token("/sign-in")
    print("sign-in page: ok")
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    status, page = browser.request("/sign-in", form, "application/x-www-form-urlencoded")
    if status != 200 or "Signed in as" not in page:
        sys.exit(f"FAIL: signing in as {email} answered {status}")
    print(f"signed in as {email}")


def multipart(fields: dict[str, str], upload: Path) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    chunks = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    chunks.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; filename="{upload.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + upload.read_bytes()
        + b"\r\n"
    )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def import_file(browser: Browser, path: Path) -> bool:
    """True when the page was imported (or was a repeat); False when refused with a clear message."""
    body, content_type = multipart({"csrf_token": browser.csrf_token("/articles/import")}, path)
    status, page = browser.request("/articles/import", body, content_type)
    messages = [(kind, html.unescape(text).strip()) for kind, text in FLASH.findall(page)]
    messages += [("error", html.unescape(text).strip()) for text in FIELD_ERROR.findall(page)]
    if status == 200 and ("success", "This text was imported before; here is that article.") in messages:
        print(f"repeat   {path.name}: already imported")
        return True
    if status == 200 and any(kind == "success" and text.startswith("Imported:") for kind, text in messages):
        print(f"imported {path.name}: {next(text for kind, text in messages if kind == 'success')}")
        return True
    errors = [text for kind, text in messages if kind == "error"]
    if status == 422 and len(errors) == 1 and "\n" not in errors[0]:
        print(f"refused  {path.name}: {errors[0]}")
        return False
    sys.exit(f"FAIL: importing {path.name} answered {status} with {messages or 'no message'}")


def main(base_url: str, email: str, password: str, *files: str) -> None:
    browser = Browser(base_url)
    wait_until_healthy(browser)
    sign_in(browser, email, password)
    refused = [path.name for path in map(Path, files) if not import_file(browser, path)]
    imported = len(files) - len(refused)
    print(f"web import: {imported} of {len(files)} files imported, refused: {refused or 'none'}")


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
