"""Snapshots as a WARC file (ISO 28500, what web archives and replay tools read), written with warcio:
a `warcinfo` record, then one `response` record per snapshot that kept a body, in the order taken.

Only the status and the content type of the original answer were stored, so each record's HTTP
headers are those two and the length; the body is byte for byte what was fetched (its SHA-256, the one
in the audit record, is in a `WARC-Claimtrack-Body-SHA256` header), dated by its fetch time, at its
final address after redirects.
"""

from __future__ import annotations

import io
from http import HTTPStatus
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.models import Evidence, EvidenceSnapshot
from claims.models.snapshot import decode_body

READ_BATCH = 50  # snapshots loaded at a time: bodies are up to 10 MB each


def write_warc(session: Session, out: IO[bytes], *, claim_id: int | None = None) -> int:
    """Write the WARC (gzip per record) to `out`; how many snapshots it holds."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(out, gzip=True)
    writer.write_record(
        writer.create_warcinfo_record(
            "claimtrack-snapshots.warc.gz", {"software": "claimtrack", "format": "WARC File Format 1.1"}
        )
    )
    query = select(EvidenceSnapshot).where(EvidenceSnapshot.body.is_not(None)).order_by(EvidenceSnapshot.id)
    if claim_id is not None:
        query = query.join(Evidence).where(Evidence.claim_id == claim_id)
    written = 0
    for snapshot in session.scalars(query.execution_options(yield_per=READ_BATCH)):
        body = decode_body(snapshot.body) or b""
        status = f"{snapshot.http_status} {_phrase(snapshot.http_status)}"
        headers = [("Content-Type", snapshot.content_type or "application/octet-stream")]
        headers.append(("Content-Length", str(len(body))))
        record = writer.create_warc_record(
            snapshot.final_url or snapshot.requested_url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),  # known: no spooling to a temporary file
            http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
            warc_headers_dict={
                "WARC-Date": snapshot.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "WARC-Claimtrack-Body-SHA256": snapshot.body_sha256 or "",
            },
        )
        writer.write_record(record)
        written += 1
        session.expunge(snapshot)  # the body is written: let it go
    return written


def _phrase(status: int | None) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
