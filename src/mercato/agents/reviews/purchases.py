"""The verified-purchase read model (BR025): which order lines each customer placed
(`order.placed`) and which reached them (`shipment.delivered`, `order.delivered`). A review
is verified when a delivered order of its author holds the product; a delivery after the
review upgrades it (announced again when it is shown)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from mercato.agents.reviews.announcing import published
from mercato.agents.reviews.models import Review, ReviewPurchase
from mercato.agents.reviews.statuses import ReviewStatus
from mercato.kernel import rules
from mercato.kernel.db import UnitOfWork


async def delivered_orders(uow: UnitOfWork, *, customer_id: str, product_id: str) -> int:
    """How many of the customer's orders holding the product reached them."""
    found = await uow.session.scalar(
        select(func.count(ReviewPurchase.order_id.distinct())).where(
            ReviewPurchase.customer_id == customer_id,
            ReviewPurchase.product_id == product_id,
            ReviewPurchase.delivered_at.is_not(None),
        )
    )
    return int(found or 0)


async def record_purchase(
    uow: UnitOfWork,
    *,
    order_id: str,
    customer_id: str,
    lines: dict[str, str],
) -> None:
    """Note an order's lines (line id → product id) as placed by the customer (idempotent)."""
    known = set(
        await uow.session.scalars(
            select(ReviewPurchase.line_id).where(ReviewPurchase.order_id == order_id)
        )
    )
    for line_id, product_id in lines.items():
        if line_id not in known and product_id:
            uow.session.add(
                ReviewPurchase(
                    order_id=order_id,
                    line_id=line_id,
                    customer_id=customer_id,
                    product_id=product_id,
                    delivered_at=None,
                )
            )
    await uow.session.flush()


async def record_delivered(
    uow: UnitOfWork, *, purchases: list[tuple[str, str, str, str]], at: datetime
) -> None:
    """Note order lines (order id, line id, customer id, product id) delivered at `at`, in
    one write, before any review of them exists (a bulk loader's: the demo's)."""
    uow.session.add_all(
        ReviewPurchase(order_id=o, line_id=line, customer_id=c, product_id=p, delivered_at=at)
        for o, line, c, p in purchases
    )
    await uow.session.flush()


async def record_delivery(
    uow: UnitOfWork, *, order_id: str, line_ids: list[str] | None, now: datetime
) -> None:
    """Lines of an order (all of them when None) reached the customer: their reviews of
    those products become verified purchases (idempotent)."""
    query = select(ReviewPurchase).where(ReviewPurchase.order_id == order_id)
    if line_ids is not None:
        query = query.where(ReviewPurchase.line_id.in_(line_ids))
    arrived = list(await uow.session.scalars(query))
    for purchase in arrived:
        if purchase.delivered_at is None:
            purchase.delivered_at = now
    await uow.session.flush()
    for purchase in arrived:
        await verify(uow, customer_id=purchase.customer_id, product_id=purchase.product_id)


async def verify(uow: UnitOfWork, *, customer_id: str, product_id: str) -> None:
    row = await uow.session.scalar(
        select(Review).where(Review.customer_id == customer_id, Review.product_id == product_id)
    )
    if row is None or row.verified:
        return
    delivered = await delivered_orders(uow, customer_id=customer_id, product_id=product_id)
    if delivered == 0:
        return
    await rules.enforce("BR025", verified=True, delivered_orders=delivered)
    row.verified = True
    if row.status == ReviewStatus.PUBLISHED:
        published(uow, row)
