"""The OpenAPI 3.1 description of /api/v1, kept beside the routes and checked against them by schemathesis."""

from __future__ import annotations

from typing import Any

from claims.jobs import bulk_import

STATUSES = ["unreviewed", "not_checkworthy", "in_review", "awaiting_approval", "published"]
VERDICTS = ["True", "Mostly true", "Half true", "Mostly false", "False", "Misleading", "Unverifiable"]


def nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def error(description: str) -> dict[str, Any]:
    return {"description": description, **json_content(ref("Error"))}


COMMON_ERRORS = {"401": error("No valid token or session"), "404": error("No such resource")}
WRITE_ERRORS = {
    **COMMON_ERRORS,
    "400": error("The body is not JSON, or the session's CSRF header is missing"),
    "403": error("The user's role does not allow this"),
    "409": error(
        "The claim changed since `version` (a concurrent write that won the race included), "
        "a move not allowed from its status, or evidence and sources frozen under a verdict"
    ),
    "413": error("The body is over the size limit"),
    "422": error("A field is missing or invalid; `field` names it"),
}
READ_ERRORS = {
    **COMMON_ERRORS,
    # A control character in a query parameter is refused before any route is chosen (app/ids.py).
    "400": error("A query parameter holds NUL, CR or LF and no route took the address"),
    "422": error("A query parameter is invalid"),
}


def read(
    summary: str, schema: dict[str, Any], parameters: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "summary": summary,
        "parameters": [
            *(parameters or []),
            {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}},
        ],
        "responses": {
            "200": {"description": "OK", **json_content(schema)},
            "304": {"description": "Not modified since the ETag given"},
            **READ_ERRORS,
        },
    }


def write(
    summary: str, body: dict[str, Any], schema: dict[str, Any], created: bool = False
) -> dict[str, Any]:
    success = {"201": {"description": "Created", **json_content(schema)}} if created else {}
    return {
        "summary": summary,
        "requestBody": {"required": True, **json_content(body)},
        "responses": {"200": {"description": "OK", **json_content(schema)}, **success, **WRITE_ERRORS},
    }


ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
TOP = {"type": "integer", "minimum": 1, "maximum": 50, "description": "How many matches (default 5)"}


def path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


