"""Products' pictures: a merchant uploads them (type and size checked, kept in two sizes with
alt text) to the local disk embedded and to S3 scaled; every product answer lists them, and
`/media/…` serves their files with caching headers. A refused upload keeps nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from mercato.agents.catalog.gallery import PictureStore
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from tests.integration.catalog.conftest import (
    ADMIN_HEADERS,
    counts,
    create_product,
    event_payloads,
    product_body,
)
from tests.integration.identity.conftest import sign_up
from tests.support import s3
from tests.support.store import store_for

Store = tuple[Kernel, httpx.AsyncClient]


@pytest.fixture
async def store(settings: Settings, request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    """Embedded (SQLite) keeps files on the local disk; scaled (PostgreSQL) in S3."""
    if not settings.is_sqlite:
        endpoint = request.getfixturevalue("s3_endpoint")
        bucket = request.getfixturevalue("s3_bucket")
        settings = settings.model_copy(
            update={"object_store_url": f"s3://{bucket}/store", "s3_endpoint_url": endpoint}
        )
    async with store_for(settings) as (kernel, client):
        yield kernel, client


def png(
    width: int = 640, height: int = 480, colour: tuple[int, int, int] = (30, 120, 200)
) -> bytes:
    out = BytesIO()
    image = Image.new("RGB", (width, height), colour)
    image.paste((250, 250, 250), (width // 4, height // 4, width // 2, height // 2))
    image.save(out, "PNG")
    return out.getvalue()


async def upload(
    client: httpx.AsyncClient,
    product_id: str,
    data: bytes,
    headers: dict[str, str] = ADMIN_HEADERS,
    **fields: str,
) -> httpx.Response:
    return await client.post(
        f"/v1/products/{product_id}/pictures",
        files={"file": ("picture.png", data, "image/png")},
        data=fields,
        headers=headers,
    )


async def stored_keys(kernel: Kernel) -> list[str]:
    """Every file the store's object store holds."""
    objects = kernel.deps(PictureStore).objects
    root = getattr(objects, "directory", None)
    if isinstance(root, Path):
        return sorted(
            str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.suffix != ".type"
        )
    listed = s3.client(objects.endpoint_url).list_objects_v2(Bucket=objects.bucket)  # type: ignore[attr-defined]
    return sorted(o["Key"] for o in listed.get("Contents", []))


