"""The async work behind `mercato events …` (kept apart so the CLI module stays about options)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus import dead_letters
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.bus.outbox import history, to_envelope
from mercato.kernel.bus.replay import replay as replay_events
from mercato.kernel.config import Settings


async def tail(
    settings: Settings,
    *,
    limit: int,
    follow: bool,
    as_json: bool,
    types: Sequence[str],
    console: Console,
) -> None:
    kernel = Kernel.build(settings)
    try:
        async with kernel.uow(writes=False) as uow:
            newest = await uow.session.scalar(select(func.max(OutboxRecord.seq))) or 0
        after = max(0, newest - limit)
        while True:
            async with kernel.uow(writes=False) as uow:
                rows = await history(
                    uow.session, tenant_id=None, types=types, after_seq=after, limit=1000
                )
            for row in rows:
                envelope = to_envelope(row)
                if as_json:
                    console.print_json(envelope.model_dump_json())
                else:
                    status = "published" if row.published_at else "pending"
                    console.print(
                        f"[dim]{row.seq:>8}[/] {envelope.occurred_at:%Y-%m-%d %H:%M:%S.%f} "
                        f"[bold]{envelope.type}[/] {envelope.tenant_id}/{envelope.aggregate_id} "
                        f"[dim]{envelope.id} {status}[/]"
                    )
                after = row.seq
            if not follow:
                return
            await asyncio.sleep(0.5)
    finally:
        await kernel.db.dispose()


async def dlq_list(settings: Settings, *, console: Console, as_json: bool = False) -> None:
    kernel = Kernel.build(settings)
    try:
        async with kernel.uow(writes=False) as uow:
            rows = await dead_letters.list_dead(uow, limit=1000)
        if as_json:
            for r in rows:
                console.print_json(
                    json.dumps(
                        {
                            "id": r.id,
                            "failed_at": r.failed_at.isoformat(),
                            "handler": r.handler,
                            "event_type": r.event_type,
                            "event_id": r.event_id,
                            "attempts": r.attempts,
                            "error": r.error,
                        }
                    )
                )
            return
        table = Table("id", "failed at", "handler", "event", "attempts", "error")
        for r in rows:
            table.add_row(
                r.id,
                f"{r.failed_at:%Y-%m-%d %H:%M:%S}",
                r.handler,
                f"{r.event_type} {r.event_id}",
                str(r.attempts),
                r.error[:80],
            )
        console.print(table if rows else "no dead letters")
    finally:
        await kernel.db.dispose()


async def dlq_retry(
    settings: Settings, dead_letter_id: str | None, *, console: Console
) -> dict[str, str]:
    kernel = Kernel.build(settings)
    outcomes: dict[str, str] = {}
    try:
        if dead_letter_id:
            ids = [dead_letter_id]
        else:
            async with kernel.uow(writes=False) as uow:
                ids = [r.id for r in await dead_letters.list_dead(uow, limit=100_000)]
        for dl_id in ids:
            outcome = await dead_letters.redeliver(
                dl_id,
                uow_factory=kernel.uow,
                dispatcher=kernel.dispatcher,
                registry=kernel.registry,
                clock=kernel.clock,
            )
            outcomes[dl_id] = outcome.value
            console.print(f"{dl_id}: {outcome.value}")
        if not ids:
            console.print("no dead letters")
        return outcomes
    finally:
        await kernel.db.dispose()


async def replay(
    settings: Settings, since: datetime, until: datetime | None, handler: str | None
) -> dict[str, Any]:
    kernel = Kernel.build(settings)
    try:
        counts = await replay_events(
            uow_factory=kernel.uow,
            dispatcher=kernel.dispatcher,
            registry=kernel.registry,
            since=since,
            until=until,
            handler=handler,
        )
        return {k.value: v for k, v in counts.items()}
    finally:
        await kernel.db.dispose()
