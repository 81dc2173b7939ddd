"""The cart API's request and response models (the contract: money as decimal strings)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from mercato.agents.cart.models import DiscountCode
from mercato.agents.cart.statuses import DiscountKind
from mercato.agents.cart.view import CartProblem, CartView
from mercato.kernel.money import MoneyStr, round_money
from mercato.kernel.schemas import RequestModel

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
"""ISO 3166-1 alpha-2, upper-case."""
Region = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,3}$")]
"""The subdivision part of an ISO 3166-2 code (`CA` of `US-CA`), upper-case."""
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)]
INT32_MAX = 2_147_483_647
"""The largest count an INTEGER column holds on PostgreSQL."""
Quantity = Annotated[int, Field(ge=-1_000_000, le=1_000_000)]
"""Any count: BR001 (1..99) is the rule's to judge, with its own code."""


class ItemIn(RequestModel):
    variant_id: Annotated[str, Field(min_length=1, max_length=36)]
    quantity: Quantity = 1


class QuantityIn(RequestModel):
    quantity: Quantity


class AddressIn(RequestModel):
    """Where the cart is taxed. A field left out is unchanged; `country: null` goes back to
    the store's default."""

    country: Country | None = None
    region: Region | None = None


class CodeIn(RequestModel):
    code: Code


class ItemOut(BaseModel):
    id: str
    variant_id: str
    product_id: str
    sku: str
    name: str
    quantity: int
    unit_price: MoneyStr = Field(description="The current price")
    price_at_add: MoneyStr = Field(description="The price recorded when added or accepted")
    line_total: MoneyStr
    available: int
    requires_shipping: bool


class ProblemOut(BaseModel):
    """A reason the cart cannot check out as it is (or a notice of what a write changed)."""

    model_config = ConfigDict(extra="allow")
    code: str
    detail: str
    item_id: str | None = None


class CartOut(BaseModel):
    id: str
    status: str
    currency: str
    country: str
    region: str | None
    version: int
    items: list[ItemOut]
    discount_code: str | None
    subtotal: MoneyStr
    discount_total: MoneyStr
    tax_total: MoneyStr
    shipping_total: MoneyStr
    total: MoneyStr
    problems: list[ProblemOut]
    created_at: datetime
    updated_at: datetime
    shipping_option: ShippingOptionOut | None = Field(
        default=None,
        description="The shipping option chosen (PUT /v1/carts/{id}/shipping-option), while "
        "the items are those it was quoted for; null: the store's standard shipping",
    )


class ShippingOptionOut(BaseModel):
    rate_id: str
    carrier: str
    service: str
    service_name: str
    amount: MoneyStr
    days_min: int
    days_max: int


class ValidationOut(BaseModel):
    valid: bool
    problems: list[ProblemOut]
    cart: CartOut


def problem_out(problem: CartProblem) -> ProblemOut:
    extra: dict[str, Any] = dict(problem.extra)
    return ProblemOut(code=problem.code, detail=problem.detail, item_id=problem.item_id, **extra)


def cart_out(cart: CartView) -> CartOut:
    totals = cart.totals
    return CartOut(
        id=cart.id,
        status=cart.status,
        currency=cart.currency,
        country=cart.country,
        region=cart.region,
        version=cart.version,
        items=[ItemOut(**vars(item)) for item in cart.items],
        discount_code=cart.discount_code,
        subtotal=totals.subtotal,
        discount_total=totals.discount_total,
        tax_total=totals.tax_total,
        shipping_total=totals.shipping_total,
        total=totals.total,
        problems=[problem_out(p) for p in cart.problems],
        created_at=cart.created_at,
        updated_at=cart.updated_at,
        shipping_option=(
            ShippingOptionOut(
                rate_id=cart.shipping_option["quote_id"],
                carrier=cart.shipping_option["carrier"],
                service=cart.shipping_option["service"],
                service_name=cart.shipping_option["service_name"],
                amount=Decimal(str(cart.shipping_option["amount"])),
                days_min=cart.shipping_option["days_min"],
                days_max=cart.shipping_option["days_max"],
            )
            if cart.shipping_option
            else None
        ),
    )


# -- discount codes ------------------------------------------------------------------------


class DiscountCodeIn(RequestModel):
    code: Code
    kind: Literal[DiscountKind.PERCENT, DiscountKind.FIXED]
    value: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=4)]
    min_subtotal: Amount | None = None
    starts_at: AwareDatetime | None = None
    expires_at: AwareDatetime | None = None
    usage_limit: Annotated[int, Field(ge=1, le=INT32_MAX)] | None = None
    active: bool = True


class DiscountCodePatch(RequestModel):
    """The fields to change; `null` clears an optional one."""

    kind: Literal[DiscountKind.PERCENT, DiscountKind.FIXED] | None = None
    value: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=4)] | None = None
    min_subtotal: Amount | None = None
    starts_at: AwareDatetime | None = None
    expires_at: AwareDatetime | None = None
    usage_limit: Annotated[int, Field(ge=1, le=INT32_MAX)] | None = None
    active: bool | None = None


class DiscountCodePage(BaseModel):
    items: list[DiscountCodeOut]
    next_cursor: str | None


class DiscountCodeOut(BaseModel):
    id: str
    code: str
    kind: str
    value: MoneyStr
    currency: str | None
    min_subtotal: MoneyStr | None
    starts_at: datetime | None
    expires_at: datetime | None
    usage_limit: int | None
    times_used: int
    active: bool
    created_at: datetime


def code_out(row: DiscountCode) -> DiscountCodeOut:
    """Fixed values and minimums shown in their currency's minor units."""
    currency = row.currency or ""

    def amount(value: Decimal | None) -> Decimal | None:
        return round_money(value, currency) if value is not None and currency else value

    return DiscountCodeOut(
        id=row.id,
        code=row.code,
        kind=row.kind,
        value=(amount(row.value) or row.value) if row.kind == DiscountKind.FIXED else row.value,
        currency=row.currency,
        min_subtotal=amount(row.min_subtotal),
        starts_at=row.starts_at,
        expires_at=row.expires_at,
        usage_limit=row.usage_limit,
        times_used=row.times_used,
        active=row.active,
        created_at=row.created_at,
    )


# -- tax rates and settings ------------------------------------------------------------------


class TaxRateIn(RequestModel):
    country: Country
    region: Region | None = None
    rate_percent: Annotated[Decimal, Field(ge=0, le=100, max_digits=8, decimal_places=4)]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] = (
        "Tax"
    )


class TaxRateOut(BaseModel):
    country: str
    region: str | None
    rate_percent: MoneyStr
    name: str


class TaxRatePage(BaseModel):
    items: list[TaxRateOut]
    next_cursor: str | None


class CartSettingsIn(RequestModel):
    currency: Currency
    prices_include_tax: bool
    flat_shipping: Amount
    free_shipping_over: Amount | None = None
    default_country: Country
    default_region: Region | None = None


class CartSettingsOut(BaseModel):
    currency: str
    prices_include_tax: bool
    flat_shipping: MoneyStr
    free_shipping_over: MoneyStr | None
    default_country: str
    default_region: str | None


class CartSummaryOut(BaseModel):
    """How the carts opened in [since, until) fared (a guest's cart merged into the user's at
    sign-in is counted once)."""

    since: datetime
    until: datetime
    started: int = Field(description="Carts opened in the window")
    with_items: int = Field(description="Of those, carts that had something in them")
    converted: int = Field(description="Of those, carts that became an order")
    abandoned: int = Field(description="Of those, carts left idle and not taken up again")
    conversion: Decimal | None = Field(
        description="converted / with_items, to four decimals (null without any)"
    )
