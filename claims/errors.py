"""Domain errors: the web layer and the CLI turn these into answers a user can act on."""

from __future__ import annotations


class ClaimtrackError(Exception):
    """Base of every error the domain raises on purpose."""


class ConfigurationError(ClaimtrackError):
    """The environment does not describe a usable configuration."""


class ImportRejected(ClaimtrackError):
    """An input file or text cannot become an article; nothing was written."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class NotFound(ClaimtrackError):
    def __init__(self, entity: str, entity_id: object) -> None:
        super().__init__(f"{entity} {entity_id} does not exist")
        self.entity = entity
        self.entity_id = entity_id


class PermissionDenied(ClaimtrackError):
    """The acting user's role does not allow this action."""


# How a message names a field whose name is not a word a user would say.
FIELD_LABELS = {
    "q": "search text",
    "as_of": "date",
    "since": "start date",
    "until": "end date",
    "before": "page link",
    "next": "return address",
    "url": "URL",
    "claim_as_reviewed": "the claim as reviewed",
    "organisation_url": "organisation URL",
}
# A message that opens with one of these says something about the field, so the field's name goes first.
PREDICATES = frozenset({"is", "must", "contains", "has", "cannot", "may", "was", "are", "does"})


def as_sentence(field: str, message: str) -> str:
    """A refusal as a sentence a user reads ("Rationale is required."), with no `field:` prefix."""
    first_word = message.split(" ", 1)[0]
    if first_word in PREDICATES:
        message = f"{FIELD_LABELS.get(field, field.replace('_', ' '))} {message}"
    if message.split(" ", 1)[0].isalpha() and message.split(" ", 1)[0].islower():  # not "claimReviewed"
        message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else f"{message}."


class ValidationFailed(ClaimtrackError):
    """A value given to a service is not acceptable; `field` names which one (the API says it apart)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(as_sentence(field, message))
        self.field = field
        self.message = message


class IllegalTransition(ClaimtrackError):
    """A workflow move that is not allowed from the claim's current status."""

    def __init__(self, action: str, status: str, allowed: list[str]) -> None:
        moves = ", ".join(allowed) if allowed else "none"
        super().__init__(f"cannot {action} a claim that is {status}; allowed from {status}: {moves}")
        self.action = action
        self.status = status
        self.allowed = allowed


class ClaimFrozen(IllegalTransition):
    """A change to the wording, evidence or sources of a claim whose verdict awaits approval or is published:
    the verdict is about exactly those, so they change only after the claim goes back to review."""

    def __init__(self, action: str, claim_id: int, status: str, allowed: list[str]) -> None:
        way_back = (
            "an editor must reopen it first"
            if status == "published"
            else "an editor must send it back to review first (or approve it, then reopen it)"
        )
        ClaimtrackError.__init__(
            self,
            f"cannot {action}: claim {claim_id} is {status.replace('_', ' ')}, so its wording, evidence "
            f"and sources are frozen; {way_back}",
        )
        self.action = action
        self.status = status
        self.allowed = allowed


class StaleEdit(ClaimtrackError):
    """Someone else changed the claim since the editor loaded it."""

    def __init__(self, claim_id: int, expected_version: int | None, current_version: int) -> None:
        seen = f"you edited version {expected_version}" if expected_version is not None else "while you saved"
        super().__init__(
            f"claim {claim_id} was changed by someone else ({seen}, "
            f"it is now at version {current_version}); reload it and re-apply your change"
        )
        self.claim_id = claim_id
        self.expected_version = expected_version
        self.current_version = current_version


class BulkRefused(ClaimtrackError):
    """One action on several claims that some of them could not take: none of them was changed."""

    def __init__(self, refusals: dict[int, str], total: int) -> None:
        super().__init__(f"Nothing was changed: {len(refusals)} of {total} claims could not be marked.")
        self.refusals = refusals


class JobNotRetryable(ClaimtrackError):
    """A retry asked for a job that has not failed (it is queued, running or done)."""

    def __init__(self, job_id: int, state: str) -> None:
        super().__init__(f"job {job_id} is {state}; only a failed job can be retried")
        self.job_id = job_id
        self.state = state
