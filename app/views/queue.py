"""The claim queue: every claim, filtered and sorted, a page at a time, with counts per status."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from jinja2.filters import do_truncate
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from app import forms
from app.auth import acting_user, requires, safe_next
from app.database import db_session
from app.formatting import claimant_name, status_label
from app.ids import parse_id
from claims import workflow
from claims.errors import BulkRefused, ValidationFailed
from claims.models import Claim, Status
from claims.permissions import Action, can
from claims.queue import (
    SEARCH_MAX_CHARS,
    QueueFilters,
    QueueRow,
    QueueRows,
    Sort,
    neighbours,
    queue_menus,
    queue_rows,
)
from claims.services.lookup import claims_write
from claims.verdicts import DEFAULT_SCALE

blueprint = Blueprint("queue", __name__)


def filters_from(args: MultiDict[str, str]) -> QueueFilters:
    """The queue's filters from its query string (the queue page's, or the one a claim page carries)."""
    status = args.get("status") or None
    verdict = args.get("verdict") or None
    assignee = acting_user().id if args.get("mine") else parse_id(args.get("assignee"), "assignee")
    return QueueFilters(
        status=status if status in {s.value for s in Status} else None,
        verdict=verdict if verdict in {r.name for r in DEFAULT_SCALE} else None,
        assignee_id=assignee,
        article_id=parse_id(args.get("article"), "article"),
        search=search_text(args.get("q")),
        strong_match=args.get("match") == "strong",
    )


def queue_neighbours(claim: Claim, query: str) -> tuple[int | None, int | None]:
    """The previous and next claim of the queue a claim page was opened from (its query string); none when
    that query is not one the queue would take (an old or edited link): the claim still shows."""
    args = MultiDict(parse_qsl(query))
    try:
        filters = filters_from(args)
    except ValidationFailed:
        return None, None
    return neighbours(db_session(), filters, sort_from(args), claim)


def sort_from(args: MultiDict[str, str]) -> Sort:
    return Sort(args["sort"]) if args.get("sort") in {s.value for s in Sort} else Sort.SCORE


def search_text(raw: str | None) -> str | None:
    """The queue's search words; over-long text is searched by its start, and the page says so."""
    text = (raw or "").strip()
    if len(text) > SEARCH_MAX_CHARS:
        flash(
            f"The search text is {len(text):,} characters long; only its first {SEARCH_MAX_CHARS} "
            "were searched for.",
            "error",
        )
    return text[:SEARCH_MAX_CHARS] or None


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A row of the queue table with its links and words made once in Python: per-row filters and
    `url_for` calls in the template were a good part of the page's time."""

    claim: QueueRow
    score: str
    link: str
    article_link: str
    text: str
    claimant: str
    status: str
    article_title: str
    verdict_badge: str | None


@blueprint.get("/queue")
def index() -> tuple[str, int]:
    session = db_session()
    filters = filters_from(request.args)
    sort = sort_from(request.args)
    status = 200
    try:
        page = queue_rows(session, filters, sort, request.args.get("after") or None)
    except ValidationFailed as exc:  # a broken page link: say so over the first page
        flash(str(exc), "error")
        page, status = queue_rows(session, filters, sort), 400
    menus = queue_menus(session, filters, page.counts)
    return render_template(
        "queue/index.html",
        entries=_entries(page.rows),
        counts=menus.counts,
        sort=sort,
        args=request.args,
        users=menus.assignees,
        article_options=_article_options(tuple(menus.articles), request.args.get("article")),
        verdicts=[rating.name for rating in DEFAULT_SCALE],
        statuses=[status.value for status in Status],
        next_query=_next_query(page),
        triage_form=forms.BulkTriageForm(back=request.full_path),
        may_triage=can(acting_user(), Action.TRIAGE),
    ), status


def _entries(rows: Sequence[QueueRow]) -> list[QueueEntry]:
    # Every claim link carries the queue it was opened from: encoded once here rather than per row.
    queue = urlencode(
        {"queue": urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "after"])}
    )
    claim_link = _link_by_id("claims.show", "claim_id")
    article_link = _link_by_id("articles.show", "article_id")
    return [
        QueueEntry(
            claim=row,
            score=f"{row.score:.2f}",
            link=f"{claim_link(row.id)}?{queue}",
            article_link=article_link(row.article_id),
            text=_shortened(row.text, 160),
            claimant=claimant_name(row.claimant),
            status=status_label(row.status),
            article_title=_shortened(row.article_title, 40),
            verdict_badge=_verdict_badge(row),
        )
        for row in rows
    ]


def _link_by_id(endpoint: str, field: str) -> Callable[[int], str]:
    """The address of `endpoint` for any id, routed once: a hundred `url_for` calls were a tenth of the
    page's time."""
    marker = 9_876_543_210
    head, _, tail = url_for(endpoint, **{field: marker}).rpartition(str(marker))
    return lambda entity_id: f"{head}{entity_id}{tail}"


@lru_cache(maxsize=64)
def _article_options(articles: tuple[tuple[int, str], ...], chosen: str | None) -> Markup:
    """The article menu's options, made once for a menu and choice: rendering a hundred options on
    every view was a third of the template's time, and the menu rarely changes."""
    option = Markup('<option value="{}"{}>{}</option>')
    return Markup("").join(
        option.format(id_, Markup(" selected") if chosen == str(id_) else "", _shortened(title, 50))
        for id_, title in articles
    )


def _shortened(text: str, length: int) -> str:
    """Jinja's `truncate` filter, called once in Python."""
    return do_truncate(current_app.jinja_env, text, length)


def _verdict_badge(row: QueueRow) -> str | None:
    """A verdict not yet published is marked as what it is."""
    if not row.verdict or row.status == Status.PUBLISHED:
        return None
    return "proposed" if row.status == Status.AWAITING_APPROVAL else "draft"


@blueprint.post("/claims/triage")
@requires(Action.TRIAGE)
def bulk_triage() -> Response:
    """Mark the ticked claims of the queue or an article's list; back to that page either way, with what
    happened to each refused claim, and nothing changed unless every claim could be marked."""
    form = forms.BulkTriageForm()
    back = safe_next(form.back.data)
    if not form.validate_on_submit():
        flash("Choose to mark the claims check-worthy or not check-worthy.", "error")
        return redirect(back, 303)
    session = db_session()
    try:
        versions = form.versions()
        with claims_write(session, versions):
            workflow.triage_many(
                session, acting_user(), versions, checkworthy=form.mark.data == "checkworthy"
            )
            session.commit()
    except BulkRefused as exc:
        session.rollback()
        flash(str(exc), "error")
        for claim_id, reason in exc.refusals.items():
            flash(f"Claim {claim_id}: {reason}.", "error")
    except ValidationFailed as exc:  # nothing ticked, or a tampered box
        flash(str(exc), "error")
    else:
        marked = "check-worthy" if form.mark.data == "checkworthy" else "not check-worthy"
        flash(f"Marked {len(versions)} claim{'s' if len(versions) != 1 else ''} {marked}.", "success")
    return redirect(back, 303)


def _next_query(page: QueueRows) -> dict[str, str] | None:
    if page.next_cursor is None:
        return None
    return {**request.args.to_dict(), "after": page.next_cursor}
