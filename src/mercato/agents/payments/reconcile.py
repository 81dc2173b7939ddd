"""Reconciliation (EC004): payments whose outcome stayed `unknown` longer than
`payment_reconcile_after` are looked up at the gateway by their authorization's key:
authorized (or captured) → recorded, `payment.authorized` (orders confirms the pending
order); not there → failed `not_authorized`, `payment.failed` (orders cancels it); gateway
still down → left for the next run. Payments `void_pending` get their void retried.

The periodic job `payments.reconcile` runs it in every process; the conditional updates make
concurrent runs harmless. Each payment: the gateway first, then a short unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import structlog
from sqlalchemy import select

from mercato.agents.payments import gateway_calls
from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.models import Payment
from mercato.agents.payments.providers.base import GatewayUnavailable, OutcomeUnknown
from mercato.agents.payments.statuses import PaymentStatus
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.payments")
BATCH = 100
Units = Callable[..., UnitOfWork]


async def due(
    uow: UnitOfWork, *, cutoff: datetime, limit: int = BATCH
) -> list[tuple[str, Payment]]:
    """(tenant, payment) of every store's payments to reconcile, oldest first."""
    found = await uow.session.scalars(
        select(Payment)
        .where(
            Payment.status.in_((PaymentStatus.UNKNOWN, PaymentStatus.VOID_PENDING)),
            Payment.updated_at <= cutoff,
        )
        .order_by(Payment.updated_at, Payment.id)
        .limit(limit)
        .execution_options(all_tenants=True)
    )
    return [(p.tenant_id, p) for p in found]


async def reconcile_unknown(units: Units, *, now: datetime) -> int:
    """Settle what can be settled; the number of payments whose status changed."""
    probe = units(writes=False)
    cutoff = now - timedelta(seconds=probe.settings.payment_reconcile_after)
    async with probe as uow:
        found = [(tenant, PaymentInfo.of(p)) for tenant, p in await due(uow, cutoff=cutoff)]
    settled = 0
    for tenant, info in found:
        with bind(tenant_id=tenant):
            try:
                after = await _settle(units, info, now)
            except Exception as exc:  # one payment's trouble must not stop the others
                log.error("payment_reconcile_failed", payment_id=info.id, error=repr(exc))
                continue
        settled += after.status != info.status
    return settled


async def _settle(units: Units, info: PaymentInfo, now: datetime) -> PaymentInfo:
    if info.status == PaymentStatus.VOID_PENDING:
        async with units() as uow:
            after = await gateway_calls.void_at_gateway(
                uow, info=info, idempotency_key=f"{info.id}:void", now=now
            )
            await uow.commit()
        return after
    key = info.idempotency_key or ""
    async with units() as uow:  # the gateway first, then the statements
        provider = gateway_calls.gateways(uow).get(info.provider)
        request = gateway_calls.authorization_request(uow, info, key, now=now)
        try:
            found = await gateway_calls.ask(uow, provider.lookup(request))
        except (GatewayUnavailable, OutcomeUnknown) as exc:
            log.info("payment_reconcile_later", payment_id=info.id, error=str(exc))
            return info
        after = await gateway_calls.record_outcome(
            uow, info, found, key, now, missing=found is None, reconciled=True
        )
        await uow.commit()
    return after


async def reconcile_job(kernel: Kernel) -> int:
    """The periodic job `payments.reconcile`."""
    return await reconcile_unknown(kernel.uow, now=kernel.clock.now())
