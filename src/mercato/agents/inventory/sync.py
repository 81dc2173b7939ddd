"""The inventory_sync workflow: a warehouse's stock feed is fetched (given to `sync_feed`),
compared with the system line by line, and applied where it differs by at most the
threshold; a larger difference waits for a person (BR019) as a pending `SyncDiscrepancy`,
approved or rejected with `decide`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from mercato.agents.catalog import service as catalog
from mercato.agents.inventory import events, stock
from mercato.agents.inventory.errors import (
    DiscrepancyAlreadyDecided,
    DiscrepancyNotFound,
    FeedBelowReserved,
    InvalidStockRequest,
    StockBusy,
    StockMovedSinceFeed,
)
from mercato.agents.inventory.locations import get_location
from mercato.agents.inventory.models import SyncDiscrepancy, SyncRun
from mercato.agents.inventory.statuses import DiscrepancyStatus
from mercato.kernel import paging, rules
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

MAX_FEED_LINES = 50_000
Outcome = Literal["in_sync", "applied", "held"]


@dataclass(frozen=True)
class RejectedLine:
    sku: str
    reason: str  # unknown_sku | duplicate_sku


@dataclass(frozen=True)
class SyncOutcome:
    run: SyncRun
    held: list[SyncDiscrepancy]
    rejected: list[RejectedLine]


@dataclass(frozen=True)
class _Line:
    variant_id: str
    sku: str
    feed: int


async def sync_feed(
    uow: UnitOfWork,
    *,
    location_id: str,
    source: str,
    lines: Sequence[tuple[str, int]],
    now: datetime,
    actor: str | None = None,
    threshold: Decimal | None = None,
) -> SyncOutcome:
    """Compare a feed of (SKU, on hand) for one location with the system, line by line:
    equal lines are in sync; a difference of at most `threshold` (default: the store's
    `uow.settings.inventory_sync_threshold`, 10 % unless configured) of the system's count
    is applied as a `sync` movement; a larger one, or one below the units reserved, is held
    for review (BR019, `stock.sync_held`); an unknown or repeated SKU is rejected. A newer
    feed line supersedes the location's pending discrepancies for that variant."""
    _check_feed(source, lines)
    await get_location(uow, location_id)
    limit = uow.settings.inventory_sync_threshold if threshold is None else threshold
    run = SyncRun(id=new_id(), location_id=location_id, source=source, created_at=now)
    uow.session.add(run)
    known = await catalog.variant_ids_for_skus(uow, [sku for sku, _ in lines])
    rejected: list[RejectedLine] = []
    todo: list[_Line] = []
    seen: set[str] = set()
    for sku, feed in lines:
        if sku in seen:
            rejected.append(RejectedLine(sku, "duplicate_sku"))
        elif sku not in known:
            rejected.append(RejectedLine(sku, "unknown_sku"))
        else:
            todo.append(_Line(known[sku], sku, feed))
        seen.add(sku)
    stale = await _pending(uow, location_id, [line.variant_id for line in todo])
    counts: dict[Outcome, int] = defaultdict(int)
    held: list[SyncDiscrepancy] = []
    for line in sorted(todo, key=lambda item: item.variant_id):  # the rows' lock order
        for older in stale.get(line.variant_id, []):
            await _decide_once(
                uow, older, DiscrepancyStatus.SUPERSEDED, actor=f"sync:{run.id}", now=now
            )
        outcome = await _compare(uow, run, line, limit=limit, actor=actor, now=now)
        if isinstance(outcome, SyncDiscrepancy):
            held.append(outcome)
            counts["held"] += 1
        else:
            counts[outcome] += 1
    run.lines = len(lines)
    run.in_sync, run.applied, run.held = counts["in_sync"], counts["applied"], counts["held"]
    run.rejected = len(rejected)
    await uow.session.flush()
    return SyncOutcome(run, held, rejected)


def _check_feed(source: str, lines: Sequence[tuple[str, int]]) -> None:
    if not 1 <= len(source) <= 200:
        raise InvalidStockRequest("a feed's source has 1 to 200 characters")
    if not 1 <= len(lines) <= MAX_FEED_LINES:
        raise InvalidStockRequest(f"a feed has 1 to {MAX_FEED_LINES} lines")
    for sku, on_hand in lines:
        if not 1 <= len(sku) <= 64:
            raise InvalidStockRequest("a SKU has 1 to 64 characters")
        if not 0 <= on_hand <= stock.MAX_QUANTITY:
            raise InvalidStockRequest(f"a feed's on hand is between 0 and {stock.MAX_QUANTITY}")


