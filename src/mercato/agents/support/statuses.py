"""A ticket's status, priority, category and channel, and who wrote a message (stored as
these strings)."""

from __future__ import annotations

from enum import StrEnum


class TicketStatus(StrEnum):
    OPEN = "open"
    """New, or the customer spoke last: the store's move."""
    ASSIGNED = "assigned"
    """A member of staff has it."""
    WAITING = "waiting"
    """On the customer: staff replied and wait for an answer."""
    SOLVED = "solved"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Category(StrEnum):
    ORDER = "order"
    PAYMENT = "payment"
    SHIPPING = "shipping"
    RETURNS = "returns"
    PRODUCT = "product"
    ACCOUNT = "account"
    OTHER = "other"


class Channel(StrEnum):
    CHAT = "chat"
    WEB = "web"
    EMAIL = "email"


class AuthorKind(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"
    SYSTEM = "system"


TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    TicketStatus.OPEN: frozenset(
        {TicketStatus.ASSIGNED, TicketStatus.WAITING, TicketStatus.SOLVED}
    ),
    TicketStatus.ASSIGNED: frozenset(
        {TicketStatus.OPEN, TicketStatus.WAITING, TicketStatus.SOLVED}
    ),
    TicketStatus.WAITING: frozenset(
        {TicketStatus.OPEN, TicketStatus.ASSIGNED, TicketStatus.SOLVED}
    ),
    TicketStatus.SOLVED: frozenset({TicketStatus.OPEN}),
}
"""Where a status may go (a solved ticket is reopened, never parked)."""
