"""The cart's administration routes: discount codes (`discounts:write`), tax rates and the
store's cart settings (`cart_settings:write`; reading them is public), and how carts fared
(`carts:read_any`: support and admins)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Body, Depends, Query
from pydantic import AwareDatetime

from mercato.agents.cart import codes, store, summary
from mercato.agents.cart.problems import (
    DiscountCodeExists,
    DiscountCodeNotFound,
    DuplicateTaxRate,
    InvalidAmount,
    InvalidDiscountCode,
    InvalidWindow,
)
from mercato.agents.cart.schemas import (
    CartSettingsIn,
    CartSettingsOut,
    CartSummaryOut,
    DiscountCodeIn,
    DiscountCodeOut,
    DiscountCodePage,
    DiscountCodePatch,
    TaxRateIn,
    TaxRateOut,
    TaxRatePage,
    code_out,
)
from mercato.agents.cart.store_terms import StoreSettings
from mercato.kernel import paging
from mercato.kernel.auth import Principal, public, require
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

if TYPE_CHECKING:
    from mercato.agents.cart.models import TaxRate

admin_router = APIRouter(tags=["cart"])
Cursor = Annotated[str | None, Query(max_length=300)]

# -- discount codes ------------------------------------------------------------------------------

CodeAdmin = Annotated[Principal, Depends(require("discounts:write"))]


@admin_router.post(
    "/discount-codes",
    response_model=DiscountCodeOut,
    status_code=201,
    responses=problems(DiscountCodeExists, InvalidDiscountCode, InvalidAmount),
)
async def create_code(body: DiscountCodeIn, kernel: KernelDep, _: CodeAdmin) -> DiscountCodeOut:
    """A discount code; fixed values and minimums are in the store's currency."""
    now = kernel.clock.now()
    async with kernel.uow() as uow:
        settings = await store.ensure_settings(uow, now=now)
        spec = codes.CodeSpec(**body.model_dump(exclude={"code"}))
        row = await codes.create_code(
            uow, code=body.code, spec=spec, currency=settings.currency, now=now
        )
        await uow.commit()
    return code_out(row)


@admin_router.get("/discount-codes", response_model=DiscountCodePage)
async def list_codes(
    kernel: KernelDep,
    _: CodeAdmin,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DiscountCodePage:
    """The store's discount codes, in alphabetical order."""
    after = paging.decode(cursor, str)
    async with kernel.uow(writes=False) as uow:
        rows = await codes.list_codes(uow, after=after[0] if after else None, limit=limit + 1)
    page, next_cursor = paging.cut(rows, limit, lambda r: (r.code,))
    return DiscountCodePage(items=[code_out(r) for r in page], next_cursor=next_cursor)


@admin_router.patch(
    "/discount-codes/{code_id}",
    response_model=DiscountCodeOut,
    responses=problems(DiscountCodeNotFound, InvalidDiscountCode, InvalidAmount),
)
async def update_code(
    code_id: str, body: DiscountCodePatch, kernel: KernelDep, _: CodeAdmin
) -> DiscountCodeOut:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    async with kernel.uow() as uow:
        row = await codes.update_code(uow, code_id=code_id, changes=changes)
        await uow.commit()
    return code_out(row)


# -- tax rates and the store's cart settings ----------------------------------------------------

SettingsAdmin = Annotated[Principal, Depends(require("cart_settings:write"))]


def _rate_out(rate: TaxRate) -> TaxRateOut:
    return TaxRateOut(
        country=rate.country,
        region=rate.region or None,
        rate_percent=rate.rate_percent,
        name=rate.name,
    )


@admin_router.get("/tax-rates", response_model=TaxRatePage, dependencies=[Depends(public())])
async def list_tax_rates(
    kernel: KernelDep,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> TaxRatePage:
    """The store's tax rates by country and region (a `PUT` replaces them all: the default
    page holds as many as a `PUT` may send)."""
    after = paging.decode(cursor, str, str)
    async with kernel.uow(writes=False) as uow:
        rows = await store.tax_rates(uow, after=after, limit=limit + 1)
    page, next_cursor = paging.cut(rows, limit, lambda r: (r.country, r.region))
    return TaxRatePage(items=[_rate_out(r) for r in page], next_cursor=next_cursor)


@admin_router.put(
    "/tax-rates", response_model=list[TaxRateOut], responses=problems(DuplicateTaxRate)
)
async def put_tax_rates(
    body: Annotated[list[TaxRateIn], Body(max_length=1000)],
    kernel: KernelDep,
    _: SettingsAdmin,
) -> list[TaxRateOut]:
    """Replace the store's tax rates (a region's rate wins over its country's)."""
    specs = [store.TaxRateSpec(**r.model_dump()) for r in body]
    async with kernel.uow() as uow:
        rows = await store.put_tax_rates(uow, rates=specs)
        await uow.commit()
    return [_rate_out(r) for r in rows]


@admin_router.get(
    "/cart-settings", response_model=CartSettingsOut, dependencies=[Depends(public())]
)
async def get_settings(kernel: KernelDep) -> CartSettingsOut:
    async with kernel.uow(writes=False) as uow:
        values = await store.read_settings(uow)
    return CartSettingsOut(**vars(values))


@admin_router.put(
    "/cart-settings", response_model=CartSettingsOut, responses=problems(InvalidAmount)
)
async def put_settings(
    body: CartSettingsIn, kernel: KernelDep, _: SettingsAdmin
) -> CartSettingsOut:
    """Replace the store's cart settings (carts already open keep their currency)."""
    async with kernel.uow() as uow:
        values = await store.put_settings(
            uow,
            values=StoreSettings(**body.model_dump()),
            now=kernel.clock.now(),
        )
        await uow.commit()
    return CartSettingsOut(**vars(values))


# -- how carts fared -----------------------------------------------------------------------------

CartReader = Annotated[Principal, Depends(require("carts:read_any"))]
LONGEST_WINDOW = timedelta(days=366)


@admin_router.get("/cart-summary", response_model=CartSummaryOut, responses=problems(InvalidWindow))
async def cart_summary(
    kernel: KernelDep,
    _: CartReader,
    since: Annotated[
        AwareDatetime | None, Query(description="Default: a day before `until`")
    ] = None,
    until: Annotated[AwareDatetime | None, Query(description="Default: now")] = None,
) -> CartSummaryOut:
    """The carts opened in [since, until): started, with something in them, converted into
    orders, abandoned; and the conversion (converted per cart with something in it)."""
    end = until or kernel.clock.now()
    start = since or end - timedelta(days=1)
    if not start < end or end - start > LONGEST_WINDOW:
        raise InvalidWindow(f"since {start.isoformat()} and until {end.isoformat()}")
    async with kernel.uow(writes=False) as uow:
        found = await summary.summary(uow, since=start, until=end)
    return CartSummaryOut(
        since=start,
        until=end,
        started=found.started,
        with_items=found.with_items,
        converted=found.converted,
        abandoned=found.abandoned,
        conversion=found.conversion,
    )