async def _compare(
    uow: UnitOfWork,
    run: SyncRun,
    line: _Line,
    *,
    limit: Decimal,
    actor: str | None,
    now: datetime,
) -> Literal["in_sync", "applied"] | SyncDiscrepancy:
    row = await stock.find(uow, variant_id=line.variant_id, location_id=run.location_id)
    for _ in range(stock.RETRIES):
        system = row.on_hand if row is not None else 0
        if line.feed == system:
            return "in_sync"
        small = await rules.holds(
            "BR019", system_on_hand=system, feed_on_hand=line.feed, threshold=limit
        )
        if not small:
            return _hold(uow, run, line, system, now)
        if row is None:  # a store whose threshold admits new stock from a feed
            row = await stock.ensure(
                uow, variant_id=line.variant_id, sku=line.sku, location_id=run.location_id,
                now=now,
            )  # fmt: skip
        if row.reserved > line.feed:  # never applied below what is promised to buyers
            return _hold(uow, run, line, system, now)
        changed = await stock.set_on_hand(uow, row.id, expected=system, target=line.feed, now=now)
        if changed is not None:
            await _applied(uow, changed, line.feed - system, run.id, run.source, actor, now)
            return "applied"
        row = await stock.read(uow, row.id)  # moved since it was read: compare again
    raise StockBusy(f"the stock of {line.sku} kept changing during the sync")


def _hold(
    uow: UnitOfWork, run: SyncRun, line: _Line, system: int, now: datetime
) -> SyncDiscrepancy:
    discrepancy = SyncDiscrepancy(
        id=new_id(),
        run_id=run.id,
        variant_id=line.variant_id,
        sku=line.sku,
        location_id=run.location_id,
        system_on_hand=system,
        feed_on_hand=line.feed,
        status=DiscrepancyStatus.PENDING,
        created_at=now,
    )
    uow.session.add(discrepancy)
    uow.publish(
        events.StockSyncHeld(
            discrepancy_id=discrepancy.id,
            variant_id=line.variant_id,
            sku=line.sku,
            location_id=run.location_id,
            system_on_hand=system,
            feed_on_hand=line.feed,
        ),
        aggregate_id=line.variant_id,
    )
    return discrepancy


async def _applied(
    uow: UnitOfWork,
    row: stock.Row,
    delta: int,
    reference: str,
    note: str,
    actor: str | None,
    now: datetime,
) -> None:
    """The ledger line, event and low-stock check of a feed value written to a row."""
    stock.record(
        uow,
        row,
        kind="sync",
        on_hand_delta=delta,
        reason="sync",
        reference=reference,
        note=note,
        actor=actor,
        now=now,
    )
    if delta:
        uow.publish(
            events.StockAdjusted(
                variant_id=row.variant_id,
                sku=row.sku,
                location_id=row.location_id,
                quantity=delta,
                reason="sync",
                on_hand=row.on_hand,
            ),
            aggregate_id=row.variant_id,
        )
    await stock.watch_low(uow, row, now)


async def _pending(
    uow: UnitOfWork, location_id: str, variant_ids: list[str]
) -> dict[str, list[SyncDiscrepancy]]:
    if not variant_ids:
        return {}
    found = await uow.session.scalars(
        select(SyncDiscrepancy).where(
            SyncDiscrepancy.location_id == location_id,
            SyncDiscrepancy.status == DiscrepancyStatus.PENDING,
            SyncDiscrepancy.variant_id.in_(variant_ids),
        )
    )
    by_variant: dict[str, list[SyncDiscrepancy]] = defaultdict(list)
    for discrepancy in found:
        by_variant[discrepancy.variant_id].append(discrepancy)
    return by_variant


