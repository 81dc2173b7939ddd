"""A local mail relay: a real SMTP server (aiosmtpd) on 127.0.0.1, for the SMTP provider.

It speaks ESMTP as a submission server does: STARTTLS with a self-signed certificate made at
start (or TLS from the first byte, like port 465), AUTH LOGIN/PLAIN offered only under TLS
when it has credentials (a wrong password answers 535), and it keeps what it accepted
(envelope and parsed message). Switches for the failures the provider must tell apart:
`down` (nothing listens: connections are refused), `reject_recipients` (550 5.1.1 on RCPT),
`temp_fail` (451 on RCPT, greylisting), `reject_content` (550 5.7.1 after DATA) and
`drop_connections()` (the relay closes idle connections, as real ones do).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import logging
import socket
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Self, cast
from urllib.parse import quote

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

USERNAME = "mercato@example.test"
PASSWORD = "p@ss:word/1"
"""Characters that must be percent-encoded in a URL, so the provider's decoding is tested."""


class _NoLoginDataWarning(logging.Filter):
    """aiosmtpd warns about its own deprecated attribute on every AUTH."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "login_data is deprecated" not in record.getMessage()


logging.getLogger("mail.log").addFilter(_NoLoginDataWarning())


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    data: bytes
    tls: bool
    login: str | None


def self_signed(
    common_name: str = "localhost",
    *,
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | None = None,
) -> tuple[bytes, bytes]:
    """A certificate for `common_name`, 127.0.0.1 and localhost, valid for a day:
    (certificate PEM, private key PEM)."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    san = x509.SubjectAlternativeName(
        [
            x509.DNSName(common_name),
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(san, critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


class FakeSmtp:
    def __init__(
        self,
        *,
        credentials: tuple[str, str] | None = (USERNAME, PASSWORD),
        starttls: bool = True,
        implicit_tls: bool = False,
    ) -> None:
        """`credentials`: AUTH required with these (None: an open relay). `starttls`:
        offer STARTTLS (without it, AUTH is offered in clear, so a client that refuses to
        send a password there is seen to refuse on its own)."""
        self.credentials = credentials
        self.starttls = starttls
        self.implicit_tls = implicit_tls
        self.received: list[ReceivedMail] = []
        self.reject_recipients: set[str] = set()
        self.temp_fail = False
        self.reject_content = False
        self.connections = 0
        """TCP connections accepted since start (a reusing client opens one)."""
        self.auth_attempts: list[tuple[str, bool]] = []
        """(mechanism, succeeded) of every AUTH."""
        self.cert_pem, self._key_pem = self_signed()
        self.host, self.port = "127.0.0.1", 0
        self._controller: _Controller | None = None
        self._down = False
        self._tls: ssl.SSLContext | None = None

    # -- what a test uses ------------------------------------------------------------------

    @property
    def url(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        if self.credentials is None:
            return f"{scheme}://{self.host}:{self.port}"
        user, password = (quote(part, safe="") for part in self.credentials)
        return f"{scheme}://{user}:{password}@{self.host}:{self.port}"

    def client_tls_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's certificate (and nothing else)."""
        return ssl.create_default_context(cadata=self.cert_pem.decode())

    @property
    def down(self) -> bool:
        return self._down

    @down.setter
    def down(self, value: bool) -> None:
        """Down: the listener closes and open connections are cut (connections refused);
        up again: it listens on the same port."""
        if value and not self._down:
            self._stop()
        elif not value and self._down:
            self._start()
        self._down = value

    def drop_connections(self) -> None:
        """Close every open client connection (a relay's idle timeout)."""
        controller = self._controller
        if controller is None:
            return

        async def close_all() -> None:
            for session in list(controller.sessions):
                if session.transport is not None:
                    session.transport.close()
            controller.sessions.clear()
            await asyncio.sleep(0.05)

        asyncio.run_coroutine_threadsafe(close_all(), controller.loop).result(timeout=5)

    @contextmanager
    def running(self) -> Iterator[Self]:
        with tempfile.TemporaryDirectory() as directory:
            cert, key = Path(directory) / "cert.pem", Path(directory) / "key.pem"
            cert.write_bytes(self.cert_pem)
            key.write_bytes(self._key_pem)
            self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._tls.load_cert_chain(cert, key)
        self.port = _free_port()
        self._start()
        try:
            yield self
        finally:
            if not self._down:
                self._stop()

    # -- the server ------------------------------------------------------------------------

    def _start(self) -> None:
        options: dict[str, Any] = {
            "hostname": self.host,
            "port": self.port,
            "server_hostname": "mail.example.test",
            "ident": "FakeSmtp ESMTP",
            "decode_data": False,
        }
        if self.implicit_tls:
            options["ssl_context"] = self._tls
        elif self.starttls:
            options["tls_context"] = self._tls
        if self.credentials is not None:
            # AUTH is demanded at MAIL (`_Handler.handle_MAIL`); aiosmtpd's own demand
            # would insist on STARTTLS even under implicit TLS
            options["authenticator"] = self._authenticate
            options["auth_require_tls"] = self.starttls and not self.implicit_tls
        self._controller = _Controller(self, _Handler(self), **options)
        self._controller.start()
        self.connections = 0  # the controller's own readiness probe is not a client

    def _stop(self) -> None:
        self.drop_connections()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (
            (data.login.decode(), data.password.decode()) == self.credentials
        )
        self.auth_attempts.append((mechanism, ok))
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)


class _Controller(Controller):
    """Counts each connection and keeps its session, so the fake can cut them."""

    def __init__(self, fake: FakeSmtp, handler: _Handler, **options: Any) -> None:
        super().__init__(handler, **options)
        self.fake = fake
        self.sessions: list[SMTP] = []

    def factory(self) -> SMTP:
        self.fake.connections += 1
        session = super().factory()
        self.sessions.append(session)
        return cast(SMTP, session)


class _Handler:
    def __init__(self, fake: FakeSmtp) -> None:
        self.fake = fake

    async def handle_MAIL(  # noqa: N802 - aiosmtpd finds its hooks by this name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.fake.credentials is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 OK"

    async def handle_RCPT(  # noqa: N802 - aiosmtpd finds its hooks by this name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.fake.temp_fail:
            return "451 4.7.1 Greylisted, please try again later"
        if address in self.fake.reject_recipients:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd finds its hooks by this name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        if self.fake.reject_content:
            return "550 5.7.1 Message rejected as spam"
        data = cast(bytes, envelope.original_content or envelope.content)
        message = message_from_bytes(data, policy=policy.default)
        self.fake.received.append(
            ReceivedMail(
                mail_from=str(envelope.mail_from),
                rcpt_tos=list(envelope.rcpt_tos),
                message=message,
                data=data,
                tls=session.ssl is not None or self.fake.implicit_tls,
                login=_login_of(session),
            )
        )
        return "250 2.0.0 OK: queued"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _login_of(session: Session) -> str | None:
    data = session.auth_data
    return data.login.decode() if isinstance(data, LoginPassword) else None
