"""How the edge runs a cart command (EC001): a command whose cart moved under it is run
again on a fresh unit of work, and a cart that keeps moving answers 409
`cart_version_conflict` with the version it has, nothing of the attempts committed. The
command is handed in, so a test plays the concurrent writer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mercato.agents.cart import edge
from mercato.agents.cart.models import Cart
from mercato.agents.cart.problems import CartVersionConflict, CartVersionMoved
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork

NOW = datetime(2026, 2, 1, tzinfo=UTC)


async def a_cart(kernel: Kernel, *, version: int) -> str:
    async with kernel.uow() as uow:
        uow.session.add(
            Cart(
                id="cart-1",
                user_id="u-1",
                status="active",
                currency="USD",
                version=version,
                last_activity_at=NOW,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await uow.commit()
    return "cart-1"


async def version_of(kernel: Kernel, cart_id: str) -> int:
    async with kernel.uow(writes=False) as uow:
        cart = await uow.session.get(Cart, cart_id)
        assert cart is not None
        return cart.version


@pytest.mark.edge_case("EC001")
async def test_a_command_that_lost_the_race_once_is_run_again_and_kept(kernel: Kernel) -> None:
    with bind(tenant_id=kernel.settings.default_tenant):
        # given a cart at version 4, and a command a concurrent writer beats the first time
        cart_id = await a_cart(kernel, version=4)
        attempts = 0

        async def bump(uow: UnitOfWork) -> int:
            nonlocal attempts
            attempts += 1
            cart = await uow.session.get(Cart, cart_id)
            assert cart is not None
            cart.version += 1
            if attempts == 1:
                raise CartVersionMoved(cart_id)
            return cart.version

        # when the edge runs it
        result = await edge.run(kernel, bump)

        # then the second attempt's write is kept, the first one's is not
        assert (attempts, result) == (2, 5)
        assert await version_of(kernel, cart_id) == 5


@pytest.mark.edge_case("EC001")
async def test_a_cart_that_keeps_moving_is_a_conflict_and_nothing_is_kept(kernel: Kernel) -> None:
    with bind(tenant_id=kernel.settings.default_tenant):
        # given a cart at version 4 that another writer moves under every attempt
        cart_id = await a_cart(kernel, version=4)
        attempts = 0

        async def always_beaten(uow: UnitOfWork) -> None:
            nonlocal attempts
            attempts += 1
            cart = await uow.session.get(Cart, cart_id)
            assert cart is not None
            cart.version += 1
            raise CartVersionMoved(cart_id)

        # when the edge runs it
        with pytest.raises(CartVersionConflict) as conflict:
            await edge.run(kernel, always_beaten)

        # then it gave up after three attempts with 409 and the version the cart has,
        # none of the attempts' writes committed
        assert attempts == edge.ATTEMPTS == 3
        assert (conflict.value.status, conflict.value.code) == (409, "cart_version_conflict")
        assert conflict.value.extra == {"current_version": 4}
        assert conflict.value.headers == {"ETag": '"4"'}
        assert await version_of(kernel, cart_id) == 4
