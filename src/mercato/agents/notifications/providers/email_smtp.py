"""Email over SMTP (any relay: Postfix, Mailgun, SendGrid, SES's SMTP endpoint), on aiosmtplib.

One connection is kept and reused across sends, because the sender delivers in batches and a
fresh connection costs a TCP handshake, EHLO, a TLS handshake and AUTH before the first byte
of mail: against the local test server (STARTTLS + AUTH) a send took ~3.5 ms on a kept
connection and ~8 ms on a new one, where round trips are free; over a network each new
connection adds six or seven round trips. A relay that dropped the idle connection is
met with one reconnect. Credentials never cross the wire in clear: a server that offers no
STARTTLS gets no password (`tls_required`).
"""

from __future__ import annotations

import asyncio
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

from mercato.agents.notifications.providers.base import (
    DeadAddressError,
    DeliveryError,
    Outgoing,
    PermanentDeliveryError,
    Sent,
    TransientDeliveryError,
)
from mercato.agents.notifications.providers.mime import build_mime, envelope_sender
from mercato.kernel.clock import Clock, SystemClock
from mercato.kernel.config import Settings

_DEAD_RECIPIENT = {550, 551, 553}
"""Mailbox unavailable / not local / name not allowed: the address itself is bad."""


class SmtpMail:
    name = "smtp"
    channel = "email"

    def __init__(
        self,
        host: str,
        port: int = 587,
        *,
        default_sender: str,
        username: str | None = None,
        password: str | None = None,
        implicit_tls: bool = False,
        tls_context: ssl.SSLContext | None = None,
        validate_certs: bool = True,
        timeout: float = 10.0,
        clock: Clock | None = None,
    ) -> None:
        """`implicit_tls`: TLS from the first byte (port 465, `smtps://`); otherwise STARTTLS
        whenever the server offers it. `tls_context` / `validate_certs`: whom to trust (a
        test server's self-signed certificate)."""
        self.host, self.port = host, port
        self._default_sender = default_sender
        self._username, self._password = username, password
        self._implicit_tls = implicit_tls
        self._tls_context, self._validate_certs = tls_context, validate_certs
        self._timeout = timeout
        self._clock = clock or SystemClock()
        self._smtp: aiosmtplib.SMTP | None = None
        self._lock = asyncio.Lock()
        self.connections_opened = 0
        """How many connections this provider has opened (reuse keeps it at one)."""

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        default_sender: str,
        tls_context: ssl.SSLContext | None = None,
        validate_certs: bool = True,
        timeout: float = 10.0,
        clock: Clock | None = None,
    ) -> SmtpMail:
        """`smtp://user:pass@host:587` (STARTTLS) or `smtps://user:pass@host:465` (implicit
        TLS); user and password are percent-decoded (`%40` for an `@` in a user name)."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("an SMTP URL is smtp://user:pass@host:587 or smtps://…:465")
        implicit = parts.scheme == "smtps"
        return cls(
            parts.hostname,
            parts.port or (465 if implicit else 587),
            default_sender=default_sender,
            username=unquote(parts.username) if parts.username is not None else None,
            password=unquote(parts.password) if parts.password is not None else None,
            implicit_tls=implicit,
            tls_context=tls_context,
            validate_certs=validate_certs,
            timeout=timeout,
            clock=clock,
        )

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        tls_context: ssl.SSLContext | None = None,
        clock: Clock | None = None,
    ) -> SmtpMail:
        if not settings.smtp_url:
            raise ValueError("MERCATO_SMTP_URL is not set")
        return cls.from_url(
            settings.smtp_url,
            default_sender=settings.mail_from,
            tls_context=tls_context,
            clock=clock,
        )

    # -- sending ---------------------------------------------------------------------------

    async def send(self, message: Outgoing) -> Sent:
        mime = build_mime(message, self._default_sender, now=self._clock.now())
        async with self._lock:
            try:
                await self._deliver(mime, envelope_sender(mime), message.to)
            except (aiosmtplib.SMTPException, OSError) as exc:
                self._drop_if_broken(exc)
                raise _delivery_error(exc) from exc
        return Sent(provider=self.name, provider_message_id=str(mime["Message-ID"]))

    async def close(self) -> None:
        async with self._lock:
            smtp, self._smtp = self._smtp, None
            if smtp is not None and smtp.is_connected:
                try:
                    await smtp.quit()
                except (aiosmtplib.SMTPException, OSError):
                    smtp.close()

    async def _deliver(self, mime: EmailMessage, sender: str, to: str) -> None:
        """Send on the kept connection; if the server had dropped it, once more on a new one
        (a fresh connection that fails is the server's answer, not staleness)."""
        reused = self._smtp is not None and self._smtp.is_connected
        smtp = self._smtp if reused and self._smtp is not None else await self._connect()
        try:
            await smtp.send_message(mime, sender=sender, recipients=[to])
        except aiosmtplib.SMTPServerDisconnected:
            self._drop()
            if not reused:
                raise
            smtp = await self._connect()
            await smtp.send_message(mime, sender=sender, recipients=[to])

    async def _connect(self) -> aiosmtplib.SMTP:
        self._drop()
        smtp = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            use_tls=self._implicit_tls,
            start_tls=False if self._implicit_tls else None,
            tls_context=self._tls_context,
            validate_certs=self._validate_certs,
            timeout=self._timeout,
        )
        await smtp.connect()
        self.connections_opened += 1
        try:
            if self._username is not None:
                await self._login(smtp, self._username, self._password or "")
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    async def _login(self, smtp: aiosmtplib.SMTP, username: str, password: str) -> None:
        if smtp.get_transport_info("sslcontext") is None:
            raise PermanentDeliveryError(
                "tls_required", f"{self.host} offers no STARTTLS; the password is not sent"
            )
        try:
            await smtp.login(username, password)
        except aiosmtplib.SMTPResponseException:
            raise
        except aiosmtplib.SMTPException as exc:  # no AUTH offered: a configuration error
            raise PermanentDeliveryError("auth_failed", exc.message) from exc

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def _drop_if_broken(self, exc: Exception) -> None:
        """A refused recipient leaves the session usable (the client sent RSET); anything
        else, or a 421 "closing channel", may leave it mid-command."""
        if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
            return
        if isinstance(exc, aiosmtplib.SMTPResponseException) and exc.code != 421:
            return
        self._drop()


