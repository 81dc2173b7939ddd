"""Sending email: a small provider interface, a local mail drop and SMTP.

The local provider writes each message as an RFC 5322 `.eml` file under
`<data dir>/mail/`, so a laptop needs no mail account and tests read what was sent. SMTP
(`MERCATO_SMTP_URL=smtp://user:pass@host:587`, STARTTLS when the server offers it) sends
for real.
"""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse

from mercato.kernel.ids import new_id


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> str:
        """Send; returns the message id."""
        ...


def compose(*, sender: str, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = f"<{new_id()}@mercato>"
    message.set_content(text)
    return message


class MailDrop:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, message: EmailMessage) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        message_id = str(message["Message-ID"]).strip("<>")
        path = self.directory / f"{message_id}.eml"
        await asyncio.to_thread(path.write_bytes, bytes(message))
        return message_id


class SMTPMailer:
    def __init__(self, url: str) -> None:
        parsed = urlparse(url)
        self.host = parsed.hostname or "localhost"
        self.port = parsed.port or (465 if parsed.scheme == "smtps" else 587)
        self.ssl = parsed.scheme == "smtps"
        self.username = unquote(parsed.username) if parsed.username else None
        self.password = unquote(parsed.password) if parsed.password else None

    def _send(self, message: EmailMessage) -> None:
        client_class = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
        with client_class(self.host, self.port, timeout=30) as client:
            client.ehlo()  # the server's extensions are known only after EHLO
            if not self.ssl:
                if client.has_extn("starttls"):
                    client.starttls()
                    client.ehlo()
                elif self.username:
                    raise smtplib.SMTPException(
                        "the server offers no STARTTLS: not sending the password in clear text"
                    )
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(message)

    async def send(self, message: EmailMessage) -> str:
        await asyncio.to_thread(self._send, message)
        return str(message["Message-ID"]).strip("<>")


def make_mailer(smtp_url: str | None, data_dir: Path) -> Mailer:
    return SMTPMailer(smtp_url) if smtp_url else MailDrop(data_dir / "mail")
