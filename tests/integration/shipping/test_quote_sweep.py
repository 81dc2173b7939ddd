"""Quotes rate shopping keeps are swept an hour after they expire (every answer writes a few:
a store that is shopped all day would otherwise keep them all)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from mercato.agents.shipping.models import Quote
from mercato.agents.shipping.polling import QUOTES_KEPT, sweep_quotes
from mercato.agents.shipping.rating import QUOTE_TTL
from tests.integration.shipping.conftest import ShippingShop


async def _quotes(shop: ShippingShop) -> int:
    async with shop.kernel.uow(writes=False) as uow:
        found = await uow.session.scalar(
            select(func.count()).select_from(Quote).execution_options(all_tenants=True)
        )
    return int(found or 0)


async def test_expired_quotes_are_swept_and_open_ones_kept(shop: ShippingShop) -> None:
    # given a cart's rates, quoted now
    mug = await shop.product("12.00", stock=5)
    cart, headers = await shop.filled_cart((mug, 1))
    rates = await shop.client.get(f"/v1/shipping/rates?cart_id={cart['id']}", headers=headers)
    assert rates.status_code == 200, rates.text
    quoted = await _quotes(shop)
    assert quoted == len(rates.json()["options"]) > 0
    # when the sweep runs while they are still open, then once they are long expired
    kept = await sweep_quotes(shop.kernel)
    async with shop.kernel.uow() as uow:
        for quote in await uow.session.scalars(select(Quote).execution_options(all_tenants=True)):
            quote.expires_at -= QUOTE_TTL + QUOTES_KEPT + timedelta(minutes=1)
        await uow.commit()
    swept = await sweep_quotes(shop.kernel)
    # then the open ones stayed, and the expired ones are gone
    assert (kept, swept, await _quotes(shop)) == (0, quoted, 0)
