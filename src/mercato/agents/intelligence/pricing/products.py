"""The store's products as the pricing part reads them: through the catalog agent's service
only (its tables are its own), and who may see a product's pricing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from mercato.agents.catalog import service as catalog
from mercato.agents.intelligence.access import MANAGE
from mercato.agents.intelligence.pricing.problems import NotYourProduct
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound


@dataclass(frozen=True)
class StoreProduct:
    id: str
    price: Decimal
    """Its listed price: the lowest of its active variants'."""
    currency: str
    merchant_id: str | None
    category_path: str | None
    """The chain of category ids from the root (`/a/b/`), None without a category."""

    @property
    def category_ids(self) -> list[str]:
        """Its category first, then each ancestor up to the root."""
        return [part for part in (self.category_path or "").split("/") if part][::-1]


async def known(uow: UnitOfWork, product_id: str) -> StoreProduct | None:
    """The product as the catalog has it now (drafts and archived ones too), if it exists."""
    facts = (await catalog.product_facts(uow, [product_id])).get(product_id)
    if facts is None:
        return None
    return StoreProduct(
        id=facts.product_id,
        price=facts.price,
        currency=facts.currency,
        merchant_id=facts.merchant_id,
        category_path=facts.category_path,
    )


async def visible(uow: UnitOfWork, product_id: str, *, principal: Principal) -> StoreProduct:
    """The product if the principal may see its pricing: the store's staff and keys with
    `intelligence:manage` every product, a merchant its own (403 for another's); 404 as the
    catalog answers for one it may not see at all."""
    product = await catalog.product_for(uow, product_id, principal=principal)
    if not principal.can(MANAGE) and (
        principal.merchant_id is None or product.merchant_id != principal.merchant_id
    ):
        raise NotYourProduct(f"product {product.id} is not one of your merchant's")
    found = await known(uow, product.id)
    if found is None:  # pragma: no cover - the catalog just answered it
        raise NotFound(f"no product {product_id!r}")
    return found
