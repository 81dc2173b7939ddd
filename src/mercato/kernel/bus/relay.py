"""The relay: moves committed events from the outbox to the transport.

An event leaves the outbox (is marked published) only after the transport has it, so a
crash anywhere means a redelivery, never a loss. On PostgreSQL many relays run at once:
each claims one partition at a time under an advisory lock and its rows with
`FOR UPDATE SKIP LOCKED`, so no two relays send the same events and a partition's events
stay in order. On SQLite exactly one process per database file relays (a file lock).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import random
from pathlib import Path
from typing import IO, Any

import structlog
from sqlalchemy import Select, bindparam, func, select, text, update

from mercato.kernel.aio import pause, pause_or_wake
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.bus.outbox import OUTBOX as _OUTBOX
from mercato.kernel.bus.outbox import to_envelope
from mercato.kernel.clock import Clock
from mercato.kernel.db import Database
from mercato.kernel.events import Envelope
from mercato.kernel.observability import metrics
from mercato.kernel.prepared import Prepared, SessionDriver
from mercato.kernel.transports.base import Transport

log = structlog.get_logger("mercato.relay")

_ADVISORY_NAMESPACE = 0x4D45  # "ME": keeps our advisory keys apart from anyone else's


class Relay:
    def __init__(
        self,
        db: Database,
        transport: Transport,
        clock: Clock,
        *,
        partitions: int,
        batch_size: int,
        poll_interval: float,
        lock_path: Path | None = None,
    ) -> None:
        self._db = db
        self._transport = transport
        self._clock = clock
        self._partitions = partitions
        self._batch_size = batch_size
        self._waiting = Prepared(
            select(*_OUTBOX.c)
            .where(_OUTBOX.c.published_at.is_(None))
            .order_by(_OUTBOX.c.seq)
            .limit(batch_size)
        )
        self._poll_interval = poll_interval
        self._lock_path = lock_path
        self._lock_file: IO[str] | None = None
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        """Called after a local commit wrote events: relay them now instead of at the next poll."""
        self._wakeup.set()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            if self._db.is_sqlite and not self._hold_file_lock():
                await pause(stop, self._poll_interval * 20)  # another process relays this file
                continue
            # Cleared before pumping: a commit during the pump sets it again, so the pause
            # below returns at once instead of waiting for the next poll.
            self._wakeup.clear()
            try:
                moved = await self.pump()
            except Exception as exc:  # the relay must outlive a broker or database blip
                log.error("relay_failed", error=repr(exc))
                await pause(stop, 1.0)
                continue
            if moved == 0:
                await pause_or_wake(stop, self._wakeup, self._poll_interval)
        self._release_file_lock()

    async def pump(self) -> int:
        """Relay what is waiting now; returns how many events were sent."""
        if self._db.is_sqlite:
            return await self._pump_sqlite()
        return await self._pump_postgres()

    async def _pump_postgres(self) -> int:
        """Which partitions wait, asked without a transaction (what most wake-ups find is
        nothing, or what another relay is sending: one round trip, not three). Then in one
        transaction: lock every waiting partition no other relay holds, claim their oldest
        rows, hand them to the transport, mark them published."""
        async with self._db.read_sessionmaker() as session:
            waiting = list(
                await session.scalars(
                    select(OutboxRecord.partition)
                    .where(OutboxRecord.published_at.is_(None))
                    .distinct()
                )
            )
        if not waiting:
            return 0
        random.shuffle(waiting)  # relays in several processes start on different ones
        async with self._db.sessionmaker() as session, session.begin():
            locked = list(
                await session.scalars(
                    text(
                        "SELECT p FROM unnest(CAST(:parts AS integer[])) WITH ORDINALITY AS t(p, n)"
                        " WHERE pg_try_advisory_xact_lock(:ns, p) ORDER BY n"
                    ),
                    {"parts": waiting, "ns": _ADVISORY_NAMESPACE},
                )
            )
            if not locked:
                return 0
            # Marked published as they are claimed (one statement): if the transport fails,
            # the transaction rolls back and they wait again.
            oldest = (
                self._unpublished()
                .with_only_columns(OutboxRecord.seq)
                .where(OutboxRecord.partition.in_(locked))
                .with_for_update(skip_locked=True)
            )
            claim = (
                update(OutboxRecord)
                .where(OutboxRecord.seq.in_(oldest))
                .values(published_at=self._clock.now())
                .returning(OutboxRecord)
                .execution_options(synchronize_session=False)
            )
            rows = sorted(await session.scalars(claim), key=lambda row: row.seq)
            if not rows:
                return 0
            envelopes = await self._deliver(rows)
        self._count(envelopes)
        return len(envelopes)

    async def _pump_sqlite(self) -> int:
        """One relay per file holds the lock, so reading and marking need no claim; they are
        separate transactions because handlers write in between. Both are prepared
        statements (the relay runs after every commit that wrote events). SQLite has one
        writer at a time, so events become visible in `seq` order and every unpublished
        row between the first and the last read is one of those read: the range marks them."""
        async with self._db.sessionmaker() as session:
            rows = await self._waiting.all(SessionDriver(session))
        if not rows:
            return 0
        envelopes = await self._deliver_rows(rows)
        async with self._db.write_sessionmaker() as session:
            await _MARK_RANGE.run(
                SessionDriver(session),
                first=rows[0].seq,
                last=rows[-1].seq,
                now=self._clock.now(),
            )
            await session.commit()
        self._count(envelopes)
        return len(envelopes)

    async def _deliver_rows(self, rows: list[Any]) -> list[Envelope]:
        envelopes = [_envelope(row) for row in rows]
        metrics.outbox_lag.set((self._clock.now() - envelopes[0].occurred_at).total_seconds())
        metrics.outbox_relayed_batch.set(len(rows))
        await self._transport.deliver(envelopes)
        return envelopes

    def _unpublished(self) -> Select[OutboxRecord]:
        return (
            select(OutboxRecord)
            .where(OutboxRecord.published_at.is_(None))
            .order_by(OutboxRecord.seq)
            .limit(self._batch_size)
        )

    async def _deliver(self, rows: list[OutboxRecord]) -> list[Envelope]:
        envelopes = [to_envelope(r) for r in rows]
        metrics.outbox_lag.set((self._clock.now() - envelopes[0].occurred_at).total_seconds())
        metrics.outbox_relayed_batch.set(len(rows))
        await self._transport.deliver(envelopes)
        return envelopes

    @staticmethod
    def _count(envelopes: list[Envelope]) -> None:
        for envelope in envelopes:
            metrics.events_published.labels(type=envelope.type).inc()

    async def pending(self) -> int:
        async with self._db.sessionmaker() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(OutboxRecord)
                .where(OutboxRecord.published_at.is_(None))
            )
            return int(count or 0)

    def _hold_file_lock(self) -> bool:
        if self._lock_file is not None or self._lock_path is None:
            return True
        self._lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self._lock_path, "a+")  # noqa: SIM115 - held for the process's life
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_file = handle
        log.info("relay_lock_acquired", path=str(self._lock_path))
        return True

    def _release_file_lock(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None


_MARK_RANGE = Prepared(
    update(_OUTBOX)
    .where(
        _OUTBOX.c.seq >= bindparam("first"),
        _OUTBOX.c.seq <= bindparam("last"),
        _OUTBOX.c.published_at.is_(None),
    )
    .values(published_at=bindparam("now"))
)


def _envelope(row: Any) -> Envelope:
    """An outbox row (as a prepared statement read it) as the envelope it stores."""
    return Envelope(
        id=row.id,
        type=row.type,
        version=row.version,
        tenant_id=row.tenant_id,
        aggregate_id=row.aggregate_id,
        occurred_at=row.occurred_at,
        correlation_id=row.correlation_id,
        causation_id=row.causation_id,
        payload=row.payload,
        trace=row.trace or {},
    )