async def _decide_once(
    uow: UnitOfWork,
    discrepancy: SyncDiscrepancy,
    status: DiscrepancyStatus,
    *,
    actor: str | None,
    now: datetime,
) -> bool:
    """Claim a pending discrepancy (a conditional UPDATE): False if it was decided already."""
    claimed = await uow.session.execute(
        update(SyncDiscrepancy)
        .where(
            SyncDiscrepancy.id == discrepancy.id,
            SyncDiscrepancy.status == DiscrepancyStatus.PENDING,
        )
        .values(status=status, decided_by=actor, decided_at=now)
        .returning(SyncDiscrepancy.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.first() is None:
        return False
    for field, value in (("status", status), ("decided_by", actor), ("decided_at", now)):
        set_committed_value(discrepancy, field, value)
    return True


async def decide(
    uow: UnitOfWork,
    *,
    discrepancy_id: str,
    approve: bool,
    actor: str | None = None,
    now: datetime,
) -> SyncDiscrepancy:
    """A person's review of a held feed line. Approving sets the row's on hand to the feed's
    value, only if the row still holds the on hand the feed was compared with (a
    compare-and-set: 409 `stock_moved_since_feed` once units shipped or were counted since,
    as the feed's count would then invent or lose stock) and never below the units reserved
    (409 `feed_below_reserved`); a refused approval leaves the line pending. Rejecting leaves
    the stock as it is. A discrepancy is decided once (409 `discrepancy_already_decided`)."""
    discrepancy = await uow.session.get(SyncDiscrepancy, discrepancy_id)
    if discrepancy is None:
        raise DiscrepancyNotFound(f"no sync discrepancy {discrepancy_id!r}")
    async with stock.atomic(uow):
        status = DiscrepancyStatus.APPROVED if approve else DiscrepancyStatus.REJECTED
        if not await _decide_once(uow, discrepancy, status, actor=actor, now=now):
            raise DiscrepancyAlreadyDecided(
                f"the discrepancy was already {discrepancy.status}", decision=discrepancy.status
            )
        if approve:
            row, delta = await _apply_feed(uow, discrepancy, now)
    if approve:
        await _applied(uow, row, delta, discrepancy.run_id, "approved review", actor, now)
    return discrepancy


async def _apply_feed(
    uow: UnitOfWork, discrepancy: SyncDiscrepancy, now: datetime
) -> tuple[stock.Row, int]:
    """on_hand: system_on_hand → feed_on_hand, or a problem. Reservations made since the feed
    do not move on hand (the units are still there), so they do not stale it."""
    feed, system = discrepancy.feed_on_hand, discrepancy.system_on_hand
    current: stock.Row | None = await stock.ensure(
        uow,
        variant_id=discrepancy.variant_id,
        sku=discrepancy.sku,
        location_id=discrepancy.location_id,
        now=now,
    )
    for _ in range(stock.RETRIES):
        if current is None:
            break
        if current.on_hand != system:
            raise StockMovedSinceFeed(
                f"on hand is {current.on_hand}, not the {system} the feed was compared with: "
                "count again or send a new feed",
                system_on_hand=system,
                on_hand=current.on_hand,
                feed_on_hand=feed,
            )
        if current.reserved > feed:
            raise FeedBelowReserved(
                f"{current.reserved} units are reserved here, more than the feed's {feed}",
                reserved=current.reserved,
            )
        changed = await stock.set_on_hand(uow, current.id, expected=system, target=feed, now=now)
        if changed is not None:
            return changed, feed - system
        current = await stock.read(uow, current.id)  # moved since it was read: check again
    raise StockBusy("the stock row kept changing: decide again")


async def discrepancies(
    uow: UnitOfWork,
    *,
    status: DiscrepancyStatus | None = None,
    location_id: str | None = None,
    after: tuple[datetime, str] | None = None,
    limit: int = 200,
) -> list[SyncDiscrepancy]:
    """Discrepancies, newest first: those after the (created_at, id) key `after`."""
    order = (SyncDiscrepancy.created_at, SyncDiscrepancy.id)
    query = (
        select(SyncDiscrepancy)
        .where(paging.beyond(order, after, descending=True))
        .order_by(*(column.desc() for column in order))
    )
    if status is not None:
        query = query.where(SyncDiscrepancy.status == status)
    if location_id is not None:
        query = query.where(SyncDiscrepancy.location_id == location_id)
    return list(await uow.session.scalars(query.limit(limit)))
