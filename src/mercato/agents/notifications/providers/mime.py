"""The one RFC 5322 message every email provider sends: the local files, SMTP and SES raw
all carry the same bytes, so what a test reads from a `.eml` is what a mailbox receives."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr

from mercato.agents.notifications.providers.base import Outgoing, PermanentDeliveryError


def message_id(reference: str) -> str:
    """The Message-ID header for Mercato's message `reference` (what SMTP answers as the
    provider's id, and what a bounce quotes back)."""
    return f"<{reference}@mercato>"


def build_mime(
    message: Outgoing, default_sender: str, *, now: datetime | None = None
) -> EmailMessage:
    """The message as MIME: text alone, or multipart/alternative text + html.

    Raises `PermanentDeliveryError("invalid_message")` when a header cannot be written (a
    line break in a subject or an extra header is an injection attempt, never retried)."""
    mime = EmailMessage()
    try:
        mime["From"] = message.sender or default_sender
        mime["To"] = message.to
        mime["Subject"] = message.subject
        mime["Date"] = format_datetime(now or datetime.now(UTC))
        mime["Message-ID"] = message_id(message.reference)
        for name, value in message.headers.items():
            del mime[name]
            mime[name] = value
        mime.set_content(message.text)
        if message.html is not None:
            mime.add_alternative(message.html, subtype="html")
    except ValueError as exc:
        raise PermanentDeliveryError("invalid_message", str(exc)) from exc
    return mime


def mime_bytes(mime: EmailMessage) -> bytes:
    """The wire form (CRLF line ends, as SMTP and SES's raw content expect)."""
    return mime.as_bytes(policy=SMTP)


def envelope_sender(mime: EmailMessage) -> str:
    """The bare address of the From header (`Shop <a@b>` → `a@b`), for SMTP's MAIL FROM
    and SES's FromEmailAddress."""
    return parseaddr(str(mime["From"]))[1]
