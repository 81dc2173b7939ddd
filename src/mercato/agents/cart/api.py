"""The cart's HTTP routes: parse → service → schema. Every cart answer carries
`ETag: "<version>"`; writes honour `If-Match` (EC001) and run through `edge.run`. The
store's discount codes, tax rates and cart settings are in `admin_api`."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response

from mercato.agents.cart import service
from mercato.agents.cart.admin_api import admin_router
from mercato.agents.cart.edge import run
from mercato.agents.cart.problems import (
    CartNotActive,
    CartNotFound,
    CartVersionConflict,
    CurrencyMismatch,
    DiscountCodeExhausted,
    DiscountCodeExpired,
    DiscountCodeNotApplied,
    DiscountCodeNotFound,
    DiscountCodeNotStarted,
    DiscountCurrencyMismatch,
    DiscountMinimumNotMet,
    InvalidDiscountCode,
    ItemNotFound,
    NotAShopper,
    RegionNeedsCountry,
    SessionRequired,
    VariantNotFound,
    VariantUnavailable,
)
from mercato.agents.cart.schemas import (
    AddressIn,
    CartOut,
    CodeIn,
    ItemIn,
    QuantityIn,
    ValidationOut,
    cart_out,
    problem_out,
)
from mercato.agents.cart.service import CartView, Shopper
from mercato.kernel.auth import CurrentPrincipal, PermissionCheck, Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Unauthorized
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(tags=["cart"])


class ShopperCheck(PermissionCheck):
    """`require("cart:use")`, telling an anonymous caller how to get a cart (401
    `session_required`) rather than only that credentials are missing."""

    async def __call__(self, request: Request, principal: CurrentPrincipal) -> Principal:
        try:
            return await super().__call__(request, principal)
        except Unauthorized:
            if principal.kind == "anonymous":
                raise SessionRequired() from None
            raise


CartUser = Annotated[Principal, Depends(ShopperCheck("cart:use"))]
IfMatch = Annotated[str | None, Header(alias="If-Match")]


_VERSION_TAG = re.compile(r"[0-9]{1,18}")
"""A version this API issues: ASCII digits only (`str.isdigit` also accepts `²`, which
`int` refuses), and short enough for `int` (which refuses over 4300 digits)."""


def if_match_version(value: str | None) -> int | None:
    """The version an `If-Match` names (`"3"`, `W/"3"`); None when absent or `*`; -1 (never
    current) when it names no version this API issued."""
    if value is None or value.strip() == "*":
        return None
    tag = value.split(",")[0].strip().removeprefix("W/").strip('"')
    return int(tag) if _VERSION_TAG.fullmatch(tag) else -1


def _answer(response: Response, cart: CartView) -> CartOut:
    response.headers["ETag"] = f'"{cart.version}"'
    return cart_out(cart)


Command = Callable[[UnitOfWork], Awaitable[CartView]]


async def _write(kernel: KernelDep, response: Response, command: Command) -> CartOut:
    return _answer(response, await run(kernel, command))


# -- carts ------------------------------------------------------------------------------------


CHANGING_A_CART = (SessionRequired, NotAShopper, CartNotFound, CartNotActive, CartVersionConflict)
"""What any change to a cart can meet: no shopper, not its owner, no such cart, a cart
already checked out, a stale `If-Match`."""


@router.post(
    "/carts",
    response_model=CartOut,
    status_code=201,
    responses={
        200: {"model": CartOut, "description": "The caller's active cart"},
        **problems(SessionRequired, NotAShopper),
    },
)
async def open_cart(kernel: KernelDep, response: Response, principal: CartUser) -> CartOut:
    """The caller's active cart (200), or a new one (201). Guests need a session
    (`POST /v1/sessions`, then `X-Session-Token`)."""
    async with kernel.uow() as uow:
        cart, created = await service.open_cart(uow, principal=principal, now=kernel.clock.now())
        await uow.commit()
    response.status_code = 201 if created else 200
    return _answer(response, cart)


@router.get(
    "/carts/{cart_id}",
    response_model=CartOut,
    responses=problems(SessionRequired, NotAShopper, CartNotFound),
)
async def get_cart(
    cart_id: str, kernel: KernelDep, response: Response, principal: CartUser
) -> CartOut:
    """The cart with its current prices, stock and problems (nothing is written)."""
    async with kernel.uow(writes=False) as uow:
        cart = await service.get_cart(
            uow,
            cart_id=cart_id,
            principal=principal,
            now=kernel.clock.now(),
        )
    return _answer(response, cart)


@router.patch(
    "/carts/{cart_id}",
    response_model=CartOut,
    responses=problems(
        *CHANGING_A_CART,
        RegionNeedsCountry,
    ),
)
async def set_address(
    cart_id: str,
    body: AddressIn,
    kernel: KernelDep,
    response: Response,
    principal: CartUser,
    if_match: IfMatch = None,
) -> CartOut:
    """Where the cart is taxed (country, region)."""
    shopper = Shopper(principal, if_match_version(if_match))
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    return await _write(
        kernel,
        response,
        lambda uow: service.set_address(
            uow,
            cart_id=cart_id,
            shopper=shopper,
            changes=changes,
            now=kernel.clock.now(),
        ),
    )


@router.post(
    "/carts/{cart_id}/items",
    response_model=CartOut,
    responses=problems(
        *CHANGING_A_CART,
        VariantNotFound,
        VariantUnavailable,
        CurrencyMismatch,
        "BR001",
        "BR003",
        "BR014",
    ),
)
async def add_item(
    cart_id: str,
    body: ItemIn,
    kernel: KernelDep,
    response: Response,
    principal: CartUser,
    if_match: IfMatch = None,
) -> CartOut:
    """Add a variant (a variant already in the cart adds to its line)."""
    shopper = Shopper(principal, if_match_version(if_match))
    return await _write(
        kernel,
        response,
        lambda uow: service.add_item(
            uow,
            cart_id=cart_id,
            shopper=shopper,
            variant_id=body.variant_id,
            quantity=body.quantity,
            now=kernel.clock.now(),
        ),
    )


@router.patch(
    "/carts/{cart_id}/items/{item_id}",
    response_model=CartOut,
    responses=problems(
        *CHANGING_A_CART,
        ItemNotFound,
        VariantUnavailable,
        "BR001",
        "BR014",
    ),
)
async def set_quantity(
    cart_id: str,
    item_id: str,
    body: QuantityIn,
    kernel: KernelDep,
    response: Response,
    principal: CartUser,
    if_match: IfMatch = None,
) -> CartOut:
    """Change a line's quantity: 0 removes it, 1-99 is kept, 100 or more is refused."""
    shopper = Shopper(principal, if_match_version(if_match))
    return await _write(
        kernel,
        response,
        lambda uow: service.set_quantity(
            uow,
            cart_id=cart_id,
            item_id=item_id,
            shopper=shopper,
            quantity=body.quantity,
            now=kernel.clock.now(),
        ),
    )


