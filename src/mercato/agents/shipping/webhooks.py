"""Carriers' webhooks: the delivery is verified by the carrier's own signature scheme, then
each tracking event in it is applied to the shipment with its tracking number (once: a
redelivery records nothing new)."""

from __future__ import annotations

from collections.abc import Mapping

from mercato.agents.shipping import tracking
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.problems import InvalidCarrierWebhook, UnknownCarrier
from mercato.agents.shipping.providers.base import InvalidWebhook
from mercato.kernel.bootstrap import Kernel


async def receive(
    kernel: Kernel, *, carrier: str, headers: Mapping[str, str], body: bytes
) -> list[str]:
    """Each event's outcome (moved, recorded, refused, duplicate, unknown_shipment)."""
    deps = kernel.deps(ShippingDeps)
    provider = deps.carriers.get(carrier)
    if provider is None:
        raise UnknownCarrier(f"no carrier {carrier!r} takes webhooks here")
    try:
        updates = provider.parse_webhook(headers, body)
    except InvalidWebhook as exc:
        raise InvalidCarrierWebhook(str(exc) or "the webhook does not verify") from None
    outcomes = []
    async with kernel.uow() as uow:
        for update in updates:
            shipment = await tracking.find(uow, carrier, update.tracking_number)
            if shipment is None:
                outcomes.append("unknown_shipment")
                continue
            applied = await tracking.apply(
                uow, shipment, update, source="webhook", now=kernel.clock.now()
            )
            outcomes.append(applied.outcome)
        await uow.commit()
    return outcomes
