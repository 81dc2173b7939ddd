"""Another Mercato store, through its public API: `GET /v1/products` in cursor pages (one
product record per variant). `settings`: `base_url`, optional `store` (its `X-Tenant`) and
`page_size` (default 100);
the credential, when set, is sent as a bearer API key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from mercato.agents.intelligence.ingest.clean.sku import normalize_sku
from mercato.agents.intelligence.ingest.connectors.base import (
    ConnectorError,
    Context,
    Fetched,
    setting,
)

LIMIT = 100


def candidates(product: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for variant in product.get("variants") or []:
        name = product.get("name")
        title = variant.get("title") if variant.get("title") != name else None
        out.append(
            {
                "external_id": str(variant.get("id")),
                "sku": normalize_sku(str(variant.get("sku") or variant.get("id")), "mercato"),
                "title": " ".join(t for t in (name, title) if t),
                "price": variant.get("price"),
                "currency": product.get("currency"),
                "attributes": {
                    **(product.get("attributes") or {}),
                    **(variant.get("attributes") or {}),
                },
            }
        )
    return out


class MercatoConnector:
    async def pages(self, context: Context) -> AsyncIterator[list[Fetched]]:
        base = setting(context, "base_url").rstrip("/")
        headers = {"accept": "application/json", "user-agent": context.user_agent}
        if context.settings.get("store"):
            headers["x-tenant"] = str(context.settings["store"])
        if context.secret:
            headers["authorization"] = f"Bearer {context.secret}"
        cursor: str | None = None
        while True:
            limit = int(context.settings.get("page_size") or LIMIT)
            params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
            answer = await context.http.get(f"{base}/v1/products", params=params, headers=headers)
            if answer.status_code != 200:
                raise ConnectorError(
                    f"the store answered {answer.status_code}: {answer.text[:200]}"
                )
            body = answer.json()
            items = body.get("items")
            if not isinstance(items, list):
                raise ConnectorError("the store answered no items list")
            yield [Fetched("product", str(p.get("id")), p, candidates(p)) for p in items]
            cursor = body.get("next_cursor")
            if not cursor:
                return
