"""Fixtures of the assistant's conversation tests (SQLite and PostgreSQL, through the
`settings` fixture): a whole store with its relay and handlers running, a small catalogue
with sizes and colours, and `Chat`, a shopper talking to the assistant over the real API."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from mercato.agents.assistant.lexicons import Lexicons
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from tests.integration.identity.conftest import ADMIN, guest_headers, sign_up
from tests.integration.search.conftest import Shop
from tests.support.store import settle, store_for

_skus = itertools.count(1)
CARD = {
    "provider": "sandbox",
    "card": {"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2030, "cvc": "123"},
}


@dataclass
class Chat:
    """One shopper's conversation with the assistant, through `POST /v1/assistant/messages`."""

    client: httpx.AsyncClient
    headers: dict[str, str]
    conversation_id: str | None = None
    replies: list[dict[str, Any]] = field(default_factory=list)

    async def say(self, text: str, *, payment: dict[str, Any] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"text": text}
        if self.conversation_id:
            body["conversation_id"] = self.conversation_id
        if payment is not None:
            body["payment"] = payment
        answer = await self.client.post("/v1/assistant/messages", json=body, headers=self.headers)
        assert answer.status_code == 200, answer.text
        reply = dict(answer.json())
        self.conversation_id = reply["conversation_id"]
        self.replies.append(reply)
        return reply

    async def cart(self) -> dict[str, Any]:
        opened = await self.client.post("/v1/carts", headers=self.headers)
        assert opened.status_code in (200, 201), opened.text
        return dict(opened.json())


@dataclass
class Store:
    shop: Shop

    @property
    def client(self) -> httpx.AsyncClient:
        return self.shop.client

    @property
    def kernel(self) -> Kernel:
        return self.shop.kernel

    async def product(
        self,
        name: str,
        *,
        price: str = "20.00",
        options: dict[str, list[str]] | None = None,
        stock: int = 10,
        description: str = "",
        category: str | None = None,
    ) -> dict[str, Any]:
        """An active product with a variant per combination of `options` (one without)."""
        combos: list[dict[str, str]] = [{}]
        for option, values in (options or {}).items():
            combos = [{**c, option: v} for c in combos for v in values]
        body: dict[str, Any] = {
            "name": name,
            "description": description,
            "variants": [
                {
                    "sku": f"AS-{next(_skus)}",
                    "price": price,
                    "attributes": combo,
                    **({"title": " / ".join(combo.values())} if combo else {}),
                }
                for combo in combos
            ],
        }
        if category:
            body["category"] = category
        created = await self.client.post("/v1/products", json=body, headers=ADMIN)
        assert created.status_code == 201, created.text
        product = dict(created.json())
        for variant in product["variants"]:
            if stock:
                await self.shop.receive(variant["sku"], stock)
        return product

    async def ready(self) -> None:
        """Every event handled, every product indexed and embedded, the gazetteer rebuilt."""
        await self.shop.settle()
        self.kernel.deps(Lexicons).forget()

    async def guest(self) -> Chat:
        return Chat(self.client, await guest_headers(self.client))

    async def customer(self) -> tuple[Chat, Any]:
        account = await sign_up(self.client)
        return Chat(self.client, account.headers), account

    async def settle(self) -> None:
        await settle(self.kernel)


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    async with store_for(settings) as (kernel, client):
        yield Store(Shop(kernel, client))


@pytest.fixture
async def clothes(store: Store) -> Store:
    """A few products: a hoodie in sizes, a mug in colours, headphones with one variant."""
    await store.product(
        "Alpine Merino Hoodie",
        price="59.00",
        options={"size": ["S", "M", "L"]},
        description="A warm merino wool hoodie with a kangaroo pocket. Machine washable.",
    )
    await store.product(
        "Nordic Stoneware Mug",
        price="14.00",
        options={"colour": ["Black", "Sage"]},
        description="A hand-glazed stoneware mug that holds 350 ml.",
    )
    await store.product(
        "Studio Over-Ear Headphones",
        price="129.00",
        description="Closed-back wireless headphones with 30 hours of battery.",
    )
    await store.product(
        "Coastal Cotton Tee",
        price="19.00",
        options={"size": ["S", "M", "L"]},
        description="A soft organic cotton t-shirt.",
    )
    await store.ready()
    return store


ADDRESS = {
    "name": "Ana Lima",
    "line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
}


async def place_order(chat: Chat, variant_id: str, quantity: int = 1) -> dict[str, Any]:
    """An order of the shopper's, placed through the cart and checkout API (not the chat)."""
    cart = await chat.cart()
    added = await chat.client.post(
        f"/v1/carts/{cart['id']}/items",
        json={"variant_id": variant_id, "quantity": quantity},
        headers=chat.headers,
    )
    assert added.status_code == 200, added.text
    placed = await chat.client.post(
        "/v1/checkout",
        json={
            "cart_id": cart["id"],
            "email": "ana@example.com",
            "shipping_address": ADDRESS,
            "payment": CARD,
        },
        headers={**chat.headers, "idempotency-key": f"order-{cart['id']}"},
    )
    assert placed.status_code == 201, placed.text
    return dict(placed.json()["order"])


async def faq(store: Store, question: str, answer: str, topic: str, keywords: list[str]) -> None:
    created = await store.client.post(
        "/v1/support/faq",
        json={"question": question, "answer": answer, "topic": topic, "keywords": keywords},
        headers=ADMIN,
    )
    assert created.status_code == 201, created.text
