"""Events the identity agent publishes."""

from __future__ import annotations

from typing import ClassVar

from mercato.kernel.events import Event


class UserRegistered(Event):
    event_type: ClassVar[str] = "user.registered"
    user_id: str
    email: str
    roles: list[str]


class UserUpdated(Event):
    event_type: ClassVar[str] = "user.updated"
    user_id: str
    fields: list[str]


class SessionPromoted(Event):
    """A guest session became a user's: what it owned (carts, assistant history) is theirs."""

    event_type: ClassVar[str] = "session.promoted"
    session_id: str
    user_id: str


class PasswordChanged(Event):
    event_type: ClassVar[str] = "user.password_changed"
    user_id: str
    reason: str  # reset


class AccountLocked(Event):
    event_type: ClassVar[str] = "user.locked"
    user_id: str
    until: str
