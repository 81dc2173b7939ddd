"""The inventory agent's tables: locations, stock per variant per location, the ledger of
every movement, reservations, transfers, and the stock feeds of the inventory_sync workflow.

Invariant kept by the database itself: 0 <= reserved <= on_hand on every stock row (CHECK
constraints), so no interleaving of writers can ever sell stock that is not there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.inventory.statuses import DiscrepancyStatus, ReservationStatus
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime


class Location(TenantScoped, Base):
    """A place stock is kept: a warehouse or a store. Lower `priority` is drawn from first."""

    __tablename__ = "inventory_locations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # warehouse | store
    priority: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "code"),)


class StockLevel(TenantScoped, Base):
    """Stock of one variant at one location. Available = on_hand - reserved."""

    __tablename__ = "stock_levels"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    location_id: Mapped[str] = mapped_column(ForeignKey("inventory_locations.id"))
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    reorder_point: Mapped[int | None] = mapped_column(Integer)
    low_alerted: Mapped[bool] = mapped_column(Boolean, default=False)
    """Set when `stock.low` was published, cleared when stock rises above the point again."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "variant_id", "location_id"),
        Index("ix_stock_levels_sku", "tenant_id", "sku"),
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
    )


class Movement(TenantScoped, Base):
    """The ledger: one row per change of a stock row. Summing `on_hand_delta` and
    `reserved_delta` over a stock row gives its on_hand and reserved."""

    __tablename__ = "stock_movements"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    location_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(24))
    """adjustment | receipt | transfer_out | transfer_in | reservation | release | expiry |
    commit | sync"""
    on_hand_delta: Mapped[int] = mapped_column(Integer, default=0)
    reserved_delta: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(String(32))
    reference: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_stock_movements_variant", "tenant_id", "variant_id", "created_at"),
        Index("ix_stock_movements_created", "tenant_id", "created_at", "id"),
    )


class Reservation(TenantScoped, Base):
    """Units held for a reference (an order, a checkout) at one location until they are
    committed (shipped or confirmed), released, or expire."""

    __tablename__ = "stock_reservations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(120))
    variant_id: Mapped[str] = mapped_column(String(36))
    location_id: Mapped[str] = mapped_column(String(36))
    stock_level_id: Mapped[str] = mapped_column(ForeignKey("stock_levels.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[ReservationStatus] = mapped_column(StrEnumColumn(ReservationStatus, 16))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_stock_reservations_reference", "tenant_id", "reference"),
        Index("ix_stock_reservations_expiry", "status", "expires_at"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )


class Transfer(TenantScoped, Base):
    """Units moved from one location to another (both rows change in one transaction)."""

    __tablename__ = "stock_transfers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    from_location_id: Mapped[str] = mapped_column(String(36))
    to_location_id: Mapped[str] = mapped_column(String(36))
    quantity: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_stock_transfers_tenant_id", "tenant_id"),)  # read by store


class SyncRun(TenantScoped, Base):
    """One stock feed imported from a warehouse system (the inventory_sync workflow)."""

    __tablename__ = "inventory_sync_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    location_id: Mapped[str] = mapped_column(String(36))
    source: Mapped[str] = mapped_column(String(200))
    lines: Mapped[int] = mapped_column(Integer, default=0)
    in_sync: Mapped[int] = mapped_column(Integer, default=0)
    applied: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_inventory_sync_runs_tenant_id", "tenant_id"),)  # read by store


class SyncDiscrepancy(TenantScoped, Base):
    """A feed line that differs from the system by more than the threshold: it waits for a
    person to approve (apply) or reject it."""

    __tablename__ = "inventory_sync_discrepancies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("inventory_sync_runs.id"), index=True)
    variant_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    location_id: Mapped[str] = mapped_column(String(36))
    system_on_hand: Mapped[int] = mapped_column(Integer)
    feed_on_hand: Mapped[int] = mapped_column(Integer)
    status: Mapped[DiscrepancyStatus] = mapped_column(StrEnumColumn(DiscrepancyStatus, 16))
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