def _delivery_error(exc: aiosmtplib.SMTPException | OSError) -> DeliveryError:
    """aiosmtplib's failure as the interface's kind: 4xx and network trouble are worth
    another try, 5xx is final, and a 550/551/553 on RCPT means the address is dead."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        refused = exc.recipients[0] if exc.recipients else None
        code, text = (refused.code, refused.message) if refused else (550, str(exc))
        if code < 500:
            return TransientDeliveryError("deferred", f"{code} {text}")
        if code in _DEAD_RECIPIENT and not text.startswith("5.7."):  # 5.7.x is policy
            return DeadAddressError("rejected_recipient", f"{code} {text}")
        return PermanentDeliveryError("rejected", f"{code} {text}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        detail = f"{exc.code} {exc.message}"
        if exc.code == 421:
            return TransientDeliveryError("unavailable", detail)
        if exc.code < 500:
            return TransientDeliveryError("deferred", detail)
        if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
            return PermanentDeliveryError("auth_failed", detail)
        return PermanentDeliveryError("rejected", detail)
    if isinstance(exc, aiosmtplib.SMTPTimeoutError | TimeoutError):
        return TransientDeliveryError("timeout", str(exc))
    if isinstance(exc, aiosmtplib.SMTPNotSupported):
        return PermanentDeliveryError("rejected", exc.message)
    return TransientDeliveryError("unavailable", str(exc) or type(exc).__name__)
