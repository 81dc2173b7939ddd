"""Shopify's Admin REST API: products (one product record per variant), orders (one sale
per line item) and inventory levels (per location, joined to variants' SKUs by inventory
item). Pages follow the `Link: <…>; rel="next"` header (cursor `page_info`); the access
token goes in `X-Shopify-Access-Token`; the API version is in the path.

`settings`: `shop_url` (`https://{shop}.myshopify.com`), `api_version` (default
`2024-10`), `resources` (default all of products, orders, inventory), `currency` (the
shop's, for products: Shopify's product prices carry none)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

from mercato.agents.intelligence.ingest.clean.sku import normalize_sku
from mercato.agents.intelligence.ingest.connectors.base import (
    ConnectorError,
    Context,
    Fetched,
    setting,
)

_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
LIMIT = 250
RESOURCES = ("products", "orders", "inventory")


def next_link(header: str | None) -> str | None:
    """The `rel="next"` URL of a Link header, if any."""
    if not header:
        return None
    for part in header.split(","):
        found = _NEXT.search(part)
        if found:
            return found.group(1)
    return None


def variant_sku(variant: dict[str, Any]) -> str:
    """The variant's SKU, or one made from its id when the merchant left it empty."""
    raw = str(variant.get("sku") or "").strip()
    return normalize_sku(raw or f"SHOPIFY-VARIANT-{variant.get('id')}", "shopify")


def product_candidates(product: dict[str, Any], currency: str | None) -> list[dict[str, Any]]:
    options = [o.get("name", "") for o in product.get("options") or []]
    out = []
    for variant in product.get("variants") or []:
        attributes = {
            str(name): str(variant[f"option{i}"])
            for i, name in enumerate(options, start=1)
            if name and variant.get(f"option{i}") not in (None, "Default Title")
        }
        out.append(
            {
                "external_id": str(variant.get("id")),
                "sku": variant_sku(variant),
                "title": " ".join(t for t in (product.get("title"), _variant_title(variant)) if t),
                "brand": product.get("vendor") or None,
                "gtin": variant.get("barcode") or None,
                "price": variant.get("price"),
                "currency": currency,
                "attributes": attributes,
            }
        )
    return out


def _variant_title(variant: dict[str, Any]) -> str | None:
    title = variant.get("title")
    return None if title in (None, "Default Title") else str(title)


def sale_candidates(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "external_id": f"{order.get('id')}:{line.get('id')}",
            "sku": normalize_sku(
                str(line.get("sku") or f"SHOPIFY-VARIANT-{line.get('variant_id')}"), "shopify"
            ),
            "quantity": line.get("quantity"),
            "price": line.get("price"),
            "currency": order.get("currency"),
            "sold_at": order.get("created_at"),
        }
        for line in order.get("line_items") or []
    ]


class ShopifyConnector:
    async def pages(self, context: Context) -> AsyncIterator[list[Fetched]]:
        shop = setting(context, "shop_url").rstrip("/")
        if not context.secret:
            raise ConnectorError("Shopify needs an access token (the source's credential)")
        version = context.settings.get("api_version") or "2024-10"
        wanted = context.settings.get("resources") or list(RESOURCES)
        self.base = f"{shop}/admin/api/{version}"
        self.headers = {
            "x-shopify-access-token": context.secret,
            "accept": "application/json",
            "user-agent": context.user_agent,
        }
        currency = context.settings.get("currency")
        skus: dict[str, str] = {}
        if "products" in wanted or "inventory" in wanted:
            async for products in self._walk(context, "products.json", "products"):
                page = []
                for product in products:
                    candidates = product_candidates(product, currency)
                    for variant, candidate in zip(
                        product.get("variants") or [], candidates, strict=True
                    ):
                        skus[str(variant.get("inventory_item_id"))] = candidate["sku"]
                    page.append(Fetched("product", str(product.get("id")), product, candidates))
                if "products" in wanted:
                    yield page
        if "orders" in wanted:
            async for orders in self._walk(context, "orders.json", "orders", status="any"):
                yield [Fetched("sale", str(o.get("id")), o, sale_candidates(o)) for o in orders]
        if "inventory" in wanted:
            async for page in self._inventory(context, skus):
                yield page

    async def _inventory(
        self, context: Context, skus: dict[str, str]
    ) -> AsyncIterator[list[Fetched]]:
        locations = [
            loc async for page in self._walk(context, "locations.json", "locations") for loc in page
        ]
        if not locations:
            return
        ids = ",".join(str(loc.get("id")) for loc in locations)
        async for levels in self._walk(
            context, "inventory_levels.json", "inventory_levels", location_ids=ids
        ):
            yield [
                Fetched(
                    "inventory",
                    f"{level.get('inventory_item_id')}@{level.get('location_id')}",
                    level,
                    [
                        {
                            "sku": skus.get(str(level.get("inventory_item_id"))),
                            "location": str(level.get("location_id")),
                            "available": level.get("available"),
                            "updated_at": level.get("updated_at"),
                        }
                    ],
                )
                for level in levels
            ]

    async def _walk(
        self, context: Context, path: str, key: str, **params: Any
    ) -> AsyncIterator[list[dict[str, Any]]]:
        url: str | None = f"{self.base}/{path}"
        query: dict[str, Any] | None = {"limit": LIMIT, **params}
        while url is not None:
            answer = await context.http.get(url, params=query, headers=self.headers)
            if answer.status_code != 200:
                raise ConnectorError(
                    f"Shopify {path} answered {answer.status_code}: {answer.text[:200]}"
                )
            items = answer.json().get(key)
            if not isinstance(items, list):
                raise ConnectorError(f"Shopify {path} answered no {key!r} list")
            yield items
            url, query = next_link(answer.headers.get("link")), None  # the link holds the query
