"""Jobs: the list and a job's page (with progress polled by static/claimtrack.js), retrying, starting
the desk-wide jobs, and the bulk import form that submits one."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app import forms
from app.auth import acting_user
from app.database import db_session
from claims.errors import ClaimtrackError, ValidationFailed
from claims.jobs import bulk_import, matching_index, rescoring
from claims.jobs.records import retry, submit, visible_job, visible_jobs
from claims.jobs.registry import KINDS
from claims.jobs.starting import commit_and_start
from claims.permissions import can
from claims.serialize import job_summary
from claims.validation import whole_number

blueprint = Blueprint("jobs", __name__)

# Desk-wide jobs an admin starts from the /jobs page (they take no parameters).
STARTABLE = (rescoring.KIND, matching_index.KIND)
MAX_PROGRESS_IDS = 100


def _startable_forms() -> list[tuple[str, forms.JobForm]]:
    user = acting_user()
    return [
        (KINDS[kind].label, forms.JobForm(formdata=None, kind=kind))
        for kind in STARTABLE
        if can(user, KINDS[kind].action)
    ]


@blueprint.get("/jobs")
def index() -> str:
    return render_template(
        "jobs/index.html",
        jobs=visible_jobs(db_session(), acting_user()),
        kinds=KINDS,
        startable=_startable_forms(),
        retry_form=forms.JobForm(formdata=None),
    )


@blueprint.get("/jobs/<int:job_id>")
def show(job_id: int) -> str:
    job = visible_job(db_session(), acting_user(), job_id)
    return render_template("jobs/show.html", job=job, kinds=KINDS, retry_form=forms.JobForm(formdata=None))


@blueprint.get("/jobs/progress")
def progress() -> Response:
    """The state and progress of the jobs named in `ids` (comma-separated) that this user may see."""
    raw = request.args.get("ids", "")
    ids = [whole_number("ids", part) for part in raw.split(",") if part][:MAX_PROGRESS_IDS]
    user, session = acting_user(), db_session()
    found = []
    for job_id in ids:
        try:
            found.append(job_summary(visible_job(session, user, job_id)))
        except ClaimtrackError:
            continue
    return jsonify(jobs=found)


@blueprint.post("/jobs")
def start() -> Response:
    form = forms.JobForm()
    if not form.validate_on_submit() or form.kind.data not in STARTABLE:
        raise ValidationFailed("kind", "choose one of the jobs offered on this page")
    session = db_session()
    job = submit(session, form.kind.data, {}, acting_user())
    if commit_and_start(session, job):
        flash(f"{KINDS[job.kind].label}: queued.", "success")
    return redirect(url_for("jobs.show", job_id=job.id))


@blueprint.post("/jobs/<int:job_id>/retry")
def retry_job(job_id: int) -> Response:
    form = forms.JobForm()
    if not form.validate_on_submit():
        raise ValidationFailed("csrf_token", "the form expired; reload the page and try again")
    session = db_session()
    job = retry(session, acting_user(), job_id)
    if commit_and_start(session, job):
        flash("Queued again.", "success")
    return redirect(url_for("jobs.show", job_id=job.id))


@blueprint.route("/articles/import/bulk", methods=["GET", "POST"])
def bulk_import_form() -> str | Response | tuple[str, int]:
    max_bytes = current_app.config["CLAIMTRACK_SETTINGS"].max_import_bytes
    request.max_content_length = max_bytes * bulk_import.MAX_UPLOAD_FACTOR
    form = forms.BulkImportForm()
    uploads = [upload for upload in form.uploads.data or [] if upload and upload.filename]
    valid = form.validate_on_submit()
    try:
        urls = bulk_import.url_params((form.urls.data or "").splitlines())
    except ValidationFailed as refused:
        form.urls.errors = [str(refused)]  # after validation, which starts each field's errors afresh
        valid, urls = False, []
    if not valid or not (uploads or urls):
        if request.method == "POST" and not form.errors and not form.urls.errors:
            flash("Choose one or more files to import, or list the addresses of pages.", "error")
        status = 422 if request.method == "POST" else 200
        return render_template(
            "articles/bulk.html",
            form=form,
            max_bytes=max_bytes,
            max_total=max_bytes * bulk_import.MAX_UPLOAD_FACTOR,
            max_urls=bulk_import.MAX_URLS,
        ), status
    # Each file is read whole only up to the limit; the job refuses it in words (too large, wrong type).
    params = {
        "files": [
            bulk_import.file_param(upload.filename, upload.stream.read(max_bytes + 1)) for upload in uploads
        ],
        "urls": urls,
        "overrides": {"publisher": form.publisher.data or None, "language": form.language.data or None},
    }
    session = db_session()
    job = submit(session, bulk_import.KIND, params, acting_user())
    if commit_and_start(session, job):
        parts = [_count(uploads, "file"), _count(urls, "page")]
        flash(f"Importing {' and '.join(part for part in parts if part)} in the background.", "success")
    return redirect(url_for("jobs.show", job_id=job.id))


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}(s)" if items else ""
