"""The assistant's problems (problem+json, stable codes)."""

from __future__ import annotations

from mercato.kernel.errors import NotFound, Problem, Unauthorized


class ConversationNotFound(NotFound):
    code, title = "conversation_not_found", "No such conversation"


class SessionRequired(Unauthorized):
    code = "session_required"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(
            detail
            or "chat as a signed-in shopper or with a guest session "
            "(POST /v1/sessions, then X-Session-Token)"
        )


class ConversationBusy(Problem):
    status, code, title = 409, "conversation_busy", "The conversation moved on"


class MemoryEntryNotFound(NotFound):
    code, title = "memory_entry_not_found", "No such memory entry"
