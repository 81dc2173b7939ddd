"""The words the notifications agent stores: channels, message statuses, kinds' classes."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    PUSH = "push"
    IN_APP = "in_app"


class MessageStatus(StrEnum):
    """queued → sending → sent → delivered, or bounced / failed; `suppressed` never left
    (quiet hours defer, they do not suppress)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    BOUNCED = "bounced"
    FAILED = "failed"
    COMPLAINED = "complained"


class StepStatus(StrEnum):
    """A delivery log entry: a message's status, or a retry scheduled."""

    QUEUED = "queued"
    RETRYING = "retrying"
    SENT = "sent"
    DELIVERED = "delivered"
    BOUNCED = "bounced"
    FAILED = "failed"
    COMPLAINED = "complained"


FINAL = frozenset({MessageStatus.DELIVERED, MessageStatus.BOUNCED, MessageStatus.FAILED})


class Purpose(StrEnum):
    """Transactional messages are owed to the customer (an order's confirmation, a password
    reset) and cannot be switched off by email; marketing ones (cart reminders) can, and
    carry a one-click unsubscribe link; staff ones go to the store's people."""

    TRANSACTIONAL = "transactional"
    MARKETING = "marketing"
    STAFF = "staff"
