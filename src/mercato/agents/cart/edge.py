"""How the edge runs a cart command: in its own unit of work, committed once it succeeds,
and run again (twice at most) when a concurrent writer moved the cart's version under it
(EC001). A client that sent `If-Match` gets `cart_version_conflict` on the retry, from the
command's own check of the version it names; a client that did not is served by the retry,
so its write is never lost silently, and gets the conflict only if the cart kept moving."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from mercato.agents.cart.models import Cart
from mercato.agents.cart.problems import CartVersionConflict, CartVersionMoved
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.db import UnitOfWork

T = TypeVar("T")
ATTEMPTS = 3


async def run(kernel: Kernel, command: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    for attempt in range(1, ATTEMPTS + 1):
        async with kernel.uow() as uow:
            try:
                result = await command(uow)
            except CartVersionMoved as moved:
                if attempt < ATTEMPTS:
                    continue
                raise CartVersionConflict(
                    await _version(kernel, moved.cart_id),
                    "the cart kept changing under this request: GET it and try again",
                ) from None
            await uow.commit()
            return result
    raise AssertionError("unreachable")


async def _version(kernel: Kernel, cart_id: str) -> int:
    async with kernel.uow(writes=False) as uow:
        cart = await uow.session.get(Cart, cart_id)
        return cart.version if cart is not None else 0
