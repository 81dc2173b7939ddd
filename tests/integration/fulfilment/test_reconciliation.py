"""Issue 18's reconciliation property: after random sequences of orders (guests' and signed-in
customers', with a discount code, spending store credit), partial shipments from two
warehouses, deliveries, cancellations (BR006: refused once a part has shipped), returns
(partial, with missing and opened or damaged items) refunded to the card, to store credit or
by an exchange, the store's database reconciles with the orders:

- stock: each stock row's on_hand and reserved are its ledger's sums, never below zero held;
  each variant's on_hand is the opening stock less the units shipped plus the units restocked
  (each restocked return line once in the ledger), its reserved the units ordered and not
  shipped of the orders not cancelled;
- payments: each order's Σ (captured - refunded) is what its shipped units were charged (the
  total less the credit spent once all shipped) less what its returns refunded to the card;
- store credit: each balance is the sum of its entries, and what returns gave less what
  checkouts spent plus what cancellations gave back;
- units: no line shipped more than ordered, delivered more than shipped, returned more than
  delivered; each count and each shipment's and return's state is what was done.

The expected figures come from `model.Books`, written from the issue's rules, not from
Mercato's code. The sequences share one store, so the figures are checked (every CHECK_EVERY
sequences, with work in flight and again once it is finished) as history piles up. 1,000
sequences of the same model run against the orders' and returns' own arithmetic in
tests/unit/orders/test_reconciliation_model.py; here, through the real app and database, as
many as the suite's time affords (SQLITE_SEQUENCES, POSTGRES_SEQUENCES), and 1,000 on each
backend on demand:

    MERCATO_RECONCILIATION_SEQUENCES=1000 scripts/test tests/integration/fulfilment

(docs/reconciliation.md records such runs).
"""

from __future__ import annotations

import asyncio
import os
import warnings
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mercato.agents.inventory.models import Movement, Reservation, StockLevel
from mercato.agents.inventory.statuses import HOLDING
from mercato.agents.orders.models import Order, OrderLine
from mercato.agents.payments.models import Payment
from mercato.agents.payments.statuses import PaymentStatus
from mercato.agents.returns.models import CreditAccount, CreditEntry, Return, ReturnLine
from mercato.agents.shipping.models import Shipment
from mercato.kernel.bus.models import DeadLetter
from mercato.kernel.context import bind
from mercato.kernel.saga_definitions import SagaStatus
from mercato.kernel.saga_models import SagaInstance
from tests.conftest import needs_pg
from tests.integration.fulfilment.conftest import Fulfilment
from tests.support.store import settle

CHECK_EVERY = 20
"""Sequences between two reconciliations (the last sequence of a run is always one)."""
ASKED = int(os.environ.get("MERCATO_RECONCILIATION_SEQUENCES") or 0)
SQLITE_SEQUENCES = ASKED or 200
POSTGRES_SEQUENCES = ASKED or 60
assert SQLITE_SEQUENCES % CHECK_EVERY == POSTGRES_SEQUENCES % CHECK_EVERY == 0, CHECK_EVERY


def _time_for(sequences: int) -> int:
    """Seconds a run may take: ~0.3 s a sequence on a quiet machine, x4 for a loaded CI."""
    return 120 + int(sequences * 1.2)


ZERO = Decimal(0)

pick = st.integers(0, 1000)
seeds = st.lists(st.integers(0, 1000), min_size=1, max_size=4)
ORDER = st.tuples(
    st.just("order"),
    st.lists(st.tuples(st.integers(0, 3), st.integers(1, 3)), min_size=1, max_size=3),
    st.booleans(),  # the discount code
    st.sampled_from([0, 1, 1, 2, 2]),  # a guest, or one of the two customers
    st.sampled_from([True, True, False]),  # spend the customer's store credit
)
SHIPMENT = st.tuples(st.just("shipment"), pick, seeds, pick)
STEP = st.one_of(  # orders and shipments more often: there is then something to return
    ORDER,
    ORDER,
    SHIPMENT,
    SHIPMENT,
    st.tuples(st.just("ship"), pick),
    st.tuples(st.just("ship"), pick),
    st.tuples(st.just("deliver"), pick),
    st.tuples(st.just("deliver"), pick),
    st.tuples(st.just("cancel"), pick),
    st.tuples(st.just("return"), pick, seeds, pick, st.booleans()),
    st.tuples(st.just("return"), pick, seeds, pick, st.booleans()),
    st.tuples(st.just("receive"), pick, seeds, pick),
    st.tuples(st.just("inspect"), pick, seeds),
    st.tuples(st.just("refund"), pick, st.integers(0, 3)),
)
STEPS = st.lists(STEP, min_size=2, max_size=8)
FINISH = st.tuples(st.integers(0, 2), seeds, st.integers(0, 3))


