"""The support agent's problems, each with its stable `code`."""

from __future__ import annotations

from mercato.kernel.errors import Forbidden, NotFound, Problem


class TicketNotFound(NotFound):
    """Missing, of another store, or another shopper's: the same answer for all three."""

    code, title = "ticket_not_found", "No such ticket"


class ArticleNotFound(NotFound):
    code, title = "faq_article_not_found", "No such FAQ article"


class InvalidTicket(Problem):
    status, code, title = 422, "invalid_ticket", "The ticket is not valid"


class InvalidArticle(Problem):
    status, code, title = 422, "invalid_faq_article", "The FAQ article is not valid"


class TicketTransitionInvalid(Problem):
    """The ticket's status cannot go there from where it is (a solved ticket is reopened)."""

    status, code, title = 409, "ticket_transition_invalid", "The ticket cannot move to that status"


class StaffOnly(Forbidden):
    """Internal notes are the store's staff's."""

    code, title = "support_staff_only", "Only the store's staff may do this"


class TicketVersionConflict(Problem):
    """The ticket changed since the client read it (`If-Match`): read it again."""

    status, code, title = (
        409,
        "ticket_version_conflict",
        "The ticket was changed by another request",
    )

    def __init__(self, current_version: int) -> None:
        super().__init__(
            "the ticket changed since you read it: GET it and try again",
            current_version=current_version,
        )
        self.headers = {"ETag": f'"{current_version}"'}
