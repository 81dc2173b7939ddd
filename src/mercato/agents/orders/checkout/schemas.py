"""The checkout request and answer (the contract of `POST /v1/checkout`)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, EmailStr, Field, StringConstraints, model_validator

from mercato.agents.orders.service import Address
from mercato.kernel.money import MoneyStr
from mercato.kernel.schemas import RequestModel

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
CardNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9 ]{12,23}$")]


class CardIn(RequestModel):
    """A card, exactly as the shopper typed it. It is turned into the gateway's token before
    anything is stored; its number never reaches the database."""

    number: CardNumber
    exp_month: Annotated[int, Field(ge=1, le=12)]
    exp_year: Annotated[int, Field(ge=2000, le=2100)]
    cvc: Annotated[str, StringConstraints(strip_whitespace=True, max_length=8)] | None = None
    """Checked by BR008 (3 or 4 digits), so that leaving it out gets the rule's own code."""
    holder: Text | None = None


class PaymentIn(RequestModel):
    provider: Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,32}$")] = "sandbox"
    card: CardIn | None = None
    token: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    """A payment source the provider issued (a Stripe PaymentMethod, an approved PayPal
    order)."""

    @model_validator(mode="after")
    def _one_source(self) -> PaymentIn:
        if (self.card is None) == (self.token is None):
            raise ValueError("give either a card or a token")
        return self


class CheckoutIn(RequestModel):
    cart_id: Annotated[str, Field(min_length=1, max_length=36)]
    email: EmailStr
    shipping_address: Address | None = None
    """Required when any line ships (BR005)."""
    billing_address: Address | None = None
    payment: PaymentIn | None = None
    """Required unless the order is free (EC010) or store credit pays all of it."""
    use_store_credit: bool = Field(
        default=False,
        description="Spend the signed-in shopper's store credit first (GET "
        "/v1/me/store-credit); the payment takes the rest",
    )


class OrderLineOut(BaseModel):
    id: str
    variant_id: str
    sku: str
    name: str
    quantity: int
    unit_price: MoneyStr
    line_total: MoneyStr


class CheckoutOrderOut(BaseModel):
    id: str
    number: str
    status: str
    payment_status: str
    review: str | None = None
    total: MoneyStr
    currency: str
    placed_at: str
    lines: list[OrderLineOut]


class CheckoutOut(BaseModel):
    order: CheckoutOrderOut
    payment: dict[str, Any] = Field(
        default_factory=dict, description="The payment's id, provider, status and card"
    )