async def run(fulfilment: Fulfilment, step: tuple[Any, ...]) -> None:
    kind, *args = step
    if kind == "order":
        items, code, who, credit = args
        await fulfilment.place(items, code=code, who=who, use_credit=credit)
    elif kind == "shipment":
        await fulfilment.make_shipment(*args)
    elif kind == "ship":
        await fulfilment.ship(*args)
    elif kind == "deliver":
        await fulfilment.deliver(*args)
    elif kind == "cancel":
        await fulfilment.cancel(*args)
    elif kind == "return":
        await fulfilment.ask(*args)
    elif kind == "receive":
        await fulfilment.receive(*args)
    elif kind == "inspect":
        await fulfilment.inspect(*args)
    else:
        which, method = args
        await fulfilment.refund(which, to_credit=method == 0)  # now and then to credit


async def complete(fulfilment: Fulfilment, finish: tuple[int, list[int], int]) -> None:
    """Ship, deliver, return, receive, inspect and refund what is under way (`finish`: the
    resolution, the seeds of what comes back and in which condition, whether to credit), so
    every check comes after something was returned and refunded."""
    resolution, drawn, method = finish
    for _ in range(len(fulfilment.ready())):
        await fulfilment.ship(0)
    for _ in range(len(fulfilment.sent())):
        await fulfilment.deliver(0)
    await fulfilment.ask(method, drawn, resolution, bool(method % 2))
    for m in range(len(fulfilment.open_returns())):
        await fulfilment.receive(0, drawn[m:] + drawn[:m], m)
        await fulfilment.inspect(0, drawn[m:] + drawn[:m])
        await fulfilment.refund(0, to_credit=(method + m) % 4 == 0)


# -- the invariants -------------------------------------------------------------------------


async def reconcile(fulfilment: Fulfilment) -> list[str]:
    """What does not reconcile once the store is quiet (empty: everything does), each naming
    what and where, then what was still under way.

    The outbox drained is not always quiet: a saga, a payment whose gateway answer is awaited
    or a handler between two retries can still move the figures, so a first mismatch is
    checked again once nothing is under way (or QUIET_WITHIN has passed)."""
    wrong = await _mismatches(fulfilment)
    if not wrong:
        return []
    busy = await _under_way(fulfilment)
    deadline = asyncio.get_running_loop().time() + QUIET_WITHIN
    while busy and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.2)
        busy = await _under_way(fulfilment)
    again = await _mismatches(fulfilment)
    if not again:
        event("reconciled once the store was quiet")
        # not a failure, but worth seeing in the run's summary: what the first look found
        warnings.warn(f"reconciled only once quiet; first seen: {wrong[:3]}", stacklevel=1)
        return []
    return [*again, "under way: " + (", ".join(busy) or "nothing")]


QUIET_WITHIN = 30.0
"""Seconds a mismatch may wait for the store to be quiet before it is reported."""


async def _under_way(fulfilment: Fulfilment) -> list[str]:
    """Work that can still change the figures: events not yet handled, sagas not ended,
    payments whose outcome is not known."""
    kernel = fulfilment.shop.kernel
    busy = []
    if pending := await kernel.relay.pending():
        busy.append(f"{pending} events")
    with bind(tenant_id="default"):
        async with kernel.uow(writes=False) as uow:
            s = uow.session
            for saga in await s.scalars(
                select(SagaInstance).where(
                    SagaInstance.status.in_((SagaStatus.RUNNING, SagaStatus.COMPENSATING))
                )
            ):
                busy.append(f"saga {saga.saga} {saga.id} {saga.status} at step {saga.step}")
            for payment in await s.scalars(
                select(Payment).where(
                    Payment.status.in_((PaymentStatus.UNKNOWN, PaymentStatus.VOID_PENDING))
                )
            ):
                name = fulfilment.name(payment.order_id)
                busy.append(f"payment {payment.id} of {name}: {payment.status}")
    return busy


async def _mismatches(fulfilment: Fulfilment) -> list[str]:
    await settle(fulfilment.shop.kernel)
    wrong: list[str] = []
    with bind(tenant_id="default"):
        async with fulfilment.shop.kernel.uow(writes=False) as uow:
            s = uow.session
            wrong += await _units(fulfilment, s)
            wrong += await _payments(fulfilment, s)
            wrong += await _credit(fulfilment, s)
            wrong += await _stock(fulfilment, s)
            wrong += await _returns(fulfilment, s)
            wrong += await _dead_letters(s)
    return wrong


async def _dead_letters(s: Any) -> list[str]:
    """A handler that gave up (a capture, a release, a restock) leaves the books behind: name
    it and its error rather than only the figures that then differ."""
    return [
        f"dead letter: {row.handler} on {row.event_type} after {row.attempts} attempts: "
        f"{row.error[:300]}"
        for row in await s.scalars(select(DeadLetter))
    ]


