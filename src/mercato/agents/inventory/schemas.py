"""Inventory's request and response models: the API contract.

Quantities are strict integers (a string or a fraction is refused, not coerced) and bounded;
unknown fields are refused, so a misspelt field is an error rather than a silent no-op.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from typing import Annotated, Any, Literal, Self

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mercato.agents.inventory.receipts import MAX_RECEIPT_LINES
from mercato.agents.inventory.stock import MAX_QUANTITY
from mercato.kernel.schemas import RequestModel

Id = Annotated[str, Field(min_length=1, max_length=36)]
Sku = Annotated[str, Field(min_length=1, max_length=64)]
Note = Annotated[str, Field(max_length=2000)]
Quantity = Annotated[int, Field(strict=True, ge=1, le=MAX_QUANTITY)]
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_QUANTITY)]
Reason = Literal["received", "damaged", "lost", "stolen", "count", "returned", "correction"]
LocationKind = Literal["warehouse", "store"]
Priority = Annotated[int, Field(strict=True, ge=0, le=10_000)]


class In(RequestModel):
    """A request body of this agent."""


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# -- locations -------------------------------------------------------------------------


class LocationIn(In):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: LocationKind = "warehouse"
    priority: Priority = 100
    """Lower is drawn from first when stock is reserved."""
    active: bool = True


class LocationPatchIn(In):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    kind: LocationKind | None = None
    priority: Priority | None = None
    active: bool | None = None


class LocationOut(Out):
    id: str
    code: str
    name: str
    kind: str
    priority: int
    active: bool
    created_at: datetime


class LocationPage(BaseModel):
    items: list[LocationOut]
    next_cursor: str | None


# -- levels and movements --------------------------------------------------------------


class LevelOut(Out):
    id: str
    variant_id: str
    sku: str
    location_id: str
    location_code: str
    on_hand: int
    reserved: int
    available: int
    reorder_point: int | None
    low_alerted: bool
    updated_at: datetime


class TotalsOut(Out):
    on_hand: int
    reserved: int
    available: int


class LevelsPage(BaseModel):
    items: list[LevelOut]
    totals: TotalsOut
    next_cursor: str | None


class ReorderPointIn(In):
    reorder_point: Count | None
    """At or below this available quantity `stock.low` is published; null clears it."""


class MovementOut(Out):
    id: str
    variant_id: str
    sku: str
    location_id: str
    kind: str
    on_hand_delta: int
    reserved_delta: int
    reason: str | None
    reference: str | None
    note: str | None
    actor: str | None
    created_at: datetime


class MovementPage(BaseModel):
    items: list[MovementOut]
    next_cursor: str | None


class _NamesVariant(In):
    sku: Sku | None = None
    variant_id: Id | None = None

    @model_validator(mode="after")
    def _one_variant(self) -> Self:
        if (self.sku is None) == (self.variant_id is None):
            raise ValueError("name the variant by exactly one of sku and variant_id")
        return self


class AdjustmentIn(_NamesVariant):
    location_id: Id
    delta: Annotated[int, Field(strict=True, ge=-MAX_QUANTITY, le=MAX_QUANTITY)] | None = None
    """Units added (positive) or removed (negative); never 0."""
    counted: Count | None = None
    """What a count found: on hand is set to it (reason `count`)."""
    reason: Reason
    note: Note | None = None

    @model_validator(mode="after")
    def _delta_or_count(self) -> Self:
        if (self.delta is None) == (self.counted is None):
            raise ValueError("give exactly one of delta and counted")
        if self.delta == 0:
            raise ValueError("delta is not 0")
        if self.counted is not None and self.reason != "count":
            raise ValueError("a count (counted) has the reason 'count'")
        return self


class AdjustmentOut(BaseModel):
    movement: MovementOut
    level: LevelOut


class TransferIn(_NamesVariant):
    from_location_id: Id
    to_location_id: Id
    quantity: Quantity
    note: Note | None = None


class TransferOut(Out):
    id: str
    variant_id: str
    sku: str
    from_location_id: str
    to_location_id: str
    quantity: int
    note: str | None
    actor: str | None
    created_at: datetime
    from_level: LevelOut
    to_level: LevelOut


# -- receipts --------------------------------------------------------------------------


class ReceiptLineIn(_NamesVariant):
    quantity: Quantity


class ReceiptIn(In):
    location_id: Id
    reference: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    """The delivery's own reference (a purchase order, a delivery note); a new id if none."""
    note: Note | None = None
    lines: Annotated[list[ReceiptLineIn], Field(min_length=1, max_length=MAX_RECEIPT_LINES)]
    """Lines naming one variant are summed."""


class ReceiptLineOut(Out):
    variant_id: str
    sku: str
    quantity: int
    on_hand: int
    available: int