BOUND = {"type": ["number", "string", "null"], "description": "A number, an ISO day, or null: unbounded"}
SCHEMAS: dict[str, Any] = {
    "Facts": {
        "type": "object",
        "description": "Numbers, dates and durations of a claim, resolved against the article's date",
        "required": ["claim_id", "article_id", "text", "reference", "expressions", "hints"],
        "properties": {
            "claim_id": {"type": "integer"},
            "article_id": {"type": "integer"},
            "text": {"type": "string"},
            "reference": {
                "type": "object",
                "required": ["day", "source"],
                "description": "The day relative dates are read against: published, or imported when the "
                "article has no publication date",
                "properties": {
                    "day": {"type": "string", "format": "date"},
                    "source": {"enum": ["published", "imported"]},
                },
            },
            "expressions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "text",
                        "kind",
                        "start",
                        "end",
                        "value",
                        "unit",
                        "qualifier",
                        "precision",
                        "interval",
                    ],
                    "properties": {
                        "text": {"type": "string", "description": "As written: text[start:end]"},
                        "kind": {
                            "enum": [
                                "percentage",
                                "ratio",
                                "date",
                                "duration",
                                "quantity",
                                "count",
                                "ordinal",
                                "superlative",
                            ]
                        },
                        "start": {"type": "integer"},
                        "end": {"type": "integer"},
                        "value": nullable("number", description="A ratio's value is its percentage"),
                        "unit": nullable("string"),
                        "qualifier": nullable("string", description="almost, more than, about, …"),
                        "precision": nullable(
                            "string", description="day, week, month, year; exact or bounds"
                        ),
                        "interval": {
                            "type": ["object", "null"],
                            "required": ["low", "high", "low_open", "high_open", "words"],
                            "properties": {
                                "low": BOUND,
                                "high": BOUND,
                                "low_open": {"type": "boolean"},
                                "high_open": {"type": "boolean"},
                                "words": {
                                    "type": "string",
                                    "description": "1–26 October 2025, (5.5, 6] years",
                                },
                            },
                        },
                    },
                },
            },
            "hints": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["kind", "text", "claim_ids"],
                    "properties": {
                        "kind": {"enum": ["part and total", "percentage and counts", "duration and date"]},
                        "text": {
                            "type": "string",
                            "description": "What must be true for both to hold, worked out",
                        },
                        "claim_ids": {"type": "array", "items": {"type": "integer"}},
                    },
                },
            },
        },
    },
    "Match": {
        "type": "object",
        "description": "A fact-check or desk claim similar to the query, best first",
        "required": ["kind", "id", "url", "text", "score", "rating"],
        "properties": {
            "kind": {"enum": ["factcheck", "claim"]},
            "id": {"type": "integer"},
            "url": nullable("string", description="The fact-check's page; null for a desk claim"),
            "text": {"type": "string"},
            "score": {"type": "number", "description": "Cosine similarity, -1 to 1: higher is closer"},
            "rating": nullable("string", description="The fact-check's rating, or the desk claim's verdict"),
        },
    },
    "Job": {
        "type": "object",
        "description": "Long work run in the background; poll it until `state` is succeeded or failed",
        "required": [
            "id",
            "kind",
            "state",
            "done",
            "total",
            "attempts",
            "error",
            "shortfall",
            "result",
            "created_at",
        ],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string"},
            "state": {"enum": ["queued", "running", "succeeded", "failed"]},
            "done": {"type": "integer"},
            "total": nullable("integer"),
            "attempts": {"type": "integer"},
            "error": {**nullable("string"), "description": "Why it failed, in words"},
            "shortfall": {
                **nullable("string"),
                "description": "What a job that succeeded could not do, in words (a page not archived)",
            },
            "result": nullable("object"),
            "created_at": {"type": "string", "format": "date-time"},
            "finished_at": nullable("string", format="date-time"),
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "field": {"type": "string"},
                },
            }
        },
    },
    "Claim": {
        "type": "object",
        "required": [
            "id",
            "article_id",
            "sentence",
            "text",
            "start",
            "end",
            "status",
            "score",
            "reasons",
            "claimant",
            "verdict",
            "version",
        ],
        "properties": {
            "id": {"type": "integer"},
            "article_id": {"type": "integer"},
            "sentence": {"type": "string"},
            "text": {"type": "string"},
            "start": {"type": "integer"},
            "end": {"type": "integer"},
            "status": {"enum": STATUSES},
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "reasons": {"type": "array", "items": {"type": "string"}},
            "claimant": {"type": "string"},
            "quotation": nullable("integer"),
            "verdict": nullable("string"),
            "rationale": nullable("string"),
            "assignee_id": nullable("integer"),
            "version": {"type": "integer"},
            "created_at": nullable("string"),
            "updated_at": nullable("string"),
            "published_at": nullable("string"),
            "strong_match": {
                "type": "boolean",
                "description": "In lists: a fact-check or another desk claim is very likely the same claim",
            },
        },
    },
    "ClaimDetail": {
        "allOf": [
            ref("Claim"),
            {
                "type": "object",
                "required": ["sources", "evidence", "comments"],
                "properties": {
                    "sources": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "name", "type"],
                            "properties": {
                                "id": {"type": "integer"},
                                "name": {"type": "string"},
                                "url": nullable("string"),
                                "type": {"type": "string"},
                            },
                        },
                    },
                    "evidence": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "url", "title", "stance"],
                            "properties": {
                                "id": {"type": "integer"},
                                "url": {"type": "string"},
                                "title": {"type": "string"},
                                "publisher": nullable("string"),
                                "excerpt": nullable("string"),
                                "note": nullable("string"),
                                "stance": {"enum": ["supports", "refutes", "context"]},
                                "added_by_id": {"type": "integer"},
                                "added_at": nullable("string"),
                                "retracted_at": nullable("string"),
                                "retraction_reason": nullable("string"),
                            },
                        },
                    },
                    "comments": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "body"],
                            "properties": {
                                "id": {"type": "integer"},
                                "author_id": {"type": "integer"},
                                "body": {"type": "string"},
                                "created_at": nullable("string"),
                            },
                        },
                    },
                },
            },
        ]
    },
    "Article": {
        "type": "object",
        "required": ["id", "title"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "url": nullable("string"),
            "publisher": nullable("string"),
            "author": nullable("string"),
            "published_on": nullable("string"),
            "language": {"type": "string"},
            "imported_at": nullable("string"),
        },
    },
    "ArticleDetail": {
        "allOf": [
            ref("Article"),
            {
                "type": "object",
                "required": ["claims"],
                "properties": {
                    "body": {"type": "string"},
                    "created": {"type": "boolean"},
                    "claims": {"type": "array", "items": ref("Claim")},
                },
            },
        ]
    },
    "Event": {
        "type": "object",
        "required": ["seq", "occurred_at", "action", "entity_type", "entity_id", "changes", "hash"],
        "properties": {
            "seq": {"type": "integer"},
            "occurred_at": {"type": "string"},
            "actor": nullable("string"),
            "action": {"type": "string"},
            "entity_type": {"type": "string"},
            "entity_id": {"type": "integer"},
            "claim_id": nullable("integer"),
            "article_id": nullable("integer"),
            "changes": {"type": "object"},
            "hash": {"type": "string"},
        },
    },
}

