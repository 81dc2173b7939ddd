"""Goods receipts: a delivery of many lines at once (a purchase order arriving, a store's
opening stock) booked in at one location, in a handful of statements whatever its size.

One query to the catalog per way of naming variants (SKUs, variant ids) resolves every line;
ONE upsert creates the missing stock rows and adds to every row (in variant order, the order
every inventory command locks rows in); ONE multi-row INSERT writes the ledger; at most ONE
UPDATE re-arms the low-stock alerts the receipt lifted; ONE `stock.received` event announces
the whole receipt. A receipt only adds stock, so it never needs a reservation's guards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from mercato.agents.catalog import service as catalog
from mercato.agents.inventory import events, stock
from mercato.agents.inventory.errors import (
    InvalidStockRequest,
    LocationNotFound,
    StockLimitExceeded,
    UnknownVariant,
)
from mercato.agents.inventory.models import Location
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

MAX_RECEIPT_LINES = 1000
"""The most lines one receipt may carry (a larger delivery is booked as several)."""


class ReceiptLine(NamedTuple):
    """A line of a delivery: the variant, named by exactly one of its id and its SKU, and
    the units received. A plain `(variant_id, sku, quantity)` tuple does as well."""

    variant_id: str | None
    sku: str | None
    quantity: int


@dataclass(frozen=True)
class ReceivedStock:
    """A variant of a receipt: the units received (its lines summed) and its stock row at
    the location as the receipt left it."""

    variant_id: str
    sku: str
    quantity: int
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class Receipt:
    reference: str
    location_id: str
    lines: list[ReceivedStock]
    """One per variant, in the order the variants first appear in the delivery."""


async def receive(
    uow: UnitOfWork,
    *,
    location_id: str,
    lines: Sequence[tuple[str | None, str | None, int]],
    reference: str | None = None,
    note: str | None = None,
    actor: str | None = None,
    now: datetime,
) -> Receipt:
    """Book a delivery in at a location: every line's units are added to its variant's stock
    there (the row is created if missing), each variant gets one `receipt` movement (reason
    `received`), and one `stock.received` event names every line.

    All or nothing: an unknown SKU or variant id is 404 `unknown_variant` listing every one
    (`skus`, `variant_ids`); more than `MAX_RECEIPT_LINES` lines, a bad line or reference is
    422 `invalid_stock_request`; a row that would pass its maximum is 409
    `stock_limit_exceeded`. Lines naming one variant are summed. Without a `reference`, the
    receipt gets a new id as its reference (the ledger's and the event's)."""
    wanted = _check(lines, reference)
    if await uow.session.get(Location, location_id) is None:
        raise LocationNotFound(f"no location {location_id!r}")
    named = await _resolve(uow, wanted)
    reference = reference or new_id()
    async with stock.atomic(uow):
        rows = {
            row.variant_id: row
            for row in await stock.add_many(uow, location_id=location_id, lines=named, now=now)
        }
        if len(rows) < len(named):
            over = [variant_id for variant_id, _, _ in named if variant_id not in rows]
            raise StockLimitExceeded(
                f"{len(over)} stock row(s) would hold more than {stock.MAX_ON_HAND} units",
                variant_ids=over,
            )
    changes = [(rows[variant_id], quantity) for variant_id, _, quantity in named]
    await stock.record_many(
        uow, changes, kind="receipt", reason="received", reference=reference, note=note,
        actor=actor, now=now,
    )  # fmt: skip
    await stock.rearm_low(uow, rows.values())
    uow.publish(
        events.StockReceived(
            location_id=location_id,
            reference=reference,
            lines=[
                events.ReceivedLine(variant_id=row.variant_id, sku=row.sku, quantity=quantity)
                for row, quantity in changes
            ],
        ),
        aggregate_id=reference,
    )
    return Receipt(
        reference=reference,
        location_id=location_id,
        lines=[
            ReceivedStock(row.variant_id, row.sku, quantity, row.on_hand, row.reserved)
            for row, quantity in changes
        ],
    )


def _check(
    lines: Sequence[tuple[str | None, str | None, int]], reference: str | None
) -> list[ReceiptLine]:
    """What the service refuses before reading anything (the edge's schema refuses the
    same)."""
    if not 1 <= len(lines) <= MAX_RECEIPT_LINES:
        raise InvalidStockRequest(f"a receipt has 1 to {MAX_RECEIPT_LINES} lines")
    if reference is not None and not 1 <= len(reference) <= 120:
        raise InvalidStockRequest("a reference has 1 to 120 characters")
    checked = []
    for variant_id, sku, quantity in lines:
        if (variant_id is None) == (sku is None):
            raise InvalidStockRequest("name each line's variant by exactly one of variant_id, sku")
        if sku is not None and not 1 <= len(sku) <= 64:
            raise InvalidStockRequest("a SKU has 1 to 64 characters")
        if variant_id is not None and not 1 <= len(variant_id) <= 36:
            raise InvalidStockRequest("a variant id has 1 to 36 characters")
        if not 1 <= quantity <= stock.MAX_QUANTITY:
            raise InvalidStockRequest(f"a quantity is between 1 and {stock.MAX_QUANTITY}")
        checked.append(ReceiptLine(variant_id, sku, quantity))
    return checked


async def _resolve(uow: UnitOfWork, wanted: list[ReceiptLine]) -> list[tuple[str, str, int]]:
    """(variant id, SKU, units) per variant, its lines summed, in order of first appearance:
    one catalog query for the lines named by SKU, one for those named by id."""
    skus = [line.sku for line in wanted if line.sku is not None]
    ids = [line.variant_id for line in wanted if line.variant_id is not None]
    by_sku = await catalog.variant_ids_for_skus(uow, skus) if skus else {}
    by_id = await catalog.sellable_variants(uow, ids) if ids else {}
    unknown_skus = _once(sku for sku in skus if sku not in by_sku)
    unknown_ids = _once(variant_id for variant_id in ids if variant_id not in by_id)
    if unknown_skus or unknown_ids:
        shown = ", ".join(repr(name) for name in [*unknown_skus, *unknown_ids][:10])
        raise UnknownVariant(
            f"{len(unknown_skus) + len(unknown_ids)} line(s) name no variant: {shown}",
            skus=unknown_skus,
            variant_ids=unknown_ids,
        )
    merged: dict[str, tuple[str, int]] = {}
    for line in wanted:
        if line.sku is not None:
            variant_id, sku = by_sku[line.sku], line.sku
        else:
            assert line.variant_id is not None
            variant_id, sku = line.variant_id, by_id[line.variant_id].sku
        merged[variant_id] = (sku, merged.get(variant_id, (sku, 0))[1] + line.quantity)
    if any(quantity > stock.MAX_QUANTITY for _, quantity in merged.values()):
        raise InvalidStockRequest(f"a receipt adds at most {stock.MAX_QUANTITY} units of a variant")
    return [(variant_id, sku, quantity) for variant_id, (sku, quantity) in merged.items()]


def _once(names: Iterable[str]) -> list[str]:
    """The names without repeats, in order."""
    return list(dict.fromkeys(names))
