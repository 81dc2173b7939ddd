"""Who may see and do what with an order.

- Staff (`orders:read_any`: support, integrations' system keys, admins) see every order,
  its internal notes and tags, and tag it.
- Customers see their own orders (by account), guests the orders their session placed (by
  `X-Session-Token`); both may cancel or modify them before they ship and add notes.
- Merchants see the orders that have their lines, and only those lines.
- `orders:manage` (system keys, admins) cancels or modifies any order, ships and delivers.

Another shopper's order is a 404, exactly like a missing one.
"""

from __future__ import annotations

from enum import Enum

from mercato.agents.orders.models import Order, OrderLine
from mercato.agents.orders.problems import NotYourOrder, OrderNotFound
from mercato.kernel.auth import Principal

READ = "orders:read"
WRITE = "orders:write"
MANAGE = "orders:manage"
READ_ANY = "orders:read_any"
"""Staff: every order, internal notes, tags (not a route's permission: a scope)."""


class Sight(Enum):
    """How much of an order a principal sees."""

    ALL = "all"  # staff
    OWNER = "owner"  # the customer or guest who placed it
    MERCHANT = "merchant"  # its own lines only


def is_staff(principal: Principal) -> bool:
    return principal.can(READ_ANY)


def owns(principal: Principal, order: Order) -> bool:
    if principal.kind == "user":
        return order.customer_id is not None and order.customer_id == principal.id
    if principal.kind == "guest":
        return (
            order.customer_id is None
            and principal.session_id is not None
            and order.session_id == principal.session_id
        )
    return False


def merchant_of(principal: Principal) -> str | None:
    """The merchant whose lines the principal sees (None for everyone else)."""
    if principal.kind == "user" and "merchant" in principal.roles:
        return principal.merchant_id
    return None


def sight(principal: Principal, order: Order, lines: list[OrderLine]) -> Sight:
    """What the principal sees of the order; 404 `order_not_found` when nothing."""
    if is_staff(principal):
        return Sight.ALL
    if owns(principal, order):
        return Sight.OWNER
    merchant = merchant_of(principal)
    if merchant is not None and any(line.merchant_id == merchant for line in lines):
        return Sight.MERCHANT
    raise OrderNotFound(f"no order {order.id!r}")


def visible_lines(principal: Principal, seen: Sight, lines: list[OrderLine]) -> list[OrderLine]:
    if seen is Sight.MERCHANT:
        merchant = merchant_of(principal)
        return [line for line in lines if line.merchant_id == merchant]
    return lines


def require_changer(principal: Principal, seen: Sight, action: str) -> None:
    """Cancel or modify: the order's owner, or `orders:manage`."""
    if seen is Sight.OWNER or principal.can(MANAGE):
        return
    raise NotYourOrder(f"only the customer who placed the order or a manager can {action} it")


def require_manager(principal: Principal, action: str) -> None:
    if not principal.can(MANAGE):
        raise NotYourOrder(f"{action} needs the {MANAGE!r} permission")


def require_staff(principal: Principal, action: str) -> None:
    if not is_staff(principal):
        raise NotYourOrder(f"{action} is for the store's staff")
