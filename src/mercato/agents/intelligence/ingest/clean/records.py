"""The clean records' schemas, one per kind (seed 001, properties 7 and 9): what a source's
record must be to be stored. A record of the wrong types is rejected with one error per
field (kept on the run); a valid one is stored as its JSON form and read back equal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

Kind = Literal["product", "sale", "inventory", "review", "offer"]
KINDS: tuple[Kind, ...] = ("product", "sale", "inventory", "review", "offer")
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4, allow_inf_nan=False)]
Availability = Literal["in_stock", "out_of_stock", "preorder", "limited", "unknown"]


class CleanModel(BaseModel):
    """Unknown fields are refused (a typo is an error, not a silent drop); numbers must be
    numbers (a boolean is not one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("a boolean is not a number or a text")
        return value

    @field_validator("observed_at", "sold_at", "updated_at", "written_at", mode="before",
                     check_fields=False)  # fmt: skip
    @classmethod
    def _times_are_written_out(cls, value: Any) -> Any:
        if isinstance(value, int | float | Decimal):
            raise ValueError("a time is an ISO 8601 text with its offset, not a number")
        return value


class Identified(CleanModel):
    sku: str | None = Field(default=None, max_length=120)
    """Normalised (`clean.sku`) before validation."""
    gtin: str | None = Field(default=None, max_length=14)
    mpn: str | None = Field(default=None, max_length=120)
    brand: str | None = Field(default=None, max_length=200)


class ProductRecord(Identified):
    external_id: Text
    title: Text
    price: Money | None = None
    currency: Currency | None = None
    attributes: dict[str, str] = Field(default_factory=dict)


class OfferRecord(Identified):
    """A competitor's offer for a product, as observed on its page."""

    competitor: Text
    url: Text
    title: Text
    price: Money
    currency: Currency
    availability: Availability = "unknown"
    promotion: str | None = Field(default=None, max_length=2000)
    observed_at: AwareDatetime


class SaleRecord(CleanModel):
    external_id: Text
    sku: Text
    quantity: int = Field(ge=1, le=1_000_000)
    price: Money
    currency: Currency
    sold_at: AwareDatetime


class InventoryRecord(CleanModel):
    sku: Text
    location: Text
    available: int = Field(ge=-1_000_000, le=1_000_000_000)
    updated_at: AwareDatetime | None = None


class ReviewRecord(CleanModel):
    external_id: Text
    sku: str | None = Field(default=None, max_length=120)
    rating: int = Field(ge=1, le=5)
    text: LongText
    author: str | None = Field(default=None, max_length=200)
    written_at: AwareDatetime | None = None


SCHEMAS: dict[Kind, type[CleanModel]] = {
    "product": ProductRecord,
    "offer": OfferRecord,
    "sale": SaleRecord,
    "inventory": InventoryRecord,
    "review": ReviewRecord,
}


def validate(kind: Kind, data: Mapping[str, Any]) -> tuple[CleanModel | None, list[str]]:
    """The record, or None and one message per wrong field (`field: what is wrong`)."""
    try:
        return SCHEMAS[kind].model_validate(dict(data)), []
    except ValidationError as exc:
        return None, [
            f"{'.'.join(str(p) for p in error['loc']) or 'record'}: {error['msg']}"
            for error in exc.errors()
        ]


def to_stored(record: CleanModel) -> dict[str, Any]:
    """The JSON form kept in the database (Decimals and times as text)."""
    return record.model_dump(mode="json")


def from_stored(kind: Kind, stored: Mapping[str, Any]) -> CleanModel:
    return SCHEMAS[kind].model_validate(dict(stored))


def key_of(kind: Kind, record: CleanModel) -> str:
    """What makes two records of one source the same record (deduplication, most recent
    wins): a sale or review its id, stock its SKU and place, an offer its page."""
    data = record.model_dump()
    if kind == "offer":
        return str(data["url"])
    if kind == "inventory":
        return f"{data['sku']}@{data['location']}"
    if kind == "product":
        return str(data["sku"] or data["external_id"])
    return str(data["external_id"])


def observed_at(kind: Kind, record: CleanModel, fetched_at: datetime) -> datetime:
    """When the record's facts were true: its own time where it has one."""
    own = {"offer": "observed_at", "sale": "sold_at", "inventory": "updated_at"}.get(kind)
    value = getattr(record, own, None) if own else None
    return value if isinstance(value, datetime) else fetched_at
