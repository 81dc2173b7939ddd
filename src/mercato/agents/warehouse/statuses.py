"""The warehouse agent's kinds and statuses (stored as these strings)."""

from __future__ import annotations

from enum import StrEnum


class ZoneKind(StrEnum):
    RECEIVING = "receiving"
    STORAGE = "storage"
    PICKING = "picking"
    PACKING = "packing"


class PurchaseOrderStatus(StrEnum):
    OPEN = "open"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class PickListStatus(StrEnum):
    OPEN = "open"
    PICKING = "picking"
    """At least one unit picked."""
    PICKED = "picked"
    CANCELLED = "cancelled"


class PackingStatus(StrEnum):
    PACKED = "packed"
    CANCELLED = "cancelled"


class CountStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class TaskKind(StrEnum):
    PUTAWAY = "putaway"
    PICK = "pick"
    PACK = "pack"
    COUNT = "count"
    RECEIVE = "receive"


class TaskStatus(StrEnum):
    OPEN = "open"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


LIVE_TASK = (TaskStatus.OPEN, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)
"""The statuses of a task still to be done."""
