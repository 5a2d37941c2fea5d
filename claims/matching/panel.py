"""What the claim page shows about matching: fact-checks that already reviewed the claim, similar claims
on this desk (dismissed ones left out), and the claims and fact-checks it was linked to, both ways."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from claims.matching.links import LinkedItem, links_of
from claims.matching.search import Match, similar_to_claim

SHOWN = 5


@dataclass(frozen=True)
class MatchingPanel:
    already_checked: list[Match]
    similar_claims: list[Match]
    same_as: list[LinkedItem]


def matching_panel(session: Session, claim_id: int) -> MatchingPanel:
    same, dismissed = links_of(session, claim_id)
    decided = dismissed | {(item.kind, item.id) for item in same}
    matches = [m for m in similar_to_claim(session, claim_id, top=3 * SHOWN) if (m.kind, m.id) not in decided]
    return MatchingPanel(
        already_checked=[m for m in matches if m.kind == "factcheck"][:SHOWN],
        similar_claims=[m for m in matches if m.kind == "claim"][:SHOWN],
        same_as=same,
    )
