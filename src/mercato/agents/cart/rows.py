"""A cart and its lines as rows, read and written with prepared statements (ADR 22): the hot
paths (a cart's view, adding an item, checkout's validation) never load them as entities.

A cart's view reads either (`CartFacts`, `LineFacts`): the rows have the attributes of the
ORM's `Cart` and `CartItem` that it needs, so the commands that still change entities
(addresses, codes, the guest merge) are answered by the same view. A unit of work uses one
or the other for a given cart, never both: a row written here is not refreshed in an entity
the session holds (the prepared statements flush the session's pending changes before they
run, so a row read here always sees what the entities changed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, select, update

from mercato.agents.cart.models import Cart, CartItem
from mercato.agents.cart.statuses import CartStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.prepared import EntityInsert, Prepared
from mercato.kernel.store_sql import in_store, store_criterion


@dataclass(frozen=True, slots=True)
class CartRow:
    id: str
    user_id: str | None
    session_id: str | None
    status: str
    currency: str
    country: str | None
    region: str | None
    discount_code: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    shipping_choice: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class LineRow:
    id: str
    variant_id: str
    product_id: str
    sku: str
    name: str
    quantity: int
    unit_price: Decimal


async def lines(uow: UnitOfWork, cart_id: str) -> list[LineRow]:
    """The cart's lines in the order they were added."""
    return [LineRow(*found) for found in await _LINES.all(uow, cart_id=cart_id)]


async def active(uow: UnitOfWork, *, user_id: str | None, session_id: str | None) -> CartRow | None:
    """The owner's active cart: the user's, or else the guest session's."""
    if user_id is not None:
        found = await _ACTIVE_OF_USER.first(uow, user_id=user_id)
    else:
        found = await _ACTIVE_OF_SESSION.first(uow, session_id=session_id)
    return None if found is None else CartRow(*found)


async def add_unless_active(uow: UnitOfWork, cart: Cart) -> bool:
    """Write the new active `cart` unless its owner has one already (a concurrent request
    made it first: the partial unique indexes take one active cart per owner). True if
    written."""
    return await _NEW_CART.add_unless_taken(uow, cart)


CartFacts = Cart | CartRow
"""A cart as its view and its access checks read it."""
LineFacts = CartItem | LineRow
"""A line as its cart's view reads it."""


async def with_lines(uow: UnitOfWork, cart_id: str) -> tuple[CartRow | None, list[LineRow]]:
    """The cart and its lines in the order they were added, in one statement."""
    found = await _CART_WITH_LINES.all(uow, cart_id=cart_id)
    if not found:
        return None, []
    width = len(_CART_FIELDS)
    cart = CartRow(*found[0][:width])
    return cart, [LineRow(*row[width:]) for row in found if row[width] is not None]


async def claim(uow: UnitOfWork, seen: CartRow, *, now: datetime) -> CartRow | None:
    """`access.claim` for a cart read as a row: the cart at its next version, or None if a
    concurrent writer moved it since `seen` was read."""
    moved = await _CLAIM.run(uow, cart_id=seen.id, seen=seen.version, now=now)
    return replace(seen, version=seen.version + 1, updated_at=now) if moved == 1 else None


async def drop_code(uow: UnitOfWork, cart: CartRow) -> CartRow:
    """Take the cart's discount code off (a claimed cart: its version moved already)."""
    await _DROP_CODE.run(uow, cart_id=cart.id)
    return replace(cart, discount_code=None)


async def set_shipping_choice(
    uow: UnitOfWork, cart: CartRow, choice: dict[str, Any] | None
) -> CartRow:
    """Write the shipping option chosen (None: none; a claimed cart)."""
    await _SET_SHIPPING.run(uow, cart_id=cart.id, choice=choice)
    return replace(cart, shipping_choice=choice)


async def add_line(uow: UnitOfWork, *, cart_id: str, line: LineRow, added_at: datetime) -> None:
    await _NEW_LINE.add(
        uow,
        CartItem(
            id=line.id,
            cart_id=cart_id,
            variant_id=line.variant_id,
            product_id=line.product_id,
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit_price=line.unit_price,
            added_at=added_at,
        ),
    )


async def remove_line(uow: UnitOfWork, line_id: str) -> None:
    await _DROP_LINE.run(uow, line_id=line_id)


async def change_line(uow: UnitOfWork, line: LineRow) -> None:
    """Write a line's quantity and what it shows of its product (never its recorded price)."""
    await _CHANGE_LINE.run(
        uow,
        line_id=line.id,
        new_quantity=line.quantity,
        new_product_id=line.product_id,
        new_sku=line.sku,
        new_name=line.name,
    )


_CARTS = cast(Table, Cart.__table__)
_ITEMS = cast(Table, CartItem.__table__)
_CART_FIELDS = tuple(CartRow.__dataclass_fields__)
_CART_WITH_LINES = Prepared(
    in_store(
        select(
            *(_CARTS.c[name] for name in _CART_FIELDS),
            *(_ITEMS.c[name] for name in LineRow.__dataclass_fields__),
        )
        .select_from(
            _CARTS.outerjoin(_ITEMS, and_(_ITEMS.c.cart_id == _CARTS.c.id, store_criterion(_ITEMS)))
        )
        .where(_CARTS.c.id == bindparam("cart_id"))
        .order_by(_ITEMS.c.added_at, _ITEMS.c.id)
    )
)
_ACTIVE_OF_USER = Prepared(
    in_store(
        select(*(_CARTS.c[name] for name in _CART_FIELDS)).where(
            _CARTS.c.status == CartStatus.ACTIVE, _CARTS.c.user_id == bindparam("user_id")
        )
    )
)
_ACTIVE_OF_SESSION = Prepared(
    in_store(
        select(*(_CARTS.c[name] for name in _CART_FIELDS)).where(
            _CARTS.c.status == CartStatus.ACTIVE,
            _CARTS.c.session_id == bindparam("session_id"),
            _CARTS.c.user_id.is_(None),
        )
    )
)
_NEW_CART = EntityInsert(Cart, unless_taken=True)
_LINES = Prepared(
    in_store(
        select(*(_ITEMS.c[name] for name in LineRow.__dataclass_fields__))
        .where(_ITEMS.c.cart_id == bindparam("cart_id"))
        .order_by(_ITEMS.c.added_at, _ITEMS.c.id)
    )
)
_CLAIM = Prepared(
    in_store(
        update(_CARTS)
        .where(_CARTS.c.id == bindparam("cart_id"), _CARTS.c.version == bindparam("seen"))
        .values(
            version=_CARTS.c.version + 1,
            updated_at=bindparam("now"),
            last_activity_at=bindparam("now"),
            abandoned_at=None,
        )
    )
)
_SET_SHIPPING = Prepared(
    in_store(
        update(_CARTS)
        .where(_CARTS.c.id == bindparam("cart_id"))
        .values(shipping_choice=bindparam("choice", type_=_CARTS.c.shipping_choice.type))
    )
)
_DROP_CODE = Prepared(
    in_store(update(_CARTS).where(_CARTS.c.id == bindparam("cart_id")).values(discount_code=None))
)
_NEW_LINE = EntityInsert(CartItem)
_DROP_LINE = Prepared(in_store(delete(_ITEMS).where(_ITEMS.c.id == bindparam("line_id"))))
_CHANGE_LINE = Prepared(
    in_store(
        update(_ITEMS)
        .where(_ITEMS.c.id == bindparam("line_id"))
        .values(
            quantity=bindparam("new_quantity"),
            product_id=bindparam("new_product_id"),
            sku=bindparam("new_sku"),
            name=bindparam("new_name"),
        )
    )
)
