"""Notes and tags on an order. Staff tag orders and write internal notes; the customer (or
guest) who placed an order may add notes to it that everyone reading it sees. Each is a
timeline entry; entries about internal notes and tags are `staff_only`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete

from mercato.agents.orders import records
from mercato.agents.orders.models import Order, OrderNote, OrderTag
from mercato.agents.orders.problems import InvalidOrderRequest
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

MAX_NOTE = 4000
MAX_TAGS = 20
TAG = re.compile(r"^[a-z0-9][a-z0-9_:-]{0,63}$")


def normalize_tag(tag: str) -> str:
    cleaned = tag.strip().lower()
    if not TAG.fullmatch(cleaned):
        raise InvalidOrderRequest(
            f"a tag is 1-64 characters of a-z, 0-9, '_', ':' and '-' (got {tag!r})"
        )
    return cleaned


def normalize_tags(tags: Iterable[str]) -> list[str]:
    cleaned = sorted({normalize_tag(tag) for tag in tags})
    if len(cleaned) > MAX_TAGS:
        raise InvalidOrderRequest(f"an order has at most {MAX_TAGS} tags")
    return cleaned


def add_note_row(
    uow: UnitOfWork, order: Order, *, author: str, body: str, internal: bool, now: datetime
) -> OrderNote:
    text = body.strip()
    if not 1 <= len(text) <= MAX_NOTE:
        raise InvalidOrderRequest(f"a note has 1 to {MAX_NOTE} characters")
    note = OrderNote(
        id=new_id(), order_id=order.id, author=author, body=text, internal=internal, created_at=now
    )
    uow.session.add(note)
    records.record(
        uow,
        order,
        "note_added",
        now=now,
        actor=author,
        note_id=note.id,
        internal=internal,
        staff_only=internal,
    )
    return note


async def replace_tags(
    uow: UnitOfWork, order: Order, *, tags: list[str], now: datetime, actor: str
) -> list[str]:
    """Make the order's tags exactly `tags` (already normalized); the timeline says what
    was added and removed (nothing recorded when nothing changed)."""
    current = set(await records.tags_of(uow, order.id))
    wanted = set(tags)
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if removed:
        await uow.session.execute(
            delete(OrderTag).where(OrderTag.order_id == order.id, OrderTag.tag.in_(removed))
        )
    for tag in added:
        uow.session.add(OrderTag(order_id=order.id, tag=tag))
    if added or removed:
        records.record(
            uow,
            order,
            "tagged",
            now=now,
            actor=actor,
            added=added,
            removed=removed,
            staff_only=True,
        )
        await uow.session.flush()
    return sorted(wanted)
