"""Rate shopping over HTTP: a cart's (its shopper) or an order's (staff) shipping options,
and a cart's choice of one (which then prices its shipping)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from mercato.agents.cart import service as cart
from mercato.agents.orders import service as orders
from mercato.agents.shipping import origins, parcels, rating, subjects
from mercato.agents.shipping.access import READ
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.problems import (
    InvalidShippingRequest,
    NothingToRate,
    QuoteNotFound,
)
from mercato.agents.shipping.providers.base import Address
from mercato.agents.shipping.schemas import ChoiceIn, ChoiceOut, OptionOut, ParcelOut, RatesOut
from mercato.agents.shipping.subjects import find_quote
from mercato.kernel.auth import Principal, require
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(tags=["shipping"])
Shopper = Annotated[Principal, Depends(require("cart:use"))]
CountryQ = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")]


def option_out(option: rating.Option, now: datetime) -> OptionOut:
    return OptionOut(
        id=option.id,
        carrier=option.carrier,
        carrier_name=option.carrier_name,
        service=option.service,
        service_name=option.service_name,
        price=option.amount,
        currency=option.currency,
        days_min=option.days_min,
        days_max=option.days_max,
        estimated_delivery=option.arrives(now),
        source=option.source,
        tags=list(option.tags),
    )


def rates_out(answer: rating.RateAnswer, destination: Address, now: datetime) -> RatesOut:
    parcel = answer.parcel
    return RatesOut(
        options=[option_out(o, now) for o in answer.options],
        warnings=answer.warnings,
        parcel=ParcelOut(
            weight_grams=parcel.weight_grams,
            length_mm=parcel.length_mm,
            width_mm=parcel.width_mm,
            height_mm=parcel.height_mm,
        ),
        zone=answer.zone,
        destination_country=destination.country,
    )


@router.get(
    "/shipping/rates",
    response_model=RatesOut,
    responses=problems(
        InvalidShippingRequest, NothingToRate, cart.CartNotFound, orders.OrderNotFound
    ),
)
async def rates(
    kernel: KernelDep,
    principal: Shopper,
    cart_id: Annotated[str | None, Query(max_length=64)] = None,
    order_id: Annotated[str | None, Query(max_length=64)] = None,
    country: CountryQ = None,
    region: Annotated[str | None, Query(max_length=8)] = None,
    postal_code: Annotated[str | None, Query(max_length=12)] = None,
) -> RatesOut:
    """Every carrier's options for a cart (its shopper; to `country`/`postal_code`, the
    cart's country by default) or an order (staff; to its shipping address), cheapest
    first, tagged cheapest, fastest and best value, each with a delivery estimate. A carrier
    that does not answer in time is replaced by the store's table rates and named in
    `warnings` (EC018). Choose a cart's with PUT /v1/carts/{id}/shipping-option."""
    deps = kernel.deps(ShippingDeps)
    now = kernel.clock.now()
    if (cart_id is None) == (order_id is None):
        raise InvalidShippingRequest("give one of cart_id and order_id")
    async with kernel.uow(writes=False) as uow:
        if cart_id is not None:
            subject = await subjects.of_cart(
                uow,
                cart_id=cart_id,
                principal=principal,
                now=now,
                country=country,
                region=region,
                postal_code=postal_code,
            )
        else:
            if not principal.can(READ):
                raise orders.OrderNotFound(f"no order {order_id!r}")
            subject = await subjects.of_order(uow, order_id=order_id or "")
        parcel = await parcels.parcel_of(
            uow, deps.settings, items=subject.items, value=subject.value, currency=subject.currency
        )
        if parcel is None:
            raise NothingToRate("nothing here ships: no shipping is charged")
        origin = await origins.origin_for(uow, None) or subject.destination
        request, zone = await rating.prepare(
            uow,
            deps,
            origin=origin,
            destination=subject.destination,
            parcel=parcel,
            currency=subject.currency,
        )
    options, warnings = await rating.ask(request, seconds=deps.settings.shipping_carrier_timeout)
    options = subjects.free_over_threshold(options, subject)
    async with kernel.uow() as uow:
        kept = await rating.keep(
            uow,
            options,
            cart_id=cart_id,
            order_id=order_id,
            fingerprint=subject.fingerprint,
            now=now,
        )
        await uow.commit()
    answer = rating.RateAnswer(options=kept, warnings=warnings, parcel=parcel, zone=zone)
    return rates_out(answer, subject.destination, now)


@router.put(
    "/carts/{cart_id}/shipping-option",
    response_model=ChoiceOut,
    responses=problems(
        QuoteNotFound, cart.CartNotFound, cart.CartNotActive, cart.CartVersionConflict
    ),
)
async def choose(cart_id: str, body: ChoiceIn, kernel: KernelDep, principal: Shopper) -> ChoiceOut:
    """The cart's shipping: an option from its rates (it prices the cart's shipping while
    its items stay as they were quoted), or null for the store's standard shipping. 404
    `shipping_rate_not_found` for an option of another cart, or one expired (30 min)."""
    now = kernel.clock.now()
    async with kernel.uow() as uow:
        option = None
        if body.rate_id is not None:
            option = await find_quote(
                uow, rate_id=body.rate_id, cart_id=cart_id, principal=principal, now=now
            )
        view = await cart.choose_shipping(
            uow,
            cart_id=cart_id,
            shopper=cart.Shopper(principal),
            choice=None if option is None else subjects.choice_of(option),
            now=now,
        )
        await uow.commit()
    return ChoiceOut(
        cart_id=view.id,
        shipping_option=None if option is None else option_out(option, now),
        shipping_total=view.totals.shipping_total,
        total=view.totals.total,
    )
