"""The built-in SMS and push providers: each message becomes one JSON line in a log under the
data directory, so a laptop install "sends" with no account and the console can show what
went out.

Handing a message to the log is its delivery (`Sent.delivered`). Nothing is masked: the log
is the local provider's own record, kept on the operator's machine.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, ClassVar, Self

from mercato.agents.notifications.providers.base import Outgoing, Sent
from mercato.kernel.clock import Clock, SystemClock
from mercato.kernel.config import Settings

LOG_DIR = "notifications"


class _JsonLog:
    """Appends whole lines to one file. The lock keeps this process's lines whole and in
    order; the write runs in a thread so a slow disk does not stall the event loop."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = asyncio.Lock()

    async def append(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        async with self._lock:
            await asyncio.to_thread(self._write, line)

    def _write(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as file:
            file.write(line)
            file.flush()


class _LocalLogProvider:
    name: str = "local"
    channel: str
    file_name: ClassVar[str]
    subject_key: ClassVar[str]
    """What the line calls `Outgoing.subject` (a push message's subject is its title)."""

    def __init__(self, data_dir: Path, *, clock: Clock | None = None) -> None:
        self._log = _JsonLog(Path(data_dir) / LOG_DIR / self.file_name)
        self._clock = clock or SystemClock()

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock | None = None) -> Self:
        return cls(settings.data_dir, clock=clock)

    @property
    def path(self) -> Path:
        """The log file (the console reads it with `read_log`)."""
        return self._log.path

    async def send(self, message: Outgoing) -> Sent:
        await self._log.append(
            {
                "at": self._clock.now().isoformat(),
                "reference": message.reference,
                "to": message.to,
                self.subject_key: message.subject,
                "text": message.text,
                "data": dict(message.data),
            }
        )
        return Sent(provider=self.name, provider_message_id=message.reference, delivered=True)

    async def close(self) -> None:
        """Nothing stays open between messages."""


class LocalSms(_LocalLogProvider):
    """SMS into `<data dir>/notifications/sms.jsonl`."""

    channel = "sms"
    file_name = "sms.jsonl"
    subject_key = "subject"


class LocalPush(_LocalLogProvider):
    """Push notifications into `<data dir>/notifications/push.jsonl`."""

    channel = "push"
    file_name = "push.jsonl"
    subject_key = "title"


def read_log(path: Path, limit: int, after: str | None = None) -> list[dict[str, Any]]:
    """The newest `limit` lines of a local log, newest first.

    `after` pages on: the `reference` of the last line already shown, so the answer is the
    lines older than it (none when it is not in the log). A line that is not whole JSON (a
    write cut short by a crash) is skipped rather than failing the page."""
    if limit <= 0 or not path.exists():
        return []
    entries: list[dict[str, Any]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    entries.reverse()
    if after is not None:
        cursor = next((i for i, e in enumerate(entries) if e.get("reference") == after), None)
        if cursor is None:
            return []
        entries = entries[cursor + 1 :]
    return entries[:limit]
