"""A local Shopify Admin REST API: products (with variants), orders (with line items),
locations and inventory levels, on the real wire.

`GET /admin/api/{version}/products.json`, `orders.json` (`status=any`), `locations.json`
and `inventory_levels.json` (`location_ids=` required) answer `{"products": [...]}` and so
on; pages are cursor-based: `limit` (default 50, at most 250) and a `Link` header with
`<…?limit=…&page_info=…>; rel="next"` (and `rel="previous"`); with `page_info`, any other
filter is a 400, as Shopify's is. `X-Shopify-Access-Token` must be the shop's token (401
`{"errors": "[API] Invalid API key or access token …"}` otherwise). Every answer carries
`X-Shopify-Shop-Api-Call-Limit`. Switches: `throttled` (the next n calls answer 429 with
`Retry-After: 2.0`, as Shopify's leaky bucket does), `failing` (the next n answer 500),
and `down` (every call 503, from `FakeServer`).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes import FakeServer

TOKEN = "shpat_" + "0f1e2d3c4b5a" * 2 + "abcdefgh"
VERSION_PATTERN = r"\d{4}-\d{2}"
MAX_LIMIT = 250
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"


@dataclass
class Shop:
    products: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    locations: list[dict[str, Any]]
    levels: list[dict[str, Any]]


def make_shop(products: int = 5, variants: int = 2, orders: int = 3) -> Shop:
    """A shop with `products` t-shirts of `variants` sizes each, a warehouse, stock for
    every variant, and `orders` orders of two lines."""
    sizes = ["S", "M", "L", "XL", "XXL"]
    made: list[dict[str, Any]] = []
    levels: list[dict[str, Any]] = []
    for p in range(1, products + 1):
        product_id = 632910392 + p
        product_variants = []
        for v in range(variants):
            variant_id = 808950810 + p * 10 + v
            product_variants.append(
                {
                    "id": variant_id,
                    "product_id": product_id,
                    "title": sizes[v % len(sizes)],
                    "price": f"{19 + p}.{v}0",
                    "sku": f"tee-{p:03d}-{sizes[v % len(sizes)].lower()}",
                    "position": v + 1,
                    "inventory_policy": "deny",
                    "compare_at_price": None,
                    "option1": sizes[v % len(sizes)],
                    "option2": None,
                    "option3": None,
                    "barcode": None,
                    "inventory_item_id": 39072856 + p * 10 + v,
                    "inventory_quantity": 10 + v,
                    "created_at": "2026-11-01T10:00:00-05:00",
                    "updated_at": "2026-11-02T10:00:00-05:00",
                }
            )
            levels.append(
                {
                    "inventory_item_id": 39072856 + p * 10 + v,
                    "location_id": 487838322,
                    "available": 10 + v,
                    "updated_at": "2026-11-02T10:00:00-05:00",
                    "admin_graphql_api_id": "gid://shopify/InventoryLevel/487838322"
                    f"?inventory_item_id={39072856 + p * 10 + v}",
                }
            )
        made.append(
            {
                "id": product_id,
                "title": f"Organic cotton t-shirt {p}",
                "body_html": "<p>Soft.</p>",
                "vendor": "Threadline",
                "product_type": "Shirts",
                "handle": f"organic-tee-{p}",
                "status": "active",
                "tags": "cotton, summer",
                "created_at": "2026-11-01T10:00:00-05:00",
                "updated_at": "2026-11-02T10:00:00-05:00",
                "published_at": "2026-11-01T10:00:00-05:00",
                "variants": product_variants,
                "options": [
                    {
                        "id": 594680422 + p,
                        "product_id": product_id,
                        "name": "Size",
                        "position": 1,
                        "values": sizes[:variants],
                    }
                ],
                "images": [],
            }
        )
    order_list = []
    for o in range(1, orders + 1):
        lines = (
            [
                {
                    "id": 466157049 + o * 10 + i,
                    "variant_id": made[(o + i) % len(made)]["variants"][0]["id"],
                    "title": made[(o + i) % len(made)]["title"],
                    "quantity": i + 1,
                    "sku": made[(o + i) % len(made)]["variants"][0]["sku"],
                    "price": made[(o + i) % len(made)]["variants"][0]["price"],
                    "product_id": made[(o + i) % len(made)]["id"],
                }
                for i in range(2)
            ]
            if made
            else []
        )
        order_list.append(
            {
                "id": 450789469 + o,
                "name": f"#{1000 + o}",
                "email": f"buyer{o}@example.com",
                "created_at": f"2026-11-{1 + o % 28:02d}T09:30:00-05:00",
                "currency": "USD",
                "financial_status": "paid",
                "total_price": "0.00",
                "line_items": lines,
            }
        )
    locations = [{"id": 487838322, "name": "Main warehouse", "active": True}]
    return Shop(made, order_list, locations, levels)


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"last_index": offset}).encode()).decode()


def _offset(page_info: str) -> int | None:
    try:
        value = json.loads(base64.urlsafe_b64decode(page_info.encode()))["last_index"]
    except (ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, int) and value >= 0 else None


class FakeShopify(FakeServer):
    def __init__(self, shop: Shop | None = None, *, token: str = TOKEN) -> None:
        super().__init__()
        self.shop = shop or make_shop()
        self.token = token
        self.throttled = 0
        self.failing = 0
        self.tokens_seen: list[str | None] = []

    def unavailable(self) -> Response:
        return JSONResponse({"errors": "Service Unavailable"}, status_code=503)

    def build_app(self) -> Starlette:
        def route(resource: str, key: str) -> Route:
            async def handler(request: Request) -> Response:
                return self._page(request, key, self._items(key, request))

            return Route(f"/admin/api/{{version:str}}/{resource}", handler, methods=["GET"])

        return Starlette(
            routes=[
                route("products.json", "products"),
                route("orders.json", "orders"),
                route("locations.json", "locations"),
                route("inventory_levels.json", "inventory_levels"),
            ]
        )

    def _items(self, key: str, request: Request) -> list[dict[str, Any]] | Response:
        if key == "inventory_levels":
            wanted = request.query_params.get("location_ids")
            if not wanted and "page_info" not in request.query_params:
                return JSONResponse(
                    {"errors": {"location_ids": "location_ids or inventory_item_ids is required"}},
                    status_code=422,
                )
            return list(self.shop.levels)
        return list(getattr(self.shop, key))

    def _page(self, request: Request, key: str, items: list[dict[str, Any]] | Response) -> Response:
        self.tokens_seen.append(request.headers.get("x-shopify-access-token"))
        if request.headers.get("x-shopify-access-token") != self.token:
            return JSONResponse(
                {"errors": INVALID_TOKEN},
                status_code=401,
            )
        if self.throttled > 0:
            self.throttled -= 1
            return JSONResponse(
                {
                    "errors": "Exceeded 2 calls per second for api client. Reduce request rates "
                    "to resume uninterrupted service."
                },
                status_code=429,
                headers={"retry-after": "2.0"},
            )
        if self.failing > 0:
            self.failing -= 1
            return JSONResponse({"errors": "Internal Server Error"}, status_code=500)
        if not request.path_params["version"][:4].isdigit():
            return JSONResponse({"errors": "Not Found"}, status_code=404)
        if isinstance(items, Response):
            return items
        query = request.query_params
        try:
            limit = int(query.get("limit", "50"))
        except ValueError:
            return JSONResponse({"errors": {"limit": "must be a number"}}, status_code=400)
        if not 1 <= limit <= MAX_LIMIT:
            return JSONResponse({"errors": {"limit": "must be between 1 and 250"}}, status_code=400)
        start = 0
        if "page_info" in query:
            if set(query) - {"page_info", "limit", "fields"}:
                return JSONResponse(
                    {"errors": {"page_info": "page_info cannot be combined with other filters"}},
                    status_code=400,
                )
            found = _offset(query["page_info"])
            if found is None:
                return JSONResponse({"errors": {"page_info": "Invalid value."}}, status_code=400)
            start = found
        page = items[start : start + limit]
        links = []
        base = f"{self.url}{request.url.path}"
        if start > 0:
            links.append(
                f'<{base}?limit={limit}&page_info={_cursor(max(0, start - limit))}>; rel="previous"'
            )
        if start + limit < len(items):
            links.append(f'<{base}?limit={limit}&page_info={_cursor(start + limit)}>; rel="next"')
        headers = {"x-shopify-shop-api-call-limit": "1/40"}
        if links:
            headers["link"] = ", ".join(links)
        return JSONResponse({key: page}, headers=headers)
