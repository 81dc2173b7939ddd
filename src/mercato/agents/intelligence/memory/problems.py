"""The memory part's problems, each with its stable `code`."""

from __future__ import annotations

from mercato.kernel.errors import NotFound, Problem


class InvalidPreferences(Problem):
    """A preference outside what is known: the detail names the field and what it allows
    (`field` and `allowed` are in the body too). Nothing was changed."""

    status, code, title = 422, "intel_invalid_preferences", "The preferences are not valid"


class ConversationNotFound(NotFound):
    """No conversation of the caller's has this id (another user's answers the same)."""

    code, title = "intel_conversation_not_found", "No such conversation"
