"""Fetching a cited page from the server, which is an attack surface: a URL a reviewer typed must not
reach this machine, the desk's network or a cloud's metadata service.

Each hop (the first URL and every redirect) is vetted before anything is sent: http or https only,
the name resolved here, every address it resolves to checked, and the connection made to the vetted
address itself (the name goes only into the Host header and TLS SNI/certificate check), so a second
DNS answer cannot swap in another address; the address actually connected to is checked again. The
body is read in chunks under a size cap and a total deadline, and only HTML, plain text and PDF are kept.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
import urllib3.connection

from claims.errors import ClaimtrackError, ConfigurationError

ALLOW_ENV = "CLAIMTRACK_FETCH_ALLOW"
CA_BUNDLE_ENV = "CLAIMTRACK_FETCH_CA_BUNDLE"
USER_AGENT = "claimtrack-archiver/1 (+evidence snapshots)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
KEPT_CONTENT_TYPES = {
    "text/html": "HTML",
    "application/xhtml+xml": "HTML",
    "text/plain": "plain text",
    "application/pdf": "PDF",
}
# Cloud metadata services: refused even when an allow-list covers their network.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
CHUNK = 64 * 1024
MAX_URL_CHARS = 2048  # what an evidence URL may be, and what a snapshot's final URL column holds

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]


class FetchRefused(ClaimtrackError):
    """The page was not fetched, or not kept; the message says why in words."""


class NameNotResolved(FetchRefused):
    """DNS has no address for the name: for a recheck, the page is gone."""


@dataclass(frozen=True)
class FetchPolicy:
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    deadline: float = 30.0
    # Networks a desk trusts despite being private (an intranet, a test server on loopback).
    allow: tuple[IPNetwork, ...] = ()
    # A PEM file of certificate authorities trusted besides the system's (an intranet's own CA, tests).
    ca_bundle: str | None = None

    @classmethod
    def from_environment(cls) -> FetchPolicy:
        return cls(
            allow=parse_allow_list(os.environ.get(ALLOW_ENV, "")),
            ca_bundle=os.environ.get(CA_BUNDLE_ENV) or None,
        )


def parse_allow_list(raw: str) -> tuple[IPNetwork, ...]:
    """`127.0.0.1, 10.0.0.0/8, ::1`: addresses or networks, separated by commas or spaces."""
    networks = []
    for item in raw.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ClaimtrackError(f"{ALLOW_ENV}: {item!r} is not an IP address or network") from None
    return tuple(networks)


@dataclass(frozen=True)
class Redirect:
    url: str
    status: int


@dataclass
class FetchResult:
    requested_url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    redirects: list[Redirect] = field(default_factory=list)


def why_forbidden(address: IPAddress, policy: FetchPolicy) -> str | None:
    """In words, why the server must not connect to `address`; None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        reason = why_forbidden(address.ipv4_mapped, policy)
        return f"{reason} (written as the IPv6 address {address})" if reason else None
    if address in METADATA_ADDRESSES:
        return f"{address} is a cloud metadata service address"
    if any(address in network for network in policy.allow):
        return None
    kinds = (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address (this machine)"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private network address"),
    )
    for attribute, words in kinds:
        if getattr(address, attribute):
            return f"{address} is {words}"
    if not address.is_global:
        return f"{address} is not a public internet address"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str  # the name, for Host and SNI
    port: int
    address: IPAddress  # the vetted address connected to