class ReceiptOut(Out):
    reference: str
    location_id: str
    lines: list[ReceiptLineOut]


# -- reservations ----------------------------------------------------------------------


class ReservationLineIn(In):
    variant_id: Id
    quantity: Quantity


class ReservationIn(In):
    reference: Annotated[str, Field(min_length=1, max_length=120)]
    """What the units are held for (a checkout, an order); reserving the same lines again
    is a no-op, other lines for a reference holding stock are refused (409)."""
    lines: Annotated[list[ReservationLineIn], Field(min_length=1, max_length=500)]
    ttl_seconds: Annotated[int, Field(strict=True, ge=1, le=7 * 24 * 3600)] | None = None


class ReservationOut(Out):
    id: str
    reference: str
    variant_id: str
    location_id: str
    quantity: int
    status: str
    expires_at: datetime
    created_at: datetime
    ended_at: datetime | None


class ReservationPage(BaseModel):
    items: list[ReservationOut]
    next_cursor: str | None


class ReleaseIn(In):
    reason: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")] = "released"


# -- stock feeds (inventory_sync) ------------------------------------------------------


class SyncLineIn(In):
    sku: Sku
    on_hand: Count


class SyncIn(In):
    location_id: Id
    source: Annotated[str, Field(min_length=1, max_length=200)]
    """Which system the feed came from (a WMS name, a file name)."""
    lines: Annotated[list[SyncLineIn], Field(min_length=1, max_length=50_000)]


class RejectedLineOut(Out):
    sku: str
    reason: str


class DiscrepancyOut(Out):
    id: str
    run_id: str
    variant_id: str
    sku: str
    location_id: str
    system_on_hand: int
    feed_on_hand: int
    status: str
    decided_by: str | None
    decided_at: datetime | None
    created_at: datetime


class DiscrepancyPage(BaseModel):
    items: list[DiscrepancyOut]
    next_cursor: str | None


class SyncRunOut(Out):
    id: str
    location_id: str
    source: str
    lines: int
    in_sync: int
    applied: int
    held: int
    rejected: int
    created_at: datetime
    held_lines: list[DiscrepancyOut]
    rejected_lines: list[RejectedLineOut]


CSV_HEADER = ["sku", "on_hand"]
_INTEGER = re.compile(r"-?[0-9]+")
"""ASCII digits only: `str.isdigit` also admits superscripts such as U+00B2 (which `int`
refuses: a 500) and other scripts' digits such as U+0663 or the fullwidth U+FF13 (which `int`
silently reads), none of which a warehouse export means as a count."""


def feed_from_json(body: bytes) -> SyncIn:
    """A JSON feed; errors are answered like any request body's (422, field paths)."""
    try:
        return SyncIn.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(_located(exc.errors(), ("body",))) from None


def feed_from_csv(body: bytes, *, location_id: str | None, source: str | None) -> SyncIn:
    """A `text/csv` feed: a `sku,on_hand` header, then one line per SKU; the location and
    source come from the query string."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid(("body",), "the CSV is not UTF-8 text", "csv_encoding") from None
    rows = list(csv.reader(io.StringIO(text)))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if header != CSV_HEADER:
        raise _invalid(("body", "header"), "the first line is 'sku,on_hand'", "csv_header")
    lines: list[dict[str, Any]] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != 2:
            raise _invalid(("body", f"line {number}"), "expected two columns", "csv_columns")
        sku, on_hand = cells[0].strip(), cells[1].strip()
        where = ("body", f"line {number}", "on_hand")
        if _INTEGER.fullmatch(on_hand) is None:
            raise _invalid(where, "not an integer", "int_type")
        if len(on_hand) > 12:
            raise _invalid(where, f"at most {MAX_QUANTITY}", "less_than_equal")
        lines.append({"sku": sku, "on_hand": int(on_hand)})
    try:
        return SyncIn.model_validate({"location_id": location_id, "source": source, "lines": lines})
    except ValidationError as exc:
        errors = _located(exc.errors(), ())
        for error in errors:  # report the CSV's line numbers, not list indexes
            loc = list(error["loc"])
            if len(loc) > 1 and loc[0] == "lines" and isinstance(loc[1], int):
                loc[:2] = ["body", f"line {loc[1] + 2}"]
            elif loc and loc[0] in ("location_id", "source"):
                loc.insert(0, "query")
            error["loc"] = tuple(loc)
        raise RequestValidationError(errors) from None


def _located(errors: Any, prefix: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{**e, "loc": (*prefix, *e["loc"])} for e in errors]


def _invalid(loc: tuple[str, ...], message: str, kind: str) -> RequestValidationError:
    return RequestValidationError([{"loc": loc, "msg": message, "type": kind}])