# Text that can be stored: some non-space character, no NUL (PostgreSQL refuses it).
TEXT = {"type": "string", "pattern": "^[^\\u0000]*\\S[^\\u0000]*$"}
HTTP_URL = {"type": "string", "maxLength": 2048, "pattern": "^https?://[^\\s/?#\\u0000]+[^\\s\\u0000]*$"}
# Required on every write to a claim: a move or verdict decided on what the client saw must not land on a
FACT_CHECK_IMPORT = {
    "type": "object",
    "required": ["created", "updated", "unchanged", "skipped"],
    "properties": {
        "created": {"type": "integer", "minimum": 0},
        "updated": {"type": "integer", "minimum": 0},
        "unchanged": {"type": "integer", "minimum": 0},
        "skipped": {
            "type": "array",
            "description": "The bad records left out (skip_bad=true)",
            "items": {
                "type": "object",
                "required": ["line", "reason"],
                "properties": {"line": {"type": "integer"}, "reason": {"type": "string"}},
            },
        },
    },
}
MATCHES = {
    "type": "object",
    "required": ["matches"],
    "properties": {"matches": {"type": "array", "items": ref("Match")}},
}

# claim someone changed since (an approval would publish wording the editor never read).
VERSION = {
    "type": "integer",
    "description": "The claim version the client last saw (required); 409 if the claim has changed since",
}


def strict(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties, "additionalProperties": False}


def optional(schema: dict[str, Any], max_length: int) -> dict[str, Any]:
    return {**schema, "type": ["string", "null"], "maxLength": max_length}


NEW_ARTICLE = strict(
    ["text"],
    {
        "text": TEXT,
        "title": optional(TEXT, 500),
        "url": optional(HTTP_URL, 2048),
        "publisher": optional(TEXT, 200),
        "author": optional(TEXT, 200),
        "language": {**optional(TEXT, 8), "description": "en, es, ja, …; detected from the text if absent"},
        "published": {"type": ["string", "null"], "format": "date", "description": "YYYY-MM-DD"},
    },
)
MAX_BULK_ARTICLES = 1000
BULK_ARTICLES = {
    **strict(
        [],
        {
            "articles": {"type": "array", "minItems": 1, "maxItems": MAX_BULK_ARTICLES, "items": NEW_ARTICLE},
            "urls": {
                "type": "array",
                "minItems": 1,
                "maxItems": bulk_import.MAX_URLS,
                "items": HTTP_URL,
                "description": "Pages the server fetches and imports as HTML (public addresses only)",
            },
        },
    ),
    "minProperties": 1,
}
NEW_EVIDENCE = strict(
    ["url", "title", "stance"],
    {
        "url": HTTP_URL,
        "title": {**TEXT, "maxLength": 500},
        "stance": {"enum": ["supports", "refutes", "context"]},
        "publisher": optional(TEXT, 200),
        "excerpt": optional(TEXT, 10000),
        "note": optional(TEXT, 10000),
    },
)
TRANSITION = strict(
    ["action", "version"],
    {
        "action": {"enum": ["triage", "dismiss", "restore", "propose", "send_back", "approve", "reopen"]},
        "version": VERSION,
        "verdict": {"enum": [*VERDICTS, None]},
        "rationale": optional(TEXT, 20000),
        "comment": {**optional(TEXT, 10000), "description": "Required for send_back"},
        "claim_as_reviewed": {
            **optional(TEXT, 5000),
            "description": "For propose: the wording, standing alone, that the verdict is about",
        },
    },
)
VERDICT = strict(
    ["version"],
    {"verdict": {"enum": [*VERDICTS, None]}, "rationale": optional(TEXT, 20000), "version": VERSION},
)


