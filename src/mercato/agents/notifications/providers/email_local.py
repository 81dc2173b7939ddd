"""The built-in email provider: each message becomes an `.eml` file under the data directory,
so a store works with no mail account and anyone can open what would have been sent."""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from pathlib import Path

from mercato.agents.notifications.providers.base import Outgoing, PermanentDeliveryError, Sent
from mercato.agents.notifications.providers.mime import build_mime, mime_bytes
from mercato.kernel.clock import Clock, SystemClock
from mercato.kernel.config import Settings

_SAFE_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
"""A reference becomes a file name: nothing that could leave the directory."""


class LocalMail:
    """Writes `<directory>/<reference>.eml` (RFC 5322, CRLF); handing over is delivery."""

    name = "local"
    channel = "email"

    def __init__(self, directory: Path, *, default_sender: str, clock: Clock | None = None) -> None:
        self.directory = directory
        self._default_sender = default_sender
        self._clock = clock or SystemClock()

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock | None = None) -> LocalMail:
        return cls(settings.data_dir / "mail", default_sender=settings.mail_from, clock=clock)

    async def send(self, message: Outgoing) -> Sent:
        if not _SAFE_REFERENCE.fullmatch(message.reference):
            raise PermanentDeliveryError("invalid_reference", repr(message.reference))
        data = mime_bytes(build_mime(message, self._default_sender, now=self._clock.now()))
        await asyncio.to_thread(self._write, f"{message.reference}.eml", data)
        return Sent(provider=self.name, provider_message_id=message.reference, delivered=True)

    async def close(self) -> None:
        return None

    def path_of(self, reference: str) -> Path:
        return self.directory / f"{reference}.eml"

    def _write(self, name: str, data: bytes) -> None:
        """Write beside the target, then rename: a reader (or a crash) never sees half a
        message, and a resend of the same reference replaces it whole."""
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.directory / f".{name}.{uuid.uuid4().hex}.tmp"
        try:
            with tmp.open("wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            tmp.replace(self.directory / name)
        finally:
            tmp.unlink(missing_ok=True)
