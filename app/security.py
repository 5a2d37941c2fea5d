"""Security headers on every response, rate limits for sign-in, and proxy awareness.

A few lines rather than a library: the policy is strict (no inline script or style anywhere in the app;
JSON-LD is data, not script) and every header is tested.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def _storage_options(storage_uri: str) -> dict[str, object]:
    """Any storage failure as one error (limits' StorageError) that the error pages answer with 503; and an
    unreachable Redis noticed in seconds rather than after TCP's minutes."""
    options: dict[str, object] = {"wrap_exceptions": True}
    if storage_uri.startswith(("redis://", "rediss://")):
        options.update(socket_connect_timeout=2, socket_timeout=2)
    return options


def init_app(app: Flask, *, behind_https: bool, proxy_hops: int, rate_limit_storage: str) -> None:
    if proxy_hops:
        # Trust X-Forwarded-For/-Proto from that many proxies, so limits see the client and URLs say https.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxy_hops, x_proto=proxy_hops, x_host=proxy_hops)  # type: ignore[method-assign]
    app.config.setdefault("RATELIMIT_STORAGE_URI", rate_limit_storage)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", _storage_options(app.config["RATELIMIT_STORAGE_URI"]))
    limiter.init_app(app)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if behind_https or request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
