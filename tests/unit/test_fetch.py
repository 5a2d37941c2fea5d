"""The safe fetcher: every refusal in words, and the pages of the local server fetched as they are."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from claims.errors import ConfigurationError
from claims.snapshots.fetch import (
    FetchPolicy,
    FetchRefused,
    NameNotResolved,
    _CheckedHTTPConnection,
    fetch,
    parse_allow_list,
    system_resolver,
)
from tests.pageserver import (
    ARTICLE,
    LOCAL_POLICY,
    OTHER_HOST_NAME,
    LocalCertificates,
    Page,
    PageServer,
    resolve_test_names,
)

NO_ALLOW = FetchPolicy(deadline=5.0)


def resolver(answers: dict[str, list[str]]):
    return lambda host, port: answers[host]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "127.0.0.1 is a loopback address (this machine)"),
        ("http://127.8.9.10:8080/x", "is a loopback address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://10.1.2.3/", "10.1.2.3 is a private network address"),
        ("http://192.168.0.1/", "is a private network address"),
        ("http://172.16.5.4/", "is a private network address"),
        ("http://[fd12:3456::1]/", "is a private network address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata service address"),
        ("http://[fd00:ec2::254]/", "is a cloud metadata service address"),
        ("http://169.254.1.1/", "is a link-local address"),
        ("http://[fe80::1]/", "is a link-local address"),
        ("http://224.0.0.1/", "is a multicast address"),
        ("http://0.0.0.0/", "is an unspecified address"),
        ("http://[::]/", "is an unspecified address"),
        ("http://240.0.0.1/", "is a reserved address"),
        ("http://100.64.0.1/", "is not a public internet address"),
        ("http://[::ffff:127.0.0.1]/", "127.0.0.1 is a loopback address (this machine) (written as the IPv6"),
        ("http://[::ffff:a9fe:a9fe]/", "169.254.169.254 is a cloud metadata service address (written as"),
        ("http://[::ffff:10.0.0.1]/", "10.0.0.1 is a private network address"),
    ],
)
def test_addresses_inside_are_refused_before_anything_is_sent(url: str, reason: str) -> None:
    with pytest.raises(FetchRefused, match="refused to fetch") as refused:
        fetch(url, NO_ALLOW, resolver({}))
    assert reason in str(refused.value)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://example.org/file", "only http and https pages are fetched, not 'ftp'"),
        ("file:///etc/passwd", "only http and https pages are fetched, not 'file'"),
        ("gopher://example.org/", "not 'gopher'"),
        ("http://user:secret@example.org/", "addresses with a user name or password are not fetched"),
        ("http:///nohost", "names no host"),
        ("http://[::1/", "is not a valid address"),
    ],
)
def test_other_schemes_and_odd_addresses_are_refused(url: str, words: str) -> None:
    with pytest.raises(FetchRefused, match=words):
        fetch(url, NO_ALLOW, resolver({}))


def test_a_name_resolving_to_a_private_address_is_refused() -> None:
    with pytest.raises(FetchRefused, match=r"refused to fetch 'intranet\.example': 10\.0\.0\.7 is a private"):
        fetch("http://intranet.example/", NO_ALLOW, resolver({"intranet.example": ["10.0.0.7"]}))


def test_a_name_with_one_public_and_one_private_answer_is_refused() -> None:
    """DNS rebinding: the name answers a public address and an inside one; every answer is vetted."""
    answers = {"rebind.example": ["93.184.216.34", "127.0.0.1"]}
    with pytest.raises(FetchRefused, match=re.escape("127.0.0.1 is a loopback address")):
        fetch("http://rebind.example/", NO_ALLOW, resolver(answers))


def test_a_name_that_does_not_resolve_is_a_dns_failure() -> None:
    with pytest.raises(NameNotResolved, match=re.escape("the name 'gone.example' could not be resolved")):
        fetch("http://gone.example/", NO_ALLOW, resolve_test_names)


def test_the_connection_goes_to_the_vetted_address_and_the_peer_is_checked(pages: PageServer) -> None:
    """The socket's real peer is compared with the vetted address: a connection that reached another
    address (a proxy, a swapped answer) is closed and refused."""
    connection = _CheckedHTTPConnection(
        "127.0.0.1", pages.port, vetted=parse_allow_list("203.0.113.5")[0][0], policy=LOCAL_POLICY
    )
    with pytest.raises(FetchRefused, match=re.escape("connected to 127.0.0.1: not the vetted 203.0.113.5")):
        connection.connect()
    assert connection.sock is None


def test_the_allow_list_lets_a_trusted_network_through_but_never_metadata(pages: PageServer) -> None:
    pages.html("/a", ARTICLE)
    assert fetch(pages.url("/a"), LOCAL_POLICY, resolve_test_names).status == 200
    trusting = FetchPolicy(allow=parse_allow_list("169.254.0.0/16"))
    with pytest.raises(FetchRefused, match="cloud metadata service"):
        fetch("http://169.254.169.254/", trusting, resolver({}))


def test_a_bad_allow_list_is_refused_naming_the_item() -> None:
    with pytest.raises(Exception, match="CLAIMTRACK_FETCH_ALLOW: 'intranet' is not an IP address"):
        parse_allow_list("127.0.0.1, intranet")


def test_a_page_is_fetched_by_its_name_with_the_name_in_host(pages: PageServer) -> None:
    url = pages.html("/article", ARTICLE)

    result = fetch(url, LOCAL_POLICY, resolve_test_names)

    assert (result.status, result.content_type, result.final_url) == (200, "text/html", url)
    assert result.body == ARTICLE.encode() and result.redirects == []
    assert pages.requests == [("/article", f"pages.test:{pages.port}")]


def test_redirects_are_followed_and_recorded(pages: PageServer) -> None:
    final = pages.html("/final", ARTICLE)
    pages.redirect("/moved", "/final", status=301)
    start = pages.redirect("/start", pages.url("/moved"))

    result = fetch(start, LOCAL_POLICY, resolve_test_names)

    assert result.final_url == final
    assert [(r.url, r.status) for r in result.redirects] == [(start, 302), (pages.url("/moved"), 301)]


def test_a_redirect_to_a_private_address_is_refused(pages: PageServer) -> None:
    start = pages.redirect("/start", "http://10.0.0.1/admin")
    with pytest.raises(
        FetchRefused, match=re.escape("refused to fetch '10.0.0.1': 10.0.0.1 is a private network")
    ):
        fetch(start, LOCAL_POLICY, resolve_test_names)


def test_a_redirect_to_the_metadata_service_by_a_name_is_refused(pages: PageServer) -> None:
    start = pages.redirect("/start", "http://metadata.example/latest/")
    answers = {"pages.test": ["127.0.0.1"], "metadata.example": ["169.254.169.254"]}
    with pytest.raises(FetchRefused, match="cloud metadata service"):
        fetch(start, LOCAL_POLICY, resolver(answers))


def test_too_many_redirects_are_refused(pages: PageServer) -> None:
    for n in range(7):
        pages.redirect(f"/r{n}", f"/r{n + 1}")
    with pytest.raises(FetchRefused, match="more than 5 redirects"):
        fetch(pages.url("/r0"), LOCAL_POLICY, resolve_test_names)


def test_a_404_is_a_result_not_a_refusal(pages: PageServer) -> None:
    assert fetch(pages.url("/missing"), LOCAL_POLICY, resolve_test_names).status == 404


def test_an_oversized_page_is_refused_by_its_declared_length(pages: PageServer) -> None:
    pages.pages["/big"] = Page(body=b"x" * 5000)
    small = dataclasses.replace(LOCAL_POLICY, max_bytes=4096)
    with pytest.raises(FetchRefused, match="the page is 5,000 bytes, over the 4,096-byte limit"):
        fetch(pages.url("/big"), small, resolve_test_names)


def test_an_oversized_page_without_a_length_is_cut_off_while_streaming(pages: PageServer) -> None:
    pages.pages["/big"] = Page(body=b"<p>" + b"x" * 5000, delay_per_chunk=0.0001)
    small = dataclasses.replace(LOCAL_POLICY, max_bytes=1024)
    with pytest.raises(FetchRefused, match="the page is over the 1,024-byte limit"):
        fetch(pages.url("/big"), small, resolve_test_names)


def test_a_slow_page_is_given_up_after_the_total_deadline(pages: PageServer) -> None:
    """Each piece arrives well within the read timeout; the whole page takes far longer than allowed."""
    pages.pages["/slow"] = Page(body=ARTICLE.encode(), delay_per_chunk=0.05)
    hurried = dataclasses.replace(LOCAL_POLICY, deadline=0.5, read_timeout=2.0)
    with pytest.raises(FetchRefused, match=re.escape("the page took longer than 0.5 seconds in all")):
        fetch(pages.url("/slow"), hurried, resolve_test_names)


def test_a_page_that_stops_sending_hits_the_read_timeout(pages: PageServer) -> None:
    pages.pages["/stuck"] = Page(body=b"<p>start" + b" " * 20, delay_per_chunk=3.0)
    with pytest.raises(FetchRefused, match=r"read timeout|in all"):
        fetch(pages.url("/stuck"), dataclasses.replace(LOCAL_POLICY, read_timeout=0.3), resolve_test_names)


@pytest.mark.parametrize("content_type", ["image/png", "application/octet-stream", "application/json"])
def test_content_types_other_than_html_text_and_pdf_are_refused(pages: PageServer, content_type: str) -> None:
    pages.pages["/file"] = Page(body=b"\x89PNG", content_type=content_type)
    with pytest.raises(FetchRefused, match=f"the page is {content_type}; only HTML, PDF, plain text are"):
        fetch(pages.url("/file"), LOCAL_POLICY, resolve_test_names)


@pytest.mark.parametrize(
    "content_type", ["text/plain; charset=utf-8", "application/pdf", "application/xhtml+xml"]
)
def test_text_pdf_and_xhtml_are_kept(pages: PageServer, content_type: str) -> None:
    pages.pages["/file"] = Page(body=b"%PDF-1.4 or text", content_type=content_type)
    assert fetch(pages.url("/file"), LOCAL_POLICY, resolve_test_names).body == b"%PDF-1.4 or text"


def test_an_international_name_is_sent_as_its_ascii_form_and_odd_paths_are_escaped(pages: PageServer) -> None:
    pages.html("/%C3%BC?q=%C3%A9", ARTICLE)
    url = f"http://bücher.example:{pages.port}/ü?q=é#part"

    result = fetch(url, LOCAL_POLICY, resolver({"xn--bcher-kva.example": ["127.0.0.1"]}))

    assert result.status == 200
    assert pages.requests == [("/%C3%BC?q=%C3%A9", f"xn--bcher-kva.example:{pages.port}")]


def test_a_port_nobody_listens_on_is_refused_in_words() -> None:
    with pytest.raises(FetchRefused, match=r"could not be reached \(.*Connection refused\)"):
        fetch("http://127.0.0.1:9/", LOCAL_POLICY, resolve_test_names)


@pytest.mark.parametrize("url", ["http://a:²/", "http://" + "a" * 300 + ".example/", "http://exa mple.org/"])
def test_odd_addresses_are_refused_not_crashed_on(url: str) -> None:
    with pytest.raises(FetchRefused):
        fetch(url, NO_ALLOW, system_resolver)


def test_a_redirect_to_an_address_too_long_to_store_is_refused(pages: PageServer) -> None:
    start = pages.redirect("/start", "/" + "x" * 2100)
    with pytest.raises(FetchRefused, match="redirects to an address over 2,048 characters"):
        fetch(start, LOCAL_POLICY, resolve_test_names)


def test_an_https_page_is_fetched_when_its_authority_is_in_the_ca_bundle(
    tls_page_server: PageServer, test_certificates: LocalCertificates
) -> None:
    url = tls_page_server.html("/secure", ARTICLE)
    trusting = dataclasses.replace(LOCAL_POLICY, ca_bundle=str(test_certificates.ca))

    result = fetch(url, trusting, resolve_test_names)

    assert (result.status, result.final_url, result.body) == (200, url, ARTICLE.encode())


def test_an_https_page_whose_certificate_is_not_trusted_is_refused(tls_page_server: PageServer) -> None:
    url = tls_page_server.html("/secure", ARTICLE)

    with pytest.raises(FetchRefused) as refused:
        fetch(url, LOCAL_POLICY, resolve_test_names)

    assert str(refused.value) == (
        "the certificate of pages.test is not signed by a trusted authority (or has expired), "
        "so the page was not fetched"
    )


def test_an_https_page_whose_certificate_names_another_host_is_refused(
    tls_page_server: PageServer, test_certificates: LocalCertificates
) -> None:
    tls_page_server.html("/secure", ARTICLE)
    trusting = dataclasses.replace(LOCAL_POLICY, ca_bundle=str(test_certificates.ca))

    with pytest.raises(FetchRefused) as refused:
        fetch(tls_page_server.url("/secure", host=OTHER_HOST_NAME), trusting, resolve_test_names)

    assert str(refused.value) == (
        "the certificate of other.test is not valid for that name, so the page was not fetched"
    )


def test_a_ca_bundle_that_cannot_be_read_is_a_configuration_error_naming_it(
    tls_page_server: PageServer, tmp_path: Path
) -> None:
    missing = dataclasses.replace(LOCAL_POLICY, ca_bundle=str(tmp_path / "missing.pem"))

    with pytest.raises(ConfigurationError, match=r"CLAIMTRACK_FETCH_CA_BUNDLE names '.*missing\.pem'"):
        fetch(tls_page_server.html("/secure", ARTICLE), missing, resolve_test_names)
