"""Events the support agent publishes (aggregate: the ticket id). The assistant listens to
`support.message_added` to bring a staff reply into the shopper's chat (`conversation_id`):
an internal note says so (`internal`), and is never a reply."""

from __future__ import annotations

from typing import ClassVar

from mercato.kernel.events import Event


class TicketOpened(Event):
    event_type: ClassVar[str] = "support.ticket_opened"
    ticket_id: str
    number: str
    conversation_id: str | None
    priority: str
    category: str
    channel: str
    subject: str
    user_id: str | None
    session_id: str | None


class MessageAdded(Event):
    event_type: ClassVar[str] = "support.message_added"
    ticket_id: str
    number: str
    message_id: str
    conversation_id: str | None
    author_kind: str
    author_id: str | None
    body: str
    internal: bool


class TicketStatusChanged(Event):
    event_type: ClassVar[str] = "support.ticket_status_changed"
    ticket_id: str
    number: str
    conversation_id: str | None
    previous_status: str
    status: str
    by: str | None
    """Who moved it: a member of staff's id, the customer's, or None for the system."""
