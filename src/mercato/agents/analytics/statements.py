"""The statements the handlers run for every checkout (a session, a cart, an order and its
lines, its confirmation), prepared (ADR 22: hot paths skip the ORM). Every checkout's events
pass through them, in the store's one writer on SQLite: built through the ORM they cost the
embedded store a fifth of its checkouts a second (bench/analytics_reports.py).

Each is built by `in_store` (ADR 20), once per dialect where the two spell an upsert apart."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from mercato.agents.analytics.models import CartFact, LineFact, OrderFact, SessionFact, StockMove
from mercato.agents.analytics.statuses import SALES
from mercato.kernel.db import UnitOfWork
from mercato.kernel.prepared import Prepared
from mercato.kernel.store_sql import in_store

ORDERS = cast(Table, OrderFact.__table__)
LINES = cast(Table, LineFact.__table__)
CARTS = cast(Table, CartFact.__table__)
SESSIONS = cast(Table, SessionFact.__table__)
MOVES = cast(Table, StockMove.__table__)
DATES = ["day", "week", "month"]

Dialects = dict[str, Prepared]


def for_dialect(statements: Dialects, uow: UnitOfWork) -> Prepared:
    return statements[uow.session.get_bind().dialect.name]


def _upsert(
    table: Table, keys: Sequence[str], columns: Sequence[str], changed: Sequence[str] = ()
) -> Dialects:
    """INSERT every column of `columns`; on the row's key, change `changed` (nothing if
    none)."""

    def build(insert: Callable[[Table], Any]) -> Prepared:
        statement = insert(table)
        index = ["tenant_id", *keys]
        if changed:
            statement = statement.on_conflict_do_update(
                index_elements=index, set_={c: statement.excluded[c] for c in changed}
            )
        else:
            statement = statement.on_conflict_do_nothing(index_elements=index)
        return Prepared(in_store(cast(Insert, statement)), columns=["tenant_id", *keys, *columns])

    return {"sqlite": build(sqlite.insert), "postgresql": build(postgresql.insert)}


# -- orders ---------------------------------------------------------------------------------

ORDER_AMOUNTS = [
    "number", "placed_at", *DATES, "currency", "subtotal", "discount", "tax", "shipping",
    "total", "units", "channel", "customer_key",
]  # fmt: skip
"""What `order.placed` says of an order (a replay writes them again; never its status)."""
UPSERT_ORDER = _upsert(
    ORDERS, ["order_id"], [*ORDER_AMOUNTS, "status", "refunded", "first_order"], ORDER_AMOUNTS
)
UPSERT_LINES = _upsert(
    LINES,
    ["line_id"],
    [
        "order_id", "variant_id", "product_id", "sku", "name", "merchant_id", "category_id",
        "category_name", "quantity", "unit_price", "line_total",
    ],
    ["quantity", "line_total"],
)  # fmt: skip
ORDER_STATE = Prepared(
    in_store(
        select(ORDERS.c.status, ORDERS.c.customer_key).where(
            ORDERS.c.order_id == bindparam("order_id")
        )
    )
)
MOVE_ORDER = Prepared(
    in_store(
        update(ORDERS)
        .where(ORDERS.c.order_id == bindparam("order_id"))
        .values(
            status=bindparam("new_status"),
            confirmed_at=func.coalesce(bindparam("confirmed", type_=ORDERS.c.confirmed_at.type),
                                       ORDERS.c.confirmed_at),
            cancelled_at=func.coalesce(bindparam("cancelled", type_=ORDERS.c.cancelled_at.type),
                                       ORDERS.c.cancelled_at),
        )
    )
)  # fmt: skip
"""The order's status, and the moment it was confirmed or cancelled when it was (None
keeps the one it has)."""
FIRST_SALE = Prepared(
    in_store(
        select(ORDERS.c.order_id)
        .where(
            ORDERS.c.customer_key == bindparam("key"),
            or_(*(ORDERS.c.status == status.value for status in SALES)),
        )
        .order_by(ORDERS.c.placed_at, ORDERS.c.order_id)
        .limit(1)
    )
)
MARK_FIRST = Prepared(
    in_store(
        update(ORDERS)
        .where(
            ORDERS.c.customer_key == bindparam("key"),
            or_(ORDERS.c.first_order.is_(True), ORDERS.c.order_id == bindparam("first")),
        )
        .values(first_order=ORDERS.c.order_id == bindparam("first"))
    )
)
"""The customer's first sale marked, and only it (the rows whose mark changes)."""

# -- visits, carts and stock ----------------------------------------------------------------

INSERT_SESSION = _upsert(SESSIONS, ["session_id"], ["started_at", *DATES])
OPEN_CART = _upsert(
    CARTS,
    ["cart_id"],
    ["created_at", "session_id", "user_id", *DATES],
    ["created_at", "session_id", "user_id", *DATES],
)
ENSURE_CART = _upsert(CARTS, ["cart_id"], ["created_at", *DATES])
INSERT_MOVES = _upsert(MOVES, ["event_id", "variant_id"], ["sku", "delta", "moved_at", "day"])


def _earliest(column: str, *more: str) -> Prepared:
    """Set `column` (and `more`, from `new_<name>`) unless it holds an earlier moment."""
    target = CARTS.c[column]
    return Prepared(
        in_store(
            update(CARTS)
            .where(
                CARTS.c.cart_id == bindparam("cart_id"),
                or_(target.is_(None), target > bindparam("at", type_=target.type)),
            )
            .values(
                {column: bindparam("at", type_=target.type)}
                | {m: bindparam(f"new_{m}", type_=CARTS.c[m].type) for m in more}
            )
        )
    )


CART_FILLED = _earliest("first_item_at")
CART_ABANDONED = _earliest("abandoned_at")
CART_CHECKED_OUT = _earliest("checked_out_at", "order_id")