async def _units(f: Fulfilment, s: Any) -> list[str]:
    wrong = []
    orders = {o.id: o for o in await s.scalars(select(Order))}
    for line in await s.scalars(select(OrderLine)):
        name = f.name(line.order_id)
        counts = (line.quantity, line.shipped_quantity, line.delivered_quantity)
        if not line.quantity >= line.shipped_quantity >= line.delivered_quantity:
            wrong.append(f"{name} line {line.id}: quantity/shipped/delivered {counts}")
        if line.returned_quantity > line.delivered_quantity:
            wrong.append(f"{name} line {line.id}: returned {line.returned_quantity} > delivered")
        book = f.books.orders.get(line.order_id)
        if book is None:
            continue
        model = book.lines[line.id]
        seen = (line.shipped_quantity, line.delivered_quantity, line.returned_quantity)
        if seen != (model.shipped, model.delivered, model.returned):
            wrong.append(
                f"{name} line {line.id}: shipped/delivered/returned {seen}, the books say "
                f"{(model.shipped, model.delivered, model.returned)}"
            )
    for order_id, book in f.books.orders.items():
        if (orders[order_id].status == "cancelled") != book.cancelled:
            wrong.append(
                f"{f.name(order_id)}: {orders[order_id].status}, cancelled={book.cancelled}"
            )
    for shipment in await s.scalars(select(Shipment).where(Shipment.kind == "outbound")):
        parcel = f.parcels.get(shipment.id)
        if parcel is not None and shipment.status != parcel.status:
            wrong.append(
                f"{f.name(parcel.order_id)} shipment {shipment.id}: {shipment.status}, the books "
                f"say {parcel.status}"
            )
    return wrong


async def _payments(f: Fulfilment, s: Any) -> list[str]:
    wrong = []
    held: dict[str, Decimal] = defaultdict(Decimal)
    for payment in await s.scalars(select(Payment)):
        held[payment.order_id] += payment.captured_amount - payment.refunded_amount
        if payment.refunded_amount > payment.captured_amount:
            wrong.append(f"{f.name(payment.order_id)}: payment {payment.id} refunded > captured")
    for order_id, book in f.books.orders.items():
        if held.get(order_id, ZERO) != book.held():
            wrong.append(
                f"{f.name(order_id)}: payments hold (captured - refunded) "
                f"{held.get(order_id, ZERO)}, the books say {book.held()} (charged "
                f"{book.charged()} for the units shipped, credit {book.credit}, refunded "
                f"{book.refunded}, cancelled={book.cancelled})"
            )
    return wrong


async def _credit(f: Fulfilment, s: Any) -> list[str]:
    wrong = []
    entries: dict[str, Decimal] = defaultdict(Decimal)
    for entry in await s.scalars(select(CreditEntry)):
        entries[entry.owner] += entry.amount
    balances = {a.owner: a.balance for a in await s.scalars(select(CreditAccount))}
    for owner, balance in balances.items():
        if balance != entries.get(owner, ZERO) or balance < 0:
            wrong.append(f"store credit of {owner}: balance {balance}, entries {entries[owner]}")
    for owner in {*balances, *f.books.credit}:
        if balances.get(owner, ZERO) != f.books.credit.get(owner, ZERO):
            wrong.append(
                f"store credit of {owner}: {balances.get(owner, ZERO)}, the books say "
                f"{f.books.credit.get(owner, ZERO)} (returns to credit - spent + given back)"
            )
    return wrong


async def _stock(f: Fulfilment, s: Any) -> list[str]:
    wrong = []
    ledger = {
        (v, loc): (int(on_hand), int(reserved))
        for v, loc, on_hand, reserved in await s.execute(
            select(
                Movement.variant_id,
                Movement.location_id,
                func.sum(Movement.on_hand_delta),
                func.sum(Movement.reserved_delta),
            ).group_by(Movement.variant_id, Movement.location_id)
        )
    }
    holds = {
        (v, loc): int(n)
        for v, loc, n in await s.execute(
            select(Reservation.variant_id, Reservation.location_id, func.sum(Reservation.quantity))
            .where(Reservation.status.in_(HOLDING))
            .group_by(Reservation.variant_id, Reservation.location_id)
        )
    }
    on_hand: dict[str, int] = defaultdict(int)
    reserved: dict[str, int] = defaultdict(int)
    for row in await s.scalars(select(StockLevel)):
        key = (row.variant_id, row.location_id)
        where = f"stock of {row.sku} at {row.location_id}"
        if (row.on_hand, row.reserved) != ledger.get(key, (0, 0)):
            wrong.append(
                f"{where}: on_hand/reserved {row.on_hand}/{row.reserved}, ledger {ledger.get(key)}"
            )
        if row.reserved != holds.get(key, 0):
            wrong.append(f"{where}: reserved {row.reserved}, reservations hold {holds.get(key, 0)}")
        if row.on_hand - row.reserved < 0:
            wrong.append(f"{where}: on_hand {row.on_hand} < reserved {row.reserved}")
        on_hand[row.variant_id] += row.on_hand
        reserved[row.variant_id] += row.reserved
    for variant in f.variants:
        expected = (f.books.on_hand(variant), f.books.reserved(variant))
        if (on_hand[variant], reserved[variant]) != expected:
            wrong.append(
                f"stock of variant {variant}: on_hand/reserved {on_hand[variant]}/"
                f"{reserved[variant]}, the orders say {expected[0]}/{expected[1]} (opening - "
                "shipped + restocked / ordered - shipped of orders not cancelled)"
            )
    return wrong


