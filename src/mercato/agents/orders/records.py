"""Reading and locking an order's rows, and the timeline every change appends to.

A command that changes an order first locks its row (`lock`: `SELECT … FOR UPDATE` on
PostgreSQL; SQLite's writers are serialized already) and re-reads it, so two concurrent
commands on one order run one after the other and the second sees what the first did.
Orders are locked before any stock row (inventory's), the order every command keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, cast

from sqlalchemy import String, Table, bindparam, case, func, select, update

from mercato.agents.orders.models import Order, OrderEvent, OrderLine, OrderNote, OrderTag
from mercato.agents.orders.problems import OrderNotFound
from mercato.agents.orders.statuses import OrderPaymentStatus, OrderStatus
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.prepared import EntityInsert, Prepared
from mercato.kernel.store_sql import in_store

SYSTEM = "system"


async def find(uow: UnitOfWork, order_id: str, *, lock: bool = False) -> Order | None:
    query = select(Order).where(Order.id == order_id).execution_options(populate_existing=True)
    if lock:
        query = query.with_for_update()
    found: Order | None = await uow.session.scalar(query)
    return found


async def id_of_number(uow: UnitOfWork, number: str) -> str | None:
    """The id of the order of the store in context numbered `number`, if there is one."""
    found: str | None = await uow.session.scalar(select(Order.id).where(Order.number == number))
    return found


async def lock(uow: UnitOfWork, order_id: str) -> Order:
    """The order, its row locked until the unit of work ends; 404 if there is none."""
    order = await find(uow, order_id, lock=True)
    if order is None:
        raise OrderNotFound(f"no order {order_id!r}")
    return order


@dataclass(frozen=True, slots=True)
class OrderState:
    """Where an order stands, as a handler reads it to decide whether there is anything to
    change (most news changes nothing but the timeline: the checkout told the order first)."""

    id: str
    status: OrderStatus
    payment_status: OrderPaymentStatus
    review: str | None


async def lock_state(uow: UnitOfWork, order_id: str) -> OrderState | None:
    """The order's state, its row locked until the unit of work ends (as `lock`), read
    without loading the order (`lock` loads it if there is something to change)."""
    found = await _STATE_FOR_UPDATE.first(uow, order_id=order_id)
    return None if found is None else OrderState(*found)


async def lines_of(uow: UnitOfWork, order_id: str) -> list[OrderLine]:
    found = await uow.session.scalars(
        select(OrderLine)
        .where(OrderLine.order_id == order_id)
        .order_by(OrderLine.position, OrderLine.id)
        .execution_options(populate_existing=True)
    )
    return list(found)


async def timeline_of(uow: UnitOfWork, order_id: str) -> list[OrderEvent]:
    found = await uow.session.scalars(
        select(OrderEvent)
        .where(OrderEvent.order_id == order_id)
        .order_by(OrderEvent.at, OrderEvent.id)
    )
    return list(found)


async def notes_of(uow: UnitOfWork, order_id: str, *, internal: bool) -> list[OrderNote]:
    query = select(OrderNote).where(OrderNote.order_id == order_id)
    if not internal:
        query = query.where(OrderNote.internal.is_(False))
    found = await uow.session.scalars(query.order_by(OrderNote.created_at, OrderNote.id))
    return list(found)


async def tags_of(uow: UnitOfWork, order_id: str) -> list[str]:
    found = await uow.session.scalars(
        select(OrderTag.tag).where(OrderTag.order_id == order_id).order_by(OrderTag.tag)
    )
    return list(found)


def touch(order: Order, now: datetime) -> None:
    """A change to the order: a new version (the ETag) and its time."""
    order.version += 1
    order.updated_at = now


def record(
    uow: UnitOfWork,
    order: Order,
    kind: str,
    *,
    now: datetime,
    actor: str | None = SYSTEM,
    **detail: Any,
) -> OrderEvent:
    """Append an entry to the order's timeline."""
    found = entry(order, kind, now=now, actor=actor, **detail)
    uow.session.add(found)
    return found


class Identified(Protocol):
    """Anything that names an order (the entity, its state, its info)."""

    @property
    def id(self) -> str: ...


def entry(
    order: Identified,
    kind: str,
    *,
    now: datetime,
    actor: str | None = SYSTEM,
    **detail: Any,
) -> OrderEvent:
    """An entry of the order's timeline, not yet added."""
    return OrderEvent(id=new_id(), order_id=order.id, at=now, kind=kind, actor=actor, detail=detail)


TIMELINE = EntityInsert(OrderEvent)
"""Timeline entries of the hot paths (a placed order's first, a payment's news), written
without the ORM's flush (ADR 22)."""
_EVENTS = cast(Table, OrderEvent.__table__)
DETAILS_OF_KIND = Prepared(
    in_store(
        select(_EVENTS.c.detail).where(
            _EVENTS.c.order_id == bindparam("order_id"), _EVENTS.c.kind == bindparam("kind")
        )
    )
)
"""The details of the order's timeline entries of one kind (has this news been told?)."""


def actor_of(principal: Principal) -> str:
    """How the timeline names who acted (a guest's session id is not shown)."""
    if principal.kind == "guest":
        return "guest"
    return principal.id


_ORDERS = cast(Table, Order.__table__)
_STATE_FOR_UPDATE = Prepared(
    in_store(
        select(*(_ORDERS.c[name] for name in OrderState.__dataclass_fields__))
        .where(_ORDERS.c.id == bindparam("order_id"))
        .with_for_update()
    )
)
CONFIRM_PENDING = Prepared(
    in_store(
        update(_ORDERS)
        .where(_ORDERS.c.id == bindparam("order_id"), _ORDERS.c.status == OrderStatus.PENDING)
        .values(
            status=OrderStatus.CONFIRMED,
            confirmed_at=bindparam("now"),
            # a payment status another path has moved on is kept, as is a review already set
            payment_status=case(
                (
                    _ORDERS.c.payment_status == OrderPaymentStatus.PENDING,
                    bindparam("paid", type_=String),
                ),
                else_=_ORDERS.c.payment_status,
            ),
            review=func.coalesce(bindparam("review", type_=String), _ORDERS.c.review),
            version=_ORDERS.c.version + 1,
            updated_at=bindparam("now"),
        )
        .returning(_ORDERS.c.payment_status, _ORDERS.c.review, _ORDERS.c.version)
    )
)
"""The checkout's order confirmed if it is still pending (`lifecycle.confirm_placed`): the
row's lock, the check and the change in one statement; what it now holds, or no row."""
