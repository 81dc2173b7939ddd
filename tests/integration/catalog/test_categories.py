"""Categories: a tree ordered by position then name, moved as a whole subtree (its
products follow), never under itself, and deleted only when empty. Admins shape it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mercato.kernel.bootstrap import Kernel
from tests.integration.catalog.conftest import (
    ADMIN_HEADERS,
    counts,
    create_category,
    create_product,
    product_body,
)

Store = tuple[Kernel, httpx.AsyncClient]


def shape(nodes: list[dict[str, Any]]) -> list[Any]:
    """A tree as nested (name, children) pairs."""
    return [(n["name"], shape(n["children"])) if n["children"] else n["name"] for n in nodes]


async def test_the_tree_is_ordered_by_position_then_name(store: Store) -> None:
    _, client = store
    # given categories created in no particular order
    home = await create_category(client, "Home", position=1)
    await create_category(client, "Garden", home["id"])
    await create_category(client, "Bath", home["id"])
    await create_category(client, "Kitchen", home["id"])
    sale = await create_category(client, "Sale", position=0)
    await create_category(client, "Clothing", position=1)
    # when the tree is read (by anyone)
    tree = (await client.get("/v1/categories")).json()["items"]
    # then siblings come by position, then name
    assert shape(tree) == ["Sale", "Clothing", ("Home", ["Bath", "Garden", "Kitchen"])]
    assert tree[0] == {
        "id": sale["id"],
        "name": "Sale",
        "slug": "sale",
        "parent_id": None,
        "position": 0,
        "product_count": None,
        "children": [],
    }


async def test_the_tree_counts_active_products_of_each_subtree(store: Store) -> None:
    _, client = store
    home = await create_category(client, "Home")
    kitchen = await create_category(client, "Kitchen", home["id"])
    await create_product(client, product_body("Pan", skus=("P-1",), category_id=kitchen["id"]))
    await create_product(client, product_body("Rug", skus=("R-1",), category_id=home["id"]))
    await create_product(
        client, product_body("Old", skus=("O-1",), category_id=kitchen["id"], status="draft")
    )
    (root,) = (await client.get("/v1/categories", params={"counts": True})).json()["items"]
    assert (root["product_count"], root["children"][0]["product_count"]) == (2, 1)


async def test_a_category_by_id_or_slug_with_its_lineage(store: Store) -> None:
    _, client = store
    home = await create_category(client, "Home")
    kitchen = await create_category(client, "Kitchen", home["id"])
    knives = await create_category(client, "Knives & Blocks", kitchen["id"])
    assert knives["slug"] == "knives-blocks"
    for key in (kitchen["id"], "kitchen"):
        answer = await client.get(f"/v1/categories/{key}")
        assert answer.status_code == 200
        body = answer.json()
        assert body["ancestors"] == [{"id": home["id"], "name": "Home", "slug": "home"}]
        assert [c["id"] for c in body["children"]] == [knives["id"]]
    assert (await client.get("/v1/categories/nope")).status_code == 404


async def test_slugs_are_unique_and_made_from_names(store: Store) -> None:
    _, client = store
    first = await create_category(client, "Kitchen")
    second = await create_category(client, "Kitchen", first["id"])
    assert (first["slug"], second["slug"]) == ("kitchen", "kitchen-2")
    taken = await client.post(
        "/v1/categories", json={"name": "Other", "slug": "kitchen"}, headers=ADMIN_HEADERS
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "slug_taken")


async def test_moving_a_category_moves_its_subtree_and_products(store: Store) -> None:
    _, client = store
    # given Home > Kitchen > Knives with a product in Knives, and a Sale root
    home = await create_category(client, "Home")
    kitchen = await create_category(client, "Kitchen", home["id"])
    knives = await create_category(client, "Knives", kitchen["id"])
    sale = await create_category(client, "Sale")
    product = await create_product(client, product_body(category_id=knives["id"]))
    # when Kitchen moves under Sale
    moved = await client.patch(
        f"/v1/categories/{kitchen['id']}",
        json={"parent_id": sale["id"], "name": "Cookware"},
        headers=ADMIN_HEADERS,
    )
    assert moved.status_code == 200, moved.text
    assert [a["id"] for a in moved.json()["ancestors"]] == [sale["id"]]
    # then the tree shows it there, with its subtree
    tree = (await client.get("/v1/categories")).json()["items"]
    assert shape(tree) == ["Home", ("Sale", [("Cookware", ["Knives"])])]
    knives_now = (await client.get(f"/v1/categories/{knives['id']}")).json()
    assert [a["name"] for a in knives_now["ancestors"]] == ["Sale", "Cookware"]
    # and its products are browsed under the new ancestors only
    assert [p["id"] for p in (await listed(client, sale["id"]))] == [product["id"]]
    assert await listed(client, home["id"]) == []
    # and moved back to the root, it is a root
    rooted = await client.patch(
        f"/v1/categories/{kitchen['id']}", json={"parent_id": None}, headers=ADMIN_HEADERS
    )
    assert rooted.json()["ancestors"] == []
    assert [p["id"] for p in (await listed(client, kitchen["id"]))] == [product["id"]]
    assert await listed(client, sale["id"]) == []


async def listed(client: httpx.AsyncClient, category: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = (
        await client.get("/v1/products", params={"category": category})
    ).json()["items"]
    return items


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
async def test_a_category_cannot_move_under_itself(store: Store, target: str) -> None:
    kernel, client = store
    home = await create_category(client, "Home")
    kitchen = await create_category(client, "Kitchen", home["id"])
    knives = await create_category(client, "Knives", kitchen["id"])
    parent = {"self": home, "child": kitchen, "grandchild": knives}[target]
    before = await counts(kernel)
    answer = await client.patch(
        f"/v1/categories/{home['id']}", json={"parent_id": parent["id"]}, headers=ADMIN_HEADERS
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "category_cycle")
    assert await counts(kernel) == before
    tree = (await client.get("/v1/categories")).json()["items"]
    assert shape(tree) == [("Home", [("Kitchen", ["Knives"])])]


async def test_an_unknown_parent_is_422(store: Store) -> None:
    kernel, client = store
    before = await counts(kernel)
    answer = await client.post(
        "/v1/categories", json={"name": "Orphan", "parent_id": "nope"}, headers=ADMIN_HEADERS
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "unknown_category")
    assert await counts(kernel) == before


async def test_only_an_empty_category_is_deleted(store: Store) -> None:
    kernel, client = store
    home = await create_category(client, "Home")
    kitchen = await create_category(client, "Kitchen", home["id"])
    product = await create_product(client, product_body(category_id=kitchen["id"]))
    before = await counts(kernel)
    # refused while it has children, or products (archived ones too)
    with_children = await client.delete(f"/v1/categories/{home['id']}", headers=ADMIN_HEADERS)
    await client.delete(f"/v1/products/{product['id']}", headers=ADMIN_HEADERS)
    with_products = await client.delete(f"/v1/categories/{kitchen['id']}", headers=ADMIN_HEADERS)
    for answer in (with_children, with_products):
        assert (answer.status_code, answer.json()["code"]) == (409, "category_not_empty")
    assert (await counts(kernel)).categories == before.categories
    # once empty, it goes
    await client.patch(
        f"/v1/products/{product['id']}", json={"category_id": None}, headers=ADMIN_HEADERS
    )
    assert (
        await client.delete(f"/v1/categories/{kitchen['id']}", headers=ADMIN_HEADERS)
    ).status_code == 204
    assert (
        await client.delete(f"/v1/categories/{home['id']}", headers=ADMIN_HEADERS)
    ).status_code == 204
    assert (await client.get("/v1/categories")).json()["items"] == []
