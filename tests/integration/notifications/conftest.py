"""Fixtures of the notifications agent's tests (SQLite and PostgreSQL, through `settings`).

- `post`: a whole store with the relay, handlers and the sender running, and helpers to
  place orders as a guest or a customer, read the delivery log and the local providers'
  output (mail as .eml under the data directory, SMS and push as JSON lines).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mercato.agents.notifications.models import NotificationMessage
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from tests.conftest import eventually
from tests.integration.cart.conftest import Product, Shop
from tests.integration.checkout.conftest import Checkout
from tests.integration.identity.conftest import ADMIN, Account, sign_up
from tests.support.store import settle, store_for


@dataclass
class Post:
    kernel: Kernel
    client: httpx.AsyncClient
    shop: Shop = field(init=False)

    def __post_init__(self) -> None:
        self.shop = Shop(self.kernel, self.client)

    async def customer(self) -> Account:
        return await sign_up(self.client)

    async def order(
        self,
        headers: dict[str, str] | None = None,
        *,
        product: Product | None = None,
        email: str = "ana@example.com",
    ) -> dict[str, Any]:
        """A checked-out order (confirmed by the sandbox's card) of the guest or `headers`."""
        shop = self.shop
        product = product or await shop.product("25.00")
        checkout = Checkout(shop)
        cart, who = await checkout.filled_cart((product, 1), headers=headers)
        answer = await checkout.post(cart, who, email=email)
        assert answer.status_code == 201, answer.text
        order: dict[str, Any] = answer.json()["order"]
        return order

    async def messages(self, **where: Any) -> list[NotificationMessage]:
        await settle(self.kernel)
        async with self.kernel.uow(writes=False) as uow:
            query = select(NotificationMessage).execution_options(all_tenants=True)
            for name, value in where.items():
                query = query.where(getattr(NotificationMessage, name) == value)
            return list(await uow.session.scalars(query.order_by(NotificationMessage.created_at)))

    async def sent(self, **where: Any) -> list[NotificationMessage]:
        """Once every matching message has left the queue."""

        async def out() -> bool:
            found = await self.messages(**where)
            return bool(found) and all(m.status not in ("queued", "sending") for m in found)

        await eventually(out, within=15)
        return await self.messages(**where)

    def mails(self, to: str | None = None) -> list[Message]:
        found = []
        for path in sorted((self.kernel.settings.data_dir / "mail").glob("*.eml")):
            message = message_from_bytes(path.read_bytes(), policy=default_policy)
            if to is None or message["To"] == to:
                found.append(message)
        return found

    def local_log(self, channel: str) -> list[dict[str, Any]]:
        path = self.kernel.settings.data_dir / "notifications" / f"{channel}.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    async def admin(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return await self.client.request(method, path, headers=ADMIN, **kw)


@pytest.fixture
async def post(settings: Settings) -> AsyncIterator[Post]:
    async with store_for(settings) as (kernel, client):
        yield Post(kernel, client)


def text_of(message: Message) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())  # type: ignore[attr-defined]
