"""Placing an order from a validated cart: lines and totals copied, a human number unique
per store and year even under concurrency, the date fixed once (EC012), BR005 and BR002."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from mercato.agents.cart.service import CartView
from mercato.agents.orders import service as orders
from mercato.agents.orders.models import Order
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.rules import RuleViolated
from tests.integration.orders.conftest import ADDRESS, OrdersShop


async def test_an_order_copies_the_carts_lines_and_totals(shop: OrdersShop) -> None:
    # given a cart of 2 x 12.50 (shipping 5.00 under the free threshold)
    product = await shop.product("12.50")
    # when it is ordered
    placed = await shop.order([(product.variant_id, 2)], confirm=False)
    # then the order is pending, numbered, priced as the cart was, its line copied
    order = await shop.read(placed.id)
    assert (order["status"], order["payment_status"], order["review"]) == (
        "pending",
        "pending",
        None,
    )
    assert order["number"] == placed.number
    assert placed.number.startswith(f"ORD-{datetime.now(UTC).year}-")
    assert (order["subtotal"], order["shipping_total"], order["total"]) == (
        "25.00",
        "5.00",
        "30.00",
    )
    [line] = order["lines"]
    assert (line["sku"], line["quantity"], line["unit_price"], line["line_total"]) == (
        product.sku,
        2,
        "12.50",
        "25.00",
    )
    assert order["shipping_address"]["city"] == "Springfield"
    assert [e["kind"] for e in order["timeline"]] == ["placed"]
    [event] = await shop.order_events("order.placed", placed.id)
    assert (event["number"], event["total"]) == (placed.number, "30.00")


async def test_an_order_names_its_amounts_as_its_cart_did(shop: OrdersShop) -> None:
    # given a cart of 2 x 12.50, ordered
    product = await shop.product("12.50")
    placed = await shop.order([(product.variant_id, 2)], confirm=False)
    # when the order is read
    order = await shop.read(placed.id)
    # then its amounts have the cart's names and values, and no other names
    amounts = ("subtotal", "discount_total", "tax_total", "shipping_total", "total", "currency")
    assert {name: order[name] for name in amounts} == {name: placed.cart[name] for name in amounts}
    assert not {"discount", "tax", "shipping"} & order.keys()


async def test_placing_twice_with_one_order_id_returns_the_first_order(shop: OrdersShop) -> None:
    product = await shop.product("10.00")
    placed = await shop.order([(product.variant_id, 1)], confirm=False)
    view = await shop.view(placed.cart, placed.owner)
    with bind(tenant_id="default"):
        async with shop.kernel.uow() as uow:
            again = await orders.place(
                uow,
                order_id=placed.id,
                checkout_id=new_id(),
                cart=view,
                customer_id=placed.owner.id,
                session_id=None,
                email="other@example.com",
                shipping_address=ADDRESS,
                billing_address=None,
                placed_at=shop.now(),
            )
            await uow.commit()
    assert (again.id, again.number) == (placed.id, placed.number)
    assert len(await shop.order_events("order.placed", placed.id)) == 1


async def test_twenty_concurrent_placements_get_twenty_consecutive_numbers(
    shop: OrdersShop,
) -> None:
    # given one validated cart
    view, customer_id = await _validated_cart(shop)

    async def place() -> str:
        with bind(tenant_id="default"):
            return await _place_and_commit(shop, view, customer_id)

    # when 20 orders are placed at once
    numbers = await asyncio.gather(*(place() for _ in range(20)))
    # then each has its own number, and together they are 1..20 of the year
    year = shop.now().year
    assert sorted(numbers) == [f"ORD-{year}-{n:07d}" for n in range(1, 21)]


async def test_an_open_placement_does_not_hold_up_the_next_placements_number(
    shop: OrdersShop,
) -> None:
    if shop.kernel.db.is_sqlite:
        pytest.skip("SQLite serializes writers: placements queue by design")
    # given one validated cart
    view, customer_id = await _validated_cart(shop)

    with bind(tenant_id="default"):
        async with shop.kernel.uow() as first:
            # when a placement's transaction is still open
            held = await _place(first, shop, view, customer_id)
            # then another placement gets its number and commits meanwhile
            second = await asyncio.wait_for(_place_and_commit(shop, view, customer_id), timeout=10)
            await first.commit()
    year = shop.now().year
    assert (held, second) == (f"ORD-{year}-0000001", f"ORD-{year}-0000002")


@pytest.mark.edge_case("EC012")
async def test_ec012_an_order_placed_at_the_last_instant_of_the_year_keeps_that_year(
    shop: OrdersShop,
) -> None:
    # given checkout fixed the order's time at 23:59:59.999 on 31 December (its clock)
    product = await shop.product("10.00")
    last_instant = datetime(2026, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)
    # when the order is placed (whatever the time when the statement runs)
    placed = await shop.order([(product.variant_id, 1)], confirm=False, placed_at=last_instant)
    next_year = await shop.order(
        [(product.variant_id, 1)],
        confirm=False,
        placed_at=datetime(2027, 1, 1, tzinfo=UTC),
    )
    # then its number and its placed_at both say 2026; the next year's sequence starts anew
    order = await shop.read(placed.id)
    assert placed.number == "ORD-2026-0000001"
    assert datetime.fromisoformat(order["placed_at"]) == last_instant
    assert next_year.number == "ORD-2027-0000001"


@pytest.mark.business_rule("BR005")
async def test_br005_an_order_with_items_to_ship_needs_a_shipping_address(
    shop: OrdersShop,
) -> None:
    # given a cart of a physical product
    product = await shop.product("10.00")
    # when it is ordered with no shipping address
    with pytest.raises(RuleViolated) as refused:
        await shop.order([(product.variant_id, 1)], shipping_address=None, confirm=False)
    # then BR005 refuses it (422) and no order was made
    assert (refused.value.status, refused.value.code) == (422, "br005_shipping_address_required")
    async with shop.kernel.uow(writes=False) as uow:
        count = await uow.session.scalar(
            select(func.count()).select_from(Order).execution_options(all_tenants=True)
        )
    assert count == 0


@pytest.mark.business_rule("BR005")
async def test_br005_digital_items_need_no_shipping_address(shop: OrdersShop) -> None:
    product = await shop.product("10.00", requires_shipping=False)
    placed = await shop.order([(product.variant_id, 1)], shipping_address=None, confirm=False)
    order = await shop.read(placed.id)
    assert (order["shipping_address"], order["shipping_total"], order["total"]) == (
        None,
        "0.00",
        "10.00",
    )


async def _validated_cart(shop: OrdersShop) -> tuple[CartView, str]:
    """A customer's cart of one 10.00 product, validated; and the customer's id."""
    product = await shop.product("10.00")
    headers = await shop.customer()
    cart = await shop.added(await shop.cart(headers), headers, product.variant_id, 1)
    owner = await shop.owner(cart)
    return await shop.view(cart, owner), owner.id


async def _place_and_commit(shop: OrdersShop, view: CartView, customer_id: str) -> str:
    async with shop.kernel.uow() as uow:
        number = await _place(uow, shop, view, customer_id)
        await uow.commit()
        return number


async def _place(uow: UnitOfWork, shop: OrdersShop, view: CartView, customer_id: str) -> str:
    """Place an order from `view` in `uow` (not committed); its number."""
    info = await orders.place(
        uow,
        order_id=new_id(),
        checkout_id=new_id(),
        cart=view,
        customer_id=customer_id,
        session_id=None,
        email="casey@example.com",
        shipping_address=ADDRESS,
        billing_address=None,
        placed_at=shop.now(),
    )
    return info.number
