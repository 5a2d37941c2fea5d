"""Folding audit events into the rows they describe.

Each event names an entity and carries `{field: [old, new]}`. A creation event carries every value
the new row starts with (fields left out are None or the column's default below); a later event
carries what changed. A few actions also move or copy related rows by a rule the event names:
a merge moves the merged claims' evidence, comments and sources to the claim kept, a split-off
claim starts with the sources of the claim it was split from, and a removed claim takes its
appearances with it. Values are kept as `audit.jsonable` gives them, so they compare with any row
passed through the same function.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from claims.models import AuditEvent

# The columns the history determines, per table; these are what is compared with the tables.
# Left out on purpose: keys, the moments rows were written (created_at, updated_at, added_at,
# imported_at: the event's own `occurred_at` is the record of when), secrets, and the article body,
# which is compared through its `content_hash` instead.
HISTORY_COLUMNS: dict[str, tuple[str, ...]] = {
    "settings": ("value",),
    "users": ("email", "display_name", "role", "is_active", "session_version"),
    "api_tokens": ("user_id", "name", "revoked_at"),
    "articles": (
        "title",
        "url",
        "publisher",
        "author",
        "published_on",
        "language",
        "content_hash",
        "imported_by_id",
    ),
    "sources": ("name", "url", "type"),
    "claims": (
        "article_id",
        "start",
        "end",
        "sentence",
        "text",
        "claimant",
        "quotation",
        "score",
        "reasons",
        "status",
        "verdict",
        "rationale",
        "assignee_id",
        "proposed_by_id",
        "published_at",
        "version",
    ),
    "appearances": ("added_by_id",),
    "evidence": (
        "claim_id",
        "url",
        "title",
        "publisher",
        "excerpt",
        "note",
        "stance",
        "added_by_id",
        "retracted_at",
        "retracted_by_id",
        "retraction_reason",
    ),
    "comments": ("claim_id", "author_id", "body"),
    # The body is compared through its body_sha256 (claims.replay.compare), its text is derived from it.
    "evidence_snapshots": (
        "evidence_id",
        "purpose",
        "requested_url",
        "final_url",
        "redirects",
        "http_status",
        "content_type",
        "body_sha256",
        "body_size",
        "error",
        "finding",
    ),
    "fact_checks": (
        "url",
        "claim_reviewed",
        "headline",
        "organisation",
        "rating",
        "rating_value",
        "best_rating",
        "worst_rating",
        "published_on",
        "claimant",
        "appearances",
        "imported_by_id",
    ),
    "claim_links": ("claim_id", "target_kind", "target_id", "decision", "score", "decided_by_id"),
}

TABLE_OF_ENTITY = {
    "article": "articles",
    "source": "sources",
    "claim": "claims",
    "evidence": "evidence",
    "comment": "comments",
    "user": "users",
    "api_token": "api_tokens",
    "fact_check": "fact_checks",
    "claim_link": "claim_links",
    "evidence_snapshot": "evidence_snapshots",
}
CREATIONS = frozenset(
    {
        "article.imported",
        "source.created",
        "claim.created",
        "claim.split_off",
        "claim.added_from_selection",
        "evidence.added",
        "comment.added",
        "user.created",
        "api_token.created",
        "fact_check.imported",
        "claim_link.decided",
        "evidence_snapshot.archived",
        "evidence_snapshot.rechecked",
        "evidence_snapshot.marked",
    }
)
# Values a new row has that its creation event does not need to repeat.
DEFAULTS: dict[str, dict[str, Any]] = {
    "articles": {"language": "en"},
    "claims": {"reasons": [], "version": 1},
    "users": {"is_active": True, "session_version": 0},
    "fact_checks": {"appearances": []},
    "evidence_snapshots": {"redirects": []},
}
# Filled from the event itself rather than from its changes.
FROM_ACTOR = {
    "articles": "imported_by_id",
    "evidence": "added_by_id",
    "comments": "author_id",
    "api_tokens": "user_id",
    "fact_checks": "imported_by_id",
}
FROM_CLAIM = {"evidence": "claim_id", "comments": "claim_id", "claim_links": "claim_id"}

Key = Any  # an id, a setting's key, or (claim_id, source_id) for an appearance


class ReplayError(Exception):
    """The history contradicts itself: it changes a row it never created, or creates one twice."""

    def __init__(self, event: AuditEvent, problem: str) -> None:
        super().__init__(f"event #{event.seq} ({event.action}) {problem}")
        self.seq = event.seq


class Replay:
    """Rows rebuilt from events. `strict` refuses a history that contradicts itself; a partial
    history (one claim's events, say) is replayed with `strict=False` and skips what it cannot place."""

    def __init__(self, *, strict: bool = True) -> None:
        self.strict = strict
        self.rows: dict[str, dict[Key, dict[str, Any]]] = {table: {} for table in HISTORY_COLUMNS}
        # claim id → its evidence, comments and appearances, so a merge moves them without a scan
        self._children: dict[int, set[tuple[str, Key]]] = defaultdict(set)

    def apply(self, event: AuditEvent) -> None:
        new = {name: change[1] for name, change in event.changes.items()}
        if event.entity_type == "settings":
            for key, value in new.items():
                self.rows["settings"][key] = {"value": value}
        elif event.action == "source.added":
            self._source_added(event, new)
        elif event.action == "source.removed":
            self._drop(event, "appearances", (event.claim_id, event.entity_id))
        elif event.action == "claim.merged_into":
            self._claim_removed(event)
        elif event.action in CREATIONS:
            self._create(event, new)
        elif event.entity_type in TABLE_OF_ENTITY:
            self._update(event, new)

    def claim_children(self, claim_id: int, table: str) -> dict[Key, dict[str, Any]]:
        """The claim's evidence, comments or appearances, by key."""
        return {key: self.rows[table][key] for key in self._keys_of(claim_id, table)}

    # --- the kinds of event -----------------------------------------------------------------------

    def _create(self, event: AuditEvent, new: dict[str, Any]) -> None:
        table = TABLE_OF_ENTITY[event.entity_type]
        rows = self.rows[table]
        if event.entity_id in rows:
            self._contradiction(event, f"creates {event.entity_type} {event.entity_id} a second time")
            return
        row = dict.fromkeys(HISTORY_COLUMNS[table]) | DEFAULTS.get(table, {})
        row |= {name: value for name, value in new.items() if name in row}
        if table in FROM_ACTOR:
            row[FROM_ACTOR[table]] = event.actor_id
        if table in FROM_CLAIM:
            row[FROM_CLAIM[table]] = event.claim_id
            self._children[event.claim_id].add((table, event.entity_id))
        if table == "claims":
            row["article_id"] = event.article_id
            self._claim_created(event, new)
        rows[event.entity_id] = row

    def _claim_created(self, event: AuditEvent, new: dict[str, Any]) -> None:
        for source_id in new.get("source_ids") or ():
            self._appear(event.entity_id, source_id, event.actor_id)
        if new.get("split_from") is not None:
            for (_, source_id), appearance in self.claim_children(new["split_from"], "appearances").items():
                self._appear(event.entity_id, source_id, appearance["added_by_id"])

    def _update(self, event: AuditEvent, new: dict[str, Any]) -> None:
        table = TABLE_OF_ENTITY[event.entity_type]
        row = self.rows[table].get(event.entity_id)
        if row is None:
            self._contradiction(
                event, f"changes {event.entity_type} {event.entity_id}, which it never created"
            )
            return
        row.update({name: value for name, value in new.items() if name in row})
        if table == "claims":
            row["version"] += 1  # every change of a claim row bumps its optimistic-lock version
            for merged_id in new.get("merged_ids") or ():
                self._move_children(merged_id, event.entity_id)

    def _source_added(self, event: AuditEvent, new: dict[str, Any]) -> None:
        # A source is created with its first appearance, or reused (same URL): either way it has these values.
        self.rows["sources"][event.entity_id] = {name: new.get(name) for name in HISTORY_COLUMNS["sources"]}
        if event.claim_id is not None:
            self._appear(event.claim_id, event.entity_id, event.actor_id)

    def _claim_removed(self, event: AuditEvent) -> None:
        if self._drop(event, "claims", event.entity_id):
            for kind, key in self._children.pop(event.entity_id, set()):
                self.rows[kind].pop(key, None)

    # --- helpers ----------------------------------------------------------------------------------

    def _appear(self, claim_id: int, source_id: int, added_by_id: int | None) -> None:
        self.rows["appearances"][(claim_id, source_id)] = {"added_by_id": added_by_id}
        self._children[claim_id].add(("appearances", (claim_id, source_id)))

    def _keys_of(self, claim_id: int, table: str) -> list[Key]:
        # The index may still name rows removed since (a source taken off a claim): skip those.
        rows = self.rows[table]
        return sorted(key for kind, key in self._children.get(claim_id, ()) if kind == table and key in rows)

    def _move_children(self, merged_id: int, keeper_id: int) -> None:
        """What `spans.merge_claims` does: evidence and comments move, sources the keeper lacks are copied."""
        for table in ("evidence", "comments"):
            for key in self._keys_of(merged_id, table):
                self.rows[table][key]["claim_id"] = keeper_id
                self._children[keeper_id].add((table, key))
                self._children[merged_id].discard((table, key))
        kept = {source_id for _, source_id in self._keys_of(keeper_id, "appearances")}
        for (_, source_id), appearance in self.claim_children(merged_id, "appearances").items():
            if source_id not in kept:
                self._appear(keeper_id, source_id, appearance["added_by_id"])
                kept.add(source_id)

    def _drop(self, event: AuditEvent, table: str, key: Key) -> bool:
        if self.rows[table].pop(key, None) is None:
            self._contradiction(event, f"removes {table} {key}, which its history does not hold")
            return False
        return True

    def _contradiction(self, event: AuditEvent, problem: str) -> None:
        if self.strict:
            raise ReplayError(event, problem)
