"""The kinds of job: a name, the function that does the work, and who may ask for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from claims.errors import ValidationFailed
from claims.models import Job
from claims.permissions import Action


class ReportProgress(Protocol):
    def __call__(self, done: int, total: int | None = None) -> None: ...


# function(session, job, params, report_progress) -> result (JSON). It commits after each unit of work
# and reports progress only after committing (on SQLite, a progress write waits for the job's own lock).
JobFunction = Callable[[Session, Job, dict[str, Any], ReportProgress], dict[str, Any]]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str  # what the /jobs page calls it
    function: JobFunction
    action: Action  # what the requesting user must be allowed to do


KINDS: dict[str, JobKind] = {}


def register(name: str, *, label: str, action: Action) -> Callable[[JobFunction], JobFunction]:
    """Declare a kind of job; its module must be imported where jobs are submitted and run
    (claims.jobs imports the built-in ones)."""

    def decorate(function: JobFunction) -> JobFunction:
        if name in KINDS and KINDS[name].function is not function:
            raise ValueError(f"job kind {name!r} is registered twice")
        KINDS[name] = JobKind(name, label, function, action)
        return function

    return decorate


def kind_named(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValidationFailed("kind", f"there is no kind of job called {name!r}") from None
