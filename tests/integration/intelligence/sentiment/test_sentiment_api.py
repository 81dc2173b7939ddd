"""The sentiment API: texts analysed on demand by staff and API keys; a product's analysis
built from the reviews agent's events (published, re-published, withdrawn), idempotent on
redelivery; bad requests refused with problem+json and nothing stored."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents.intelligence.sentiment.models import ReviewSentiment
from mercato.agents.reviews.events import ReviewPublished, ReviewWithdrawn
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN, create_api_key, role_headers, sign_up
from tests.support.store import settle, store_for

URL = "/v1/intelligence/sentiment"


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[tuple[Kernel, httpx.AsyncClient]]:
    async with store_for(settings) as (kernel, client):
        yield kernel, client


async def product(client: httpx.AsyncClient, merchant_id: str | None = None) -> str:
    serial = uuid.uuid4().hex[:8]
    made = await client.post(
        "/v1/products",
        json={"name": f"Kettle {serial}", "status": "active", "merchant_id": merchant_id,
              "variants": [{"sku": f"SE-{serial}", "price": "20.00", "attributes": {}}]},
        headers=ADMIN,
    )  # fmt: skip
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def publish(kernel: Kernel, *events: ReviewPublished | ReviewWithdrawn) -> None:
    """The reviews agent's events, written to the outbox as its service writes them."""
    with bind(tenant_id="default"):
        async with kernel.uow() as uow:
            for event in events:
                uow.publish(event, aggregate_id=event.review_id)
            await uow.commit()
    await settle(kernel)


def review(product_id: str, body: str, *, days_ago: int = 0, review_id: str | None = None,
           rating: int = 3) -> ReviewPublished:  # fmt: skip
    return ReviewPublished(
        review_id=review_id or str(uuid.uuid4()), product_id=product_id,
        customer_id=str(uuid.uuid4()), rating=rating, title=None, body=body, verified=True,
        language="en", published_at=datetime.now(UTC) - timedelta(days=days_ago),
    )  # fmt: skip


async def stored(kernel: Kernel) -> int:
    with bind(tenant_id="default"):
        async with kernel.uow(writes=False) as uow:
            return int(
                await uow.session.scalar(select(func.count()).select_from(ReviewSentiment)) or 0
            )


async def test_staff_and_api_keys_analyse_texts(store: tuple[Kernel, httpx.AsyncClient]) -> None:
    kernel, client = store
    _, system = await create_api_key(client, ["system"])
    texts = [
        "I love it, works perfectly",
        "Terrible, broke after a day and support ignored me",
        "It's okay",
        "Not bad at all",
        "love the colour but delivery took forever",
    ]
    for headers in (ADMIN, system):
        # when texts are sent
        answer = await client.post(URL, json={"texts": texts}, headers=headers)
        # then each has its analysis, in order, and the model says what it is
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        labels = [r["label"] for r in body["results"]]
        assert labels[0] == "positive" and labels[1] == "negative" and labels[3] == "positive"
        assert body["results"][3]["polarity"] > 0
        aspects = {a["aspect"]: a["label"] for a in body["results"][4]["aspects"]}
        assert aspects == {"appearance": "positive", "delivery": "negative"}
        assert body["model"]["name"] == "mercato-sentiment" and body["model"]["version"]
    # and nothing was stored
    assert await stored(kernel) == 0


BAD_BODIES: list[Any] = [
    {"texts": []},
    {"texts": ["ok"] * 1001},
    {"texts": ["x" * 5001]},
    {"texts": "one"},
    {"texts": ["fine"], "lang": "en"},
    {"texts": ["bell \u0007 rings"]},
    {},
]


async def test_a_bad_request_is_refused_and_changes_nothing(
    store: tuple[Kernel, httpx.AsyncClient],
) -> None:
    kernel, client = store
    for body in BAD_BODIES:
        # when a body with no text, too many, too long, or not the contract's is sent
        answer = await client.post(URL, json=body, headers=ADMIN)
        # then it is refused as problem+json
        assert answer.status_code == 422, body
        assert answer.headers["content-type"].startswith("application/problem+json")
    # and nothing was stored
    assert await stored(kernel) == 0