async def _returns(f: Fulfilment, s: Any) -> list[str]:
    wrong = []
    rows = {r.id: r for r in await s.scalars(select(Return))}
    restocks: dict[str, list[int]] = defaultdict(list)
    for note, delta in await s.execute(
        select(Movement.note, Movement.on_hand_delta).where(Movement.reason == "returned")
    ):
        restocks[note or ""].append(delta)
    lines: dict[str, list[ReturnLine]] = defaultdict(list)
    for line in await s.scalars(select(ReturnLine)):
        lines[line.return_id].append(line)
    for return_id, book in f.books.returns.items():
        row = rows[return_id]
        name = f"{f.name(book.order_id)} return {row.number}"
        if row.status != book.status and (book.status, row.status) != ("requested", "approved"):
            wrong.append(f"{name}: {row.status}, the books say {book.status}")
        if book.status != "refunded":
            continue
        seen = (row.refund_amount, row.refunded_to_payment, row.refunded_to_credit)
        if seen != (book.amount, book.to_payment, book.to_credit):
            wrong.append(
                f"{name}: refunded/to payment/to credit {seen}, the books say "
                f"{(book.amount, book.to_payment, book.to_credit)}"
            )
        expected = sorted(
            line.received_quantity
            for line in lines[return_id]
            if line.received_quantity and book.restock[line.order_line_id]
        )
        if sorted(restocks.get(f"return {row.number}", [])) != expected:
            wrong.append(
                f"{name}: restocked {restocks.get(f'return {row.number}')} in the ledger, "
                f"received to restock {expected} (each line once)"
            )
    return wrong


# -- the property ---------------------------------------------------------------------------


async def reconciles_after(
    fulfilment: Fulfilment, steps: list[tuple[Any, ...]], finish: tuple[int, list[int], int]
) -> None:
    # given the store as the sequences before left it
    fulfilment.sequences += 1
    fulfilment.log.append(f"-- sequence {fulfilment.sequences}: {len(steps)} steps")
    # when the sequence runs
    for step in steps:
        await run(fulfilment, step)
    if fulfilment.sequences % CHECK_EVERY:
        return
    # then (every CHECK_EVERY sequences, with what they left under way, and again once that
    # is shipped, delivered, returned and refunded) stock, payments, store credit and the
    # orders' units reconcile
    wrong = await reconcile(fulfilment)
    assert not wrong, "\n".join(wrong) + "\n" + fulfilment.story()
    await complete(fulfilment, finish)
    wrong = await reconcile(fulfilment)
    assert not wrong, "\n".join(wrong) + "\n" + fulfilment.story()


SETTINGS = hypothesis_settings(
    deadline=None,
    derandomize=True,  # the same sequences on every run (CI is reproducible)
    database=None,
    # no shrinking: the examples share one store, so a smaller sequence would not replay
    # the failure; the message names the order, the invariant and the steps before it
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.timeout(_time_for(SQLITE_SEQUENCES))
@pytest.mark.business_rule("BR006")
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@hypothesis_settings(SETTINGS, max_examples=SQLITE_SEQUENCES)
@given(steps=STEPS, finish=FINISH)
async def test_stock_payments_and_credit_reconcile_with_the_orders_on_sqlite(
    fulfilment: Fulfilment, steps: list[tuple[Any, ...]], finish: tuple[int, list[int], int]
) -> None:
    await reconciles_after(fulfilment, steps, finish)


@pytest.mark.timeout(_time_for(POSTGRES_SEQUENCES))
@pytest.mark.business_rule("BR006")
@pytest.mark.postgres
@needs_pg
@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
@hypothesis_settings(SETTINGS, max_examples=POSTGRES_SEQUENCES)
@given(steps=STEPS, finish=FINISH)
async def test_stock_payments_and_credit_reconcile_with_the_orders_on_postgres(
    fulfilment: Fulfilment, steps: list[tuple[Any, ...]], finish: tuple[int, list[int], int]
) -> None:
    await reconciles_after(fulfilment, steps, finish)
