"""How a cart command reaches its cart: whose carts a principal owns, the ownership check
(another shopper's cart is 404, like a missing one), the version check of `If-Match`, and
the claim every write makes before it writes anything (EC001).

The claim is ONE conditional UPDATE, `version = version + 1 WHERE id = :id AND version =
:seen`, where :seen is the version the command read first. If a concurrent writer committed
in between, it matches nothing and `CartVersionMoved` is raised: the edge (`edge.run`)
retries the whole command on a fresh unit of work, where a client's stale `If-Match`
becomes `cart_version_conflict`. On PostgreSQL the claim also locks the cart's row until
commit, so the lines of one cart are only ever written by one transaction at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from mercato.agents.cart import codes, rows, view
from mercato.agents.cart.models import Cart, CartItem
from mercato.agents.cart.problems import (
    CartNotActive,
    CartNotFound,
    CartVersionConflict,
    CartVersionMoved,
    NotAShopper,
    SessionRequired,
)
from mercato.agents.cart.rows import CartFacts, CartRow, LineRow
from mercato.agents.cart.statuses import CartStatus
from mercato.agents.cart.view import CartView
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork

C = TypeVar("C", bound=CartFacts)


@dataclass(frozen=True)
class Shopper:
    """Who a cart command acts for, and the version of the cart they saw (`If-Match`)."""

    principal: Principal
    if_match: int | None = None


def owner_of(principal: Principal) -> tuple[str | None, str | None]:
    """(user_id, session_id) of the carts this principal owns."""
    if principal.kind == "user":
        return principal.id, None
    if principal.kind == "guest" and principal.session_id:
        return None, principal.session_id
    if principal.kind == "anonymous":
        raise SessionRequired()
    raise NotAShopper("carts belong to guests and signed-in shoppers, not to API keys")


def _owns(principal: Principal, cart: CartFacts) -> bool:
    user_id, session_id = owner_of(principal)
    if user_id is not None:
        return cart.user_id == user_id
    return session_id is not None and cart.session_id == session_id


def _visible(cart: C | None, cart_id: str, principal: Principal | None, *, read: bool) -> C:
    """The cart if the principal may see it (staff with `carts:read_any` may read any);
    another shopper's cart is 404, exactly like a missing one."""
    if cart is None:
        raise CartNotFound(f"no cart {cart_id!r}")
    if principal is None or (read and principal.can("carts:read_any")):
        return cart
    if principal.kind not in {"user", "guest"}:
        owner_of(principal)  # anonymous: session_required; API keys: not_a_shopper
    if not _owns(principal, cart):
        raise CartNotFound(f"no cart {cart_id!r}")
    return cart


def _writable(cart: C, shopper: Shopper | None) -> C:
    if shopper is not None and shopper.if_match is not None and shopper.if_match != cart.version:
        raise CartVersionConflict(cart.version)
    if cart.status != CartStatus.ACTIVE:
        raise CartNotActive(f"the cart is {cart.status}")
    return cart


async def for_write(uow: UnitOfWork, cart_id: str, shopper: Shopper | None) -> Cart:
    """The cart entity a command changes, if the shopper may (`_visible`, `_writable`)."""
    found = await uow.session.get(Cart, cart_id)
    cart = _visible(found, cart_id, shopper.principal if shopper else None, read=False)
    return _writable(cart, shopper)


async def read_cart(
    uow: UnitOfWork, cart_id: str, principal: Principal | None
) -> tuple[CartRow, list[LineRow]]:
    """The cart and its lines as rows, if the principal may see it (`_visible`)."""
    found, lines = await rows.with_lines(uow, cart_id)
    return _visible(found, cart_id, principal, read=True), lines


async def row_for_write(
    uow: UnitOfWork, cart_id: str, shopper: Shopper | None
) -> tuple[CartRow, list[LineRow]]:
    """`for_write` for a command that changes the cart through rows (its lines with it)."""
    found, lines = await rows.with_lines(uow, cart_id)
    cart = _visible(found, cart_id, shopper.principal if shopper else None, read=False)
    return _writable(cart, shopper), lines


async def claim_row(uow: UnitOfWork, cart: CartRow, *, now: datetime) -> CartRow:
    """`claim` for a cart read as a row: the cart at its new version."""
    claimed = await rows.claim(uow, cart, now=now)
    if claimed is None:
        raise CartVersionMoved(cart.id)
    return claimed


async def claim(uow: UnitOfWork, cart: Cart, *, now: datetime) -> None:
    """Bump the version the command read, or raise `CartVersionMoved`. Shopper activity
    also restarts the cart's idle clock (a later idle hour is announced again, BR020)."""
    seen = cart.version
    result = await uow.session.execute(
        update(Cart)
        .where(Cart.id == cart.id, Cart.version == seen)
        .values(version=Cart.version + 1, updated_at=now, last_activity_at=now, abandoned_at=None)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise CartVersionMoved(cart.id)
    for name, value in (
        ("version", seen + 1),
        ("updated_at", now),
        ("last_activity_at", now),
        ("abandoned_at", None),
    ):
        set_committed_value(cart, name, value)


async def _dead_code(uow: UnitOfWork, cart: CartFacts, *, now: datetime) -> str | None:
    """Why the cart's code must come off it (EC014), or None."""
    if not cart.discount_code:
        return None
    row = await codes.find(uow, cart.discount_code)
    reason = codes.dead_reason(row, now=now, currency=cart.currency)
    return reason if reason in codes.REMOVED_WHEN_DEAD else None


async def prune_code(uow: UnitOfWork, cart: Cart, *, now: datetime) -> list[view.CartProblem]:
    """Take a code that can no longer apply off the cart (EC014); tell the shopper."""
    reason = await _dead_code(uow, cart, now=now)
    if reason is None or not cart.discount_code:
        return []
    notice = view.removed_code_notice(reason, cart.discount_code)
    cart.discount_code = None
    return [notice]


async def answer(
    uow: UnitOfWork,
    cart: Cart,
    *,
    now: datetime,
    lines: list[CartItem] | None = None,
) -> CartView:
    """After a command's changes: prune a dead code, then the cart as it is now (`lines`:
    its lines, if the command holds them all already)."""
    notices = await prune_code(uow, cart, now=now)
    await uow.session.flush()
    return await view.build(uow, cart, now=now, notices=notices, lines=lines)


async def answer_rows(
    uow: UnitOfWork,
    cart: CartRow,
    *,
    now: datetime,
    lines: list[LineRow],
    known: view.Known | None = None,
) -> CartView:
    """`answer` for a command that changed a claimed cart through rows (`known`: its lines'
    variants and stock, if it read them)."""
    reason = await _dead_code(uow, cart, now=now)
    notices: list[view.CartProblem] = []
    if reason is not None and cart.discount_code:
        notices = [view.removed_code_notice(reason, cart.discount_code)]
        cart = await rows.drop_code(uow, cart)
    return await view.build(uow, cart, now=now, notices=notices, lines=lines, known=known)
