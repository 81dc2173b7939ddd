"""The warehouse's request bodies (the API contract's input side; answers are in
`schemas_out.py`). Quantities are strict, bounded integers; unknown fields are refused."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, model_validator

from mercato.agents.warehouse.statuses import TaskKind, ZoneKind
from mercato.kernel.schemas import RequestModel

Id = Annotated[str, Field(min_length=1, max_length=36)]
Sku = Annotated[str, Field(min_length=1, max_length=64)]
Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Quantity = Annotated[int, Field(strict=True, ge=1, le=1_000_000)]
Counted = Annotated[int, Field(strict=True, ge=0, le=1_000_000)]
Millimetres = Annotated[int, Field(strict=True, ge=1, le=10_000)]
Grams = Annotated[int, Field(strict=True, ge=0, le=1_000_000)]
Place = Annotated[int, Field(strict=True, ge=0, le=999)]
Assignee = Annotated[str, Field(min_length=1, max_length=320)]


class NamesVariant(RequestModel):
    variant_id: Id | None = None
    sku: Sku | None = None

    @model_validator(mode="after")
    def _one_variant(self) -> Self:
        if (self.sku is None) == (self.variant_id is None):
            raise ValueError("name the variant by exactly one of sku and variant_id")
        return self


class ZoneIn(RequestModel):
    location_id: Id
    code: Code
    name: Name
    kind: ZoneKind = ZoneKind.STORAGE
    sequence: Annotated[int, Field(strict=True, ge=0, le=10_000)]
    """The zone's place in the picker's walk (lowest first)."""


class BinIn(RequestModel):
    zone_id: Id
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")]
    """Such as `A-03-2-B`: the aisle, bay, level and position are read from it unless given."""
    aisle: Place | None = None
    bay: Place | None = None
    level: Place | None = None
    position: Annotated[str, Field(max_length=8)] | None = None


class BoxIn(RequestModel):
    code: Code
    name: Name
    length_mm: Millimetres
    width_mm: Millimetres
    height_mm: Millimetres
    max_weight_grams: Annotated[int, Field(strict=True, ge=1, le=1_000_000)]
    tare_grams: Grams = 0
    cost: Annotated[Decimal, Field(ge=0, le=10_000, decimal_places=4)]


class LineIn(NamesVariant):
    quantity: Quantity


class PurchaseOrderIn(RequestModel):
    number: Code
    supplier_name: Name
    location_id: Id
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=200)]
    due_at: datetime | None = None


class ReceiptIn(RequestModel):
    purchase_order_id: Id
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=200)]


class PutawayIn(NamesVariant):
    location_id: Id
    quantity: Quantity
    bin_id: Id | None = None
    """The bin to put the units in; the first suggestion when none is named."""
    task_id: Id | None = None
    """The putaway task this does (it is then done)."""


class PickListIn(RequestModel):
    order_ids: Annotated[list[Id], Field(min_length=1, max_length=50)]


class PickLineIn(RequestModel):
    line_id: Id
    quantity: Quantity


class PickIn(RequestModel):
    lines: Annotated[list[PickLineIn], Field(min_length=1, max_length=500)] | None = None
    """The units picked per line; every unit still to pick when absent."""


class ItemIn(RequestModel):
    variant_id: Id
    quantity: Quantity


class PackOrderIn(RequestModel):
    order_id: Id
    """Pack the order's lines."""


class PackPickListIn(RequestModel):
    pick_list_id: Id
    """Pack each order of the pick list: the units picked for it."""


class PackItemsIn(RequestModel):
    items: Annotated[list[ItemIn], Field(min_length=1, max_length=500)]
    """Pack loose items."""


PackingIn = PackOrderIn | PackPickListIn | PackItemsIn
"""Exactly one of an order, a pick list and loose items (unknown fields are refused, so a
body naming two matches none)."""


class CountIn(RequestModel):
    location_id: Id
    zone_id: Id | None = None
    bin_ids: Annotated[list[Id], Field(min_length=1, max_length=500)] | None = None

    @model_validator(mode="after")
    def _zone_or_bins(self) -> Self:
        if (self.zone_id is None) == (self.bin_ids is None):
            raise ValueError("count a zone (zone_id) or some bins (bin_ids)")
        return self


class CountLineIn(NamesVariant):
    bin_id: Id
    counted: Counted


class CountLinesIn(RequestModel):
    lines: Annotated[list[CountLineIn], Field(min_length=1, max_length=1000)]


class TaskIn(RequestModel):
    kind: TaskKind
    reference: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    assignee: Assignee | None = None
    due_at: datetime | None = None
    note: Annotated[str, Field(max_length=500)] | None = None


class AssignIn(RequestModel):
    assignee: Assignee
