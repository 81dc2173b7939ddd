"""What a channel's provider is to the sender: something that takes one rendered message and
either answers the provider's id for it or raises one of two errors.

The sender decides what happens next from the error's kind alone: a transient failure (the
provider is down, slow, rate-limiting, or answered 5xx) is tried again later with backoff; a
permanent one (bad credentials, an invalid number, an unregistered device, a rejected
address) fails the message at once, and a `dead_address` one also stops sending to that
address (a hard bounce, an unregistered push token).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """One message to one recipient on one channel, rendered.

    `to` is an email address (email), an E.164 phone number (sms) or a device token (push).
    `html` is for email only; `subject` is the push title. `headers` are extra mail headers
    (List-Unsubscribe). `reference` is Mercato's message id, which a provider that can echo
    it back (SES tags, Twilio's status callback URL, FCM data) carries, so a delivery
    report finds its message."""

    reference: str
    channel: str
    to: str
    subject: str
    text: str
    html: str | None = None
    sender: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)
    """Push: the app's payload (kind, order id, link)."""


@dataclass(frozen=True)
class Sent:
    provider: str
    provider_message_id: str
    delivered: bool = False
    """True where handing it over is delivery (the local providers)."""


class DeliveryError(Exception):
    """The provider did not take the message. `code` is stable and short (`rate_limited`,
    `auth_failed`, `invalid_number`, `unregistered_token`, `unavailable`, `rejected`, …);
    `detail` is what the provider said."""

    transient: bool = False
    dead_address: bool = False

    def __init__(self, code: str, detail: str = "", *, retry_after: float | None = None) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail, self.retry_after = code, detail, retry_after


class TransientDeliveryError(DeliveryError):
    """Try again later (outage, timeout, 429, 5xx); `retry_after` in seconds when the
    provider said how long to wait."""

    transient = True


class PermanentDeliveryError(DeliveryError):
    """Do not try again (auth failure, invalid recipient, rejected content)."""


class DeadAddressError(PermanentDeliveryError):
    """The address itself is gone (a hard bounce, an unregistered device token): do not send
    there again until the customer registers it anew."""

    dead_address = True


class Provider(Protocol):
    name: str
    channel: str

    async def send(self, message: Outgoing) -> Sent:
        """Hand one message to the provider. Raises `DeliveryError` (one of its kinds)."""
        ...

    async def close(self) -> None:
        """Release connections (called when the kernel stops)."""
        ...


@dataclass(frozen=True)
class DeliveryReport:
    """What a provider's delivery webhook said about one message: its provider id, the new
    status (`sent`, `delivered`, `bounced`, `failed`, `complained`) and why."""

    provider_message_id: str
    status: str
    detail: str = ""
    dead_address: bool = False
    reference: str | None = None
    """Mercato's message id when the provider echoed it back."""