async def test_shoppers_and_support_cannot_use_it(store: tuple[Kernel, httpx.AsyncClient]) -> None:
    _, client = store
    for role in ("anonymous", "customer", "support"):
        headers = await role_headers(client, role)
        answer = await client.post(URL, json={"texts": ["nice"]}, headers=headers)
        assert answer.status_code == (401 if role == "anonymous" else 403), role
        kettle = await product(client)
        refused = await client.get(f"{URL}/products/{kettle}", headers=headers)
        assert refused.status_code == (401 if role == "anonymous" else 403), role


async def test_a_product_s_analysis_follows_its_reviews(
    store: tuple[Kernel, httpx.AsyncClient],
) -> None:
    kernel, client = store
    kettle = await product(client)
    # given a product with no review yet
    empty = await client.get(f"{URL}/products/{kettle}", headers=ADMIN)
    assert empty.status_code == 200 and empty.json()["count"] == 0
    # when reviews are published over two months (two asking for a timer, three about delivery)
    reviews = [
        review(kettle, "Boils fast and looks lovely. I wish it had a timer.", days_ago=40),
        review(kettle, "Great kettle, but delivery took forever.", days_ago=35),
        review(
            kettle,
            "Delivery was late and the courier was rude. Would be nice if it came with a timer.",
            days_ago=3,
        ),
        review(kettle, "The delivery was awful, it arrived two weeks late.", days_ago=2),
        review(kettle, "Stopped working after a week. Useless.", days_ago=1),
    ]
    await publish(kernel, *reviews)
    # then its analysis counts them, with a trend, aspects, complaints and requests
    got = (await client.get(f"{URL}/products/{kettle}", headers=ADMIN)).json()
    assert got["count"] == 5 and -1 <= got["mean_polarity"] <= 1
    assert sum(b["count"] for b in got["trend"]["month"]) == 5
    assert sum(b["count"] for b in got["trend"]["week"]) == 5
    assert got["feature_requests"][0]["request"] == "timer"
    assert got["feature_requests"][0]["count"] == 2
    delivery = next(c for c in got["complaints"] if c["pattern"] == "delivery")
    assert delivery["kind"] == "aspect" and delivery["count"] == 3
    assert "delivery" in {a["aspect"] for a in got["aspects"]}
    assert sum(t["count"] for t in got["topics"]) == 5
    # when a review is delivered again, and another is withdrawn
    await publish(kernel, reviews[0])
    await publish(kernel, ReviewWithdrawn(review_id=reviews[4].review_id,
                                          product_id=kettle, reason="spam"))  # fmt: skip
    # then the redelivery changes nothing and the withdrawn one has left the aggregate
    after = (await client.get(f"{URL}/products/{kettle}", headers=ADMIN)).json()
    assert after["count"] == 4 and await stored(kernel) == 4
    # and the model registry tracks each review's label against its star rating
    tracked = await client.get("/v1/intelligence/models/sentiment", headers=ADMIN)
    assert tracked.status_code == 200, tracked.text
    assert tracked.json()["predictions"] == tracked.json()["resolved"] == 5


async def test_an_edited_review_replaces_its_analysis(
    store: tuple[Kernel, httpx.AsyncClient],
) -> None:
    kernel, client = store
    kettle = await product(client)
    first = review(kettle, "Absolutely awful, broke at once.", rating=1)
    await publish(kernel, first)
    edited = first.model_copy(update={"body": "Replaced by the seller, now it works perfectly!"})
    await publish(kernel, edited)
    got = (await client.get(f"{URL}/products/{kettle}", headers=ADMIN)).json()
    assert got["count"] == 1 and got["shares"]["positive"] == 1.0


async def test_an_unknown_product_and_another_merchant_s_are_refused(
    store: tuple[Kernel, httpx.AsyncClient],
) -> None:
    _, client = store
    missing = await client.get(f"{URL}/products/{uuid.uuid4()}", headers=ADMIN)
    assert missing.status_code == 404
    assert missing.json()["code"] == "sentiment_unknown_product"
    theirs = await product(client, merchant_id="m-2")
    mine = await product(client, merchant_id="m-1")
    merchant = (await sign_up(client, "merchant", merchant_id="m-1")).headers
    refused = await client.get(f"{URL}/products/{theirs}", headers=merchant)
    assert refused.status_code == 403 and refused.json()["code"] == "sentiment_not_your_product"
    allowed = await client.get(f"{URL}/products/{mine}", headers=merchant)
    assert allowed.status_code == 200 and allowed.json()["count"] == 0
