"""What a shopper showed interest in, from the cart's and the orders' events: a product put
in a cart counts `CART_ADD`, a product ordered `PURCHASE`. A guest's interest becomes its
user's when the guest's cart is merged at sign-in. `for-you` recommendations start from it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update

from mercato.agents.catalog import service as catalog
from mercato.agents.search.models import SearchCartOwner, SearchInterest
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork, upsert_insert

CART_ADD, PURCHASE = 1.0, 3.0


def user(user_id: str) -> str:
    return f"user:{user_id}"


def guest(session_id: str) -> str:
    return f"session:{session_id}"


async def own_cart(uow: UnitOfWork, *, cart_id: str, shopper: str) -> None:
    statement = upsert_insert(uow.session)(SearchCartOwner).values(
        tenant_id=context.current_tenant(), cart_id=cart_id, shopper=shopper
    )
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id", "cart_id"], set_={"shopper": shopper}
        )
    )


async def cart_add(uow: UnitOfWork, *, cart_id: str, variant_id: str, at: datetime) -> None:
    owner = await uow.session.scalar(
        select(SearchCartOwner.shopper).where(SearchCartOwner.cart_id == cart_id)
    )
    if owner is not None:
        await add(uow, owner, await _products(uow, [variant_id]), CART_ADD, at)


async def purchase(
    uow: UnitOfWork, *, customer_id: str, variant_ids: list[str], at: datetime
) -> None:
    await add(uow, user(customer_id), await _products(uow, variant_ids), PURCHASE, at)


async def merge(uow: UnitOfWork, *, guest_cart_id: str, user_id: str, at: datetime) -> None:
    """The guest's interest (by its cart's owner) becomes the user's."""
    guest = await uow.session.scalar(
        select(SearchCartOwner.shopper).where(SearchCartOwner.cart_id == guest_cart_id)
    )
    if guest is None or guest == user(user_id):
        return
    rows = (
        await uow.session.execute(
            select(SearchInterest.product_id, SearchInterest.weight).where(
                SearchInterest.shopper == guest
            )
        )
    ).all()
    for product_id, weight in rows:
        await add(uow, user(user_id), [product_id], weight, at)
    await uow.session.execute(
        update(SearchCartOwner)
        .where(SearchCartOwner.shopper == guest)
        .values(shopper=user(user_id))
        .execution_options(synchronize_session=False)
    )


async def top(uow: UnitOfWork, shopper: str, limit: int) -> list[tuple[str, float]]:
    rows = await uow.session.execute(
        select(SearchInterest.product_id, SearchInterest.weight)
        .where(SearchInterest.shopper == shopper)
        .order_by(SearchInterest.weight.desc(), SearchInterest.updated_at.desc())
        .limit(limit)
    )
    return [(p, float(w)) for p, w in rows]


async def _products(uow: UnitOfWork, variant_ids: Iterable[str]) -> list[str]:
    variants = await catalog.sellable_variants(uow, variant_ids)
    return sorted({v.product_id for v in variants.values()})


async def add(
    uow: UnitOfWork, shopper: str, product_ids: list[str], weight: float, at: datetime
) -> None:
    if not product_ids:
        return
    store = context.current_tenant()
    insert = upsert_insert(uow.session)(SearchInterest)
    await uow.session.execute(
        insert.values(
            [
                {"tenant_id": store, "shopper": shopper, "product_id": p, "weight": weight,
                 "updated_at": at}
                for p in product_ids
            ]
        ).on_conflict_do_update(
            index_elements=["tenant_id", "shopper", "product_id"],
            set_={"weight": SearchInterest.weight + weight, "updated_at": at},
        )
    )  # fmt: skip
