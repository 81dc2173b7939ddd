"""Products' pictures in a real browser: the demo store's tiles show their pictures, and a
merchant uploads a picture of one variant that the shop then shows when that variant is
chosen, described by the merchant's words."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.e2e.console.test_admin import MERCHANT, sign_in
from tests.e2e.console.test_storefront import a_product_with_two_variants


def loaded(locator: Any) -> bool:
    """Whether an <img> was fetched and decoded (a broken one has no natural width)."""
    return bool(locator.evaluate("img => img.complete && img.naturalWidth > 0"))


def test_the_shops_tiles_show_each_products_picture(page: Any, store: str) -> None:
    # given the demo store, whose products each have a picture
    products = httpx.get(f"{store}/v1/products?limit=8").json()["items"]
    assert all(p["pictures"] for p in products)
    # when a shopper opens the product listing
    page.goto("/shop/products")
    # then the tiles are pictures that loaded, from the small size
    tiles = page.locator(".tile img.picture")
    expect(tiles.first).to_be_visible()
    first = tiles.first
    first.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
    )
    assert loaded(first)
    assert "-thumb." in first.get_attribute("src")


def test_a_merchant_uploads_a_picture_of_a_variant_and_the_shop_shows_it(
    page: Any, store: str, tmp_path: Path
) -> None:
    # given one of the demo merchant's products with two variants, and a photo on disk
    product = a_product_with_two_variants(store)
    second = product["variants"][1]
    photo = tmp_path / "stripes.png"
    image = Image.new("RGB", (900, 600), (240, 240, 235))
    pen = ImageDraw.Draw(image)
    for x in range(0, 900, 60):
        pen.rectangle((x, 0, x + 30, 600), fill=(20, 90, 160))
    out = BytesIO()
    image.save(out, "PNG")
    photo.write_bytes(out.getvalue())

    # when the merchant uploads it as a picture of the second variant, with words for it
    sign_in(page, MERCHANT, f"/admin/products/{product['id']}")
    page.get_by_label("Picture file").set_input_files(str(photo))
    page.get_by_label("What it shows (for people who cannot see it)").fill("Blue stripes, close up")
    page.get_by_label("It shows", exact=True).select_option(label=second["title"])
    page.get_by_role("button", name="Upload").click()

    # then the admin lists it
    expect(page.get_by_role("status")).to_have_text("Picture added.")
    new = page.get_by_role("textbox", name="Words for picture 2")
    expect(new).to_have_value("Blue stripes, close up")

    # and a shopper who chooses that variant sees it, described by those words
    page.goto(f"/shop/products/{product['id']}")
    page.get_by_role("radio", name=second["title"], exact=True).check()
    shown = page.get_by_role("img", name="Blue stripes, close up")
    expect(shown).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=shown.element_handle()
    )
    assert loaded(shown)
