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


class SessionStarted(Event):
    """A guest session began (a visit): the first step of analytics' conversion funnel."""

    event_type: ClassVar[str] = "session.started"
    session_id: str


class SessionPromoted(Event):
    """A guest session became a user's: what it owned (carts, assistant history) is theirs."""

    event_type: ClassVar[str] = "session.promoted"
    session_id: str
    user_id: str


class VerificationRequested(Event):
    """An account's email address is to be confirmed (at registration): the notifications
    agent mails the link, which it asks identity to mint (`one_time_link`)."""

    event_type: ClassVar[str] = "user.verification_requested"
    user_id: str
    email: str


class EmailVerified(Event):
    """The account's owner proved the address is theirs (they used the link mailed to it):
    what was kept under that email for a guest may now be theirs (returns' store credit)."""

    event_type: ClassVar[str] = "user.email_verified"
    user_id: str
    email: str


class PasswordResetRequested(Event):
    """A reset link was asked for an existing, active account (nothing is published for an
    unknown email, and the answer is the same either way)."""

    event_type: ClassVar[str] = "user.password_reset_requested"
    user_id: str
    email: str


class PasswordChanged(Event):
    event_type: ClassVar[str] = "user.password_changed"
    user_id: str
    reason: str  # reset


class AccountLocked(Event):
    event_type: ClassVar[str] = "user.locked"
    user_id: str
    until: str