def openapi_document() -> dict[str, Any]:
    claim_id = path_id("claim_id")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "claimtrack API",
            "version": "1.0.0",
            "description": "Claims, articles, evidence and the review workflow of a fact-checking desk.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token created on /account/tokens",
                },
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "The signed-in browser session; writes also need X-CSRFToken",
                },
            },
            "schemas": SCHEMAS,
        },
        "paths": {
            "/claims": {
                "get": read(
                    "List claims (the queue)",
                    {
                        "type": "object",
                        "required": ["claims", "next"],
                        "properties": {
                            "claims": {"type": "array", "items": ref("Claim")},
                            "next": nullable("string"),
                        },
                    },
                    [
                        query("status", {"enum": STATUSES}),
                        query("verdict", {"enum": VERDICTS}),
                        query("assignee", ID),
                        query("mine", {"enum": ["true", "false"], "description": "true: assigned to me"}),
                        query("article", ID),
                        query("q", {"type": "string", "maxLength": 200}),
                        query(
                            "match",
                            {"enum": ["strong"], "description": "strong: only claims with a strong match"},
                        ),
                        query("sort", {"enum": ["score", "newest", "changed"]}),
                        query(
                            "after",
                            {"type": "string", "description": "The `next` cursor of the previous page"},
                        ),
                        query("limit", {"type": "integer", "minimum": 1, "maximum": 200}),
                    ],
                )
            },
            "/claims/{claim_id}": {
                "get": read("One claim with sources, evidence and comments", ref("ClaimDetail"), [claim_id])
            },
            "/claims/{claim_id}/similar": {
                "get": read(
                    "Fact-checks and other desk claims similar to this claim's text",
                    MATCHES,
                    [claim_id, query("top", TOP)],
                )
            },
            "/similar": {
                "get": read(
                    "Fact-checks and desk claims similar to a text",
                    MATCHES,
                    [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1, "maxLength": 2000},
                        },
                        query("top", TOP),
                    ],
                )
            },
            "/claims/{claim_id}/facts": {
                "get": read(
                    "Numbers, dates and durations of the claim, resolved, and hints joining it to others",
                    ref("Facts"),
                    [claim_id],
                )
            },
            "/claims/{claim_id}/history": {
                "get": read(
                    "A claim's audit events, oldest first",
                    {
                        "type": "object",
                        "required": ["events"],
                        "properties": {"events": {"type": "array", "items": ref("Event")}},
                    },
                    [claim_id],
                )
            },
            "/claims/{claim_id}/evidence": {
                "post": {
                    **write("Add evidence", NEW_EVIDENCE, ref("ClaimDetail"), created=True),
                    "parameters": [claim_id],
                }
            },
            "/claims/{claim_id}/transitions": {
                "post": {
                    **write("Move the claim through the workflow", TRANSITION, ref("ClaimDetail")),
                    "parameters": [claim_id],
                }
            },
            "/claims/{claim_id}/verdict": {
                "put": {
                    **write("Draft the verdict of a claim in review", VERDICT, ref("ClaimDetail")),
                    "parameters": [claim_id],
                }
            },
            "/factchecks": {
                "post": {
                    **write(
                        "Import published fact-checks (admins): schema.org ClaimReview as one object, "
                        "a list or a DataFeed; JSON lines with Content-Type application/x-ndjson. A record "
                        "whose url is known updates that fact-check. A bad record is refused (422 naming "
                        "its line) and nothing is written, unless skip_bad=true",
                        {"type": ["object", "array"]},
                        FACT_CHECK_IMPORT,
                    ),
                    "parameters": [query("skip_bad", {"enum": ["true", "false"]})],
                }
            },
            "/articles": {
                "get": read(
                    "List articles, newest first",
                    {
                        "type": "object",
                        "required": ["articles", "next"],
                        "properties": {
                            "articles": {"type": "array", "items": ref("Article")},
                            "next": nullable("string"),
                        },
                    },
                    [
                        query("after", {"type": "integer", "minimum": 1}),
                        query("limit", {"type": "integer", "minimum": 1, "maximum": 200}),
                    ],
                ),
                "post": write(
                    "Import an article (the same text again returns the stored one, 200)",
                    NEW_ARTICLE,
                    ref("ArticleDetail"),
                    created=True,
                ),
            },
            "/articles/bulk": {
                "post": {
                    **write(
                        "Import many articles, or the pages at many URLs, as a job "
                        "(202; a repeated text is not stored again)",
                        BULK_ARTICLES,
                        ref("Job"),
                    ),
                    "responses": {
                        "202": {"description": "Queued", **json_content(ref("Job"))},
                        **WRITE_ERRORS,
                        "503": error("The job queue cannot be reached; the job is recorded as failed"),
                    },
                }
            },
            "/jobs/{job_id}": {
                "get": read("A job you started (or any job, for an admin)", ref("Job"), [path_id("job_id")])
            },
            "/articles/{article_id}": {
                "get": read(
                    "One article with its body and claims", ref("ArticleDetail"), [path_id("article_id")]
                )
            },
        },
    }
