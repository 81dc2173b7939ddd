"""The checkout saga's steps, each with its compensation (ADR 10).

    place   validate the cart, reserve every line, hold the cart, screen the payment,
            create the order (pending) and open its payment
            ↺ cancel the order (its stock released), give the cart back
    pay     authorize at the gateway, then record the answer and confirm the order (its
            stock allocated, the cart checked out); a declined or unreachable payment is
            recorded and the step fails, so `place` is undone
            ↺ void the authorization (it may exist even if the step failed or timed out)

Each step is one transaction with the saga's progress: everything in `place` is Mercato's
own database, so one transaction gives all of it or none, and `pay` writes only once the
gateway has answered. The order's date is fixed once, when the checkout starts
(`placed_at`, EC012).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from mercato.agents.cart import service as cart
from mercato.agents.inventory import service as inventory
from mercato.agents.orders import service as orders
from mercato.agents.orders.checkout.problems import PaymentRequired
from mercato.agents.orders.checkout.refusals import failure_problem, require_checkoutable
from mercato.agents.orders.ports import StoreCredit
from mercato.agents.orders.statuses import OrderPaymentStatus
from mercato.agents.payments import service as payments
from mercato.kernel import context
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.saga import PROBLEM, SagaContext

_ORDER_PAYMENT_STATUS = {
    payments.PaymentStatus.AUTHORIZED: OrderPaymentStatus.AUTHORIZED,
    payments.PaymentStatus.CAPTURED: OrderPaymentStatus.PAID,
}


def placed_at(data: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(data["placed_at"])


def _shopper(data: dict[str, Any]) -> Principal:
    """The shopper the checkout acts for (their cart only), without their token."""
    who = data["shopper"]
    tenant = context.current_tenant() or ""
    return Principal(id=who["id"], tenant_id=tenant, kind=who["kind"], session_id=who["session_id"])


def customer_key(data: dict[str, Any]) -> str:
    """Whom velocity limits count: the account, or a guest's email."""
    return data["customer_id"] or f"guest:{data['email'].lower()}"


def _country(address: dict[str, Any] | None) -> str | None:
    return None if address is None else address.get("country")


async def place(ctx: SagaContext) -> None:
    """The order's number is claimed last: its counter is the one row every checkout of
    the store writes, so it is held for as short a time as possible (PostgreSQL)."""
    data, uow = ctx.data, ctx.uow
    when = placed_at(data)
    view = await cart.validate(
        uow, cart_id=data["cart_id"], now=when, principal=_shopper(data), stock_check=False
    )
    require_checkoutable(view)
    await inventory.reserve(
        uow,
        reference=data["order_id"],
        lines=[(line.variant_id, line.quantity) for line in view.items],
        now=uow.clock.now(),
        fresh=True,  # the order id was made for this checkout
        caller_rolls_back=True,  # a refusal fails the step: its transaction rolls back
    )
    await cart.hold(uow, cart_id=view.id, discount_code=view.discount_code, now=when)
    credit_applied = await _spend_credit(uow, data, view.totals.total, view.currency)
    total = view.totals.total - credit_applied
    source = payments.Tokenized(**data["source"]) if data["source"] else None
    if total > 0 and source is None:
        raise PaymentRequired(f"the order's total is {total} {view.currency}")
    reasons = (
        await payments.screen(
            uow,
            customer_key=customer_key(data),
            card_fingerprint=source.fingerprint,
            ip=data["ip"],
            amount=total,
            currency=view.currency,
            billing_country=_country(data["billing_address"]),
            shipping_country=_country(data["shipping_address"]),
            now=when,
        )
        if source is not None and total > 0
        else []
    )
    order = await orders.place(
        uow,
        order_id=data["order_id"],
        checkout_id=ctx.saga_id,
        cart=view,
        customer_id=data["customer_id"],
        session_id=data["session_id"],
        email=data["email"],
        shipping_address=orders.Address.from_data(data["shipping_address"]),
        billing_address=orders.Address.from_data(data["billing_address"]),
        placed_at=when,
        fresh=True,
        channel=data.get("channel", "web"),
        credit_applied=credit_applied,
    )
    data["discount_code"] = view.discount_code
    data["order"] = order.to_data()
    data["payment"] = None
    if total == 0 or source is None:  # a free order (EC010), or credit pays it all
        return
    payment = await payments.open_payment(
        uow,
        payment_id=data["payment_id"],
        order_id=order.id,
        order_total=total,
        amount=total,
        currency=order.currency,
        provider=data["provider"],
        source=source,
        customer_id=data["customer_id"],
        customer_key=customer_key(data),
        email=data["email"],
        ip=data["ip"],
        review_reasons=reasons,
        now=when,
    )
    data["payment"] = payment.to_data()