def vet(url: str, policy: FetchPolicy, resolve: Resolver) -> Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchRefused(f"{url[:200]!r} is not a valid address") from None
    if parts.scheme not in {"http", "https"}:
        raise FetchRefused(f"only http and https pages are fetched, not {parts.scheme or 'no scheme'!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused(f"{url[:200]!r} names no host")
    try:
        host = host.encode("idna").decode("ascii")  # bücher.example → xn--bcher-kva.example, for DNS and Host
    except UnicodeError:
        raise FetchRefused(f"{host[:200]!r} is not a valid host name") from None
    if parts.username or parts.password:
        raise FetchRefused("addresses with a user name or password are not fetched")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        literal = ipaddress.ip_address(host)
        names = [str(literal)]
    except ValueError:
        try:
            names = resolve(host, port)
        except (OSError, UnicodeError):
            raise NameNotResolved(f"the name {host!r} could not be resolved (DNS failure)") from None
    if not names:
        raise NameNotResolved(f"the name {host!r} could not be resolved (DNS failure)")
    addresses = [ipaddress.ip_address(name.split("%")[0]) for name in names]
    # Every answer is checked, not only the one used: a name that also points inside is refused.
    for address in addresses:
        reason = why_forbidden(address, policy)
        if reason:
            raise FetchRefused(f"refused to fetch {host!r}: {reason}")
    return Target(url, parts.scheme, host, port, addresses[0])


def fetch(url: str, policy: FetchPolicy | None = None, resolve: Resolver = system_resolver) -> FetchResult:
    """The page at `url` after redirects, or FetchRefused. A 4xx/5xx answer is a result, not a refusal."""
    policy = policy or FetchPolicy.from_environment()
    deadline = time.monotonic() + policy.deadline
    redirects: list[Redirect] = []
    current = url
    while True:
        target = vet(current, policy, resolve)
        response = _request(target, policy, deadline)
        try:
            location = response.headers.get("Location")
            if response.status in REDIRECT_STATUSES and location:
                redirects.append(Redirect(current, response.status))
                if len(redirects) > policy.max_redirects:
                    raise FetchRefused(f"more than {policy.max_redirects} redirects")
                current = urljoin(current, location)
                if len(current) > MAX_URL_CHARS:
                    raise FetchRefused(f"the page redirects to an address over {MAX_URL_CHARS:,} characters")
                continue
            content_type = _content_type(response)
            if response.status < 400 and content_type not in KEPT_CONTENT_TYPES:
                kept = ", ".join(sorted(set(KEPT_CONTENT_TYPES.values())))
                raise FetchRefused(
                    f"the page is {content_type or 'of no stated type'}; only {kept} are archived"
                )
            body = _read_capped(response, policy, deadline)
            return FetchResult(url, current, response.status, content_type, body, redirects)
        finally:
            response.release_conn()


class _CheckedPeer:
    """Checks, once connected, the address the socket is actually connected to (defence in depth:
    the vetted address was given, but nothing else may have been reached, e.g. through a proxy)."""

    def __init__(self, *args: Any, vetted: IPAddress, policy: FetchPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vetted, self.policy = vetted, policy

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        raw = self.sock.getpeername()[0]  # type: ignore[attr-defined]
        peer = ipaddress.ip_address(raw.split("%")[0])
        reason = why_forbidden(peer, self.policy)
        if reason or peer != self.vetted:
            self.close()  # type: ignore[attr-defined]
            raise FetchRefused(f"refused: connected to {peer}: {reason or f'not the vetted {self.vetted}'}")


class _CheckedHTTPConnection(_CheckedPeer, urllib3.connection.HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedPeer, urllib3.connection.HTTPSConnection):
    pass


class _CheckedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


def _request(target: Target, policy: FetchPolicy, deadline: float) -> urllib3.BaseHTTPResponse:
    remaining = _remaining(deadline, policy)
    timeout = urllib3.Timeout(
        connect=min(policy.connect_timeout, remaining), read=min(policy.read_timeout, remaining)
    )
    common: dict[str, Any] = {
        "port": target.port,
        "timeout": timeout,
        "retries": False,
        "maxsize": 1,
        "vetted": target.address,
        "policy": policy,
    }
    # Connect to the vetted address; the name goes only into Host and (https) SNI and the certificate check.
    if target.scheme == "https":
        pool: urllib3.HTTPConnectionPool = _CheckedHTTPSPool(
            str(target.address),
            server_hostname=target.host,
            assert_hostname=target.host,
            ssl_context=_tls_context(policy.ca_bundle),
            **common,
        )
    else:
        pool = _CheckedHTTPPool(str(target.address), **common)
    path = urlsplit(target.url)._replace(scheme="", netloc="", fragment="").geturl() or "/"
    host_header = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
    try:
        return pool.urlopen(
            "GET",
            path,
            headers={"Host": host_header, "User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
            redirect=False,
            preload_content=False,
            decode_content=False,
            assert_same_host=False,
        )
    except urllib3.exceptions.NewConnectionError as exc:  # a subclass of ConnectTimeoutError: first
        raise FetchRefused(f"{target.host} could not be reached ({_reason(exc)})") from None
    except urllib3.exceptions.ConnectTimeoutError:
        raise FetchRefused(f"{target.host} did not accept a connection in time") from None
    except urllib3.exceptions.ReadTimeoutError:
        raise FetchRefused(f"{target.host} did not answer in time") from None
    except urllib3.exceptions.SSLError as exc:
        raise FetchRefused(_tls_refusal(target.host, exc)) from None
    except urllib3.exceptions.HTTPError as exc:
        raise FetchRefused(f"{target.host} could not be reached ({_reason(exc)})") from None


@cache
def _tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """The system's certificate authorities, and those of `ca_bundle` besides (made once per bundle)."""
    context = ssl.create_default_context()
    if ca_bundle:
        try:
            context.load_verify_locations(cafile=ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigurationError(
                f"{CA_BUNDLE_ENV} names {ca_bundle!r}, which is not a readable file of PEM certificates "
                f"({exc.strerror or exc})"
            ) from None
    return context


def _tls_refusal(host: str, exc: Exception) -> str:
    reason = str(getattr(exc, "reason", None) or exc)
    if "Hostname mismatch" in reason or "doesn't match" in reason or "does not match" in reason:
        return f"the certificate of {host} is not valid for that name, so the page was not fetched"
    if "CERTIFICATE_VERIFY_FAILED" in reason:
        return (
            f"the certificate of {host} is not signed by a trusted authority (or has expired), "
            "so the page was not fetched"
        )
    return f"{host}: the secure connection failed ({_reason(exc)})"


def _content_type(response: urllib3.BaseHTTPResponse) -> str:
    return (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def _read_capped(response: urllib3.BaseHTTPResponse, policy: FetchPolicy, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdecimal() and int(declared) > policy.max_bytes:
        raise FetchRefused(f"the page is {int(declared):,} bytes, over the {policy.max_bytes:,}-byte limit")
    chunks, size = [], 0
    try:
        while chunk := response.read1(CHUNK):
            size += len(chunk)
            if size > policy.max_bytes:
                raise FetchRefused(f"the page is over the {policy.max_bytes:,}-byte limit")
            chunks.append(chunk)
            _remaining(deadline, policy)
    except urllib3.exceptions.ReadTimeoutError:
        raise FetchRefused("the page stopped sending before it was complete (read timeout)") from None
    except urllib3.exceptions.ProtocolError as exc:
        raise FetchRefused(f"the page was cut off ({_reason(exc)})") from None
    return b"".join(chunks)


def _remaining(deadline: float, policy: FetchPolicy) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchRefused(f"the page took longer than {policy.deadline:g} seconds in all")
    return left


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    return str(reason).split(": ", 1)[-1][:200]
