"""Problem details (RFC 9457): every error Mercato returns has a stable `code`.

Services raise `Problem` subclasses; the app turns them into `application/problem+json`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemDetail(BaseModel):
    """The body of every error response."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI identifying the problem type")
    title: str
    status: int
    code: str = Field(description="Stable machine-readable code; clients branch on this")
    detail: str | None = None
    instance: str | None = None
    correlation_id: str | None = None


class Problem(Exception):  # noqa: N818 - it is a problem, not an error of ours
    """An error with a status and a stable code. Subclass it per kind of problem."""

    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.extra = extra

    @staticmethod
    def uri(code: str) -> str:
        """The `type` of the problems with this code."""
        return f"https://mercato.dev/problems/{code.replace('_', '-')}"

    def to_detail(self, *, instance: str | None, correlation_id: str | None) -> ProblemDetail:
        return ProblemDetail(
            type=self.uri(self.code),
            title=self.title,
            status=self.status,
            code=self.code,
            detail=self.detail,
            instance=instance,
            correlation_id=correlation_id,
            **self.extra,
        )


class NotFound(Problem):
    status, code, title = 404, "not_found", "Not found"


class Unauthorized(Problem):
    status, code, title = 401, "unauthorized", "Authentication required"


class Forbidden(Problem):
    status, code, title = 403, "forbidden", "Not allowed"


class TenantContextMissing(Problem):
    """Raised when tenant-scoped data is touched outside any tenant: a programming error."""

    status, code, title = 500, "tenant_context_missing", "No tenant in context"


class UnscopedStatement(Problem):
    """Raised when a Core statement on store tables is not scoped to a store (ADR 20): a
    programming error, refused before it reaches the database."""

    status, code, title = 500, "unscoped_statement", "A statement on store data has no store"


class UnknownEventType(Problem):
    status, code, title = 500, "unknown_event_type", "Unknown event type"

    def __init__(self, event_type: str) -> None:
        super().__init__(f"no event class is registered for {event_type!r}")
