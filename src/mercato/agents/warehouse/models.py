"""The warehouse agent's tables: the layout of each inventory location (zones, bins, what
each bin holds), purchase orders and their receipts, pick lists, the box catalogue and the
packings made with it, cycle counts, and the tasks of the people doing the work.

Inventory stays the truth of how many units a location holds; `warehouse_bin_stock` says
where in the location they are (units received and not yet put away are in no bin).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.warehouse.statuses import (
    CountStatus,
    PackingStatus,
    PickListStatus,
    PurchaseOrderStatus,
    TaskKind,
    TaskStatus,
    ZoneKind,
)
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime
from mercato.kernel.money import Amount


class Zone(TenantScoped, Base):
    """An area of a location; pickers walk the zones in `sequence` order."""

    __tablename__ = "warehouse_zones"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    location_id: Mapped[str] = mapped_column(String(36))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ZoneKind] = mapped_column(StrEnumColumn(ZoneKind, 16))
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "location_id", "code"),)


class Bin(TenantScoped, Base):
    """A shelf place ("A-03-2-B": aisle A… or 1…, bay 3, level 2, position B) in a zone."""

    __tablename__ = "warehouse_bins"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    location_id: Mapped[str] = mapped_column(String(36))
    zone_id: Mapped[str] = mapped_column(ForeignKey("warehouse_zones.id"))
    code: Mapped[str] = mapped_column(String(40))
    aisle: Mapped[int] = mapped_column(Integer)
    bay: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    position: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "location_id", "code"),
        Index("ix_warehouse_bins_zone", "tenant_id", "zone_id"),
    )


class BinStock(TenantScoped, Base):
    """Units of one variant in one bin."""

    __tablename__ = "warehouse_bin_stock"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    bin_id: Mapped[str] = mapped_column(ForeignKey("warehouse_bins.id"))
    location_id: Mapped[str] = mapped_column(String(36))
    variant_id: Mapped[str] = mapped_column(String(36))
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "bin_id", "variant_id"),
        Index("ix_warehouse_bin_stock_variant", "tenant_id", "location_id", "variant_id"),
        CheckConstraint("quantity >= 0", name="bin_quantity_not_negative"),
    )


class PurchaseOrder(TenantScoped, Base):
    """Goods ordered from a supplier, to be delivered at a location."""

    __tablename__ = "warehouse_purchase_orders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    supplier_name: Mapped[str] = mapped_column(String(200))
    location_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[PurchaseOrderStatus] = mapped_column(StrEnumColumn(PurchaseOrderStatus, 20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        Index("ix_warehouse_purchase_orders_created", "tenant_id", "created_at", "id"),
    )


class PurchaseOrderLine(TenantScoped, Base):
    __tablename__ = "warehouse_purchase_order_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    purchase_order_id: Mapped[str] = mapped_column(ForeignKey("warehouse_purchase_orders.id"))
    position: Mapped[int] = mapped_column(Integer)
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    quantity_ordered: Mapped[int] = mapped_column(Integer)
    quantity_received: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_warehouse_po_lines_order", "tenant_id", "purchase_order_id"),)


class GoodsReceipt(TenantScoped, Base):
    """A delivery against a purchase order; `lines` say what came, against what was due."""

    __tablename__ = "warehouse_receipts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    purchase_order_id: Mapped[str] = mapped_column(ForeignKey("warehouse_purchase_orders.id"))
    location_id: Mapped[str] = mapped_column(String(36))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """[{variant_id, sku, quantity, ordered, received, over, short}] per variant received."""
    actor: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_warehouse_receipts_order", "tenant_id", "purchase_order_id"),)


class PickList(TenantScoped, Base):
    """The units of one or more orders to fetch from the bins, one walk."""

    __tablename__ = "warehouse_pick_lists"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_ids: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[PickListStatus] = mapped_column(StrEnumColumn(PickListStatus, 16))
    actor: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_warehouse_pick_lists_created", "tenant_id", "created_at", "id"),)


class PickLine(TenantScoped, Base):
    """Units of one order's variant to take from one bin (none: unlocated), at stop `stop`
    of the walk."""

    __tablename__ = "warehouse_pick_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    pick_list_id: Mapped[str] = mapped_column(ForeignKey("warehouse_pick_lists.id"))
    stop: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[str] = mapped_column(String(36))
    order_number: Mapped[str] = mapped_column(String(40))
    tote: Mapped[int] = mapped_column(Integer)
    location_id: Mapped[str] = mapped_column(String(36))
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    bin_id: Mapped[str | None] = mapped_column(String(36))
    bin_code: Mapped[str | None] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    picked: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_warehouse_pick_lines_list", "tenant_id", "pick_list_id", "stop"),
        Index("ix_warehouse_pick_lines_order", "tenant_id", "order_id"),
        CheckConstraint("picked >= 0 AND picked <= quantity", name="picked_within_quantity"),
    )


class Box(TenantScoped, Base):
    """A box the store packs in: inner size, the weight it carries, its own weight, cost."""

    __tablename__ = "warehouse_boxes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    length_mm: Mapped[int] = mapped_column(Integer)
    width_mm: Mapped[int] = mapped_column(Integer)
    height_mm: Mapped[int] = mapped_column(Integer)
    max_weight_grams: Mapped[int] = mapped_column(Integer)
    tare_grams: Mapped[int] = mapped_column(Integer)
    cost: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "code"),)


class Packing(TenantScoped, Base):
    """The packages an order (or a list of items) went into."""

    __tablename__ = "warehouse_packings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str | None] = mapped_column(String(36))
    pick_list_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[PackingStatus] = mapped_column(StrEnumColumn(PackingStatus, 16))
    packages: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    actor: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_warehouse_packings_order", "tenant_id", "order_id"),)


class CycleCount(TenantScoped, Base):
    """A count of some bins of a location; `bin_ids` is its scope."""

    __tablename__ = "warehouse_cycle_counts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    location_id: Mapped[str] = mapped_column(String(36))
    zone_id: Mapped[str | None] = mapped_column(String(36))
    bin_ids: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[CountStatus] = mapped_column(StrEnumColumn(CountStatus, 16))
    actor: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_warehouse_cycle_counts_created", "tenant_id", "created_at", "id"),)


class CycleCountLine(TenantScoped, Base):
    """A variant in a bin: what the bin said (`expected`, refreshed when the count is
    recorded) and what was found (`counted`, None until counted)."""

    __tablename__ = "warehouse_cycle_count_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    count_id: Mapped[str] = mapped_column(ForeignKey("warehouse_cycle_counts.id"))
    bin_id: Mapped[str] = mapped_column(String(36))
    bin_code: Mapped[str] = mapped_column(String(40))
    variant_id: Mapped[str] = mapped_column(String(36))
    expected: Mapped[int] = mapped_column(Integer)
    counted: Mapped[int | None] = mapped_column(Integer)
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "count_id", "bin_id", "variant_id"),)


class Task(TenantScoped, Base):
    """A piece of work for someone: put goods away, pick a list, pack, count, receive."""

    __tablename__ = "warehouse_tasks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[TaskKind] = mapped_column(StrEnumColumn(TaskKind, 16))
    status: Mapped[TaskStatus] = mapped_column(StrEnumColumn(TaskStatus, 16))
    reference: Mapped[str | None] = mapped_column(String(120))
    assignee: Mapped[str | None] = mapped_column(String(320))
    note: Mapped[str | None] = mapped_column(String(500))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_warehouse_tasks_created", "tenant_id", "created_at", "id"),
        Index("ix_warehouse_tasks_reference", "tenant_id", "reference"),
    )
