"""The warehouse's answers (the API contract's output side)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from mercato.agents.warehouse.statuses import (
    CountStatus,
    PackingStatus,
    PickListStatus,
    PurchaseOrderStatus,
    TaskKind,
    TaskStatus,
    ZoneKind,
)
from mercato.kernel.money import MoneyStr

if TYPE_CHECKING:
    from mercato.agents.warehouse.boxes import BoxSpec
    from mercato.agents.warehouse.counting import CountView
    from mercato.agents.warehouse.layout import BinView
    from mercato.agents.warehouse.pick_views import PickListView
    from mercato.agents.warehouse.receiving import PurchaseOrderView


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ZoneOut(Out):
    id: str
    location_id: str
    code: str
    name: str
    kind: ZoneKind
    sequence: int
    created_at: datetime


class ZonePage(Out):
    items: list[ZoneOut]
    next_cursor: str | None


class ContentOut(Out):
    variant_id: str
    sku: str
    quantity: int


class BinOut(Out):
    id: str
    location_id: str
    zone_id: str
    zone_code: str
    zone_kind: ZoneKind
    code: str
    aisle: int
    bay: int
    level: int
    position: str
    contents: list[ContentOut]


class BinPage(Out):
    items: list[BinOut]
    next_cursor: str | None


class BoxOut(Out):
    code: str
    name: str
    length_mm: int
    width_mm: int
    height_mm: int
    max_weight_grams: int
    tare_grams: int
    cost: MoneyStr
    currency: str
    default: bool
    """One of the default set, used while the store has no boxes of its own."""


class BoxPage(Out):
    items: list[BoxOut]
    next_cursor: str | None


class PurchaseOrderLineOut(Out):
    variant_id: str
    sku: str
    quantity_ordered: int
    quantity_received: int


class PurchaseOrderOut(Out):
    id: str
    number: str
    supplier_name: str
    location_id: str
    status: PurchaseOrderStatus
    lines: list[PurchaseOrderLineOut]
    created_at: datetime
    updated_at: datetime


class PurchaseOrderPage(Out):
    items: list[PurchaseOrderOut]
    next_cursor: str | None


class ReceiptLineOut(Out):
    variant_id: str
    sku: str
    quantity: int
    ordered: int
    received: int
    over: int
    """Units received beyond what was ordered, so far."""
    short: int
    """Units ordered and not yet received."""


class ReceiptOut(Out):
    id: str
    purchase_order_id: str
    purchase_order_status: PurchaseOrderStatus
    location_id: str
    lines: list[ReceiptLineOut]
    created_at: datetime


class SuggestionOut(Out):
    bin_id: str
    bin_code: str
    zone_code: str
    reason: str
    """`holds_variant` (a storage bin holding the variant) or `empty`."""
    quantity: int


class SuggestionPage(Out):
    items: list[SuggestionOut]
    next_cursor: str | None


class ToteOut(Out):
    line_id: str
    order_id: str
    order_number: str
    tote: int
    quantity: int
    picked: int


class StopOut(Out):
    stop: int
    location_id: str
    bin_id: str | None
    bin_code: str | None
    unlocated: bool
    variant_id: str
    sku: str
    quantity: int
    picked: int
    totes: list[ToteOut]


class PickListOut(Out):
    id: str
    status: PickListStatus
    order_ids: list[str]
    stops: list[StopOut]
    created_at: datetime
    updated_at: datetime


class PickListSummaryOut(Out):
    id: str
    status: PickListStatus
    order_ids: list[str]
    created_at: datetime


class PickListPage(Out):
    items: list[PickListSummaryOut]
    next_cursor: str | None


class PackageItemOut(Out):
    variant_id: str
    quantity: int


class PackageOut(Out):
    box_code: str
    length_mm: int
    width_mm: int
    height_mm: int
    weight_grams: int
    items: list[PackageItemOut]


class PackingOut(Out):
    id: str
    order_id: str | None
    pick_list_id: str | None
    status: PackingStatus
    packages: list[PackageOut]
    created_at: datetime


class PackingsOut(Out):
    packings: list[PackingOut]
    """One per order packed (loose items: one)."""


class CountLineOut(Out):
    id: str
    bin_id: str
    bin_code: str
    variant_id: str
    sku: str
    expected: int
    counted: int | None
    difference: int | None


class CountOut(Out):
    id: str
    location_id: str
    zone_id: str | None
    status: CountStatus
    lines: list[CountLineOut]
    created_at: datetime
    completed_at: datetime | None


class CountSummaryOut(Out):
    id: str
    location_id: str
    zone_id: str | None
    status: CountStatus
    created_at: datetime
    completed_at: datetime | None


class CountPage(Out):
    items: list[CountSummaryOut]
    next_cursor: str | None


class TaskOut(Out):
    id: str
    kind: TaskKind
    status: TaskStatus
    reference: str | None
    assignee: str | None
    note: str | None
    due_at: datetime | None
    created_at: datetime
    updated_at: datetime


class TaskPage(Out):
    items: list[TaskOut]
    next_cursor: str | None


def bin_out(view: BinView, skus: dict[str, str]) -> BinOut:
    b, zone = view.bin, view.zone
    return BinOut(
        id=b.id,
        location_id=b.location_id,
        zone_id=zone.id,
        zone_code=zone.code,
        zone_kind=zone.kind,
        code=b.code,
        aisle=b.aisle,
        bay=b.bay,
        level=b.level,
        position=b.position,
        contents=[
            ContentOut(variant_id=v, sku=skus.get(v, ""), quantity=q) for v, q in view.contents
        ],
    )


def count_out(view: CountView, skus: dict[str, str]) -> CountOut:
    count = view.count
    return CountOut(
        id=count.id,
        location_id=count.location_id,
        zone_id=count.zone_id,
        status=count.status,
        created_at=count.created_at,
        completed_at=count.completed_at,
        lines=[
            CountLineOut(
                id=line.id,
                bin_id=line.bin_id,
                bin_code=line.bin_code,
                variant_id=line.variant_id,
                sku=skus.get(line.variant_id, ""),
                expected=line.expected,
                counted=line.counted,
                difference=None if line.counted is None else line.counted - line.expected,
            )
            for line in view.lines
        ],
    )


def pick_list_out(view: PickListView) -> PickListOut:
    pick_list = view.pick_list
    return PickListOut(
        id=pick_list.id,
        status=pick_list.status,
        order_ids=pick_list.order_ids,
        created_at=pick_list.created_at,
        updated_at=pick_list.updated_at,
        stops=[
            StopOut.model_validate(
                {**vars(stop), "unlocated": stop.unlocated, "totes": [vars(t) for t in stop.totes]}
            )
            for stop in view.stops
        ],
    )


def purchase_order_out(view: PurchaseOrderView) -> PurchaseOrderOut:
    order = view.order
    return PurchaseOrderOut(
        id=order.id,
        number=order.number,
        supplier_name=order.supplier_name,
        location_id=order.location_id,
        status=order.status,
        created_at=order.created_at,
        updated_at=order.updated_at,
        lines=[PurchaseOrderLineOut.model_validate(line) for line in view.lines],
    )


def box_out(spec: BoxSpec, *, currency: str, default: bool, name: str | None = None) -> BoxOut:
    return BoxOut(
        code=spec.code,
        name=name or spec.code,
        length_mm=spec.length_mm,
        width_mm=spec.width_mm,
        height_mm=spec.height_mm,
        max_weight_grams=spec.max_weight_grams,
        tare_grams=spec.tare_grams,
        cost=Decimal(spec.cost),
        currency=currency,
        default=default,
    )