async def _spend_credit(
    uow: UnitOfWork, data: dict[str, Any], total: Decimal, currency: str
) -> Decimal:
    """The store credit a signed-in shopper asked to spend: as much of the total as the
    balance covers (once per order: a retried step spends nothing more)."""
    customer_id = data["customer_id"]
    if not data.get("use_store_credit") or customer_id is None or total <= 0:
        return Decimal(0)
    port = uow.wired(StoreCredit)
    if port is None:
        return Decimal(0)
    spend = min(await port.balance(uow, customer_id, currency), total)
    if spend > 0:
        await port.redeem(uow, customer_id, spend, currency, data["order_id"])
    return spend


async def unplace(ctx: SagaContext) -> None:
    """Cancel the pending order (its stock released), give the cart back to the shopper
    unchanged and close the payment that never reached the gateway. Each part tolerates
    having nothing to undo."""
    data, uow = ctx.data, ctx.uow
    now = uow.clock.now()
    reason = (data.get(PROBLEM) or {}).get("code", "checkout_failed")
    await orders.abandon(uow, order_id=data["order_id"], reason=reason, now=now)
    port = uow.wired(StoreCredit)
    if port is not None and data["customer_id"] and data.get("use_store_credit"):
        await port.restore(uow, data["customer_id"], data["order_id"])
    await cart.give_back(
        uow, cart_id=data["cart_id"], discount_code=data.get("discount_code"), now=now
    )


async def pay(ctx: SagaContext) -> None:
    """Ask the gateway (before any statement of this step: ADR 4), record its answer, and
    confirm the order in the same transaction. A retry after a crash asks again with the
    same key and gets the same answer. A decline or an unreachable gateway is recorded, then
    the step fails and `place` is undone; a lost answer (EC004) leaves the order pending for
    reconciliation."""
    data, uow = ctx.data, ctx.uow
    if data["payment"] is None:  # a free order
        order = await orders.confirm(
            uow,
            order_id=data["order_id"],
            now=uow.clock.now(),
            payment_status=OrderPaymentStatus.PAID,
        )
    else:
        info = await payments.authorize_at_gateway(
            uow,
            info=payments.PaymentInfo.from_data(data["payment"]),
            idempotency_key=f"{ctx.saga_id}:authorize",
            now=uow.clock.now(),
        )
        data["payment"] = info.to_data()
        if info.status == payments.PaymentStatus.FAILED:
            ctx.fail(failure_problem(info))
            return
        if info.status in payments.HOLDING:
            order = await orders.confirm(
                uow,
                order_id=data["order_id"],
                now=uow.clock.now(),
                payment_status=_ORDER_PAYMENT_STATUS[payments.PaymentStatus(info.status)],
                review=info.review,
                placed=orders.OrderInfo.from_data(data["order"]),
            )
        else:  # EC004: the answer was lost; the order waits, pending, for reconciliation
            order = orders.OrderInfo.from_data(data["order"])
    await cart.convert(uow, cart_id=data["cart_id"], order_id=data["order_id"], now=uow.clock.now())
    data["order"] = order.to_data()


async def void(ctx: SagaContext) -> None:
    """Undo an authorization that may have happened (the step might have timed out after the
    gateway said yes): the payments agent looks it up by its key before voiding."""
    if ctx.data["payment"] is None:
        return
    info = payments.PaymentInfo.from_data(ctx.data["payment"])
    info = await payments.void_at_gateway(
        ctx.uow,
        info=info,
        idempotency_key=f"{ctx.saga_id}:authorize:void",
        now=ctx.uow.clock.now(),
    )
    ctx.data["payment"] = info.to_data()
