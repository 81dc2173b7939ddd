"""Products' review ratings in search (issue 19, item 0): a published review reaches the
product's document, so `sort=rating`, the `rating` facet and `min_rating` follow it; a
withdrawn review takes it back; a stale or repeated `product.rating_changed` writes the
current aggregate; `mercato search reindex` carries the ratings; a bad `min_rating` is a 422
that changes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from mercato.agents.reviews.events import ProductRatingChanged
from mercato.agents.search.models import SearchDocument
from mercato.agents.search.rebuild import reindex
from mercato.kernel.context import bind
from tests.integration.identity.conftest import sign_up
from tests.integration.search.conftest import Shop

BODY = "Sturdy and well made, exactly as described. Would buy again."


async def _review(shop: Shop, product_id: str, rating: int) -> tuple[str, dict[str, str]]:
    """A new customer's published review of the product: its id, and its author's headers."""
    customer = await sign_up(shop.client)
    body = {"rating": rating, "title": "Verdict", "body": BODY}
    made = await shop.client.post(
        f"/v1/products/{product_id}/reviews", json=body, headers=customer.headers
    )
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "published"
    return str(made.json()["id"]), customer.headers


async def _withdraw(shop: Shop, review: tuple[str, dict[str, str]]) -> None:
    review_id, author = review
    gone = await shop.client.delete(f"/v1/reviews/{review_id}", headers=author)
    assert gone.status_code == 204, gone.text


def _facet(answer: dict[str, Any]) -> dict[int, int]:
    return {v["value"]: v["count"] for v in answer["facets"].get("rating", [])}


async def _documents(shop: Shop) -> list[tuple[str, float | None, int]]:
    with bind(tenant_id="default"):
        async with shop.kernel.uow(writes=False) as uow:
            rows = await uow.session.execute(
                select(SearchDocument.name, SearchDocument.rating, SearchDocument.rating_count)
                .order_by(SearchDocument.name)
            )  # fmt: skip
            return [(name, rating, count) for name, rating, count in rows]


async def _three_mugs(shop: Shop) -> dict[str, str]:
    """Three mugs: Alder rated 5 and 4 (4.5), Birch rated 3, Cedar never reviewed."""
    ids = {n: (await shop.product(f"{n} Mug"))["id"] for n in ("Alder", "Birch", "Cedar")}
    for product, rating in (("Alder", 5), ("Alder", 4), ("Birch", 3)):
        await _review(shop, ids[product], rating)
    return ids


async def test_a_published_review_sorts_and_facets_its_product(shop: Shop) -> None:
    # given three mugs, two of them reviewed
    await _three_mugs(shop)
    # when shoppers sort by rating
    answer = await shop.search(q="mug", sort="rating", mode="lexical")
    # then the best rated comes first and the unreviewed last
    assert [h["product"]["name"] for h in answer["items"]] == [
        "Alder Mug", "Birch Mug", "Cedar Mug",
    ]  # fmt: skip
    # and the facet counts the products rated each bucket's stars or more
    assert _facet(answer) == {4: 1, 3: 2, 2: 2, 1: 2}
    assert answer["facets"]["rating"][0]["label"] == "4 stars & up"
    # and the documents carry the aggregate the reviews agent keeps
    assert await _documents(shop) == [
        ("Alder Mug", 4.5, 2), ("Birch Mug", 3.0, 1), ("Cedar Mug", None, 0),
    ]  # fmt: skip


async def test_min_rating_keeps_the_products_rated_that_or_more(shop: Shop) -> None:
    # given three mugs rated 4.5, 3 and not at all
    await _three_mugs(shop)
    # when filtered by a minimum rating, then only those rated that or more are found
    assert await shop.names(q="mug", min_rating=4, mode="lexical") == ["Alder Mug"]
    three = await shop.names(q="mug", min_rating=3, mode="lexical", sort="rating")
    assert three == ["Alder Mug", "Birch Mug"]
    assert await shop.names(q="mug", min_rating=5, mode="lexical") == []
    # and without words too (browsing), with the facet counted over what the filter keeps
    browsed = await shop.search(min_rating=3, sort="rating")
    assert browsed["total_estimate"] == 2 and _facet(browsed) == {4: 1, 3: 2, 2: 2, 1: 2}


async def test_a_withdrawn_review_lowers_the_rating(shop: Shop) -> None:
    # given a teapot rated 5 and 2 (3.5) and a kettle rated 3
    pot = (await shop.product("Teal Teapot"))["id"]
    kettle = (await shop.product("Teal Teakettle"))["id"]
    best = await _review(shop, pot, 5)
    await _review(shop, pot, 2)
    await _review(shop, kettle, 3)
    assert await shop.names(q="teal", sort="rating", mode="lexical") == [
        "Teal Teapot", "Teal Teakettle",
    ]  # fmt: skip
    # when the five-star review is withdrawn
    await _withdraw(shop, best)
    # then the teapot is rated 2, falls behind the kettle and out of the 3-and-up bucket
    answer = await shop.search(q="teal", sort="rating", mode="lexical")
    assert [h["product"]["name"] for h in answer["items"]] == ["Teal Teakettle", "Teal Teapot"]
    assert _facet(answer) == {3: 1, 2: 2, 1: 2}
    assert await shop.names(q="teal", min_rating=3, mode="lexical") == ["Teal Teakettle"]


async def test_a_stale_or_repeated_rating_event_writes_the_current_aggregate(shop: Shop) -> None:
    # given a mug rated 4.5 by two reviews
    ids = await _three_mugs(shop)
    await shop.settle()
    before = await _documents(shop)
    # when an old rating event of it arrives again, late (its figures long out of date)
    with bind(tenant_id="default"):
        async with shop.kernel.uow() as uow:
            stale = ProductRatingChanged(
                review_id="old-review", product_id=ids["Alder"], average=1.0, count=1
            )
            uow.publish(stale, aggregate_id=ids["Alder"])
            await uow.commit()
    # then the index still holds the aggregate as it is now, and the sort is unchanged
    assert await shop.names(q="mug", sort="rating", mode="lexical") == [
        "Alder Mug", "Birch Mug", "Cedar Mug",
    ]  # fmt: skip
    assert await _documents(shop) == before


async def test_reindex_carries_the_ratings(shop: Shop) -> None:
    # given reviewed mugs, and an index whose ratings were lost (a restored backup, say)
    await _three_mugs(shop)
    await shop.settle()
    with bind(tenant_id="default"):
        async with shop.kernel.uow() as uow:
            await uow.session.execute(update(SearchDocument).values(rating=None, rating_count=0))
            await uow.commit()
        # when the store's index is rebuilt from the catalog
        searchable = await reindex(shop.kernel, on_total=lambda _: None, on_batch=lambda _: None)
    # then every document has its product's rating again, and the sort and facet follow
    assert searchable == 3
    assert await _documents(shop) == [
        ("Alder Mug", 4.5, 2), ("Birch Mug", 3.0, 1), ("Cedar Mug", None, 0),
    ]  # fmt: skip
    answer = await shop.search(q="mug", sort="rating", mode="lexical")
    assert [h["product"]["name"] for h in answer["items"]] == [
        "Alder Mug", "Birch Mug", "Cedar Mug",
    ]  # fmt: skip
    assert _facet(answer) == {4: 1, 3: 2, 2: 2, 1: 2}


async def test_an_invalid_min_rating_is_refused_and_changes_nothing(shop: Shop) -> None:
    # given reviewed mugs and what a search answers now
    await _three_mugs(shop)
    answered = await shop.search(q="mug", sort="rating", mode="lexical")
    documents = await _documents(shop)
    for min_rating in ("0", "6", "-1", "4.5", "four", ""):
        # when a search asks for a minimum rating that is not 1 to 5
        refused = await shop.client.get(
            "/v1/search", params={"q": "mug", "min_rating": min_rating, "sort": "rating"}
        )
        # then it is a 422 with the code the other filters' validation uses
        assert refused.status_code == 422, (min_rating, refused.text)
        assert refused.json()["code"] == "validation_failed"
    # and nothing changed: the documents, and what the search answers
    assert await _documents(shop) == documents
    again = await shop.search(q="mug", sort="rating", mode="lexical")
    assert again["items"] == answered["items"] and again["facets"] == answered["facets"]