async def test_a_merchant_uploads_a_picture_and_shoppers_see_it(store: Store) -> None:
    kernel, client = store
    # given a product with two variants
    product = await create_product(client, product_body("Enamel Mug", skus=("MUG-W", "MUG-B")))
    blue = product["variants"][1]["id"]
    # when its merchant uploads a picture of the blue one, with alt text
    answer = await upload(client, product["id"], png(), alt="A blue enamel mug", variant_id=blue)
    # then it is kept in two sizes, never enlarged
    assert answer.status_code == 201, answer.text
    picture = answer.json()
    assert picture["alt"] == "A blue enamel mug" and picture["variant_id"] == blue
    assert (picture["width"], picture["height"]) == (640, 480)
    assert (picture["thumbnail_width"], picture["thumbnail_height"]) == (400, 300)
    # and the product, read by anyone, lists it (the listing too)
    shown = (await client.get(f"/v1/products/{product['id']}")).json()
    assert shown["pictures"] == [picture]
    listed = (await client.get("/v1/products")).json()["items"]
    assert [p["pictures"] for p in listed] == [[picture]]
    # and its files are served, cacheable for ever, each with a validator
    for url, size in ((picture["url"], (640, 480)), (picture["thumbnail_url"], (400, 300))):
        served = await client.get(url)
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/jpeg"
        assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert Image.open(BytesIO(served.content)).size == size
        again = await client.get(url, headers={"If-None-Match": served.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
    # and product.updated says the pictures changed
    updates = await event_payloads(kernel, "product.updated")
    assert updates[-1] == {"product_id": product["id"], "fields": ["pictures"]}


async def test_alt_text_defaults_to_the_name_and_pictures_can_be_reordered_and_removed(
    store: Store,
) -> None:
    kernel, client = store
    product = await create_product(client, product_body("Linen Apron"))
    first = (await upload(client, product["id"], png(colour=(200, 0, 0)))).json()
    second = (await upload(client, product["id"], png(colour=(0, 200, 0)), alt="Worn")).json()
    # an upload without alt text is described by the product's name
    assert first["alt"] == "Linen Apron"
    # when the second is made the cover and given new words
    moved = await client.patch(
        f"/v1/products/{product['id']}/pictures/{second['id']}",
        json={"position": 0, "alt": "The apron, worn in a kitchen"},
        headers=ADMIN_HEADERS,
    )
    assert moved.status_code == 200, moved.text
    shown = (await client.get(f"/v1/products/{product['id']}")).json()["pictures"]
    assert [(p["id"], p["alt"]) for p in shown] == [
        (second["id"], "The apron, worn in a kitchen"),
        (first["id"], "Linen Apron"),
    ]
    # and a write's answer (built from entities) shows them as the read (built from rows) does
    renamed = await client.patch(
        f"/v1/products/{product['id']}", json={"name": "Linen Apron II"}, headers=ADMIN_HEADERS
    )
    assert renamed.json()["pictures"] == shown
    # and a listing carries the cover only
    (listed,) = (await client.get("/v1/products")).json()["items"]
    assert listed["pictures"] == shown[:1]
    # when the first is removed, so are its files
    assert len(await stored_keys(kernel)) == 4
    removed = await client.delete(
        f"/v1/products/{product['id']}/pictures/{first['id']}", headers=ADMIN_HEADERS
    )
    assert removed.status_code == 204
    shown = (await client.get(f"/v1/products/{product['id']}")).json()["pictures"]
    assert [p["id"] for p in shown] == [second["id"]]
    assert (await client.get(first["url"])).status_code == 404
    assert len(await stored_keys(kernel)) == 2


@pytest.mark.parametrize(
    ("data", "fields", "status", "code"),
    [
        (b"GIF89a but not really", {}, 415, "unsupported_picture"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", {}, 415, "unsupported_picture"),
        (png(20, 20), {}, 422, "picture_dimensions"),
        (png(), {"variant_id": "not-a-variant"}, 422, "unknown_variant"),
        (png(), {"alt": "bad\x00alt"}, 422, "validation_failed"),
        (png(), {"colour": "red"}, 422, "validation_failed"),
    ],
    ids=["not-picture", "svg", "too-small", "unknown-variant", "control-character", "extra-field"],
)
async def test_a_refused_upload_keeps_nothing(
    store: Store, data: bytes, fields: dict[str, str], status: int, code: str
) -> None:
    kernel, client = store
    product = await create_product(client, product_body())
    before = await counts(kernel)
    # when a refused upload is sent
    answer = await upload(client, product["id"], data, **fields)
    # then the problem names it, and nothing was kept: no file, no event, no picture
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == code
    assert await stored_keys(kernel) == []
    assert await counts(kernel) == before
    assert (await client.get(f"/v1/products/{product['id']}")).json()["pictures"] == []


async def test_the_same_file_twice_and_a_21st_picture_are_refused(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body())
    assert (await upload(client, product["id"], png())).status_code == 201
    again = await upload(client, product["id"], png())
    assert again.status_code == 409 and again.json()["code"] == "duplicate_picture"
    for n in range(19):
        made = await upload(client, product["id"], png(64, 64, colour=(n, 0, 0)))
        assert made.status_code == 201
    too_many = await upload(client, product["id"], png(64, 64, colour=(0, 99, 0)))
    assert too_many.status_code == 409 and too_many.json()["code"] == "too_many_pictures"
    assert len(await stored_keys(kernel)) == 40


async def test_a_body_over_the_limit_is_refused_before_it_is_read(store: Store) -> None:
    kernel, client = store
    product = await create_product(client, product_body())
    limit = kernel.settings.picture_max_bytes
    answer = await upload(client, product["id"], b"\0" * (limit + 70_000))
    assert answer.status_code == 413 and answer.json()["code"] == "payload_too_large"
    assert await stored_keys(kernel) == []


async def test_only_the_products_merchant_and_admins_change_its_pictures(store: Store) -> None:
    kernel, client = store
    owner = await sign_up(client, "merchant", merchant_id="m-1")
    other = await sign_up(client, "merchant", merchant_id="m-2")
    shopper = await sign_up(client, "customer")
    product = await create_product(client, product_body(), headers=owner.headers)
    mine = await upload(client, product["id"], png(), headers=owner.headers)
    assert mine.status_code == 201
    picture: dict[str, Any] = mine.json()
    refusals = [
        (await upload(client, product["id"], png(99, 99), headers=other.headers), 403),
        (await upload(client, product["id"], png(99, 99), headers=shopper.headers), 403),
        (await upload(client, product["id"], png(99, 99), headers={}), 401),
        (
            await client.delete(
                f"/v1/products/{product['id']}/pictures/{picture['id']}", headers=other.headers
            ),
            403,
        ),
    ]
    assert [a.status_code for a, _ in refusals] == [s for _, s in refusals]
    assert len(await stored_keys(kernel)) == 2
    shown = (await client.get(f"/v1/products/{product['id']}")).json()["pictures"]
    assert shown == [picture]


async def test_a_file_that_does_not_exist_is_404(store: Store) -> None:
    _, client = store
    for url in ("/media/pictures/default/x/y-large.jpg", "/media/pictures/../../etc/passwd"):
        answer = await client.get(url)
        assert answer.status_code == 404
