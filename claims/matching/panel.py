"""What the claim page shows about matching: fact-checks that already reviewed the claim, similar claims
on this desk (dismissed ones left out), and the claims and fact-checks it was linked to, both ways; or,
while the job matching a newly imported claim has not run, that it is looking for matches."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from claims.jobs.matching_index import awaiting_matching
from claims.matching.links import LinkedItem, links_of
from claims.matching.search import Match, similar_to_claim
from claims.models import Claim
from claims.services.lookup import get_or_raise

SHOWN = 5


@dataclass(frozen=True)
class MatchingPanel:
    already_checked: list[Match]
    similar_claims: list[Match]
    same_as: list[LinkedItem]
    looking: bool = False  # the claim's matching job has not run yet


def matching_panel(session: Session, claim_id: int) -> MatchingPanel:
    same, dismissed = links_of(session, claim_id)
    if awaiting_matching(session, get_or_raise(session, Claim, claim_id)):
        return MatchingPanel([], [], same, looking=True)
    decided = dismissed | {(item.kind, item.id) for item in same}
    matches = [m for m in similar_to_claim(session, claim_id, top=3 * SHOWN) if (m.kind, m.id) not in decided]
    return MatchingPanel(
        already_checked=[m for m in matches if m.kind == "factcheck"][:SHOWN],
        similar_claims=[m for m in matches if m.kind == "claim"][:SHOWN],
        same_as=same,
    )
