"""Evidence snapshots: the stored text of a cited page (never its HTML as a live page), the change a
recheck found, and the raw file as a download."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from werkzeug.wrappers import Response

from app.database import db_session
from claims.models import EvidenceSnapshot, Finding
from claims.models.snapshot import decode_body
from claims.snapshots.archive import archived

blueprint = Blueprint("snapshots", __name__)

EXTENSIONS = {
    "text/html": "html",
    "application/xhtml+xml": "xhtml",
    "text/plain": "txt",
    "application/pdf": "pdf",
}
# Only types a browser will not run: HTML is handed over as bytes to save, never as a page of this site.
DOWNLOAD_TYPES = {"text/plain": "text/plain; charset=utf-8", "application/pdf": "application/pdf"}


def load_snapshot(evidence_id: int, snapshot_id: int) -> EvidenceSnapshot:
    snapshot = db_session().get(EvidenceSnapshot, snapshot_id)
    if snapshot is None or snapshot.evidence_id != evidence_id:
        abort(404)
    return snapshot


@blueprint.get("/evidence/<int:evidence_id>/snapshots/<int:snapshot_id>")
def show(evidence_id: int, snapshot_id: int) -> str:
    snapshot = load_snapshot(evidence_id, snapshot_id)
    cited = archived(snapshot.evidence)
    compare = cited if snapshot.finding == Finding.CHANGED and cited is not None else None
    return render_template(
        "snapshots/show.html", snapshot=snapshot, evidence=snapshot.evidence, cited=compare
    )


@blueprint.get("/evidence/<int:evidence_id>/snapshots/<int:snapshot_id>/raw")
def raw(evidence_id: int, snapshot_id: int) -> Response:
    snapshot = load_snapshot(evidence_id, snapshot_id)
    body = decode_body(snapshot.body)
    if body is None:
        abort(404)
    extension = EXTENSIONS.get(snapshot.content_type or "", "bin")
    response = Response(body, mimetype="application/octet-stream")
    response.headers["Content-Type"] = DOWNLOAD_TYPES.get(
        snapshot.content_type or "", "application/octet-stream"
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="evidence-{evidence_id}-snapshot-{snapshot_id}.{extension}"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even opened in place, the file runs no script and reaches nothing of this site.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