@router.delete(
    "/carts/{cart_id}/items/{item_id}",
    response_model=CartOut,
    responses=problems(
        SessionRequired, NotAShopper, CartNotFound, CartNotActive, CartVersionConflict, ItemNotFound
    ),
)
async def remove_item(
    cart_id: str,
    item_id: str,
    kernel: KernelDep,
    response: Response,
    principal: CartUser,
    if_match: IfMatch = None,
) -> CartOut:
    shopper = Shopper(principal, if_match_version(if_match))
    return await _write(
        kernel,
        response,
        lambda uow: service.remove_item(
            uow,
            cart_id=cart_id,
            item_id=item_id,
            shopper=shopper,
            now=kernel.clock.now(),
        ),
    )


@router.post(
    "/carts/{cart_id}/codes",
    response_model=CartOut,
    responses=problems(
        *CHANGING_A_CART,
        InvalidDiscountCode,
        DiscountCodeNotFound,
        DiscountCodeNotStarted,
        DiscountCodeExpired,
        DiscountCodeExhausted,
        DiscountCurrencyMismatch,
        DiscountMinimumNotMet,
    ),
)
async def apply_code(
    cart_id: str,
    body: CodeIn,
    kernel: KernelDep,
    response: Response,
    principal: CartUser,
    if_match: IfMatch = None,
) -> CartOut:
    """Apply a discount code (it replaces the cart's code, if any)."""
    shopper = Shopper(principal, if_match_version(if_match))
    return await _write(
        kernel,
        response,
        lambda uow: service.apply_code(
            uow,
            cart_id=cart_id,
            shopper=shopper,
            code=body.code,
            now=kernel.clock.now(),
        ),
    )


@router.delete(
    "/carts/{cart_id}/codes/{code}",
    response_model=CartOut,
    responses=problems(
        *CHANGING_A_CART,
        DiscountCodeNotApplied,
    ),
)
async def remove_code(
    cart_id: str,
    code: str,
    kernel: KernelDep,
    response: Response,
    principal: CartUser,
    if_match: IfMatch = None,
) -> CartOut:
    shopper = Shopper(principal, if_match_version(if_match))
    return await _write(
        kernel,
        response,
        lambda uow: service.remove_code(
            uow,
            cart_id=cart_id,
            shopper=shopper,
            code=code,
            now=kernel.clock.now(),
        ),
    )


@router.post(
    "/carts/{cart_id}/accept-prices",
    response_model=CartOut,
    responses=problems(
        SessionRequired, NotAShopper, CartNotFound, CartNotActive, CartVersionConflict
    ),
)
async def accept_prices(
    cart_id: str,
    kernel: KernelDep,
    response: Response,
    principal: CartUser,
    if_match: IfMatch = None,
) -> CartOut:
    """Accept today's prices: every line records its current price (EC013)."""
    shopper = Shopper(principal, if_match_version(if_match))
    return await _write(
        kernel,
        response,
        lambda uow: service.accept_prices(
            uow,
            cart_id=cart_id,
            shopper=shopper,
            now=kernel.clock.now(),
        ),
    )


@router.post(
    "/carts/{cart_id}/validate",
    response_model=ValidationOut,
    responses=problems(SessionRequired, NotAShopper, CartNotFound, CartVersionConflict),
)
async def validate(
    cart_id: str, kernel: KernelDep, response: Response, principal: CartUser
) -> ValidationOut:
    """Everything that would stop the cart checking out; `valid` when nothing does."""
    cart = await run(
        kernel,
        lambda uow: service.validate(
            uow,
            cart_id=cart_id,
            now=kernel.clock.now(),
            principal=principal,
        ),
    )
    body = _answer(response, cart)
    return ValidationOut(
        valid=cart.valid, problems=[problem_out(p) for p in cart.problems], cart=body
    )


router.include_router(admin_router)
